"""Small helpers shared by several parts of minitensor (``minitensor.utils``).

* `hooks`: `RemovableHandle`, what every ``register_*hook`` method returns.
* `data`: ``Dataset``, ``TensorDataset``, ``random_split`` and ``DataLoader``, as in
  ``torch.utils.data``: ``from minitensor.utils.data import DataLoader, TensorDataset``.
"""

import importlib

from minitensor.utils import hooks

__all__ = ["data", "hooks"]


def __getattr__(name: str):
    """``minitensor.utils.data``, imported on first use.

    The autograd engine imports `hooks` from this package while ``Tensor`` is
    still being defined, and `data` needs ``Tensor``: importing it here at the
    top would be a circular import, so Python calls this function instead the
    first time someone asks for ``minitensor.utils.data``.
    """
    if name == "data":
        return importlib.import_module("minitensor.utils.data")
    raise AttributeError(f"module 'minitensor.utils' has no attribute '{name}'")
