"""Elementwise operations: arithmetic, functions like exp and tanh, comparisons.

Each operation applies to every element independently, so its derivative is
elementwise too: the backward multiplies the incoming gradient, element by
element, by the local derivative (``d tanh(x)/dx = 1 - tanh(x)**2``).

Binary operations broadcast their inputs (see `minitensor.ops.broadcast`)
and promote dtypes as PyTorch does (see `minitensor.dtypes`); their backward
sums each gradient back to its input's shape with `sum_to`.

Functions whose derivative is written with the function itself (exp, tanh,
sigmoid, sqrt, ...) keep their *output* for backward with ``ctx.save_result()``,
as PyTorch does: ``d exp(a)/da = exp(a)`` is already computed. Changing that
output in place (``y = x.exp(); y.add_(1)``) then makes backward fail loudly.
"""

from __future__ import annotations

import builtins
import math
from numbers import Number

import numpy as np

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.autograd.grad_mode import is_grad_enabled
from minitensor.ops.broadcast import broadcast_shapes, sum_to

# --------------------------------------------------------------------------
# Helpers: operands, dtypes
# --------------------------------------------------------------------------


def as_tensor_operand(x, like):
    """A Tensor for ``x``; a Python number becomes a 0-d "wrapped number" tensor.

    A wrapped number takes part in type promotion as a Python number does
    (``int32_tensor * 2`` stays int32) and lives on ``like``'s device.
    """
    from minitensor.tensor import Tensor

    if isinstance(x, Tensor):
        return x
    if isinstance(x, (bool, np.bool_)):
        dt = _dtypes.bool_
    elif isinstance(x, (int, np.integer)):
        dt = _dtypes.int64
    elif isinstance(x, (float, np.floating)):
        dt = _dtypes.float64
    else:
        raise TypeError(
            f"unsupported operand type(s): 'Tensor' and '{type(x).__name__}' "
            "(minitensor operations take tensors and Python numbers)"
        )
    t = Tensor._wrap(backend.asarray(x, dt, like.device), like.device)
    t._wrapped_number = True
    return t


def _binary_operands(a, b):
    """Both operands as tensors; at least one of them must already be one."""
    from minitensor.tensor import Tensor

    like = a if isinstance(a, Tensor) else b
    return as_tensor_operand(a, like), as_tensor_operand(b, like)


def _cast(t, dtype):
    """``t``'s array in ``dtype`` (no copy if it already is)."""
    if t.dtype == dtype:
        return t._array
    xp = backend.namespace(t.device)
    return xp.astype(t._array, backend.native_dtype(xp, dtype))


def _promoted(*tensors, floating: bool = False):
    """The arrays of ``tensors`` cast to their common (PyTorch) result dtype.

    ``floating=True`` is for operations like ``/`` whose result is a float
    even for integer inputs (then the default float dtype).
    """
    dtype = _dtypes.result_type(*tensors)
    if floating and not dtype.is_floating_point:
        dtype = _dtypes.get_default_dtype()
    broadcast_shapes(*(t.shape for t in tensors))  # PyTorch's message if they do not fit
    return [_cast(t, dtype) for t in tensors]


def _xp(t):
    return backend.namespace(t.device)


def _float_array(t):
    """``t``'s array, as the default float dtype if it holds integers (for exp, log, ...)."""
    return _cast(t, t.dtype if t.dtype.is_floating_point else _dtypes.get_default_dtype())


def _scaled(y, alpha, device):
    """``alpha * y`` for the array ``y`` (alpha converted to y's dtype: True for bool)."""
    if alpha == 1:
        return y
    return y * backend.asarray(alpha, _dtypes.from_array_dtype(y.dtype), device)


# --------------------------------------------------------------------------
# Arithmetic
# --------------------------------------------------------------------------


class Add(Function):
    """out = a + alpha * b"""

    node_name = "AddBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha):
        ctx.shapes, ctx.alpha = (a.shape, b.shape), alpha
        x, y = _promoted(a, b)
        y = _scaled(y, alpha, a.device)
        if _dtypes.from_array_dtype(x.dtype) == _dtypes.bool_:
            return _xp(a).logical_or(x, y)  # True + True is True, as in PyTorch
        return x + y

    @staticmethod
    def backward(ctx, grad_output):
        # d(out)/da = 1, d(out)/db = alpha: the gradient passes straight through.
        shape_a, shape_b = ctx.shapes
        grad_b = grad_output if ctx.alpha == 1 else grad_output * ctx.alpha
        return sum_to(grad_output, shape_a), sum_to(grad_b, shape_b), None


class Sub(Function):
    """out = a - alpha * b"""

    node_name = "SubBackward0"

    @staticmethod
    def forward(ctx, a, b, alpha):
        ctx.shapes, ctx.alpha = (a.shape, b.shape), alpha
        x, y = _promoted(a, b)
        return x - _scaled(y, alpha, a.device)

    @staticmethod
    def backward(ctx, grad_output):
        # d(out)/da = 1, d(out)/db = -alpha
        shape_a, shape_b = ctx.shapes
        return sum_to(grad_output, shape_a), sum_to(-grad_output * ctx.alpha, shape_b), None


class Rsub(Function):
    """out = number - a  (Python's ``2 - tensor``)"""

    node_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, a, number):
        x, y = _promoted(a, number)
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
        x, y = _promoted(a, b)
        if _dtypes.from_array_dtype(x.dtype) == _dtypes.bool_:
            return _xp(a).logical_and(x, y)  # True * False is False, as in PyTorch
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
        x, y = _promoted(a, b, floating=True)
        return x / y

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        # d(a / b)/da = 1 / b and d(a / b)/db = -a / b**2
        grad_a = sum_to(grad_output / b, a.shape) if ctx.needs_input_grad[0] else None
        grad_b = sum_to(-grad_output * a / (b * b), b.shape) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class DivRounded(Function):
    """out = a / b rounded down (``"floor"``) or toward zero (``"trunc"``)"""

    node_name = "DivBackward2"

    @staticmethod
    def forward(ctx, a, b, rounding_mode):
        ctx.shapes = (a.shape, b.shape)
        x, y = _promoted(a, b)
        xp = _xp(a)
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


class PowScalar(Function):
    """out = a ** k for a number k"""

    node_name = "PowBackward0"

    @staticmethod
    def forward(ctx, a, k):
        ctx.save_for_backward(a)
        ctx.k = k
        if not a.dtype.is_floating_point and isinstance(k, int) and k < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        x, y = _promoted(a, as_tensor_operand(k, a))
        return _power(x, y, _xp(a))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        if ctx.k == 0:
            return grad_output * 0, None
        # d(a ** k)/da = k * a ** (k - 1)
        return grad_output * ctx.k * a ** (ctx.k - 1), None


class PowTensor(Function):
    """out = a ** b for tensors a and b"""

    node_name = "PowBackward1"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.save_result()
        x, y = _promoted(a, b)
        return _power(x, y, _xp(a))

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
        x, y = _promoted(as_tensor_operand(c, a), a)
        return _power(x, y, _xp(a))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        c = ctx.c
        if c == 0:  # 0 ** a is 0 for a > 0 (flat), inf for a < 0: PyTorch's convention
            return None, where(a >= 0, 0.0, grad_output * float("-inf"))
        # d(c ** a)/da = c ** a * log(c)
        log_c = math.log(c) if c > 0 else float("nan")
        return None, grad_output * ctx.saved_result * log_c


def _power(x, y, xp):
    """``x ** y`` for arrays already in the result dtype (bool has no power in PyTorch)."""
    if _dtypes.from_array_dtype(x.dtype) == _dtypes.bool_:
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")
    return xp.pow(x, y)


class FloorDivide(Function):
    """out = floor(a / b); not differentiable (as in PyTorch)"""

    node_name = "minitensor::autograd::NotImplemented"  # PyTorch's node without a backward

    @staticmethod
    def forward(ctx, a, b):
        x, y = _promoted(a, b)
        return _integer_safe(_xp(a).floor_divide, x, y, _xp(a), "div_floor")

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
        x, y = _promoted(a, b)
        return _integer_safe(_xp(a).remainder, x, y, _xp(a), "remainder")

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


# --------------------------------------------------------------------------
# Functions of one tensor
# --------------------------------------------------------------------------


class Exp(Function):
    """out = e ** a"""

    node_name = "ExpBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_result()
        return _xp(a).exp(_float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.saved_result  # d(e ** a)/da = e ** a


class Log(Function):
    """out = ln(a)"""

    node_name = "LogBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _xp(a).log(_float_array(a))  # log(0) = -inf, log(-1) = nan

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / a  # d ln(a)/da = 1 / a


class Sqrt(Function):
    """out = sqrt(a)"""

    node_name = "SqrtBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_result()
        return _xp(a).sqrt(_float_array(a))  # sqrt(-1) = nan, as in PyTorch

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output / (2 * ctx.saved_result)  # d sqrt(a)/da = 1 / (2 sqrt(a))


class Reciprocal(Function):
    """out = 1 / a"""

    node_name = "ReciprocalBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_result()
        return 1 / _float_array(a)

    @staticmethod
    def backward(ctx, grad_output):
        out = ctx.saved_result
        return -grad_output * out * out  # d(1/a)/da = -1 / a**2 = -out**2


class Abs(Function):
    """out = |a|"""

    node_name = "AbsBackward0"

    @staticmethod
    def forward(ctx, a):
        if a.dtype == _dtypes.bool_:
            raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
        ctx.save_for_backward(a)
        return _xp(a).abs(a._array)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output * sign(a)  # d|a|/da = sign(a), taken as 0 at 0


class Sign(Function):
    """out = -1, 0 or 1: the sign of a (0 for nan, as in PyTorch)"""

    node_name = "SignBackward0"

    @staticmethod
    def forward(ctx, a):
        xp = _xp(a)
        if a.dtype == _dtypes.bool_:
            return xp.asarray(a._array, copy=True)  # True is positive, False zero
        signs = xp.sign(a._array)
        if a.dtype.is_floating_point:
            signs = xp.where(xp.isnan(signs), xp.zeros_like(signs), signs)
        return signs

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * 0  # flat on each side of 0


class Sin(Function):
    """out = sin(a)"""

    node_name = "SinBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _xp(a).sin(_float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output * cos(a)  # d sin(a)/da = cos(a)


class Cos(Function):
    """out = cos(a)"""

    node_name = "CosBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _xp(a).cos(_float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return -grad_output * sin(a)  # d cos(a)/da = -sin(a)


class Tanh(Function):
    """out = tanh(a)"""

    node_name = "TanhBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_result()
        return _xp(a).tanh(_float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        t = ctx.saved_result
        return grad_output * (1 - t * t)  # d tanh(a)/da = 1 - tanh(a)**2


class Sigmoid(Function):
    """out = 1 / (1 + e ** -a)"""

    node_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_result()
        return _sigmoid_array(_xp(a), _float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        s = ctx.saved_result
        return grad_output * s * (1 - s)  # d sigmoid(a)/da = sigmoid(a) (1 - sigmoid(a))


def _sigmoid_array(xp, x):
    """1 / (1 + e^-x) without overflow: e^-|x| never exceeds 1."""
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


class Relu(Function):
    """out = max(a, 0)"""

    node_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, a):
        if a.dtype == _dtypes.bool_:
            raise RuntimeError("Boolean inputs not supported for relu")
        ctx.save_result()
        return _xp(a).where(a._array > 0, a._array, _xp(a).zeros_like(a._array))

    @staticmethod
    def backward(ctx, grad_output):
        # d relu(a)/da = 1 where a > 0, else 0 (also at 0, as in PyTorch); out > 0 exactly there
        return where(ctx.saved_result > 0, grad_output, 0.0)


class Clamp(Function):
    """out = min(max(a, low), high) for numbers low/high (either may be None)"""

    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, a, low, high):
        ctx.save_for_backward(a)
        ctx.low, ctx.high = low, high
        bounds = [b for b in (low, high) if b is not None]
        (x, *_) = _promoted(a, *(as_tensor_operand(b, a) for b in bounds))
        xp, dt = _xp(a), _dtypes.from_array_dtype(x.dtype)
        if low is not None:
            x = xp.where(x < low, backend.asarray(low, dt, a.device), x)
        if high is not None:
            x = xp.where(x > high, backend.asarray(high, dt, a.device), x)
        return x

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        # The gradient passes where a is inside [low, high] (bounds included), else 0.
        inside = ones_mask(a)
        if ctx.low is not None:
            inside = inside & (a >= ctx.low)
        if ctx.high is not None:
            inside = inside & (a <= ctx.high)
        return where(inside, grad_output, 0.0), None, None


class Maximum(Function):
    """out = the larger of a and b, elementwise"""

    node_name = "MaximumBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = _promoted(a, b)
        return _xp(a).maximum(x, y)

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
        x, y = _promoted(a, b)
        return _xp(a).minimum(x, y)

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
        x, y = _promoted(a, b)
        shape = broadcast_shapes(condition.shape, a.shape, b.shape)
        xp = _xp(a)
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
        return _xp(a).where(mask._array, fill, a._array)

    @staticmethod
    def backward(ctx, grad_output):
        (mask,) = ctx.saved_tensors
        return where(mask, 0.0, grad_output), None, None  # filled places get no gradient


class Fill(Function):
    """out = a tensor like ``a`` filled with one value (``fill_``)"""

    node_name = "FillBackward2"

    @staticmethod
    def forward(ctx, a, value):
        xp = _xp(a)
        return xp.full(
            a._array.shape, value, dtype=a._array.dtype, device=backend.native_device(a.device)
        )

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * 0, None  # the old values no longer matter


class Zero(Fill):
    """out = zeros like ``a`` (``zero_``)"""

    node_name = "ZeroBackward0"


class Copy(Function):
    """out = src written into a tensor shaped like ``dest`` (``copy_``)"""

    node_name = "CopyBackwards"

    @staticmethod
    def forward(ctx, dest, src):
        ctx.src_shape = src.shape
        broadcast_shapes(dest.shape, src.shape)
        xp = _xp(dest)
        array = xp.astype(src._array, dest._array.dtype)
        return xp.broadcast_to(array, dest._array.shape)

    @staticmethod
    def backward(ctx, grad_output):
        # dest's old values are overwritten (zero gradient); src's flow straight through.
        return grad_output * 0, sum_to(grad_output, ctx.src_shape)


# --------------------------------------------------------------------------
# The functions users call (``tensor.exp()`` and ``minitensor.exp(tensor)``)
# --------------------------------------------------------------------------


def add(a, b, *, alpha=1):
    a, b = _binary_operands(a, b)
    _check_alpha(a, b, alpha)
    return Add.apply(a, b, alpha)


def sub(a, b, *, alpha=1):
    _check_not_bool_subtraction(a, b)
    a, b = _binary_operands(a, b)
    _check_alpha(a, b, alpha)
    return Sub.apply(a, b, alpha)


def rsub(a, number):
    """``number - a`` (what Python calls for ``2 - tensor``)."""
    _check_not_bool_subtraction(number, a)
    a, number = _binary_operands(a, number)
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
    a, b = _binary_operands(a, b)
    return Mul.apply(a, b)


def div(a, b, *, rounding_mode=None):
    """``a / b``; ``rounding_mode="floor"`` or ``"trunc"`` rounds the quotient."""
    if rounding_mode not in (None, "floor", "trunc"):
        raise RuntimeError(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )
    a, b = _binary_operands(a, b)
    if rounding_mode is None:
        return Div.apply(a, b)
    return DivRounded.apply(a, b, rounding_mode)


def rdiv(a, number):
    """``number / a``: PyTorch computes it as ``reciprocal(a) * number``."""
    return mul(reciprocal(a), number)


def floor_divide(a, b):
    a, b = _binary_operands(a, b)
    return FloorDivide.apply(a, b)


def remainder(a, b):
    """``a % b`` (Python's modulo: the result has the sign of b)."""
    from minitensor.tensor import Tensor

    function = Remainder
    if not isinstance(b, Tensor):
        function = RemainderScalar
    elif not isinstance(a, Tensor):
        function = NumberRemainder
    return function.apply(*_binary_operands(a, b))


def pow(a, exponent):
    """``a ** exponent``; either side may be a Python number."""
    from minitensor.tensor import Tensor

    if not isinstance(a, Tensor):
        _check_number(a)
        return RPow.apply(a, exponent)
    if isinstance(exponent, Tensor):
        return PowTensor.apply(*_binary_operands(a, exponent))
    _check_number(exponent)
    return PowScalar.apply(a, exponent)


def neg(a):
    return Neg.apply(a)


def abs(a):
    return Abs.apply(a)


def exp(a):
    return Exp.apply(a)


def log(a):
    return Log.apply(a)


def sqrt(a):
    return Sqrt.apply(a)


def reciprocal(a):
    return Reciprocal.apply(a)


def sin(a):
    return Sin.apply(a)


def cos(a):
    return Cos.apply(a)


def tanh(a):
    return Tanh.apply(a)


def sigmoid(a):
    return Sigmoid.apply(a)


def relu(a):
    return Relu.apply(a)


def clamp(a, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("minitensor.clamp: At least one of 'min' or 'max' must not be None")
    return Clamp.apply(a, min, max)


def maximum(a, b):
    """The larger of ``a`` and ``b`` at each position (both tensors, broadcast)."""
    _check_tensor_argument("maximum", b)
    return Maximum.apply(a, b)


def minimum(a, b):
    """The smaller of ``a`` and ``b`` at each position (both tensors, broadcast)."""
    _check_tensor_argument("minimum", b)
    return Minimum.apply(a, b)


def _check_tensor_argument(name, other) -> None:
    from minitensor.tensor import Tensor

    if not isinstance(other, Tensor):
        raise TypeError(
            f"{name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}"
        )


def where(condition, a, b):
    """Elements of ``a`` where ``condition`` holds, else of ``b`` (numbers allowed)."""
    from minitensor.tensor import Tensor

    like = a if isinstance(a, Tensor) else (b if isinstance(b, Tensor) else condition)
    return Where.apply(condition, as_tensor_operand(a, like), as_tensor_operand(b, like))


def masked_fill(a, mask, value):
    from minitensor.tensor import Tensor

    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(
                "masked_fill_ only supports a 0-dimensional value tensor, but got tensor "
                f"with {value.ndim} dimension(s)."
            )
        value = value.item()
    return MaskedFill.apply(a, mask, value)


def sign(a):
    """-1, 0 or 1 for each element (0 for nan, as in PyTorch)."""
    return Sign.apply(a)


def ones_mask(a):
    """A bool tensor of True with ``a``'s shape."""
    from minitensor.tensor import Tensor

    xp = _xp(a)
    ones = xp.ones(a._array.shape, dtype=xp.bool, device=backend.native_device(a.device))
    return Tensor._wrap(ones, a.device)


# --------------------------------------------------------------------------
# Comparisons and logic: results are bool tensors, never part of the graph.
# --------------------------------------------------------------------------


def _compare(name):
    def compare(a, b):
        from minitensor.tensor import Tensor

        a, b = _binary_operands(a, b)
        x, y = _promoted(a, b)
        if _dtypes.from_array_dtype(x.dtype) == _dtypes.bool_ and name not in _EQUALITY:
            x, y = _as_int8(x, a.device), _as_int8(y, a.device)  # False < True, as 0 < 1
        return Tensor._wrap(getattr(_xp(a), name)(x, y), a.device)

    compare.__name__ = name
    compare.__doc__ = f"Elementwise ``{name}``, as a bool tensor (no gradient flows through it)."
    return compare


_EQUALITY = ("equal", "not_equal")


def _as_int8(array, device):
    """Bools as 0/1 (the array API only orders numbers)."""
    xp = backend.namespace(device)
    return xp.astype(array, xp.int8)


eq = _compare("equal")
ne = _compare("not_equal")
lt = _compare("less")
le = _compare("less_equal")
gt = _compare("greater")
ge = _compare("greater_equal")


def _truth(t):
    """``t``'s array as bools: nonzero is True (what the logical_* functions read)."""
    return t._array if t.dtype == _dtypes.bool_ else t._array != 0


def _logical(name):
    def logical(a, b):
        from minitensor.tensor import Tensor

        _check_tensor_argument(name, b)
        broadcast_shapes(a.shape, b.shape)
        return Tensor._wrap(getattr(_xp(a), name)(_truth(a), _truth(b)), a.device)

    logical.__name__ = name
    logical.__doc__ = f"Elementwise ``{name}`` of the truth values (nonzero is True), as bools."
    return logical


logical_and = _logical("logical_and")
logical_or = _logical("logical_or")
logical_xor = _logical("logical_xor")


def logical_not(a):
    """True where ``a`` is zero (or False), as a bool tensor."""
    from minitensor.tensor import Tensor

    return Tensor._wrap(_xp(a).logical_not(_truth(a)), a.device)


def _bitwise(name, logical_name, kernel):
    def bitwise(a, b):
        """Bitwise ``name`` of integers; for bools, the logical one (``mask1 & mask2``)."""
        from minitensor.tensor import Tensor

        a, b = _binary_operands(a, b)
        dtype = _dtypes.result_type(a, b)
        if dtype.is_floating_point:
            raise NotImplementedError(
                f"\"{kernel}_cpu\" not implemented for '{_dtypes.scalar_type_name(dtype)}'"
            )
        x, y = _promoted(a, b)
        function = logical_name if dtype == _dtypes.bool_ else name
        return Tensor._wrap(getattr(_xp(a), function)(x, y), a.device)

    bitwise.__name__ = name
    return bitwise


bitwise_and = _bitwise("bitwise_and", "logical_and", "bitwise_and")
bitwise_or = _bitwise("bitwise_or", "logical_or", "bitwise_or")
bitwise_xor = _bitwise("bitwise_xor", "logical_xor", "bitwise_xor")


def bitwise_not(a):
    """``~a``: flips every bit of an integer, negates a bool."""
    from minitensor.tensor import Tensor

    if a.dtype.is_floating_point:
        raise TypeError(
            "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
        )
    xp = _xp(a)
    if a.dtype == _dtypes.bool_:
        return Tensor._wrap(xp.logical_not(a._array), a.device)
    return Tensor._wrap(xp.bitwise_invert(a._array), a.device)


def _is_bool(x) -> bool:
    return getattr(x, "dtype", None) == _dtypes.bool_ or isinstance(x, bool)


def _check_number(x) -> None:
    if not isinstance(x, (Number, np.number)) or isinstance(x, complex):
        raise TypeError(f"unsupported operand type(s) for ** or pow(): '{type(x).__name__}'")


# --------------------------------------------------------------------------
# In place: ``t.add_(1)`` changes t's own memory.
# --------------------------------------------------------------------------


def check_inplace(t) -> None:
    """PyTorch's rules: no in-place change of a leaf (or a view of one) that requires grad."""
    if not is_grad_enabled():
        return
    if t._grad_fn is None and t._requires_grad:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation."
        )
    base = t._base
    if base is not None and base._requires_grad:
        if base._grad_fn is None:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place "
                "operation."
            )
        raise RuntimeError(
            "minitensor does not support in-place operations on a view of a tensor that "
            "requires grad (PyTorch rewrites the base's graph here); use an out-of-place "
            "operation, or clone() the view first."
        )


def inplace(t, op, *args, **kwargs):
    """Run ``op(t, *args)`` and store the result in ``t`` itself.

    When a graph is being recorded, ``op`` is given a copy of ``t``'s old
    values that sits where ``t`` sat in the graph, so a backward that needs the
    old values (``mul_`` does) still finds them; ``t`` then takes the new
    node as its ``grad_fn``. Either way ``t``'s version counter goes up, which
    makes any backward that saved ``t`` itself fail loudly rather than use
    the new values.
    """
    from minitensor.tensor import Tensor

    check_inplace(t)
    tensors = [t] + [a for a in args if isinstance(a, Tensor)]
    recording = is_grad_enabled() and builtins.any(x._requires_grad for x in tensors)
    source = _snapshot(t) if recording else t
    result = op(source, *args, **kwargs)
    _store(t, result)
    if recording:
        t._grad_fn, t._requires_grad = result._grad_fn, True
    return t


def _snapshot(t):
    """A copy of ``t``'s values in ``t``'s place in the graph."""
    from minitensor.tensor import Tensor

    copy = Tensor._wrap(backend.contiguous_copy(t._array, t.device), t.device)
    copy._grad_fn, copy._requires_grad = t._grad_fn, t._requires_grad
    if t._grad_fn is None and t._requires_grad:  # cannot happen: check_inplace refused it
        raise AssertionError("in-place on a leaf that requires grad")
    return copy


def _store(t, result) -> None:
    """Write ``result`` into ``t``'s memory (same shape, castable dtype)."""
    if result.dtype != t.dtype and result.dtype.category > t.dtype.category:
        raise RuntimeError(
            f"result type {_dtypes.scalar_type_name(result.dtype)} can't be cast to the desired "
            f"output type {_dtypes.scalar_type_name(t.dtype)}"
        )
    if tuple(result.shape) != tuple(t.shape):
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, t.shape))}] doesn't match the broadcast "
            f"shape [{', '.join(map(str, result.shape))}]"
        )
    t._array[...] = _cast(result, t.dtype)
    t._bump_version()


def fill_(t, value):
    """Fill ``t`` with ``value`` in place."""
    from minitensor.tensor import Tensor

    if isinstance(value, Tensor):
        value = value.item()
    return inplace(t, Fill.apply, value)


def zero_(t):
    """Fill ``t`` with zeros in place."""
    return inplace(t, Zero.apply, 0)


def copy_(t, src):
    """Copy ``src`` (broadcast, converted) into ``t`` in place."""
    from minitensor.tensor import Tensor

    if not isinstance(src, Tensor):
        raise TypeError(
            f"copy_(): argument 'other' (position 1) must be Tensor, not {type(src).__name__}"
        )
    # Copying between devices is allowed: move src first (a differentiable move).
    return inplace(t, Copy.apply, src.to(t.device))
