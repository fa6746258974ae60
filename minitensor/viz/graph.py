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
from typing import Any

from minitensor.autograd.engine import topological_order
from minitensor.autograd.function import graph_node
from minitensor.autograd.protocol import Node
from minitensor.scalar.value import Value
from minitensor.tensor import Tensor
from minitensor.viz import format as fmt
from minitensor.viz import layout

# Fill colours (X11 names every Graphviz renderer knows), as torchviz uses them.
LEAF_COLOUR = "lightblue"
OUTPUT_COLOUR = "darkolivegreen1"
SAVED_COLOUR = "orange"
FUNCTION_COLOUR = "lightgrey"

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
            return lambda: self._drawing(
                replace(options, rankdir=rankdir), styles, edge_styles, grads
            )

        if options.rankdir == "auto":
            return layout.narrower(drawing_in("LR"), drawing_in("TB"))
        return drawing_in(options.rankdir)()

    def _drawing(self, options: DrawOptions, styles: Mapping, edge_styles: Mapping, grads):
        from minitensor.viz.render import Drawing

        drawn = self.order[: options.max_nodes]
        dot = Drawing(graph_attr={"rankdir": options.rankdir})
        dot.renderer = options.renderer
        dot.summary = f"graph of {self.root_name()} ({len(self.order)} nodes)"
        cut: dict = {}  # DOT ids of drawn nodes with an input left out (ordered set)
        args = (dot, drawn, options, styles, edge_styles, grads, cut)
        if self.style == "micrograd":
            self._value_nodes(*args)
        else:
            self._tensor_nodes(*args)
        left_out = len(self.order) - len(drawn)
        if left_out:
            dot.attr(label=f"{len(drawn)} of {len(self.order)} nodes drawn", labelloc="t")
            dot.node(
                "omitted",
                f"{left_out:,} more nodes not drawn\\n(draw(..., max_nodes=...) shows more)",
                shape="note",
                style="dashed",
            )
            for head in cut:
                dot.edge("omitted", head, style="dashed")
        return dot

    def _value_nodes(self, dot, drawn, options, styles, edge_styles, grads, cut) -> None:
        sideways = options.rankdir in ("LR", "RL")
        for i, node in enumerate(drawn):
            value = node.variable  # a Value is its own node
            fields = [self.names[node]]
            if options.show_data:
                fields.append(f"data {value.data:.4f}")
            if options.show_grad:
                grad = value.grad if grads is None else grads.get(node, 0.0)
                fields.append(f"grad {grad:.4f}")
            label = " | ".join(_record_field(f) for f in fields)
            # A record lays its fields across the rank direction: one above the
            # other in a left-to-right picture; braces turn them that way in a
            # top-to-bottom one. (Side by side, the boxes would be three times wider.)
            if not sideways:
                label = "{ " + label + " }"
            dot.node(f"v{i}", label, shape="record", **styles.get(node, {}))
            if node.is_leaf:
                continue
            op_id = f"v{i}_op"
            dot.node(op_id, _plain(node.op))
            dot.edge(op_id, f"v{i}")
            for position, parent in enumerate(node.parents):
                j = self.index[parent]
                if j >= len(drawn):
                    cut[op_id] = None
                else:
                    dot.edge(f"v{j}", op_id, **edge_styles.get((i, position), {}))

    def _tensor_nodes(self, dot, drawn, options, styles, edge_styles, grads, cut) -> None:
        dot.attr("node", shape="box", style="filled")
        saved_ids: dict[object, str] = {}  # saved tensor key -> its DOT id
        for i, node in enumerate(drawn):
            if node is self.root_leaf:
                # The output is a leaf: its blue box is the whole picture, as in torchviz.
                lines = self._leaf_lines(node, options, grads)
                colour = LEAF_COLOUR
            elif node.is_leaf:
                # The leaf tensor (blue) feeds its AccumulateGrad node (grey), which
                # adds the gradient that arrives into the leaf's .grad.
                lines = [node.op]  # torchviz's name for it: "AccumulateGrad"
                colour = FUNCTION_COLOUR
                leaf_lines = self._leaf_lines(node, options, grads)
                dot.node(
                    f"l{i}", "\\n".join(_plain(line) for line in leaf_lines), fillcolor=LEAF_COLOUR
                )
                dot.edge(f"l{i}", f"n{i}")
            else:
                lines = [node.op, self.names[node]]
                if options.show_grad and grads is not None and node in grads:
                    lines.append(f"grad {fmt.grad_text(grads[node])}")
                if options.show_saved:
                    self._saved_nodes(dot, node, f"n{i}", lines, saved_ids)
                colour = FUNCTION_COLOUR
            attrs = {"fillcolor": colour, **styles.get(node, {})}
            dot.node(f"n{i}", "\\n".join(_plain(line) for line in lines), **attrs)
            for position, parent in enumerate(node.parents):
                if parent is None:
                    continue
                j = self.index[parent]
                if j >= len(drawn):
                    cut[f"n{i}"] = None
                else:
                    dot.edge(f"n{j}", f"n{i}", **edge_styles.get((i, position), {}))
        self._output_node(dot, options)

    def _leaf_lines(self, node, options, grads) -> list[str]:
        tensor = node.variable  # the leaf tensor its AccumulateGrad node holds
        lines = [self.names[node], fmt.tensor_type(tensor)]
        if options.show_data and tensor.numel() <= fmt.SMALL:
            lines.append(f"data {fmt.tensor_values(tensor)}")
        grad = tensor.grad if grads is None else grads.get(node)
        if options.show_grad and grad is not None:
            lines.append(f"grad {fmt.grad_text(grad)}")
        return lines

    def _saved_nodes(self, dot, node, node_id: str, lines: list[str], saved_ids: dict) -> None:
        """torchviz's orange boxes: the tensors this node saved for its backward."""
        saved = node.saved
        if saved is None:  # a backward without retain_graph freed them
            lines.append("(saved tensors freed)")
            return
        # (key, name, tensor): a saved input is keyed by its id() (it may be saved by
        # several nodes); the node's own output (ctx.save_result) by the node, as it
        # is rebuilt each time it is read.
        boxes: list[tuple[object, str, Any]] = [
            (node_id, "result", t) if t.grad_fn is node else (id(t), self._given.get(id(t), ""), t)
            for t in saved
        ]
        for key, name, tensor in boxes:
            if key not in saved_ids:  # one box per tensor, however many nodes saved it
                saved_ids[key] = f"s{len(saved_ids)}"
                text = [
                    f"saved: {name}" if name else "saved",
                    fmt.tensor_type(tensor),
                ]
                if tensor.numel() <= fmt.SMALL:
                    text.append(fmt.tensor_values(tensor))
                label = "\\n".join(_plain(t) for t in text)
                dot.node(saved_ids[key], label, fillcolor=SAVED_COLOUR)
            dot.edge(saved_ids[key], node_id, style="dashed", arrowhead="none")

    @property
    def root_leaf(self) -> Node | None:
        """The node of the output if the output is a leaf (a tensor's AccumulateGrad); else None."""
        if self.order and self.order[0].is_leaf:
            return self.order[0]
        return None

    def _output_node(self, dot, options) -> None:
        """The output tensor itself (green), fed by its grad_fn, as torchviz draws it."""
        tensor = self.root
        if self.root_leaf is not None:
            return  # the output is a leaf: its blue box is the whole picture
        lines = [self.root_name(), fmt.tensor_type(tensor)]
        if options.show_data and tensor.numel() <= fmt.SMALL:
            lines.append(f"data {fmt.tensor_values(tensor)}")
        if not self.order:
            lines.append("(no graph: requires_grad=False)")
        dot.node("out", "\\n".join(_plain(line) for line in lines), fillcolor=OUTPUT_COLOUR)
        if self.order:
            dot.edge("n0", "out")


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


def _plain(text: str) -> str:
    """Text for a DOT label: a backslash must be doubled to be shown."""
    return text.replace("\\", "\\\\")


def _record_field(text: str) -> str:
    """Text for one field of a record label, where { } | < > are structure."""
    return re.sub(r"([{}|<>\\\"])", r"\\\1", text)
