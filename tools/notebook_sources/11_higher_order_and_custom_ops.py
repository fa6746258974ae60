# %% [markdown]
# # 11 · Higher derivatives and operations of your own
#
# A gradient computed by autograd is a tensor like any other. If the backward pass itself
# is recorded in a graph, that gradient can be differentiated again: second derivatives,
# Hessian-vector products, Newton's method. This notebook shows how (`create_graph=True`),
# then three more things you will meet in real code: writing an operation with its own
# backward (`autograd.Function`), freezing part of a network (`requires_grad_(False)`), and
# gradients through Python's `if` and `for`.

# %%
import math

import matplotlib.pyplot as plt

import minitensor as mt
from minitensor import nn

# %% [markdown]
# ## A gradient with a graph: `create_graph=True`
#
# `mt.autograd.grad(y, x)` returns $dy/dx$ as a plain tensor. With `create_graph=True` the
# backward pass is recorded too, so the result has a `grad_fn` of its own, and can be
# differentiated again.

# %%
x = mt.tensor(0.5, dtype=mt.float64, requires_grad=True)
y = mt.tanh(x)
(dy_dx,) = mt.autograd.grad(y, x, create_graph=True)
print("dy/dx    =", dy_dx)
(d2y_dx2,) = mt.autograd.grad(dy_dx, x)
print("d2y/dx2  =", d2y_dx2)

# %% [markdown]
# ### Checked against the formula
#
# $\tanh' = 1 - \tanh^2$, and differentiating once more (chain rule on $\tanh^2$):
# $\tanh'' = -2 \tanh \cdot (1 - \tanh^2)$.

# %%
t = math.tanh(0.5)
print("1 - tanh^2            =", 1 - t**2)
print("-2 tanh (1 - tanh^2)  =", -2 * t * (1 - t**2))
print("agree:", math.isclose(d2y_dx2.item(), -2 * t * (1 - t**2), rel_tol=1e-12))

# %% [markdown]
# ### The three curves
#
# Over a whole grid at once: each output depends on its own input only, so the gradient of
# the sum gives every slope. Differentiating that gradient (summed) again gives every
# curvature. The dots are the formula for $\tanh''$.

# %%
grid = mt.linspace(-3, 3, 121, dtype=mt.float64, requires_grad=True)
values = mt.tanh(grid)
(slopes,) = mt.autograd.grad(values.sum(), grid, create_graph=True)
(curvatures,) = mt.autograd.grad(slopes.sum(), grid)
g, tv = grid.detach().numpy(), values.detach().numpy()

fig, ax = plt.subplots(figsize=(6, 3), dpi=90)
ax.plot(g, tv, label="tanh")
ax.plot(g, slopes.detach().numpy(), label="tanh' (autograd)")
ax.plot(g, curvatures.numpy(), label="tanh'' (autograd)")
ax.plot(g[::10], (-2 * tv * (1 - tv**2))[::10], "k.", label="-2 tanh (1 - tanh²)")
ax.axhline(0, color="grey", linewidth=0.5)
ax.set_xlabel("x")
ax.legend(loc="upper left", fontsize=8)
plt.show()

# %% [markdown]
# ## A Hessian-vector product
#
# For a function of many numbers $f(w)$, the second derivatives form the **Hessian**
# matrix $H_{ij} = \partial^2 f / \partial w_i \partial w_j$. Like the Jacobian of
# notebook 10 it is too big to build for a network, but its product with a vector $v$ costs
# just two backward passes: $Hv$ is the gradient of the number $\nabla f \cdot v$.
#
# Take $f(w) = \tfrac14 \sum_i w_i^4 + (w_0 - 2 w_1)^2$, whose Hessian is
# $\mathrm{diag}(3 w_i^2) + \begin{pmatrix} 2 & -4 \\ -4 & 8 \end{pmatrix}$.


# %%
def f(w):
    return (w**4).sum() / 4 + (w[0] - 2 * w[1]) ** 2


w = mt.tensor([1.0, -2.0], dtype=mt.float64, requires_grad=True)
v = mt.tensor([1.0, 0.5], dtype=mt.float64)
(grad,) = mt.autograd.grad(f(w), w, create_graph=True)  # keep the graph of the gradient
(hvp,) = mt.autograd.grad((grad * v).sum(), w)  # the gradient of grad . v
print("gradient:", grad.detach())
print("H v:     ", hvp)

# %% [markdown]
# By hand, with $w = (1, -2)$: $H = \begin{pmatrix} 3 + 2 & -4 \\ -4 & 12 + 8 \end{pmatrix}$,
# and $Hv = (5 - 2,\ -4 + 10) = (3, 6)$.

# %%
H = mt.tensor([[3 * 1.0**2 + 2, -4.0], [-4.0, 3 * (-2.0) ** 2 + 8]], dtype=mt.float64)
print("H @ v by hand:", H @ v)

# %% [markdown]
# ## One Newton step
#
# Gradient descent steps against the slope with a step size you choose. **Newton's method**
# also uses the curvature: to find where $g'(x) = 0$, it steps $x \leftarrow x - g'(x) /
# g''(x)$, the zero of the tangent of $g'$. Both derivatives come from autograd.
#
# Minimise $g(x) = x^4/4 - 2x$: its minimum is where $x^3 = 2$, at $x = 2^{1/3} \approx
# 1.2599$. From $x = 1$: $g'(1) = -1$ and $g''(1) = 3$, so the first step lands on
# $1 + 1/3 = 1.3333$.


# %%
def g_fn(x):
    return x**4 / 4 - 2 * x


def newton_step(x_value):
    x = mt.tensor(x_value, dtype=mt.float64, requires_grad=True)
    (slope,) = mt.autograd.grad(g_fn(x), x, create_graph=True)
    (curvature,) = mt.autograd.grad(slope, x)
    return x_value - slope.item() / curvature.item()


x_value = 1.0
for step in range(1, 5):
    x_value = newton_step(x_value)
    print(f"step {step}: x = {x_value:.12f}   error {abs(x_value - 2 ** (1 / 3)):.1e}")

# %% [markdown]
# The error roughly squares at each step (7e-2, 4e-3, 1e-5, 1e-10): Newton's method
# converges **quadratically** near the answer. For a network with millions of weights the
# Hessian cannot be stored or inverted, but Hessian-vector products are the tool used to
# approximate such steps.

# %% [markdown]
# ## An operation of your own: `autograd.Function`
#
# Every operation of minitensor is an `autograd.Function`: a `forward` and a `backward`,
# side by side. You can write one too, as in PyTorch. Here is the sigmoid again, written so
# that backward reuses the forward's **output**: `ctx.save_for_backward` keeps it, and
# backward reads it from `ctx.saved_tensors`, using $\sigma'(x) = \sigma(x)(1 - \sigma(x))$.


# %%
class MySigmoid(mt.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        out = 1 / (1 + mt.exp(-x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * out * (1 - out)


x = mt.tensor([-1.0, 0.0, 2.0], dtype=mt.float64, requires_grad=True)
y = MySigmoid.apply(x)
print(y)
y.sum().backward()
print(x.grad)

# %% [markdown]
# ### `gradcheck`: is the backward right?
#
# A hand-written backward can be wrong in silence. `mt.autograd.gradcheck` compares it with
# finite differences (notebook 01), input by input; use float64, or rounding (notebook 01's
# V) drowns the comparison.

# %%
print("MySigmoid passes gradcheck:", mt.autograd.gradcheck(MySigmoid.apply, (x,)))

# %% [markdown]
# And a wrong backward, one that forgets to multiply by `grad_output`, is caught: with the
# default `raise_exception=True` gradcheck would raise a `GradcheckError` naming the
# mismatch; here we ask it for `False` instead.


# %%
class BrokenSigmoid(mt.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        out = 1 / (1 + mt.exp(-x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return out * (1 - out)  # BUG: grad_output is ignored


def broken_times_3(x):
    return BrokenSigmoid.apply(x) * 3  # the gradient arriving at BrokenSigmoid is 3


passed = mt.autograd.gradcheck(broken_times_3, (x,), raise_exception=False)
print("BrokenSigmoid passes gradcheck:", passed)

# %% [markdown]
# ## Freezing a layer: `requires_grad_(False)`
#
# To train only part of a network (a new last layer on top of a trained one, say), switch
# off the gradients of the rest. `module.requires_grad_(False)` does it for every parameter
# of the module: the backward pass then stops there, and those parameters keep `grad = None`.

# %%
mt.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
net[0].requires_grad_(False)  # freeze the first layer
loss = net(mt.randn(5, 3)).pow(2).mean()
loss.backward()
for name, parameter in net.named_parameters():
    print(
        f"{name:9} requires_grad={parameter.requires_grad!s:5}  grad is None: {parameter.grad is None}"
    )

# %% [markdown]
# An optimizer skips parameters whose `.grad` is `None`, so only the last layer moves.
# (Passing only `net[2].parameters()` to the optimizer is the other half of the habit.)

# %% [markdown]
# ## Gradients through `if` and `for`
#
# Autograd records the operations that **ran**, not the program that could have run. An
# `if` takes one branch, a loop runs some number of times, and the graph is that path only.
# So a Python function with control flow is differentiated along the path its input took.


# %%
def bumpy(x):
    if x.item() > 0:
        y = x * x
        path = "x * x"
    else:
        y = -3 * x
        path = "-3 * x"
    for _ in range(3):  # three times: y <- y * x
        y = y * x
    return y, path  # x^5 for x > 0, -3x^4 otherwise


for start in [2.0, -1.0]:
    x = mt.tensor(start, dtype=mt.float64, requires_grad=True)
    y, path = bumpy(x)
    y.backward()
    formula = 5 * start**4 if start > 0 else -12 * start**3
    print(f"x = {start:4}: path {path:6}  gradient {x.grad.item():6.1f}   formula {formula:6.1f}")

# %% [markdown]
# For $x = 2$ the path was $x^2$ then three products: $x^5$, slope $5x^4 = 80$. For $x = -1$:
# $-3x^4$, slope $-12x^3 = 12$. Each call builds a new graph, so a loop whose length depends
# on the data (a sequence of any length, a loop until convergence) works just as well.

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell. The solutions are in
# `solutions/11_higher_order_and_custom_ops.py`.
#
# ### Exercise 11.1
#
# $f(x) = x \tanh(x)$. What is $f''(0)$? Work it out by hand (product rule twice, or the
# formulas above), then check it with `create_graph=True`.

# %%
from exercises import check

answer = ...  # your answer: f''(0)
check("11.1", answer)

# %% [markdown]
# ### Exercise 11.2 (write a Hessian-vector product)
#
# Write `hvp(f, w, v)`: the product of the Hessian of the scalar function `f` at `w` with
# the vector `v` (both 1-d tensors; `w` does not require grad), by two passes of
# `mt.autograd.grad` as above. The check tries quadratics, whose Hessian is known, and
# other functions, among them a linear one: its gradient is a constant with no graph
# (`requires_grad` is `False`), and its Hessian is 0.


# %%
def hvp(f, w, v): ...  # your code


answer = ...  # your answer: the function hvp
check("11.2", answer)

# %% [markdown]
# ### Exercise 11.3 (write a Function)
#
# Write a `Cube(mt.autograd.Function)` for $x^3$, element-wise: `forward` saves what
# `backward` needs with `ctx.save_for_backward`, and `backward` returns the gradient with
# respect to `x`. The check runs `Cube.apply` on several tensors (negative numbers, zero,
# an upstream gradient that is not all ones) and compares with autograd of `x ** 3`.


# %%
class Cube(mt.autograd.Function):
    @staticmethod
    def forward(ctx, x): ...  # your code

    @staticmethod
    def backward(ctx, grad_output): ...  # your code


answer = ...  # your answer: the class Cube
check("11.3", answer)

# %% [markdown]
# That is the end of the guided notebooks. Notebooks 20 to 23 let you build the pieces of
# an autograd engine yourself.
