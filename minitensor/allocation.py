"""Running out of memory, reported in PyTorch's words.

NumPy says ``MemoryError: Unable to allocate 3.64 TiB for an array with
shape (1000000000000,) and data type float32`` and CuPy raises its own
``OutOfMemoryError``; PyTorch raises a ``RuntimeError`` that names the
bytes it tried to allocate::

    >>> minitensor.zeros(10**12)
    RuntimeError: [enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't
    allocate memory: you tried to allocate 4000000000000 bytes. Error code 12 (Cannot allocate
    memory)

and on a GPU a ``torch.OutOfMemoryError`` (a RuntimeError) that starts
``CUDA out of memory. Tried to allocate 3725.29 GiB. GPU 0 has a total
capacity of ...``. This module is the one place that turns the array
libraries' errors into these: every factory of `minitensor.creation` makes
its array inside ``allocating(shape, dtype, device)``, and every operation's
forward is guarded by `translated` (see `minitensor.autograd.function`).
"""

from __future__ import annotations

import contextlib

from minitensor import backend

_LARGEST_STORAGE = 2**63 - 1  # PyTorch counts bytes in a signed 64-bit integer


class OutOfMemoryError(RuntimeError):
    """The GPU has no room for a new tensor (``torch.OutOfMemoryError``, a RuntimeError)."""

    __module__ = "minitensor"


def check_storage_size(shape: tuple[int, ...], itemsize: int) -> None:
    """PyTorch's error for a shape whose byte count does not fit in 64 bits."""
    n, overflowed = 1, False
    for size in shape:
        n *= size
        overflowed = overflowed or n >= 2**64  # PyTorch multiplies in unsigned 64 bits
    if overflowed or n * itemsize > _LARGEST_STORAGE:
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(shape)}")


@contextlib.contextmanager
def allocating(shape: tuple[int, ...], dt, dev: backend.device):
    """Make a ``shape`` array of dtype ``dt`` for ``dev`` inside: running out is PyTorch's error.

    The bytes named are those of the tensor asked for, whatever the array
    library tried (``randn`` draws float64 numbers before rounding them).
    """
    check_storage_size(shape, dt.itemsize)
    try:
        yield
    except MemoryError:  # NumPy's, and CuPy's OutOfMemoryError (a MemoryError too)
        n = 1
        for size in shape:
            n *= size
        raise out_of_memory(n * dt.itemsize, dev) from None


def translated(error: MemoryError, dev: backend.device) -> RuntimeError:
    """An operation's MemoryError as PyTorch's error, naming the bytes the library asked for."""
    # NumPy's MemoryError knows the shape and dtype it failed on; CuPy's names
    # the bytes first among its arguments.
    nbytes = getattr(error, "_total_size", None)
    if nbytes is None:
        nbytes = next((a for a in error.args if isinstance(a, int)), 0)
    return out_of_memory(nbytes, dev)


def out_of_memory(nbytes: int, dev: backend.device) -> RuntimeError:
    """The error PyTorch raises when ``nbytes`` cannot be allocated on ``dev``."""
    if dev.type == "cpu":
        return RuntimeError(
            "[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate "
            f"memory: you tried to allocate {nbytes} bytes. Error code 12 (Cannot allocate memory)"
        )
    free, total, allocated, reserved = backend.backend_for(dev).memory_info()
    return OutOfMemoryError(
        f"CUDA out of memory. Tried to allocate {format_size(_cuda_block(nbytes))}. "
        f"GPU {dev.index or 0} has a total capacity of {format_size(total)} of which "
        f"{format_size(free)} is free. Of the allocated memory {format_size(allocated)} is "
        f"allocated by minitensor, and {format_size(reserved - allocated)} is reserved by "
        "minitensor but unallocated."
    )


def _cuda_block(nbytes: int) -> int:
    """The block PyTorch's GPU allocator asks CUDA for, to hold ``nbytes``.

    Small requests share 2 MiB blocks, middling ones (up to 10 MiB) 20 MiB
    blocks; larger ones are rounded up to a multiple of 2 MiB.
    """
    mib = 2**20
    if nbytes <= mib:
        return 2 * mib
    if nbytes < 10 * mib:
        return 20 * mib
    return -(-nbytes // (2 * mib)) * (2 * mib)


def format_size(nbytes: int) -> str:
    """Bytes as PyTorch's GPU allocator prints them: ``512 bytes``, ``2.00 MiB``, ``3725.29 GiB``
    (GiB at most, two decimals)."""
    if nbytes <= 1024:
        return f"{nbytes} bytes"
    if nbytes <= 2**20:
        return f"{nbytes / 1024:.2f} KiB"
    if nbytes <= 2**30:
        return f"{nbytes / 2**20:.2f} MiB"
    return f"{nbytes / 2**30:.2f} GiB"
