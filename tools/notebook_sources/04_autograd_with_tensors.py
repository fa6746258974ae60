# %% [markdown]
# # 04 · Autograd with tensors
#
# Notebook 01 differentiated a neuron made of `Value`s, one number per node. Here the same
# machinery works on tensors, the PyTorch way: you mark the tensors whose gradient you
# want with `requires_grad`, compute as usual, and call `.backward()`.
#
# You will meet the words PyTorch uses for the graph (`grad_fn`, leaf, `next_functions`,
# `AccumulateGrad`), redo the tanh neuron of notebook 01 with tensors, find out why its
# numbers come out very slightly different, and finally run the neuron on a whole batch of
# inputs at once and time it against the scalar engine.

# %%
import time

import numpy as np

import minitensor as mt
from minitensor import Value, viz

# %% [markdown]
# ## A first gradient
#
# `y = w * x + b`, with three 0-d tensors. Only `w` and `b` say `requires_grad=True`:
# those are the numbers we want gradients for (think of them as the weights we will
# train; `x` is data). The result prints a `grad_fn`: the operation that made it,
# remembered for the backward pass.

# %%
x = mt.tensor(10.0)
w = mt.tensor(15.0, requires_grad=True)
b = mt.tensor(20.0, requires_grad=True)
y = w * x + b
y

# %% [markdown]
# `y.backward()` fills `.grad` of every tensor that asked for it. Since $y = wx + b$,
# $\partial y / \partial w = x = 10$ and $\partial y / \partial b = 1$. `x` did not ask,
# so its `.grad` stays `None`.

# %%
y.backward()
print(x.grad)
print(w.grad)
print(b.grad)

# %% [markdown]
# ## Leaves and `grad_fn`
#
# A tensor you make yourself is a **leaf** of the graph: it has no `grad_fn`. A tensor
# computed from tensors that require grad is not a leaf: its `grad_fn` is the node that
# will run the chain rule for it. Note that `x` is a leaf too, just one that does not
# require grad.

# %%
for name, tensor in [("x", x), ("w", w), ("b", b), ("y", y)]:
    print(f"{name}: requires_grad={tensor.requires_grad}, is_leaf={tensor.is_leaf}")
    print(f"   grad_fn={tensor.grad_fn}")

# %% [markdown]
# ## Following the graph backwards: `next_functions`
#
# Each `grad_fn` lists where its gradients go next, one entry per input of the
# operation: `(node, 0)`. The `AddBackward0` that made `y` sends one gradient to the
# `MulBackward0` that made `w * x`, and one to an `AccumulateGrad`: the node that adds a
# gradient into a leaf's `.grad` (here `b.grad`). Below it, `MulBackward0` sends to `w`'s
# `AccumulateGrad` and to `None`, because `x` needs no gradient.

# %%
print(y.grad_fn.next_functions)
print(y.grad_fn.next_functions[0][0].next_functions)

# %% [markdown]
# ## `.data` and `.item()`
#
# `.data` is the same numbers without the graph (a tensor that does not require grad);
# `.item()` turns a one-element tensor into a plain Python number.

# %%
print(y.data)
print(y.item())

# %% [markdown]
# ## The tanh neuron, the PyTorch way
#
# Now the neuron of notebook 01, $o = \tanh(x_1 w_1 + x_2 w_2 + b)$, written as many
# PyTorch tutorials write it: each number is a one-element tensor made with
# `mt.Tensor([...])`, widened to float64 with `.double()`, and then marked with
# `requires_grad = True`.

# %%
x1 = mt.Tensor([2.0]).double()
x1.requires_grad = True
x2 = mt.Tensor([0.0]).double()
x2.requires_grad = True
w1 = mt.Tensor([-3.0]).double()
w1.requires_grad = True
w2 = mt.Tensor([1.0]).double()
w2.requires_grad = True
b = mt.Tensor([6.8813735870195432]).double()
b.requires_grad = True
n = x1 * w1 + x2 * w2 + b
o = mt.tanh(n)

print(o.data.item())
o.backward()

print("---")
print("x2", x2.grad.item())
print("w2", w2.grad.item())
print("x1", x1.grad.item())
print("w1", w1.grad.item())

# %% [markdown]
# The output is a float64 tensor with a `grad_fn`, and the graph behind `n` is the one
# from notebook 01: `n.grad_fn` is the last addition (`... + b`); it sends gradients to
# the first addition and to `b`'s `AccumulateGrad`.

# %%
print(repr(o))
print(n.grad_fn)
print(n.grad_fn.next_functions)

# %% [markdown]
# ## Why not exactly 0.7071067811865476 and -1.5?
#
# In notebook 01, `Value` gave $o = 1/\sqrt{2} = 0.70710678118654\ldots$ and gradients
# -1.5, 1.0, 0.5 and 0.0 (up to the last digit). Here the numbers are off from the
# seventh digit on. No gradient is wrong: the *inputs* are different.
#
# `mt.Tensor([...])` stores **float32**, which keeps only about 7 significant digits.
# `.double()` widens afterwards, but the lost digits do not come back: `b` is not
# 6.8813735870195432 but the nearest float32 to it.

# %%
print(6.8813735870195432)
print(mt.Tensor([6.8813735870195432]).item())
print(b.item())

# %% [markdown]
# With that `b`, $n$ is slightly smaller than $\ln(1+\sqrt 2)$, so $o$ is slightly
# smaller than $1/\sqrt 2$ and the gradients slightly bigger. Making the tensors float64
# from the start (`dtype=mt.float64`) keeps every digit and gives the exact values again.

# %%
exact = {
    name: mt.tensor([value], dtype=mt.float64, requires_grad=True)
    for name, value in [("x1", 2.0), ("x2", 0.0), ("w1", -3.0), ("w2", 1.0)]
}
b64 = mt.tensor([6.8813735870195432], dtype=mt.float64, requires_grad=True)
o64 = mt.tanh(exact["x1"] * exact["w1"] + exact["x2"] * exact["w2"] + b64)
o64.backward()
print("o =", o64.item())
for name, tensor in exact.items():
    print(f"{name}.grad = {tensor.grad.item():.12f}")

# %% [markdown]
# ## The graph of the tensor neuron
#
# `viz.draw` draws a tensor graph the way `torchviz` does: blue boxes are the leaves
# (with their gradient), grey boxes are the `grad_fn` nodes, the green box is the output.
# Compare with the picture of notebook 01: the same shape, but the operations carry
# PyTorch's node names.

# %%
viz.draw(o, names={"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "n": n, "o": o})

# %% [markdown]
# ## One engine, two scales: a whole batch at once
#
# The point of tensors is to do the same work for many numbers in one operation. Give the
# neuron a **batch** of inputs: a matrix `X` with one example per row. Then
# `X @ w` computes $x_1 w_1 + x_2 w_2$ for every row at once, `+ b` adds the bias to each,
# and `tanh` squashes each: one output per example.
#
# The first row is the input of notebook 01.

# %%
X = mt.tensor(
    [[2.0, 0.0], [2.5, 1.0], [1.5, -0.5], [3.0, 2.0]], dtype=mt.float64, requires_grad=True
)
w = mt.tensor([-3.0, 1.0], dtype=mt.float64, requires_grad=True)
b = mt.tensor(6.8813735870195432, dtype=mt.float64, requires_grad=True)
out = mt.tanh(X @ w + b)
out

# %% [markdown]
# `backward()` needs one number to start from, so we sum the outputs. Each output
# depends only on its own row, so row $i$ of `X.grad` is the gradient of output $i$ with
# respect to its own inputs: exactly what the scalar engine computes for that example
# alone. (The weights are shared by all rows, so `w.grad` is the *sum* over the batch.)

# %%
out.sum().backward()
X.grad

# %% [markdown]
# Now the same four examples with the scalar engine of notebook 01, one `Value` graph
# per example. The numbers agree with the tensor version, row by row.


# %%
def scalar_neuron(x1, x2, w1=-3.0, w2=1.0, b=6.8813735870195432):
    """The neuron with Values: returns o and the gradients of o w.r.t. x1 and x2."""
    v_x1, v_x2 = Value(x1), Value(x2)
    v_o = (v_x1 * Value(w1) + v_x2 * Value(w2) + Value(b)).tanh()
    v_o.backward()
    return v_o.data, v_x1.grad, v_x2.grad


print("      x1    x2 |  o (Value)  o (tensor) | dx1 (Value) dx1 (tensor)")
for i, (a1, a2) in enumerate(X.tolist()):
    o_v, dx1_v, _ = scalar_neuron(a1, a2)
    print(
        f"{a1:6.2f}{a2:6.2f} | {o_v:10.6f} {out[i].item():10.6f}"
        f" | {dx1_v:11.6f} {X.grad[i, 0].item():11.6f}"
    )

# %% [markdown]
# ## Timing the two engines
#
# Now a batch of 2,000 random examples. The scalar engine builds a graph of a dozen
# `Value`s for every example and walks it in Python; the tensor engine builds one small
# graph for the whole batch and lets NumPy loop over the numbers. First we check that
# they still agree on every example...

# %%
mt.manual_seed(0)
batch = 2.0 + 0.5 * mt.randn(2000, 2, dtype=mt.float64)
scalar_results = [scalar_neuron(a1, a2) for a1, a2 in batch.tolist()]

Xb = batch.clone().requires_grad_()
out_b = mt.tanh(Xb @ w.detach() + b.detach())
out_b.sum().backward()
o_scalar = np.array([r[0] for r in scalar_results])
grads_scalar = np.array([r[1:] for r in scalar_results])
print("same outputs:  ", np.allclose(o_scalar, out_b.detach().numpy(), rtol=1e-12, atol=1e-15))
print("same gradients:", np.allclose(grads_scalar, Xb.grad.numpy(), rtol=1e-12, atol=1e-15))

# %% [markdown]
# ... and then time them: forward and backward for the whole batch. The times depend on
# your computer and change from run to run. What counts is the ratio:
# the tensor engine wins by a wide margin, and the margin grows with the batch, because
# the cost of one tensor operation hardly depends on how many numbers it processes.

# %% tags=["nbval-ignore-output"]
rows = batch.tolist()
start = time.perf_counter()
for a1, a2 in rows:
    scalar_neuron(a1, a2)
scalar_seconds = time.perf_counter() - start

start = time.perf_counter()
Xb = batch.clone().requires_grad_()
mt.tanh(Xb @ w.detach() + b.detach()).sum().backward()
tensor_seconds = time.perf_counter() - start

print(f"scalar engine: {1e6 * scalar_seconds / len(rows):8.2f} microseconds per example")
print(f"tensor engine: {1e6 * tensor_seconds / len(rows):8.2f} microseconds per example")
print(f"the tensor engine is {scalar_seconds / tensor_seconds:.0f} times faster here")

# %% [markdown]
# ## Exercises
#
# Replace `...` with your answer and run the cell. Worked solutions are in
# `solutions/04_autograd_with_tensors.py`.
#
# **04.1** With `x = mt.tensor(3.0)`, `w = mt.tensor(-2.0, requires_grad=True)`,
# `b = mt.tensor(5.0, requires_grad=True)` and `y = w * x * x + b`: what is `w.grad`
# after `y.backward()`? Work it out by hand, then check by running it.

# %%
from exercises import check

answer = ...  # a number
check("04.1", answer)

# %% [markdown]
# **04.2** In exercise 04.1, which of the tensors `x`, `w`, `b`, `y` are leaves? Answer
# with a set of names, such as `{"x", "y"}`.

# %%
answer = ...  # a set of names
check("04.2", answer)

# %% [markdown]
# **04.3** In exercise 04.1, what is the name of `y.grad_fn` (the last operation)?
# Answer with a string such as `"MulBackward0"`, or with the `grad_fn` object itself.

# %%
answer = ...  # a string, or y.grad_fn
check("04.3", answer)

# %% [markdown]
# **04.4** What does `mt.Tensor([0.1]).double().item()` give? Predict it from what you
# learnt about float32, then answer with the number (all its digits: run the code to see
# them, and explain to yourself why it is not 0.1).

# %%
answer = ...  # a number
check("04.4", answer)

# %% [markdown]
# **04.5** (write a function) Write `input_gradients(X, w, b)`: the gradient of
# `mt.tanh(X @ w + b).sum()` with respect to the batch `X`, computed by autograd
# (`requires_grad` and `backward()`), as a tensor of the shape of `X`. The arguments are
# plain tensors that do not require grad, and your function must leave them as they were:
# afterwards `X.requires_grad` is still `False`. The check compares with the formula of
# the neuron on several batches, including a single example.


# %%
def input_gradients(X, w, b): ...  # your code


answer = ...  # your answer: the function input_gradients
check("04.5", answer)
