"""Worked solutions for notebook 21 (build it yourself: tensor backward).

21.1  Broadcasting lines shapes up from the right. Sum the gradient over the
      extra leading axes, then over every axis where the input had size 1
      (keeping it, so the shape comes back exactly).
21.2  d(a*b)/da = b and d(a*b)/db = a, times the upstream gradient, each summed
      back to its input's shape.
21.3  out = A @ B with A m x k, B k x n, G m x n: grad_A = G @ B.T (m x k) and
      grad_B = A.T @ G (k x n). The shapes allow no other product.
"""

import numpy as np


def sum_to_shape(grad, shape):
    extra = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, size in enumerate(shape) if size == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True)


def mul_backward(grad, a, b):
    a, b = np.asarray(a), np.asarray(b)
    return sum_to_shape(grad * b, a.shape), sum_to_shape(grad * a, b.shape)


def matmul_backward(G, A, B):
    return G @ B.T, A.T @ G


# 21.4 needs no code of its own: the notebook's Tensor class, running the three
# functions above.
class Tensor:
    """An array that remembers how it was computed (your Value, one dimension up)."""

    def __init__(self, data, _children=()):
        self.data = np.asarray(data, dtype=float)
        self.grad = np.zeros_like(self.data)
        self._prev = tuple(_children)
        self._backward = lambda: None

    def __add__(self, other):
        other = other if isinstance(other, Tensor) else Tensor(other)
        out = Tensor(self.data + other.data, (self, other))

        def _backward():
            self.grad += sum_to_shape(out.grad, self.data.shape)
            other.grad += sum_to_shape(out.grad, other.data.shape)

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Tensor) else Tensor(other)
        out = Tensor(self.data * other.data, (self, other))

        def _backward():
            grad_self, grad_other = mul_backward(out.grad, self.data, other.data)
            self.grad += grad_self
            other.grad += grad_other

        out._backward = _backward
        return out

    def __matmul__(self, other):
        out = Tensor(self.data @ other.data, (self, other))

        def _backward():
            grad_self, grad_other = matmul_backward(out.grad, self.data, other.data)
            self.grad += grad_self
            other.grad += grad_other

        out._backward = _backward
        return out

    def sum(self):
        out = Tensor(self.data.sum(), (self,))

        def _backward():
            self.grad += out.grad  # a scalar, broadcast to every entry that was summed

        out._backward = _backward
        return out

    def backward(self):
        order, visited, stack = [], set(), [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)
        self.grad = np.ones_like(self.data)
        for node in reversed(order):
            node._backward()


SOLUTIONS = {
    "21.1": sum_to_shape,
    "21.2": mul_backward,
    "21.3": matmul_backward,
    "21.4": Tensor,
}
