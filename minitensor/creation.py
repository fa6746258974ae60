"""Making tensors: ``tensor``, ``from_numpy``, ``zeros``, ``randn``, ...

Each function checks its input and builds the array on the host with NumPy,
then moves it to the requested device (see `minitensor.backend`), so the
same call gives the same numbers on every device. The factories that take
a shape make their array through `_new`, which reports a tensor too large
for memory as PyTorch does (see `minitensor.allocation`).
"""

from __future__ import annotations

import builtins
import math
import warnings
from numbers import Number
from typing import TYPE_CHECKING

import numpy as np

from minitensor import allocation, backend
from minitensor import dtypes as _dtypes
from minitensor.random import numpy_rng

if TYPE_CHECKING:
    from minitensor.tensor import Tensor
from minitensor.autograd.function import is_tensor, tensor_class, wrap_array

# --------------------------------------------------------------------------
# From Python data
# --------------------------------------------------------------------------


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


def _new(shape: tuple[int, ...], dt: _dtypes.dtype, device, requires_grad: bool, fill) -> Tensor:
    """A new ``shape`` tensor of dtype ``dt`` on ``device``, its numbers made by ``fill``.

    ``fill(shape, dtype_name)`` returns the host NumPy array (``np.zeros``,
    for instance). Running out of memory, on the host or on the device, is
    reported here for every factory, in PyTorch's words.
    """
    dev = backend.as_device(device)
    with allocation.allocating(shape, dt, dev):
        return _finish(fill(shape, dt.name), dev, requires_grad)


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


def legacy_constructor_array(args, device):
    """What ``Tensor(...)`` (``torch.Tensor``) accepts: data, or sizes, or nothing.

    ``Tensor(other_tensor)`` shares the other tensor's memory and keeps its
    dtype, as in PyTorch; ``Tensor()`` is an empty 1-d tensor.
    """
    dev = backend.as_device(device)
    if len(args) == 1 and is_tensor(args[0]):
        return args[0]._array, args[0].device
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
        array = _array_from_data(_legacy_data(args[0]), None).astype(np.float32)
        return backend.backend_for(dev).from_host(array), dev
    out = _new(_sizes(args or (0,), "new"), _dtypes.float32, dev, False, np.zeros)
    return out._array, dev


def _legacy_data(data):
    """The legacy constructors take data only as a sequence (or an array)."""
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    if not (_is_sequence(data) or isinstance(data, np.ndarray)):
        raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
    return data


def _rebuild(array, device, requires_grad, cls):
    """Unpickle a tensor (see ``Tensor.__reduce_ex__``)."""
    out = _finish(array, device, False)
    if cls is not tensor_class():  # nn.Parameter
        return cls(out, requires_grad=requires_grad)
    out._requires_grad = requires_grad
    return out


def _typed_constructor(dt: _dtypes.dtype, name: str):
    def make(*args, device=None):
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            data = args[0] if is_tensor(args[0]) else _legacy_data(args[0])
            return _finish(_array_from_data(data, dt), device, False)
        return _new(_sizes(args or (0,), "new"), dt, device, False, np.zeros)

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


def _sizes(size, caller: str) -> tuple[int, ...]:
    """``zeros(2, 3)`` and ``zeros((2, 3))`` both mean the shape (2, 3).

    ``caller`` names the function in PyTorch's messages for a bad size.
    """
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    elif len(size) == 1 and not _is_int(size[0]):
        raise TypeError(
            f"{caller}(): argument 'size' (position 1) must be tuple of ints, "
            f"not {type(size[0]).__name__}"
        )
    for position, s in enumerate(size, start=1):
        if not _is_int(s):
            raise TypeError(
                f"{caller}(): argument 'size' failed to unpack the object at pos {position} "
                f'with error "type must be tuple of ints,but got {type(s).__name__}"'
            )
    if builtins.any(s < 0 for s in size):
        if caller == "zeros":  # PyTorch's zeros has its own message
            raise RuntimeError("zeros: Dimension size must be non-negative.")
        negative = next(s for s in size if s < 0)
        raise RuntimeError(
            f"Trying to create tensor with negative dimension {negative}: {list(size)}"
        )
    return tuple(builtins.int(s) for s in size)


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _float_dtype(dtype, caller: str) -> _dtypes.dtype:
    """The requested dtype, or the default float dtype."""
    return _dtypes.get_default_dtype() if dtype is None else _dtypes.to_dtype(dtype, caller)


def zeros(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)``."""
    dt = _float_dtype(dtype, "zeros")
    return _new(_sizes(size, "zeros"), dt, device, requires_grad, np.zeros)


def ones(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of ones: ``ones(2, 3)``."""
    dt = _float_dtype(dtype, "ones")
    return _new(_sizes(size, "ones"), dt, device, requires_grad, np.ones)


def empty(*size, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor whose values you will overwrite (zeros here, for reproducibility)."""
    dt = _float_dtype(dtype, "empty")
    return _new(_sizes(size, "empty"), dt, device, requires_grad, np.zeros)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor filled with one value; its dtype is inferred from the value."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(
            f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}"
        )
    if is_tensor(fill_value):
        fill_value = fill_value.item()
    if not isinstance(fill_value, (Number, np.number, np.bool_)):
        raise TypeError(
            "full(): argument 'fill_value' (position 2) must be Number, not "
            f"{type(fill_value).__name__}"
        )
    dt = _infer_dtype([fill_value]) if dtype is None else _dtypes.to_dtype(dtype, "full")
    return _new(_sizes((size,), "full"), dt, device, requires_grad,
                lambda shape, name: np.full(shape, fill_value, dtype=name))  # fmt: skip


def eye(n: int, m: int | None = None, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """The identity matrix (``n`` x ``m``)."""
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    shape = (n, n if m is None else m)
    return _new(shape, _float_dtype(dtype, "eye"), device, requires_grad,
                lambda shape, name: np.eye(*shape, dtype=name))  # fmt: skip


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``start, start + step, ...`` up to but not including ``end``.

    Integer arguments give int64, any float gives the default float dtype.
    """
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    dt = _infer_dtype([start, end, step]) if dtype is None else _dtypes.to_dtype(dtype, "arange")
    n = builtins.max(0, math.ceil((end - start) / step))

    def fill(shape, name):
        if not dt.is_floating_point:
            return np.arange(start, end, step, dtype=name)
        return (start + step * np.arange(n, dtype=np.float64)).astype(name)

    return _new((n,), dt, device, requires_grad, fill)


def linspace(start, end, steps: int, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return _new((steps,), _float_dtype(dtype, "linspace"), device, requires_grad,
                lambda shape, name: np.linspace(start, end, steps).astype(name))  # fmt: skip


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


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Uniform random numbers in [0, 1)."""
    rng = numpy_rng(generator)
    return _new(_sizes(size, "rand"), _float_dtype(dtype, "rand"), device, requires_grad,
                lambda shape, name: np.asarray(rng.random(shape), dtype=name))  # fmt: skip


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Standard normal random numbers (mean 0, standard deviation 1)."""
    rng = numpy_rng(generator)
    return _new(_sizes(size, "randn"), _float_dtype(dtype, "randn"), device, requires_grad,
                lambda shape, name: np.asarray(rng.standard_normal(shape), dtype=name))  # fmt: skip


def randint(low, high=None, size=None, *, generator=None, dtype=None, device=None) -> Tensor:
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
    dt = _dtypes.int64 if dtype is None else _dtypes.to_dtype(dtype, "randint")
    rng = numpy_rng(generator)
    return _new(_sizes((tuple(size),), "randint"), dt, device, False,
                lambda shape, name: rng.integers(low, high, size=shape).astype(name))  # fmt: skip


def rand_like(t: Tensor, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    return rand(*t.shape, dtype=dtype or t.dtype, device=device or t.device,
                requires_grad=requires_grad)  # fmt: skip


def randn_like(t: Tensor, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    return randn(*t.shape, dtype=dtype or t.dtype, device=device or t.device,
                 requires_grad=requires_grad)  # fmt: skip


def randperm(n: int, *, generator=None, dtype=None, device=None) -> Tensor:
    """A random permutation of ``0 .. n-1`` (handy for shuffling a dataset)."""
    dt = _dtypes.int64 if dtype is None else _dtypes.to_dtype(dtype, "randperm")
    rng = numpy_rng(generator)
    return _new((n,), dt, device, False, lambda shape, name: rng.permutation(n).astype(name))
