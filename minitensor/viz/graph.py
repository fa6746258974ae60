"""Pictures of computation graphs: ``viz.draw(loss)``.

A graph is read through the node protocol only (`minitensor.autograd.protocol.Node`:
``parents``, ``op``, ``is_leaf``, ``variable``, ``saved``), in the engine's own
order (`topological_order`: every node before its inputs), so the picture
shows exactly the nodes ``backward()`` visits.

There are two styles of picture, chosen once, by `GraphModel`, from the
object drawn:

* A `Value` graph is drawn the way micrograd draws it: a box per Value with
  its name, ``data 2.0000`` and ``grad 0.0000`` (one above the other, so that
  the boxes stay narrow), fed by a small oval with the operation that made it
  (``*``, ``+``, ``tanh``).
* A `Tensor` graph is drawn the way torchviz draws PyTorch's: a grey box per
  node of the backward graph with PyTorch's name (``MulBackward0``, and
  ``AccumulateGrad`` for each leaf, as in ``grad_fn.next_functions``), a blue
  box per leaf tensor with name, shape and dtype, feeding its AccumulateGrad,
  a green box for the output, and, on request, orange boxes for the tensors
  saved for backward.

The direction is chosen to fit the notebook's column (`layout`): left to right
for shallow graphs, top to bottom for long chains.

Node ids in the DOT text are positions in that order (``v0``, ``v1``, ... or
``n0``, ``n1``, ...), never ``id()``: the same graph always gives the same text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from minitensor.autograd.engine import topological_order
from minitensor.autograd.function import graph_node
from minitensor.autograd.protocol import Node
from minitensor.scalar.value import Value
from minitensor.tensor import Tensor
from minitensor.viz import format as fmt
from minitensor.viz import layout, picture

DIRECTIONS = ("auto", "LR", "TB", "RL", "BT")
MAX_NAME = 24  # a made-up name longer than this falls back to the node's id
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Binary operations written as the operator in made-up names ("w3*b"): a Value's
# operations and PyTorch's grad_fn names.
_SYMBOLS = {
    "+": "+",
    "*": "*",
    "**": "**",
    "AddBackward0": "+",
    "SubBackward0": "-",
    "MulBackward0": "*",
    "DivBackward0": "/",
    "DivBackward1": "/",
    "PowBackward1": "**",
    "MmBackward0": "@",
    "MvBackward0": "@",
    "DotBackward0": "@",
    "BmmBackward0": "@",
}


@dataclass
class DrawOptions:
    """How to draw: see `draw` for the meaning of each option."""

    rankdir: str = "auto"
    show_data: bool = True
    show_grad: bool = True
    show_saved: bool = False
    max_nodes: int = 200
    renderer: str = "auto"

    def __post_init__(self):
        if self.rankdir not in DIRECTIONS:
            raise ValueError(f"rankdir must be one of {DIRECTIONS}, got {self.rankdir!r}")
        if self.max_nodes < 1:
            raise ValueError(f"max_nodes must be at least 1, got {self.max_nodes}")


def draw(
    root,
    *,
    rankdir: str = "auto",
    show_data: bool = True,
    show_grad: bool = True,
    show_saved: bool = False,
    names: Mapping[str, object] | None = None,
    max_nodes: int = 200,
    renderer: str = "auto",
):
    """Draw the computation graph that produced ``root`` (a `Value` or a `Tensor`).

    Args:
        root: the output whose graph to draw (a loss, usually).
        rankdir: "LR" (left to right, micrograd's layout), "TB" (top to bottom),
            or "auto": whichever of the two fits the notebook's column better.
        show_data: show each Value's data (and the values of small tensors).
        show_grad: show gradients (a Value's ``.grad``; a leaf tensor's ``.grad``).
        show_saved: for tensors, also draw what each node saved for backward.
        names: a dict of name -> Value/Tensor, such as ``locals()``: nodes are
            labelled with these names (a Value's own ``label`` comes first).
            Unnamed nodes get a name made from their inputs' ("w3*b").
        max_nodes: draw at most this many nodes, the ones nearest the output;
            the picture says how many it left out.
        renderer: "auto" (the system's ``dot`` if installed, else the bundled
            WebAssembly Graphviz), "dot" or "wasi".

    Returns:
        A `Drawing` (a ``graphviz.Digraph``): it shows itself as SVG in
        Jupyter; ``.export("graph.svg")`` / ``.export("graph.png")`` save it.

    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> print(draw(a * b).source)  # doctest: +SKIP
    """
    options = DrawOptions(rankdir, show_data, show_grad, show_saved, max_nodes, renderer)
    return GraphModel(root, names).to_dot(options)


class GraphModel:
    """The graph of one output, in the engine's order, ready to be drawn or stepped through.

    Attributes:
        root: the Value or Tensor given.
        style: how the graph is drawn and explained: "micrograd" for a Value
            (every node shows its number), "torchviz" for a Tensor (operations
            in grey, tensors in colour). This is the one place that tells
            scalars and tensors apart; everything else asks the nodes.
        order: every node, each before its inputs (the engine's order).
        index: node -> its position in ``order`` (its id in the DOT text).
        names: node -> the name shown for it in pictures and explanations.
    """

    def __init__(self, root, names: Mapping[str, object] | None = None):
        start: Node | None
        if isinstance(root, Value):
            self.style, start = "micrograd", root  # a Value is its own node
        elif isinstance(root, Tensor):
            self.style, start = "torchviz", graph_node(root)  # None: no graph at all
        else:
            raise TypeError(f"expected a Value or a Tensor, got {type(root).__name__}")
        self.root = root
        self.id_prefix = "v" if self.style == "micrograd" else "n"  # node ids in the DOT text
        self.order: list[Node] = [] if start is None else topological_order([start])
        self.index: dict[Node, int] = {node: i for i, node in enumerate(self.order)}
        self.names: dict[Node, str] = self._name_nodes(_names_by_id(names or {}))

    # --- names ---------------------------------------------------------------

    def root_name(self) -> str:
        return self.names[self.order[0]] if self.order else self._given_root_name

    def _name_nodes(self, given: dict[int, str]) -> dict:
        """A name for every node: given (label or ``names=``), else made from its inputs'."""
        self._given_root_name = given.get(id(self.root), "out")
        self._given = given
        # Values with no inputs and no name (numbers written in an expression, or
        # unlabelled parameters): their value is their name.
        self.unnamed_leaves: set = set()
        names: dict = {}
        compound: set = set()  # nodes named by an expression: parenthesised inside another
        for node in reversed(self.order):  # inputs before the nodes that use them
            name = node.label or _given_name(node, given)
            if name is None and node is self.order[0]:
                name = "out"
            if name is None:
                name, is_compound = self._made_up_name(node, names, compound)
                if is_compound:
                    compound.add(node)
            names[node] = name
        return names

    def _made_up_name(self, node, names: dict, compound: set) -> tuple[str, bool]:
        """A name made from the inputs' names ("w3*b"); the node's id if that gets long."""
        parents = [p for p in node.parents if p is not None]
        fallback = f"{self.id_prefix}{self.index[node]}"

        def operand(p) -> str:
            return f"({names[p]})" if p in compound else names[p]

        if node.is_leaf:
            if self.style == "micrograd":  # a number written in an expression: its value
                self.unnamed_leaves.add(node)
                return fmt.number(node.variable.data), False
            return fallback, False
        op = node.op
        symbol = _SYMBOLS.get(op)
        if symbol is not None and len(parents) == 2 == len(node.parents):
            glue = f" {symbol} " if symbol in "+-" else symbol
            name, is_compound = glue.join(operand(p) for p in parents), True
        elif op.startswith("**"):  # a Value's x ** 2 records the exponent in its op
            name, is_compound = f"{operand(parents[0])}{op}", True
        else:  # tanh(n); a tensor's ExpBackward0 is written exp(...)
            short = re.sub(r"Backward\d*$", "", op).lower()
            name, is_compound = f"{short}({', '.join(names[p] for p in parents)})", False
        if len(name) > MAX_NAME:
            return fallback, False
        return name, is_compound

    def d(self, node) -> str:
        """``w3`` or ``(w3*b)``: a node's name ready to follow the "d" of a derivative."""
        name = self.names[node]
        return name if _IDENTIFIER.fullmatch(name) else f"({name})"

    # --- DOT -------------------------------------------------------------------

    def to_dot(
        self,
        options: DrawOptions,
        *,
        styles: Mapping | None = None,
        edge_styles: Mapping | None = None,
        grads: Mapping | None = None,
    ):
        """The picture as a `Drawing`.

        The stepper passes extra styling: ``styles`` (node -> DOT attributes),
        ``edge_styles`` ((index of the user node, input position) -> DOT
        attributes) and ``grads`` (node -> gradient to show; when given, it
        replaces the ``.grad`` read from Values and leaves).
        """
        styles = styles or {}
        edge_styles = edge_styles or {}

        def drawing_in(rankdir: str):
            return lambda: picture.drawing(
                self, replace(options, rankdir=rankdir), styles, edge_styles, grads
            )

        if options.rankdir == "auto":
            return layout.narrower(drawing_in("LR"), drawing_in("TB"))
        return drawing_in(options.rankdir)()

    @property
    def root_leaf(self) -> Node | None:
        """The node of the output if the output is a leaf (a tensor's AccumulateGrad); else None."""
        if self.order and self.order[0].is_leaf:
            return self.order[0]
        return None


def _names_by_id(names: Mapping[str, object]) -> dict[int, str]:
    """id(object) -> name for the Values and Tensors in a dict such as ``locals()``.

    Names starting with "_" are skipped (IPython's ``_``, ``_1``, ``__``); an
    object with several names keeps the first. The ids are only looked up
    while ``names`` keeps the objects alive, so they cannot be reused.
    """
    by_id: dict[int, str] = {}
    for name, obj in names.items():
        if isinstance(obj, (Value, Tensor)) and not name.startswith("_"):
            by_id.setdefault(id(obj), name)
            if isinstance(obj, Tensor) and obj.grad_fn is not None:
                by_id.setdefault(id(obj.grad_fn), name)
    return by_id


def _given_name(node: Node, given: dict[int, str]) -> str | None:
    """The name given in ``names=`` to the node (a Value, a grad_fn) or to its leaf tensor."""
    for obj in (node, node.variable):
        if obj is not None and id(obj) in given:
            return given[id(obj)]
    return None
