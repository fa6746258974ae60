"""Powers: ``a ** k`` (a number exponent), ``a ** b`` (tensors) and ``c ** a`` (a number base).

Three Functions, because the derivative depends on which side is the tensor:
``d(a ** k)/da = k a**(k-1)`` (the power rule), ``d(c ** a)/da = c**a ln(c)``
(an exponential), and ``a ** b`` has both. PyTorch names their graph nodes
``PowBackward0``, ``PowBackward1`` and ``PowBackward2``, and so do we.

Where a formula has no value (``0 ** b`` needs ``ln(0)``), PyTorch picks the
limit that makes sense, and the comments say which.
"""

from __future__ import annotations

import math
from numbers import Number

import numpy as np

from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function, is_tensor
from minitensor.autograd.grad_mode import is_grad_enabled
from minitensor.ops.arithmetic import mul_by_number
from minitensor.ops.broadcast import sum_to
from minitensor.ops.operands import (
    as_tensor_operand,
    binary_operands,
    constant_zeros,
    promoted,
    xp_of,
)
from minitensor.ops.selection import where
from minitensor.ops.unary import log


class PowScalar(Function):
    """out = a ** k for a number k"""

    node_name = "PowBackward0"

    @staticmethod
    def forward(ctx, a, k):
        ctx.save_for_backward(a)
        ctx.k = k
        if not a.dtype.is_floating_point and isinstance(k, int) and k < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        x, y = promoted(a, as_tensor_operand(k, a))
        return _power_by_number(x, y, k, xp_of(a))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        k = ctx.k
        if k == 0 and not isinstance(k, bool):  # (PyTorch runs the general rule for ** False)
            # a ** 0 is the constant 1, flat everywhere: the gradient is zeros (not
            # grad_output * 0, which would be nan where grad_output is inf), as in PyTorch.
            return constant_zeros(a), None
        if is_grad_enabled():
            # create_graph=True: PyTorch's formula as it writes it, so that the recorded
            # graph has PyTorch's nodes (a ** 1 too, and MulBackward1 for k * ...).
            return grad_output * mul_by_number(a ** (k - 1), k), None
        if k == 1:
            # a ** 1 is a: the local derivative 1 * a ** 0 is exactly 1 (even at a = 0, inf,
            # nan), so the gradient passes through unchanged.
            return grad_output, None
        if k == 2:
            # d(a ** 2)/da = 2 * a ** 1 = 2 * a: a ** 1 would only copy a, so skip it.
            # The same numbers as the general formula, one full-size operation fewer.
            return grad_output * (2 * a), None
        # d(a ** k)/da = k * a ** (k - 1), multiplied in PyTorch's order (the same rounding)
        return grad_output * (k * a ** (k - 1)), None


class PowTensor(Function):
    """out = a ** b for tensors a and b"""

    node_name = "PowBackward1"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.save_result()
        x, y = promoted(a, b)
        return _power(x, y, xp_of(a))

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            # d(a ** b)/da = b * a ** (b - 1), taken as 0 where b == 0 (a ** 0 is constant 1)
            local = where(b == 0, 0.0, b * a ** (b - 1))
            grad_a = sum_to(grad_output * local, a.shape)
        if ctx.needs_input_grad[1]:
            # d(a ** b)/db = a ** b * log(a); PyTorch takes it as 0 where a == 0 and b >= 0.
            local = where((a == 0) & (b >= 0), 0.0, ctx.saved_result * log(a))
            grad_b = sum_to(grad_output * local, b.shape)
        return grad_a, grad_b


class RPow(Function):
    """out = c ** a for a number c (``2 ** tensor``)"""

    node_name = "PowBackward2"

    @staticmethod
    def forward(ctx, c, a):
        ctx.save_for_backward(a)
        ctx.save_result()
        ctx.c = c
        x, y = promoted(as_tensor_operand(c, a), a)
        return _power(x, y, xp_of(a))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        c = ctx.c
        if c == 0:  # 0 ** a is 0 for a > 0 (flat), inf for a < 0: PyTorch's convention
            return None, where(a >= 0, 0.0, grad_output * float("-inf"))
        # d(c ** a)/da = c ** a * log(c)
        log_c = math.log(c) if c > 0 else float("nan")
        return None, grad_output * ctx.saved_result * log_c


def _power_by_number(x, y, k, xp):
    """``x ** k`` for a number k (``y`` is k as an array), computed as PyTorch computes it.

    PyTorch replaces some exponents by cheaper operations, and these round
    differently from the general power: ``x ** 3`` is ``x * x * x``, ``x ** -2``
    is ``1 / (x * x)``, ``x ** -0.5`` is ``1 / sqrt(x)`` (so ``(-0.0) ** -0.5``
    is -inf, where C's pow gives +inf). Doing the same gives PyTorch's numbers
    bit for bit. (float16 computes cubes and inverse squares in float32.) These
    choices are written out here, not left to the library: NumPy's pow also
    takes sqrt for ** 0.5, CuPy's does not.
    """
    dt = _dtypes.from_array_dtype(x.dtype)
    if k == 0:  # x ** 0 is 1 for every x, nan included (and True ** False is True)
        return xp.ones_like(x)
    if k == 1:  # x ** 1 is x (and True ** True is True)
        return xp.asarray(x, copy=True)
    if not dt.is_floating_point:
        return _power(x, y, xp)
    if k == 2:
        return x * x
    if k == -1:
        return 1 / x
    if dt == _dtypes.float16 and k in (3, -2):
        wide = xp.astype(x, xp.float32)
        return xp.astype(_power_by_number(wide, None, k, xp), x.dtype)
    if k == 3:
        return x * x * x
    if k == -2:
        return 1 / (x * x)
    if k == 0.5 and dt != _dtypes.float16:
        return xp.sqrt(x)  # (so (-0.0) ** 0.5 is -0.0 and (-inf) ** 0.5 nan, as in PyTorch)
    if k == -0.5 and dt != _dtypes.float16:
        return 1 / xp.sqrt(x)
    return _with_c_special_cases(_power(x, y, xp), x, k, xp)


def _with_c_special_cases(out, x, k, xp):
    """``out = x ** k`` with C's (and PyTorch's) values at zero and infinite ``x`` made explicit.

    ``(+-0) ** k`` is 0 for k > 0 and inf for k < 0; ``(+-inf) ** k`` the
    reverse; for an odd integer k the result keeps the sign of x
    (``(-0.0) ** 3.0`` is -0.0). Not every GPU's pow follows these rules, so
    they are written here instead of left to the library.
    """
    if not math.isfinite(k):
        return out  # (x ** inf has rules of its own, left to pow)
    at_zero, at_inf = (math.inf, 0.0) if k < 0 else (0.0, math.inf)
    zero, inf = (xp.asarray(v, dtype=x.dtype, device=x.device) for v in (at_zero, at_inf))
    if float(k).is_integer() and int(k) % 2 == 1:
        zero, inf = (xp.where(xp.signbit(x), -v, v) for v in (zero, inf))
    return xp.where(x == 0, zero, xp.where(xp.isinf(x), inf, out))


def _power(x, y, xp):
    """``x ** y`` for arrays already in the result dtype (bool has no power in PyTorch)."""
    if _dtypes.from_array_dtype(x.dtype) == _dtypes.bool_:
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")
    return xp.pow(x, y)


# --------------------------------------------------------------------------
# The function users call (``a ** b``)
# --------------------------------------------------------------------------


def pow(a, exponent):
    """``a ** exponent``; either side may be a Python number."""
    if not is_tensor(a):
        _check_number(a)
        return RPow.apply(a, exponent)
    if is_tensor(exponent):
        return PowTensor.apply(*binary_operands(a, exponent))
    _check_number(exponent)
    return PowScalar.apply(a, exponent)


def _check_number(x) -> None:
    if not isinstance(x, (Number, np.number)) or isinstance(x, complex):
        raise TypeError(f"unsupported operand type(s) for ** or pow(): '{type(x).__name__}'")
