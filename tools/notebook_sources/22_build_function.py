# %% [markdown]
# # 22 · Build it yourself, 3: an operation of your own, inside minitensor
#
# Every operation of minitensor (and of PyTorch) is a `Function`: a class with a static
# `forward`, which computes the result from plain tensors, and a static `backward`, which
# receives the gradient that arrived at the output and returns the gradient for each
# input. You wrote the same pair for each operation of your `Value`; here you write one
# for the real engine, check it with `gradcheck`, wrap it as a layer and train with it.
#
# The operation is **softplus**, a smooth ReLU:
#
# $$\mathrm{softplus}(x) = \log(1 + e^x), \qquad
# \frac{d}{dx}\,\mathrm{softplus}(x) = \frac{e^x}{1 + e^x} = \frac{1}{1 + e^{-x}} = \sigma(x)$$

# %%
import minitensor as mt
from exercises import check
from minitensor import nn

# %% [markdown]
# ## A Function, worked: the sine
#
# `forward(ctx, x)` computes the result and keeps on `ctx` what backward will need
# (`ctx.save_for_backward`). `backward(ctx, grad_output)` takes it back
# (`ctx.saved_tensors`) and returns `grad_output` times the local derivative,
# $\cos x$ here. `Sine.apply(x)` runs it and records a graph node, whose name minitensor
# makes from the class's name, as PyTorch does.


# %%
class Sine(mt.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin()

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * x.cos()


x = mt.tensor([0.0, 1.0, -2.0], requires_grad=True)
y = Sine.apply(x)
y.sum().backward()
print(y)
print(x.grad)

# %% [markdown]
# ## Checking a backward: `gradcheck`
#
# `gradcheck` does what your `central_difference` of exercise 01.4 did, for every entry
# of every input: it nudges the entry by a small step, in float64, and compares the
# central difference with what `backward` returns. It says `True`, or raises an error
# that names the entry that disagrees.

# %%
probe = mt.tensor([0.3, -1.2, 2.0], dtype=mt.float64, requires_grad=True)
mt.autograd.gradcheck(Sine.apply, (probe,))

# %% [markdown]
# ### Exercise 22.1: `Softplus`
#
# Write `Softplus` as a `Function`. Two things to watch:
#
# * `x` can be large: `exp(1000)` overflows to `inf` in float64. The check asks for
#   softplus at $x = \pm 1000$ too, so find a form of $\log(1 + e^x)$ that never
#   exponentiates a large positive number (`abs`, `clamp(min=0)`, `exp` and `log1p`
#   are all there).
# * `backward` returns the derivative **times** `grad_output` (the check does not send
#   ones). `x.sigmoid()` is stable for large $|x|$.


# %%
class Softplus(mt.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        raise NotImplementedError()

    @staticmethod
    def backward(ctx, grad_output):
        raise NotImplementedError()


check("22.1", Softplus)

# %% [markdown]
# ## From a Function to a layer
#
# A layer is an `nn.Module` whose `forward` calls the Function's `apply`. A layer without
# weights, like ReLU or softplus, has nothing else.
#
# ### Exercise 22.2: `SoftplusLayer`
#
# Write the layer. The check uses it in `nn.Sequential(nn.Linear(1, 16), SoftplusLayer(),
# nn.Linear(16, 1))`, fits $\sin x$ on $[-3, 3]$ for 150 steps of SGD, and compares every
# loss on the way with the same network built from minitensor's own operations.


# %%
class SoftplusLayer(nn.Module):
    def forward(self, x):
        raise NotImplementedError()


check("22.2", SoftplusLayer)

# %% [markdown]
# That completes the track: a scalar engine, the tensor rules and an operation inside a
# real engine. The same `Function` in PyTorch is
# `torch.autograd.Function`, with the same `ctx.save_for_backward`, `ctx.saved_tensors`
# and `apply`, and `torch.autograd.gradcheck` checks it the same way.
