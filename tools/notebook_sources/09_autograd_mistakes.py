# %% [markdown]
# # 09 · The mistakes everyone makes with autograd
#
# Autograd is easy to use and easy to misuse. This notebook collects the mistakes that
# trip up nearly everyone at first. Each one is shown **failing** (the cell is tagged
# `raises-exception`, so Run All goes on past it), then **fixed** in the next cell, with
# the reason in between.
#
# The error messages are PyTorch's, word for word, so searching the web for one finds the
# same explanations for `torch`.

# %%
import warnings

import minitensor as mt

# %% [markdown]
# ## 1. Calling `backward()` twice on one graph
#
# The backward pass frees what the forward pass saved for it (here `**` saved its base,
# `3 * w - 1`, to compute the derivative $2(3w - 1) \cdot 3$). A second walk through the
# same graph finds nothing to work with.

# %%
w = mt.tensor(2.0, requires_grad=True)
loss = (3 * w - 1) ** 2
loss.backward()
print(w.grad)

# %% [markdown]
# The mistake: a second `backward()` on the same `loss`.

# %% tags=["raises-exception"]
loss.backward()

# %% [markdown]
# **Fix.** Usually the second `backward()` is a mistake: in a training loop, compute the
# loss again (a new forward pass builds a new graph) before each `backward()`. If you
# really need two passes through one graph, say so in the first one with
# `retain_graph=True`. Notice the printed gradient: 30 after one pass, 60 after two.
# Gradients **add up**; more on that in mistake 3.

# %%
w = mt.tensor(2.0, requires_grad=True)
loss = (3 * w - 1) ** 2
loss.backward(retain_graph=True)
loss.backward()
print(w.grad)

# %% [markdown]
# ## 2. `backward()` on a tensor with more than one number
#
# `backward()` starts from d(output)/d(output) = 1, which only makes sense when the output
# is a single number (a loss). For a vector output, which of its numbers should be
# differentiated?

# %%
x = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x**2
y

# %% [markdown]
# The mistake: `backward()` on `y`, which holds three numbers.

# %% tags=["raises-exception"]
y.backward()

# %% [markdown]
# **Fix.** Reduce to one number first, usually with `.sum()` or `.mean()` (a loss *is*
# such a reduction). Or pass the gradient of some final number with respect to `y`
# yourself: `y.backward(mt.ones_like(y))` is the same as `y.sum().backward()`. Both give
# $\partial \sum y / \partial x = 2x$.

# %%
y.sum().backward()
print(x.grad)

# %% [markdown]
# ## 3. Forgetting to zero the gradients
#
# `backward()` **adds** into `.grad`; it never overwrites. That is useful on purpose
# (several small batches can add their gradients up before one update), but in an
# ordinary training loop it means every step sees the sum of all the previous gradients
# too. There is no error message for this one: the numbers are just wrong. Here the loss is the same each time,
# and yet the gradient grows.

# %%
w = mt.tensor(2.0, requires_grad=True)
for step in range(3):
    loss = (3 * w - 1) ** 2
    loss.backward()
    print(f"step {step}: w.grad = {w.grad}")

# %% [markdown]
# **Fix.** Clear the gradients before each `backward()`: `w.grad = None` (what
# `optimizer.zero_grad()` does for every parameter), or `w.grad.zero_()`.

# %%
w = mt.tensor(2.0, requires_grad=True)
for step in range(3):
    w.grad = None
    loss = (3 * w - 1) ** 2
    loss.backward()
    print(f"step {step}: w.grad = {w.grad}")

# %% [markdown]
# ## 4. Changing a tensor in place after it was saved for backward
#
# `y = h * h` saves `h`: the derivative of `y` needs it. If `h` then changes in place,
# the backward pass would compute with the wrong number. Every tensor has a **version
# counter** that each in-place operation increases; a saved tensor remembers the version
# it was saved at, and backward refuses to use it if the version has moved on.
#
# Watch out: `h += 1` is an in-place operation, just like `h.add_(1)`.

# %%
x = mt.tensor([1.0, 2.0], requires_grad=True)
h = x * 2
y = h * h
print(h._version)
h += 1
print(h._version)

# %% [markdown]
# The version of `h` went from 0 to 1 after `y` saved it, so the backward pass stops:

# %% tags=["raises-exception"]
y.sum().backward()

# %% [markdown]
# The message names the tensor (`FloatTensor [2]`: float32, shape `[2]`), the operation
# that last produced it (`Add`: after `h += 1`, `h` counts as the output of that
# addition) and the versions. **Fix.** Write `h = h + 1`: that makes a new
# tensor and leaves the saved `h` alone. (Or change `h` only after the backward pass.)

# %%
x = mt.tensor([1.0, 2.0], requires_grad=True)
h = x * 2
y = h * h
h = h + 1
y.sum().backward()
print(x.grad)

# %% [markdown]
# ## 5. Updating a weight in place, with the graph still watching
#
# A gradient-descent step by hand: `w -= lr * w.grad`. But `w` is a leaf that requires
# grad, and autograd would have to record this update as part of the graph, which makes
# no sense for a weight. So it refuses.

# %%
w = mt.tensor([1.0, -2.0], requires_grad=True)
loss = (w * w).sum()
loss.backward()
print(w.grad)

# %% [markdown]
# The mistake: the update, written as plain Python.

# %% tags=["raises-exception"]
w -= 0.1 * w.grad

# %% [markdown]
# **Fix.** Do the update inside `with mt.no_grad():`, which tells autograd "this is not
# part of any graph". Then clear the gradient for the next step (mistake 3).

# %%
with mt.no_grad():
    w -= 0.1 * w.grad
w.grad = None
print(w)

# %% [markdown]
# ## 6. `.numpy()` on a tensor that requires grad
#
# A NumPy array knows nothing about graphs. Converting a tensor that requires grad would
# silently leave the graph, so PyTorch asks you to say that you mean it.

# %% tags=["raises-exception"]
w.numpy()

# %% [markdown]
# **Fix.** Do as the message says: `.detach()` first. The array shares memory with `w`
# (no copy).

# %%
w.detach().numpy()

# %% [markdown]
# ## 7. `no_grad` or `detach`?
#
# Both give tensors that are outside any graph; they differ in scope.
#
# * `with mt.no_grad():` switches graph building off for a **block of code**: use it for
#   weight updates (mistake 5) and for evaluating a model when you will not call
#   `backward()` (faster, and it uses less memory).
# * `t.detach()` gives **one tensor**: the same numbers (shared memory), cut off from the
#   graph. Use it to take a value out (to print, plot or store it, or for `.numpy()`), or
#   to stop the gradient flowing through one part of a computation.

# %%
w = mt.tensor(3.0, requires_grad=True)
with mt.no_grad():
    inside = w * 2
print(inside, inside.requires_grad)

outside = w * 2
print(outside)
print(outside.detach())

# %% [markdown]
# Stopping the gradient with `detach`: in `w * w.detach()`, the second factor counts as
# a constant, so the gradient is $w = 3$ instead of $2w = 6$.

# %%
(w * w).backward()
print("d(w*w)/dw         =", w.grad)
w.grad = None
(w * w.detach()).backward()
print("d(w*w.detach())/dw =", w.grad)

# %% [markdown]
# ## 8. Reading `.grad` of a tensor that is not a leaf
#
# Only leaves keep their gradient in `.grad`; for intermediate results, it is thrown away
# as soon as it has been passed on (it would waste memory). Reading `.grad` of an
# intermediate tensor gives `None` and a **warning**, not an error. We catch the warning
# here to print it (a notebook would otherwise show it in a red box).

# %%
x = mt.tensor([1.0, 2.0], requires_grad=True)
h = x * 2
(h * h).sum().backward()

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print(h.grad)
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")

# %% [markdown]
# **Fix.** If you want an intermediate gradient, call `.retain_grad()` on that tensor
# *before* the backward pass. Here d(sum of h²)/dh = 2h = [4, 8].

# %%
x = mt.tensor([1.0, 2.0], requires_grad=True)
h = x * 2
h.retain_grad()
(h * h).sum().backward()
print(h.grad)

# %% [markdown]
# ## 9. Integer tensors cannot require grad
#
# A gradient is a rate of change for tiny changes of the input; integers cannot change a
# tiny bit. `mt.tensor([1, 2, 3])` is `int64`, so asking for its gradient fails.

# %% tags=["raises-exception"]
mt.tensor([1, 2, 3], requires_grad=True)

# %% [markdown]
# Setting the attribute afterwards fails in the same way (PyTorch words this message
# with a lowercase "only"):

# %% tags=["raises-exception"]
counts = mt.tensor([1, 2, 3])
counts.requires_grad = True

# %% [markdown]
# **Fix.** Write floats (`1.0`), or give the dtype.

# %%
print(mt.tensor([1.0, 2.0, 3.0], requires_grad=True))
print(mt.tensor([1, 2, 3], dtype=mt.float32, requires_grad=True))

# %% [markdown]
# ## 10. Forgetting `requires_grad` altogether
#
# If no tensor in the computation requires grad, no graph is built, and there is nothing
# for `backward()` to walk.

# %%
w = mt.tensor([0.5, -1.0])
loss = (w * w).sum()
print(loss, loss.grad_fn)

# %% [markdown]
# The loss has no `grad_fn`, so `backward()` has nowhere to start:

# %% tags=["raises-exception"]
loss.backward()

# %% [markdown]
# **Fix.** Mark the tensors you want gradients for, *before* computing with them.

# %%
w = mt.tensor([0.5, -1.0], requires_grad=True)
loss = (w * w).sum()
loss.backward()
print(w.grad)

# %% [markdown]
# ## 11. Changing a tensor through `.data`
#
# Old PyTorch code often writes `.data` where `detach()` is meant: both give the same numbers
# without the graph. The difference shows when the numbers are changed **in place**.
#
# `sigmoid` saves its output for backward ($\sigma' = \sigma(1 - \sigma)$). Zeroing that
# output through `.data` is invisible to autograd: the version counter of mistake 4 does not
# move, and the backward pass computes with the zeros, **silently**. The right gradient here
# is $\sigma(x)(1 - \sigma(x))$, about [0.197, 0.105]:

# %%
x = mt.tensor([1.0, 2.0], requires_grad=True)
s = mt.sigmoid(x)
s.data.zero_()
s.sum().backward()
print("x.grad after a change through .data:", x.grad, "(wrong, and no error)")

# %% [markdown]
# The same change through `detach()` is seen: the detached tensor shares the version counter
# with `s`, so the backward pass refuses to use the modified numbers.

# %% tags=["raises-exception"]
x = mt.tensor([1.0, 2.0], requires_grad=True)
s = mt.sigmoid(x)
s.detach().zero_()
s.sum().backward()

# %% [markdown]
# **Fix.** Use `detach()`, never `.data`, to take the numbers out of a graph: a mistake then
# raises an error instead of giving a wrong gradient. And to change a tensor that backward
# still needs, work on a copy (`s.detach().clone()`).

# %%
x = mt.tensor([1.0, 2.0], requires_grad=True)
s = mt.sigmoid(x)
zeros = s.detach().clone().zero_()
s.sum().backward()
print(x.grad)

# %% [markdown]
# ## Exercises
#
# Replace `...` with your answer and run the cell. Worked solutions are in
# `solutions/09_autograd_mistakes.py`.
#
# **09.1** Predict `w.grad` at the end, without running it:
#
# ```python
# w = mt.tensor(1.0, requires_grad=True)
# for _ in range(4):
#     loss = 5 * w
#     loss.backward()
# ```

# %%
from exercises import check

answer = ...  # a number
check("09.1", answer)

# %% [markdown]
# **09.2** (write a function) Fix the bug: write a function `sgd_step(w, lr)` that does one
# step of gradient descent on a leaf `w` whose `.grad` is filled in (`w` becomes
# `w - lr * w.grad`, in place) and then clears the gradient, without any error. `w` must
# still be a leaf that requires grad afterwards. Pass the function itself as the answer:
# the check runs it on several tensors and learning rates.


# %%
def sgd_step(w, lr):
    w -= lr * w.grad  # fails: see mistake 5
    w.grad = None


answer = ...  # your corrected function
check("09.2", answer)

# %% [markdown]
# **09.3** Does this code raise an error? Answer `True` or `False`. (Hint: what does the
# derivative of $e^x$ need?)
#
# ```python
# x = mt.tensor([1.0, 2.0], requires_grad=True)
# y = x.exp()
# y.add_(1)
# y.sum().backward()
# ```

# %%
answer = ...  # True or False
check("09.3", answer)

# %% [markdown]
# **09.4** With `w = mt.tensor(3.0, requires_grad=True)`, what is `w.grad` after
# `(w * w * w.detach()).backward()`?

# %%
answer = ...  # a number
check("09.4", answer)
