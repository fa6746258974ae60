"""``x.new_zeros(...)``, ``new_ones``, ``new_full``, ``new_tensor`` and ``x.type_as(y)``.

The ``new_*`` methods make a new tensor with ``x``'s dtype and device
(unless ``dtype=`` or ``device=`` say otherwise): handy inside code that
must work for any dtype or device, ``h = x.new_zeros(batch, hidden)``. Only
the dtype and device come from ``x``: the new tensor has no link to it
(no graph, no shared memory). ``x.type_as(y)`` converts ``x`` to ``y``'s
dtype and device (``x`` itself if they already match).
"""

from __future__ import annotations

import warnings

from minitensor import creation
from minitensor.autograd.function import is_tensor
from minitensor.ops import convert


def _like(x, dtype, device):
    return (x.dtype if dtype is None else dtype), (x.device if device is None else device)


def new_zeros(x, *size, dtype=None, device=None, requires_grad=False):
    """Zeros of shape ``size`` with ``x``'s dtype and device."""
    dtype, device = _like(x, dtype, device)
    shape = creation._sizes(size, "new_zeros")
    return creation.zeros(shape, dtype=dtype, device=device, requires_grad=requires_grad)


def new_ones(x, *size, dtype=None, device=None, requires_grad=False):
    """Ones of shape ``size`` with ``x``'s dtype and device."""
    dtype, device = _like(x, dtype, device)
    shape = creation._sizes(size, "new_ones")
    return creation.ones(shape, dtype=dtype, device=device, requires_grad=requires_grad)


def new_empty(x, *size, dtype=None, device=None, requires_grad=False):
    """A tensor of shape ``size`` to overwrite, with ``x``'s dtype and device (zeros here)."""
    dtype, device = _like(x, dtype, device)
    shape = creation._sizes(size, "new_empty")
    return creation.empty(shape, dtype=dtype, device=device, requires_grad=requires_grad)


def new_full(x, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    """A tensor of shape ``size`` filled with ``fill_value``, with ``x``'s dtype and device."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(
            "new_full(): argument 'size' (position 1) must be tuple of ints, "
            f"not {type(size).__name__}"
        )
    dtype, device = _like(x, dtype, device)
    shape = creation._sizes((size,), "new_full")
    return creation.full(shape, fill_value, dtype=dtype, device=device, requires_grad=requires_grad)


def new_tensor(x, data, *, dtype=None, device=None, requires_grad=False):
    """``minitensor.tensor(data)`` with ``x``'s dtype and device (a copy of ``data``)."""
    dtype, device = _like(x, dtype, device)
    if is_tensor(data):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use "
            "sourceTensor.detach().clone() or sourceTensor.detach().clone().requires_grad_(True), "
            "rather than tensor.new_tensor(sourceTensor).",
            UserWarning,
            stacklevel=3,
        )
        data = data.detach()
        out = convert.to(data, dtype, device, copy=True).detach()
        return out.requires_grad_(True) if requires_grad else out
    return creation.tensor(data, dtype=dtype, device=device, requires_grad=requires_grad)


def type_as(x, other):
    """``x`` converted to ``other``'s dtype and device (``x`` itself if they match)."""
    if not is_tensor(other):
        raise TypeError(
            f"type_as(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}"
        )
    return convert.to(x, other.dtype, other.device)
