"""The old name of `minitensor.datasets` (``make_moons``, ``load_digits_split``, ...).

Kept so that notebooks saved with ``from minitensor.data import ...`` still
run; new code imports ``minitensor.datasets``. (PyTorch's ``Dataset`` and
``DataLoader`` are in ``minitensor.utils.data``.)
"""

from minitensor.datasets import batches, load_digits_split, make_moons, progress

__all__ = ["batches", "load_digits_split", "make_moons", "progress"]
