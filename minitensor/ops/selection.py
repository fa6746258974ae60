"""Operations that pick each output element from one of their inputs.

``where(condition, a, b)``, ``masked_fill``, ``maximum`` and ``minimum``
compute nothing new: each output element is a copy of an element of ``a``
or of ``b``. So the backward routes the gradient: each element's gradient
goes to the input it was copied from, and the other input gets 0 there
(for ``maximum``, a tie splits it in halves, as in PyTorch).
"""

from __future__ import annotations

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function, is_tensor
from minitensor.ops.broadcast import broadcast_shapes, sum_to
from minitensor.ops.operands import as_tensor_operand, check_tensor_argument, promoted, xp_of


class Maximum(Function):
    """out = the larger of a and b, elementwise"""

    node_name = "MaximumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = promoted(a, b)
        return xp_of(a).maximum(x, y)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        return _split_between(grad_output, a, b, a > b)


class Minimum(Function):
    """out = the smaller of a and b, elementwise"""

    node_name = "MinimumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = promoted(a, b)
        return xp_of(a).minimum(x, y)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        return _split_between(grad_output, a, b, a < b)


def _split_between(grad_output, a, b, a_wins):
    """The winner gets the gradient; on a tie each gets half (PyTorch's rule)."""
    tie = a == b
    share_a = where(a_wins, 1.0, 0.0) + where(tie, 0.5, 0.0)
    grad_a = sum_to(grad_output * share_a, a.shape)
    grad_b = sum_to(grad_output * (1 - share_a), b.shape)
    return grad_a, grad_b


class Where(Function):
    """out = a where condition is True, else b"""

    node_name = "WhereBackward0"

    @staticmethod
    def forward(ctx, condition, a, b):
        if condition.dtype != _dtypes.bool_:
            raise RuntimeError(
                f"where expected condition to be a boolean tensor, but got a tensor with "
                f"dtype {_dtypes.scalar_type_name(condition.dtype)}"
            )
        ctx.save_for_backward(condition)
        ctx.shapes = (a.shape, b.shape)
        x, y = promoted(a, b)
        shape = broadcast_shapes(condition.shape, a.shape, b.shape)
        xp = xp_of(a)
        return xp.where(xp.broadcast_to(condition._array, shape), x, y)

    @staticmethod
    def backward(ctx, grad_output):
        (condition,) = ctx.saved_tensors
        shape_a, shape_b = ctx.shapes
        grad_a = sum_to(where(condition, grad_output, 0.0), shape_a)
        grad_b = sum_to(where(condition, 0.0, grad_output), shape_b)
        return None, grad_a, grad_b


class MaskedFill(Function):
    """out = a with value written where mask is True"""

    node_name = "MaskedFillBackward0"

    @staticmethod
    def forward(ctx, a, mask, value):
        if mask.dtype != _dtypes.bool_:
            raise RuntimeError(
                f"masked_fill_ only supports boolean masks, but got mask with dtype "
                f"{_dtypes.cpp_name(mask.dtype)}"
            )
        broadcast_shapes(a.shape, mask.shape)
        ctx.save_for_backward(mask)
        fill = backend.asarray(value, a.dtype, a.device)
        return xp_of(a).where(mask._array, fill, a._array)

    @staticmethod
    def backward(ctx, grad_output):
        (mask,) = ctx.saved_tensors
        return where(mask, 0.0, grad_output), None, None  # filled places get no gradient


# --------------------------------------------------------------------------
# The functions users call
# --------------------------------------------------------------------------


def maximum(a, b):
    """The larger of ``a`` and ``b`` at each position (both tensors, broadcast)."""
    check_tensor_argument("maximum", b)
    return Maximum.apply(a, b)


def minimum(a, b):
    """The smaller of ``a`` and ``b`` at each position (both tensors, broadcast)."""
    check_tensor_argument("minimum", b)
    return Minimum.apply(a, b)


def where(condition, a, b):
    """Elements of ``a`` where ``condition`` holds, else of ``b`` (numbers allowed)."""
    like = a if is_tensor(a) else (b if is_tensor(b) else condition)
    return Where.apply(condition, as_tensor_operand(a, like), as_tensor_operand(b, like))


def masked_fill(a, mask, value):
    if is_tensor(value):
        if value.ndim != 0:
            raise RuntimeError(
                "masked_fill_ only supports a 0-dimensional value tensor, but got tensor "
                f"with {value.ndim} dimension(s)."
            )
        value = value.item()
    return MaskedFill.apply(a, mask, value)
