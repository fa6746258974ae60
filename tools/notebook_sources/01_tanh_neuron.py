# %% [markdown]
# # 01 · A tanh neuron, differentiated three ways
#
# A neuron takes a few inputs, weighs each one, adds a bias and squashes the sum:
#
# $$o = \tanh(x_1 w_1 + x_2 w_2 + b)$$
#
# In this notebook you compute the gradient of $o$ with respect to every input and weight
# **by hand**, node by node; then you let `o.backward()` compute it; then you watch the
# backward engine do it **one step at a time**. Last, you check one gradient numerically,
# without any calculus at all.
#
# Everything here uses `Value`: a single number that remembers how it was computed.

# %% [markdown]
# ## The forward pass
#
# Two inputs `x1`, `x2`, two weights `w1`, `w2` and a bias `b`. The bias has a strange
# value: it makes the sum `n` equal to $\ln(1 + \sqrt{2}) \approx 0.8814$, the number whose
# tanh is $1/\sqrt{2}$, and that keeps the gradients simple.
#
# Each intermediate result gets a `label` too, so that pictures and explanations can name it.
# Look at the output: `Value` prints its number (rounded to 4 places) and its gradient,
# which is 0 until a backward pass fills it in.

# %%
import math

from minitensor import Value, viz

x1 = Value(2.0, label="x1")
x2 = Value(0.0, label="x2")
w1 = Value(-3.0, label="w1")
w2 = Value(1.0, label="w2")
b = Value(6.8813735870195432, label="b")

x1w1 = x1 * w1
x1w1.label = "x1*w1"
x2w2 = x2 * w2
x2w2.label = "x2*w2"
s = x1w1 + x2w2
s.label = "s"
n = s + b
n.label = "n"
o = n.tanh()
o.label = "o"
o

# %% [markdown]
# ### The exact value
#
# The full number is $1/\sqrt{2} \approx 0.70710678$, up to the last digit or so of
# float64 arithmetic:

# %%
print(f"o = {o.data:.8f}")
print("close to 1/sqrt(2):", math.isclose(o.data, 1 / math.sqrt(2), rel_tol=1e-15))

# %% [markdown]
# ## The graph
#
# Every `Value` produced by an operation keeps references to its inputs. Following them
# from `o` gives the **computation graph**. In the picture, each box is a Value
# (name | data | grad) and each oval is the operation that produced the box to its right.
# The grads all read 0: nothing has been differentiated yet.

# %%
viz.draw(o)

# %% [markdown]
# ## Gradients by hand, starting from the output
#
# We want $\partial o / \partial x$ for every box $x$ in the graph: how much $o$ moves when
# $x$ moves a little. The chain rule lets us get all of them in one sweep **from right to
# left**. At each node we need only two things:
#
# * the gradient of $o$ with respect to the node's **output** (already known, because we
#   go right to left), and
# * the node's **local derivative**: how its output moves with each of its inputs.
#
# Their product is the gradient with respect to the input. We start with the trivial one:
# $\partial o / \partial o = 1$.

# %%
do_do = 1.0

# %% [markdown]
# ### Step 1: through the tanh
#
# $o = \tanh(n)$, and the derivative of tanh is $1 - \tanh(n)^2$, that is $1 - o^2$.
# The forward pass already computed $o$, so this costs one multiplication.
# With $o = 1/\sqrt 2$ we expect $1 - 1/2 = 0.5$ (up to float rounding in the last digits).

# %%
do_dn = do_do * (1 - o.data**2)
print(f"do/dn = {do_dn:.6f}")

# %% [markdown]
# ### Step 2: through the two additions
#
# $n = s + b$. If $s$ grows by a small $\varepsilon$, $n$ grows by exactly $\varepsilon$:
# the local derivative of a sum is 1 for each input. So an addition simply **passes the
# gradient on**, unchanged, to each of its inputs. The same happens one level down, at
# $s = x_1 w_1 + x_2 w_2$.

# %%
do_ds = do_dn * 1.0
do_db = do_dn * 1.0
do_dx1w1 = do_ds * 1.0
do_dx2w2 = do_ds * 1.0
print(f"do/ds = {do_ds:.4f}   do/db = {do_db:.4f}")
print(f"do/d(x1*w1) = {do_dx1w1:.4f}   do/d(x2*w2) = {do_dx2w2:.4f}")

# %% [markdown]
# ### Step 3: through the two multiplications
#
# For a product $p = x \cdot w$, the local derivative with respect to $x$ is $w$, and with
# respect to $w$ it is $x$: each input's derivative is **the other input's value**.
#
# Before you run the cell, predict: `x2` is 0, so which gradient will be 0?

# %%
do_dx1 = do_dx1w1 * w1.data
do_dw1 = do_dx1w1 * x1.data
do_dx2 = do_dx2w2 * w2.data
do_dw2 = do_dx2w2 * x2.data
by_hand = {"x1": do_dx1, "w1": do_dw1, "x2": do_dx2, "w2": do_dw2, "b": do_db}
for name, grad in by_hand.items():
    print(f"do/d{name:2} = {grad:5.2f}")

# %% [markdown]
# Read the signs and sizes as statements about the neuron:
#
# * `do/dx1 = -1.5`: raising `x1` a little *lowers* `o`, by 1.5 times as much (because
#   `w1` is negative).
# * `do/dw2 = 0`: as long as `x2` is 0, `w2` has no effect at all: it multiplies zero.
# * `do/dw1 = 1.0`: nudging a weight up nudges `o` up. This is the number that gradient
#   descent would use to change `w1`.

# %% [markdown]
# ## Now let `backward()` do it
#
# `o.backward()` runs the same sweep over the graph automatically and stores each result
# in that Value's `.grad`. Compare with the numbers we computed by hand: they agree up to
# the last bits of float64 rounding.

# %%
o.backward()
for name, leaf in [("x1", x1), ("w1", w1), ("x2", x2), ("w2", w2), ("b", b)]:
    agrees = math.isclose(leaf.grad, by_hand[name], rel_tol=1e-12, abs_tol=1e-12)
    print(f"{name:2}.grad = {leaf.grad:5.2f}   same as by hand: {agrees}")

# %% [markdown]
# ### The graph with its gradients
#
# The picture now shows the gradients too. Check one box against the table above.

# %%
viz.draw(o)

# %% [markdown]
# ## Watch the engine, one node at a time
#
# `viz.Stepper(o)` runs the **same** backward engine that `backward()` runs, but pauses
# after each node. Press **Next** and read the explanation below the picture: which node is
# being processed, which gradient arrived at it, and what it sends to each input
# (upstream gradient × local derivative). The node being processed is gold; finished
# ones are green. Press Next until the end, and compare the last text with the table above.
#
# While you step, the `.grad` of every Value holds the stepper's pass (starting from 0).
# **Reset** puts back the gradients that `backward()` stored above.

# %%
stepper = viz.Stepper(o)
stepper

# %% [markdown]
# ### A stepper driven from Python
#
# You can drive a stepper from Python, too. Here are its first step and the step at the
# node `x1*w1`, where the two local derivatives of a product appear. Using it in a `with`
# block puts everybody's `.grad` back as it was at the end of the block.

# %%
with viz.Stepper(o) as replay:
    replay.next()
    print(replay.explanation)
    print("-" * 60)
    while replay.history[-1].node is not x1w1:
        replay.next()
    print(replay.explanation)
print("-" * 60)
print("after the with block, x1.grad is again", f"{x1.grad:.2f}")

# %% [markdown]
# ## What a gradient is: a slope
#
# Hold every input but `x1` fixed and let `x1` vary: $o$ becomes an ordinary function of one
# number, and `x1.grad = -1.5` is the **slope** of its graph at $x_1 = 2$. The orange line
# through that point with slope -1.5 is the **tangent**: near $x_1 = 2$ it follows the
# curve closely, which is what "derivative" means.

# %%
import matplotlib.pyplot as plt
import numpy as np


def o_of_x1(x1):
    """The neuron's output as a function of x1 alone (w1, x2, w2, b as above)."""
    return np.tanh(x1 * -3.0 + 0.0 * 1.0 + 6.8813735870195432)


xs = np.linspace(1.4, 2.8, 200)
fig, ax = plt.subplots(figsize=(6, 3), dpi=90)
ax.plot(xs, o_of_x1(xs), label="o as a function of x1")
ax.plot(xs, o.data + x1.grad * (xs - 2.0), label="tangent: slope x1.grad = -1.5")
ax.plot([2.0], [o.data], "ko")
ax.set_ylim(-1.1, 1.1)
ax.set_xlabel("x1")
ax.set_ylabel("o")
ax.legend(loc="lower left")
plt.show()

# %% [markdown]
# ### Nudging by h
#
# Without calculus, the slope can be *measured*: nudge `x1` by a small $h$ to each side,
# see how much $o$ moves, and divide by the distance $2h$. That is the slope of the green
# line through the two nudged points (here with a large $h = 0.3$, so that you can see
# them). As $h$ shrinks, that line turns into the tangent.

# %%
h = 0.3
left, right = 2.0 - h, 2.0 + h
chord = (o_of_x1(right) - o_of_x1(left)) / (2 * h)
fig, ax = plt.subplots(figsize=(6, 3), dpi=90)
ax.plot(xs, o_of_x1(xs), label="o as a function of x1")
ax.plot(xs, o.data + x1.grad * (xs - 2.0), label="tangent: slope -1.5")
ax.plot(xs, o_of_x1(left) + chord * (xs - left), "--", label=f"through x1 ± h: slope {chord:.3f}")
ax.plot([left, right], [o_of_x1(left), o_of_x1(right)], "go")
ax.plot([2.0], [o.data], "ko")
ax.set_ylim(-1.1, 1.1)
ax.set_xlabel("x1")
ax.legend(loc="lower left")
plt.show()

# %% [markdown]
# ## A check without calculus: finite differences
#
# A derivative is a limit: $\frac{\partial o}{\partial x_1} \approx
# \frac{o(x_1 + h) - o(x_1 - h)}{2h}$ for a small $h$. We can evaluate the neuron twice with
# plain Python floats and compare with the gradient from `backward()`. This "numerical
# gradient" is slow for many parameters (two forward passes per number) and a little
# inexact, but it is a great test that the analytic gradients are right.


# %%
def neuron(x1, w1, x2, w2, b):
    """The same neuron, with plain floats."""
    return math.tanh(x1 * w1 + x2 * w2 + b)


h = 1e-6
inputs = dict(x1=2.0, w1=-3.0, x2=0.0, w2=1.0, b=6.8813735870195432)
up = neuron(**{**inputs, "x1": inputs["x1"] + h})
down = neuron(**{**inputs, "x1": inputs["x1"] - h})
numerical = (up - down) / (2 * h)
print(f"finite differences: do/dx1 ~ {numerical:.6f}")
print(f"backward():         do/dx1 = {x1.grad:.6f}")
print("agree to 6 digits:", math.isclose(numerical, x1.grad, rel_tol=1e-6))

# %% [markdown]
# ## How small should h be?
#
# Smaller is not always better. Two errors pull in opposite directions:
#
# * **truncation error**: the formula is exact only in the limit; for the central difference
#   the error shrinks like $h^2$ (a straight line of slope 2 on log-log axes);
# * **rounding error**: a computer stores about 16 significant digits in float64 and 7 in
#   float32. Subtracting two nearly equal values of $o$ leaves only their last, noisy digits,
#   and dividing by a tiny $2h$ magnifies that noise like $1/h$.
#
# Plotted against $h$, the total error makes a **V**. Its bottom is where the two meet: near
# $h = 10^{-6}$ in float64, and much higher, near $h = 10^{-3}$, in float32. (On the far left
# of the float32 curve, $x_1 \pm h$ rounds to $x_1$ itself: both values of $o$ are the same,
# the estimate is 0 and the error is the whole slope, 1.5.)

# %%
hs = np.logspace(-12, 0, 49)
exact = x1.grad  # -1.5, from backward()
fig, ax = plt.subplots(figsize=(6, 3.5), dpi=90)
for dtype in [np.float64, np.float32]:
    x = dtype(2.0)
    errors = []
    for step in hs.astype(dtype):
        up, down = o_of_x1(x + step), o_of_x1(x - step)
        estimate = float(up - down) / (2 * float(step))
        errors.append(max(abs(estimate - exact), 1e-17))
    ax.loglog(hs, errors, marker=".", label=np.dtype(dtype).name)
ax.set_xlabel("h")
ax.set_ylabel("|finite difference - x1.grad|")
ax.set_title("rounding error (left) against truncation error (right)")
ax.legend()
plt.show()

# %% [markdown]
# The `h = 1e-6` used above sits near the bottom of the float64 V. In float32 the same `h`
# would lose almost every digit: that is why numerical gradient checks are done in float64.

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell. The solutions are in
# `solutions/01_tanh_neuron.py`, for after you have tried.
#
# ### Exercise 01.1
#
# A gradient predicts how the output moves. Without running the neuron again, estimate
# the new value of `o` if `w1` goes from -3.0 to **-2.99** (everything else unchanged).
# Use the value of `o` and one gradient from above.

# %%
from exercises import check

answer = ...  # your answer: the estimated new o
check("01.1", answer)

# %% [markdown]
# ### Exercise 01.2
#
# A different neuron: `x1 = 1.0, w1 = 0.5, x2 = -1.0, w2 = 2.0, b = 0.0`, and
# again `o = tanh(x1*w1 + x2*w2 + b)`. What is $\partial o / \partial w_1$? Compute it by
# hand, with the three local derivatives you met above (you may use `math.tanh`).

# %%
answer = ...  # your answer: do/dw1 for the new neuron
check("01.2", answer)

# %% [markdown]
# ### Exercise 01.3
#
# Back to our neuron, but with `w2 = 2.0` instead of 1.0 (everything else unchanged). What
# would `x2.grad` be? Think first about whether `n` and `o` change at all.

# %%
answer = ...  # your answer: do/dx2 with w2 = 2.0
check("01.3", answer)

# %% [markdown]
# ### Exercise 01.4 (write a function)
#
# Write `central_difference(f, x, h)`: the finite-difference estimate of the slope of a
# function `f` of one number at `x`, nudging by `h` to each side, as in the cell above.
# Pass the function itself as the answer: the check tries it on several functions (a
# cubic, `math.sin` at 0, a constant, `abs` at its corner, ...) and tells you what is off.


# %%
def central_difference(f, x, h): ...  # your code: return the estimate of the slope of f at x


answer = ...  # your answer: the function central_difference (without parentheses)
check("01.4", answer)

# %% [markdown]
# Next: `02_inside_backward.ipynb` opens up `backward()` and shows how the engine
# organises this sweep for any graph.
