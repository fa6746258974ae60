"""The classification losses of ``minitensor.nn.functional``: how likely the right class was.

``F.binary_cross_entropy`` (and ``_with_logits``) for yes/no labels,
``F.nll_loss`` and ``F.cross_entropy`` for one class out of C. Each checks
its input first and fails with PyTorch's error (a target out of range, a
shape that does not match) instead of returning a silently wrong number;
then it calls its `Function` in `minitensor.nn.losses`, where the
derivatives are written. They are re-exported by `minitensor.nn.functional`,
so they are used as ``F.<name>`` exactly as in PyTorch.
"""

from __future__ import annotations

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.nn import losses
from minitensor.nn.loss_reduction import reduce_loss, reduction_to_use
from minitensor.ops import arithmetic
from minitensor.ops.softmax import log_softmax
from minitensor.tensor import Tensor

_scalar_name = _dtypes.scalar_type_name  # PyTorch's name in messages: Float, Double, Long


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """-mean(y log(x) + (1 - y) log(1 - x)) for probabilities x in [0, 1] and labels y."""
    reduction = reduction_to_use(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size."
        )
    if target.dtype != input.dtype:
        raise RuntimeError(
            f"Found dtype {_scalar_name(target.dtype)} but expected {_scalar_name(input.dtype)}"
        )
    _check_between_0_and_1(input, "input")
    _check_between_0_and_1(target, "target")
    if weight is not None:
        weight = weight.expand(*input.shape)
    return losses.BinaryCrossEntropy.apply(input, target, weight, reduction)


def _check_between_0_and_1(t: Tensor, name: str) -> None:
    xp, values = backend.namespace(t.device), t._array
    if not bool(xp.all((values >= 0) & (values <= 1))):  # NaN compares False: refused too
        raise RuntimeError(f"all elements of {name} should be between 0 and 1")


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """binary_cross_entropy(sigmoid(input), target), computed stably from the logits."""
    reduction = reduction_to_use(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({target.shape}) must be the same as input size ({input.shape})"
        )
    if not input.dtype.is_floating_point:
        raise NotImplementedError(
            f"\"log_sigmoid_{input.device.type}\" not implemented for '{_scalar_name(input.dtype)}'"
        )
    if not target.dtype.is_floating_point:
        raise RuntimeError(
            f"result type {_scalar_name(input.dtype)} can't be cast to the desired output type "
            f"{_scalar_name(target.dtype)}"
        )
    if weight is not None:
        weight = weight.expand(*input.shape)
    return losses.BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction)


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood: -mean(input[n, target[n]]), for log-probabilities ``input``.

    ``input`` is (N, C) (or (C,), or (N, C, d1, ...)); ``target`` holds class
    indices in [0, C) (int64), shaped (N,) (or (), or (N, d1, ...)).
    """
    reduction = reduction_to_use(reduction, size_average, reduce)
    _check_class_targets(input, target)
    if not input.dtype.is_floating_point:
        raise NotImplementedError(
            f"\"nll_loss_out_frame\" not implemented for '{_scalar_name(input.dtype)}'"
        )
    _check_class_weight(input, weight)
    return _nll(input, target, weight, reduction, ignore_index)


def _check_class_weight(input: Tensor, weight: Tensor | None) -> None:
    n_classes = input.shape[0 if input.ndim == 1 else 1]
    if weight is not None and weight.numel() != n_classes:
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes "
            f"but got weight tensor of shape: [{', '.join(map(str, weight.shape))}]"
        )


def _nll(input, target, weight, reduction, ignore_index):
    """nll_loss after its checks: the Function for the input's number of dimensions."""
    if input.ndim == 1 and target.ndim == 1:  # one sample given as (C,) and (1,)
        target = target.reshape(())
    if input.ndim <= 2:
        return losses.NllLoss.apply(input, target, weight, reduction, ignore_index)
    if input.ndim == 4:  # images: (N, C, H, W)
        return losses.NllLoss2d.apply(input, target, weight, reduction, ignore_index)
    # Other shapes go through the 4-d form and back, as in PyTorch (its graph shows the view).
    n, c = input.shape[:2]
    out = losses.NllLoss2d.apply(
        input.reshape(n, c, 1, -1), target.reshape(n, 1, -1), weight, reduction, ignore_index
    )
    return out.reshape(target.shape) if reduction == "none" else out


def _check_class_targets(input: Tensor, target: Tensor) -> None:
    """Shapes and dtype of class-index targets, with PyTorch's messages."""
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    if input.ndim >= 2:
        target_batch = target.shape[0] if target.ndim else 0
        if input.shape[0] != target_batch:
            raise ValueError(
                f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                f"({target_batch})."
            )
    if input.ndim == 2 and target.ndim != 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.ndim > 2:
        expected = (input.shape[0], *input.shape[2:])
        if tuple(target.shape) != expected:
            raise RuntimeError(
                f"Expected target size [{', '.join(map(str, expected))}], "
                f"got [{', '.join(map(str, target.shape))}]"
            )
    if target.dtype not in (_dtypes.int64, _dtypes.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {_scalar_name(target.dtype)}"
        )


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """nll_loss(log_softmax(input, 1), target): the loss of a classifier that outputs scores.

    ``input`` holds unnormalised scores (logits) of shape (N, C); ``target``
    the class indices (N,), or class probabilities shaped like ``input``.

    ``label_smoothing`` = s trains towards a softer target: probability
    1 - s on the right class plus s spread evenly over all C classes.
    """
    reduction = reduction_to_use(reduction, size_average, reduce)
    if label_smoothing > 1.0:  # (PyTorch checks only this side)
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}")
    class_dim = 0 if input.ndim == 1 else 1
    if target.shape == input.shape:  # one probability per class, not a class index
        if label_smoothing > 0.0:
            n_classes = input.shape[class_dim]
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        return _cross_entropy_probabilities(input, target, weight, reduction, class_dim)
    _check_class_targets(input, target)
    _check_class_weight(input, weight)
    log_probs = log_softmax(input, class_dim)
    loss = _nll(log_probs, target, weight, reduction, ignore_index)
    if label_smoothing > 0.0:
        # (1 - s) * the usual loss + s * the loss against "every class equally likely"
        n_classes = input.shape[class_dim]
        uniform = _uniform_target_loss(log_probs, target, weight, reduction, ignore_index)
        loss = (1 - label_smoothing) * loss + uniform * (label_smoothing / n_classes)
    return loss


def _uniform_target_loss(log_probs, target, weight, reduction, ignore_index):
    """-sum_c w_c log p_c per sample (0 for ignored targets), reduced as nll_loss reduces.

    Times 1/C, this is the cross-entropy against a uniform target: the part
    of the loss that label smoothing adds (PyTorch's formula and order).
    """
    class_dim = 0 if log_probs.ndim == 1 else 1
    if weight is not None:  # reshaped to broadcast along the class dimension
        shape = [1] * log_probs.ndim
        shape[class_dim] = weight.shape[0]
        per_sample = -(log_probs * weight.reshape(*shape)).sum(class_dim)
    else:
        per_sample = -log_probs.sum(class_dim)
    ignored = target == ignore_index
    per_sample = per_sample.masked_fill(ignored, 0.0)
    # "mean" divides by what nll_loss divides by: the total weight of the kept targets.
    kept = target[~ignored]
    total = weight[kept] if weight is not None else kept.numel()
    return reduce_loss(per_sample, reduction, total)


def _cross_entropy_probabilities(input, target, weight, reduction, class_dim):
    """-sum_c target[n, c] log_softmax(input)[n, c], for soft labels (PyTorch's formula)."""
    if not target.dtype.is_floating_point:
        raise RuntimeError(
            "Expected floating point type for target with class probabilities, got "
            f"{_scalar_name(target.dtype)}"
        )
    log_probs = log_softmax(input, class_dim)
    if weight is not None:  # weight[c] scales class c: reshape it to broadcast along class_dim
        shape = [1] * input.ndim
        shape[class_dim] = input.shape[class_dim]
        log_probs = log_probs * weight.reshape(*shape)
    # PyTorch's formula and graph: a negated sum (over the classes for "none", over all for
    # the others), divided by the number of samples for "mean".
    weighted = log_probs * target
    if reduction == "none":
        return -weighted.sum(class_dim)
    total = -weighted.sum()
    if reduction == "sum":
        return total
    n_samples = input.numel() // input.shape[class_dim] if input.numel() else 0
    return arithmetic.div_by_number(total, n_samples)
