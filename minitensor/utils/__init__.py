"""Small helpers shared by several parts of minitensor (``minitensor.utils``).

* `hooks`: `RemovableHandle`, what every ``register_*hook`` method returns.
"""

from minitensor.utils import hooks

__all__ = ["hooks"]
