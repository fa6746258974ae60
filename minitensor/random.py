"""The random number generators behind every random function of minitensor.

``manual_seed(n)`` resets both of them, so one call makes a whole notebook
reproducible: the scalar ``Neuron`` weights (drawn with Python's ``random``)
and every tensor made by ``rand``/``randn``/``randint`` or an ``nn`` layer
(drawn with NumPy). Random tensors are always drawn on the host and then
moved to their device, so the same seed gives the same numbers on the CPU
and on a GPU.

A `Generator` is a stream of its own, as ``torch.Generator``: random
functions take it as ``generator=`` and then leave the shared one alone::

    g = minitensor.Generator().manual_seed(42)
    minitensor.randn(3, generator=g)  # the same three numbers whenever g is seeded 42

The numbers differ from PyTorch's for the same seed: PyTorch uses its own
generator, which we do not reproduce.
"""

from __future__ import annotations

import random as _py_random
import secrets

import numpy as np

from minitensor.backend import as_device

_DEFAULT_SEED = 0

_numpy_rng = np.random.default_rng(_DEFAULT_SEED)
_python_rng = _py_random.Random(_DEFAULT_SEED)


def manual_seed(seed: int) -> None:
    """Seed every random generator of minitensor (like ``torch.manual_seed``)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"manual_seed expected an int, got {type(seed).__name__}")
    global _numpy_rng, _python_rng
    _numpy_rng = np.random.default_rng(int(seed))
    _python_rng = _py_random.Random(int(seed))


def numpy_rng(generator: Generator | None = None) -> np.random.Generator:
    """The NumPy generator to draw random tensors from: ``generator``'s, or the shared one."""
    if generator is None:
        return _numpy_rng
    if not isinstance(generator, Generator):
        raise TypeError(
            f"generator must be a minitensor.Generator or None, got {type(generator).__name__}"
        )
    return generator._rng


class Generator:
    """An independent, seedable source of random numbers (``torch.Generator``).

    Pass it as ``generator=`` to ``rand``, ``randn``, ``randint``, ``randperm``,
    ``random_split`` or a ``DataLoader``; ``manual_seed`` returns the
    generator itself, so ``Generator().manual_seed(42)`` is one expression.
    """

    # PyTorch's default seed for a new generator.
    _DEFAULT_SEED = 67280421310721

    def __init__(self, device="cpu") -> None:
        self.device = as_device(device)
        self.manual_seed(self._DEFAULT_SEED)

    def manual_seed(self, seed: int) -> Generator:
        """Restart the stream from ``seed``; returns the generator."""
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"manual_seed expected an int, got {type(seed).__name__}")
        self._seed = int(seed)
        self._rng = np.random.default_rng(self._seed)
        return self

    def initial_seed(self) -> int:
        """The seed the stream last started from."""
        return self._seed

    def seed(self) -> int:
        """Restart from a fresh, unpredictable seed, and return it."""
        self.manual_seed(secrets.randbits(63))
        return self._seed

    def __repr__(self) -> str:
        return f"<minitensor.Generator object at {hex(id(self))}>"


def python_rng() -> _py_random.Random:
    """The Python generator used for the scalar engine's weights."""
    return _python_rng
