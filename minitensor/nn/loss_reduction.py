"""How a loss's many numbers become one: ``reduction="mean"``, ``"sum"`` or ``"none"``.

Every loss computes one number per element, then reduces them as its
``reduction`` argument says: their mean (the default), their sum, or the
numbers themselves. The rule is written once, here, at each level it is
needed:

* `reduction_to_use` reads the argument (and PyTorch's deprecated
  ``size_average``/``reduce`` spelling of it, with a warning);
* `reduce_loss` reduces a tensor of losses (the losses built from tensor
  operations, as ``l1_loss``), `reduce_array` an array (inside a loss's
  `Function`, in losses.py);
* `per_element` is the backward half: d(mean)/d(loss_i) = 1/n,
  d(sum)/d(loss_i) = 1, and with ``"none"`` each element brings its own
  incoming gradient.
"""

from __future__ import annotations

import warnings

from minitensor.tensor import Tensor


def reduction_to_use(reduction: str, size_average=None, reduce=None) -> str:
    """The reduction to use; ``size_average``/``reduce`` are PyTorch's deprecated spelling."""
    return checked_reduction(legacy_reduction(reduction, size_average, reduce, stacklevel=4))


def checked_reduction(reduction: str) -> str:
    """``reduction`` itself, or PyTorch's ValueError if it is not "mean", "sum" or "none"."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def legacy_reduction(reduction: str, size_average=None, reduce=None, stacklevel=3) -> str:
    """``reduction``, or what the deprecated ``size_average``/``reduce`` ask for (warning)."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "none" if not reduce else ("mean" if size_average else "sum")
        warnings.warn(
            "size_average and reduce args will be deprecated, please use "
            f"reduction='{reduction}' instead.",
            UserWarning,
            stacklevel=stacklevel,  # the line that called the loss (or built the module)
        )
    return reduction


def reduce_loss(loss: Tensor, reduction: str, total: Tensor | int | None = None) -> Tensor:
    """``loss`` reduced as ``reduction`` says: itself ("none"), its sum, or its mean.

    A weighted mean divides the sum by the ``total`` weight instead of by the
    number of elements (a tensor of weights is summed; a number is the total).
    Any other ``reduction`` is PyTorch's ValueError.
    """
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        if total is None:
            return loss.mean()
        return loss.sum() / (total.sum() if isinstance(total, Tensor) else total)
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def reduce_array(xp, losses, reduction: str, divisor=None):
    """The forward half of the reduction: mean, sum, or the losses themselves.

    "mean" divides the sum by the number of losses, or by ``divisor`` where
    that is something else (nll_loss: the total weight of the targets kept).
    """
    if reduction == "mean":
        # sum / count, not xp.mean: the mean of nothing is 0/0 = nan, quietly (as in PyTorch;
        # NumPy's mean would warn "Mean of empty slice").
        return xp.sum(losses) / (losses.size if divisor is None else divisor)
    if reduction == "sum":
        return xp.sum(losses)
    return losses


def per_element(grad_output: Tensor, reduction: str, count) -> Tensor:
    """The gradient that reaches each element's loss from the reduced output."""
    return grad_output / count if reduction == "mean" else grad_output
