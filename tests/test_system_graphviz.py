"""Drawing with the system Graphviz (``dot``), which the README lists as optional.

The workbook draws with the bundled WebAssembly Graphviz, so ``make test``
runs without ``dot`` (as a user who followed the README has it). These tests
cover what ``dot`` adds (its own SVG, PNG export) and run with
``make test-dot``, which CI runs after installing Graphviz.
"""

import pytest

from minitensor import viz
from minitensor.viz import render
from tests.helpers import require_program
from tests.test_viz_graph import e1_values, e7_tensors, svg_titles

pytestmark = pytest.mark.system_graphviz


@pytest.fixture(autouse=True)
def _dot():
    require_program("dot", "apt-get install graphviz")


def test_svg_with_system_dot_matches_structure():
    L, names = e7_tensors()
    drawing = viz.draw(L, names=names, renderer="dot")
    svg = drawing.svg()
    assert svg.startswith("<?xml") and "<svg" in svg
    drawing.renderer = "wasi"
    assert svg_titles(svg) == svg_titles(drawing.svg())
    assert render.which_renderer("auto") == "dot"


def test_png_export_with_system_dot(tmp_path):
    o, _ = e1_values()
    png = viz.draw(o).export(tmp_path / "g.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def test_the_direction_of_a_picture_does_not_depend_on_the_renderer():
    """Direction is chosen from the bundled Graphviz's sizes, so dot draws the same layout."""
    o, _ = e1_values()
    by_dot = viz.draw(o, renderer="dot").source
    bundled = viz.draw(o, renderer="wasi").source
    assert "rankdir=" in by_dot
    assert by_dot == bundled
