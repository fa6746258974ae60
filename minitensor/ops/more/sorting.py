"""``sort``, ``argsort`` and ``topk``: the elements in order, and where they came from.

Sorting along a dimension is finding an *order* (the ``indices``: which
element goes first, second, ...) and then taking the elements in that order,
``values[..., j] = x[..., indices[..., j]]``. Each value is one element of x
moved to another place, so the backward moves each gradient back to the
place its value came from. ``topk`` keeps the first k of the sorted values;
the elements it left out get a zero gradient.

The order is stable (equal elements keep their order) and nan counts as the
largest value, as in PyTorch: ``sort`` puts nans last, ``descending=True``
first. ``sort`` and ``topk`` return a ``(values, indices)`` tuple with named
fields, ``minitensor.return_types.sort`` / ``...topk``, like PyTorch's.
"""

from __future__ import annotations

import builtins

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.ops.extremes import _check_dim_int, _result_type
from minitensor.ops.join import cat
from minitensor.ops.operands import wrap, xp_of
from minitensor.ops.shape import normalize_dim

SortResult = _result_type("sort")
TopkResult = _result_type("topk")


# --------------------------------------------------------------------------
# Orders, on arrays
# --------------------------------------------------------------------------


def _order(xp, array, axis, descending):
    """The int64 indices that sort ``array`` along ``axis`` (stable; nan counts as largest)."""
    if array.ndim == 0:  # one element, already in place
        return xp.zeros((), dtype=xp.int64, device=array.device)
    if array.dtype == xp.bool:  # the array API only orders numbers: False < True as 0 < 1
        array = xp.astype(array, xp.int8)
    return xp.astype(
        xp.argsort(array, axis=axis, descending=descending, stable=True), xp.int64, copy=False
    )


def _take(xp, array, index, axis):
    """``out[..., j] = array[..., index[..., j]]`` along ``axis``."""
    if array.ndim == 0:
        return xp.asarray(array, copy=True)
    return xp.take_along_axis(array, index, axis=axis)


def _inverse(order, dim):
    """The order that undoes ``order``: where each element went (argsort of a permutation)."""
    xp = xp_of(order)
    inverse = _order(xp, order._array, dim, descending=False)
    return wrap(inverse, order)


# --------------------------------------------------------------------------
# The Functions
# --------------------------------------------------------------------------


class Reorder(Function):
    """out[..., j] = x[..., order[..., j]]: x's elements along ``dim`` in the order ``order``

    ``order`` must be a permutation (each index once). The backward sends
    each gradient back to where its element came from: the same operation
    with the inverse permutation.
    """

    node_name = "GatherBackward0"

    @staticmethod
    def forward(ctx, x, order, dim):
        ctx.order, ctx.dim = order, dim
        return _take(xp_of(x), x._array, order._array, dim)

    @staticmethod
    def backward(ctx, grad_output):
        return Reorder.apply(grad_output, _inverse(ctx.order, ctx.dim), ctx.dim), None, None


class Sort(Reorder):
    """values = x's elements along ``dim`` in sorted order (the order is found before)"""

    node_name = "SortBackward0"


class SortStable(Sort):
    node_name = "SortBackward1"  # (PyTorch names the overload with ``stable=`` this way)


class Topk(Function):
    """values = the first k elements of x along ``dim`` in the order ``order`` (a sort)"""

    node_name = "TopkBackward0"

    @staticmethod
    def forward(ctx, x, order, k, dim):
        ctx.order, ctx.dim = order, dim
        xp = xp_of(x)
        first_k = order._array
        if x.ndim:
            first_k = first_k[(slice(None),) * dim + (slice(0, k), ...)]
        return _take(xp, x._array, first_k, dim)

    @staticmethod
    def backward(ctx, grad_output):
        # The elements topk left out get 0: pad the gradient with zeros to the
        # full length, then send everything back as sort's backward does.
        order, dim = ctx.order, ctx.dim
        left_out = order.shape[dim] - grad_output.shape[dim] if order.ndim else 0
        if left_out:
            shape = list(grad_output.shape)
            shape[dim] = left_out
            xp = xp_of(grad_output)
            zeros = xp.zeros(
                tuple(shape),
                dtype=grad_output._array.dtype,
                device=backend.native_device(grad_output.device),
            )
            grad_output = cat([grad_output, wrap(zeros, grad_output)], dim)
        return Reorder.apply(grad_output, _inverse(order, dim), dim), None, None, None


# --------------------------------------------------------------------------
# The functions users call
# --------------------------------------------------------------------------


def argsort(input, dim=-1, descending=False, stable=False):
    """The indices that sort ``input`` along ``dim`` (int64; not differentiable).

    >>> minitensor.argsort(minitensor.tensor([3., 1., 2.]))
    tensor([1, 2, 0])
    """
    _check_dim_int("argsort", dim)
    d = normalize_dim(dim, input.ndim)
    return wrap(_order(xp_of(input), input._array, d, descending), input)


def sort(input, dim=-1, descending=False, stable=None):
    """``(values, indices)``: ``input`` sorted along ``dim``, and where each value came from.

    Equal elements keep their order; nan sorts as the largest value.
    >>> minitensor.sort(minitensor.tensor([3., 1., 2.])).indices
    tensor([1, 2, 0])
    """
    _check_dim_int("sort", dim)
    d = normalize_dim(dim, input.ndim)
    indices = argsort(input, d, descending)
    values = (Sort if stable is None else SortStable).apply(input, indices, d)
    return SortResult(values, indices)


def topk(input, k, dim=-1, largest=True, sorted=True):
    """``(values, indices)`` of the ``k`` largest (``largest=False``: smallest) elements.

    The values come largest first (smallest first for ``largest=False``);
    ``sorted=False`` allows any order, and minitensor sorts them anyway.
    Gradients flow to the k chosen elements only.
    >>> minitensor.topk(minitensor.tensor([1., 5., 3.]), 2)
    minitensor.return_types.topk(
    values=tensor([5., 3.]),
    indices=tensor([1, 2]))
    """
    if isinstance(k, builtins.bool) or not isinstance(k, int):
        raise TypeError(f"topk(): argument 'k' (position 2) must be int, not {type(k).__name__}")
    _check_dim_int("topk", dim)
    d = normalize_dim(dim, input.ndim)
    if not 0 <= k <= (input.shape[d] if input.ndim else 1):
        raise RuntimeError("selected index k out of range")
    if input.dtype == _dtypes.bool_:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    order = argsort(input, d, descending=largest)
    values = Topk.apply(input, order, k, d)
    indices = order[(slice(None),) * d + (slice(0, k), ...)] if input.ndim else order
    return TopkResult(values, indices.contiguous())
