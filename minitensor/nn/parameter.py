"""`Parameter`: a tensor that a `Module` registers as one of its weights."""

from __future__ import annotations

from minitensor.creation import empty
from minitensor.tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that is a model's weight (``requires_grad=True`` by default).

    Assigning a Parameter to a `Module` attribute registers it, so it appears
    in ``module.parameters()``. It shares memory with the tensor it wraps and
    prints as ``Parameter containing:``, as in PyTorch.
    """

    _is_parameter = True  # (read by Tensor.__repr__, in minitensor/tensor_convert.py)

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True):
        if data is None:
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter expects a Tensor, got {type(data).__name__}")
        if requires_grad and not data.dtype.is_floating_point:
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        self._set_fields(data._array, data.device)
        self.requires_grad = requires_grad
