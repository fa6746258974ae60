"""The only module that knows which array library holds a tensor's numbers.

A tensor on ``"cpu"`` keeps its elements in a NumPy array; a tensor on
``"cuda"`` keeps them in a CuPy array on the GPU. Everything else in
minitensor computes through ``xp``, the *array namespace* of the tensor's
device, and never imports NumPy or CuPy for arithmetic::

    xp = backend.namespace(tensor.device)
    out = xp.exp(tensor._array)

The namespaces follow the Python array API standard (the common language
that NumPy, CuPy, PyTorch and JAX agree on): NumPy and CuPy are used through
``array_api_compat``, which papers over their few differences from it
(``concat``, ``permute_dims``, ``var(correction=...)``, ...). Code written
this way runs unchanged on either device.

Which library serves ``"cuda"`` (CuPy, or the test stand-in of
``use_standin_gpu()``) is decided here; the libraries themselves are
described in `minitensor.array_libraries`, and the `device` names in
`minitensor.devices`.
"""

from __future__ import annotations

import numpy as np

from minitensor.array_libraries import NUMPY, ArrayBackend, cupy_backend, standin_backend
from minitensor.devices import CPU, device

_gpu_backend: ArrayBackend | None = None  # made on first use of "cuda"
_gpu_checked = False


def as_device(value) -> device:
    """Normalise what a user passes as ``device=``: a tensor on ``"cuda"`` is on ``cuda:0``."""
    if value is None:
        return CPU
    d = value if isinstance(value, device) else device(value)
    if d.type == "cuda":
        if not cuda_is_available():
            raise AssertionError("Torch not compiled with CUDA enabled" + _why_no_cuda())
        return device("cuda", 0 if d.index is None else d.index)
    return CPU


def use_standin_gpu(enabled: bool = True) -> None:
    """Serve ``"cuda"`` from the array_api_strict stand-in (tests only)."""
    global _gpu_backend, _gpu_checked
    _gpu_backend = standin_backend() if enabled else None
    _gpu_checked = enabled
    number_cache.clear()  # (arrays of the previous "cuda")


def _gpu() -> ArrayBackend | None:
    global _gpu_backend, _gpu_checked
    if not _gpu_checked:
        _gpu_backend, _gpu_checked = cupy_backend(), True
    return _gpu_backend


def cuda_is_available() -> bool:
    """True when a GPU can be used: CuPy is installed and finds a device."""
    return _gpu() is not None


def _why_no_cuda() -> str:
    try:
        import cupy  # noqa: F401
    except ImportError:
        return " (minitensor uses CuPy for the GPU: install it with pip install cupy-cuda12x)"
    return " (CuPy is installed but finds no usable GPU)"


def backend_for(dev: device) -> ArrayBackend:
    """The `ArrayBackend` that computes on ``dev``."""
    if dev.type == "cpu":
        return NUMPY
    gpu = _gpu()
    if gpu is None:
        raise AssertionError("Torch not compiled with CUDA enabled" + _why_no_cuda())
    return gpu


def namespace(dev: device):
    """The array namespace ``xp`` of ``dev``."""
    return NUMPY.xp if dev.type == "cpu" else backend_for(dev).xp


def to_host(array, dev: device) -> np.ndarray:
    """The elements as a NumPy array (no copy for a CPU array)."""
    return array if dev.type == "cpu" else backend_for(dev).to_host(array)


def transfer(array, source: device, target: device):
    """Copy an array from one device to another (the same array if they are equal)."""
    if source == target:
        return array
    return backend_for(target).from_host(to_host(array, source))


def native_dtype(xp, dt):
    """The array library's dtype object for the minitensor dtype ``dt``."""
    return getattr(xp, dt.name)


def native_device(dev: device):
    """The array library's device object for ``dev`` (what ``device=`` of ``xp.zeros`` takes).

    New arrays must be made on the device of the arrays they will meet: an
    ``xp.asarray(2.0)`` without it lands on the host, which a GPU refuses to mix.
    """
    return backend_for(dev).device


def asarray(value, dt, dev: device):
    """A new array holding ``value`` (a number or nested lists), of dtype ``dt`` on ``dev``."""
    if dev.type == "cpu":  # the common case, straight to NumPy (the compat layer costs ~1 us)
        return np.asarray(value, dtype=dt.name)
    xp = namespace(dev)
    return xp.asarray(value, dtype=native_dtype(xp, dt), device=native_device(dev))


# The Python numbers met in operations (``t * 2.5``), as `minitensor.ops.operands`
# wraps them, kept for reuse; emptied when "cuda" changes meaning (tests).
number_cache: dict = {}


def astype(array, dt, dev: device):
    """``array`` converted to dtype ``dt`` (a new array)."""
    if dev.type == "cpu":  # straight to NumPy, as in `asarray`
        return array.astype(dt.name)
    xp = namespace(dev)
    return xp.astype(array, native_dtype(xp, dt))


def converted(xp, array, native_dtype):
    """``xp.astype(array, native_dtype)``; a NumPy array converts itself (the compat layer
    costs as much as the conversion)."""
    if type(array) is np.ndarray:
        return array.astype(native_dtype)
    return xp.astype(array, native_dtype)


def as_array(result, dev: device):
    """An operation's result as an array of ``dev``'s library.

    NumPy hands back a scalar (``np.float32``), not a 0-d array, from operations
    whose result is 0-d (``np.sum``); tensors always hold arrays.
    """
    if type(result) is np.ndarray:  # the common case, decided quickly
        return result
    if isinstance(result, np.generic) or not hasattr(result, "ndim"):
        return namespace(dev).asarray(result)
    return result


class quiet_float_errors:
    """A context in which NumPy computes inf and nan silently, as PyTorch does.

    ``log(0)`` is -inf and ``0 / 0`` nan in every library; NumPy alone also
    prints a RuntimeWarning for them. CuPy and the array API never warn.

    Every operation's forward is silenced the same way (`silence_float_errors`,
    in `Function.apply`), so it must be cheap; inside an open block (a whole
    backward pass runs in one) ``_open`` is above 0 and operations skip their
    own. Like grad mode, this is one count for the process, not per thread.
    """

    _open = 0  # how many are open right now (read by Function.apply)

    def __enter__(self):
        self._token = silence_float_errors()
        quiet_float_errors._open += 1

    def __exit__(self, *exc):
        quiet_float_errors._open -= 1
        restore_float_errors(self._token)
        return False


def silence_float_errors():
    """Switch NumPy's float warnings off; returns what `restore_float_errors` needs.

    ``np.errstate(all="ignore")`` does this, but it rebuilds NumPy's error
    settings each time it is entered, which costs a third of a small
    operation. NumPy keeps those settings in a context variable: setting it
    to settings made once, below, is the same switch, ten times cheaper.
    (If a NumPy version hides the variable, np.errstate is used.)
    """
    if _ERROR_SETTINGS is None:
        state = np.errstate(all="ignore")
        state.__enter__()
        return state
    return _ERROR_SETTINGS.set(_ALL_IGNORED)


def restore_float_errors(token) -> None:
    """Put NumPy's float warnings back as `silence_float_errors` found them."""
    if _ERROR_SETTINGS is None:
        token.__exit__(None, None, None)
    else:
        _ERROR_SETTINGS.reset(token)


def _numpy_error_settings():
    """NumPy's context variable of error settings and its "ignore all" value, if found."""
    try:
        from numpy._core._ufunc_config import _extobj_contextvar as variable
    except ImportError:
        return None, None
    with np.errstate(all="ignore"):
        return variable, variable.get()


_ERROR_SETTINGS, _ALL_IGNORED = _numpy_error_settings()


def contiguous_copy(array, dev: device):
    """A new array with the same elements, laid out in row-major (C) order.

    NumPy and CuPy arrays know their memory layout and copy into C order on
    request (a plain copy of a transposed array stays transposed); the array
    API standard has no notion of layout, so the stand-in just copies.
    """
    if hasattr(array, "flags"):
        return array.copy(order="C")
    return namespace(dev).asarray(array, copy=True)
