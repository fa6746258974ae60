"""The DOT text of a graph picture: `drawing`, which `GraphModel.to_dot` calls.

A `Value` graph (micrograd's style): a record box per Value (name, data,
grad) fed by an oval with its operation. A `Tensor` graph (torchviz's
style): a grey box per backward node, blue boxes for the leaf tensors, a
green one for the output and, with ``show_saved``, orange ones for the
tensors saved for backward. Node ids are positions in the model's order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from minitensor.viz import format as fmt

if TYPE_CHECKING:
    from minitensor.viz.graph import DrawOptions, GraphModel

# Fill colours (X11 names every Graphviz renderer knows), as torchviz uses them.
LEAF_COLOUR = "lightblue"
OUTPUT_COLOUR = "darkolivegreen1"
SAVED_COLOUR = "orange"
FUNCTION_COLOUR = "lightgrey"


def drawing(model: GraphModel, options: DrawOptions, styles: Mapping, edge_styles: Mapping, grads):
    """The picture of ``model`` as a `Drawing` (see `GraphModel.to_dot` for the styling)."""
    # render.py needs the graphviz package, which is optional: imported only to draw.
    from minitensor.viz.render import Drawing

    drawn = model.order[: options.max_nodes]
    dot = Drawing(graph_attr={"rankdir": options.rankdir})
    dot.renderer = options.renderer
    dot.summary = f"graph of {model.root_name()} ({len(model.order)} nodes)"
    cut: dict = {}  # DOT ids of drawn nodes with an input left out (ordered set)
    args = (dot, drawn, options, styles, edge_styles, grads, cut)
    if model.style == "micrograd":
        _value_nodes(model, *args)
    else:
        _tensor_nodes(model, *args)
    left_out = len(model.order) - len(drawn)
    if left_out:
        dot.attr(label=f"{len(drawn)} of {len(model.order)} nodes drawn", labelloc="t")
        dot.node(
            "omitted",
            f"{left_out:,} more nodes not drawn\\n(draw(..., max_nodes=...) shows more)",
            shape="note",
            style="dashed",
        )
        for head in cut:
            dot.edge("omitted", head, style="dashed")
    return dot


def _value_nodes(model: GraphModel, dot, drawn, options, styles, edge_styles, grads, cut) -> None:
    sideways = options.rankdir in ("LR", "RL")
    for i, node in enumerate(drawn):
        value = node.variable  # a Value is its own node
        fields = [model.names[node]]
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
            j = model.index[parent]
            if j >= len(drawn):
                cut[op_id] = None
            else:
                dot.edge(f"v{j}", op_id, **edge_styles.get((i, position), {}))


def _tensor_nodes(model: GraphModel, dot, drawn, options, styles, edge_styles, grads, cut) -> None:
    dot.attr("node", shape="box", style="filled")
    saved_ids: dict[object, str] = {}  # saved tensor key -> its DOT id
    for i, node in enumerate(drawn):
        if node is model.root_leaf:
            # The output is a leaf: its blue box is the whole picture, as in torchviz.
            lines = _leaf_lines(model, node, options, grads)
            colour = LEAF_COLOUR
        elif node.is_leaf:
            # The leaf tensor (blue) feeds its AccumulateGrad node (grey), which
            # adds the gradient that arrives into the leaf's .grad.
            lines = [node.op]  # torchviz's name for it: "AccumulateGrad"
            colour = FUNCTION_COLOUR
            leaf_lines = _leaf_lines(model, node, options, grads)
            dot.node(
                f"l{i}", "\\n".join(_plain(line) for line in leaf_lines), fillcolor=LEAF_COLOUR
            )
            dot.edge(f"l{i}", f"n{i}")
        else:
            lines = [node.op, model.names[node]]
            if options.show_grad and grads is not None and node in grads:
                lines.append(f"grad {fmt.grad_text(grads[node])}")
            if options.show_saved:
                _saved_nodes(model, dot, node, f"n{i}", lines, saved_ids)
            colour = FUNCTION_COLOUR
        attrs = {"fillcolor": colour, **styles.get(node, {})}
        dot.node(f"n{i}", "\\n".join(_plain(line) for line in lines), **attrs)
        for position, parent in enumerate(node.parents):
            if parent is None:
                continue
            j = model.index[parent]
            if j >= len(drawn):
                cut[f"n{i}"] = None
            else:
                dot.edge(f"n{j}", f"n{i}", **edge_styles.get((i, position), {}))
    _output_node(model, dot, options)


def _leaf_lines(model: GraphModel, node, options, grads) -> list[str]:
    tensor = node.variable  # the leaf tensor its AccumulateGrad node holds
    lines = [model.names[node], fmt.tensor_type(tensor)]
    if options.show_data and tensor.numel() <= fmt.SMALL:
        lines.append(f"data {fmt.tensor_values(tensor)}")
    grad = tensor.grad if grads is None else grads.get(node)
    if options.show_grad and grad is not None:
        lines.append(f"grad {fmt.grad_text(grad)}")
    return lines


def _saved_nodes(
    model: GraphModel, dot, node, node_id: str, lines: list[str], saved_ids: dict
) -> None:
    """torchviz's orange boxes: the tensors this node saved for its backward."""
    saved = node.saved
    if saved is None:  # a backward without retain_graph freed them
        lines.append("(saved tensors freed)")
        return
    # (key, name, tensor): a saved input is keyed by its id() (it may be saved by
    # several nodes); the node's own output (ctx.save_result) by the node, as it
    # is rebuilt each time it is read.
    boxes: list[tuple[object, str, Any]] = [
        (node_id, "result", t) if t.grad_fn is node else (id(t), model._given.get(id(t), ""), t)
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


def _output_node(model: GraphModel, dot, options) -> None:
    """The output tensor itself (green), fed by its grad_fn, as torchviz draws it."""
    tensor = model.root
    if model.root_leaf is not None:
        return  # the output is a leaf: its blue box is the whole picture
    lines = [model.root_name(), fmt.tensor_type(tensor)]
    if options.show_data and tensor.numel() <= fmt.SMALL:
        lines.append(f"data {fmt.tensor_values(tensor)}")
    if not model.order:
        lines.append("(no graph: requires_grad=False)")
    dot.node("out", "\\n".join(_plain(line) for line in lines), fillcolor=OUTPUT_COLOUR)
    if model.order:
        dot.edge("n0", "out")


def _plain(text: str) -> str:
    """Text for a DOT label: a backslash must be doubled to be shown."""
    return text.replace("\\", "\\\\")


def _record_field(text: str) -> str:
    """Text for one field of a record label, where { } | < > are structure."""
    return re.sub(r"([{}|<>\\\"])", r"\\\1", text)
