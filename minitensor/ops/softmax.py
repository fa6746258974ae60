"""``softmax``, ``log_softmax`` and ``logsumexp``: exponentials normalised along a dimension.

softmax(x)_i = exp(x_i) / sum_j exp(x_j) turns scores into probabilities;
log_softmax is its log, and logsumexp(x) = log(sum_j exp(x_j)) the
normaliser. Each is built on a sum along a dimension, and each subtracts
the maximum first, which changes nothing mathematically (it cancels) but
keeps ``exp`` from overflowing: softmax([1000., 0.]) is [1., 0.], not nan.
"""

from __future__ import annotations

from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.ops.operands import xp_of
from minitensor.ops.reduction_rules import expand_back, reduced_count, reduced_dims
from minitensor.ops.shape import normalize_dim
from minitensor.ops.unary import exp


def _minus_max(xp, array, dims):
    """x - max(x): the same softmax (it cancels), but the largest exponent is now 0."""
    return array - xp.max(array, axis=dims, keepdims=True)


class Softmax(Function):
    """out_i = exp(x_i) / sum_j exp(x_j) along ``dim``"""

    node_name = "SoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.save_result()  # the backward needs only the output y
        ctx.dims = dims
        xp = xp_of(x)
        if x.numel() == 0:
            return xp.asarray(x._array, copy=True)
        # inf - inf = nan, as in PyTorch (quietly: see Function.apply)
        e = xp.exp(_minus_max(xp, x._array, dims))
        return e / xp.sum(e, axis=dims, keepdims=True)

    @staticmethod
    def backward(ctx, grad_output):
        return SoftmaxBackward.apply(grad_output, ctx.saved_result, ctx.dims), None


class SoftmaxBackward(Function):
    """out = y * (g - sum_j g_j y_j): softmax's backward, for its output y and gradient g.

    ``d y_i/dx_j = y_i (delta_ij - y_j)``. One operation written on the output,
    like PyTorch's ``_softmax_backward_data`` (``SoftmaxBackwardDataBackward0``
    with ``create_graph=True``); its own backward gives second derivatives.
    """

    node_name = "SoftmaxBackwardDataBackward0"

    @staticmethod
    def forward(ctx, grad_output, y, dims):
        ctx.save_for_backward(grad_output, y)
        ctx.dims = dims
        g, out = grad_output._array, y._array
        return out * (g - xp_of(y).sum(g * out, axis=dims, keepdims=True))

    @staticmethod
    def backward(ctx, grad):
        grad_output, y = ctx.saved_tensors
        dims = ctx.dims
        # Linear in g: the same formula again. For y, with s = sum_j g_j y_j:
        # d out_i/dy_k = delta_ik (g_i - s) - y_i g_k.
        grad_g = SoftmaxBackward.apply(grad, y, dims) if ctx.needs_input_grad[0] else None
        grad_y = None
        if ctx.needs_input_grad[1]:
            s = (grad_output * y).sum(dims, keepdim=True)
            grad_y = grad * (grad_output - s) - grad_output * (grad * y).sum(dims, keepdim=True)
        return grad_g, grad_y, None


class LogSoftmax(Function):
    """out_i = x_i - log(sum_j exp(x_j)) along ``dim``"""

    node_name = "LogSoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.save_result()  # the backward needs only the output
        ctx.dims = dims
        xp = xp_of(x)
        if x.numel() == 0:
            return xp.asarray(x._array, copy=True)
        shifted = _minus_max(xp, x._array, dims)
        return shifted - xp.log(xp.sum(xp.exp(shifted), axis=dims, keepdims=True))

    @staticmethod
    def backward(ctx, grad_output):
        return LogSoftmaxBackward.apply(grad_output, ctx.saved_result, ctx.dims), None


class LogSoftmaxBackward(Function):
    """out = g - exp(o) * sum_j g_j: log_softmax's backward, for its output o and gradient g.

    ``d o_i/dx_j = delta_ij - softmax(x)_j``, and softmax(x) = exp(o). One
    operation written on the output, like PyTorch's ``_log_softmax_backward_data``
    (``LogSoftmaxBackwardDataBackward0`` with ``create_graph=True``).
    """

    node_name = "LogSoftmaxBackwardDataBackward0"

    @staticmethod
    def forward(ctx, grad_output, o, dims):
        ctx.save_for_backward(grad_output, o)
        ctx.dims = dims
        xp, g = xp_of(o), grad_output._array
        return g - xp.exp(o._array) * xp.sum(g, axis=dims, keepdims=True)

    @staticmethod
    def backward(ctx, grad):
        grad_output, o = ctx.saved_tensors
        dims = ctx.dims
        # d out_i/dg_k = delta_ik - exp(o_i); d out_i/do_k = -delta_ik exp(o_i) sum_j g_j.
        grad_g = grad_o = None
        if ctx.needs_input_grad[0]:
            grad_g = grad - (grad * o.exp()).sum(dims, keepdim=True)
        if ctx.needs_input_grad[1]:
            grad_o = -grad * o.exp() * grad_output.sum(dims, keepdim=True)
        return grad_g, grad_o, None


def _softmax_dims(name, x, dim, dtype):
    """Check the arguments of (log_)softmax; returns x (cast to dtype) and its dims."""
    if dtype is not None:
        x = x.to(dtype)
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(
            f"{name}(): argument 'dim' (position 1) must be int, not {type(dim).__name__}"
        )
    d = normalize_dim(dim, x.ndim)
    if not x.dtype.is_floating_point:
        kernel = f"{name}_lastdim_kernel_impl" if d >= x.ndim - 1 else f"{name}_kernel_impl"
        type_name = _dtypes.scalar_type_name(x.dtype)
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{type_name}'")
    return x, ((d,) if x.ndim else ())


def softmax(x, dim, dtype=None):
    """exp(x_i) / sum_j exp(x_j) along ``dim``: positive numbers that sum to 1.

    >>> minitensor.tensor([1000., 0.]).softmax(0)
    tensor([1., 0.])
    """
    x, dims = _softmax_dims("softmax", x, dim, dtype)
    return Softmax.apply(x, dims)


def log_softmax(x, dim, dtype=None):
    """log(softmax(x)) along ``dim``, computed without overflow or log(0)."""
    x, dims = _softmax_dims("log_softmax", x, dim, dtype)
    return LogSoftmax.apply(x, dims)


class Logsumexp(Function):
    """out = log(sum exp(x)) over ``dims``, computed as m + log(sum exp(x - m)), m = max(x)"""

    node_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        xp, array = xp_of(x), x._array
        if reduced_count(x.shape, dims) == 0:  # log of an empty sum: log(0) = -inf
            return xp.log(xp.sum(xp.exp(array), axis=dims, keepdims=keepdim))
        m = xp.max(array, axis=dims, keepdims=True)
        m = xp.where(xp.isinf(m), 0.0, m)  # inf - inf would be nan; PyTorch shifts by 0
        total = xp.sum(xp.exp(array - m), axis=dims, keepdims=keepdim)
        return xp.log(total) + xp.reshape(m, total.shape)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad = expand_back(grad_output, x.shape, ctx.dims, ctx.keepdim)
        out = Logsumexp.apply(x, ctx.dims, True)
        # d/dx_i log(sum exp(x)) = exp(x_i) / sum exp(x) = exp(x_i - out): the softmax
        return grad * exp(x - out), None, None


def logsumexp(x, dim, keepdim=False):
    """log(sum(exp(x))) over ``dim`` (an int or a tuple), without overflow.

    Integers and bools are first converted to the default float dtype.
    """
    if dim is None:
        raise TypeError(
            "logsumexp(): argument 'dim' (position 2) must be tuple of ints, not NoneType"
        )
    if isinstance(dim, (tuple, list)) and len(dim) == 0 and x.ndim > 0 and not keepdim:
        ones = ", ".join(["1"] * x.ndim)  # PyTorch's (odd) error for an empty dim tuple
        raise RuntimeError(f"output with shape [] doesn't match the broadcast shape [{ones}]")
    if not x.dtype.is_floating_point:
        x = x.to(_dtypes.get_default_dtype())
    return Logsumexp.apply(x, reduced_dims(dim, x.ndim), keepdim)
