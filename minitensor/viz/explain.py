"""The chain rule of one backward step, in words and numbers (the stepper's text).

At each step the engine takes one node whose gradient is complete (every path
from the output has delivered its contribution, and they have been added
up), and sends one contribution to each input:

    contribution = upstream gradient × local derivative
    dL/dw3       = dL/d(w3*b)        × ∂(w3*b)/∂w3      = (-1.0) × 8.0 = -8.0

The local derivative is written with ∂ (a partial derivative: how this one
operation's output moves with one input); dL/d... is the whole derivative of
the output. Where an input is reached by several paths, its line says ``+=``:
this is one contribution, and the engine adds them all up.

Everything written here is read from the engine's `Step` (``grad_output``,
``grad_inputs``) and from the nodes, through the node protocol
(`minitensor.autograd.protocol.Node`): for a `Value`, the local derivatives it
stored in the forward pass (``local_grads``). Nothing is recomputed on the side.
The words differ between a Value graph and a tensor graph (``model.style``).
"""

from __future__ import annotations

from minitensor.viz import format as fmt

MAX_TERMS = 5  # a sum of more contributions than this is shortened with "..."


def introduction(model, total: int) -> str:
    """The text before the first step."""
    out = model.root_name()
    return (
        f"The backward pass of {out} takes {total} step{'s' if total != 1 else ''}: one per node, "
        "each node after every node that uses it (the engine's order).\n"
        f"Press Next: the first step starts from d{out}/d{out} = 1, the output's gradient "
        "with respect to itself."
    )


def explain(model, step, received: dict, total: int, uses: dict) -> str:
    """What the engine did at ``step``, as a few lines of text.

    Args:
        model: the `GraphModel` (names of the nodes).
        step: the engine's `Step`.
        received: node -> list of (sending node, gradient) that reached it so far.
        total: the number of steps of the whole pass.
        uses: node -> how many inputs of other nodes it is (the paths into it).
    """
    node = step.node
    lines = [f"Step {step.number + 1} of {total}: {_title(model, node)}", ""]
    lines += _gradient_lines(model, step, received.get(node, []))
    lines.append("")
    if model.style == "micrograd":
        lines += _value_sends(model, step, received, uses)
    else:
        lines += _tensor_sends(model, step, received, uses)
    if step.number + 1 == total:
        lines += ["", "Done: every gradient is complete. Each leaf's .grad now holds what "
                  "backward() gives:"]  # fmt: skip
        lines += _leaf_summary(model)
    return "\n".join(lines)


def _leaf_summary(model) -> list[str]:
    """One line per named leaf, inputs first: ``dL/dw1 = -36.0`` (read from its ``.grad``)."""
    lines = []
    for node in reversed(model.order):
        if not node.is_leaf or node in model.unnamed_leaves:
            continue
        grad = node.variable.grad  # the Value's, or the leaf tensor's
        if grad is None:
            continue
        value = fmt.scalar_value(grad)
        shown = fmt.grad_text(grad) if value is None else fmt.number(value)
        lines.append(f"  {_dl(model, node)} = {shown}")
    return lines


def _title(model, node) -> str:
    name = model.names[node]
    if node in model.unnamed_leaves:
        return f"the unnamed leaf {name} (a Value with no label: its value is its name)"
    if model.style == "micrograd":
        if node.is_leaf:
            return f"{name} (a leaf: an input of the graph)"
        return f"node {name} (made by {node.op})"
    if node.is_leaf:
        return f"{node.op} of the leaf {name}"  # AccumulateGrad
    return f"{node.op} (the node of {name})"


def _dl(model, node) -> str:
    """``dL/dw3``: the derivative of the output with respect to a node."""
    return f"d{model.root_name()}/d{model.d(node)}"


def _is(parent, uses: dict) -> str:
    """The sign: "=" for an input with one path to the output, "+=" for one path of several."""
    return "+=" if uses.get(parent, 0) > 1 else "="


def _gradient_lines(model, step, contributions: list) -> list[str]:
    """Where the node's gradient came from: the seed, one path, or a sum over paths."""
    node, total = step.node, fmt.grad_text(step.grad_output)
    lines = _received_lines(model, step, contributions, total)
    if node.hooks:  # tensor.register_hook: the gradient went through them
        received = _dl(model, node)
        lines.append(
            f"Hooks are registered on it (register_hook): they ran on {received} and what "
            f"they returned, {total}, is the gradient used from here on."
        )
    return lines


def _received_lines(model, step, contributions: list, total: str) -> list[str]:
    """The seed, one path, or the sum over paths (the sum before any hooks)."""
    node = step.node
    if step.number == 0 and not contributions:
        return [f"{_dl(model, node)} = {total}: the seed, the output's gradient w.r.t. itself."]
    if len(contributions) == 1:
        sender, grad = contributions[0]
        return [
            f"{_dl(model, node)} = {fmt.grad_text(grad)} (from {model.names[sender]}, its only "
            "path).",
            "Its gradient is complete.",
        ]
    terms = [f"({fmt.grad_text(g)} via {model.names[s]})" for s, g in contributions]
    if len(terms) > MAX_TERMS:
        terms = [*terms[: MAX_TERMS - 1], f"... ({len(terms) - MAX_TERMS + 1} more)"]
    total_of_paths = " + ".join(terms)
    if not node.hooks:  # (with hooks, the sum is not what they returned)
        total_of_paths += f" = {total}"
    return [
        f"{len(contributions)} paths reach {model.names[node]}: their contributions add up "
        "(the multivariable chain rule):",
        f"{_dl(model, node)} = {total_of_paths}",
        "Every path has arrived: the gradient is complete.",
    ]


def _value_sends(model, step, received, uses) -> list[str]:
    node = step.node
    grad = step.grad_output
    if node in model.unnamed_leaves:
        return [f"It has no inputs: the chain rule stops here. Its .grad = {fmt.number(grad)}"]
    if node.is_leaf:
        return [
            f"{model.names[node]} has no inputs: the chain rule stops here.",
            f"{model.names[node]}.grad = {fmt.number(grad)}",
        ]
    lines = [
        f"{model.d(node)}.grad = {fmt.number(grad)}. Each input gets "
        "upstream gradient × local derivative:"
    ]
    for parent, local, sent in zip(node.parents, node.local_grads, step.grad_inputs):
        lines.append(
            f"  {_dl(model, parent)} {_is(parent, uses)} {_dl(model, node)} × "
            f"∂{model.d(node)}/∂{model.d(parent)}"
            f" = {fmt.factor(grad)} × {fmt.factor(local)} = {fmt.number(sent)}"
        )
    return lines + _path_notes(model, step, received, uses)


def _tensor_sends(model, step, received, uses) -> list[str]:
    node = step.node
    if node.is_leaf:
        return [
            f"{model.names[node]} is a leaf: AccumulateGrad adds the gradient into "
            f"{model.names[node]}.grad = {fmt.grad_text(step.grad_output)}",
        ]
    upstream = fmt.scalar_value(step.grad_output)
    lines = [
        f"{node.op}.backward turns {_dl(model, node)} into one gradient per input "
        "(upstream gradient × local derivative):"
    ]
    for position, (parent, sent) in enumerate(zip(step.parents, step.grad_inputs)):
        if parent is None:
            lines.append(
                f"  input {position + 1} needs no gradient (a constant: requires_grad=False)"
            )
            continue
        if sent is None:
            lines.append(f"  no gradient for {model.names[parent]}")
            continue
        contribution = fmt.scalar_value(sent)
        rule = (
            f"  {_dl(model, parent)} {_is(parent, uses)} {_dl(model, node)} × "
            f"∂{model.d(node)}/∂{model.d(parent)}"
        )
        if upstream is not None and contribution is not None and upstream != 0:
            # With one number in and one out, the local derivative is a 1x1
            # Jacobian: the contribution divided by the upstream gradient.
            local = contribution / upstream
            lines.append(
                f"{rule} = {fmt.factor(upstream)} × {fmt.factor(local)} = "
                f"{fmt.number(contribution)}"
            )
        else:
            # A vector-Jacobian product: the Jacobian itself is never built.
            lines.append(
                f"{rule}: a vector-Jacobian product, shape {fmt.shape_text(sent.shape)}: "
                f"{fmt.grad_text(sent)}"
            )
    if upstream is None:
        lines.append(
            f"  (upstream {_dl(model, node)}: shape {fmt.shape_text(step.grad_output.shape)}: "
            f"{fmt.grad_text(step.grad_output)})"
        )
    return lines + _path_notes(model, step, received, uses)


def _path_notes(model, step, received, uses) -> list[str]:
    """For inputs reached by several paths: how many contributions have arrived so far."""
    notes = []
    seen: set = set()
    for parent in step.parents:
        if parent is None or parent in seen or uses.get(parent, 0) < 2:
            continue
        seen.add(parent)
        arrived = received.get(parent, [])
        if not arrived:
            continue
        so_far = arrived[0][1]
        for _, g in arrived[1:]:
            so_far = so_far + g
        notes.append(
            f"  {model.names[parent]} is reached by {uses[parent]} paths: {len(arrived)} "
            f"arrived so far (sum {fmt.grad_text(so_far)}); it waits for the others."
            if len(arrived) < uses[parent]
            else f"  {model.names[parent]}: all {uses[parent]} paths have arrived "
            f"(sum {fmt.grad_text(so_far)}): its gradient is complete."
        )
    return notes
