"""Open a notebook in JupyterLab, Run All, and read what every cell shows.

What a cell *shows* is read from the page (rendered SVG and PNG images that
loaded, widgets, prompts); what kind of output it holds (an error, its
exception name) from Lab's notebook model, exposed as ``window.jupyterapp``.
What a cell *should* show is derived from the stored notebook: a cell whose
stored outputs hold ``image/svg+xml`` must show a rendered SVG image, one with
``image/png`` an image, one with a widget view a widget; no cell may show an
error unless it is tagged ``raises-exception``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import nbformat
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

ACTIVE_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
RAISES = "raises-exception"

# One JavaScript function reads the whole notebook: the page and the model.
REPORT_JS = r"""
function notebookReport(path) {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.context || panel.context.path !== path || !panel.context.isReady) {
    return null;
  }
  const session = panel.sessionContext.session;
  const kernel = session && session.kernel;
  const loaded = (img) => img.complete && img.naturalWidth > 0;
  const cells = panel.content.widgets.map((cell) => {
    const model = cell.model;
    const outputs = [];
    if (model.type === 'code') {
      for (let i = 0; i < model.outputs.length; i++) {
        const o = model.outputs.get(i).toJSON();
        outputs.push({type: o.output_type, ename: o.ename || '', evalue: o.evalue || '',
                      mimes: Object.keys(o.data || {})});
      }
    }
    const node = cell.node;
    const area = node.querySelector('.jp-Cell-outputArea');
    const prompt = node.querySelector('.jp-InputArea-prompt');
    const svgs = [...node.querySelectorAll('.jp-RenderedSVG img[src^="data:image/svg+xml"]')];
    const pngs = [...node.querySelectorAll('.jp-RenderedImage img[src^="data:image/png"]')];
    return {
      type: model.type,
      source: model.sharedModel.getSource(),
      tags: model.getMetadata('tags') || [],
      prompt: prompt ? prompt.textContent.trim() : '',
      outputs: outputs,
      rendered_outputs: area ? area.querySelectorAll(':scope > .jp-OutputArea-child').length : 0,
      svg_images: svgs.filter(loaded).length,
      png_images: pngs.filter(loaded).length,
      images_loading: [...node.querySelectorAll('.jp-OutputArea img')]
        .filter((img) => !img.complete).length,
      widgets: node.querySelectorAll('.jp-OutputArea .jupyter-widgets').length,
      // ipywidgets hides the output of a widget the notebook closed later on.
      hidden_outputs: area ? area.querySelectorAll(
        ':scope > .jp-OutputArea-child > .jp-OutputArea-output.lm-mod-hidden').length : 0,
      output_text: area ? area.innerText.slice(0, 3000) : '',
    };
  });
  return {kernel: kernel ? kernel.status : null, cells: cells};
}
"""

# Every output of every cell is on the page and no image is still loading.
SETTLED_JS = r"""
function settled(report) {
  return report.cells.every((c) =>
    c.rendered_outputs === c.outputs.length && c.images_loading === 0 &&
    !(c.outputs.some((o) => o.mimes.includes('WIDGET')) && c.widgets === 0 &&
      c.hidden_outputs === 0 && !c.output_text.includes('Error displaying widget')));
}
""".replace("WIDGET", WIDGET_VIEW)

# Run All has finished: the kernel is idle, no cell is queued or running, and
# every non-empty code cell has a number, or an unexpected error stopped the run.
RUN_FINISHED_JS = (
    "(path) => {"
    + REPORT_JS
    + SETTLED_JS
    + r"""
  const report = notebookReport(path);
  if (!report || report.kernel !== 'idle' || !settled(report)) return false;
  const code = report.cells.filter((c) => c.type === 'code');
  if (code.some((c) => c.prompt === '[*]:')) return false;
  const stopped = code.some((c) => c.outputs.some((o) => o.type === 'error')
                                   && !c.tags.includes('RAISES'));
  const allRan = code.every((c) => c.source.trim() === '' || /^\[\d+\]:$/.test(c.prompt));
  return (stopped || allRan) ? report : false;
}""".replace("RAISES", RAISES)
)

# A stored notebook is on the page with all its outputs rendered.
STORED_SHOWN_JS = (
    "(path) => {"
    + REPORT_JS
    + SETTLED_JS
    + r"""
  const report = notebookReport(path);
  return report && report.cells.length > 0 && settled(report) ? report : false;
}"""
)

KERNEL_IDLE_JS = (
    "(path) => {"
    + REPORT_JS
    + "const r = notebookReport(path); return !!r && r.kernel === 'idle' && r.cells.length > 0; }"
)


def read_notebook(path: Path):
    return nbformat.read(path, as_version=4)


def write_cleared(source: Path, target: Path) -> None:
    """Copy a notebook with every output, prompt number and widget state removed."""
    notebook = read_notebook(source)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    notebook.metadata.pop("widgets", None)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)


def start_lab(page: Page, url: str, timeout_ms: float) -> None:
    """Load JupyterLab (a fresh workspace) in ``page`` and wait until it has started."""
    page.goto(url)
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=timeout_ms)
    page.evaluate("async () => { await window.jupyterapp.restored; }")


def open_notebook(page: Page, path: str, timeout_ms: float) -> None:
    """Open ``path`` (relative to the server's root) as a user would, and wait for its kernel.

    File > Open runs Lab's command ``docmanager:open``; this runs the same command
    (no reload of Lab for each notebook). The toolbar's indicator says idle before
    a kernel exists, so this asks the session itself: Run All clicked before the
    kernel is there opens a kernel dialog.
    """
    page.evaluate(
        "async (path) => { await window.jupyterapp.commands.execute("
        "'docmanager:open', {path: path, factory: 'Notebook'}); }",
        path,
    )
    page.wait_for_function(KERNEL_IDLE_JS, arg=path, timeout=timeout_ms)


def close_documents(page: Page, timeout_ms: float) -> None:
    """Close every open document without saving (the copies are throwaway)."""
    page.evaluate(
        """() => {
          for (const widget of [...window.jupyterapp.shell.widgets('main')]) {
            if (widget.context) {
              widget.context.model.dirty = false;  // no "save your work?" dialog
              widget.dispose();
            }
          }
        }"""
    )
    # Lab then shows its Launcher in the empty main area: wait for no *document*.
    page.wait_for_function(
        "() => ![...window.jupyterapp.shell.widgets('main')].some((w) => w.context)",
        timeout=timeout_ms,
    )


def run_all(page: Page, path: str, timeout_ms: float) -> dict:
    """Click Run > Run All Cells and wait until the run has finished; the report."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator('[data-command="runmenu:run-all"]').click()
    try:
        handle = page.wait_for_function(RUN_FINISHED_JS, arg=path, timeout=timeout_ms)
    except PlaywrightError as error:
        raise AssertionError(
            f"{path}: Run All did not finish in {timeout_ms / 1000:.0f} s ({error.message});"
            f" cells now:\n{describe(report(page, path))}"
        ) from None
    return handle.json_value()


def show_stored(page: Page, path: str, timeout_ms: float) -> dict:
    """Wait until the opened stored notebook shows all its outputs; the report."""
    try:
        handle = page.wait_for_function(STORED_SHOWN_JS, arg=path, timeout=timeout_ms)
    except PlaywrightError as error:
        raise AssertionError(
            f"{path}: the stored outputs were not all shown ({error.message}); cells now:\n"
            f"{describe(report(page, path))}"
        ) from None
    return handle.json_value()


def report(page: Page, path: str) -> dict | None:
    """What the notebook shows now (None if it is not the current document)."""
    return page.evaluate("(path) => {" + REPORT_JS + "return notebookReport(path); }", path)


def describe(report: dict | None) -> str:
    if report is None:
        return "(the notebook is not open)"
    lines = [f"kernel: {report['kernel']}"]
    for index, cell in enumerate(report["cells"]):
        if cell["type"] == "code":
            kinds = [o["type"] for o in cell["outputs"]]
            line = f"  cell {index}: {cell['prompt'] or '-'} outputs {kinds}"
            if cell["rendered_outputs"] != len(kinds):
                line += f", {cell['rendered_outputs']} on the page"
            if cell["images_loading"]:
                line += f", {cell['images_loading']} image(s) loading"
            if any(WIDGET_VIEW in o["mimes"] for o in cell["outputs"]) and not cell["widgets"]:
                line += f", its widget is not drawn ({cell['hidden_outputs']} output(s) hidden)"
            lines.append(line)
    return "\n".join(lines)


def expected_displays(cell) -> Counter:
    """How many SVGs, PNGs and widgets a stored code cell displayed."""
    counts: Counter = Counter()
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        counts["svg"] += "image/svg+xml" in data
        counts["png"] += "image/png" in data
        counts["widget"] += WIDGET_VIEW in data
    return counts


def _excerpt(text: str, limit: int = 500) -> str:
    # Tracebacks carry ANSI colour codes in the model but not on the page.
    text = re.sub(r"\x1b\[[0-9;]*m", "", text).strip()
    return text if len(text) <= limit else text[-limit:]


def _first_line(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip()] or [""]
    return lines[0][:60]


def stored_run_problems(stored) -> list[str]:
    """A stored notebook must come from a real run: its expectations come from it."""
    unrun = [
        index
        for index, cell in enumerate(stored.cells)
        if cell.cell_type == "code" and cell.source.strip() and cell.get("execution_count") is None
    ]
    if unrun:
        return [
            f"the stored notebook has code cells that were never run ({unrun}): store it from a "
            "real top-to-bottom run so that its outputs say which cells draw graphs and plots"
        ]
    return []


def run_problems(stored, shown: dict) -> list[str]:
    """Everything wrong with a Run All, as sentences; empty if the run is good."""
    cells = shown["cells"]
    if len(cells) != len(stored.cells):
        return [f"Lab shows {len(cells)} cells, the file has {len(stored.cells)}"]
    problems = []
    for index, (cell, seen) in enumerate(zip(stored.cells, cells)):
        if cell.cell_type != "code":
            continue
        tags = seen["tags"]
        errors = [o for o in seen["outputs"] if o["type"] == "error"]
        where = f"cell {index} ({_first_line(cell.source)!r})"
        if cell.source.strip() and not re.fullmatch(r"\[\d+\]:", seen["prompt"]):
            problems.append(f"{where} did not run (prompt {seen['prompt']!r})")
            continue
        if errors and RAISES not in tags:
            names = ", ".join(f"{e['ename']}: {e['evalue']}" for e in errors)
            problems.append(f"{where} shows an error: {names}\n{_excerpt(seen['output_text'])}")
        if RAISES in tags and not errors:
            problems.append(f"{where} is tagged {RAISES} but raised nothing")
        problems += display_problems(where, cell, seen)
    return problems


def display_problems(where: str, cell, seen: dict) -> list[str]:
    """The cell must show (at least) the SVGs, images and widgets it stored."""
    expected = expected_displays(cell)
    problems = []
    if seen["svg_images"] < expected["svg"]:
        problems.append(
            f"{where} should show {expected['svg']} rendered SVG image(s), shows "
            f"{seen['svg_images']}; it shows: {_excerpt(seen['output_text'], 200)!r}"
        )
    if seen["png_images"] < expected["png"]:
        problems.append(
            f"{where} should show {expected['png']} image(s), shows {seen['png_images']}"
        )
    # A widget the notebook closes further down is hidden, as it should be.
    drawn_or_closed = seen["widgets"] > 0 or seen["hidden_outputs"] > 0
    if expected["widget"] and (
        not drawn_or_closed or "Error displaying widget" in seen["output_text"]
    ):
        problems.append(f"{where} should show a widget; it shows: {seen['output_text'][:200]!r}")
    return problems


def stored_display_problems(stored, shown: dict) -> list[str]:
    """A stored (not re-run) notebook must show every stored SVG as an image."""
    cells = shown["cells"]
    if len(cells) != len(stored.cells):
        return [f"Lab shows {len(cells)} cells, the file has {len(stored.cells)}"]
    problems = []
    for index, (cell, seen) in enumerate(zip(stored.cells, cells)):
        expected = expected_displays(cell)["svg"]
        if cell.cell_type == "code" and seen["svg_images"] < expected:
            problems.append(
                f"cell {index} should show {expected} SVG image(s), shows {seen['svg_images']};"
                f" it shows: {_excerpt(seen['output_text'], 200)!r}"
            )
    return problems


def cell_locator(page: Page, index: int) -> Locator:
    """Cell ``index`` of the notebook on screen (every cell is attached: no windowing)."""
    return page.locator(f"{ACTIVE_PANEL} .jp-Notebook .jp-Cell").nth(index)
