"""``log1p``, ``expm1``, ``rsqrt`` and ``square``: small formulas worth a name of their own.

``log1p(x) = ln(1 + x)`` and ``expm1(x) = e**x - 1`` are accurate for tiny
x, where the plain formula loses every digit: in float32, ``1 + 1e-10`` is
exactly 1, so ``log(1 + 1e-10)`` is 0, while ``log1p(1e-10)`` is 1e-10.
``rsqrt(x) = 1 / sqrt(x)`` and ``square(x) = x * x`` (that one is ``x ** 2``,
as in PyTorch, whose graph also shows ``PowBackward0`` for it).
"""

from __future__ import annotations

from minitensor.autograd.function import Function
from minitensor.ops.operands import float_array, xp_of
from minitensor.ops.power import pow
from minitensor.ops.unary import rounded_like_torch


class Log1p(Function):
    """out = ln(1 + a)"""

    node_name = "Log1PBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return rounded_like_torch(xp_of(a), xp_of(a).log1p, float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / (a + 1)  # d ln(1 + a)/da = 1 / (1 + a)


class Expm1(Function):
    """out = e ** a - 1"""

    node_name = "Expm1Backward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_result()
        return rounded_like_torch(xp_of(a), xp_of(a).expm1, float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * (ctx.saved_result + 1)  # d(e**a - 1)/da = e**a = out + 1


class Rsqrt(Function):
    """out = 1 / sqrt(a)"""

    node_name = "RsqrtBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_result()
        # Two roundings (sqrt, then 1 / it) in the input's dtype: PyTorch's results exactly.
        return 1 / xp_of(a).sqrt(float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        out = ctx.saved_result
        # d a**(-1/2)/da = -1/2 a**(-3/2) = -1/2 out**3
        return -0.5 * grad_output * out * out * out


def log1p(input):
    """ln(1 + input), accurate for tiny inputs (integers give floats)."""
    return Log1p.apply(input)


def expm1(input):
    """e ** input - 1, accurate for tiny inputs (integers give floats)."""
    return Expm1.apply(input)


def rsqrt(input):
    """1 / sqrt(input) (rsqrt(0) = inf, rsqrt(-1) = nan)."""
    return Rsqrt.apply(input)


def square(input):
    """input * input, as ``input ** 2`` (integers stay integers; bools give int64)."""
    return pow(input, 2)
