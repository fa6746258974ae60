"""Filled and random tensors: ``zeros``, ``ones``, ``full``, ``arange``, ``randn``, ...

Each takes a shape (``zeros(2, 3)`` or ``zeros((2, 3))``, read by `_sizes`)
and makes its array through `_new`, which reports a tensor too large for
memory as PyTorch does (see `minitensor.allocation`). The random ones draw
on the host from the generator that ``minitensor.manual_seed`` seeds, so
the same seed gives the same numbers on every device. Part of
`minitensor.creation`.
"""

from __future__ import annotations

import builtins
import math
from numbers import Number
from typing import TYPE_CHECKING

import numpy as np

from minitensor import allocation, backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import is_tensor
from minitensor.creation_data import _finish, _infer_dtype
from minitensor.random import numpy_rng

if TYPE_CHECKING:
    from minitensor.tensor import Tensor


def _new(shape: tuple[int, ...], dt: _dtypes.dtype, device, requires_grad: bool, fill) -> Tensor:
    """A new ``shape`` tensor of dtype ``dt`` on ``device``, its numbers made by ``fill``.

    ``fill(shape, dtype_name)`` returns the host NumPy array (``np.zeros``,
    for instance). Running out of memory, on the host or on the device, is
    reported here for every factory, in PyTorch's words.
    """
    dev = backend.as_device(device)
    with allocation.allocating(shape, dt, dev):
        return _finish(fill(shape, dt.name), dev, requires_grad)


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
