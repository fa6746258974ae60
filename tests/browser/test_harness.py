"""The browser harness checks itself on small throwaway notebooks.

A harness that never fails proves nothing: these tests run notebooks that
should pass and notebooks that break each rule (an unexpected error, a graph
shown as text, a missing plot, a stepper whose highlight never moves, an
untrusted stored notebook) and check that the harness says so. They use the
same server and browser as test_lab.py.
"""

from __future__ import annotations

import nbformat
import pytest

from tests.browser import fake_notebooks, lab_notebook
from tests.browser.lab_stepper import (
    StepperDriver,
    check_stepper,
    gradient_problems,
    stated_gradients,
)

E1 = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0}


@pytest.fixture(scope="session")
def fakes(tmp_path_factory):
    return fake_notebooks.write_all(tmp_path_factory.mktemp("fake-notebooks"))


def test_harness_passes_a_good_notebook(lab, lab_page, fakes):
    stored = lab_notebook.read_notebook(fakes["good"])
    shown = lab.run_all(lab_page, lab.stage(fakes["good"], "fake-run", cleared=True))
    assert lab_notebook.run_problems(stored, shown) == []
    cells = shown["cells"]
    assert [c["svg_images"] for c in cells[1:4]] == [1, 1, 0]  # graph, IPython SVG, plot
    assert cells[3]["png_images"] == 1
    assert cells[5]["outputs"][0]["ename"] == "ValueError"  # the expected error is shown
    assert cells[6]["prompt"] == "[5]:"  # and Run All went on after it


def test_harness_reports_every_broken_cell(lab, lab_page, fakes):
    stored = lab_notebook.read_notebook(fakes["bad"])
    shown = lab.run_all(lab_page, lab.stage(fakes["bad"], "fake-run", cleared=True))
    problems = lab_notebook.run_problems(stored, shown)
    expected = [
        "cell 0 ('from IPython.display import display') should show 1 rendered SVG image(s), "
        "shows 0; it shows: 'a graph'",
        "cell 1 ('x = 1') should show 1 image(s), shows 0",
        "cell 2 ('pass') is tagged raises-exception but raised nothing",
        "cell 3 ('1 / 0') shows an error: ZeroDivisionError: division by zero",
        "cell 4 ('y = 2') did not run (prompt '[ ]:')",
    ]
    assert len(problems) == len(expected), problems
    for problem, start in zip(problems, expected):
        assert problem.startswith(start)


def test_harness_wants_notebooks_stored_from_a_run(fakes):
    stored = lab_notebook.read_notebook(fakes["good"])
    assert lab_notebook.stored_run_problems(stored) == []
    stored.cells[1].execution_count = None
    assert "never run ([1])" in lab_notebook.stored_run_problems(stored)[0]


@pytest.mark.parametrize("graph_as", ["html", "output"])
def test_harness_steps_a_fake_stepper(lab, lab_page, fakes, graph_as, tmp_path):
    name = f"stepper_{graph_as}"
    stored = lab_notebook.read_notebook(fakes[name])
    shown = lab.run_all(lab_page, lab.stage(fakes[name], "fake-run", cleared=True))
    assert lab_notebook.run_problems(stored, shown) == []
    check_stepper(lab_page, E1, lab.ui_timeout_ms, tmp_path / "stepper.png")
    assert (tmp_path / "stepper.png").read_bytes().startswith(b"\x89PNG")


def test_harness_catches_a_stuck_highlight(lab, lab_page, fakes):
    shown = lab.run_all(lab_page, lab.stage(fakes["stepper_stuck"], "fake-run", cleared=True))
    assert shown["cells"][2]["widgets"] > 0
    root = lab_page.locator(f"{lab_notebook.ACTIVE_PANEL} .mt-stepper").first
    stepper = StepperDriver(lab_page, root, timeout_ms=3000)
    stepper.check_parts()
    with pytest.raises(AssertionError, match="highlighted node after Next"):
        stepper.walk_to_end()


def test_harness_sees_trust(lab, lab_page, fakes, tmp_path):
    """A trusted stored notebook shows its SVG; an untrusted one its text (and fails)."""
    stored = lab_notebook.read_notebook(fakes["good"])
    trusted = lab.stage(fakes["good"], "fake-trusted", cleared=False)
    lab.server.trust([lab.served / trusted])
    # Trust is a signature of the content: another content is not trusted.
    stored.metadata["title"] = "untrusted"
    nbformat.write(stored, tmp_path / "good.ipynb")
    untrusted = lab.stage(tmp_path / "good.ipynb", "fake-untrusted", cleared=False)
    results = {}
    for path in (trusted, untrusted):
        lab.open(lab_page, path)
        shown = lab_notebook.show_stored(lab_page, path, lab.ui_timeout_ms)
        results[path] = lab_notebook.stored_display_problems(stored, shown)
    assert results[trusted] == []
    assert [p.split(";")[0] for p in results[untrusted]] == [
        "cell 1 should show 1 SVG image(s), shows 0",
        "cell 2 should show 1 SVG image(s), shows 0",
    ]
    assert fake_notebooks.GRAPH_TEXT in results[untrusted][0]


# Texts as the real minitensor.viz.Stepper words them at its last step.
VALUE_TEXT = """Step 10 of 10: x1 (a leaf: an input of the graph)

do/dx1 = -1.5 (from x1*w1, its only path).
x1.grad = -1.5

Done: every gradient is complete. Each leaf's .grad now holds what backward() gives:
  do/dx1 = -1.5
  do/dw1 = 1.0
  do/dx2 = 0.5
  do/dw2 = 0.0
  do/db = 0.5"""
TENSOR_TEXT = """Step 10 of 10: AccumulateGrad of the leaf w3

dL/dw3 = [-8.0] (from w3*b, its only path).
w3 is a leaf: AccumulateGrad adds the gradient into w3.grad = [-8.0]

Done: every gradient is complete. Each leaf's .grad now holds what backward() gives:
  dL/dw3 = -8.0
  dL/dw1 = -36.0
  dL/dw4 = -20.0
  dL/dw2 = -28.0"""


def test_harness_reads_stated_gradients():
    assert stated_gradients(VALUE_TEXT, ["x1", "w1", "x2", "w2", "b", "x"]) == {
        "x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5, "x": None,
    }  # fmt: skip
    e7 = {"w1": -36.0, "w2": -28.0, "w3": -8.0, "w4": -20.0}
    assert gradient_problems(TENSOR_TEXT, e7) == []
    assert gradient_problems(VALUE_TEXT, E1) == []
    assert gradient_problems(TENSOR_TEXT, {"w1": -35.0, "a": 1.0}) == [
        "the text states -36.0 for w1, expected -35.0",
        "the text states no gradient for a (expected 1.0)",
    ]
    # The last statement counts: a wrong summary is caught even after right details.
    assert gradient_problems("w1.grad = -36\nDone:\n  dL/dw1 = -3.6", {"w1": -36.0}) != []
