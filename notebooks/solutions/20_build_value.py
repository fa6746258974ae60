"""Worked solutions for notebook 20 (build it yourself: a Value and backward).

Each operation's ``_backward`` adds (+=, never =) the gradient that arrived
at the output, ``out.grad``, times the local derivative:

20.1  out = a * b: d out/d a = b and d out/d b = a.
20.2  out = tanh(x): 1 - tanh(x)**2, and tanh(x) is out.data.
20.3  out = exp(x): exp(x), which is out.data.
20.4  out = x**k: k * x**(k - 1).
20.5  backward: a topological order (each node after its inputs, each node
      once), the seed self.grad = 1, then every _backward in reverse order.
20.6  The same sort with an explicit stack instead of recursion, so that a
      chain of any length fits (Python allows about 1,000 nested calls).
20.7  Reset every .grad to 0 (backward adds to it), backward, then step
      against the gradient: p.data -= lr * p.grad.
"""

import math


class Value:
    """A number that remembers how it was computed."""

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._prev = tuple(_children)
        self._op = _op
        self._backward = lambda: None

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad

        out._backward = _backward
        return out

    __radd__ = __add__

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    __rmul__ = __mul__

    def tanh(self):
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1 - out.data**2) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k):
        assert isinstance(k, (int, float)), "only a number as the exponent"
        out = Value(self.data**k, (self,), f"**{k}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1

    def backward(self):
        # Depth-first, with a stack instead of recursion. A node is appended to
        # `order` once all its inputs are in it ("visit the children first").
        order, visited = [], set()
        stack = [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev if child not in visited)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


def train(w, b, points, lr, steps):
    w = [Value(v) for v in w]
    b = Value(b)
    losses = []
    for _ in range(steps):
        loss = Value(0.0)
        for x, y in points:
            out = (w[0] * x[0] + w[1] * x[1] + b).tanh()
            loss = loss + (out - y) ** 2
        for p in [*w, b]:
            p.grad = 0.0
        loss.backward()
        for p in [*w, b]:
            p.data -= lr * p.grad
        losses.append(loss.data)
    return w, b, losses


SOLUTIONS = {
    "20.1": Value,
    "20.2": Value,
    "20.3": Value,
    "20.4": Value,
    "20.5": Value,
    "20.6": Value,
    "20.7": train,
}
