"""Rounding: ``floor``, ``ceil``, ``trunc`` and ``round``.

Each turns a number into a nearby whole number (``round(x, decimals=2)``:
a nearby multiple of 0.01). The result is a staircase of x: flat between
the steps, so its derivative is 0 (and undefined at a step, where PyTorch
also says 0). The backward of every one of them is a zero gradient: a loss
that depends on x only through ``x.round()`` does not teach x anything.

``round`` rounds halves to the even neighbour (``round(2.5) = 2``), as
PyTorch and NumPy do. Integers are already whole: they come back as a copy.
"""

from __future__ import annotations

from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.ops.operands import constant_zeros, xp_of


def _rounded(kernel, function):
    """``function(x)`` on floats; a copy of integers; PyTorch's error for bools."""

    def forward(ctx, x):
        if x.dtype == _dtypes.bool_:
            raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
        xp = xp_of(x)
        if not x.dtype.is_floating_point:
            return xp.asarray(x._array, copy=True)
        return getattr(xp, function)(x._array)

    return staticmethod(forward)


class Floor(Function):
    """out = the largest whole number <= a (d out/da = 0)"""

    node_name = "FloorBackward0"
    forward = _rounded("floor_vml_cpu", "floor")

    @staticmethod
    def backward(ctx, grad_output):
        return constant_zeros(grad_output)  # flat between the steps


class Ceil(Floor):
    """out = the smallest whole number >= a (d out/da = 0)"""

    node_name = "CeilBackward0"
    forward = _rounded("ceil_vml_cpu", "ceil")


class Trunc(Floor):
    """out = a without its fractional part, rounding towards 0 (d out/da = 0)"""

    node_name = "TruncBackward0"
    forward = _rounded("trunc_vml_cpu", "trunc")


class Round(Floor):
    """out = the nearest whole number, halves to even (d out/da = 0)"""

    node_name = "RoundBackward0"
    forward = _rounded("round_vml_cpu", "round")


class RoundDecimals(Function):
    """out = round(a * 10**d) / 10**d: the nearest multiple of 10**-d (d out/da = 0)"""

    node_name = "RoundBackward1"

    @staticmethod
    def forward(ctx, x, decimals):
        if not x.dtype.is_floating_point:
            kernel = "round_vml_cpu" if decimals == 0 else "round_cpu"  # (as PyTorch words it)
            raise NotImplementedError(
                f"\"{kernel}\" not implemented for '{_dtypes.scalar_type_name(x.dtype)}'"
            )
        xp, array = xp_of(x), x._array
        # Computed as PyTorch computes it (so rounded alike): scale, round, scale back.
        ten_pow = 10.0 ** abs(decimals)
        if decimals >= 0:
            return xp.round(array * ten_pow) / ten_pow
        return xp.round(array / ten_pow) * ten_pow

    @staticmethod
    def backward(ctx, grad_output):
        return constant_zeros(grad_output), None


def floor(input):
    """The largest whole number <= each element (``floor(-1.5) = -2``)."""
    return Floor.apply(input)


def ceil(input):
    """The smallest whole number >= each element (``ceil(1.2) = 2``)."""
    return Ceil.apply(input)


def trunc(input):
    """Each element without its fractional part (``trunc(-1.7) = -1``)."""
    return Trunc.apply(input)


def round(input, *, decimals=None):
    """The nearest whole number (halves to even), or multiple of ``10**-decimals``.

    >>> minitensor.round(minitensor.tensor([0.5, 1.5, 1.26]), decimals=1)
    tensor([0.5000, 1.5000, 1.3000])
    """
    # decimals=None (not 0) by default: PyTorch names the node RoundBackward1
    # whenever decimals is given, even decimals=0.
    if decimals is None:
        return Round.apply(input)
    return RoundDecimals.apply(input, decimals)
