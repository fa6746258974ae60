"""Integer division: ``a // b`` (`floor_divide`) and ``a % b`` (`remainder`).

Python's rules, as in PyTorch: ``//`` rounds down (toward minus infinity)
and ``%`` takes the sign of the divisor, so ``a == (a // b) * b + a % b``.
Dividing integers by zero raises instead of returning garbage. ``//`` has
no derivative (a step function); ``%`` has ``d/da = 1``, ``d/db = -floor(a / b)``.
"""

from __future__ import annotations

from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function, is_tensor
from minitensor.ops.arithmetic import _check_no_integer_zero
from minitensor.ops.broadcast import sum_to
from minitensor.ops.operands import binary_operands, promoted, xp_of


class FloorDivide(Function):
    """out = floor(a / b); not differentiable (as in PyTorch)"""

    node_name = "minitensor::autograd::NotImplemented"  # PyTorch's node without a backward

    @staticmethod
    def forward(ctx, a, b):
        x, y = promoted(a, b)
        return _integer_safe(xp_of(a).floor_divide, x, y, xp_of(a), "div_floor")

    @staticmethod
    def backward(ctx, grad_output):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


def _integer_safe(operation, x, y, xp, kernel: str):
    """``operation(x, y)`` for floor division and remainder, with PyTorch's integer checks."""
    dt = _dtypes.from_array_dtype(x.dtype)
    if dt == _dtypes.bool_:
        raise NotImplementedError(f"\"{kernel}_cpu\" not implemented for 'Bool'")
    if not dt.is_floating_point:
        _check_no_integer_zero(y, xp)
    return operation(x, y)


class Remainder(Function):
    """out = a - floor(a / b) * b  (Python's ``%``: the sign follows b)"""

    node_name = "RemainderBackward1"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = promoted(a, b)
        return _integer_safe(xp_of(a).remainder, x, y, xp_of(a), "remainder")

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        # d/da = 1; d/db = -floor(a / b)
        grad_a = sum_to(grad_output, a.shape) if ctx.needs_input_grad[0] else None
        grad_b = None
        if ctx.needs_input_grad[1]:
            grad_b = sum_to(-grad_output * floor_divide(a, b), b.shape)
        return grad_a, grad_b


class RemainderScalar(Remainder):
    """out = a % number  (the number gets no gradient)"""

    node_name = "RemainderBackward0"


class NumberRemainder(Remainder):
    """out = number % a; PyTorch has no derivative for it"""

    node_name = "minitensor::autograd::NotImplemented"

    @staticmethod
    def backward(ctx, grad_output):
        raise RuntimeError("derivative for aten::remainder is not implemented")


def floor_divide(a, b):
    """floor(a / b) (Python's ``//``); not differentiable."""
    a, b = binary_operands(a, b)
    return FloorDivide.apply(a, b)


def remainder(a, b):
    """``a % b`` (Python's modulo: the result has the sign of b)."""
    function = Remainder
    if not is_tensor(b):
        function = RemainderScalar
    elif not is_tensor(a):
        function = NumberRemainder
    return function.apply(*binary_operands(a, b))
