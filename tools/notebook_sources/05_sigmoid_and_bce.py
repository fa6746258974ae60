# %% [markdown]
# # 05 · Sigmoid and binary cross-entropy
#
# The smallest classifier there is: one input, one weight, one bias. It computes a score
# $z$, turns it into a probability $a$ with the **sigmoid**, and is judged by the
# **binary cross-entropy** loss, which is small when $a$ is close to the right label $y$.
#
# $$z = x_1 w_1 + b, \qquad a = \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad
# \text{loss} = -\big(y \log a + (1 - y) \log(1 - a)\big)$$
#
# You will get its gradients three ways (`autograd.grad`, `backward()`, by hand), learn
# what `retain_graph` is for, and watch the backward pass step by step.

# %%
import math

import matplotlib.pyplot as plt

import minitensor as mt
import minitensor.nn.functional as F
from minitensor import viz

# %% [markdown]
# ## Sigmoid and tanh, and their slopes
#
# Both squash any score into a bounded range: the sigmoid into (0, 1), tanh into (-1, 1).
# Their derivatives (dashed) have simple forms in terms of the output:
# $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$, at most 0.25, and $\tanh'(z) = 1 - \tanh(z)^2$,
# at most 1. Far from 0 both curves are flat and **the gradient vanishes**: a neuron whose
# score is at $z = 6$ passes back less than 1% of the gradient it receives. The slopes here
# come from autograd, one `backward()` for all the points.

# %%
z_grid = mt.linspace(-6, 6, 241, requires_grad=True)
fig, axes = plt.subplots(1, 2, figsize=(7, 2.8), dpi=90, sharey=True)
for ax, f, name in [(axes[0], mt.sigmoid, "sigmoid"), (axes[1], mt.tanh, "tanh")]:
    z_grid.grad = None
    out = f(z_grid)
    out.sum().backward()  # each output depends on its own z only: z.grad is the slope
    ax.plot(z_grid.detach().numpy(), out.detach().numpy(), label=name)
    ax.plot(z_grid.detach().numpy(), z_grid.grad.numpy(), "--", label="its derivative")
    ax.axhline(0, color="grey", linewidth=0.5)
    ax.set_xlabel("z")
    ax.legend(loc="lower right")
plt.tight_layout()
plt.show()

# %% [markdown]
# At $z = 6$, in numbers:

# %%
z6 = mt.tensor(6.0, requires_grad=True)
mt.sigmoid(z6).backward()
print("sigmoid'(6) =", z6.grad.item())

# %% [markdown]
# ## The forward pass
#
# The label is `y = 1` (this example belongs to the class "yes"). The input is 1.1, the
# weight 2.2, the bias 0. Only the weight and the bias require grad: they are what a
# training would change. Look at the `grad_fn` of `a` and of `loss`: every step is
# remembered.

# %%
y = mt.tensor([1.0])
x1 = mt.tensor([1.1])
w1 = mt.tensor([2.2], requires_grad=True)
b = mt.tensor([0.0], requires_grad=True)

z = x1 * w1 + b
a = mt.sigmoid(z)
loss = F.binary_cross_entropy(a, y)
print(a)
print(loss)
print(loss.item())

# %% [markdown]
# The model says "yes" with probability 0.918, so the loss is small. With $y = 1$ the
# formula keeps only its first term, $-\log a$. Computed by hand from `a`:

# %%
print(-mt.log(a.detach()))
print(-math.log(a.item()))

# %% [markdown]
# ## The loss as a function of the prediction
#
# For the label $y = 1$ the loss is $-\log a$: zero when the model says $a = 1$, and growing
# without bound as $a$ goes to 0, a confident wrong answer. For $y = 0$ it is the mirror
# image, $-\log(1 - a)$. The dot is our model, at $a = 0.918$ with $y = 1$.

# %%
a_grid = mt.linspace(0.005, 0.995, 199)
fig, ax = plt.subplots(figsize=(6, 3), dpi=90)
for label in [1.0, 0.0]:
    targets = mt.full_like(a_grid, label)
    losses = F.binary_cross_entropy(a_grid, targets, reduction="none")
    ax.plot(a_grid.numpy(), losses.numpy(), label=f"y = {label:.0f}")
ax.plot([a.item()], [loss.item()], "ko")
ax.set_xlabel("prediction a")
ax.set_ylabel("binary cross-entropy")
ax.legend(loc="upper center")
plt.show()

# %% [markdown]
# ## Gradients with `autograd.grad`
#
# `mt.autograd.grad(output, input)` returns the gradient of `output` with respect to
# `input`, as a tuple (one entry per input asked for). It does **not** touch `.grad`.
#
# We ask twice, once per leaf, so the first call says `retain_graph=True`: keep the graph,
# we will walk it again. (Why that is needed comes next.)

# %%
print(mt.autograd.grad(loss, w1, retain_graph=True))
print(mt.autograd.grad(loss, b, retain_graph=True))
print(w1.grad, b.grad)

# %% [markdown]
# ## Gradients with `backward()`
#
# `loss.backward()` runs the same backward pass, but stores the gradients in the leaves'
# `.grad` instead of returning them. Same numbers:

# %%
loss.backward()
print(w1.grad, w1.grad.item())
print(b.grad, b.grad.item())

# %% [markdown]
# ## Why `retain_graph`?
#
# To compute gradients, some nodes need numbers from the forward pass: `SigmoidBackward0`
# needs $a$ (because $\sigma'(z) = a(1-a)$), `MulBackward0` needs $x_1$. They keep them
# as **saved tensors**. A backward pass frees them when it is done, so memory does not
# fill up with old graphs; `retain_graph=True` asks to keep them.
#
# The `backward()` above did not retain the graph, so a second walk fails, with a message
# that says exactly this:

# %% tags=["raises-exception"]
loss.backward()

# %% [markdown]
# The same happens to two `autograd.grad` calls on a fresh graph when the first one does
# not retain it:

# %%
z = x1 * w1 + b
a = mt.sigmoid(z)
loss = F.binary_cross_entropy(a, y)
print(mt.autograd.grad(loss, w1))

# %% [markdown]
# That call freed the graph, so asking for the gradient of `b` next fails:

# %% tags=["raises-exception"]
mt.autograd.grad(loss, b)

# %% [markdown]
# Three ways out: pass `retain_graph=True` to every call but the last; ask for all the
# gradients in **one** call (one walk of the graph); or, as a training loop does, run the
# forward pass again, which builds a new graph.

# %%
z = x1 * w1 + b
a = mt.sigmoid(z)
loss = F.binary_cross_entropy(a, y)
print(mt.autograd.grad(loss, [w1, b]))

# %% [markdown]
# ## By hand: dloss/dz = a - y
#
# The chain rule through the two last steps:
#
# $$\frac{\partial \text{loss}}{\partial a} = -\frac{y}{a} + \frac{1 - y}{1 - a},
# \qquad \frac{\partial a}{\partial z} = a(1 - a)$$
#
# Multiply them: $-y(1 - a) + (1 - y)a = a - y$. All the logs and exponentials cancel
# out: the gradient at the score is just "prediction minus label". From $z = x_1 w_1 + b$,
# $\partial z / \partial w_1 = x_1$ and $\partial z / \partial b = 1$, so:
#
# $$\frac{\partial \text{loss}}{\partial w_1} = (a - y)\,x_1, \qquad
# \frac{\partial \text{loss}}{\partial b} = a - y$$
#
# Check against what autograd found (`w1.grad`, `b.grad`):

# %%
dloss_dz = a.detach() - y
print("(a - y) * x1 =", dloss_dz * x1, "  w1.grad =", w1.grad)
print("a - y        =", dloss_dz, "  b.grad  =", b.grad)
print(math.isclose((dloss_dz * x1).item(), w1.grad.item(), rel_tol=1e-6))
print(math.isclose(dloss_dz.item(), b.grad.item(), rel_tol=1e-6))

# %% [markdown]
# ## No leaf requires grad, no graph
#
# The graph is built only for tensors that need it. With a weight and a bias that do not
# require grad, the same computation gives the same loss, with no `grad_fn`: nothing is
# remembered and `backward()` would have nothing to walk.

# %%
w1_plain = mt.tensor([2.2])
b_plain = mt.tensor([0.0])
loss_plain = F.binary_cross_entropy(mt.sigmoid(x1 * w1_plain + b_plain), y)
print(loss_plain)
print(loss_plain.grad_fn)

# %% [markdown]
# ## The graph of the loss
#
# Blue boxes are the leaves that require grad (with their gradients), grey boxes are the
# nodes of the backward pass, green is the loss. The constants `x1` and `y` do not
# appear: no gradient flows to them, so the graph does not need them as nodes.

# %%
z = x1 * w1 + b
a = mt.sigmoid(z)
loss = F.binary_cross_entropy(a, y)
viz.draw(loss, names={"w1": w1, "b": b, "z": z, "a": a, "loss": loss})

# %% [markdown]
# ## Step by step
#
# The stepper runs the real backward engine one node at a time and explains each step.
# Here it is driven from code: every `next()` processes one node and `explanation`
# says what happened. Read how dloss/dz = -0.0817 appears at step 2 (that is $a - y$),
# and how it is multiplied by $x_1 = 1.1$ on its way to `w1`.
#
# (We name the product `x1w1` so the explanations can refer to it.)

# %%
x1w1 = x1 * w1
z = x1w1 + b
a = mt.sigmoid(z)
loss = F.binary_cross_entropy(a, y)
names = {"w1": w1, "b": b, "x1w1": x1w1, "z": z, "a": a, "loss": loss}

with viz.Stepper(loss, names=names) as stepper:
    print(stepper)
    for _ in range(3):
        stepper.next()
        print()
        print(stepper.explanation)

# %% [markdown]
# Jump with `goto(n)`. While a stepper is working, `.grad` holds *its* pass's gradients,
# starting from nothing: after 4 steps the pass has reached `b` but not yet `w1`. At the
# last step `w1.grad` is complete. Leaving the `with` block (or calling `reset()` /
# `close()`) puts back the gradients you had before (here the same numbers, from the
# `backward()` further up), so the cells below are not affected.

# %%
with viz.Stepper(loss, names=names) as stepper:
    stepper.goto(4)
    print("after step 4:", "w1.grad =", w1.grad, " b.grad =", b.grad)
    stepper.goto(stepper.total)
    print("after step 6:", "w1.grad =", w1.grad, " b.grad =", b.grad)
    print()
    print(stepper.explanation)
print()
print("afterwards:  ", "w1.grad =", w1.grad, " b.grad =", b.grad)

# %% [markdown]
# ## Your turn: the stepper widget
#
# Click **Next** to walk the pass yourself, **Previous** to go back, **Play** to watch it
# run. The widget is live only in a running notebook; run the cell to get it.

# %%
stepper = viz.Stepper(loss, names=names)
stepper

# %% [markdown]
# ## Done stepping
#
# When you have finished with the widget, type `stepper.close()` in a new cell and run it:
# it closes the widget and puts back the gradients you had before you started. (No cell
# here does it for you, so that the widget stays open after **Run All**.) Nothing below
# reads `w1.grad` or `b.grad`.

# %% [markdown]
# ## Exercises
#
# Replace `...` with your answer and run the cell. Worked solutions are in
# `solutions/05_sigmoid_and_bce.py`.
#
# **05.1** Same model and numbers (x1 = 1.1, w1 = 2.2, b = 0), but the label is `y = 0`.
# What is dloss/dz? Use the formula derived above; a calculator (or `math.exp`) is
# allowed.

# %%
from exercises import check

answer = ...  # a number
check("05.1", answer)

# %% [markdown]
# **05.2** Still with `y = 0`: what is dloss/dw1? Then check it with `mt.autograd.grad`.

# %%
answer = ...  # a number
check("05.2", answer)

# %% [markdown]
# **05.3** A model that knows nothing says $a = 0.5$. What is its binary cross-entropy
# loss for the label `y = 1`? (And for `y = 0`?)

# %%
answer = ...  # a number
check("05.3", answer)

# %% [markdown]
# **05.4** (write a function) Write `dloss_dz(z, y)`: the gradient of the binary
# cross-entropy of `sigmoid(z)` with respect to the score `z`, from the formula derived
# above (no autograd). `z` and `y` are tensors of the same shape, one score and one label per
# example, and the result has that shape too: each example's own derivative. The check
# compares with autograd for several scores, including $z = 0$ and large ones.


# %%
def dloss_dz(z, y): ...  # your code


answer = ...  # your answer: the function dloss_dz
check("05.4", answer)
