# %% [markdown]
# # 20 · Build it yourself, 1: a `Value` and its backward pass
#
# The notebooks so far showed you an autograd engine at work. In this track of three
# notebooks **you write one**, piece by piece, and every piece is checked the moment you
# run it:
#
# | notebook | you write |
# |---|---|
# | `20_build_value` | a `Value` class: `*`, `tanh`, `exp`, `**`, a `backward()` with your own topological sort, a training loop |
# | `21_build_tensor_backward` | the backward rules that tensors add: broadcasting and `matmul`, inside a small tensor engine |
# | `22_build_function` | an operation of your own for minitensor, checked by `gradcheck`, trained as a layer |
#
# Here you start with a scalar engine the size of micrograd: a `Value` that records how
# each number was computed, the local derivative of each operation, and a `backward()`
# that applies the chain rule to the whole graph. In exercise 02.4 you walked
# minitensor's own nodes; here every node is yours. At the end you train a neuron with it.
#
# **How the gaps work.** A cell with a gap contains `raise NotImplementedError()`. Replace
# that line with your code and run the cell: the `check(...)` call at its end runs your
# code on several inputs, compares it with the real engine (`minitensor`), and says what
# is right or *what* is wrong (which number, expected against got, and the likely slip).
# Until you fill a gap it says "not answered yet". The worked solutions are in
# `solutions/20_build_value.py`, for after you have tried.

# %%
import math

import minitensor
from exercises import check

# %% [markdown]
# ## The skeleton
#
# A `Value` holds a number (`data`), the gradient of the final output with respect to it
# (`grad`, 0 until a backward pass fills it), the Values it was computed from (`_prev`),
# and a function `_backward` that, once `self.grad` is known, sends it on to the inputs.
# A leaf (an input) has nothing to send on, so its `_backward` does nothing.


# %%
class Value:
    """A number that remembers how it was computed."""

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._prev = tuple(_children)  # the Values this one was computed from
        self._op = _op  # the operation that made it, for printing
        self._backward = lambda: None  # set by each operation

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"


# %% [markdown]
# ## A worked example: addition
#
# Every operation does two things. **Forward:** compute the result and make a new `Value`
# that remembers its inputs. **Backward:** define `_backward`, which adds to each input's
# `grad` the gradient that arrived at the output (`out.grad`) times the local derivative
# $\partial\,\mathrm{out} / \partial\,\mathrm{input}$. For a sum both local derivatives are
# 1. Note the `+=`: an input used in several places receives a share from each.


# %%
def __add__(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data + other.data, (self, other), "+")

    def _backward():
        self.grad += 1.0 * out.grad
        other.grad += 1.0 * out.grad

    out._backward = _backward
    return out


Value.__add__ = __add__
Value.__radd__ = __add__  # 2 + a calls a.__radd__(2)

# %% [markdown]
# Try it: make a sum, put a gradient into its `grad` by hand, and call its `_backward`.

# %%
a, b = Value(2.0), Value(-3.0)
c = a + b
c.grad = 1.0
c._backward()
a, b, c

# %% [markdown]
# ### Exercise 20.1: multiplication
#
# Complete `_backward` for `out = self * other`. The local derivative with respect to each
# factor is the *other* factor. The check puts its own number into `out.grad` and looks
# at the gradients your `_backward` delivers, also when one Value is used twice (`a * a`).


# %%
def __mul__(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data * other.data, (self, other), "*")

    def _backward():
        raise NotImplementedError()

    out._backward = _backward
    return out


Value.__mul__ = __mul__
Value.__rmul__ = __mul__  # 2 * a calls a.__rmul__(2)
check("20.1", Value)

# %% [markdown]
# ### Exercise 20.2: tanh
#
# $\frac{d}{dx}\tanh x = 1 - \tanh^2 x$. The forward pass has already computed $\tanh x$:
# use it.


# %%
def tanh(self):
    out = Value(math.tanh(self.data), (self,), "tanh")

    def _backward():
        raise NotImplementedError()

    out._backward = _backward
    return out


Value.tanh = tanh
check("20.2", Value)

# %% [markdown]
# ### Exercise 20.3: exp
#
# $\frac{d}{dx}e^x = e^x$.


# %%
def exp(self):
    out = Value(math.exp(self.data), (self,), "exp")

    def _backward():
        raise NotImplementedError()

    out._backward = _backward
    return out


Value.exp = exp
check("20.3", Value)

# %% [markdown]
# ### Exercise 20.4: powers
#
# $\frac{d}{dx}x^k = k\,x^{k-1}$, for a number $k$ (not a `Value`). The check tries
# $k = 2, 3, -1, 0.5$ and $0$.


# %%
def __pow__(self, k):
    assert isinstance(k, (int, float)), "only a number as the exponent"
    out = Value(self.data**k, (self,), f"**{k}")

    def _backward():
        raise NotImplementedError()

    out._backward = _backward
    return out


Value.__pow__ = __pow__
check("20.4", Value)

# %% [markdown]
# ## More operations, for free
#
# Subtraction, negation and division need no backward of their own: they are built from
# the operations above, and their gradients come out of the chain rule through them.

# %%
Value.__neg__ = lambda self: self * -1
Value.__sub__ = lambda self, other: self + (-other)
Value.__rsub__ = lambda self, other: other + (-self)
Value.__truediv__ = lambda self, other: self * other**-1
Value.__rtruediv__ = lambda self, other: other * self**-1

# %% [markdown]
# ## The backward pass
#
# `backward()` on the output must call every node's `_backward`, each **after** all the
# nodes that use it have sent their share (otherwise its `grad` is not complete yet).
# An order in which every node comes after its inputs is a **topological order**;
# backward walks it in reverse, output first. The output's own gradient is
# $\partial\,\mathrm{out}/\partial\,\mathrm{out} = 1$.
#
# ### Be the engine first
#
# Before you write `backward()`, do its work by hand. The stepper below runs minitensor's
# engine on a small neuron, $o = \tanh(x w + b)$, and before each step asks what the node
# in gold will send to each of its inputs: its own gradient (already complete) times the
# local derivative you wrote above. Type a number in each box and press **Check**; a wrong
# answer shows the product written out, and the score counts your right answers.

# %%
from minitensor import viz

x = minitensor.Value(2.0, label="x")
w = minitensor.Value(-0.5, label="w")
b = minitensor.Value(0.3, label="b")
xw = x * w
xw.label = "x*w"
n = xw + b
n.label = "n"
o = n.tanh()
o.label = "o"
viz.Stepper(o, predict=True)

# %% [markdown]
# ### Exercise 20.5: `backward`
#
# Write `backward(self)`: build the topological order of the graph below `self` (each
# node once, even when it is reached by several paths), set `self.grad = 1.0`, then call
# `_backward` of every node in reverse order. The check compares your gradients with
# minitensor's on a neuron and on a graph whose Values are used on several paths.


# %%
def backward(self):
    raise NotImplementedError()


Value.backward = backward
check("20.5", Value)

# %% [markdown]
# ### Exercise 20.6: deep graphs
#
# The easiest topological sort is recursive (visit the children, then append the node),
# and micrograd's is. But Python allows about a thousand nested calls, and a network
# unrolled over time easily has more nodes in a chain. The check runs your `backward()`
# on chains of 100, 1,000, 10,000 and 100,000 nodes and tells you how far it gets. If it
# stops early, rewrite it with a stack of your own (a list of nodes still to visit), and
# run the 20.5 check again too.

# %%
check("20.6", Value)

# %% [markdown]
# ## Training with your engine
#
# Your `Value` now does everything a training loop needs. Here is one neuron,
# $\tanh(w_1 x_1 + w_2 x_2 + b)$, and four points to fit, with the squared error summed
# over them as the loss.
#
# ### Exercise 20.7: the training loop
#
# Complete `train`: in each step, after the forward pass that is already written, reset
# every parameter's gradient to 0, run `loss.backward()`, then move each parameter a step
# of size `lr` against its gradient. The check runs your loop and minitensor's side by
# side.


# %%
def train(w, b, points, lr, steps):
    w = [Value(v) for v in w]
    b = Value(b)
    losses = []
    for _ in range(steps):
        loss = Value(0.0)
        for x, y in points:
            out = (w[0] * x[0] + w[1] * x[1] + b).tanh()
            loss = loss + (out - y) ** 2
        raise NotImplementedError()
        losses.append(loss.data)
    return w, b, losses


check("20.7", train)

# %% [markdown]
# That is a complete autograd engine: every `loss.backward()` in PyTorch does what yours
# does, on tensors instead of numbers. Next: `21_build_tensor_backward.ipynb`, where the
# gradients become arrays and their shapes start to matter.
