# %% [markdown]
# # 21 · Build it yourself, 2: the backward of tensor operations
#
# Your `Value` of notebook 20 handles one number at a time. A real network computes
# with arrays, and every rule you wrote still holds, entry by entry. Two things are new,
# and this notebook is about them:
#
# * **The gradient has the shape of the parameter.** `W.grad` is an array shaped like
#   `W`, whatever shape the output has.
# * **Broadcasting** copies an input along some axes; each copy sends back its own
#   gradient, and they add up.
#
# You write the three backward rules that carry these ideas, as NumPy functions, and each
# check compares them with minitensor's `backward()` on several shapes. At the end they
# run inside a small tensor engine built like your `Value`.

# %%
import numpy as np

import minitensor as mt
from exercises import check

# %% [markdown]
# ## Broadcasting, and what it does to gradients
#
# Adding a bias row `b` (3 numbers) to a batch `x` (4 rows of 3) uses each entry of `b`
# four times, once per row. Each use sends back the gradient of its row, so `b.grad`
# is the **sum over the batch**:

# %%
x = mt.ones(4, 3, requires_grad=True)
b = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x + b  # b is broadcast to 4 x 3
y.backward(mt.ones(4, 3))  # every output entry sends back a gradient of 1
print("x.grad:", x.grad.shape, " b.grad:", b.grad)

# %% [markdown]
# Broadcasting lines the shapes up **from the right**. It stretches an axis of size 1
# to the other's size, and it adds missing axes at the front: `(3,)` becomes `(1, 3)`,
# then `(4, 3)`. To send a gradient back, undo both: sum over the added leading axes,
# then over each stretched axis, keeping it with size 1.
#
# ### Exercise 21.1: `sum_to_shape`
#
# Write `sum_to_shape(grad, shape)`: `grad` has the broadcast output's shape, and the
# result must have exactly `shape` (a tuple, possibly `()` for a scalar). The check tries
# seven pairs of shapes.


# %%
def sum_to_shape(grad, shape):
    raise NotImplementedError()


check("21.1", sum_to_shape)

# %% [markdown]
# ### Exercise 21.2: elementwise product
#
# For `out = a * b` (with broadcasting) the local derivatives are the same as for your
# `Value`: the other factor. Write `mul_backward(grad, a, b)`, returning
# `(grad_a, grad_b)`, each with its input's shape (use your `sum_to_shape`).


# %%
def mul_backward(grad, a, b):
    raise NotImplementedError()


check("21.2", mul_backward)

# %% [markdown]
# ## Matrix products: let the shapes guide you
#
# For `out = A @ B` with `A` of shape $m \times k$ and `B` of shape $k \times n$, the
# gradient `G` that arrives at `out` is $m \times n$. Each entry
# $\mathrm{out}_{ij} = \sum_p A_{ip} B_{pj}$ uses a whole row of `A` and a whole column of
# `B`, and a derivation entry by entry gives the rule. But you can find it from the shapes
# alone: `grad_A` must be $m \times k$, and only one product of `G` ($m \times n$) with `B`
# or its transpose has that shape. Likewise `grad_B`, $k \times n$, from `A` and `G`.
#
# ### Exercise 21.3: `matmul_backward`
#
# Write `matmul_backward(G, A, B)`, returning `(grad_A, grad_B)`. The check includes square
# matrices, where a wrong order still gives the right shape.


# %%
def matmul_backward(G, A, B):
    raise NotImplementedError()


check("21.3", matmul_backward)

# %% [markdown]
# ## Your rules inside a tensor engine
#
# Here is a `Tensor` built exactly like your `Value`: each operation makes a node that
# remembers its inputs and a `_backward` that sends `out.grad` on. The only new code is
# that gradients are arrays, and that each `_backward` calls **your** functions above.
# `backward()` is the iterative one of notebook 20, with an array of ones as the seed.


# %%
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


# %% [markdown]
# ### Exercise 21.4: your engine against minitensor
#
# Nothing to write this time: the check builds a linear layer with a squared-error loss,
# `((x @ w + bias - y)**2).sum()`, with this class, runs your rules through `backward()`,
# and compares every gradient with minitensor's. When your three functions are right, it is
# right too.

# %%
check("21.4", Tensor)

# %% [markdown]
# With these rules and a few more (sum and mean, reshape, indexing, each a few lines)
# this `Tensor` would train the networks of notebook 07. minitensor's own rules live in
# `minitensor/ops/`: `sum_to_shape` is `sum_to` in its `broadcast.py`, and `matmul.py` has the rule you
# found from the shapes.
#
# Next: `22_build_function.ipynb`, where you add an operation to minitensor itself.
