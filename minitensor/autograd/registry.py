"""The one place where the layers below ``tensor.py`` meet the Tensor class.

Imports in minitensor go one way: ``tensor.py`` imports the operations (its
methods call them), so the operations cannot import ``tensor.py`` back. Yet
an operation must make tensors (its result) and recognise them (is this
argument a tensor or a number?). So ``tensor.py``, once its class is
defined, registers it here with `register_tensor_class`, and everything
below it asks here: `tensor_class`, `is_tensor`, `wrap_array`
(`minitensor.autograd.function` re-exports them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from minitensor.tensor import Tensor

_Tensor: Any = None


def register_tensor_class(cls: type) -> None:
    """Called once, by ``minitensor/tensor.py``, with the Tensor class."""
    global _Tensor
    _Tensor = cls


def tensor_class() -> type[Tensor]:
    """The Tensor class (registered by ``tensor.py``)."""
    return _Tensor


def is_tensor(x: Any) -> bool:
    """``isinstance(x, Tensor)``, for modules that ``tensor.py`` imports."""
    return isinstance(x, _Tensor)


def wrap_array(array: Any, device: Any) -> Tensor:
    """A new tensor around ``array`` (no copy, no autograd state): ``Tensor._wrap``."""
    return _Tensor._wrap(array, device)
