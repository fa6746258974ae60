# %% [markdown]
# # 20 · Build it yourself, 1: the derivative by finite differences
#
# The notebooks so far showed you an autograd engine at work. In this track of four
# notebooks **you write one**, piece by piece, and every piece is checked the moment you
# run it:
#
# | notebook | you write |
# |---|---|
# | `20_build_derivative` | the derivative by finite differences: the referee for everything after |
# | `21_build_value` | a `Value` class: `*`, `tanh`, `exp`, `**`, and `backward()` with your own topological sort |
# | `22_build_tensor_backward` | the backward of tensor operations: broadcasting, `matmul` |
# | `23_build_function` | an operation of your own for `minitensor`, checked by `gradcheck`, used in training |
#
# **How the gaps work.** A cell with a gap contains `raise NotImplementedError()`. Replace
# that line with your code and run the cell: the `check(...)` call at its end runs your
# code on several inputs and tells you what is right, or *what* is wrong (which number,
# expected against got, and the likely slip). Until you fill a gap it says
# "not answered yet". Worked solutions are in `solutions/`, for after you have tried.

# %%
import math

from exercises import check

# %% [markdown]
# ## A derivative is a slope
#
# Nudge the input of $f$ by a small $h$ and see how much the output moves: the ratio is
# (nearly) the slope of $f$ at $x$, its derivative. For $f(x) = x^3$ at $x = 2$ the exact
# slope is $3 \cdot 2^2 = 12$:


# %%
def f(x):
    return x**3


x, h = 2.0, 0.001
print("forward nudge: ", (f(x + h) - f(x)) / h)
print("exact slope:   ", 3 * x**2)

# %% [markdown]
# The forward nudge is off by about $3xh = 0.006$: the curve bends within the step. Looking
# **both ways** cancels that first error term:
#
# $$f'(x) \approx \frac{f(x + h) - f(x - h)}{2h}$$
#
# This *central difference* is off only by about $h^2 f'''(x) / 6$, here $10^{-6}$.
#
# ### Exercise 20.1: `central_difference`
#
# Write `central_difference(f, x, h=1e-5)`, which returns the central-difference estimate
# of the derivative of the one-argument function `f` at `x`.


# %%
def central_difference(f, x, h=1e-5):
    raise NotImplementedError()


check("20.1", central_difference)

# %% [markdown]
# ## Functions of several inputs
#
# A neuron has five inputs, $o = \tanh(x_1 w_1 + x_2 w_2 + b)$, and one partial derivative
# for each: nudge **one** input, keep the others where they are.
#
# ### Exercise 20.2: `numerical_gradient`
#
# Write `numerical_gradient(f, inputs, h=1e-5)`: `inputs` is a list of numbers, `f` takes
# them as separate arguments (`f(*inputs)`), and the result is the list of the central
# differences, one per input. Leave the caller's list as it was.


# %%
def numerical_gradient(f, inputs, h=1e-5):
    raise NotImplementedError()


check("20.2", numerical_gradient)

# %% [markdown]
# This function is the **referee** of the rest of the track: whatever your `backward()`
# computes in the next notebooks must agree with it.
#
# ## How small should h be?
#
# Smaller $h$ means a smaller bend inside the step. But a computer keeps a fixed number of
# digits, and $f(x+h)$ and $f(x-h)$ agree in more and more of them as $h$ shrinks: their
# difference is left with fewer and fewer correct digits.
#
# ### Exercise 20.3: the best step in float64
#
# Compute the central difference of `math.exp` at $x = 1$ (the exact derivative is
# $e$, `math.e`) for each $h$ in `steps`, print the error of each, and answer with the
# $h$ whose error is smallest.

# %%
steps = [1e-1, 1e-3, 1e-5, 1e-7, 1e-9, 1e-11, 1e-13]

# your loop here: print h and the error for each step

answer = ...  # the best h, one of steps
check("20.3", answer)

# %% [markdown]
# ### Exercise 20.4: the best step in float32
#
# Deep-learning code computes in float32, which keeps about 7 significant digits instead
# of 16. Repeat the experiment in float32: `x = np.float32(1.0)`, each step as
# `np.float32(h)`, `np.exp` for the function, and `np.float32(2) * step` in the
# denominator, so that nothing is silently computed in float64.

# %%
import numpy as np

# your loop here

answer = ...  # the best h in float32, one of steps
check("20.4", answer)

# %% [markdown]
# Every gradient check in deep learning (`minitensor.autograd.gradcheck`, PyTorch's
# `torch.autograd.gradcheck`) does what you just did, in float64, with a step near the
# best one you found.
#
# Next: `21_build_value.ipynb`, where you write the engine that computes all these
# derivatives at once, exactly, in one backward sweep.
