"""The layers: `Linear`, and the small modules around it (`Identity`, `Flatten`, `Dropout`).

Each is a small `Module` whose ``forward`` calls a function of
`minitensor.nn.functional`; the module form exists so that a model can be
written as a list of steps and printed::

    >>> from minitensor import nn
    >>> nn.Sequential(nn.Linear(64, 32), nn.Tanh(), nn.Linear(32, 10))
    Sequential(
      (0): Linear(in_features=64, out_features=32, bias=True)
      (1): Tanh()
      (2): Linear(in_features=32, out_features=10, bias=True)
    )

The activations (`Tanh`, `ReLU`, ...) are in activation_modules.py, the
losses (`MSELoss`, `CrossEntropyLoss`, ...) in loss_modules.py, and
`Sequential` in containers.py.
"""

from __future__ import annotations

import math

from minitensor.creation import empty
from minitensor.nn import functional as F
from minitensor.nn import init
from minitensor.nn.module import Module
from minitensor.nn.parameter import Parameter
from minitensor.tensor import Tensor


class Linear(Module):
    """y = x W^T + b, with W of shape (out_features, in_features).

    Initialised as PyTorch does: W and b uniform in [-1/sqrt(in_features),
    1/sqrt(in_features)] (``kaiming_uniform_`` with ``a=sqrt(5)``), drawn from
    minitensor's generator, so ``minitensor.manual_seed`` makes them reproducible.
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None
    ):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(empty(out_features, in_features, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw new initial weights (the weight first, then the bias, as PyTorch does)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Identity(Module):
    """Returns its input unchanged (a placeholder; any arguments are ignored)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Flatten(Module):
    """Flattens dimensions ``start_dim``..``end_dim`` into one: (N, 8, 8) -> (N, 64)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Tensor) -> Tensor:
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(Module):
    """In training, zero each element with probability p and scale the rest by 1 / (1 - p).

    In eval mode (``model.eval()``) it passes its input through unchanged.
    """

    def __init__(self, p: float = 0.5, inplace: bool = False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
