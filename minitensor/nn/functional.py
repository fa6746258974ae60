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

The losses' derivatives are in `minitensor.nn.losses`; ``linear``'s is below.
"""

from __future__ import annotations

import numbers
import warnings

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.nn import losses
from minitensor.ops import activations, arithmetic, matmul, unary
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


def _scalar_name(dtype) -> str:
    """PyTorch's scalar type name: ``Float``, ``Double``, ``Long``, ..."""
    return dtype._tensor_type.removesuffix("Tensor")


# --------------------------------------------------------------------------
# Losses: checks, then the Functions of minitensor.nn.losses
# --------------------------------------------------------------------------


def _reduction(reduction: str, size_average=None, reduce=None) -> str:
    """The reduction to use; ``size_average``/``reduce`` are PyTorch's deprecated spelling."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "none" if not reduce else ("mean" if size_average else "sum")
        warnings.warn(
            "size_average and reduce args will be deprecated, please use "
            f"reduction='{reduction}' instead.",
            UserWarning,
            stacklevel=3,
        )
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Mean squared error: mean((input - target)**2)."""
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            UserWarning,
            stacklevel=2,
        )
    reduction = _reduction(reduction, size_average, reduce)
    dtype = _dtypes.result_type(input, target)
    if not dtype.is_floating_point:
        raise NotImplementedError(
            f"\"mse_{input.device.type}\" not implemented for '{_scalar_name(dtype)}'"
        )
    if weight is not None:  # PyTorch's weighted version: sum(w (x - y)**2) / sum(w)
        if weight.shape != input.shape:
            raise ValueError("Weights and input must have the same size.")
        weighted = (input - target) ** 2 * weight
        if reduction == "none":
            return weighted
        return weighted.sum() if reduction == "sum" else weighted.sum() / weight.sum()
    return losses.MseLoss.apply(input, target, reduction)


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """-mean(y log(x) + (1 - y) log(1 - x)) for probabilities x in [0, 1] and labels y."""
    reduction = _reduction(reduction, size_average, reduce)
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
    reduction = _reduction(reduction, size_average, reduce)
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
    reduction = _reduction(reduction, size_average, reduce)
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
    reduction = _reduction(reduction, size_average, reduce)
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
    if reduction == "none":
        return per_sample
    if reduction == "sum":
        return per_sample.sum()
    # "mean" divides by what nll_loss divides by: the total weight of the kept targets.
    kept = target[~ignored]
    total = weight[kept].sum() if weight is not None else kept.numel()
    return per_sample.sum() / total


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
    # PyTorch's formula and graph: a negated sum, divided by the number of samples for "mean".
    weighted = log_probs * target
    if reduction == "none":
        return -weighted.sum(class_dim)
    total = -weighted.sum()
    if reduction == "sum":
        return total
    n_samples = input.numel() // input.shape[class_dim] if input.numel() else 0
    return arithmetic.div_by_number(total, n_samples)
