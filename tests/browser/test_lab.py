"""The workbook in a real browser: JupyterLab in headless Chromium (issue #7).

* Every notebook ``notebooks/[0-9]*.ipynb``, opened with its outputs cleared,
  runs to the end with Run All: no cell shows an error (unless tagged
  ``raises-exception``), every cell that stored a graph (``image/svg+xml``)
  shows a rendered SVG image, every cell that stored a plot (``image/png``)
  shows an image, every cell that stored a widget shows a widget.
* The first stepper of notebooks 01 and 06 steps to the end, the highlighted
  node and the text change at each Next, the last text states the gradients
  of examples.md; Previous, Reset and Play work.
* The stored notebooks, after `make lab`'s trust step, show their graphs as
  SVG images, not as text.
* Screenshots for the README: test-artifacts/screenshots/stepper.png and
  graph.png (``python -m tools.copy_screenshots`` copies them to images/).

``MINITENSOR_NOTEBOOKS`` points the tests at another folder of notebooks.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser import lab_notebook
from tests.browser.lab_server import ROOT, SCREENSHOTS
from tests.browser.lab_stepper import check_stepper

NOTEBOOK_DIR = Path(os.environ.get("MINITENSOR_NOTEBOOKS", ROOT / "notebooks"))
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9]*.ipynb"))

# The gradients each stepper notebook's first stepper must end with (examples.md):
# 01: the tanh neuron E1; 06: E7, several paths add up.
STEPPER_GRADIENTS = {
    "01": {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0},
    "06": {"w1": -36.0, "w2": -28.0, "w3": -8.0, "w4": -20.0},
}
STEPPER_SCREENSHOT = "01"  # the notebook whose stepper is the README's picture
GRAPH_SCREENSHOT = "01"  # the notebook whose last graph is graph.png


def numbered(prefix: str) -> list[Path]:
    """The notebooks whose name starts with number ``prefix`` (01 matches 01_x, not 010)."""
    return [p for p in NOTEBOOKS if re.match(rf"{prefix}(?!\d)", p.name)]


def graph_screenshot_cell(notebook: Path) -> int | None:
    """The cell for graph.png: notebook 01's last graph (the neuron with its gradients)."""
    if notebook not in numbered(GRAPH_SCREENSHOT):
        return None
    stored = lab_notebook.read_notebook(notebook)
    cells = [
        index
        for index, cell in enumerate(stored.cells)
        if cell.cell_type == "code" and lab_notebook.expected_displays(cell)["svg"]
    ]
    return cells[-1] if cells else None


def screenshot_graph(page, index: int, path: Path) -> None:
    """Screenshot the SVG image of cell ``index``, with a window wide enough for all of it."""
    image = lab_notebook.cell_locator(page, index).locator(".jp-RenderedSVG img").first
    width = image.evaluate("(img) => img.naturalWidth")
    viewport = page.viewport_size
    assert viewport is not None
    page.set_viewport_size({"width": max(viewport["width"], width + 800), "height": 1800})
    path.parent.mkdir(parents=True, exist_ok=True)
    image.screenshot(path=str(path))
    page.set_viewport_size(viewport)


def ids(path: Path) -> str:
    return path.stem


def test_stepper_notebooks_exist():
    # The stepper tests below are parametrized over the notebooks that exist; this
    # test makes sure that is 01 and 06, so that they cannot silently pass with no
    # cases. (It was xfail(strict=True) while the notebooks were being written.)
    missing = [prefix for prefix in STEPPER_GRADIENTS if len(numbered(prefix)) != 1]
    assert missing == [], f"no single notebook numbered {missing} in {NOTEBOOK_DIR}"


def test_workbook_has_notebooks():
    # Without notebooks the parametrized tests below would only be skipped.
    assert NOTEBOOKS != [], f"no numbered notebooks in {NOTEBOOK_DIR}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_run_all_shows_every_output(lab, lab_page, notebook):
    stored = lab_notebook.read_notebook(notebook)
    path = lab.stage(notebook, "run", cleared=True)
    shown = lab.run_all(lab_page, path)
    problems = lab_notebook.stored_run_problems(stored) + lab_notebook.run_problems(stored, shown)
    assert problems == [], f"{notebook.name}:\n" + "\n".join(problems)

    index = graph_screenshot_cell(notebook)
    if index is not None:
        screenshot_graph(lab_page, index, SCREENSHOTS / "graph.png")


STEPPER_CASES = [
    pytest.param(path, prefix, id=path.stem)
    for prefix in STEPPER_GRADIENTS
    for path in numbered(prefix)
]


@pytest.mark.parametrize(("notebook", "prefix"), STEPPER_CASES)
def test_stepper_steps_to_the_gradients(lab, lab_page, notebook, prefix):
    stored = lab_notebook.read_notebook(notebook)
    path = lab.stage(notebook, "stepper", cleared=True)
    shown = lab.run_all(lab_page, path)
    assert lab_notebook.run_problems(stored, shown) == []
    screenshot = SCREENSHOTS / "stepper.png" if prefix == STEPPER_SCREENSHOT else None
    check_stepper(lab_page, STEPPER_GRADIENTS[prefix], lab.ui_timeout_ms, screenshot)


@pytest.fixture(scope="session")
def trusted_workbook(lab) -> dict[Path, str]:
    """The stored notebooks, copied as they are and trusted as `make lab` does."""
    paths = {notebook: lab.stage(notebook, "stored", cleared=False) for notebook in NOTEBOOKS}
    if paths:
        lab.server.trust([lab.served / path for path in paths.values()])
    return paths


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_stored_notebook_shows_graphs_as_svg(lab, lab_page, trusted_workbook, notebook):
    stored = lab_notebook.read_notebook(notebook)
    path = trusted_workbook[notebook]
    lab.open(lab_page, path)
    shown = lab_notebook.show_stored(lab_page, path, lab.ui_timeout_ms)
    problems = lab_notebook.stored_run_problems(stored)
    problems += lab_notebook.stored_display_problems(stored, shown)
    assert problems == [], f"{notebook.name}:\n" + "\n".join(problems)
