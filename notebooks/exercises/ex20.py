"""Checks for notebook 20 (build it yourself: a `Value` class and its backward pass).

The student's class follows the notebook's skeleton (micrograd's design):
``Value(data, _children, _op)`` with ``.data``, ``.grad``, ``._prev`` and a
``._backward`` function that sends ``out.grad`` on to the children.

Each operation is checked on its own: the checker builds ``out = op(inputs)``,
puts a gradient of its choosing in ``out.grad`` (not 1, so that a forgotten
``* out.grad`` shows), calls ``out._backward()`` and compares the inputs'
gradients with the local derivative worked out here. The backward pass and
the training loop are compared with minitensor's own engine on the same graph.
"""

from __future__ import annotations

import math
import sys

import minitensor
from exercises import Exercise
from exercises.feedback import number, wrong_number

_UPSTREAM = 0.5  # the gradient the checks put into out.grad: not 1, so "* out.grad" shows


def _not_a_class(answer, exercise_id: str) -> str | None:
    if not isinstance(answer, type):
        return f"Pass your class itself: check({exercise_id!r}, Value)."
    return None


def _run_local(out, upstream: float = _UPSTREAM) -> None:
    out.grad = upstream
    out._backward()


def _accumulates(Value, make, name: str) -> str | None:
    """The input's grad already holds 1.0 (another path's share): the op must add to it."""
    x = Value(0.7)
    x.grad = 1.0
    out = make(x)
    _run_local(out)
    fresh = Value(0.7)
    _run_local(make(fresh))
    if math.isclose(x.grad, fresh.grad, rel_tol=1e-9) and fresh.grad != 0:
        return (
            f"x.grad already held 1.0 (delivered by another path), and after {name}'s "
            f"_backward it is {number(x.grad)}: the 1.0 was overwritten. Gradients from "
            "different paths add up: use += instead of =."
        )
    return None


# --- 20.1: multiplication -------------------------------------------------------------------


def _diagnose_mul(Value) -> str | None:
    if message := _not_a_class(Value, "20.1"):
        return message
    a, b = Value(2.0), Value(-3.0)
    out = a * b
    if not math.isclose(out.data, -6.0):
        return f"Forward: Value(2.0) * Value(-3.0) gave data {number(out.data)}, expected -6."
    _run_local(out)
    for name, got, other, own in [("a", a.grad, b.data, a.data), ("b", b.grad, a.data, b.data)]:
        expected = other * _UPSTREAM
        if math.isclose(got, expected):
            continue
        where = f"In out = a * b with a = 2, b = -3 and out.grad = {_UPSTREAM}, {name}.grad"
        if math.isclose(got, other):
            return (
                f"{where} is {number(got)}, expected {number(expected)}: that is the local "
                "derivative alone. Multiply it by out.grad, the gradient that arrived from above."
            )
        if math.isclose(got, own * _UPSTREAM):
            return (
                f"{where} is {number(got)}, expected {number(expected)}: the derivative of a * b "
                f"with respect to {name} is the *other* factor."
            )
        return wrong_number(where, got, expected)
    a = Value(3.0)
    _run_local(a * a, 1.0)
    if not math.isclose(a.grad, 6.0):
        if math.isclose(a.grad, 3.0):
            return (
                "In out = a * a with a = 3, a.grad is 3, expected 6: it is off by a factor "
                "of 2 where a is used twice: did you assign (=) instead of add (+=)?"
            )
        return wrong_number("In out = a * a with a = 3, a.grad", a.grad, 6.0)
    if message := _accumulates(Value, lambda x: x * Value(4.0), "a * b"):
        return message
    a = Value(3.0)
    try:
        doubled = 2 * a
    except TypeError:
        return "2 * Value(3.0) failed: Python asks Value.__rmul__ for a number on the left."
    if not math.isclose(doubled.data, 6.0):
        return f"2 * Value(3.0) gave data {number(doubled.data)}, expected 6."
    return None


# --- 20.2 to 20.4: tanh, exp, powers ---------------------------------------------------------


def _check_unary(Value, name, make, points, value, slope, slips) -> str | None:
    """Forward and local derivative of a one-input op at several points.

    value(x) and slope(x) are the exact forward value and local derivative;
    slips maps a description of a typical mistake to the gradient it would give.
    """
    for x in points:
        node = Value(x)
        out = make(node)
        if not math.isclose(out.data, value(x), rel_tol=1e-9, abs_tol=1e-12):
            return (
                f"Forward: {name} at {x} gave data {number(out.data)}, expected {number(value(x))}."
            )
        _run_local(out)
        expected = slope(x) * _UPSTREAM
        if math.isclose(node.grad, expected, rel_tol=1e-7, abs_tol=1e-12):
            continue
        where = f"For out = {name} at x = {x} with out.grad = {_UPSTREAM}, x.grad"
        for mistake, gives in slips.items():
            if math.isclose(node.grad, gives(x), rel_tol=1e-7, abs_tol=1e-12):
                return f"{where} is {number(node.grad)}, expected {number(expected)}: {mistake}"
        return wrong_number(where, node.grad, expected)
    return _accumulates(Value, make, name)


def _diagnose_tanh(Value) -> str | None:
    if message := _not_a_class(Value, "20.2"):
        return message

    def t(x):
        return math.tanh(x)

    return _check_unary(
        Value,
        "x.tanh()",
        lambda v: v.tanh(),
        [0.8813735870195432, 0.0, -2.0, 3.0],
        t,
        lambda x: 1 - t(x) ** 2,
        {
            "that is 1 - x**2 times out.grad: the local derivative is 1 - tanh(x)**2, "
            "and tanh(x) is already computed (out.data).": lambda x: (1 - x**2) * _UPSTREAM,
            "that is the local derivative alone. Multiply it by out.grad, the gradient that "
            "arrived from above.": lambda x: 1 - t(x) ** 2,
            "the sign is wrong.": lambda x: -(1 - t(x) ** 2) * _UPSTREAM,
        },
    )


def _diagnose_exp(Value) -> str | None:
    if message := _not_a_class(Value, "20.3"):
        return message
    return _check_unary(
        Value,
        "x.exp()",
        lambda v: v.exp(),
        [1.0, 0.0, -2.0, 0.5],
        math.exp,
        math.exp,
        {
            "that is x times out.grad. The derivative of e**x is e**x itself, and it is "
            "already computed (out.data).": lambda x: x * _UPSTREAM,
            "that is the local derivative alone. Multiply it by out.grad, the gradient that "
            "arrived from above.": math.exp,
        },
    )


def _diagnose_pow(Value) -> str | None:
    if message := _not_a_class(Value, "20.4"):
        return message
    for k in (2, 3, -1, 0.5, 0):
        points = [2.0, 4.0] if k == 0.5 else [2.0, -1.5, 0.5]
        message = _check_unary(
            Value,
            f"x ** {k}",
            lambda v, k=k: v**k,
            points,
            lambda x, k=k: x**k,
            lambda x, k=k: k * x ** (k - 1),
            {
                f"that is {k} * x**{k}: the power drops by one, x**(k - 1).": (
                    lambda x, k=k: k * x**k * _UPSTREAM
                ),
                f"that is x**({k} - 1) without the factor k = {k} in front.": (
                    lambda x, k=k: x ** (k - 1) * _UPSTREAM
                ),
                "that is the local derivative alone. Multiply it by out.grad, the gradient "
                "that arrived from above.": lambda x, k=k: k * x ** (k - 1),
            },
        )
        if message:
            return message
    return None


# --- 20.5 and 20.6: backward() -----------------------------------------------------------------


def _node(Value, data, children, local_grads, op):
    """A node made by the checker's own (correct) operation, on the student's class."""
    out = Value(data, tuple(children), op)

    def _backward():
        for child, local in zip(children, local_grads):
            child.grad += local * out.grad

    out._backward = _backward
    return out


def _neuron(Value, make_node):
    """o = tanh(x1*w1 + x2*w2 + b) built with ``make_node``: (leaves by name, o)."""
    leaves = {
        name: Value(data)
        for name, data in [("x1", 2.0), ("w1", -3.0), ("x2", 0.0), ("w2", 1.0), ("b", 6.8813)]
    }
    x1, w1, x2, w2, b = leaves.values()
    p1 = make_node(x1.data * w1.data, [x1, w1], [w1.data, x1.data], "*")
    p2 = make_node(x2.data * w2.data, [x2, w2], [w2.data, x2.data], "*")
    s = make_node(p1.data + p2.data, [p1, p2], [1.0, 1.0], "+")
    n = make_node(s.data + b.data, [s, b], [1.0, 1.0], "+")
    t = math.tanh(n.data)
    return leaves, make_node(t, [n], [1 - t**2], "tanh")


def _reuse(Value, make_node):
    """Values used on several paths: s = a*b, d = (s*s + s) * a. (leaves by name, d)."""
    a, b = Value(3.0), Value(-2.0)
    s = make_node(a.data * b.data, [a, b], [b.data, a.data], "*")
    square = make_node(s.data * s.data, [s, s], [s.data, s.data], "*")
    c = make_node(square.data + s.data, [square, s], [1.0, 1.0], "+")
    return {"a": a, "b": b}, make_node(c.data * a.data, [c, a], [a.data, c.data], "*")


def _reference(graph) -> dict[str, float]:
    """The gradients minitensor's own engine gives for the same graph."""

    def make_node(data, children, local_grads, op):
        return minitensor.Value(
            data, _prev=tuple(children), _local_grads=tuple(local_grads), _op=op
        )

    leaves, root = graph(minitensor.Value, make_node)
    root.backward()
    return {name: leaf.grad for name, leaf in leaves.items()}


def _compare_backward(Value, graph, description) -> str | None:
    leaves, root = graph(Value, lambda *args: _node(Value, *args))
    root.backward()
    expected = _reference(graph)
    if root.grad == 0:
        return (
            f"After backward() on {description}, the output's own grad is 0 and so is every "
            "other: backward must start from d(out)/d(out) = 1 (self.grad = 1.0)."
        )
    for name, leaf in leaves.items():
        want = expected[name]
        if math.isclose(leaf.grad, want, rel_tol=1e-9, abs_tol=1e-12):
            continue
        message = wrong_number(f"In {description}, {name}.grad", leaf.grad, want)
        if leaf.grad == 0:
            message += (
                " Did every node run _backward, and only after all the nodes that use it "
                "(in reverse topological order, output first)?"
            )
        elif want != 0 and leaf.grad / want > 1.5:
            message += (
                " Some _backward ran more than once: a node reached by two paths must appear "
                "once in the topological order (remember which nodes you visited)."
            )
        else:
            message += (
                " A node's _backward must run only after every node that uses it has run "
                "(reverse topological order, output first)."
            )
        return message
    return None


def _diagnose_backward(Value) -> str | None:
    if message := _not_a_class(Value, "20.5"):
        return message
    return _compare_backward(Value, _neuron, "o = tanh(x1*w1 + x2*w2 + b)") or _compare_backward(
        Value, _reuse, "s = a*b, d = (s*s + s) * a"
    )


def _survives(Value, depth: int) -> bool:
    """Does backward() get through a chain of ``depth`` nodes (x -> y1 -> ... -> y_depth)?"""
    x = Value(1.0)
    y = x
    for _ in range(depth):
        y = _node(Value, y.data, [y], [1.0], "id")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(min(limit, 3000))  # the default is 1000: keep deep recursion safe
    try:
        y.backward()
    except RecursionError:
        return False
    finally:
        sys.setrecursionlimit(limit)
    return x.grad == 1.0


DEPTHS = [100, 1_000, 10_000, 100_000]


def _diagnose_deep_backward(Value) -> str | None:
    if message := _not_a_class(Value, "20.6"):
        return message
    if message := _diagnose_backward(Value):
        return "First make exercise 20.5 right. " + message
    survived = 0
    for depth in DEPTHS:
        if not _survives(Value, depth):
            reached = f"a chain of {survived:,} nodes" if survived else "even a short chain"
            return (
                f"Your backward() gets through {reached} but fails at {depth:,} with a "
                "RecursionError: a recursive topological sort uses one Python call per node, "
                "and Python allows about a thousand. Keep your own stack (a list) instead."
            )
        survived = depth
    return None


# --- 20.7: training with your engine -------------------------------------------------------

_POINTS = [([2.0, 3.0], 1.0), ([-1.0, -1.5], -1.0), ([0.5, -2.0], -1.0), ([1.0, 1.0], 1.0)]
_START = ([0.1, -0.2], 0.05)
_LR, _STEPS = 0.1, 20


def _reference_training(zero_grads: bool = True, sign: float = -1.0):
    """w, b and the losses of the notebook's loop, run with minitensor's Value."""
    V = minitensor.Value
    w, b = [V(v) for v in _START[0]], V(_START[1])
    losses = []
    for _ in range(_STEPS):
        loss = V(0.0)
        for x, y in _POINTS:
            out = (w[0] * x[0] + w[1] * x[1] + b).tanh()
            loss = loss + (out - y) ** 2
        if zero_grads:
            for p in [*w, b]:
                p.grad = 0.0
        loss.backward()
        for p in [*w, b]:
            p.data += sign * _LR * p.grad
        losses.append(loss.data)
    return [p.data for p in w], b.data, losses


def _diagnose_train(train) -> str | None:
    if not callable(train):
        return "Pass your function itself: check('20.7', train)."
    result = train(list(_START[0]), _START[1], _POINTS, _LR, _STEPS)
    if result is None:
        return "train returned None: return w, b, losses."
    w, b, losses = result
    got = [float(getattr(v, "data", v)) for v in w] + [float(getattr(b, "data", b))]
    want_w, want_b, want_losses = _reference_training()
    if all(math.isclose(g, e, rel_tol=1e-7) for g, e in zip(got, [*want_w, want_b])):
        return None
    stale_w, stale_b, _ = _reference_training(zero_grads=False)
    if all(math.isclose(g, e, rel_tol=1e-7) for g, e in zip(got, [*stale_w, stale_b])):
        return (
            "Your weights are those of a loop that never resets the gradients: backward() "
            "adds to .grad, so each step also followed all the earlier steps' gradients. Set "
            "every parameter's .grad to 0 before loss.backward()."
        )
    losses = [float(getattr(v, "data", v)) for v in losses]
    if len(losses) >= 2 and losses[-1] > losses[0]:
        return (
            f"The loss went up, from {number(losses[0])} to {number(losses[-1])}: a step "
            "must go against the gradient (p.data -= lr * p.grad)."
        )
    return (
        f"After {_STEPS} steps w, b = {[number(v) for v in got]}, expected "
        f"{[number(v) for v in [*want_w, want_b]]} (the loss should fall from "
        f"{number(want_losses[0])} to {number(want_losses[-1])})."
    )


EXERCISES = {
    "20.1": Exercise(question="Value.__mul__ and its _backward", diagnose=_diagnose_mul),
    "20.2": Exercise(question="Value.tanh and its _backward", diagnose=_diagnose_tanh),
    "20.3": Exercise(question="Value.exp and its _backward", diagnose=_diagnose_exp),
    "20.4": Exercise(question="Value.__pow__ (a number as exponent)", diagnose=_diagnose_pow),
    "20.5": Exercise(
        question="Value.backward: a topological sort, then _backward from the output",
        diagnose=_diagnose_backward,
    ),
    "20.6": Exercise(
        question="a backward() that survives a chain of 100,000 nodes",
        diagnose=_diagnose_deep_backward,
    ),
    "20.7": Exercise(
        question="train(w, b, points, lr, steps) with your Value: returns w, b, losses",
        diagnose=_diagnose_train,
    ),
}
