"""What every elementwise operation does first: turn its operands into arrays of one dtype.

A binary operation accepts tensors and Python numbers (``t * 2``, ``2 ** t``).
A number becomes a 0-d "wrapped number" tensor (`as_tensor_operand`), which
takes part in type promotion the way PyTorch lets a Python number take part:
it can change the *kind* of the result but not widen it (``int32_tensor * 2``
stays int32, ``int32_tensor * 2.5`` becomes the default float dtype; see
`minitensor.dtypes.result_type`). `promoted` then checks that the shapes
broadcast and casts every array to the common dtype.

These helpers are shared by arithmetic.py, power.py, unary.py, selection.py,
compare.py, inplace.py and the losses in ``minitensor.nn``: the promotion
rule is written once, here.
"""

from __future__ import annotations

import numpy as np

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import is_tensor, tensor_class, wrap_array
from minitensor.ops.broadcast import broadcast_shapes


def xp_of(t):
    """The array library of ``t``'s device: NumPy on the CPU, CuPy on a GPU.

    Forward code writes ``xp_of(a).exp(a._array)`` and runs on either device.
    """
    return backend.namespace(t.device)


def as_tensor_operand(x, like):
    """A Tensor for ``x``; a Python number becomes a 0-d "wrapped number" tensor.

    A wrapped number takes part in type promotion as a Python number does
    (``int32_tensor * 2`` stays int32) and lives on ``like``'s device.
    Operations never write into it, so the one made for ``2.5`` on a device
    is kept and reused: a training loop's ``* 2.5`` costs no allocation (and,
    on a GPU, no copy from the host) after the first.
    """
    return x if isinstance(x, tensor_class()) else _number_operand(x, like)


def _number_operand(x, like):
    """The wrapped number for ``x``, from the cache if it was made before."""
    device = like._device
    key = (x, type(x), device.type, device.index)  # the type too: 1 == 1.0 == True
    try:
        t = backend.number_cache.get(key)
    except TypeError:  # unhashable, so not a number: _wrapped_number says so
        t = None
    if t is None:
        t = _wrapped_number(x, device)
        if x != 0:  # (0.0 == -0.0, yet they are different numbers: those are not kept)
            if len(backend.number_cache) >= _NUMBERS_KEPT:  # a loop over many numbers
                backend.number_cache.clear()
            backend.number_cache[key] = t
    return t


_NUMBERS_KEPT = 1024


def _wrapped_number(x, device):
    if isinstance(x, (bool, np.bool_)):
        dt = _dtypes.bool_
    elif isinstance(x, (int, np.integer)):
        dt = _dtypes.int64
    elif isinstance(x, (float, np.floating)):
        dt = _dtypes.float64
    else:
        raise TypeError(
            f"unsupported operand type(s): 'Tensor' and '{type(x).__name__}' "
            "(minitensor operations take tensors and Python numbers)"
        )
    t = wrap_array(backend.asarray(x, dt, device), device)
    t._wrapped_number = True
    t._casts = {}  # dtype -> the number as a 0-d array of that dtype (see `cast`)
    return t


def wrap(array, like):
    """A tensor (no autograd state) around ``array``, on ``like``'s device."""
    return wrap_array(array, like.device)


def constant_zeros(like):
    """Zeros shaped like ``like``, on its device: a constant, outside any graph.

    The gradient of a flat function (a step, a staircase, a constant power).
    """
    return wrap(backend.namespace(like.device).zeros_like(like._array), like)


def binary_operands(a, b):
    """Both operands as tensors; at least one of them must already be one."""
    Tensor = tensor_class()
    if isinstance(a, Tensor):
        return a, (b if isinstance(b, Tensor) else _number_operand(b, a))
    return _number_operand(a, b), b


def cast(t, dtype):
    """``t``'s array in ``dtype`` (no copy if it already is)."""
    if t._dtype is dtype:
        return t._array
    if t._wrapped_number:  # converted once per dtype, then reused
        array = t._casts.get(dtype)
        if array is None:
            array = t._casts[dtype] = backend.astype(t._array, dtype, t._device)
        return array
    return backend.astype(t._array, dtype, t._device)


def promoted(*tensors, floating: bool = False):
    """The arrays of ``tensors`` cast to their common (PyTorch) result dtype.

    ``floating=True`` is for operations like ``/`` whose result is a float
    even for integer inputs (then the default float dtype).
    """
    if len(tensors) == 2:  # the usual cases, decided quickly: a float tensor and ...
        a, b = tensors
        if a._dtype.is_floating_point and not a._wrapped_number:
            if b._wrapped_number:  # ... a number (x * 2.5), which never changes its dtype
                return [a._array, cast(b, a._dtype)]
            if b._dtype is a._dtype and b._array.shape == a._array.shape:  # ... one alike
                return [a._array, b._array]
    dtype = _dtypes.result_type(*tensors)
    if floating and not dtype.is_floating_point:
        dtype = _dtypes.get_default_dtype()
    broadcast_shapes(*[t._array.shape for t in tensors])  # PyTorch's message if they do not fit
    return [cast(t, dtype) for t in tensors]


def float_array(t):
    """``t``'s array, as the default float dtype if it holds integers (for exp, log, ...)."""
    return cast(t, t.dtype if t.dtype.is_floating_point else _dtypes.get_default_dtype())


def check_tensor_argument(name, other) -> None:
    """PyTorch's TypeError for functions whose ``other`` must be a tensor (``maximum``, ...)."""
    if not is_tensor(other):
        raise TypeError(
            f"{name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}"
        )
