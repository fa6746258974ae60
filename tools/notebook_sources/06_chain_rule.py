# %% [markdown]
# # 06 · The chain rule, with tensors
#
# Notebook 02 showed, on `Value`s, the two rules of backpropagation: **multiply** the local
# derivatives along a path, and **add** the contributions of several paths. This notebook
# starts from there, with tensors, and goes further:
#
# 1. **several paths**, as PyTorch draws and walks them, and how to watch (and change) the
#    gradient that reaches an intermediate tensor, with hooks;
# 2. **a reduction** (a mean): one output that depends on many numbers;
# 3. **a non-scalar output**: what `backward(gradient)` computes, a vector-Jacobian product.
#
# Everything here uses minitensor's tensors, written exactly as in PyTorch.

# %%
import minitensor as mt
from minitensor import viz

# %% [markdown]
# ## 1. Several paths add up
#
# Now a graph where a number reaches the output along **two** routes. The input `a` is
# multiplied by two weights, and both products feed into `d`:
#
# $$b = w_1 a,\quad c = w_2 a,\quad d = w_3 b + w_4 c,\quad L = 10 - d$$
#
# The weights ask for gradients; `a` is data, so it does not (yet).

# %%
a = mt.tensor([4.0])
w1 = mt.tensor([2.0], requires_grad=True)
w2 = mt.tensor([5.0], requires_grad=True)
w3 = mt.tensor([9.0], requires_grad=True)
w4 = mt.tensor([7.0], requires_grad=True)
print(w1)
b = w1 * a
c = w2 * a
d = w3 * b + w4 * c
L = 10 - d
print(L)

# %% [markdown]
# ### The graph
#
# The picture follows torchviz, the usual way to draw a PyTorch graph: blue boxes are leaves
# that want a gradient (one `AccumulateGrad` node each), grey boxes are the backward nodes of the
# operations, the green box is the output. `names=locals()` lets the picture use our
# variable names. `a` does not appear: it needs no gradient, so the graph has no node for
# it (its value is simply stored inside the multiplication nodes). `RsubBackward1` is the
# node of `10 - d` (a subtraction with the number on the left).

# %%
viz.draw(L, names=locals())

# %% [markdown]
# ### Two paths to `a`
#
# The input `a` is the interesting one: **two** paths lead from `L` to it, one through `b`
# and one through `c`. As in notebook 02: multiply the local derivatives along each path
# ($\partial L/\partial d = -1$, then $w_3$ and $w_1$, or $w_4$ and $w_2$), then **add**.

# %%
path_via_b = -1.0 * 9.0 * 2.0  # L -> d -> b -> a: dL/dd * w3 * w1
path_via_c = -1.0 * 7.0 * 5.0  # L -> d -> c -> a: dL/dd * w4 * w2
print("path through b:", path_via_b)
print("path through c:", path_via_c)
print("dL/da = sum of the paths =", path_via_b + path_via_c)

# %% [markdown]
# ### `backward()` agrees
#
# Now the engine. `backward()` normally frees what the graph saved for its backward pass
# (to save memory); `retain_graph=True` keeps it, because the stepper below walks this
# same graph again.

# %%
L.backward(retain_graph=True)
for name, w in [("w1", w1), ("w2", w2), ("w3", w3), ("w4", w4)]:
    print(f"dL/d{name} =", w.grad)

# %% [markdown]
# ### Step through it
#
# Press **Next** to run the engine one node at a time. Each step says which gradient
# arrived and what the node sends to its inputs (upstream gradient × local derivative).
# Check a step or two by hand (at `d`, the gradient -1 times each local derivative); at
# the end, the four gradients are the ones `backward()` found.
#
# While you step, the weights' `.grad` hold the stepper's pass (starting from nothing);
# **Reset** gives back the gradients of `backward()` above.

# %%
stepper = viz.Stepper(L, names=locals())
stepper

# %% [markdown]
# ### When `a` wants a gradient too
#
# Build the same graph again (fresh tensors), this time with `a` requiring a gradient.
# Now `a` is a leaf of the graph, and
# its two paths meet in the engine: the first contribution to arrive waits until the
# second one has come, and the engine adds them before `a`'s step. Here is that step, taken
# from a stepper driven from Python (the `with` block puts every `.grad` back as it was at
# the end).

# %%
a = mt.tensor([4.0], requires_grad=True)
w1 = mt.tensor([2.0], requires_grad=True)
w2 = mt.tensor([5.0], requires_grad=True)
w3 = mt.tensor([9.0], requires_grad=True)
w4 = mt.tensor([7.0], requires_grad=True)
b = w1 * a
c = w2 * a
d = w3 * b + w4 * c
L = 10 - d
with viz.Stepper(L, names=locals()) as replay:
    while not replay.done:
        step = replay.next()
        if getattr(step.node, "variable", None) is a:  # the AccumulateGrad node of a
            print(replay.explanation)

# %% [markdown]
# ### Checking with `backward()`
#
# And `backward()` agrees with the sum of the two paths:

# %%
L.backward()
print("dL/da =", a.grad)

# %% [markdown]
# ### Watching gradients arrive: `register_hook`
#
# `b` and `c` are not leaves, so they keep no `.grad`. To see the gradient that reaches such
# a tensor, attach a function to it: `t.register_hook(f)` makes `backward()` call `f(grad)`
# with the finished gradient of `L` with respect to `t`. Printing is the simplest hook.
# (`register_hook` is PyTorch's; it works the same there.)

# %%
a = mt.tensor([4.0], requires_grad=True)
w1, w2 = mt.tensor([2.0], requires_grad=True), mt.tensor([5.0], requires_grad=True)
w3, w4 = mt.tensor([9.0], requires_grad=True), mt.tensor([7.0], requires_grad=True)
b = w1 * a
c = w2 * a
L = 10 - (w3 * b + w4 * c)
b.register_hook(lambda grad: print("dL/db arrives:", grad))
c.register_hook(lambda grad: print("dL/dc arrives:", grad))
a.register_hook(lambda grad: print("dL/da arrives:", grad, "(both paths added)"))
L.backward()

# %% [markdown]
# ### A hook can change the gradient
#
# If the hook returns a tensor, that tensor replaces the gradient for everything further
# down the graph. Returning zeros for `c` cuts the path through `c`: `a` now receives only
# the path through `b`, $-9 \times 2 = -18$. (Real uses are gentler: clipping gradients that
# grow too large, for instance.)

# %%
a = mt.tensor([4.0], requires_grad=True)
b = w1 * a
c = w2 * a
L = 10 - (w3 * b + w4 * c)
c.register_hook(lambda grad: grad * 0)
L.backward()
print("dL/da with the path through c cut:", a.grad)

# %% [markdown]
# ## 2. A reduction: the mean
#
# A loss is one number, usually computed from many. Here `x` is a 2×2 tensor of ones;
# every element goes through the same computation, and `mean()` averages the four results.

# %%
x = mt.ones(2, 2, requires_grad=True)
y = x + 2
print(y)
z = y * y * 3
print(z)
out = z.mean()
print(out)

# %% [markdown]
# ### The gradient of a mean, by hand
#
# Each element of `x` reaches `out` by exactly one path: through its own $y_i$ and $z_i$,
# then the mean. Write it for one element:
#
# $$\text{out} = \frac14 \sum_{i} z_i, \qquad z_i = 3 y_i^2, \qquad y_i = x_i + 2$$
#
# $$\frac{\partial\,\text{out}}{\partial x_i}
#   = \underbrace{\tfrac14}_{\text{mean}} \cdot \underbrace{6 y_i}_{z_i = 3y_i^2}
#   \cdot \underbrace{1}_{y_i = x_i + 2} = \tfrac14 \cdot 6 \cdot 3 = 4.5$$
#
# The mean's local derivative is $1/4$ for each of the 4 elements: it spreads the
# incoming gradient evenly over its inputs.

# %%
print("by hand:", 1 / 4 * 6 * (1 + 2) * 1)
out.backward()
x.grad

# %% [markdown]
# ## 3. A non-scalar output: the vector-Jacobian product
#
# So far every output was a single number. What if it is a vector? Start from three
# numbers and keep doubling them until the vector's length (its norm) passes 1000.

# %%
x = mt.tensor([1.6271, -0.3254, -0.3567], requires_grad=True)
x

# %% [markdown]
# ### The norm
#
# `y.data` is `y` without its graph (operations on it are not recorded), and `norm()` is
# its Euclidean length $\sqrt{\sum_i y_i^2}$: about 3.39 after one doubling.

# %%
y = x * 2
y.data.norm()

# %% [markdown]
# ### Doubling until the length passes 1000
#
# Each pass of the loop adds one more `MulBackward0` node to the graph of `y`. Watch the
# `grad_fn` in the output: `y` is still part of a graph that starts at `x`.

# %%
while y.data.norm() < 1000:
    y = y * 2
y

# %% [markdown]
# ### The Jacobian, and what backward(v) computes
#
# `y` has three elements, so "the gradient of `y`" is not one number per input: it is a
# 3×3 **Jacobian** matrix $J_{ij} = \partial y_i / \partial x_j$. Here $y = 2^{10} x$
# (ten doublings), so $J$ is $1024$ times the identity.
#
# `backward()` never builds that matrix. Instead you give it a vector $v$ (one weight per
# output element) and it computes the **vector-Jacobian product** $v^\top J$: the gradient
# of the scalar $\sum_i v_i y_i$. That is all a network's backward pass ever needs, and it
# is much cheaper than the full Jacobian.

# %%
v = mt.FloatTensor([0.1, 1.0, 0.0001])
y.backward(v)
x.grad

# %% [markdown]
# ### Checking by hand
#
# With $J = 1024 I$, $v^\top J = 1024\,v = [102.4,\ 1024,\ 0.1024]$: exactly `x.grad`.

# %%
doublings = 10
print("1024 * v =", [2**doublings * vi for vi in (0.1, 1.0, 0.0001)])

# %% [markdown]
# ### No vector, no backward
#
# Without $v$, `backward()` does not know how to weigh the three outputs. For a single
# number it uses $v = 1$ implicitly; for a vector it refuses, with PyTorch's message.
# (This cell raises an error on purpose.)

# %% tags=["raises-exception"]
y.backward()

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell. The solutions are in
# `solutions/06_chain_rule.py`.
#
# ### Exercise 06.1 (one path)
#
# `y = a * x` and `z = y * y`, with `x = 3.0` and `a = 4.0`. What is
# $dz/dx$?

# %%
from exercises import check

answer = ...  # your answer: dz/dx
check("06.1", answer)

# %% [markdown]
# ### Exercise 06.2 (several paths)
#
# In section 2, change the numbers: `a = 1.0`, `w1 = 3.0`,
# `w2 = -2.0`, `w3 = 4.0`, `w4 = 0.5`. What is $dL/da$? (Two paths; add them.)

# %%
answer = ...  # your answer: dL/da
check("06.2", answer)

# %% [markdown]
# ### Exercise 06.3 (a reduction)
#
# `x = mt.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)` and
# `out = (x ** 2).mean()`. What is `x.grad` after `out.backward()`? Give a list of four
# numbers (or a tensor).

# %%
answer = ...  # your answer: x.grad, as a list of 4 numbers
check("06.3", answer)

# %% [markdown]
# ### Exercise 06.4 (predict a shape)
#
# `W` has shape (2, 3), `x` has shape (3,) and `y = W @ x`.
# What is the shape of the Jacobian $\partial y / \partial x$? Give a tuple.

# %%
answer = ...  # your answer: a tuple, e.g. (1, 2)
check("06.4", answer)

# %% [markdown]
# ### Exercise 06.5 (write a function)
#
# `backward()` gives one vector-Jacobian product per call. With $v$ = a row of the identity
# (all zeros but a 1 at position $i$), $v^\top J$ is row $i$ of the Jacobian. Write
# `jacobian(f, x)`: the full Jacobian of a function `f` from a 1-d tensor to a 1-d tensor,
# at the point `x` (a 1-d tensor that does not require grad), as a 2-d tensor with
# `J[i, j]` $= \partial y_i / \partial x_j$, built with one `backward()` per output. The
# check tries several functions, with as many outputs as inputs or not.


# %%
def jacobian(f, x): ...  # your code


answer = ...  # your answer: the function jacobian
check("06.5", answer)

# %% [markdown]
# Next: notebook 07 puts these gradients to work and trains networks.
