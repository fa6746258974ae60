"""The activations of modern networks: leaky_relu, silu, gelu, and dropout.

Each is a Function with its forward and backward side by side, as in
unary.py (where relu, tanh and sigmoid live). Where PyTorch makes the
backward an operation of its own (``LeakyReluBackwardBackward0`` after
``create_graph=True``), so does this file, following unary_backward.py:
one fused operation whose backward is the formula's derivative.

float16 inputs are computed in float32 and rounded once at the end, as
PyTorch's CPU kernels do, so both libraries round alike.

Dropout is random: it draws its mask from minitensor's generator (see
`minitensor.random`), on the host, so ``minitensor.manual_seed`` makes it
reproducible and the same seed drops the same elements on the CPU and on a
GPU (PyTorch's generator, and so its mask, differs).
"""

from __future__ import annotations

import math

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.ops.operands import constant_zeros, xp_of
from minitensor.ops.unary import rounded_like_torch, sigmoid
from minitensor.random import numpy_rng


def _check_floating(a, kernel: str) -> None:
    """PyTorch's error for an integer or bool input: these kernels exist for floats only."""
    if not a.dtype.is_floating_point:
        raise NotImplementedError(
            f"\"{kernel}\" not implemented for '{_dtypes.scalar_type_name(a.dtype)}'"
        )


def _in_float32_if_half(xp, x):
    """``x`` as the dtype PyTorch's kernels compute in: float32 for float16, else unchanged."""
    if _dtypes.from_array_dtype(x.dtype) == _dtypes.float16:
        return xp.astype(x, xp.float32)
    return x


# --------------------------------------------------------------------------
# leaky_relu: out = a if a > 0 else negative_slope * a
# --------------------------------------------------------------------------


def _leaky(xp, a, values, negative_slope):
    """``values`` where ``a > 0``, else ``negative_slope * values`` (PyTorch's kernel).

    The test is ``a > 0``: at 0 (and -0.0, and nan) the negative side is
    taken, so leaky_relu's derivative at 0 is the slope, as in PyTorch.
    """
    dtype = values.dtype
    v = _in_float32_if_half(xp, values)
    return xp.astype(xp.where(a > 0, v, v * negative_slope), dtype, copy=False)


class LeakyRelu(Function):
    """out = a if a > 0 else negative_slope * a"""

    node_name = "LeakyReluBackward0"

    @staticmethod
    def forward(ctx, a, negative_slope):
        _check_floating(a, f"leaky_relu_{a.device.type}")
        ctx.save_for_backward(a)
        ctx.negative_slope = negative_slope
        return _leaky(xp_of(a), a._array, a._array, negative_slope)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return LeakyReluBackward.apply(grad_output, a, ctx.negative_slope), None


class LeakyReluInplace(LeakyRelu):
    """out = a if a > 0 else negative_slope * a, for ``leaky_relu(x, inplace=True)``.

    The input is overwritten, so its backward reads the *output* instead,
    which is > 0 exactly where the input was, if the slope is not negative.
    With a negative slope it is not (-2 becomes 1): PyTorch refuses that
    backward, and so does this one. (PyTorch's name: ``LeakyReluBackward1``.)
    """

    node_name = "LeakyReluBackward1"

    @staticmethod
    def forward(ctx, a, negative_slope):
        _check_floating(a, f"leaky_relu_{a.device.type}")
        ctx.save_result()
        ctx.negative_slope = negative_slope
        return _leaky(xp_of(a), a._array, a._array, negative_slope)

    @staticmethod
    def backward(ctx, grad_output):
        if ctx.negative_slope < 0:
            raise RuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope "
                "which is not supported. This is caused by calling in-place forward function "
                "with a negative slope, please call out-of-place version instead. File an "
                "issue at https://github.com/pytorch/pytorch if you do require supporting "
                "in-place leakRelu backward calculation with negative slope"
            )
        return LeakyReluBackward.apply(grad_output, ctx.saved_result, ctx.negative_slope), None


class LeakyReluBackward(Function):
    """out = grad_output where a > 0, else negative_slope * grad_output: leaky_relu's backward.

    One operation, as in PyTorch (``LeakyReluBackwardBackward0``). It is
    linear in grad_output, so its own backward is the same operation again;
    in ``a`` it is flat (a step), so ``a``'s gradient is zero.
    """

    node_name = "LeakyReluBackwardBackward0"

    @staticmethod
    def forward(ctx, grad_output, a, negative_slope):
        ctx.save_for_backward(a)
        ctx.negative_slope = negative_slope
        return _leaky(xp_of(a), a._array, grad_output._array, negative_slope)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        grad_g = None
        if ctx.needs_input_grad[0]:
            grad_g = LeakyReluBackward.apply(grad, a, ctx.negative_slope)
        grad_a = constant_zeros(grad) if ctx.needs_input_grad[1] else None
        return grad_g, grad_a, None


# --------------------------------------------------------------------------
# silu (also called swish): out = a * sigmoid(a)
# --------------------------------------------------------------------------


class Silu(Function):
    """out = a * sigmoid(a) = a / (1 + e^-a)"""

    node_name = "SiluBackward0"

    @staticmethod
    def forward(ctx, a):
        _check_floating(a, f"silu_{a.device.type}")
        ctx.save_for_backward(a)
        xp = xp_of(a)
        x = _in_float32_if_half(xp, a._array)
        e = rounded_like_torch(xp, xp.exp, -x)  # PyTorch's formula and rounding
        return xp.astype(x / (1 + e), a._array.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        # d/da [a s(a)] = s + a s (1 - s) = s (1 + a (1 - s)), with s = sigmoid(a).
        # Tensor operations (PyTorch's formula and graph), so it differentiates again.
        s = sigmoid(a)
        return grad_output * s * (1.0 + a * (1.0 - s))


# --------------------------------------------------------------------------
# gelu: out = a * Phi(a), Phi the standard normal distribution function
# --------------------------------------------------------------------------

_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)  # tanh approximation: sqrt(2/pi) (a + 0.044715 a^3)
_KAPPA = 0.044715


def _erf(xp, x):
    """erf(x) = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt, to float64 precision.

    The array API has no erf, so it is computed from two textbook expansions,
    each where it converges quickly (about 70 elementwise steps in all):

    * |x| < 2.5, the power series (all terms positive, no cancellation)
      ``erf(x) = 2/sqrt(pi) e^(-x^2) sum_k (2 x^2)^k x / (1 * 3 * ... * (2k + 1))``
    * |x| >= 2.5, the continued fraction of the tail (Laplace's),
      ``erfc(x) = e^(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...))))``
      and erf = 1 - erfc.

    Both are evaluated on all elements (clamped into their own range, so
    neither overflows) and ``where`` picks one. Tested against ``math.erf``.
    """
    split = 2.5
    size = xp.abs(x)
    small = xp.minimum(size, split)
    large = xp.maximum(size, split)  # nan stays nan
    # The series: 40 terms reach float64 precision for |x| < 2.5.
    term, total, two_x2 = small, small, 2 * small * small
    for k in range(1, 40):
        term = term * two_x2 / (2 * k + 1)
        total = total + term
    series = (2 / math.sqrt(math.pi)) * xp.exp(-small * small) * total
    # The continued fraction, evaluated from its 30th level up: enough for |x| >= 2.5.
    fraction = large
    for k in range(30, 0, -1):
        fraction = large + (k / 2) / fraction
    tail = 1 - xp.exp(-large * large) / math.sqrt(math.pi) / fraction
    return xp.where(size < split, series, tail) * xp.sign(x)


def _gelu_array(xp, x, approximate):
    """gelu on an array, in PyTorch's formula order (its CPU kernel)."""
    dtype = x.dtype
    x = _in_float32_if_half(xp, x)
    if approximate == "tanh":
        inner = _SQRT_2_OVER_PI * (x + _KAPPA * (x * x * x))
        out = 0.5 * x * (1 + rounded_like_torch(xp, xp.tanh, inner))
    else:
        out = x * 0.5 * (1 + rounded_like_torch(xp, lambda v: _erf(xp, v), x * math.sqrt(0.5)))
    return xp.astype(out, dtype, copy=False)


def _gelu_derivative_array(xp, x, approximate):
    """d gelu(x)/dx on an array (PyTorch's gelu_backward formulas)."""
    dtype = x.dtype
    x = _in_float32_if_half(xp, x)
    if approximate == "tanh":
        # d/dx [0.5 x (1 + tanh(u))] = 0.5 (1 + tanh(u)) + 0.5 x (1 - tanh(u)^2) u'
        t = rounded_like_torch(xp, xp.tanh, _SQRT_2_OVER_PI * (x + _KAPPA * (x * x * x)))
        du = _SQRT_2_OVER_PI * (1 + 3 * _KAPPA * x * x)
        out = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du
    else:
        # d/dx [x Phi(x)] = Phi(x) + x phi(x), phi the normal density e^(-x^2/2) / sqrt(2 pi)
        cdf = 0.5 * (1 + rounded_like_torch(xp, lambda v: _erf(xp, v), x * math.sqrt(0.5)))
        pdf = (1 / math.sqrt(2 * math.pi)) * rounded_like_torch(xp, xp.exp, x * x * -0.5)
        out = cdf + x * pdf
    return xp.astype(out, dtype, copy=False)


class Gelu(Function):
    """out = a * Phi(a); approximate='tanh': 0.5 a (1 + tanh(sqrt(2/pi) (a + 0.044715 a^3)))"""

    node_name = "GeluBackward0"

    @staticmethod
    def forward(ctx, a, approximate):
        _check_floating(a, "GeluKernelImpl")
        ctx.save_for_backward(a)
        ctx.approximate = approximate
        return _gelu_array(xp_of(a), a._array, approximate)

    @staticmethod
    def backward(ctx, grad_output):
        (a,) = ctx.saved_tensors
        return GeluBackward.apply(grad_output, a, ctx.approximate), None


class GeluBackward(Function):
    """out = grad_output * gelu'(a): gelu's backward as one operation (``GeluBackwardBackward0``).

    Linear in grad_output, so its backward there is the same operation again;
    in ``a`` it is ``grad * grad_output * gelu''(a)``, written with tensor
    operations (so a third derivative works too).
    """

    node_name = "GeluBackwardBackward0"

    @staticmethod
    def forward(ctx, grad_output, a, approximate):
        ctx.save_for_backward(grad_output, a)
        ctx.approximate = approximate
        xp = xp_of(a)
        return grad_output._array * _gelu_derivative_array(xp, a._array, approximate)

    @staticmethod
    def backward(ctx, grad):
        grad_output, a = ctx.saved_tensors
        grad_g = None
        if ctx.needs_input_grad[0]:
            grad_g = GeluBackward.apply(grad, a, ctx.approximate)
        grad_a = None
        if ctx.needs_input_grad[1]:
            grad_a = grad * grad_output * _gelu_second_derivative(a, ctx.approximate)
        return grad_g, grad_a, None


def _gelu_second_derivative(a, approximate):
    """gelu''(a), with tensor operations."""
    if approximate == "tanh":
        # u = c (a + k a^3), t = tanh(u): the derivative of 0.5 (1 + t) + 0.5 a (1 - t^2) u' is
        # (1 - t^2) (u' + 0.5 a (u'' - 2 t u'^2)), with u' = c (1 + 3 k a^2), u'' = 6 c k a.
        t = (_SQRT_2_OVER_PI * (a + _KAPPA * a * a * a)).tanh()
        du = _SQRT_2_OVER_PI * (1 + 3 * _KAPPA * a * a)
        d2u = (6 * _SQRT_2_OVER_PI * _KAPPA) * a
        return (1 - t * t) * (du + 0.5 * a * (d2u - 2 * t * du * du))
    # The derivative of Phi(a) + a phi(a) is 2 phi(a) + a phi'(a) = phi(a) (2 - a^2).
    pdf = (1 / math.sqrt(2 * math.pi)) * (a * a * -0.5).exp()
    return pdf * (2 - a * a)


# --------------------------------------------------------------------------
# dropout: out = a * mask / (1 - p), mask 1 with probability 1 - p, else 0
# --------------------------------------------------------------------------


class Dropout(Function):
    """out = a * mask / (1 - p): each element kept (and scaled) with probability 1 - p, else 0.

    Scaling the kept elements by 1 / (1 - p) keeps the expected value of
    each element unchanged, so nothing needs rescaling in eval mode. With
    p = 1 the noise is 0 (PyTorch's rule: ``a * 0``, so nan stays nan).
    The gradient is the same noise times grad_output. On the CPU this is
    exactly what PyTorch does, a multiplication by a random tensor, whose
    ``grad_fn`` is ``MulBackward0``.
    """

    node_name = "MulBackward0"

    @staticmethod
    def forward(ctx, a, p):
        xp = xp_of(a)
        if not a.dtype.is_floating_point:
            if p == 1:  # integers (and bools) times 0: zeros
                return xp.zeros_like(a._array)
            # PyTorch's error: the float noise cannot be stored in an integer tensor.
            raise RuntimeError(
                "result type Float can't be cast to the desired output type "
                f"{_dtypes.scalar_type_name(a.dtype)}"
            )
        noise = xp.zeros_like(a._array) if p == 1 else _dropout_noise(a, p)
        noise_tensor = type(a)._wrap(noise, a.device)
        ctx.save_for_backward(noise_tensor)
        return a._array * noise

    @staticmethod
    def backward(ctx, grad_output):
        (noise,) = ctx.saved_tensors
        return grad_output * noise, None  # a tensor product: differentiable again


class NativeDropout(Dropout):
    """The same operation under the name PyTorch gives it on a GPU.

    There PyTorch runs a fused kernel (``native_dropout``) whenever 0 < p < 1,
    so the ``grad_fn`` is ``NativeDropoutBackward0``; the values are the
    same formula.
    """

    node_name = "NativeDropoutBackward0"


def _dropout_noise(a, p):
    """mask / (1 - p) with mask 1 with probability 1 - p: drawn on the host, moved to a's device."""
    keep = numpy_rng().random(tuple(a.shape)) < 1 - p
    xp = xp_of(a)
    mask = backend.backend_for(a.device).from_host(keep)
    # (1 - p) is rounded to the input's dtype before dividing, as in PyTorch's ``noise.div_``;
    # float16 is divided in float32, then rounded.
    compute = _in_float32_if_half(xp, a._array).dtype
    noise = xp.astype(mask, compute) / (1 - p)
    return xp.astype(noise, a._array.dtype, copy=False)
