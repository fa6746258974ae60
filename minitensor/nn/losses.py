"""Loss functions as differentiable operations: forward and backward side by side.

A loss compares a prediction with a target and returns one number per
element (``reduction="none"``), or their ``"sum"``, or their ``"mean"``
(the default). Each is one `Function` with PyTorch's ``grad_fn`` name and
PyTorch's numerics: the backward uses the loss's own derivative formula
(for binary cross-entropy, ``(x - y) / (x (1 - x))``) rather than
differentiating the forward's arithmetic step by step.

The reduction only rescales the gradient: d(mean)/d(loss_i) = 1/n,
d(sum)/d(loss_i) = 1, and with ``"none"`` each element brings its own
incoming gradient. `per_element` applies that rule (it and the forward's
`reduce_array` are in loss_reduction.py, with the rest of the reduction rule).

The users' entry points, with input checks, are in `minitensor.nn.functional`.
"""

from __future__ import annotations

from minitensor import backend
from minitensor.autograd.function import Function
from minitensor.dtypes import scalar_type_name
from minitensor.nn.loss_reduction import per_element, reduce_array
from minitensor.ops.broadcast import sum_to
from minitensor.ops.operands import promoted, xp_of
from minitensor.ops.unary import clamp, log, relu, rounded_like_torch, sigmoid
from minitensor.tensor import Tensor

# The smallest denominator binary cross-entropy's gradient divides by (PyTorch's EPSILON).
_BCE_EPSILON = 1e-12


def _distance_gradients(ctx, grad_output, local) -> tuple:
    """The gradients of a loss of d = input - target, given ``local`` = d loss_i / d d_i.

    Shared by the losses of a difference (MSE, smooth L1, Huber): the input
    gets ``local`` times what reaches each loss, the target minus that.
    """
    input, target = ctx.saved_tensors
    grad = local * per_element(grad_output, ctx.reduction, ctx.count)
    grad_input = sum_to(grad, input.shape) if ctx.needs_input_grad[0] else None
    grad_target = sum_to(-grad, target.shape) if ctx.needs_input_grad[1] else None
    return grad_input, grad_target


class MseLoss(Function):
    """loss_i = (input_i - target_i)**2"""

    node_name = "MseLossBackward0"

    @staticmethod
    def forward(ctx, input, target, reduction):
        ctx.save_for_backward(input, target)
        x, y = promoted(input, target)
        diff = x - y
        losses = diff * diff
        ctx.reduction, ctx.count = reduction, int(losses.size)
        return reduce_array(xp_of(input), losses, reduction)

    @staticmethod
    def backward(ctx, grad_output):
        input, target = ctx.saved_tensors
        # d/d(input) (input - target)**2 = 2 (input - target); d/d(target) is minus that.
        return *_distance_gradients(ctx, grad_output, 2 * (input - target)), None


class BinaryCrossEntropy(Function):
    """loss_i = -w_i [y_i log(x_i) + (1 - y_i) log(1 - x_i)], each log clamped at -100"""

    node_name = "BinaryCrossEntropyBackward0"

    @staticmethod
    def forward(ctx, input, target, weight, reduction):
        ctx.save_for_backward(input, target, weight)
        xp = xp_of(input)
        x, y = input._array, target._array
        # The logs as PyTorch computes them: log(1 - x) as log1p(-x) (exact even when x is
        # tiny, where 1 - x would round), each rounded from float64 like PyTorch's float32 log
        # (NumPy's float32 log is often an ulp off, and the printed loss would differ).
        # log(0) = -inf would make 0 * log(0) = nan; PyTorch clamps the logs at -100.
        log_x = xp.clip(rounded_like_torch(xp, xp.log, x), min=-100.0)
        log_1mx = xp.clip(rounded_like_torch(xp, xp.log1p, -x), min=-100.0)
        losses = -(y * log_x + (1 - y) * log_1mx)
        if weight is not None:
            losses = losses * weight._array
        ctx.reduction, ctx.count = reduction, int(losses.size)
        return reduce_array(xp, losses, reduction)

    @staticmethod
    def backward(ctx, grad_output):
        x, y, weight = ctx.saved_tensors
        scale = per_element(grad_output, ctx.reduction, ctx.count)
        if weight is not None:
            scale = scale * weight
        grad_input = grad_target = None
        if ctx.needs_input_grad[0]:
            # d loss / dx = (x - y) / (x (1 - x)); the denominator is kept >= 1e-12.
            grad_input = sum_to((x - y) / clamp((1 - x) * x, _BCE_EPSILON) * scale, x.shape)
        if ctx.needs_input_grad[1]:
            # d loss / dy = log(1 - x) - log(x)
            grad_target = sum_to((log(1 - x) - log(x)) * scale, y.shape)
        return grad_input, grad_target, None, None


class BinaryCrossEntropyWithLogits(Function):
    """loss_i = -w_i [p y_i log(sigmoid(x_i)) + (1 - y_i) log(1 - sigmoid(x_i))], p = pos_weight

    Computed from the logit x as (1 - y) x + (1 + (p - 1) y) softplus(-x) with
    softplus(-x) = log(1 + e^-x) = max(-x, 0) + log(1 + e^-|x|), which never
    overflows: this is why it is more accurate than ``bce(sigmoid(x), y)``.
    """

    node_name = "BinaryCrossEntropyWithLogitsBackward0"

    @staticmethod
    def forward(ctx, input, target, weight, pos_weight, reduction):
        ctx.save_for_backward(input, target, weight, pos_weight)
        xp = xp_of(input)
        x, y = promoted(input, target)
        softplus_neg_x = xp.clip(-x, min=0.0) + xp.log1p(xp.exp(-xp.abs(x)))
        if pos_weight is None:
            losses = (1 - y) * x + softplus_neg_x
        else:
            losses = (1 - y) * x + (1 + (pos_weight._array - 1) * y) * softplus_neg_x
        if weight is not None:
            losses = losses * weight._array
        ctx.reduction, ctx.count = reduction, int(losses.size)
        return reduce_array(xp, losses, reduction)

    @staticmethod
    def backward(ctx, grad_output):
        x, y, weight, pos_weight = ctx.saved_tensors
        scale = per_element(grad_output, ctx.reduction, ctx.count)
        if weight is not None:
            scale = scale * weight
        grad_input = grad_target = None
        if ctx.needs_input_grad[0]:
            # d loss / dx = sigmoid(x) - y, or with p: (1 + (p - 1) y) sigmoid(x) - p y
            if pos_weight is None:
                local = sigmoid(x) - y
            else:
                local = (1 + (pos_weight - 1) * y) * sigmoid(x) - pos_weight * y
            grad_input = sum_to(local * scale, x.shape)
        if ctx.needs_input_grad[1]:
            # d loss / dy = -x, or with p: -x + (p - 1) softplus(-x)
            local = -x
            if pos_weight is not None:
                softplus_neg_x = relu(-x) + log(1 + (-x.abs()).exp())
                local = local + (pos_weight - 1) * softplus_neg_x
            grad_target = sum_to(local * scale, y.shape)
        return grad_input, grad_target, None, None, None


class NllLoss(Function):
    """loss_n = -w[t_n] * input[n, t_n]: minus the (log-)probability given to the right class

    ``input`` is (N, C) (or (C,), or (N, C, d1, ...)), ``target`` holds class
    indices (N,) (or (), or (N, d1, ...)). Targets equal to ``ignore_index``
    count for nothing; ``"mean"`` divides by the total weight of the others.
    """

    node_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx, input, target, weight, reduction, ignore_index):
        xp = xp_of(input)
        x = input._array
        class_dim = 0 if input.ndim == 1 else 1
        n_classes = x.shape[class_dim]
        t = target._array
        if t.dtype != xp.int64:  # uint8 targets are allowed too
            t = xp.astype(t, xp.int64)
        keep = t != ignore_index
        bad = keep & ((t < 0) | (t >= n_classes))  # class indices out of range
        if target.device.type == "cpu":
            _check_targets(t, bad, target.device)
        safe_t = xp.where(keep & ~bad, t, 0)  # any valid index where the target is ignored
        # The targets with a size-1 class dimension, (N,) -> (N, 1): what take_along_axis takes.
        along = _with_class_dim(xp, safe_t, class_dim)
        picked = xp.squeeze(xp.take_along_axis(x, along, axis=class_dim), axis=class_dim)
        if target.device.type != "cpu":
            # Reading `bad` on the host would make the CPU wait for the GPU at every step
            # (PyTorch checks on the GPU itself, a "device-side assert"): instead a target
            # out of range makes its loss nan, which shows in the result.
            picked = xp.where(bad, xp.asarray(float("nan"), dtype=x.dtype, device=x.device), picked)
        if weight is None:  # weight 1 for every target, 0 for ignored ones
            w = xp.astype(keep, x.dtype)
        else:
            w = xp.reshape(xp.take(weight._array, xp.reshape(safe_t, (-1,)), axis=0), t.shape)
            w = xp.where(keep, w, 0.0)
        losses = -w * picked
        ctx.reduction, ctx.class_dim, ctx.n_classes = reduction, class_dim, n_classes
        ctx.target_along, ctx.weight_along = along, _with_class_dim(xp, w, class_dim)
        ctx.total_weight = xp.sum(w)
        # "mean" divides by the total weight (all ignored: 0/0 = nan, quietly: see Function.apply)
        return reduce_array(xp, losses, reduction, divisor=ctx.total_weight)

    @staticmethod
    def backward(ctx, grad_output):
        # The loss is linear in input: its gradient is -w[t_n] at [n, t_n] and 0
        # elsewhere (a "one-hot" tensor), times the gradient arriving at loss_n.
        xp = backend.namespace(grad_output.device)
        t, class_dim = ctx.target_along, ctx.class_dim
        shape = [1] * t.ndim
        shape[class_dim] = ctx.n_classes
        classes = xp.reshape(xp.arange(ctx.n_classes, device=t.device), tuple(shape))
        coefficient = xp.where(classes == t, -ctx.weight_along, 0.0)
        if ctx.reduction == "mean":
            with backend.quiet_float_errors():  # all ignored: 0/0 = nan
                coefficient = coefficient / ctx.total_weight
        elif ctx.reduction == "none":
            grad_output = grad_output.unsqueeze(class_dim)
        return Tensor._wrap(coefficient, grad_output.device) * grad_output, None, None, None, None


class NllLoss2d(NllLoss):
    """The same loss for inputs with more dimensions, (N, C, d1, ...): PyTorch's name for it."""

    node_name = "NllLoss2DBackward0"


def _with_class_dim(xp, array, class_dim: int):
    """``array`` with a new size-1 dimension at ``class_dim``: (N,) -> (N, 1).

    (A reshape: quicker than NumPy's expand_dims, which is written in Python.)
    """
    shape = list(array.shape)
    shape.insert(class_dim, 1)
    return xp.reshape(array, tuple(shape))


def _check_targets(target, bad, device) -> None:
    """PyTorch's IndexError for the first class index out of range (``bad``)."""
    if bad.any():
        host_target = backend.to_host(target, device).reshape(-1)
        host_bad = backend.to_host(bad, device).reshape(-1)
        raise IndexError(f"Target {int(host_target[host_bad.argmax()])} is out of bounds.")


def _absolute_difference(ctx, input, target, reduction):
    """|input - target| (in their promoted dtype), saving what `_distance_gradients` needs."""
    ctx.save_for_backward(input, target)
    ctx.reduction = reduction
    x, y = promoted(input, target)
    return xp_of(input).abs(x - y)


class SmoothL1Loss(Function):
    """loss_i = 0.5 d_i**2 / beta if |d_i| < beta else |d_i| - 0.5 beta, with d = input - target

    A squared error near 0 (smooth, small gradients) and an absolute error
    beyond ``beta`` (gradient +-1: an outlier pulls no harder than that).
    """

    node_name = "SmoothL1LossBackward0"

    @staticmethod
    def forward(ctx, input, target, reduction, beta):
        xp = xp_of(input)
        z = _absolute_difference(ctx, input, target, reduction)
        losses = xp.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta)
        ctx.count, ctx.beta = int(losses.size), beta
        return reduce_array(xp, losses, reduction)

    @staticmethod
    def backward(ctx, grad_output):
        input, target = ctx.saved_tensors
        # d loss / d input = d / beta inside [-beta, beta], and its sign (+-1) outside.
        local = clamp((input - target) / ctx.beta, -1.0, 1.0)
        return *_distance_gradients(ctx, grad_output, local), None, None


class HuberLoss(Function):
    """loss_i = 0.5 d_i**2 if |d_i| < delta else delta (|d_i| - 0.5 delta), with d = input - target

    Smooth L1 with beta = delta, times delta (as PyTorch documents): the
    gradient is capped at +-delta instead of +-1 (with delta = 1 they agree).
    Written out rather than computed as ``delta * smooth_l1`` so that each
    number is rounded as PyTorch's Huber kernel rounds it.
    """

    node_name = "HuberLossBackward0"

    @staticmethod
    def forward(ctx, input, target, reduction, delta):
        xp = xp_of(input)
        z = _absolute_difference(ctx, input, target, reduction)
        losses = xp.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))
        # PyTorch writes the loss in the input's dtype (float32 input, float64 target: float32).
        losses = xp.astype(losses, input._array.dtype)
        ctx.count, ctx.delta = int(losses.size), delta
        return reduce_array(xp, losses, reduction)

    @staticmethod
    def backward(ctx, grad_output):
        input, target = ctx.saved_tensors
        if input.dtype != target.dtype:
            # PyTorch's backward refuses mixed dtypes (its forward accepts them): the same error.
            first, second = (input, target) if ctx.needs_input_grad[0] else (target, input)
            raise RuntimeError(
                f"Found dtype {scalar_type_name(second.dtype)} but expected "
                f"{scalar_type_name(first.dtype)}"
            )
        # d loss / d input = d inside [-delta, delta], and delta times its sign outside.
        local = clamp(input - target, -ctx.delta, ctx.delta)
        return *_distance_gradients(ctx, grad_output, local), None, None
