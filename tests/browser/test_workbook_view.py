"""What a student sees in JupyterLab (issues 11 and 16), in headless Chromium.

* Every stored notebook, opened without running it (trusted, as `make lab`
  does): no "Error displaying widget" (the widgets' state is stored with the
  notebook), no error output except in cells tagged ``raises-exception``, and
  every graph fits its cell.
* Graphs fit their cells and stay readable, in a throwaway notebook with a long
  chain, a wide graph and a stepper: no picture wider than its cell, no text in a
  picture smaller than 9 CSS pixels, at a 1400-pixel-wide window.
* The stepper's quiz (``predict=True``): type an answer, press Check, read the verdict.
* No "official Jupyter news" pop-up when Lab starts with the project's settings
  (lab-settings/overrides.json), and the pop-up is there without them.

Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest

from tests.browser import lab_notebook
from tests.browser.lab_server import ROOT, SCREENSHOTS, LabServer
from tests.browser.test_lab import NOTEBOOKS, ids

WINDOW = {"width": 1400, "height": 1800}
MIN_TEXT_PX = 9
NEWS = "Would you like to get notified about official Jupyter news?"

# Every picture of a graph in the notebook on screen: an <img> of an SVG output, or
# the stepper's inline <svg>. Its width on the page, its cell's width, and the
# smallest text in it in CSS pixels (font-size scaled by shown width / viewBox width).
PICTURES_JS = r"""
(panelSelector) => {
  const panel = document.querySelector(panelSelector);
  const pictures = [];
  const cells = [...panel.querySelectorAll('.jp-Cell')];
  cells.forEach((cell, index) => {
    const area = cell.querySelector('.jp-Cell-outputWrapper') || cell;
    const cellRight = area.getBoundingClientRect().right;
    const found = [];
    const images = cell.querySelectorAll('.jp-OutputArea-output img[src^="data:image/svg+xml"]');
    for (const img of images) {
      const comma = img.src.indexOf(',');
      const body = img.src.slice(comma + 1);
      const text = img.src.slice(0, comma).endsWith(';base64') ? atob(body)
                                                               : decodeURIComponent(body);
      found.push([img, new DOMParser().parseFromString(text, 'image/svg+xml').documentElement]);
    }
    for (const svg of cell.querySelectorAll('.mt-stepper-graph svg')) found.push([svg, svg]);
    for (const [element, svg] of found) {
      const box = element.getBoundingClientRect();
      const viewBox = (svg.getAttribute('viewBox') || '').split(/[ ,]+/).map(Number);
      const scale = viewBox.length === 4 && viewBox[2] > 0 ? box.width / viewBox[2] : 1;
      const sizes = [...svg.querySelectorAll('text')]
        .map((t) => parseFloat(t.getAttribute('font-size') || '14'));
      pictures.push({
        cell: index,
        width: Math.round(box.width),
        overflow: Math.round(box.right - cellRight),
        min_text_px: sizes.length ? Math.min(...sizes) * scale : null,
      });
    }
  });
  return pictures;
}
"""


def picture_problems(pictures: list[dict]) -> list[str]:
    problems = []
    for p in pictures:
        where = f"cell {p['cell']}: a graph {p['width']} px wide"
        if p["overflow"] > 1:
            problems.append(f"{where} sticks out of its cell by {p['overflow']} px")
        if p["min_text_px"] is not None and p["min_text_px"] < MIN_TEXT_PX:
            problems.append(f"{where} has text {p['min_text_px']:.1f} px high")
    return problems


def measure(page) -> list[dict]:
    return page.evaluate(PICTURES_JS, lab_notebook.ACTIVE_PANEL)


def throwaway(lab, name: str, cells: list[str]) -> str:
    """Write a notebook of code cells into the served folder; its path for Lab."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    target = lab.served / "throwaway" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return target.relative_to(lab.served).as_posix()


@pytest.fixture
def wide_window(lab_page):
    viewport = lab_page.viewport_size
    lab_page.set_viewport_size(WINDOW)
    yield lab_page
    if viewport is not None:
        lab_page.set_viewport_size(viewport)


@pytest.fixture(scope="module")
def opened_workbook(lab) -> dict:
    """The stored notebooks, copied as they are and trusted as `make lab` does."""
    paths = {notebook: lab.stage(notebook, "opened", cleared=False) for notebook in NOTEBOOKS}
    if paths:
        lab.server.trust([lab.served / path for path in paths.values()])
    return paths


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_stored_notebook_opens_without_errors(lab, wide_window, opened_workbook, notebook):
    page = wide_window
    stored = lab_notebook.read_notebook(notebook)
    path = opened_workbook[notebook]
    lab.open(page, path)
    shown = lab_notebook.show_stored(page, path, lab.ui_timeout_ms)
    problems = lab_notebook.stored_display_problems(stored, shown)
    for index, (cell, seen) in enumerate(zip(stored.cells, shown["cells"])):
        if "Error displaying widget" in seen["output_text"]:
            problems.append(f"cell {index}: {seen['output_text'][:200]!r}")
        errors = [o for o in seen["outputs"] if o["type"] == "error"]
        if errors and lab_notebook.RAISES not in seen["tags"]:
            problems.append(f"cell {index} shows an error: {errors[0]['ename']}")
        if lab_notebook.expected_displays(cell)["widget"] and seen["widgets"] == 0:
            problems.append(f"cell {index} should show its stored widget")
    problems += picture_problems(measure(page))
    assert problems == [], f"{notebook.name}:\n" + "\n".join(problems)


GRAPHS = [
    "from minitensor import Value, viz",
    # A long chain: 25 tanh in a row.
    "y = Value(0.5, label='x')\nfor _ in range(25):\n    y = y.tanh()\ny.backward()\nviz.draw(y)",
    # A wide graph: 8 inputs summed. About 10 or more side by side (fewer with a system
    # dot, whose boxes are wider) would scroll sideways rather than shrink their text
    # below 10 px, by design; 8 fit the column with either renderer.
    "xs = [Value(float(i), label=f'x{i}') for i in range(8)]\n"
    "s = sum((x * x for x in xs), Value(0.0, label='zero'))\ns.backward()\nviz.draw(s)",
    # The tanh neuron of notebook 01, and its stepper.
    "x1, x2 = Value(2.0, label='x1'), Value(0.0, label='x2')\n"
    "w1, w2 = Value(-3.0, label='w1'), Value(1.0, label='w2')\n"
    "b = Value(6.8813735870195432, label='b')\n"
    "n = x1 * w1 + x2 * w2 + b\nn.label = 'n'\no = n.tanh()\no.label = 'o'\no.backward()\n"
    "viz.draw(o)",
    "stepper = viz.Stepper(o)\nstepper",
]


def test_graphs_fit_their_cells_and_stay_readable(lab, wide_window):
    page = wide_window
    path = throwaway(lab, "graphs.ipynb", GRAPHS)
    lab.open(page, path)
    report = lab_notebook.run_all(page, path, lab.run_timeout_ms)
    assert all(o["type"] != "error" for c in report["cells"] for o in c["outputs"]), report
    page.locator(f"{lab_notebook.ACTIVE_PANEL} .mt-stepper-graph svg").first.wait_for()
    pictures = measure(page)
    assert len(pictures) == 4, pictures  # three graphs and the stepper's picture
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "graphs_fit.png"), full_page=True)
    assert picture_problems(pictures) == [], pictures


QUIZ = [
    "from minitensor import Value, viz\n"
    "x1, x2 = Value(2.0, label='x1'), Value(0.0, label='x2')\n"
    "w1, w2 = Value(-3.0, label='w1'), Value(1.0, label='w2')\n"
    "b = Value(6.8813735870195432, label='b')\n"
    "n = x1 * w1 + x2 * w2 + b\nn.label = 'n'\no = n.tanh()\no.label = 'o'",
    "quiz = viz.Stepper(o, predict=True)\nquiz",
]


def test_stepper_quiz_in_lab(lab, lab_page):
    page = lab_page
    path = throwaway(lab, "quiz.ipynb", QUIZ)
    lab.open(page, path)
    lab_notebook.run_all(page, path, lab.run_timeout_ms)
    root = page.locator(f"{lab_notebook.ACTIVE_PANEL} .mt-stepper").first
    answer = root.locator(".mt-stepper-answer input").first
    answer.wait_for()
    # o = tanh(n) sends 1 - o² = 0.5 to n (torch.tanh: 1 - tanh(0.8814)² = 0.5).
    answer.fill("0.3")
    root.locator(".mt-stepper-check button, button.mt-stepper-check").first.click()
    verdict = root.locator(".mt-stepper-verdict")
    verdict.get_by_text("Not quite (0.3 for n)").wait_for()
    assert "= 1.0 × 0.5 = 0.5 was sent to n" in verdict.inner_text()
    assert "0 of 1 right" in root.locator(".mt-stepper-score").inner_text()
    assert "Step 1 of 10" in root.locator(".mt-stepper-status").inner_text()
    # Next question: n = ... + b sends n.grad = 0.5 to both inputs.
    boxes = root.locator(".mt-stepper-answer input")
    boxes.nth(1).wait_for()
    for i in range(2):
        boxes.nth(i).fill("0.5")
    root.locator(".mt-stepper-check button, button.mt-stepper-check").first.click()
    root.locator(".mt-stepper-score").get_by_text("2 of 3 right").wait_for()
    assert "Right: 0.5 was sent to b." in verdict.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    root.screenshot(path=str(SCREENSHOTS / "stepper_quiz.png"))


def news_popup_shown(browser, tmp_path, app_settings) -> bool:
    """Start a Lab with no user settings (a student's first start); is the pop-up there?"""
    served = tmp_path / "root"
    served.mkdir(exist_ok=True)
    server = LabServer(served, tmp_path / "state", user_settings={}, app_settings=app_settings)
    context = browser.new_context(viewport=WINDOW)
    try:
        server.start()
        page = context.new_page()
        lab_notebook.start_lab(page, server.url("lab?reset"), 60_000)
        try:
            page.get_by_text(NEWS).first.wait_for(timeout=15_000)
        except Exception:
            return False
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "news_popup_without_settings.png"))
        return True
    finally:
        context.close()
        server.stop()


def test_no_news_popup_with_the_projects_settings(browser, tmp_path):
    installed = tmp_path / "with" / "settings"  # as postBuild and `make lab` install it
    installed.mkdir(parents=True)
    shutil.copyfile(ROOT / "lab-settings" / "overrides.json", installed / "overrides.json")
    assert not news_popup_shown(browser, tmp_path / "with", installed)
    # Without the project's settings the pop-up does come (so the test can see it).
    empty = tmp_path / "without" / "settings"
    empty.mkdir(parents=True)
    assert news_popup_shown(browser, tmp_path / "without", empty)
