"""``minitensor.cuda``: is there a GPU? (CuPy does the GPU work; see `minitensor.backend`.)"""

from __future__ import annotations

from minitensor import backend
from minitensor.allocation import OutOfMemoryError  # noqa: F401  (minitensor.cuda.OutOfMemoryError)


def is_available() -> bool:
    """True if CuPy is installed and finds a GPU; False (never an error) otherwise."""
    return backend.cuda_is_available()


def device_count() -> int:
    """The number of GPUs minitensor can use (0 without CuPy or a GPU)."""
    if not is_available():
        return 0
    gpu = backend.backend_for(backend.device("cuda", 0))
    if gpu.name == "cupy":
        import cupy

        return int(cupy.cuda.runtime.getDeviceCount())
    return 1  # the test stand-in
