"""`Value`: one number that remembers how it was computed.

Every arithmetic operation on Values returns a new Value that records

* its inputs (``parents``, in order: ``a * a`` has the input ``a`` twice), and
* the *local derivative* of the result with respect to each input
  (``local_grads``), worked out right away in the forward pass, when
  every number it needs is at hand.

That is all backpropagation needs. The chain rule says a node's
contribution to input ``i`` is ``grad_output * local_grads[i]``;
`Value.backward` visits the nodes in reverse topological order, sums the
contributions that reach each node and stores the result in ``.grad``. (It
is the algorithm of the shared engine, `minitensor.autograd.engine`, in a
dozen lines; the engine's step-by-step form drives the stepper widget.)

Why store numbers rather than closures? micrograd stores a ``_backward``
closure on each result, and the closure refers to the result itself: a
reference cycle per node. Python's reference counting cannot free cycles,
so the cycle collector has to walk the whole graph again and again, which
costs most of micrograd's training time. Here a node refers only to its
inputs, the graph is a DAG of plain references, and it is freed the moment
the last reference to the output goes away.

Why two fields, ``first`` and ``second``, rather than a tuple of parents?
Every operation here has one input or two, and a tuple would be a second
object per node for the cycle collector to track. It still runs now and
then (Python cannot know the graph has no cycles), and each of its full
passes walks every object alive: one object per node instead of two halves
how often those passes come (on micrograd's demo step, from about two per
step to one) and shortens each.
``parents`` and ``local_grads`` give the same information as tuples.

    >>> a = Value(2.0, label="a")
    >>> b = Value(-3.0, label="b")
    >>> c = a * b + a
    >>> c.backward()
    >>> a.grad, b.grad         # dc/da = b + 1, dc/db = a
    (-2.0, 2.0)
"""

from __future__ import annotations

import math
from numbers import Real
from typing import cast

import numpy as np

from minitensor.autograd.engine import backward_steps, topological_order


def _as_value(x) -> Value:
    """Wrap a plain number as a constant Value; pass Values through."""
    return x if isinstance(x, Value) else Value(x)


class Value:
    """A float64 scalar node of a computation graph.

    Args:
        data: the number (an int, float or bool; NumPy scalars work too).
        label: a name shown in graph pictures and by the stepper.

    Attributes:
        data: the number, as a Python float.
        grad: d(output)/d(this node) after ``output.backward()``; 0.0 before.
        label: the name given, or ``""``.
        first, second: the inputs this Value was computed from (``second`` is None
            for one input, as in ``tanh``; both are None for an input of the graph).
        d_first, d_second: the local derivatives d(self)/d(first) and d(self)/d(second).
        parents: ``(first, second)``, ``(first,)`` or ``()``: the inputs, in order.
        local_grads: d(self)/d(parent) for each parent, in the same order.
        op: the operation that made this Value (``""`` for an input).
    """

    # __slots__ keeps each node small (no per-instance __dict__), which
    # matters when a training step builds a hundred thousand of them.
    __slots__ = (
        *("__weakref__", "data", "grad", "label", "op"),
        *("first", "second", "d_first", "d_second"),
    )

    def __init__(self, data, label: str = "", _prev=(), _local_grads=(), _op: str = ""):
        # _prev, _local_grads and _op are what the operations below record: the
        # inputs, d(result)/d(input) for each, and the operation's name (an input
        # of the graph has none).
        # The operations always pass a float, so test for that first: the
        # general isinstance(data, Real) check is slow (Real is an abstract class).
        if type(data) is not float:
            if not isinstance(data, Real):
                raise TypeError(
                    f"Value(data) needs a real number (int, float or bool), "
                    f"got {type(data).__name__}: {data!r}"
                )
            data = float(data)
        self.data = data
        self.grad = 0.0
        self.label = label
        self.op = _op
        inputs = len(_prev)
        if inputs == 2:
            self.first, self.second = _prev
            self.d_first, self.d_second = _local_grads
        elif inputs == 1:
            (self.first,), (self.d_first,) = _prev, _local_grads
            self.second, self.d_second = None, 0.0
        elif inputs == 0:  # an input of the graph
            self.first = self.second = None
            self.d_first = self.d_second = 0.0
        else:
            raise ValueError(f"a Value is made from at most two inputs, got {inputs}")

    @property
    def parents(self) -> tuple:
        """The inputs this Value was computed from, in order (``()`` for an input)."""
        if self.second is not None:
            return (self.first, self.second)
        return () if self.first is None else (self.first,)

    @property
    def local_grads(self) -> tuple:
        """d(self)/d(parent) for each of ``parents``, in the same order."""
        if self.second is not None:
            return (self.d_first, self.d_second)
        return () if self.first is None else (self.d_first,)

    def __repr__(self) -> str:
        return f"Value(data={self.data:.4f}, grad={self.grad:.4f})"

    # ------------------------------------------------------------------
    # The operations. Each one computes the result and, beside it, the
    # local derivative of the result with respect to each input.
    # ------------------------------------------------------------------

    # (The two most frequent operations pass their arguments by position and
    # test isinstance inline: keyword arguments and a helper call cost time.)

    def __add__(self, other) -> Value:
        if not isinstance(other, Value):
            other = Value(other)
        # d(a + b)/da = 1, d(a + b)/db = 1
        return Value(self.data + other.data, "", (self, other), (1.0, 1.0), "+")

    def __mul__(self, other) -> Value:
        if not isinstance(other, Value):
            other = Value(other)
        # d(a * b)/da = b, d(a * b)/db = a
        return Value(self.data * other.data, "", (self, other), (other.data, self.data), "*")

    def __pow__(self, exponent) -> Value:
        """``a ** k`` for a number k, or ``a ** b`` for a Value b."""
        if isinstance(exponent, Value):
            return self._pow_value(exponent)
        if not isinstance(exponent, Real):
            return NotImplemented
        k = float(exponent)
        base = self.data
        if base == 0.0 and k < 0:
            raise ZeroDivisionError(f"0.0 cannot be raised to the negative power {k}")
        if base < 0 and not k.is_integer():
            raise ValueError(
                f"a negative number ({base}) to the non-integer power {k} is not a real number"
            )
        # d(a ** k)/da = k * a ** (k - 1)
        local = 0.0 if k == 0 else k * base ** (k - 1)
        return Value(base**k, _prev=(self,), _local_grads=(local,), _op=f"**{exponent}")

    def _pow_value(self, exponent: Value) -> Value:
        a, b = self.data, exponent.data
        if a < 0:
            raise ValueError(
                f"a Value exponent needs a non-negative base (the derivative with respect "
                f"to the exponent is a**b * log(a)), got base {a}"
            )
        if a == 0.0 and b < 0:
            raise ZeroDivisionError(f"0.0 cannot be raised to the negative power {b}")
        out = a**b
        # d(a ** b)/da = b * a ** (b - 1);  d(a ** b)/db = a ** b * log(a).
        # At a == 0 the second is 0 * log(0); PyTorch takes it as 0, and so do we.
        d_base = 0.0 if b == 0 else b * a ** (b - 1)
        d_exponent = 0.0 if a == 0.0 else out * math.log(a)
        return Value(out, _prev=(self, exponent), _local_grads=(d_base, d_exponent), _op="**")

    def tanh(self) -> Value:
        # NumPy's tanh, like PyTorch's, is correctly rounded where math.tanh can be
        # one unit in the last place off (example E1: 0.7071067811865476, not ...477).
        t = float(np.tanh(self.data))
        # d tanh(x)/dx = 1 - tanh(x)**2
        return Value(t, _prev=(self,), _local_grads=(1.0 - t * t,), _op="tanh")

    def exp(self) -> Value:
        try:
            e = math.exp(self.data)
        except OverflowError:
            e = math.inf  # as float64 arithmetic (and PyTorch) gives
        # d exp(x)/dx = exp(x)
        return Value(e, _prev=(self,), _local_grads=(e,), _op="exp")

    def log(self) -> Value:
        if self.data <= 0:
            raise ValueError(f"log is only defined for positive numbers, got {self.data}")
        # d log(x)/dx = 1 / x
        return Value(math.log(self.data), _prev=(self,), _local_grads=(1.0 / self.data,), _op="log")

    def relu(self) -> Value:
        # d relu(x)/dx = 1 where x > 0, else 0 (PyTorch's choice at x == 0, too)
        if self.data > 0:
            return Value(self.data, _prev=(self,), _local_grads=(1.0,), _op="relu")
        return Value(0.0, _prev=(self,), _local_grads=(0.0,), _op="relu")

    def sigmoid(self) -> Value:
        x = self.data
        # Two forms of 1 / (1 + e^-x), each safe from overflow on its side of 0.
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        # d sigmoid(x)/dx = sigmoid(x) * (1 - sigmoid(x))
        return Value(s, _prev=(self,), _local_grads=(s * (1.0 - s),), _op="sigmoid")

    # ------------------------------------------------------------------
    # Operations built from the ones above: their graphs show the pieces.
    # ------------------------------------------------------------------

    def __neg__(self) -> Value:  # -a is a * -1
        return self * -1

    def __sub__(self, other) -> Value:  # a - b is a + (-b)
        return self + (-_as_value(other))

    def __truediv__(self, other) -> Value:  # a / b is a * b**-1
        return self * _as_value(other) ** -1

    def __radd__(self, other) -> Value:  # 2 + a
        return self + other

    def __rmul__(self, other) -> Value:  # 2 * a
        return self * other

    def __rsub__(self, other) -> Value:  # 2 - a
        return _as_value(other) + (-self)

    def __rtruediv__(self, other) -> Value:  # 2 / a
        return _as_value(other) * self**-1

    def __rpow__(self, other) -> Value:  # 2 ** a
        return _as_value(other) ** self

    # ------------------------------------------------------------------
    # The node protocol (minitensor.autograd.protocol.Node): a Value is
    # its own graph node. ``parents``, ``local_grads``, ``op`` and ``label``
    # are the attributes set above; first what else the engine uses, ...
    # ------------------------------------------------------------------

    # No gradient hooks on Values: the engine tests this and skips run_hooks.
    hooks = ()

    def run_hooks(self, grad_output: float) -> float:
        """The gradient unchanged (never called: a Value has no hooks)."""
        return grad_output

    def chain_rule(self, grad_output: float, create_graph: bool = False) -> list:
        """What this node sends to each input: upstream gradient x local derivative."""
        return [grad_output * local for local in self.local_grads]

    def accumulate(self, grad: float) -> None:
        """Add this backward pass's gradient to ``.grad`` (every Value keeps one)."""
        self.grad += grad

    def release(self) -> None:
        """Nothing to free: a Value's local derivatives are plain numbers."""

    # ... then what pictures and the stepper read.

    @property
    def is_leaf(self) -> bool:
        """True for an input: a Value no operation made."""
        return self.first is None

    @property
    def variable(self) -> Value:
        """The Value itself: it is its own node."""
        return self

    @property
    def saved(self) -> tuple:
        """What backward needs: the local derivatives (never freed: they are just numbers)."""
        return self.local_grads

    def grad_holders(self) -> list[Value]:
        """The Value itself: ``accumulate`` adds to its own ``.grad``."""
        return [self]

    def clear_grad(self) -> None:
        """``.grad`` back to 0.0, as before any backward."""
        self.grad = 0.0

    # ------------------------------------------------------------------

    def backward(self) -> None:
        """Fill ``.grad`` of every node in this Value's graph with d(self)/d(node).

        The seed d(self)/d(self) is 1. Gradients *accumulate*, as in PyTorch:
        calling ``backward()`` twice adds the same gradients twice. Call
        ``zero_grad()`` (or set ``.grad = 0.0``) between passes to start over.

        This is the engine's algorithm (`minitensor.autograd.engine.backward_steps`)
        with only what a Value needs: no hooks, nothing to free, no `Step`
        records. ``tests/test_scalar_value.py`` checks that both give the same
        gradients, bit for bit.
        """
        # Each node comes after every node that uses it. (Every node of a Value's
        # graph is a Value: the cast says so to the type checker, and costs nothing.)
        order = cast("list[Value]", topological_order([self]))
        grads = {self: 1.0}  # node -> sum of the gradients it has received so far
        for node in order:
            grad = grads.pop(node)  # complete: every user has sent its share
            node.grad += grad
            for parent, local in ((node.first, node.d_first), (node.second, node.d_second)):
                if parent is None:  # no (more) inputs
                    break
                if parent in grads:  # several paths lead here: their shares add up
                    grads[parent] += grad * local
                else:
                    grads[parent] = grad * local

    def backward_steps(self):
        """The backward pass as a generator of `Step`s, one per node (for the stepper)."""
        return backward_steps([self], [1.0])

    def zero_grad(self) -> None:
        """Set ``.grad`` of every node in this Value's graph back to 0.0."""
        for node in topological_order([self]):
            node.clear_grad()
