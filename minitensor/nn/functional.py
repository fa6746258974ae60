"""The functions of neural networks (``minitensor.nn.functional``, imported as ``F``).

Activations (``sigmoid``, ``tanh``, ``relu``, ``leaky_relu``, ``silu``, ``gelu``,
``softmax``, ``log_softmax``), ``dropout``,
the affine map ``linear`` and the losses. Every function checks its input
and fails with PyTorch's error when it is wrong (a target out of range, a
shape that does not match) instead of returning a silently wrong number.

    >>> import minitensor
    >>> import minitensor.nn.functional as F
    >>> logits = minitensor.tensor([[2.0, 0.5, -1.0]])
    >>> F.cross_entropy(logits, minitensor.tensor([0]))
    tensor(0.2413)

The losses are written in `minitensor.nn.regression_losses` and
`minitensor.nn.classification_losses` (re-exported here) and their
derivatives in `minitensor.nn.losses`; ``linear``'s is below.
"""

from __future__ import annotations

import numbers
import warnings

from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.nn.classification_losses import (  # noqa: F401 (the losses: part of F, as in PyTorch)
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    nll_loss,
)
from minitensor.nn.regression_losses import (  # noqa: F401 (likewise)
    huber_loss,
    l1_loss,
    mse_loss,
    smooth_l1_loss,
)
from minitensor.ops import activations, matmul, unary
from minitensor.ops import inplace as inplace_ops
from minitensor.ops import softmax as softmax_ops
from minitensor.tensor import Tensor

# --------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e^-x), elementwise."""
    return unary.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    """(e^x - e^-x) / (e^x + e^-x), elementwise."""
    return unary.tanh(input)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0), elementwise (``inplace=True`` overwrites ``input``)."""
    if inplace:
        return inplace_ops.inplace(input, unary.relu)
    return unary.relu(input)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x if x > 0 else negative_slope * x: a relu that lets a little gradient through below 0."""
    if not isinstance(negative_slope, numbers.Real):
        raise TypeError(
            "leaky_relu(): argument 'negative_slope' (position 2) must be Number, not "
            f"{type(negative_slope).__name__}"
        )
    if inplace:
        return inplace_ops.inplace(input, activations.LeakyReluInplace.apply, negative_slope)
    return activations.LeakyRelu.apply(input, negative_slope)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x) (also called swish), elementwise."""
    if inplace:
        return inplace_ops.inplace(input, activations.Silu.apply)
    return activations.Silu.apply(input)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x), Phi the standard normal distribution function (approximate='tanh':
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))))."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return activations.Gelu.apply(input, approximate)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability p and scale the others by 1 / (1 - p) (if training).

    Outside training (or with p = 0) it returns ``input`` itself, as PyTorch
    does. The mask comes from minitensor's generator (``manual_seed``).

        >>> import minitensor
        >>> import minitensor.nn.functional as F
        >>> minitensor.manual_seed(0)
        >>> F.dropout(minitensor.ones(6), p=0.5)
        tensor([0., 2., 2., 2., 0., 0.])
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not isinstance(input, Tensor):
        raise TypeError(
            f"dropout(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if p != p:  # nan passes both comparisons above; PyTorch's C++ check catches it
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p == 0 or not training or input.numel() == 0:
        return input
    if inplace:
        return inplace_ops.inplace(input, activations.Dropout.apply, p)
    # On a GPU PyTorch runs a fused kernel for 0 < p < 1, with another grad_fn name.
    fused = input.device.type == "cuda" and p < 1
    return (activations.NativeDropout if fused else activations.Dropout).apply(input, p)


def _softmax_dim(input: Tensor, dim: int | None) -> int:
    """PyTorch's old guess when ``dim`` is missing (with its deprecation warning)."""
    if dim is not None:
        return dim
    warnings.warn(
        "Implicit dimension choice for softmax has been deprecated. Change the call to "
        "include dim=X as an argument.",
        UserWarning,
        stacklevel=3,
    )
    return 0 if input.ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, dtype=None) -> Tensor:
    """e^x_i / sum_j e^x_j along ``dim``: turns scores into probabilities that sum to 1."""
    dim = _softmax_dim(input, dim)
    return softmax_ops.softmax(input if dtype is None else input.to(dtype), dim)


def log_softmax(input: Tensor, dim: int | None = None, dtype=None) -> Tensor:
    """x_i - log(sum_j e^x_j) along ``dim``: the log of softmax, computed stably."""
    dim = _softmax_dim(input, dim)
    return softmax_ops.log_softmax(input if dtype is None else input.to(dtype), dim)


# --------------------------------------------------------------------------
# linear: y = x W^T + b
# --------------------------------------------------------------------------


class Addmm(Function):
    """out = bias + x @ weight.T for a batch of rows x (N, in) and weight (out, in)"""

    node_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, bias, x, weight):
        ctx.save_for_backward(x, weight)
        return x._array @ weight._array.T + bias._array

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        # out[n, o] = b[o] + sum_i x[n, i] W[o, i], so
        # dL/db = sum over rows of dL/dout, dL/dx = dL/dout @ W, dL/dW = dL/dout.T @ x.
        grad_bias = grad_output.sum(0) if ctx.needs_input_grad[0] else None
        # (Mm.apply, not mm(): these shapes fit, forward checked them, so skip the checks.)
        grad_x = matmul.Mm.apply(grad_output, weight) if ctx.needs_input_grad[1] else None
        grad_weight = matmul.Mm.apply(grad_output.t(), x) if ctx.needs_input_grad[2] else None
        return grad_bias, grad_x, grad_weight


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x W^T + b: ``weight`` is (out_features, in_features), ``input`` is (..., in_features).

    With a bias and a batch of rows (2-d input) this is one operation,
    ``AddmmBackward0`` in the graph, as in PyTorch.
    """
    if bias is None:
        return matmul.matmul(input, weight.t())
    if input.ndim == 0:
        raise RuntimeError(
            "both arguments to linear need to be at least 1D, but they are "
            f"{input.ndim}D and {weight.ndim}D"
        )
    if input.dtype != weight.dtype:
        raise RuntimeError(
            "mat1 and mat2 must have the same dtype, but got "
            f"{_scalar_name(input.dtype)} and {_scalar_name(weight.dtype)}"
        )
    if bias.dtype != weight.dtype:
        raise RuntimeError(
            "self and mat2 must have the same dtype, but got "
            f"{_scalar_name(bias.dtype)} and {_scalar_name(weight.dtype)}"
        )
    in_features = weight.shape[-1]
    rows = input.reshape(-1, input.shape[-1]) if input.ndim != 2 else input
    if rows.shape[1] != in_features:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows.shape[0]}x{rows.shape[1]} "
            f"and {weight.shape[1]}x{weight.shape[0]})"
        )
    out = Addmm.apply(bias, rows, weight)
    if input.ndim != 2:  # put the leading dimensions back: (..., out_features)
        out = out.reshape(*input.shape[:-1], weight.shape[0])
    return out


_scalar_name = _dtypes.scalar_type_name  # PyTorch's name in messages: Float, Double, Long
