"""Tensors from Python data: ``tensor``, ``as_tensor``, ``from_numpy``.

``tensor([[1, 2], [3, 4]])`` checks the nested lists (same length on each
level, numbers only), infers the dtype as PyTorch does (ints give int64,
floats float32, bools bool), builds the array on the host with NumPy and
moves it to the requested device (`_finish`), so the same call gives the
same numbers on every device. Part of `minitensor.creation`.
"""

from __future__ import annotations

import math
import warnings
from numbers import Number
from typing import TYPE_CHECKING

import numpy as np

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import is_tensor, wrap_array

if TYPE_CHECKING:
    from minitensor.tensor import Tensor


def _is_sequence(x) -> bool:
    """Lists, tuples, ranges and NumPy arrays of 1 or more dimensions nest; numbers do not."""
    return isinstance(x, (list, tuple, range)) or (isinstance(x, np.ndarray) and x.ndim > 0)


def _nested_shape_and_values(data) -> tuple[list[int], list]:
    """Check nested sequences of numbers and return their shape and flat values.

    The shape is read along the first elements (``[[1, 2], [3, 4]]`` -> [2, 2]);
    every other element must then agree, or it is PyTorch's error.
    """
    shape: list[int] = []
    probe = data
    while _is_sequence(probe):
        shape.append(len(probe))
        if len(probe) == 0:
            break
        probe = probe[0]
    if isinstance(probe, (str, bytes)):
        if shape:
            raise ValueError(f"too many dimensions '{type(probe).__name__}'")
        raise TypeError(f"new(): invalid data type '{type(probe).__name__}'")

    values: list = []
    misplaced_sequence = False  # a list where a number belongs: the message needs the dtype
    stack = [(data, 0)]  # an explicit stack of (item, depth) instead of recursion
    while stack:
        item, depth = stack.pop()
        if depth < len(shape):
            if not _is_sequence(item):
                raise TypeError("not a sequence")
            if len(item) != shape[depth]:
                raise ValueError(
                    f"expected sequence of length {shape[depth]} at dim {depth} (got {len(item)})"
                )
            stack.extend((x, depth + 1) for x in reversed(item))
        elif _is_sequence(item):
            misplaced_sequence = True
            stack.extend((x, depth + 1) for x in item)  # its numbers still count for the dtype
        else:
            values.append(_checked_scalar(item))
    if misplaced_sequence:
        if _infer_dtype(values).is_floating_point:
            raise TypeError("must be real number, not list")
        raise TypeError("'list' object cannot be interpreted as an integer")
    return shape, values


def _checked_scalar(x):
    """A number (Python, NumPy, or a one-element tensor), or PyTorch's error."""
    if is_tensor(x):
        if x.numel() != 1:
            if not x.dtype.is_floating_point:
                raise TypeError(
                    "only integer tensors of a single element can be converted to an index"
                )
            raise ValueError("only one element tensors can be converted to Python scalars")
        return x
    if isinstance(x, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
    if isinstance(x, (bool, np.bool_, Number, np.number)) and not isinstance(
        x, (complex, np.complexfloating)
    ):
        return x
    raise RuntimeError(f"Could not infer dtype of {type(x).__name__}")


def _infer_dtype(values) -> _dtypes.dtype:
    """The dtype PyTorch gives these numbers: the promotion of each one's own dtype.

    A Python bool is bool, an int int64, a float the default float32; a NumPy
    number or a tensor brings its dtype (``[np.float64(1.0)]`` is float64).
    """
    result = None
    for v in values:
        if is_tensor(v):
            dt = v.dtype
        elif isinstance(v, np.generic):  # before float: np.float64 is a Python float too
            dt = _dtypes.from_array_dtype(v.dtype)
        else:
            dt = _dtypes.infer_python_dtype([v])
        result = dt if result is None else _dtypes.promote_types(result, dt)
    return _dtypes.get_default_dtype() if result is None else result


def _python_number(v):
    return v.item() if is_tensor(v) or isinstance(v, np.generic) else v


def _checked_integer(v, dt: _dtypes.dtype) -> int:
    """``v`` as an int that fits ``dt`` (negative ones wrap for unsigned types, as in C)."""
    if isinstance(v, float):
        if not math.isfinite(v):
            raise RuntimeError(f"value cannot be converted to type {dt.name} without overflow")
        v = int(v)  # truncation toward zero, as a C cast
    info = np.iinfo(dt.name)
    low = -info.max if info.min == 0 else info.min
    if not low <= v <= info.max:
        raise RuntimeError(f"value cannot be converted to type {dt.name} without overflow")
    return int(v)


def _array_from_data(data, dtype: _dtypes.dtype | None) -> np.ndarray:
    """A host NumPy array from Python data, a NumPy array or a Tensor."""
    if is_tensor(data):
        array = data._host_array()
        return array.astype((dtype or data.dtype).name, copy=True)
    if isinstance(data, np.ndarray):
        source = from_numpy(data)  # checks the dtype is supported
        return source._array.astype((dtype or source.dtype).name, copy=True)
    shape, values = _nested_shape_and_values(data)
    dt = dtype or _infer_dtype(values)
    numbers = [_python_number(v) for v in values]
    if dt.is_floating_point or dt == _dtypes.bool_:
        with backend.quiet_float_errors():  # 1e300 as float32 is inf, silently as in PyTorch
            array = np.array(numbers, dtype=dt.name)
    else:
        for v in numbers:  # integers are read as C long longs: 64 bits at most
            if isinstance(v, int) and not -(2**63) <= v < 2**63:
                raise ValueError("Overflow when unpacking long long")
        integers = [_checked_integer(v, dt) for v in numbers]
        array = np.array(integers, dtype=np.int64).astype(dt.name)
    return array.reshape(shape)


def _finish(array: np.ndarray, device, requires_grad: bool, *, factory: bool = True) -> Tensor:
    """Move a host array to its device and wrap it, checking ``requires_grad``."""
    dev = backend.as_device(device)
    out = wrap_array(backend.backend_for(dev).from_host(array), dev)
    if requires_grad:
        if not out.dtype.is_floating_point:
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        out._requires_grad = True
    return out


def tensor(data, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data`` (numbers, nested lists, an array).

    The dtype is inferred as PyTorch infers it: ints give int64, floats give
    float32, bools give bool; a NumPy array keeps its dtype.

        >>> tensor([[1, 2], [3, 4]])
        tensor([[1, 2],
                [3, 4]])
    """
    dt = None if dtype is None else _dtypes.to_dtype(dtype, "tensor")
    if is_tensor(data):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use "
            "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
            "requires_grad_(True), rather than minitensor.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
    return _finish(_array_from_data(data, dt), device, requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """Like `tensor`, but shares memory with a NumPy array or tensor when it can."""
    dt = None if dtype is None else _dtypes.to_dtype(dtype, "as_tensor")
    same_dtype = dt is None or (is_tensor(data) and dt == data.dtype)
    same_device = device is None or backend.as_device(device) == getattr(data, "device", None)
    if is_tensor(data) and same_dtype and same_device:
        return data
    if isinstance(data, np.ndarray) and dt in (None, from_numpy(data).dtype) and device is None:
        return from_numpy(data)
    return tensor(data, dtype=dt, device=device)


def from_numpy(array: np.ndarray) -> Tensor:
    """A CPU tensor that shares memory with a NumPy array (writes show in both)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    try:
        _dtypes.from_array_dtype(array.dtype)
    except TypeError:
        raise TypeError(
            f"can't convert np.ndarray of type {array.dtype.type.__module__}."
            f"{array.dtype.type.__name__}. The only supported types are: float64, float32, "
            "float16, complex64, complex128, int64, int32, int16, int8, uint64, uint32, uint16, "
            "uint8, and bool."
        ) from None
    return wrap_array(array, backend.CPU)
