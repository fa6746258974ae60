"""Small throwaway notebooks that the harness's self-tests run in JupyterLab.

Their "stored" outputs are written by hand: they stand for what a real
top-to-bottom run stored, which is all the harness reads from a stored notebook
(which cells drew an SVG, a PNG or a widget). The fake stepper has the CSS
classes the real `minitensor.viz.Stepper` promises, and its own text, so the
stepper-clicking code is tested before the real widget and notebooks exist.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
    '<rect x="2" y="2" width="116" height="36" fill="lightyellow" stroke="black"/>'
    '<text x="60" y="25" text-anchor="middle">stored</text></svg>'
)
# A 1x1 transparent PNG.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="


GRAPH_TEXT = "<minitensor.viz.Drawing: graph of c (3 nodes)>"


def _svg_output(text=GRAPH_TEXT):
    return new_output("display_data", data={"image/svg+xml": SVG, "text/plain": text})


def _png_output():
    return new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})


def _stream(text):
    return new_output("stream", name="stdout", text=text)


def _widget_output():
    view = {"model_id": "0", "version_major": 2, "version_minor": 0}
    return new_output(
        "display_data",
        data={"application/vnd.jupyter.widget-view+json": view, "text/plain": "VBox()"},
    )


def _code(source, outputs=(), count=None, tags=()):
    cell = new_code_cell(source, outputs=list(outputs), execution_count=count)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def good_notebook():
    """A graph drawn by minitensor, an IPython SVG, a matplotlib plot, an expected error.

    The graph is drawn as the workbook draws them, with no system Graphviz needed
    (plain ``graphviz.Digraph`` would need the ``dot`` program, which the README
    does not ask a user to install).
    """
    cells = [
        new_markdown_cell("# A notebook that should pass"),
        _code(
            "from minitensor import Value, viz\n"
            "a, b = Value(2.0, label='a'), Value(3.0, label='b')\n"
            "c = a * b\nc.label = 'c'\nviz.draw(c)",
            [_svg_output()],
            1,
        ),
        _code("from IPython.display import SVG\nSVG('''" + SVG + "''')", [_svg_output("SVG")], 2),
        _code(
            "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()",
            [_png_output()],
            3,
        ),
        _code("", [], None),  # an empty cell never gets a prompt number
        _code(
            "raise ValueError('shown on purpose')",
            [new_output("error", ename="ValueError", evalue="shown on purpose", traceback=[])],
            4,
            tags=["raises-exception"],
        ),
        _code("print('after the expected error')", [_stream("after the expected error\n")], 5),
    ]
    return new_notebook(cells=cells)


def bad_notebook():
    """Each cell breaks one rule; the harness must report every one."""
    cells = [
        # Stored as an SVG, but this run shows only text.
        _code(
            "from IPython.display import display\ndisplay({'text/plain': 'a graph'}, raw=True)",
            [_svg_output()],
            1,
        ),
        _code("x = 1", [_png_output()], 2),  # stored as a plot, but draws nothing now
        _code("pass", [], 3, tags=["raises-exception"]),  # tagged, but raises nothing
        _code("1 / 0", [], 4),  # an error nobody expected
        _code("y = 2", [], 5),  # never runs: Run All stops at the error
    ]
    return new_notebook(cells=cells)


FAKE_STEPPER = """
import ipywidgets as widgets
from IPython.display import SVG, display

# (highlighted node, explanation) for each step of a pretend backward pass.
STEPS = [
    (None, "Press Next to start the backward pass."),
    ("o", "Step 1: o = tanh(n), o.grad = 1"),
    ("n", "Step 2: n.grad = o.grad * (1 - o**2) = 0.5"),
    ("x1w1", "Step 3: x1w1.grad = n.grad * 1 = 0.5"),
    ("x2w2", "Step 4: x2w2.grad = n.grad * 1 = 0.5"),
    ("x1", "Done. x1.grad = -1.5, w1.grad = 1.0, x2.grad = 0.5, w2.grad = 0.0"),
]
NODES = ["o", "n", "x1w1", "x2w2", "x1"]


def draw(current):
    groups = []
    for i, name in enumerate(NODES):
        css = "node mt-stepper-current" if name == current else "node"
        fill = "orange" if name == current else "white"
        groups.append(
            f'<g class="{css}"><title>{name}</title>'
            f'<ellipse cx="{50 + 90 * i}" cy="30" rx="40" ry="18" fill="{fill}" stroke="black"/>'
            f'<text x="{50 + 90 * i}" y="35" text-anchor="middle">{name}</text></g>'
        )
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="470" height="60">'
    return svg + "".join(groups) + "</svg>"


class FakeStepper:
    def __init__(self, graph_as):
        self.graph_as = graph_as
        self.next_button = widgets.Button(description="Next")
        self.previous_button = widgets.Button(description="Previous")
        self.reset_button = widgets.Button(description="Reset")
        self.play = widgets.Play(min=0, max=len(STEPS) - 1, interval=150)
        self.explanation = widgets.HTML()
        self.graph = widgets.Output() if graph_as == "output" else widgets.HTML()
        for widget, name in [
            (self.next_button, "next"), (self.previous_button, "previous"),
            (self.reset_button, "reset"), (self.play, "play"),
            (self.explanation, "explanation"), (self.graph, "graph"),
        ]:
            widget.add_class(f"mt-stepper-{name}")
        # The Play widget's value is the step; every control just moves it.
        self.next_button.on_click(lambda _: setattr(self.play, "value", self.play.value + 1))
        self.previous_button.on_click(lambda _: setattr(self.play, "value", self.play.value - 1))
        self.reset_button.on_click(lambda _: setattr(self.play, "value", 0))
        self.play.observe(lambda change: self.show(change["new"]), names="value")
        buttons = widgets.HBox(
            [self.previous_button, self.next_button, self.reset_button, self.play]
        )
        self.box = widgets.VBox([buttons, self.graph, self.explanation])
        self.box.add_class("mt-stepper")
        self.show(0)

    def show(self, step):
        node, text = STEPS[step]
        self.explanation.value = text
        if self.graph_as == "stuck":  # a broken stepper: the highlight never moves
            self.graph.value = draw(None)
        elif self.graph_as == "html":
            self.graph.value = draw(node)
        else:
            self.graph.clear_output(wait=True)
            with self.graph:
                display(SVG(draw(node)))
        self.next_button.disabled = step == len(STEPS) - 1
        self.previous_button.disabled = step == 0

    def _ipython_display_(self):
        display(self.box)
"""


def stepper_notebook(graph_as: str):
    """A fake stepper whose graph is an HTML widget ("html") or an Output widget ("output").

    "stuck" is a broken one: its text changes but its highlighted node never does.
    """
    cells = [
        new_markdown_cell("# A fake stepper"),
        _code(FAKE_STEPPER, [], 1),
        _code(f"FakeStepper({graph_as!r})", [_widget_output()], 2),
        _code("FakeStepper('html')  # a second stepper: the tests use the first", [], 3),
    ]
    return new_notebook(cells=cells)


def write_all(folder: Path) -> dict[str, Path]:
    """Write every fake notebook into ``folder``; their paths by short name."""
    folder.mkdir(parents=True, exist_ok=True)
    notebooks = {
        "good": good_notebook(),
        "bad": bad_notebook(),
        "stepper_html": stepper_notebook("html"),
        "stepper_output": stepper_notebook("output"),
        "stepper_stuck": stepper_notebook("stuck"),
    }
    paths = {}
    for name, notebook in notebooks.items():
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
        }
        path = folder / f"{name}.ipynb"
        nbformat.write(notebook, path)
        paths[name] = path
    return paths
