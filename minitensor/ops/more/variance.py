"""Spread: ``var`` (the variance) and ``std`` (the standard deviation).

var(x) = sum((x_i - mean)**2) / (n - correction), with correction = 1 by
default ("unbiased", Bessel's correction) as in PyTorch. Its derivative is
d var/dx_i = 2 (x_i - mean) / (n - correction): the terms through the mean
cancel, because the deviations from the mean sum to zero. std = sqrt(var),
so d std/dx_i = d var/dx_i / (2 std).
"""

from __future__ import annotations

import builtins
import math
import warnings

from minitensor.autograd.function import Function
from minitensor.ops.operands import xp_of
from minitensor.ops.reduction_rules import expand_back, reduced_count, reduced_dims
from minitensor.ops.selection import where


def _ieee_divide(a: float, b: float) -> float:
    """a / b as C++ computes it: dividing by zero gives inf (PyTorch's formulas rely on it)."""
    return a / b if b != 0 else math.copysign(math.inf, a)


def _var_array(x, dims, correction, keepdim):
    """sum((x - mean)**2) / (n - correction) on the array, n - correction clamped at 0."""
    xp, array = xp_of(x), x._array
    n = reduced_count(x.shape, dims)
    # No degrees of freedom: inf or nan, as in PyTorch (quietly: see Function.apply).
    mean = xp.sum(array, axis=dims, keepdims=True) / n
    squares = xp.sum((array - mean) ** 2, axis=dims, keepdims=keepdim)
    return squares / builtins.max(0, n - correction)


class Var(Function):
    """out = sum((x - mean(x))**2) / (n - correction) over ``dims``"""

    node_name = "VarBackward0"

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim, whole):
        ctx.save_for_backward(x)
        ctx.args = (dims, correction, keepdim, whole)
        return _var_array(x, dims, correction, keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        dims, correction, keepdim, whole = ctx.args
        grad = expand_back(grad_output, x.shape, dims, keepdim)
        return _var_gradient(grad, x, dims, correction, whole), None, None, None, None


def _var_gradient(grad, x, dims, correction, whole):
    """grad * d var/dx_i, where d var/dx_i = 2 (x_i - mean) / (n - correction)."""
    dof = reduced_count(x.shape, dims) - correction
    deviation = x - x.mean(dims, keepdim=True)
    if whole and dof <= 0:
        # No degrees of freedom, so var is inf (or nan). PyTorch's rule for a var of all
        # elements: an infinite slope, nan where x_i == mean. (With a dim it divides by dof.)
        return grad * where(deviation == 0, math.nan, math.inf)
    return grad * deviation * _ieee_divide(2, dof)


class Std(Function):
    """out = sqrt(var(x)) over ``dims``"""

    node_name = "StdBackward0"

    @staticmethod
    def forward(ctx, x, dims, correction, keepdim, whole):
        ctx.save_for_backward(x)
        ctx.args = (dims, correction, keepdim, whole)
        return xp_of(x).sqrt(_var_array(x, dims, correction, keepdim))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        dims, correction, keepdim, whole = ctx.args
        grad = expand_back(grad_output, x.shape, dims, keepdim)
        std = Std.apply(x, dims, correction, True, whole)
        # d std/dx_i = d var/dx_i / (2 std); PyTorch takes it as 0 where std == 0
        # (dividing by a safe 1 there keeps second derivatives free of nan).
        scale = where(std == 0, 0.0, grad / (2 * where(std == 0, 1.0, std)))
        return _var_gradient(scale, x, dims, correction, whole), None, None, None, None


def _var_std(function, name, x, dim, unbiased, keepdim, correction):
    if isinstance(dim, bool):  # x.var(False): PyTorch's older var(unbiased) form
        dim, unbiased = None, dim
    if not x.dtype.is_floating_point:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if unbiased is not None and correction is not None:
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got both 'unbiased' and "
            "'correction'; pass only one of them"
        )
    if correction is None:  # unbiased (the default) divides by n - 1
        correction = 0 if unbiased is False else 1
    dims = reduced_dims(dim, x.ndim)
    if reduced_count(x.shape, dims) - correction <= 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).",
            UserWarning,
            stacklevel=3,
        )
    whole = dim is None or x.ndim == 0  # (PyTorch's backward treats this case apart)
    return function.apply(x, dims, correction, keepdim, whole)


def var(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """The variance sum((x - mean)**2) / (n - correction); correction=1 (unbiased) by default."""
    return _var_std(Var, "var", x, dim, unbiased, keepdim, correction)


def std(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """The standard deviation, sqrt(var(x)) (see `var`)."""
    return _var_std(Std, "std", x, dim, unbiased, keepdim, correction)
