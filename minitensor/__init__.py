"""minitensor: automatic differentiation you can read, with PyTorch's API.

``minitensor.Value`` is a scalar autograd engine (one number per node);
the rest of the package is an n-d ``Tensor`` whose API follows PyTorch's.
Both run on the same backward engine, ``minitensor.autograd.engine``.
"""

from minitensor.random import manual_seed
from minitensor.scalar import Value

__version__ = "0.1.0"

__all__ = ["Value", "manual_seed"]
