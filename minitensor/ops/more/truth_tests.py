"""``all`` and ``any``: truth tests over a tensor, never part of the graph.

Their result is a bool tensor (uint8 for a uint8 input, as in PyTorch), so
there is no gradient to compute and no backward to write.
"""

from __future__ import annotations

from minitensor import dtypes as _dtypes
from minitensor.ops.operands import wrap, xp_of
from minitensor.ops.shape import normalize_dims


def _truth_test(x, name, dim, keepdim):
    dims = normalize_dims(dim, x.ndim)  # here () reduces nothing, as in PyTorch
    xp = xp_of(x)
    out = getattr(xp, name)(x._array, axis=dims, keepdims=keepdim)
    if x.dtype == _dtypes.uint8:  # PyTorch keeps uint8 for uint8 inputs
        out = xp.astype(out, xp.uint8)
    return wrap(out, x)


def all(x, dim=None, keepdim=False):
    """True if every element is nonzero (over ``dim``): a bool tensor."""
    return _truth_test(x, "all", dim, keepdim)


def any(x, dim=None, keepdim=False):
    """True if some element is nonzero (over ``dim``): a bool tensor."""
    return _truth_test(x, "any", dim, keepdim)
