"""The one backward engine, shared by the scalar `Value` and the n-d `Tensor`.

Backpropagation is the chain rule applied to a graph, one node at a time, in
an order where every node comes after all the nodes that use it (a reverse
topological order). When the engine reaches a node, every path from the
output has already delivered its contribution, so the node's gradient is
complete; the node then multiplies it by its *local* derivatives and sends
one contribution to each of its inputs.

The engine is written once, as a generator of `Step`s::

    for step in backward_steps([loss], [1.0]):
        print(step.node, step.grad_output, step.grad_inputs)

``Tensor.backward()`` simply runs the generator to the end; the step-through
widget (`minitensor.viz.Stepper`) runs it one click at a time, so the widget
shows the real engine at work, not a simulation of it.

``Value.backward()`` runs the same algorithm written out for Values alone, in
a dozen lines (`minitensor.scalar.value`): a Value has no hooks and nothing to
free, and a training step on Values builds tens of thousands of nodes, so
recording a `Step` for each would cost more than the arithmetic itself. Its
tests check that it gives the same gradients as the generator, bit for bit.

The node protocol
-----------------
The engine knows nothing about scalars or tensors. A graph node is any object
with the members of `minitensor.autograd.protocol.Node`; the engine uses six:

``parents``
    The input nodes, in order (``None`` for an input that needs no gradient).
``chain_rule(grad_output, create_graph)``
    The gradient sent to each parent (``upstream gradient x local derivative``).
``accumulate(grad)``
    Store the node's finished gradient in ``.grad``, where the user sees it.
``release()``
    Free what the node saved for its backward (unless ``retain_graph``).
``hooks`` and ``run_hooks(grad_output)``
    A node's hooks see its complete gradient and may replace it. ``hooks`` is
    empty (or None) for a node without hooks, and the engine then skips this
    step: testing one attribute is all it costs (see `minitensor.autograd.hooks`).

`Value`, `BackwardNode` and `AccumulateGrad` each answer these in their own
way; ``tests/test_engine.py`` runs the engine on a toy node type of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from minitensor.autograd.protocol import Node


class Step(NamedTuple):
    """What the engine did at one node.

    Attributes:
        number: 0 for the first node processed (the output), then 1, 2, ...
        node: the node processed.
        grad_output: the node's complete gradient (sum of every path's share),
            after the node's hooks if it has any.
        parents: the node's inputs (``node.parents`` at the time of the step).
        grad_inputs: what the node sent to each input, aligned with ``parents``.
    """

    number: int
    node: Node
    grad_output: Any
    parents: tuple[Node | None, ...]
    grad_inputs: tuple


def topological_order(roots: Iterable[Node | None]) -> list[Node]:
    """Every node reachable from ``roots``, each after all the nodes that use it.

    A depth-first search with an explicit stack instead of recursion, so a
    chain of a million nodes needs no deeper Python stack than a chain of two.
    A node is appended to ``postorder`` once all its parents are; reversing
    that list puts every node before its inputs.
    """
    postorder: list[Node] = []
    visited: set[Node] = set()
    for root in roots:
        if root is None or root in visited:
            continue
        visited.add(root)
        # Each stack entry is (node, iterator over its parents still to visit).
        stack = [(root, iter(root.parents))]
        while stack:
            node, pending = stack[-1]
            for parent in pending:
                if parent is not None and parent not in visited:
                    visited.add(parent)
                    stack.append((parent, iter(parent.parents)))
                    break
            else:  # all parents done: the node itself is done
                stack.pop()
                postorder.append(node)
    postorder.reverse()
    return postorder


def _nodes_leading_to(order: Sequence[Node], targets: Sequence[Node]) -> set[Node]:
    """The nodes in ``order`` from which some target can be reached.

    ``order`` lists users before inputs, so walking it backwards visits a
    node's parents before the node itself.
    """
    leads: set[Node] = set(targets)
    for node in reversed(order):
        if any(p is not None and p in leads for p in node.parents):
            leads.add(node)
    return leads


def backward_steps(
    roots: Sequence[Node | None],
    grad_roots: Sequence[Any],
    *,
    retain_graph: bool = False,
    create_graph: bool = False,
    accumulate: bool = True,
    only_to: Sequence[Node] | None = None,
) -> Iterator[Step]:
    """Run backpropagation from ``roots`` lazily, yielding one `Step` per node.

    Args:
        roots: the output nodes to differentiate.
        grad_roots: the gradient of each root (1.0 for a scalar loss).
        retain_graph: keep what nodes saved, so the graph can be walked again.
        create_graph: let nodes record their backward arithmetic (second derivatives).
        accumulate: call ``node.accumulate`` (fill ``.grad``); ``autograd.grad``
            passes False and reads the gradients from the steps instead.
        only_to: if given, only nodes that lead to one of these nodes are
            processed (``autograd.grad`` needs nothing else).

    Gradients arriving at a node from several paths are added up here, in
    ``pending``, before the node is processed: that sum is the multivariable
    chain rule. A node's hooks therefore see the sum, once.
    """
    order = topological_order(roots)
    wanted = None if only_to is None else _nodes_leading_to(order, only_to)
    pending: dict[Node, Any] = {}  # node -> sum of the gradients received so far
    for root, grad in zip(roots, grad_roots):
        if root is not None:
            pending[root] = _add(pending.get(root), grad)

    number = 0
    for node in order:
        grad_output = pending.pop(node, None)
        if grad_output is None:  # no path delivered a gradient to this node
            continue
        if wanted is not None and node not in wanted:
            continue
        if node.hooks:  # tensor.register_hook: the hooks may replace the gradient
            grad_output = node.run_hooks(grad_output)
        parents = node.parents
        grad_inputs = tuple(node.chain_rule(grad_output, create_graph))
        if len(grad_inputs) != len(parents):
            raise RuntimeError(
                f"function {type(node).__name__} returned an incorrect number of gradients "
                f"(expected {len(parents)}, got {len(grad_inputs)})"
            )
        if not retain_graph:
            node.release()
        if accumulate:
            node.accumulate(grad_output)
        for parent, grad in zip(parents, grad_inputs):
            if parent is None or grad is None:
                continue
            if parent in pending:  # several paths lead here: their shares add up
                pending[parent] = pending[parent] + grad
            else:
                pending[parent] = grad
        yield _new_step(Step, (number, node, grad_output, parents, grad_inputs))
        number += 1


# Step(...) goes through a __new__ written in Python (NamedTuple's); the engine
# makes one per node, so it builds the tuple directly, in half the time.
_new_step = tuple.__new__


def run_backward(roots: Sequence[Node | None], grad_roots: Sequence[Any], **options) -> None:
    """Run every step of `backward_steps` (what ``.backward()`` does)."""
    for _ in backward_steps(roots, grad_roots, **options):
        pass


def _add(total, grad):
    """Sum of gradients from two paths; ``None`` means "nothing yet"."""
    return grad if total is None else total + grad
