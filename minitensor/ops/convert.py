"""Changing a tensor's dtype or device, and copying it: ``to``, ``clone``, ``contiguous``.

A conversion is differentiable: the gradient flows back converted to the
input's dtype and device (``ToCopyBackward0`` in the graph).
"""

from __future__ import annotations

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function, is_tensor, wrap_array


class ToCopy(Function):
    """out = x converted to another dtype and/or device."""

    node_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, dtype, device):
        ctx.source_device = x.device
        array = backend.transfer(x._array, x.device, device)
        xp = backend.namespace(device)
        # A tensor, not an array: the result lives on another device than the input.
        return wrap_array(xp.astype(array, backend.native_dtype(xp, dtype)), device)

    @staticmethod
    def backward(ctx, grad_output):
        # The node casts the gradient back to the input's dtype; we move it back.
        return grad_output.to(ctx.source_device), None, None


class Clone(Function):
    """out = a copy of x (new memory)."""

    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return backend.contiguous_copy(x._array, x.device)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


def _parse_to_args(tensor, args, kwargs):
    """Sort out ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)``."""
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    kwargs.pop("non_blocking", None)
    copy = kwargs.pop("copy", False)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    for arg in args:
        if is_tensor(arg):
            dtype, device = arg.dtype, arg.device
        elif isinstance(arg, _dtypes.dtype) or arg in (float, int, bool):
            dtype = _dtypes.to_dtype(arg)
        elif isinstance(arg, (str, backend.device)):
            device = arg
        else:
            raise TypeError(f"to() received an invalid combination of arguments: {arg!r}")
    dtype = tensor.dtype if dtype is None else _dtypes.to_dtype(dtype)
    device = tensor.device if device is None else backend.as_device(device)
    return dtype, device, copy


def to(tensor, *args, **kwargs):
    """Convert dtype and/or device; returns ``tensor`` itself when nothing changes."""
    dtype, device, copy = _parse_to_args(tensor, args, dict(kwargs))
    if dtype == tensor.dtype and device == tensor.device and not copy:
        return tensor
    return ToCopy.apply(tensor, dtype, device)


def clone(tensor):
    return Clone.apply(tensor)


def is_contiguous(tensor) -> bool:
    """True if the elements lie in memory in row-major order with no gaps."""
    flags = getattr(tensor._array, "flags", None)
    return True if flags is None else bool(flags.c_contiguous)


def contiguous(tensor):
    """The tensor itself if contiguous, else a row-major copy (what ``view`` needs)."""
    return tensor if is_contiguous(tensor) else Clone.apply(tensor)
