"""`Node`: what a graph node must offer, written down as a `typing.Protocol`.

The backward engine (`minitensor.autograd.engine`) and the pictures and
stepper (`minitensor.viz`) never ask *what kind* of node they hold. They call
the members listed here, and every node type answers them in its own way:

* a scalar `Value` (`minitensor.scalar.value`) is its own node: it stores the
  local derivative of each input as a number in the forward pass;
* a tensor operation leaves a `BackwardNode` (its ``grad_fn``), which calls
  the operation's ``backward`` to compute vector-Jacobian products;
* a leaf tensor that requires grad is represented by an `AccumulateGrad` node
  (both in `minitensor.autograd.function`).

A Protocol is checked by shape, not by inheritance: none of these classes
derives from `Node`; each simply has the members below. mypy checks that
they fit wherever a `Node` is expected (``backward_steps([value], [1.0])``),
and ``isinstance(node, Node)`` checks at run time that the members exist.

The members come in two groups. The engine needs the first six; the second
group lets a picture or an explanation show a node without knowing its type.

Nodes are used as dictionary keys and set members, which compare objects by
identity as long as a node class does not define ``__eq__``/``__hash__``
(none does: a node is one particular operation in one particular graph).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Node(Protocol):
    """One node of a computation graph, as the engine and `minitensor.viz` see it."""

    # --- what the engine uses ----------------------------------------------------

    @property
    def parents(self) -> tuple[Node | None, ...]:
        """The nodes of the operation's inputs, in order (PyTorch: ``next_functions``).

        ``None`` stands for an input that needs no gradient (a constant).
        A leaf has no parents: ``()``.
        """
        ...

    @property
    def hooks(self) -> Collection[Any] | None:
        """The gradient hooks of this node (``tensor.register_hook``); empty or None if none.

        Testing this one attribute is all that a node without hooks costs the engine.
        """
        ...

    def run_hooks(self, grad_output: Any) -> Any:
        """The gradient after the hooks ran on it (called only when ``hooks`` is not empty).

        The engine then uses what this returns, for `chain_rule`, `accumulate`
        and its `Step`: a hook may replace the gradient.
        """
        ...

    def chain_rule(self, grad_output: Any, create_graph: bool = False) -> Sequence[Any]:
        """What the node sends to each input: upstream gradient x local derivative.

        Returns one entry per parent (``None`` where nothing is sent).
        ``create_graph`` asks the node to record this arithmetic as a graph of
        its own, so that it can be differentiated again (second derivatives).
        """
        ...

    def accumulate(self, grad: Any) -> None:
        """Store the node's finished gradient where the user sees it (``.grad``).

        Every `Value` keeps its gradient; for tensors only leaves
        (`AccumulateGrad`) and tensors that called ``retain_grad()`` do.
        """
        ...

    def release(self) -> None:
        """Free what the node saved for its backward (after its step, unless the graph is kept)."""
        ...

    # --- what pictures and explanations read -------------------------------------

    @property
    def op(self) -> str:
        """The operation that made the node, as pictures show it.

        ``"*"``, ``"tanh"`` for a Value (``""`` for an input); PyTorch's node
        names for tensors: ``"MulBackward0"``, ``"AccumulateGrad"``.
        """
        ...

    @property
    def label(self) -> str:
        """A name the node carries itself (``Value(2.0, label="a")``), or ``""``.

        Tensors carry none: pictures name them from ``draw(..., names=locals())``.
        """
        ...

    @property
    def is_leaf(self) -> bool:
        """True for an input of the graph: no operation made it, the chain rule stops here."""
        ...

    @property
    def variable(self) -> Any:
        """The object the user holds for this node, whose value a picture shows.

        A Value is its own node; an `AccumulateGrad` holds its leaf tensor. An
        operation's node returns None: it does not keep its output tensor
        (the output refers to the node, so that would be a reference cycle).
        """
        ...

    @property
    def local_grads(self) -> tuple[Any, ...] | None:
        """The local derivative d(node)/d(input) of each parent, if stored as numbers.

        A Value works them out in the forward pass. Tensor nodes return None:
        their `chain_rule` computes a vector-Jacobian product instead, and
        the Jacobian itself is never built.
        """
        ...

    @property
    def saved(self) -> tuple[Any, ...] | None:
        """What the node keeps for its backward, or None once `release` freed it.

        A Value keeps its local derivatives; a tensor operation the tensors
        its forward saved (and its output, if it asked for it); a leaf nothing.
        """
        ...

    def grad_holders(self) -> list[Any]:
        """The objects whose ``.grad`` `accumulate` writes (the Value; a leaf tensor;
        the tensors that called ``retain_grad()``)."""
        ...

    def clear_grad(self) -> None:
        """Set those ``.grad`` back to what they are before any backward (0.0 or None)."""
        ...
