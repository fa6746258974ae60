"""Reductions: ``sum``, ``mean``, ... over all elements or over some dimensions.

A reduction maps many elements to one, so its backward spreads one
gradient back over many elements: for ``sum`` every input element gets the
output's gradient unchanged (d(x1 + x2 + ...)/dxi = 1), for ``mean`` a
share of 1/n of it. `expand_back` does the spreading: it puts the reduced
dimensions back (as size 1) and broadcasts.
"""

from __future__ import annotations

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.ops.shape import normalize_dims


def _xp(t):
    return backend.namespace(t.device)


def expand_back(grad, input_shape, dims, keepdim):
    """Broadcast a reduced gradient back to the input's shape.

    ``dims`` are the reduced dimensions (normalised, sorted); without
    ``keepdim`` they were removed, so they are put back as size-1 first.
    """
    if not keepdim:
        for d in dims:
            grad = grad.unsqueeze(d)
    return grad.expand(*input_shape)


def _sum_dtype(t, dtype):
    """``sum`` of bools or integers counts in int64, as in PyTorch."""
    if dtype is not None:
        return _dtypes.to_dtype(dtype)
    return t.dtype if t.dtype.is_floating_point else _dtypes.int64


class Sum(Function):
    """out = the sum of x over ``dims``"""

    node_name = "SumBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        xp = _xp(x)
        return xp.sum(x._array, axis=dims, keepdims=keepdim, dtype=backend.native_dtype(xp, dtype))

    @staticmethod
    def backward(ctx, grad_output):
        # d(sum)/dx_i = 1: every element gets the output's gradient.
        return expand_back(grad_output, ctx.shape, ctx.dims, ctx.keepdim), None, None, None


class Mean(Function):
    """out = the mean of x over ``dims``"""

    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        ctx.count = 1
        for d in dims:
            ctx.count *= x.shape[d]
        return _xp(x).mean(x._array, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        # d(mean)/dx_i = 1/n for each of the n elements averaged.
        grad = expand_back(grad_output, ctx.shape, ctx.dims, ctx.keepdim) / ctx.count
        return grad, None, None


def sum(x, dim=None, keepdim=False, *, dtype=None):
    """The sum of all elements, or over ``dim`` (an int or a tuple of ints)."""
    dims = normalize_dims(dim, x.ndim)
    return Sum.apply(x, dims, keepdim, _sum_dtype(x, dtype))


def mean(x, dim=None, keepdim=False, *, dtype=None):
    """The mean of all elements, or over ``dim``. Needs a float tensor, as in PyTorch."""
    if dtype is not None:
        x = x.to(dtype)
    if not x.dtype.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {x.dtype._tensor_type.removesuffix('Tensor')}"
        )
    dims = normalize_dims(dim, x.ndim)
    return Mean.apply(x, dims, keepdim)


def _being_written(name):
    def placeholder(*args, **kwargs):
        raise NotImplementedError(f"minitensor.{name} is being written")

    placeholder.__name__ = name
    return placeholder


prod = _being_written("prod")
max = _being_written("max")
min = _being_written("min")
argmax = _being_written("argmax")
argmin = _being_written("argmin")
var = _being_written("var")
std = _being_written("std")
norm = _being_written("norm")
all = _being_written("all")
any = _being_written("any")
softmax = _being_written("softmax")
log_softmax = _being_written("log_softmax")
logsumexp = _being_written("logsumexp")
