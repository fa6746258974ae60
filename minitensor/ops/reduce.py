"""Reductions: ``sum`` and ``mean``, the two that every loss and every layer needs.

A reduction maps many elements to one, so its backward spreads one
gradient back over many elements: for ``sum`` every input element gets the
output's gradient unchanged (d(x1 + x2 + ...)/dxi = 1), for ``mean`` a
share of 1/n of it. `expand_back` (in reduction_rules.py, with the other
helpers all reductions share) does the spreading: it puts the reduced
dimensions back (as size 1) and broadcasts.

The other reductions build on the same helpers: ``prod`` in more/prod.py,
``all``/``any`` in more/truth_tests.py, ``max``/``min``/``argmax`` in
extremes.py, ``var``/``std`` in variance.py, ``norm`` in norm.py,
``softmax``/``log_softmax``/``logsumexp`` in softmax.py.

Backwards are written with tensor operations, so ``create_graph=True``
gives second derivatives.
"""

from __future__ import annotations

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.autograd.grad_mode import is_grad_enabled
from minitensor.ops.arithmetic import div_by_number
from minitensor.ops.operands import xp_of
from minitensor.ops.reduction_rules import (
    expand_back,
    numeric_array,
    reduced_count,
    reduced_dims,
    sum_dtype,
)


class Sum(Function):
    """out = the sum of x over ``dims``"""

    node_name = "SumBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        xp = xp_of(x)
        return xp.sum(
            numeric_array(x), axis=dims, keepdims=keepdim, dtype=backend.native_dtype(xp, dtype)
        )

    @staticmethod
    def backward(ctx, grad_output):
        # d(sum)/dx_i = 1: every element gets the output's gradient. A sum of
        # everything is a single number, which expand copies to every position.
        return grad_output.expand(*ctx.shape), None, None, None


class SumDim(Sum):
    node_name = "SumBackward1"  # PyTorch's name when a dim is given

    @staticmethod
    def backward(ctx, grad_output):
        # The same, along the summed dimensions (put back first if keepdim was False).
        return expand_back(grad_output, ctx.shape, ctx.dims, ctx.keepdim), None, None, None


class Mean(Function):
    """out = the mean of x over ``dims``"""

    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        ctx.count = reduced_count(x.shape, dims)
        # The mean of nothing is 0/0 = nan, as in PyTorch (quietly: see Function.apply).
        return xp_of(x).sum(x._array, axis=dims, keepdims=keepdim) / ctx.count

    @staticmethod
    def backward(ctx, grad_output):
        # The mean of everything is one number: expand copies it to every position.
        return _mean_backward(ctx, grad_output, lambda g: g.expand(*ctx.shape)), None, None


class MeanDim(Mean):
    node_name = "MeanBackward1"

    @staticmethod
    def backward(ctx, grad_output):
        def expand(g):
            return expand_back(g, ctx.shape, ctx.dims, ctx.keepdim)

        return _mean_backward(ctx, grad_output, expand), None, None


def _mean_backward(ctx, grad_output, expand):
    """d(mean)/dx_i = 1/n for each of the n elements averaged (``expand`` spreads a gradient)."""
    if is_grad_enabled():
        # Recording a graph (create_graph=True): PyTorch's order, expand then divide,
        # so the gradient's grad_fn is a division, as in PyTorch.
        return div_by_number(expand(grad_output), ctx.count)
    # The same numbers (each element is grad_output / n either way), but dividing
    # the small reduced gradient first leaves the expansion a view: no full-size array.
    return expand(grad_output / ctx.count)


def sum(x, dim=None, keepdim=False, *, dtype=None):
    """The sum of all elements, or over ``dim`` (an int or a tuple of ints).

    >>> minitensor.tensor([[1, 2], [3, 4]]).sum(0)
    tensor([4, 6])
    """
    dims = reduced_dims(dim, x.ndim)
    return (Sum if dim is None else SumDim).apply(x, dims, keepdim, sum_dtype(x, dtype))


def mean(x, dim=None, keepdim=False, *, dtype=None):
    """The mean of all elements, or over ``dim``. Needs a float tensor, as in PyTorch."""
    if dtype is not None:
        x = x.to(dtype)
    if not x.dtype.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_dtypes.scalar_type_name(x.dtype)}"
        )
    dims = reduced_dims(dim, x.ndim)
    return (Mean if dim is None else MeanDim).apply(x, dims, keepdim)
