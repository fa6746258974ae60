"""The backward engine on its own, with a toy node type that is neither a Value nor a tensor.

The engine (`minitensor.autograd.engine`) only calls the members of the node
protocol (`minitensor.autograd.protocol.Node`), so any class that has them can
be backpropagated. `Scale` below is the smallest such class: a node computes
``sum(factor_i * input_i)``, so its local derivative with respect to input i
is the constant ``factor_i``. With it we check the engine's order, the sum of
the gradients that arrive by several paths, hooks, freeing what nodes saved,
and the error for a node that returns the wrong number of gradients. Last, the
real node types are checked against the protocol.
"""

from __future__ import annotations

import pytest

import minitensor as mt
from minitensor import Value
from minitensor.autograd.engine import backward_steps, run_backward, topological_order
from minitensor.autograd.function import AccumulateGrad, BackwardNode, graph_node
from minitensor.autograd.protocol import Node


class Scale:
    """A toy node: ``out = factors[0] * parents[0] + factors[1] * parents[1] + ...``."""

    def __init__(self, label: str, parents=(), factors=(), extra_grads: int = 0):
        self.label = label
        self.parents = tuple(parents)
        self.factors = tuple(factors)
        self.extra_grads = extra_grads  # > 0: a buggy node returning too many gradients
        self.grad = 0.0
        self.hooks: list = []
        self.released = False
        self.hook_calls: list = []

    def __repr__(self) -> str:
        return self.label

    # --- what the engine uses
    def run_hooks(self, grad_output):
        for hook in self.hooks:
            self.hook_calls.append(grad_output)
            grad_output = hook(grad_output)
        return grad_output

    def chain_rule(self, grad_output, create_graph=False):
        if self.released:
            raise RuntimeError(f"{self.label}: backward through a freed node")
        return [grad_output * f for f in self.factors] + [0.0] * self.extra_grads

    def accumulate(self, grad):
        self.grad += grad

    def release(self):
        self.released = True

    # --- what pictures read
    op = "scale"
    variable = None
    saved = None

    @property
    def is_leaf(self) -> bool:
        return not self.parents

    @property
    def local_grads(self):
        return self.factors

    def grad_holders(self):
        return [self]

    def clear_grad(self):
        self.grad = 0.0


def diamond():
    """x feeds a = 2x and b = 3x; y = a + b; out = 10y. So d out/dx = 10 * (2 + 3) = 50."""
    x = Scale("x")
    a = Scale("a", [x], [2.0])
    b = Scale("b", [x], [3.0])
    y = Scale("y", [a, b], [1.0, 1.0])
    out = Scale("out", [y], [10.0])
    return x, a, b, y, out


def test_the_toy_node_is_a_node():
    assert isinstance(Scale("x"), Node)
    assert not isinstance(object(), Node)


def test_every_node_comes_after_every_node_that_uses_it():
    x, a, b, y, out = diamond()
    order = topological_order([out])
    assert order[0] is out and order[1] is y and order[-1] is x
    assert {order[2], order[3]} == {a, b}
    steps = list(backward_steps([out], [1.0]))
    assert [s.node for s in steps] == order
    assert [s.number for s in steps] == [0, 1, 2, 3, 4]
    assert steps[1].parents == (a, b) and steps[1].grad_inputs == (10.0, 10.0)


def test_gradients_from_several_paths_are_added_before_the_node_runs():
    x, a, b, y, out = diamond()
    steps = {s.node: s for s in backward_steps([out], [1.0])}
    # x is reached twice (via a: 10 * 2, via b: 10 * 3) and processed once, with the sum.
    assert steps[x].grad_output == 50.0
    assert (out.grad, y.grad, a.grad, b.grad, x.grad) == (1.0, 10.0, 10.0, 10.0, 50.0)


def test_the_engine_runs_lazily_one_step_per_next():
    x, _, _, y, out = diamond()
    steps = backward_steps([out], [1.0])
    first = next(steps)
    assert first.node is out and out.grad == 1.0 and y.grad == 0.0  # nothing else yet
    for _ in steps:
        pass
    assert x.grad == 50.0


def test_hooks_see_the_complete_gradient_once_and_may_replace_it():
    x, a, _, _, out = diamond()
    x.hooks.append(lambda g: g)
    a.hooks.append(lambda g: 2 * g)  # doubles what a sends on, and a's own .grad
    run_backward([out], [1.0])
    assert x.hook_calls == [10.0 * 2 * 2 + 10.0 * 3]  # one call, with the sum of both paths
    assert a.hook_calls == [10.0]
    assert a.grad == 20.0 and x.grad == 70.0


def test_nodes_are_released_unless_the_graph_is_retained():
    x, a, b, y, out = diamond()
    run_backward([out], [1.0], retain_graph=True)
    assert not any(n.released for n in (x, a, b, y, out))
    run_backward([out], [1.0])  # a second pass works, and gradients accumulate
    assert x.grad == 100.0
    assert all(n.released for n in (x, a, b, y, out))
    with pytest.raises(RuntimeError, match="freed"):
        run_backward([out], [1.0])


def test_accumulate_false_and_only_to():
    x, a, _, y, out = diamond()
    steps = list(backward_steps([out], [1.0], accumulate=False, only_to=[a]))
    assert [s.node for s in steps] == [out, y, a]  # b and x do not lead to a
    assert steps[-1].grad_output == 10.0
    assert (out.grad, y.grad, a.grad, x.grad) == (0.0, 0.0, 0.0, 0.0)


def test_constant_inputs_and_several_roots():
    x = Scale("x")
    # None: an input that needs no gradient (a constant); the engine skips it.
    u = Scale("u", [x, None], [4.0, 5.0])
    v = Scale("v", [x], [-1.0])
    steps = {s.node: s for s in backward_steps([u, v], [1.0, 2.0])}
    assert steps[u].grad_inputs == (4.0, 5.0) and steps[v].grad_inputs == (-2.0,)
    assert x.grad == 4.0 - 2.0


def test_a_wrong_number_of_gradients_is_an_error():
    x = Scale("x")
    y = Scale("y", [x, x], [1.0, 1.0], extra_grads=1)
    with pytest.raises(RuntimeError) as error:
        run_backward([y], [1.0])
    assert str(error.value) == (
        "function Scale returned an incorrect number of gradients (expected 2, got 3)"
    )


def as_nodes(value: Value, node: BackwardNode, leaf: AccumulateGrad, toy: Scale) -> list[Node]:
    """The static check: mypy (``mypy tests/test_engine.py``) accepts each type where a Node
    is expected only if it has every member of the protocol, with fitting types."""
    return [value, node, leaf, toy]


def test_value_and_the_tensor_nodes_meet_the_protocol():
    a = Value(2.0, label="a")
    assert isinstance(a, Node) and isinstance(a * a, Node)
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).exp()
    assert isinstance(y.grad_fn, BackwardNode) and isinstance(y.grad_fn, Node)
    leaf = graph_node(x)
    assert isinstance(leaf, AccumulateGrad) and isinstance(leaf, Node)
    # What each answers for a picture:
    assert (a.op, a.is_leaf, a.variable, a.label) == ("", True, a, "a")
    assert ((a * a).op, (a * a).local_grads) == ("*", (2.0, 2.0))
    assert (y.grad_fn.op, y.grad_fn.is_leaf, y.grad_fn.variable) == ("ExpBackward0", False, None)
    assert y.grad_fn.local_grads is None and len(y.grad_fn.saved) == 1  # exp saves its output
    assert (leaf.op, leaf.is_leaf, leaf.variable, leaf.saved) == ("AccumulateGrad", True, x, ())
    assert all(isinstance(n, Node) for n in as_nodes(a, y.grad_fn, leaf, Scale("s")))
    y.sum().backward()
    assert y.grad_fn.saved is None  # freed by backward
    assert leaf.grad_holders() == [x] and x.grad is not None
    leaf.clear_grad()
    assert x.grad is None


def test_every_protocol_member_is_documented():
    members = [name for name in vars(Node) if not name.startswith("_")]
    assert len(members) >= 14
    for name in members:
        member = vars(Node)[name]
        doc = (member.fget if isinstance(member, property) else member).__doc__
        assert doc and doc.strip(), f"Node.{name} has no docstring"
