"""The regression losses of ``minitensor.nn.functional``: how far a prediction is from a number.

``F.mse_loss`` (squared error), ``F.l1_loss`` (absolute error), and the two
that mix them, ``F.smooth_l1_loss`` and ``F.huber_loss`` (squared near 0,
absolute far away, so an outlier pulls no harder than a fixed amount).
Each checks its input first and fails with PyTorch's error, or warns as
PyTorch does when the target's shape would be broadcast; then it calls its
`Function` in `minitensor.nn.losses`, where the derivatives are written.
They are re-exported by `minitensor.nn.functional`, so they are used as
``F.<name>`` exactly as in PyTorch.
"""

from __future__ import annotations

import warnings

from minitensor import dtypes as _dtypes
from minitensor.nn import losses
from minitensor.nn.loss_reduction import (
    checked_reduction,
    legacy_reduction,
    reduce_loss,
    reduction_to_use,
)
from minitensor.ops.broadcast import broadcast_shapes
from minitensor.tensor import Tensor

_scalar_name = _dtypes.scalar_type_name  # PyTorch's name in messages: Float, Double, Long


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean squared error: mean((input - target)**2)."""
    _warn_if_sizes_differ(input, target)
    reduction = reduction_to_use(reduction, size_average, reduce)
    _check_floating(input, target, "mse")
    if weight is not None:  # PyTorch's weighted version: sum(w (x - y)**2) / sum(w)
        if weight.shape != input.shape:
            raise ValueError("Weights and input must have the same size.")
        return reduce_loss((input - target) ** 2 * weight, reduction, total=weight)
    return losses.MseLoss.apply(input, target, reduction)


def _warn_if_sizes_differ(input: Tensor, target: Tensor) -> None:
    """PyTorch's warning when a regression target would be broadcast to the input."""
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,  # the line that called the loss
        )


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean absolute error: mean(|input - target|) (``weight``: sum(w |x - y|) / sum(w)).

    Built from ``-``, ``abs`` and ``mean`` as in PyTorch, so its graph shows
    MeanBackward0 <- AbsBackward0 <- SubBackward0 (there is no L1LossBackward0).
    """
    _warn_if_sizes_differ(input, target)
    reduction = legacy_reduction(reduction, size_average, reduce)
    broadcast_shapes(input.shape, target.shape)  # PyTorch's error if they do not fit
    if weight is None:
        return _l1(input, target, checked_reduction(reduction))
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    return reduce_loss((input - target).abs() * weight, reduction, total=weight)


def _l1(input: Tensor, target: Tensor, reduction: str) -> Tensor:
    return reduce_loss((input - target).abs(), reduction)


def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """mean(0.5 d**2 / beta if |d| < beta else |d| - 0.5 beta), d = input - target.

    Squared near 0, absolute beyond ``beta``; ``beta=0`` is ``l1_loss``.
    """
    _warn_if_sizes_differ(input, target)
    reduction = reduction_to_use(reduction, size_average, reduce)
    broadcast_shapes(input.shape, target.shape)
    if beta == 0.0:
        return _l1(input, target, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    _check_floating(input, target, "smooth_l1")
    return losses.SmoothL1Loss.apply(input, target, reduction, beta)


def huber_loss(
    input: Tensor,
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    """mean(0.5 d**2 if |d| < delta else delta (|d| - 0.5 delta)), d = input - target.

    Squared near 0, ``delta`` times the absolute error beyond ``delta``
    (``weight`` multiplies each element's loss before the reduction).
    """
    _warn_if_sizes_differ(input, target)
    broadcast_shapes(input.shape, target.shape)
    if weight is None:
        reduction = checked_reduction(reduction)
    elif weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    dtype = _check_floating(input, target, "huber")
    if not input.dtype.is_floating_point:  # the loss is written in the input's dtype
        raise RuntimeError(
            f"result type {_scalar_name(dtype)} can't be cast to the desired output type "
            f"{_scalar_name(input.dtype)}"
        )
    if weight is None:
        return losses.HuberLoss.apply(input, target, reduction, delta)
    return reduce_loss(losses.HuberLoss.apply(input, target, "none", delta) * weight, reduction)


def _check_floating(input: Tensor, target: Tensor, kernel: str):
    """The dtype input and target promote to; PyTorch's error if it holds integers."""
    dtype = _dtypes.result_type(input, target)
    if not dtype.is_floating_point:
        raise NotImplementedError(
            f"\"{kernel}_{input.device.type}\" not implemented for '{_scalar_name(dtype)}'"
        )
    return dtype
