"""What every reduction shares: the dims it reduces, the dtype it counts in, its backward.

A reduction maps many elements to one (``sum``, ``mean``, ``prod``, ``max``,
``var``, ``norm``, ``softmax``'s sums, ...). All of them read their ``dim``
argument with `reduced_dims`, and all of their backwards spread one
gradient back over many elements with `expand_back`: it puts the reduced
dimensions back (as size 1) and broadcasts; the backward then multiplies by
the local derivative of each element.
"""

from __future__ import annotations

import math

from minitensor import dtypes as _dtypes
from minitensor.ops.operands import xp_of
from minitensor.ops.shape import normalize_dims


def reduced_dims(dim, ndim):
    """The reduced dimensions, normalised and sorted; None means all.

    An empty tuple also means all, as it does for PyTorch's sum/mean/var/norm.
    """
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        dim = None
    return normalize_dims(dim, ndim)


def numeric_array(x):
    """``x``'s array, with bools as int64: the array API adds and multiplies numbers only."""
    xp = xp_of(x)
    return xp.astype(x._array, xp.int64) if x.dtype == _dtypes.bool_ else x._array


def reduced_count(shape, dims) -> int:
    """How many elements each output element is reduced from."""
    return math.prod(shape[d] for d in dims)


def expand_back(grad, input_shape, dims, keepdim):
    """Broadcast a reduced gradient back to the input's shape.

    ``dims`` are the reduced dimensions (normalised, sorted); without
    ``keepdim`` they were removed, so they are put back as size-1 first.
    """
    if not keepdim:
        for d in dims:
            grad = grad.unsqueeze(d)
    return grad.expand(*input_shape)


def sum_dtype(t, dtype):
    """``sum`` of bools or integers counts in int64, as in PyTorch."""
    if dtype is not None:
        return _dtypes.to_dtype(dtype)
    return t.dtype if t.dtype.is_floating_point else _dtypes.int64
