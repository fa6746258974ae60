"""The random number generators behind every random function of minitensor.

``manual_seed(n)`` resets both of them, so one call makes a whole notebook
reproducible: the scalar ``Neuron`` weights (drawn with Python's ``random``)
and every tensor made by ``rand``/``randn``/``randint`` or an ``nn`` layer
(drawn with NumPy). Random tensors are always drawn on the host and then
moved to their device, so the same seed gives the same numbers on the CPU
and on a GPU.

The numbers differ from PyTorch's for the same seed: PyTorch uses its own
generator, which we do not reproduce.
"""

from __future__ import annotations

import random as _py_random

import numpy as np

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


def numpy_rng() -> np.random.Generator:
    """The NumPy generator used for random tensors."""
    return _numpy_rng


def python_rng() -> _py_random.Random:
    """The Python generator used for the scalar engine's weights."""
    return _python_rng
