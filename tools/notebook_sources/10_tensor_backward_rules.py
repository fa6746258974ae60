# %% [markdown]
# # 10 · Tensor backward rules
#
# Notebooks 01 to 06 took gradients one number at a time. Tensor operations move whole
# arrays, and their backward rules are matrix formulas: for `y = x @ W`, the gradient of `W`
# is $x^\top G$. This notebook shows how to find such rules yourself, with one simple
# principle, **the gradient has the shape of what it is the gradient of**, and then checks
# every rule against `backward()`.
#
# Then it looks at what `backward()` really computes: not a Jacobian matrix, but a
# vector-Jacobian product, and why that matters for memory.

# %%
import matplotlib.pyplot as plt
import numpy as np

import minitensor as mt
import minitensor.nn.functional as F

# %% [markdown]
# ## The gradient has the shape of the parameter
#
# A loss $L$ is one number. Its gradient with respect to a tensor `W` holds one number per
# element of `W`, $\partial L / \partial W_{ij}$, so `W.grad` has exactly the shape of `W`.
# (That is what makes `W -= lr * W.grad` possible.)

# %%
mt.manual_seed(0)
W = mt.randn(3, 2, dtype=mt.float64, requires_grad=True)
loss = (W**2).sum()
loss.backward()
print("W:     ", tuple(W.shape))
print("W.grad:", tuple(W.grad.shape))

# %% [markdown]
# ## The matrix product: a batch through a layer
#
# A batch `x` of 4 examples with 3 features each goes through a layer with weights `W` of
# shape (3, 2): `y = x @ W` has shape (4, 2), two outputs per example.
#
# Whatever comes after `y`, the backward pass hands this node the gradient of the loss
# with respect to `y`: a tensor `G` of the shape of `y`, (4, 2). Here we pick a `G` of our
# own and pass it to `y.backward(G)`, which is exactly what the rest of a network would
# send.

# %%
mt.manual_seed(1)
x = mt.randn(4, 3, dtype=mt.float64, requires_grad=True)
W = mt.randn(3, 2, dtype=mt.float64, requires_grad=True)
y = x @ W
G = mt.randn(4, 2, dtype=mt.float64)  # dL/dy, from "the rest of the network"
print("x", tuple(x.shape), " W", tuple(W.shape), " y", tuple(y.shape), " G", tuple(G.shape))

# %% [markdown]
# ### dW from the shapes
#
# `dW` = $\partial L / \partial W$ must have the shape of `W`, (3, 2). It can only be made
# of `x` (4, 3) and `G` (4, 2), and each $W_{ij}$ meets every example once, so the 4
# examples must be summed over. One matrix product does exactly that:
#
# $$dW = x^\top G: \quad (3, 4) \times (4, 2) = (3, 2).$$
#
# Element by element: $y_{nj} = \sum_k x_{nk} W_{kj}$, so $W_{kj}$ multiplies $x_{nk}$ in the
# output $y_{nj}$ of every example $n$, and $dW_{kj} = \sum_n x_{nk} G_{nj}$, which is
# $(x^\top G)_{kj}$.
#
# ### dx from the shapes
#
# `dx` must have the shape of `x`, (4, 3), from `G` (4, 2) and `W` (3, 2):
#
# $$dx = G\, W^\top: \quad (4, 2) \times (2, 3) = (4, 3).$$

# %%
dW_by_hand = x.detach().T @ G
dx_by_hand = G @ W.detach().T
print("dW:", tuple(dW_by_hand.shape), "  dx:", tuple(dx_by_hand.shape))

# %% [markdown]
# ### Checked by `backward()`
#
# Now let the engine do it, and compare:

# %%
y.backward(G)
print("W.grad == x.T @ G:", mt.allclose(W.grad, dW_by_hand))
print("x.grad == G @ W.T:", mt.allclose(x.grad, dx_by_hand))

# %% [markdown]
# The shape argument is a reliable way to remember these rules: there is usually only one
# way to multiply the available tensors into the right shape. (`G.T @ x` would give a
# (2, 3) matrix: the shape of `W.T`, not of `W`.)

# %% [markdown]
# ## Broadcasting: the bias gradient is a sum
#
# A layer adds a bias `b` of shape (2,) to every row: `y = x @ W + b`. Broadcasting
# **copies** `b` to each of the 4 rows. So `b` is used 4 times, and as in notebook 02, a
# value used several times receives the **sum** of the contributions: $db = \sum_n G_{n}$,
# the sum of `G` over the batch dimension.

# %%
b = mt.zeros(2, dtype=mt.float64, requires_grad=True)
y = x.detach() @ W.detach() + b
y.backward(G)
print("b.grad:         ", b.grad)
print("G.sum(dim=0):   ", G.sum(dim=0))

# %% [markdown]
# The gradient of a broadcast value is the incoming gradient **summed back** down to the
# original shape. The same holds for a bias of shape (1, 2): the sum then keeps its
# dimension.

# %%
b2 = mt.zeros(1, 2, dtype=mt.float64, requires_grad=True)
(x.detach() @ W.detach() + b2).backward(G)
print(b2.grad)
print(G.sum(dim=0, keepdim=True))

# %% [markdown]
# ## Reductions and expand
#
# Reductions and broadcasting are each other's mirror image:
#
# * `sum` turns many numbers into one; its backward **copies** the incoming gradient back to
#   every element (each element contributes with slope 1);
# * `mean` does the same, divided by the number of elements $n$;
# * `expand` (an explicit broadcast) copies; its backward **sums**.

# %%
t = mt.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
t.sum().backward()
print("sum:   ", t.grad)
t.grad = None
t.mean().backward()
print("mean:  ", t.grad)

r = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
r.expand(4, 3).sum().backward()
print("expand:", r.grad, "(each element was copied into 4 rows)")

# %% [markdown]
# ## A Jacobian that is not diagonal
#
# For an element-wise function like `tanh`, output $i$ depends only on input $i$: the
# Jacobian $J_{ij} = \partial y_i / \partial x_j$ is **diagonal**. `softmax` is different:
# every output depends on every input (they are divided by one common sum), so its Jacobian
# is full: $J_{ij} = p_i(\delta_{ij} - p_j)$.
#
# We build both Jacobians row by row, one `backward()` per output with a one-hot vector
# (exercise 06.5 does the same), and draw them.


# %%
def jacobian_rows(f, x):
    """The Jacobian of f at the 1-d tensor x, row i from backward(one-hot i)."""
    rows = []
    for i in range(len(x)):
        xi = x.detach().clone().requires_grad_()
        y = f(xi)
        one_hot = mt.zeros(len(y), dtype=y.dtype)
        one_hot[i] = 1.0
        y.backward(one_hot)
        rows.append(xi.grad)
    return mt.stack(rows)


z = mt.tensor([1.0, 2.0, 0.5, -1.0, 3.0], dtype=mt.float64)
J_tanh = jacobian_rows(mt.tanh, z)
J_softmax = jacobian_rows(lambda v: F.softmax(v, dim=0), z)

fig, axes = plt.subplots(1, 2, figsize=(7, 3.2), dpi=90)
for ax, J, name in [(axes[0], J_tanh, "tanh"), (axes[1], J_softmax, "softmax")]:
    limit = np.abs(J.numpy()).max()
    image = ax.imshow(J.numpy(), cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(f"Jacobian of {name}")
    ax.set_xlabel("input j")
    ax.set_ylabel("output i")
    fig.colorbar(image, ax=ax, shrink=0.8)
plt.tight_layout()
plt.show()

# %% [markdown]
# The softmax Jacobian has positive numbers on the diagonal (raising $z_i$ raises $p_i$) and
# negative ones elsewhere (it lowers every other $p_j$, because they must still sum to 1).
# Each row sums to 0. Check it against the formula:

# %%
p = F.softmax(z, dim=0)
formula = mt.eye(len(p), dtype=p.dtype) * p - mt.outer(p, p)  # diag(p) - p p^T
print("matches p_i (delta_ij - p_j):", mt.allclose(J_softmax, formula))
print("every row sums to 0 (up to rounding):", J_softmax.sum(dim=1).abs().max().item() < 1e-12)

# %% [markdown]
# ## What `backward()` really computes
#
# `y.backward(v)` does not build $J$. It computes $v^\top J$ directly, a
# **vector-Jacobian product** (VJP), with the node's backward rule: for softmax, a few
# element-wise operations and one sum, never the $n \times n$ matrix (exercise 10.2 works
# them out). Same numbers as multiplying by the full matrix:

# %%
v = mt.tensor([0.5, -1.0, 2.0, 0.0, 1.0], dtype=mt.float64)
zg = z.clone().requires_grad_()
F.softmax(zg, dim=0).backward(v)
print("backward(v):", zg.grad)
print("v @ J:      ", v @ J_softmax)

# %% [markdown]
# ## Why never the Jacobian: count the bytes
#
# Take one layer, `y = x @ W`, with `x` and `W` both 1000 × 1000 (float32). The Jacobian of
# `y` with respect to `W` has one row per element of `y` and one column per element of `W`:
# $10^6 \times 10^6 = 10^{12}$ numbers. The gradient `W.grad`, the VJP, has $10^6$.

# %%
mt.manual_seed(2)
x_big = mt.randn(1000, 1000)
W_big = mt.randn(1000, 1000, requires_grad=True)
y_big = x_big @ W_big
y_big.sum().backward()

bytes_per_number = W_big.element_size()
gradient_bytes = W_big.grad.numel() * bytes_per_number
jacobian_bytes = y_big.numel() * W_big.numel() * bytes_per_number
print(f"W.grad:               {gradient_bytes / 1e6:10,.0f} MB")
print(f"the Jacobian dy/dW:   {jacobian_bytes / 1e6:10,.0f} MB  (= {jacobian_bytes / 1e12:.0f} TB)")
print(f"ratio:                {jacobian_bytes // gradient_bytes:10,}")

# %% [markdown]
# Four terabytes against four megabytes. The VJP costs one matrix product, $x^\top G$,
# about as much as the forward pass. That is why reverse-mode autograd computes gradients
# of a scalar loss, and why `backward()` on a non-scalar tensor asks you for `v`.

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell. The solutions are in
# `solutions/10_tensor_backward_rules.py`.
#
# ### Exercise 10.1
#
# `x` has shape (4, 3) and holds ones, `b = mt.zeros(1, 3, requires_grad=True)`, and
# `L = ((x + b) * 2).sum()`. What is `b.grad`? Give a nested list (or a tensor).

# %%
from exercises import check

answer = ...  # your answer: b.grad, e.g. [[0.0, 0.0, 0.0]]
check("10.1", answer)

# %% [markdown]
# ### Exercise 10.2 (the softmax VJP, without the Jacobian)
#
# Write `softmax_vjp(p, v)`: given `p = F.softmax(z, dim=-1)` and the incoming gradient `v`
# (of the same shape), return $v^\top J$, the gradient of `z` that `backward(v)` computes,
# with plain tensor operations: no autograd, and no $n \times n$ Jacobian.
#
# Start from $J_{ij} = p_i(\delta_{ij} - p_j)$ and write out
# $(v^\top J)_j = \sum_i v_i J_{ij}$. `p` is a vector, or a batch of shape (rows, n) with
# one softmax per row. The check compares with `backward()` on vectors and batches,
# including a one-hot `v` and logits in the thousands.


# %%
def softmax_vjp(p, v): ...  # your code: return the gradient of z


answer = ...  # your answer: the function softmax_vjp
check("10.2", answer)

# %% [markdown]
# ### Exercise 10.3 (the backward of a mean over one dimension)
#
# `x.mean(dim)` averages along one dimension and removes it: for `x` of shape (4, 3),
# `x.mean(1)` has shape (4,), one mean per row.
#
# Write `mean_backward(grad, shape, dim)`: given the gradient `grad` of `x.mean(dim)` (it
# has that reduced shape), the shape of `x` (a tuple) and `dim` (negative counts from the
# end, as in `mean`), return the gradient of `x`. The check compares with `backward()` for
# several shapes and dims, including dimensions of size 1.


# %%
def mean_backward(grad, shape, dim): ...  # your code: return the gradient of x


answer = ...  # your answer: the function mean_backward
check("10.3", answer)

# %% [markdown]
# Next: notebook 11 differentiates a gradient (second derivatives) and writes operations of
# its own.
