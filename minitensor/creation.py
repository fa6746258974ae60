"""Making tensors: ``tensor``, ``from_numpy``, ``zeros``, ``randn``, ...

Each function checks its input and builds the array on the host with NumPy,
then moves it to the requested device (see `minitensor.backend`), so the
same call gives the same numbers on every device.
"""

from __future__ import annotations

import builtins
import math
import warnings
from numbers import Number

import numpy as np

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.random import numpy_rng
from minitensor.tensor import Tensor

# --------------------------------------------------------------------------
# From Python data
# --------------------------------------------------------------------------


def _nested_shape_and_values(data) -> tuple[list[int], list]:
    """Check nested lists of numbers and return their shape and flat values.

    Raises PyTorch's errors for ragged lists, strings and other non-numbers.
    """
    shape: list[int] = []
    probe = data
    while isinstance(probe, (list, tuple)):  # the shape follows the first elements
        shape.append(len(probe))
        if len(probe) == 0:
            break
        probe = probe[0]
    if isinstance(probe, str):
        if shape:
            raise ValueError("too many dimensions 'str'")
        raise TypeError("new(): invalid data type 'str'")

    values: list = []
    # An explicit stack of (sequence, depth) instead of recursion.
    stack = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth < len(shape):
            if not isinstance(item, (list, tuple)):
                raise TypeError(
                    f"'{type(item).__name__}' object cannot be interpreted as an integer"
                )
            if len(item) != shape[depth]:
                raise ValueError(
                    f"expected sequence of length {shape[depth]} at dim {depth} (got {len(item)})"
                )
            stack.extend((x, depth + 1) for x in reversed(item))
        else:
            values.append(_checked_number(item))
    return shape, values


def _checked_number(x):
    if isinstance(x, Tensor):
        if x.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return x.item()
    if isinstance(x, (list, tuple)):
        raise ValueError(f"expected sequence of length 0 at dim 1 (got {len(x)})")
    if isinstance(x, (bool, np.bool_, Number, np.number)) and not isinstance(x, complex):
        return x
    raise RuntimeError(f"Could not infer dtype of {type(x).__name__}")


def _array_from_data(data, dtype: _dtypes.dtype | None) -> np.ndarray:
    """A host NumPy array from Python data, a NumPy array or a Tensor."""
    if isinstance(data, Tensor):
        array = data._host_array()
        return array.astype((dtype or data.dtype).name, copy=True)
    if isinstance(data, np.ndarray):
        source = from_numpy(data)  # checks the dtype is supported
        return source._array.astype((dtype or source.dtype).name, copy=True)
    if data is None or isinstance(data, (dict, set)):
        raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")
    shape, values = _nested_shape_and_values(data)
    dt = dtype or _dtypes.infer_python_dtype(values)
    if not dt.is_floating_point and builtins.any(
        isinstance(v, float) and not math.isfinite(v) for v in values
    ):
        raise RuntimeError(f"value cannot be converted to type {dt.name} without overflow")
    return np.array(values, dtype=dt.name).reshape(shape)


def _finish(array: np.ndarray, device, requires_grad: bool, *, factory: bool = True) -> Tensor:
    """Move a host array to its device and wrap it, checking ``requires_grad``."""
    dev = backend.as_device(device)
    out = Tensor._wrap(backend.backend_for(dev).from_host(array), dev)
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
    dt = None if dtype is None else _dtypes.to_dtype(dtype)
    if isinstance(data, Tensor):
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
    dt = None if dtype is None else _dtypes.to_dtype(dtype)
    same_dtype = dt is None or (isinstance(data, Tensor) and dt == data.dtype)
    same_device = device is None or backend.as_device(device) == getattr(data, "device", None)
    if isinstance(data, Tensor) and same_dtype and same_device:
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
    return Tensor._wrap(array, backend.CPU)


def legacy_constructor_array(args, device):
    """What ``Tensor(...)`` (``torch.Tensor``) accepts: data, or sizes, or nothing."""
    dev = backend.as_device(device)
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
        array = _array_from_data(args[0], None)
        if array.dtype != np.float32:
            array = array.astype(np.float32)
        return backend.backend_for(dev).from_host(array), dev
    sizes = _sizes(args)
    return backend.backend_for(dev).from_host(np.zeros(sizes, dtype=np.float32)), dev


def _rebuild(array, device, requires_grad, cls):
    """Unpickle a tensor (see ``Tensor.__reduce_ex__``)."""
    out = _finish(array, device, False)
    if cls is not Tensor:  # nn.Parameter
        return cls(out, requires_grad=requires_grad)
    out._requires_grad = requires_grad
    return out


def _typed_constructor(dt: _dtypes.dtype, name: str):
    def make(*args, device=None):
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            return tensor(args[0], dtype=dt, device=device)
        return zeros(*args, dtype=dt, device=device)

    make.__name__ = make.__qualname__ = name
    make.__doc__ = f"PyTorch's legacy constructor: a {dt.name} tensor from data or sizes."
    return make


FloatTensor = _typed_constructor(_dtypes.float32, "FloatTensor")
DoubleTensor = _typed_constructor(_dtypes.float64, "DoubleTensor")
LongTensor = _typed_constructor(_dtypes.int64, "LongTensor")
IntTensor = _typed_constructor(_dtypes.int32, "IntTensor")
BoolTensor = _typed_constructor(_dtypes.bool_, "BoolTensor")

# --------------------------------------------------------------------------
# Filled tensors
# --------------------------------------------------------------------------


def _sizes(size) -> tuple[int, ...]:
    """``zeros(2, 3)`` and ``zeros((2, 3))`` both mean the shape (2, 3)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)):
            raise TypeError(
                f"zeros(): argument 'size' must be tuple of ints, but found element of type "
                f"{type(s).__name__} at pos {list(size).index(s)}"
            )
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return tuple(builtins.int(s) for s in size)


def _float_dtype(dtype) -> _dtypes.dtype:
    return _dtypes.get_default_dtype() if dtype is None else _dtypes.to_dtype(dtype)


def zeros(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)``."""
    array = np.zeros(_sizes(size), dtype=_float_dtype(dtype).name)
    return _finish(array, device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of ones: ``ones(2, 3)``."""
    array = np.ones(_sizes(size), dtype=_float_dtype(dtype).name)
    return _finish(array, device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor whose values you will overwrite (zeros here, for reproducibility)."""
    return zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor filled with one value; its dtype is inferred from the value."""
    dt = _dtypes.infer_python_dtype([fill_value]) if dtype is None else _dtypes.to_dtype(dtype)
    array = np.full(_sizes((size,)), fill_value, dtype=dt.name)
    return _finish(array, device, requires_grad)


def eye(n: int, m: int | None = None, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """The identity matrix (``n`` x ``m``)."""
    array = np.eye(n, n if m is None else m, dtype=_float_dtype(dtype).name)
    return _finish(array, device, requires_grad)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``start, start + step, ...`` up to but not including ``end``.

    Integer arguments give int64, any float gives the default float dtype.
    """
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    dt = (
        _dtypes.infer_python_dtype([start, end, step]) if dtype is None else _dtypes.to_dtype(dtype)
    )
    n = builtins.max(0, math.ceil((end - start) / step))
    array = (start + step * np.arange(n, dtype=np.float64)).astype(dt.name)
    if not dt.is_floating_point:
        array = np.arange(start, end, step, dtype=dt.name)
    return _finish(array, device, requires_grad)


def linspace(start, end, steps: int, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    array = np.linspace(start, end, steps).astype(_float_dtype(dtype).name)
    return _finish(array, device, requires_grad)


def zeros_like(t: Tensor, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    return zeros(*t.shape, dtype=dtype or t.dtype, device=device or t.device,
                 requires_grad=requires_grad)  # fmt: skip


def ones_like(t: Tensor, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    return ones(*t.shape, dtype=dtype or t.dtype, device=device or t.device,
                requires_grad=requires_grad)  # fmt: skip


def empty_like(t: Tensor, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    return zeros_like(t, dtype=dtype, device=device, requires_grad=requires_grad)


def full_like(t: Tensor, fill_value, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    return full(tuple(t.shape), fill_value, dtype=dtype or t.dtype, device=device or t.device,
                requires_grad=requires_grad)  # fmt: skip


# --------------------------------------------------------------------------
# Random tensors (seeded by minitensor.manual_seed)
# --------------------------------------------------------------------------


def rand(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Uniform random numbers in [0, 1)."""
    dt = _float_dtype(dtype)
    array = numpy_rng().random(_sizes(size)).astype(dt.name)
    return _finish(array, device, requires_grad)


def randn(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Standard normal random numbers (mean 0, standard deviation 1)."""
    dt = _float_dtype(dtype)
    array = numpy_rng().standard_normal(_sizes(size)).astype(dt.name)
    return _finish(array, device, requires_grad)


def randint(low, high=None, size=None, *, dtype=None, device=None) -> Tensor:
    """Random integers in [low, high): ``randint(10, (3,))`` or ``randint(2, 10, (3,))``."""
    if size is None:
        if isinstance(high, (tuple, list)):
            low, high, size = 0, low, high
        else:
            raise TypeError("randint() missing 1 required positional argument: 'size'")
    if high is None:
        low, high = 0, low
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    dt = _dtypes.int64 if dtype is None else _dtypes.to_dtype(dtype)
    array = numpy_rng().integers(low, high, size=_sizes((tuple(size),))).astype(dt.name)
    return _finish(array, device, False)


def rand_like(t: Tensor, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    return rand(*t.shape, dtype=dtype or t.dtype, device=device or t.device,
                requires_grad=requires_grad)  # fmt: skip


def randn_like(t: Tensor, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    return randn(*t.shape, dtype=dtype or t.dtype, device=device or t.device,
                 requires_grad=requires_grad)  # fmt: skip


def randperm(n: int, *, dtype=None, device=None) -> Tensor:
    """A random permutation of ``0 .. n-1`` (handy for shuffling a dataset)."""
    dt = _dtypes.int64 if dtype is None else _dtypes.to_dtype(dtype)
    return _finish(numpy_rng().permutation(n).astype(dt.name), device, False)
