"""Writing: ``x[index] = value``, in place, with PyTorch's autograd rules.

The write follows the same `IndexPlan` as reading: the basic pieces give a
view of ``x`` (the region), into which ``value`` is copied, broadcast; with
advanced pieces it is scattered to the positions they pick. ``x`` then takes
the write's node as its ``grad_fn`` (``CopySlices`` as PyTorch names it),
whose parents are x's old node and value's: the gradient of the old ``x`` is
the incoming one with zeros where it was overwritten, and ``value`` gets the
gradient of the places it was written to.
"""

from __future__ import annotations

import numpy as np

from minitensor import backend
from minitensor.autograd.function import Function, is_tensor
from minitensor.autograd.grad_mode import is_grad_enabled
from minitensor.ops import shape as _shape
from minitensor.ops.broadcast import is_expandable_to
from minitensor.ops.indexing import _address, _apply, _full_index, _key, _placement
from minitensor.ops.inplace import check_inplace
from minitensor.ops.more.index_plan import IndexPlan, _listed
from minitensor.ops.operands import wrap, xp_of
from minitensor.ops.selection import where


class CopySlices(Function):
    """x[index] = value, in place (``CopySlices`` is PyTorch's name when the index has
    basic pieces; the subclasses below carry its names for the other cases)

    d x_new/d x_old is 1 where x was not written and 0 where it was (the old
    values are gone); d x_new/d value gathers the gradient of the written places
    (summed back to value's shape when value was broadcast).
    """

    node_name = "CopySlices"

    @staticmethod
    def forward(ctx, x, value, plan):
        ctx.plan = plan
        xp = xp_of(x)
        value = xp.astype(value._array, x._array.dtype)  # (2.7 written into integers is 2)
        region = _region(xp, x._array, plan)
        hit = True
        if plan.indices:
            value, hit = _scatter(xp, region, plan.indices, value, x.device)
        try:
            region[...] = value
        except ValueError:  # NumPy refuses to write into memory that expand() shares
            raise RuntimeError(
                "unsupported operation: more than one element of the written-to tensor refers "
                "to a single memory location. Please clone() the tensor before performing the "
                "operation."
            ) from None
        written = xp.zeros(x._array.shape, dtype=xp.bool, device=x._array.device)
        _region(xp, written, plan)[...] = hit  # True where x was written: for backward
        ctx.written = wrap(written, x)
        return x._array  # (the node is what matters: the caller gives it to x)

    @staticmethod
    def backward(ctx, grad_output):
        grad_x = where(ctx.written, 0.0, grad_output)  # overwritten values had no effect
        grad_value = _apply(grad_output, ctx.plan) if ctx.needs_input_grad[1] else None
        return grad_x, grad_value, None


class IndexPut(CopySlices):
    node_name = "IndexPutBackward0"  # advanced index only


class CopyWhole(CopySlices):
    node_name = "CopyBackwards"  # x[...] = tensor


class FillWhole(CopySlices):
    node_name = "FillBackward3"  # x[...] = number


def _scalar_name(dtype) -> str:
    return dtype._tensor_type.removesuffix("Tensor")  # FloatTensor -> Float


def _region(xp, array, plan):
    """The view of ``array`` that the basic pieces of the index select (writable)."""
    for kind, dim, value in plan.steps:
        if kind == "unsqueeze":
            array = xp.expand_dims(array, axis=dim)
        else:
            array = array[_key(dim, value if kind == "select" else slice(*value))]
    return array


def _scatter(xp, region, indices, value, device):
    """``region`` with ``value`` written at the positions ``indices`` pick, and where.

    The array API has no scatter-write, only the backend's ``index_add``; adding
    into zeros is writing, as long as each position is written once. When an
    index repeats, PyTorch (on the CPU) keeps the last value: so do we.
    """
    index_add = backend.backend_for(device).index_add
    full = _full_index(region.shape, indices)
    size, place = _placement(region.shape, indices)
    keep = _last_occurrences(xp, _address(indices, region.shape))
    keep = xp.reshape(keep, (1,) * place + keep.shape + (1,) * (len(size) - place - keep.ndim))
    keep = xp.broadcast_to(keep, size)
    value = xp.astype(xp.broadcast_to(value, size), region.dtype)
    added = xp.zeros(region.shape, dtype=region.dtype, device=region.device)
    index_add(added, full, xp.where(keep, value, xp.zeros_like(value)))
    hit = xp.zeros(region.shape, dtype=xp.int8, device=region.device)
    index_add(hit, full, xp.astype(keep, xp.int8))
    hit = hit > 0
    return xp.where(hit, added, region), hit


def setitem(x, index, value):
    """``x[index] = value``: write into x's memory, broadcasting ``value``.

    As in PyTorch, x's ``grad_fn`` becomes the node of the write (CopySlices,
    IndexPutBackward0, ...), whose parents are x's old node and value's.
    """
    if isinstance(value, (np.number, np.bool_)):
        value = value.item()
    if not (is_tensor(value) or isinstance(value, (int, float, bool))):
        raise TypeError(f"can't assign a {type(value).__name__} to a {x.type()}")
    if isinstance(index, (bool, np.bool_)):  # PyTorch: x[True] = v writes into x[None]
        if not index:
            return  # and x[False] = v writes nowhere
        index = None
    plan = IndexPlan(x, index, reading=False)
    if plan.steps and is_grad_enabled() and x._grad_fn is None and x._requires_grad:
        raise RuntimeError(  # x[1:3] = v writes through a view of x
            "a view of a leaf Variable that requires grad is being used in an in-place operation."
        )
    check_inplace(x)
    if is_tensor(value):
        if plan.indices and value.dtype != x.dtype:
            raise RuntimeError(
                "Index put requires the source and destination dtypes match, got "
                f"{_scalar_name(x.dtype)} for the destination and {_scalar_name(value.dtype)} "
                "for the source."
            )
        value = _fitted_value(value, plan)
        number = False
    else:  # a number becomes a 0-d tensor: an input of the node that needs no gradient
        xp = xp_of(x)
        value = wrap(xp.asarray(value, device=x._array.device), x)
        number = True
    if plan.indices:
        function = CopySlices if plan.steps else IndexPut
    elif plan.steps:
        function = CopySlices
    else:
        function = FillWhole if number else CopyWhole
    written = function.apply(x, value, plan)
    x._bump_version()
    if written._grad_fn is not None:
        x._grad_fn, x._requires_grad = written._grad_fn, True


def _fitted_value(value, plan):
    """``value`` shaped for the places it goes to, recorded as PyTorch records it:
    leading size-1 dimensions viewed away, then expanded (basic index) or
    checked for broadcasting (advanced index)."""
    target = _placement(plan.shape, plan.indices)[0] if plan.indices else plan.shape
    if value.shape == target or (value.ndim == 0 and not plan.indices):
        return value
    leading = 0
    while leading < value.ndim and value.shape[leading] == 1:
        leading += 1
    stripped = tuple(value.shape[leading:])
    if plan.indices:
        if leading:
            value = _shape.View.apply(value, stripped)
        if not is_expandable_to(stripped, target):
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {_listed(stripped)} cannot be broadcast "
                f"to indexing result of shape {_listed(target)}"
            )
        return value
    value = _shape.View.apply(value, stripped)
    return value if stripped == target else _shape.expand(value, *target)


def _last_occurrences(xp, address):
    """True for each position whose address does not appear again later."""
    flat = xp.reshape(address, (-1,))
    if flat.shape[0] == 0:  # nothing is written (an all-False mask)
        return xp.astype(address, xp.bool)
    order = xp.argsort(flat, stable=True)  # equal addresses end up together, in order
    ordered = xp.take(flat, order)
    last = xp.concat(
        [ordered[1:] != ordered[:-1], xp.ones((1,), dtype=xp.bool, device=flat.device)]
    )
    undo = xp.argsort(order)  # the inverse permutation puts them back
    return xp.reshape(xp.take(last[: flat.shape[0]], undo), address.shape)
