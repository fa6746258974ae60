"""Arithmetic: ``+ - * /``, forward and backward side by side (``**``: power.py).

Each operation applies to every element independently, so its derivative is
elementwise too: the backward multiplies the incoming gradient, element by
element, by the local derivative (``d(a * b)/da = b``).

Binary operations broadcast their inputs (see `minitensor.ops.broadcast`)
and promote dtypes as PyTorch does (see `minitensor.ops.operands`); their
backward sums each gradient back to its input's shape with `sum_to`: an input
that was broadcast was used many times, and the uses' gradients add up.

Either side may be a Python number: ``t * 2`` and ``2 * t`` both work (Python
calls ``t.__rmul__(2)`` for the second). The number gets no gradient.
"""

from __future__ import annotations

import builtins

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.ops.broadcast import sum_to
from minitensor.ops.operands import as_tensor_operand, binary_operands, promoted, xp_of
from minitensor.ops.unary import reciprocal


def _scaled(y, alpha, device):
    """``alpha * y`` for the array ``y`` (alpha converted to y's dtype: True for bool)."""
    if alpha == 1:
        return y
    return y * backend.asarray(alpha, _dtypes.from_array_dtype(y.dtype), device)


# --------------------------------------------------------------------------
# Sums, products, quotients
# --------------------------------------------------------------------------


class Add(Function):
    """out = a + alpha * b"""

    node_name = "AddBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha):
        ctx.shapes, ctx.alpha = (a._array.shape, b._array.shape), alpha
        x, y = promoted(a, b)
        y = _scaled(y, alpha, a.device)
        if a._dtype is b._dtype is _dtypes.bool_:
            return xp_of(a).logical_or(x, y)  # True + True is True, as in PyTorch
        return x + y

    @staticmethod
    def backward(ctx, grad_output):
        # d(out)/da = 1, d(out)/db = alpha: the gradient passes straight through.
        shape_a, shape_b = ctx.shapes
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = sum_to(grad_output, shape_a)
        if ctx.needs_input_grad[1]:
            grad_b = sum_to(grad_output if ctx.alpha == 1 else grad_output * ctx.alpha, shape_b)
        return grad_a, grad_b, None


class Sub(Function):
    """out = a - alpha * b"""

    node_name = "SubBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha):
        ctx.shapes, ctx.alpha = (a._array.shape, b._array.shape), alpha
        x, y = promoted(a, b)
        return x - _scaled(y, alpha, a.device)

    @staticmethod
    def backward(ctx, grad_output):
        # d(out)/da = 1, d(out)/db = -alpha
        shape_a, shape_b = ctx.shapes
        grad_a = sum_to(grad_output, shape_a) if ctx.needs_input_grad[0] else None
        grad_b = sum_to(-grad_output * ctx.alpha, shape_b) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b, None


class Rsub(Function):
    """out = number - a  (Python's ``2 - tensor``)"""

    node_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, a, number):
        x, y = promoted(a, number)
        return y - x

    @staticmethod
    def backward(ctx, grad_output):
        return -grad_output, None  # d(number - a)/da = -1


class Mul(Function):
    """out = a * b"""

    node_name = "MulBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = promoted(a, b)
        if a._dtype is b._dtype is _dtypes.bool_:
            return xp_of(a).logical_and(x, y)  # True * False is False, as in PyTorch
        return x * y

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        # d(a * b)/da = b and d(a * b)/db = a; sum over broadcast dimensions.
        grad_a = sum_to(grad_output * b, a.shape) if ctx.needs_input_grad[0] else None
        grad_b = sum_to(grad_output * a, b.shape) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class Div(Function):
    """out = a / b  (true division: integers give floats)"""

    node_name = "DivBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = promoted(a, b, floating=True)
        return x / y

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        # d(a / b)/da = 1 / b and d(a / b)/db = -a / b**2
        grad_a = sum_to(grad_output / b, a.shape) if ctx.needs_input_grad[0] else None
        grad_b = sum_to(-grad_output * a / (b * b), b.shape) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class MulByNumber(Function):
    """out = a * number, where minitensor's own formulas multiply by a number

    The same arithmetic as `Mul`. PyTorch's own code (``k * a ** (k - 1)`` in
    the power rule, say) multiplies by a number with another overload than
    ``a * b``: graphs show it as ``MulBackward1``, and the number is not one of
    the node's inputs. Used where a recorded backward (``create_graph=True``)
    should show PyTorch's nodes.
    """

    node_name = "MulBackward1"

    @staticmethod
    def forward(ctx, a, number):
        ctx.number = number
        x, y = promoted(a, as_tensor_operand(number, a))
        return x * y

    @staticmethod
    def backward(ctx, grad_output):
        return mul_by_number(grad_output, ctx.number), None  # d(a * number)/da = number


class DivByNumber(Function):
    """out = a / number, where minitensor's own formulas divide by a number (a mean's 1/n)

    As `MulByNumber`: ``DivBackward1`` in graphs, with one input.
    """

    node_name = "DivBackward1"

    @staticmethod
    def forward(ctx, a, number):
        ctx.number = number
        x, y = promoted(a, as_tensor_operand(number, a), floating=True)
        return x / y

    @staticmethod
    def backward(ctx, grad_output):
        return div_by_number(grad_output, ctx.number), None  # d(a / number)/da = 1 / number


class DivRounded(Function):
    """out = a / b rounded down (``"floor"``) or toward zero (``"trunc"``)"""

    node_name = "DivBackward2"

    @staticmethod
    def forward(ctx, a, b, rounding_mode):
        ctx.shapes = (a.shape, b.shape)
        x, y = promoted(a, b)
        xp = xp_of(a)
        if not _dtypes.from_array_dtype(x.dtype).is_floating_point:
            _check_no_integer_zero(y, xp)
            quotient = xp.floor_divide(x, y)
            if rounding_mode == "trunc":  # floor rounds down; where the signs differ, go up
                inexact = (quotient * y != x) & ((x < 0) != (y < 0))
                quotient = xp.where(inexact, quotient + 1, quotient)
            return quotient
        rounded = xp.floor if rounding_mode == "floor" else xp.trunc
        return rounded(x / y)

    @staticmethod
    def backward(ctx, grad_output):
        # A step function: flat almost everywhere, so PyTorch gives zero gradients.
        shape_a, shape_b = ctx.shapes
        return sum_to(grad_output * 0, shape_a), sum_to(grad_output * 0, shape_b), None


def _check_no_integer_zero(divisor, xp) -> None:
    """Integer division by zero has no answer: PyTorch raises rather than return garbage."""
    if builtins.bool(xp.any(divisor == 0)):
        raise RuntimeError("ZeroDivisionError")


class Neg(Function):
    """out = -a"""

    node_name = "NegBackward0"

    @staticmethod
    def forward(ctx, a):
        if a.dtype == _dtypes.bool_:
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are "
                "trying to invert a mask, use the `~` or `logical_not()` operator instead."
            )
        return -a._array

    @staticmethod
    def backward(ctx, grad_output):
        return -grad_output


# --------------------------------------------------------------------------
# The functions users call (``a + b`` calls ``add(a, b)``)
# --------------------------------------------------------------------------


def add(a, b, *, alpha=1):
    """a + alpha * b (broadcasting; either side may be a Python number)."""
    a, b = binary_operands(a, b)
    _check_alpha(a, b, alpha)
    return Add.apply(a, b, alpha)


def sub(a, b, *, alpha=1):
    """a - alpha * b."""
    _check_not_bool_subtraction(a, b)
    a, b = binary_operands(a, b)
    _check_alpha(a, b, alpha)
    return Sub.apply(a, b, alpha)


def rsub(a, number):
    """``number - a`` (what Python calls for ``2 - tensor``)."""
    _check_not_bool_subtraction(number, a)
    a, number = binary_operands(a, number)
    return Rsub.apply(a, number)


def _check_alpha(a, b, alpha) -> None:
    if isinstance(alpha, float) and not _dtypes.result_type(a, b).is_floating_point:
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number."
        )


def _check_not_bool_subtraction(a, b) -> None:
    if _is_bool(a) and _is_bool(b):
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. "
            "Use the `^` or `logical_xor()` operator instead."
        )
    if _is_bool(a) or _is_bool(b):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


def mul(a, b):
    """a * b, elementwise (not the matrix product: that is ``@``)."""
    a, b = binary_operands(a, b)
    return Mul.apply(a, b)


def div(a, b, *, rounding_mode=None):
    """``a / b``; ``rounding_mode="floor"`` or ``"trunc"`` rounds the quotient."""
    if rounding_mode not in (None, "floor", "trunc"):
        raise RuntimeError(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )
    a, b = binary_operands(a, b)
    if rounding_mode is None:
        return Div.apply(a, b)
    return DivRounded.apply(a, b, rounding_mode)


def mul_by_number(a, number):
    """``a * number`` in minitensor's own formulas (``MulBackward1`` in graphs, as in PyTorch)."""
    return MulByNumber.apply(a, number)


def div_by_number(a, number):
    """``a / number`` in minitensor's own formulas (``DivBackward1`` in graphs, as in PyTorch)."""
    return DivByNumber.apply(a, number)


def rdiv(a, number):
    """``number / a``: PyTorch computes it as ``reciprocal(a) * number``."""
    return mul(reciprocal(a), number)


def neg(a):
    """-a."""
    return Neg.apply(a)


def _is_bool(x) -> bool:
    return getattr(x, "dtype", None) == _dtypes.bool_ or isinstance(x, bool)
