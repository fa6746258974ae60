"""Functions of one tensor: exp, log, sqrt, sin, cos, tanh, sigmoid, relu, abs, clamp, ...

Each applies to every element on its own, so its backward multiplies the
incoming gradient, element by element, by the local derivative
(``d tanh(x)/dx = 1 - tanh(x)**2``).

Functions whose derivative is written with the function itself (exp, tanh,
sigmoid, sqrt, ...) keep their *output* for backward with ``ctx.save_result()``,
as PyTorch does: ``d exp(a)/da = exp(a)`` is already computed. Changing that
output in place (``y = x.exp(); y.add_(1)``) then makes backward fail loudly.

Integer inputs give floats (``tensor([1, 2]).exp()`` is float32), as in
PyTorch; `float_array` does that conversion.
"""

from __future__ import annotations

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function, wrap_array
from minitensor.ops.operands import as_tensor_operand, float_array, promoted, xp_of
from minitensor.ops.selection import where
from minitensor.ops.unary_backward import ReluBackward, SigmoidBackward, TanhBackward


def rounded_like_torch(xp, function, x):
    """``function(x)`` (exp, log, tanh) with PyTorch's float32 rounding.

    NumPy's float32 exp, log and tanh are fast approximations, often one unit
    in the last place (ulp) off the exact result; PyTorch's are, almost
    always, the exact result rounded to float32. On random inputs NumPy's
    float32 exp or tanh differs from PyTorch's in about a third of the
    elements, so a printed loss or gradient could end in another digit than
    the same code run with ``import torch``. Computed in float64 and rounded
    once to float32, exp and tanh agree with PyTorch in more than 99% of
    elements, and log in about 94% (against 90%). float16 goes the same way
    (it agrees either way); float64 is computed as it is.
    """
    # exp(100.) overflows float32 to inf, as in PyTorch (Function.apply keeps NumPy
    # from warning about it: every forward runs inside backend.quiet_float_errors()).
    if _dtypes.from_array_dtype(x.dtype) in (_dtypes.float32, _dtypes.float16):
        return backend.converted(xp, function(backend.converted(xp, x, xp.float64)), x.dtype)
    return function(x)


# --------------------------------------------------------------------------
# The Functions: forward and backward side by side
# --------------------------------------------------------------------------


class Exp(Function):
    """out = e ** a"""

    node_name = "ExpBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_result()
        return rounded_like_torch(xp_of(a), xp_of(a).exp, float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.saved_result  # d(e ** a)/da = e ** a


class Log(Function):
    """out = ln(a)"""

    node_name = "LogBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return rounded_like_torch(
            xp_of(a), xp_of(a).log, float_array(a)
        )  # log(0) = -inf, log(-1) = nan

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
        return xp_of(a).sqrt(float_array(a))  # sqrt(-1) = nan, as in PyTorch

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output / (2 * ctx.saved_result)  # d sqrt(a)/da = 1 / (2 sqrt(a))


class Reciprocal(Function):
    """out = 1 / a"""

    node_name = "ReciprocalBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_result()
        return 1 / float_array(a)

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
        return xp_of(a).abs(a._array)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return grad_output * sign(a)  # d|a|/da = sign(a), taken as 0 at 0


class Sign(Function):
    """out = -1, 0 or 1: the sign of a (0 for nan, as in PyTorch)"""

    node_name = "SignBackward0"

    @staticmethod
    def forward(ctx, a):
        xp = xp_of(a)
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
        return xp_of(a).sin(float_array(a))

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
        return xp_of(a).cos(float_array(a))

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
        return rounded_like_torch(xp_of(a), xp_of(a).tanh, float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        return TanhBackward.apply(grad_output, ctx.saved_result)


class Sigmoid(Function):
    """out = 1 / (1 + e ** -a)"""

    node_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_result()
        return _sigmoid_array(xp_of(a), float_array(a))

    @staticmethod
    def backward(ctx, grad_output):
        return SigmoidBackward.apply(grad_output, ctx.saved_result)


def _sigmoid_array(xp, x):
    """1 / (1 + e^-x), computed the way PyTorch's kernel computes it, so rounded alike.

    PyTorch evaluates this formula in float32 for float16 and float32 inputs
    (rounding to float16 once, at the end) and in float64 for float64, with
    its exp (see `rounded_like_torch`). Where e^-x overflows to inf, the
    result is 1 / inf = 0, the right limit. (Computing the whole sigmoid in
    float64 and rounding it once would be *more* accurate, but it differs
    from PyTorch's float32 result in about a third of the elements.)
    """
    dtype = x.dtype
    if _dtypes.from_array_dtype(dtype) == _dtypes.float16:
        x = xp.astype(x, xp.float32)
    e = rounded_like_torch(xp, xp.exp, -x)
    return xp.astype(1 / (1 + e), dtype, copy=False)


class Relu(Function):
    """out = max(a, 0)"""

    node_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, a):
        if a.dtype == _dtypes.bool_:
            raise RuntimeError("Boolean inputs not supported for relu")
        ctx.save_result()
        xp, x = xp_of(a), a._array
        # maximum (not where(a > 0, a, 0)): several times quicker, and nan stays nan, as
        # in PyTorch. But at a = -0.0 it may return either zero (NumPy gives -0.0, CUDA
        # +0.0), and PyTorch keeps -0.0: so where a is zero, the result is a itself.
        return xp.where(x == 0, x, xp.maximum(x, xp.zeros_like(x)))

    @staticmethod
    def backward(ctx, grad_output):
        return ReluBackward.apply(grad_output, ctx.saved_result)


class Clamp(Function):
    """out = min(max(a, low), high) for numbers low/high (either may be None)"""

    node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, a, low, high):
        ctx.save_for_backward(a)
        ctx.low, ctx.high = low, high
        bounds = [b for b in (low, high) if b is not None]
        (x, *_) = promoted(a, *(as_tensor_operand(b, a) for b in bounds))
        xp, dt = xp_of(a), _dtypes.from_array_dtype(x.dtype)
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


# --------------------------------------------------------------------------
# The functions users call (``minitensor.exp(t)``, ``t.exp()``)
# --------------------------------------------------------------------------


def exp(a):
    """e ** a, elementwise (integers give floats)."""
    return Exp.apply(a)


def log(a):
    """ln(a), the natural logarithm (log(0) = -inf, log(-1) = nan)."""
    return Log.apply(a)


def sqrt(a):
    """a ** 0.5 (sqrt(-1) = nan)."""
    return Sqrt.apply(a)


def reciprocal(a):
    """1 / a."""
    return Reciprocal.apply(a)


def abs(a):
    """|a|."""
    return Abs.apply(a)


def sign(a):
    """-1, 0 or 1 for each element (0 for nan, as in PyTorch)."""
    return Sign.apply(a)


def sin(a):
    """sin(a), a in radians."""
    return Sin.apply(a)


def cos(a):
    """cos(a), a in radians."""
    return Cos.apply(a)


def tanh(a):
    """(e^a - e^-a) / (e^a + e^-a): squashes to (-1, 1)."""
    return Tanh.apply(a)


def sigmoid(a):
    """1 / (1 + e^-a): squashes to (0, 1)."""
    return Sigmoid.apply(a)


def relu(a):
    """max(a, 0)."""
    return Relu.apply(a)


def clamp(a, min=None, max=None):
    """min(max(a, min), max): each element moved into [min, max] (either bound may be None)."""
    if min is None and max is None:
        raise RuntimeError("minitensor.clamp: At least one of 'min' or 'max' must not be None")
    return Clamp.apply(a, min, max)


def ones_mask(a):
    """A bool tensor of True with ``a``'s shape (where Clamp's backward starts)."""
    xp = xp_of(a)
    ones = xp.ones(a._array.shape, dtype=xp.bool, device=backend.native_device(a.device))
    return wrap_array(ones, a.device)
