"""The array libraries minitensor computes with: NumPy, CuPy, and a stand-in GPU for tests.

Each is described by an `ArrayBackend`: its array namespace ``xp``, how
arrays go to and from the host, and the few things the array API standard
leaves out (adding into an array at repeated indices, the device's memory).
`minitensor.backend` chooses which one serves each device.

Testing the GPU path without a GPU
----------------------------------
``backend.use_standin_gpu()`` makes ``"cuda"`` mean a fake device of
``array_api_strict``, the array API's reference implementation. Its arrays
refuse NumPy functions and refuse to meet arrays of another device, so a
stray ``np.something(gpu_array)`` or a forgotten transfer fails in the CPU
test suite exactly where it would fail on a real GPU.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import array_api_compat.numpy as _numpy_namespace
import numpy as np


@dataclass(frozen=True)
class ArrayBackend:
    """How to compute on one kind of device.

    xp: the array namespace (``exp``, ``matmul``, ``sum``, ...).
    from_host: NumPy array -> array on this device (a copy unless on the CPU).
    to_host: array on this device -> NumPy array (shares memory on the CPU).
    index_add: ``out[index] += values`` with repeated indices adding up
        (not in the array API standard, so each library says how).
    memory_info: ``() -> (free, total, allocated, reserved)`` bytes of the
        device, for the out-of-memory message (see `minitensor.allocation`).
    """

    name: str
    xp: Any
    device: Any  # the library's own device object, for ``xp.asarray(..., device=...)``
    from_host: Callable[[np.ndarray], Any]
    to_host: Callable[[Any], np.ndarray]
    index_add: Callable[[Any, Any, Any], None]
    memory_info: Callable[[], tuple[int, int, int, int]] = lambda: (0, 0, 0, 0)


NUMPY = ArrayBackend(
    name="numpy",
    xp=_numpy_namespace,
    device="cpu",
    from_host=lambda a: a,
    to_host=lambda a: a,
    index_add=np.add.at,
)


@functools.cache
def cupy_backend() -> ArrayBackend | None:
    """CuPy, if it is installed and finds a GPU; otherwise None."""
    try:
        import array_api_compat.cupy as cupy_namespace
        import cupy
        import cupyx
    except ImportError:
        return None
    try:
        if not cupy.is_available():
            return None
    except Exception:  # a broken CUDA install says so here; treat it as no GPU
        return None

    def memory_info():
        free, total = cupy.cuda.runtime.memGetInfo()
        pool = cupy.get_default_memory_pool()  # CuPy's cache of GPU memory, as PyTorch's
        return free, total, pool.used_bytes(), pool.total_bytes()

    return ArrayBackend(
        name="cupy",
        xp=cupy_namespace,
        device=None,  # CuPy's current device
        from_host=cupy.asarray,
        to_host=cupy.asnumpy,
        index_add=_widened(cupyx.scatter_add, cupy_namespace),
        memory_info=memory_info,
    )


# The dtypes CuPy's scatter_add (cupy.add.at) can add in.
_SCATTER_ADD_DTYPES = ("int32", "int64", "float16", "float32", "float64", "uint32", "uint64")


def _widened(scatter_add, xp):
    """``index_add`` for every dtype, from a ``scatter_add`` that knows only some.

    Small integers and bools are added in a 32-bit integer copy and cast
    back: the same result (casting back wraps around as adding in the small
    type would, and any nonzero count is True).
    """
    wider = {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32",
             "uint16": "uint32"}  # fmt: skip

    def index_add(out, index, values):
        name = str(out.dtype).rsplit(".", 1)[-1]  # "int8" (CuPy) or "array_api_strict.int8"
        if name not in wider:
            scatter_add(out, index, xp.astype(values, out.dtype))
            return
        wide = xp.astype(out, getattr(xp, wider[name]))
        scatter_add(wide, index, xp.astype(values, wide.dtype))
        out[...] = xp.astype(wide, out.dtype)

    return index_add


def standin_backend() -> ArrayBackend:
    """A fake GPU from array_api_strict (see the module docstring)."""
    import array_api_strict as xs

    gpu = xs.Device("device1")
    host = xs.Device("CPU_DEVICE")

    def scatter_add(out, index, values):
        # array_api_strict has no scatter-add; do it on the host and copy back
        # into `out` in place, as CuPy's scatter_add would on the device,
        # refusing the dtypes CuPy refuses.
        if str(out.dtype).rsplit(".", 1)[-1] not in _SCATTER_ADD_DTYPES:
            raise TypeError(f"cupy.add.at only supports {', '.join(_SCATTER_ADD_DTYPES)}")
        host_out = np.asarray(out.to_device(host))
        np.add.at(host_out, _host_index(index), np.asarray(values.to_device(host)))
        out[...] = xs.asarray(host_out, device=gpu)

    def _host_index(index):
        if isinstance(index, tuple):
            return tuple(_host_index(i) for i in index)
        if hasattr(index, "to_device"):
            return np.asarray(index.to_device(host))
        return index

    return ArrayBackend(
        name="array_api_strict",
        xp=xs,
        device=gpu,
        from_host=lambda a: xs.asarray(a, device=gpu),
        to_host=lambda a: np.asarray(a.to_device(host)),
        index_add=_widened(scatter_add, xs),
        memory_info=lambda: (_STANDIN_MEMORY, _STANDIN_MEMORY, 0, 0),
    )


_STANDIN_MEMORY = 80 * 2**30  # what the stand-in says it has (80 GiB, none of it used)
