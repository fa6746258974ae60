"""Elementwise operations: arithmetic, functions like exp and tanh, comparisons.

Each operation applies to every element independently, so its derivative is
elementwise too: the backward multiplies the incoming gradient, element by
element, by the local derivative (``d tanh(x)/dx = 1 - tanh(x)**2``).

Binary operations broadcast their inputs (see `minitensor.ops.broadcast`)
and promote dtypes as PyTorch does (see `minitensor.dtypes`); their backward
sums each gradient back to its input's shape with `sum_to`.

Functions whose derivative is written with the function itself (exp, tanh,
sigmoid, sqrt) recompute it from the saved *input* in backward instead of
saving their output: saving the output would make a reference cycle
(output -> grad_fn -> saved output), and recomputing keeps second
derivatives right when ``create_graph=True``.
"""

from __future__ import annotations

import builtins
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
    xp = backend.namespace(like.device)
    t = Tensor._wrap(xp.asarray(x, dtype=backend.native_dtype(xp, dt)), like.device)
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
        return x + y if alpha == 1 else x + alpha * y

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
        return x - y if alpha == 1 else x - alpha * y

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
        return x**y

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
        x, y = _promoted(a, b)
        return x**y

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            # d(a ** b)/da = b * a ** (b - 1)
            grad_a = sum_to(grad_output * b * a ** (b - 1), a.shape)
        if ctx.needs_input_grad[1]:
            # d(a ** b)/db = a ** b * log(a); PyTorch takes it as 0 where a == 0 and b >= 0.
            local = where((a == 0) & (b >= 0), 0.0, a**b * log(a))
            grad_b = sum_to(grad_output * local, b.shape)
        return grad_a, grad_b


class RPow(Function):
    """out = c ** a for a number c (``2 ** tensor``)"""

    node_name = "PowBackward2"

    @staticmethod
    def forward(ctx, c, a):
        ctx.save_for_backward(a)
        ctx.c = c
        x, y = _promoted(as_tensor_operand(c, a), a)
        return x**y

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        # d(c ** a)/da = c ** a * log(c)
        c = ctx.c
        log_c = float(np.log(c)) if c > 0 else (float("-inf") if c == 0 else float("nan"))
        return None, grad_output * (c**a) * log_c


class FloorDivide(Function):
    """out = floor(a / b); not differentiable (as in PyTorch)"""

    node_name = "minitensor::autograd::NotImplemented"

    @staticmethod
    def forward(ctx, a, b):
        x, y = _promoted(a, b)
        return _xp(a).floor_divide(x, y)

    @staticmethod
    def backward(ctx, grad_output):
        raise RuntimeError("the derivative for 'floor_divide' is not implemented.")


class Remainder(Function):
    """out = a - floor(a / b) * b  (Python's ``%``: the sign follows b)"""

    node_name = "RemainderBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = _promoted(a, b)
        return _xp(a).remainder(x, y)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        # d/da = 1; d/db = -floor(a / b)
        grad_a = sum_to(grad_output, a.shape) if ctx.needs_input_grad[0] else None
        grad_b = None
        if ctx.needs_input_grad[1]:
            grad_b = sum_to(-grad_output * floor_divide(a, b), b.shape)
        return grad_a, grad_b


# --------------------------------------------------------------------------
# Functions of one tensor
# --------------------------------------------------------------------------


class Exp(Function):
    """out = e ** a"""

    node_name = "ExpBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _xp(a).exp(_float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output * exp(a)  # d(e ** a)/da = e ** a


class Log(Function):
    """out = ln(a)"""

    node_name = "LogBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):  # log(0) = -inf, log(-1) = nan
            return _xp(a).log(_float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / a  # d ln(a)/da = 1 / a


class Sqrt(Function):
    """out = sqrt(a)"""

    node_name = "SqrtBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(invalid="ignore"):  # sqrt(-1) = nan, as in PyTorch
            return _xp(a).sqrt(_float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output / (2 * sqrt(a))  # d sqrt(a)/da = 1 / (2 sqrt(a))


class Reciprocal(Function):
    """out = 1 / a"""

    node_name = "ReciprocalBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore"):
            return 1 / _float_array(a)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return -grad_output / (a * a)  # d(1/a)/da = -1 / a**2


class Abs(Function):
    """out = |a|"""

    node_name = "AbsBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _xp(a).abs(a._array)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output * sign(a)  # d|a|/da = sign(a), taken as 0 at 0


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
        ctx.save_for_backward(a)
        return _xp(a).tanh(_float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        t = tanh(a)
        return grad_output * (1 - t * t)  # d tanh(a)/da = 1 - tanh(a)**2


class Sigmoid(Function):
    """out = 1 / (1 + e ** -a)"""

    node_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _sigmoid_array(_xp(a), _float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        s = sigmoid(a)
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
        ctx.save_for_backward(a)
        return _xp(a).where(a._array > 0, a._array, _xp(a).zeros_like(a._array))

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        # d relu(a)/da = 1 where a > 0, else 0 (also at 0, as in PyTorch)
        return where(a > 0, grad_output, 0.0)


class Clamp(Function):
    """out = min(max(a, low), high) for numbers low/high (either may be None)"""

    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, a, low, high):
        ctx.save_for_backward(a)
        ctx.low, ctx.high = low, high
        bounds = [b for b in (low, high) if b is not None]
        (x, *_) = _promoted(a, *(as_tensor_operand(b, a) for b in bounds))
        xp = _xp(a)
        if low is not None:
            x = xp.where(x < low, xp.asarray(low, dtype=x.dtype), x)
        if high is not None:
            x = xp.where(x > high, xp.asarray(high, dtype=x.dtype), x)
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
                f"dtype {condition.dtype.name.capitalize()}"
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
                f"{mask.dtype.name}"
            )
        broadcast_shapes(a.shape, mask.shape)
        ctx.save_for_backward(mask)
        xp = _xp(a)
        fill = xp.asarray(value, dtype=a._array.dtype)
        return xp.where(mask._array, fill, a._array)

    @staticmethod
    def backward(ctx, grad_output):
        (mask,) = ctx.saved_tensors
        return where(mask, 0.0, grad_output), None, None  # filled places get no gradient


class Fill(Function):
    """out = a tensor like ``a`` filled with one value (``fill_``, ``zero_``)"""

    node_name = "FillBackward0"

    @staticmethod
    def forward(ctx, a, value):
        xp = _xp(a)
        return xp.full(a._array.shape, value, dtype=a._array.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * 0, None  # the old values no longer matter


class Copy(Function):
    """out = src written into a tensor shaped like ``dest`` (``copy_``)"""

    node_name = "CopyBackwards"

    @staticmethod
    def forward(ctx, dest, src):
        ctx.src_shape, ctx.src_device = src.shape, src.device
        broadcast_shapes(dest.shape, src.shape)
        xp = _xp(dest)
        array = backend.transfer(src._array, src.device, dest.device)
        array = xp.astype(array, dest._array.dtype)
        return xp.broadcast_to(array, dest._array.shape)

    @staticmethod
    def backward(ctx, grad_output):
        grad_src = sum_to(grad_output, ctx.src_shape).to(ctx.src_device)
        return grad_output * 0, grad_src


# --------------------------------------------------------------------------
# The functions users call (``tensor.exp()`` and ``minitensor.exp(tensor)``)
# --------------------------------------------------------------------------


def add(a, b, *, alpha=1):
    a, b = _binary_operands(a, b)
    return Add.apply(a, b, alpha)


def sub(a, b, *, alpha=1):
    if _is_bool(a) or _is_bool(b):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    a, b = _binary_operands(a, b)
    return Sub.apply(a, b, alpha)


def rsub(a, number):
    """``number - a`` (what Python calls for ``2 - tensor``)."""
    a, number = _binary_operands(a, number)
    return Rsub.apply(a, number)


def mul(a, b):
    a, b = _binary_operands(a, b)
    return Mul.apply(a, b)


def div(a, b, *, rounding_mode=None):
    if rounding_mode == "floor":
        return floor_divide(a, b)
    if rounding_mode is not None:
        raise ValueError(
            f"div expected rounding_mode to be one of None or 'floor', got {rounding_mode}"
        )
    a, b = _binary_operands(a, b)
    return Div.apply(a, b)


def rdiv(a, number):
    """``number / a``: PyTorch computes it as ``reciprocal(a) * number``."""
    return mul(reciprocal(a), number)


def floor_divide(a, b):
    a, b = _binary_operands(a, b)
    return FloorDivide.apply(a, b)


def remainder(a, b):
    a, b = _binary_operands(a, b)
    return Remainder.apply(a, b)


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
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    return Clamp.apply(a, min, max)


def maximum(a, b):
    return Maximum.apply(*_binary_operands(a, b))


def minimum(a, b):
    return Minimum.apply(*_binary_operands(a, b))


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
    """-1, 0 or 1 for each element (not differentiable: its derivative is 0)."""
    from minitensor.tensor import Tensor

    return Tensor._wrap(_xp(a).sign(a._array), a.device)


def ones_mask(a):
    """A bool tensor of True with ``a``'s shape."""
    from minitensor.tensor import Tensor

    xp = _xp(a)
    return Tensor._wrap(xp.ones(a._array.shape, dtype=xp.bool), a.device)


# --------------------------------------------------------------------------
# Comparisons and logic: results are bool tensors, never part of the graph.
# --------------------------------------------------------------------------


def _compare(name):
    def compare(a, b):
        from minitensor.tensor import Tensor

        a, b = _binary_operands(a, b)
        x, y = _promoted(a, b)
        return Tensor._wrap(getattr(_xp(a), name)(x, y), a.device)

    compare.__name__ = name
    compare.__doc__ = f"Elementwise ``{name}``, as a bool tensor (no gradient flows through it)."
    return compare


eq = _compare("equal")
ne = _compare("not_equal")
lt = _compare("less")
le = _compare("less_equal")
gt = _compare("greater")
ge = _compare("greater_equal")
logical_and = _compare("logical_and")
logical_or = _compare("logical_or")


def logical_not(a):
    from minitensor.tensor import Tensor

    xp = _xp(a)
    if a.dtype == _dtypes.bool_:
        return Tensor._wrap(xp.logical_not(a._array), a.device)
    if a.dtype.is_floating_point:
        raise TypeError("~ (bitwise not) is only supported for integer and boolean tensors")
    return Tensor._wrap(xp.bitwise_invert(a._array), a.device)


def _is_bool(x) -> bool:
    return getattr(x, "dtype", None) == _dtypes.bool_ or isinstance(x, bool)


def _check_number(x) -> None:
    if not isinstance(x, (Number, np.number)) or isinstance(x, complex):
        raise TypeError(f"unsupported operand type(s) for ** or pow(): '{type(x).__name__}'")


# --------------------------------------------------------------------------
# In place: ``t.add_(1)`` changes t's own memory.
# --------------------------------------------------------------------------


def _scalar_type_name(dt) -> str:
    return dt._tensor_type.removesuffix("Tensor")


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
            f"result type {_scalar_type_name(result.dtype)} can't be cast to the desired "
            f"output type {_scalar_type_name(t.dtype)}"
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


def copy_(t, src):
    """Copy ``src`` (broadcast, converted) into ``t`` in place."""
    from minitensor.tensor import Tensor

    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'src' must be Tensor, not {type(src).__name__}")
    return inplace(t, Copy.apply, src)
