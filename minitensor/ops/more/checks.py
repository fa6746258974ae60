"""Checks on values: ``isnan``, ``isinf``, ``isfinite``, ``isclose``, ``allclose``, ``equal``.

These answer yes/no questions about numbers, so their results are bool
tensors (or a Python bool, for ``allclose`` and ``equal``) with no gradient:
like the comparisons in `minitensor.ops.compare`, none is a `Function`.
They are what you use to check a gradient::

    >>> minitensor.allclose(x.grad, expected_grad)
    True

``isclose`` is the elementwise test ``|a - b| <= atol + rtol * |b|``: an
absolute tolerance for numbers near zero, a relative one for big numbers.
"""

from __future__ import annotations

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import is_tensor
from minitensor.ops.operands import promoted, wrap, xp_of


def _all_false(t):
    xp = xp_of(t)
    return xp.zeros(t._array.shape, dtype=xp.bool, device=backend.native_device(t.device))


def isnan(input):
    """True where ``input`` is nan (never, for integers and bools)."""
    if not input.dtype.is_floating_point:
        return wrap(_all_false(input), input)
    return wrap(xp_of(input).isnan(input._array), input)


def isinf(input):
    """True where ``input`` is +inf or -inf."""
    if not input.dtype.is_floating_point:
        return wrap(_all_false(input), input)
    return wrap(xp_of(input).isinf(input._array), input)


def isfinite(input):
    """True where ``input`` is neither nan nor +-inf (always, for integers and bools)."""
    if not input.dtype.is_floating_point:
        return wrap(xp_of(input).logical_not(_all_false(input)), input)
    return wrap(xp_of(input).isfinite(input._array), input)


def _check_other(name, other) -> None:
    if not is_tensor(other):
        raise TypeError(
            f"{name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}"
        )


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True where ``|input - other| <= atol + rtol * |other|`` (broadcasting).

    Equal values are always close (``inf`` is close to ``inf``); ``nan`` is
    close to ``nan`` only with ``equal_nan=True``. Both tensors must have the
    same dtype, as in PyTorch (compare ints with ints, floats with floats).
    """
    _check_other("isclose", other)
    if input.dtype != other.dtype:
        raise RuntimeError(
            f"{_dtypes.scalar_type_name(input.dtype)} did not match "
            f"{_dtypes.scalar_type_name(other.dtype)}"
        )
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol:g}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol:g}")
    xp = xp_of(input)
    a, b = promoted(input, other)  # (checks that the shapes broadcast)
    close = a == b  # exact equality: covers inf == inf
    if equal_nan and input.dtype.is_floating_point:
        close = close | (xp.isnan(a) & xp.isnan(b))
    if atol == 0 and rtol == 0:
        return wrap(close, input)
    if not input.dtype.is_floating_point:
        # In floats: an unsigned difference 1 - 2 would wrap around to 255.
        float_dtype = _dtypes.get_default_dtype()
        a, b = (
            backend.astype(a, float_dtype, input.device),
            backend.astype(b, float_dtype, input.device),
        )
    with backend.quiet_float_errors():  # inf - inf is nan, which is never within tolerance
        error = xp.abs(a - b)
        close = close | (xp.isfinite(error) & (error <= atol + xp.abs(b * rtol)))
    return wrap(close, input)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    """True (a Python bool) if every element of ``input`` is `isclose` to ``other``'s."""
    _check_other("allclose", other)
    close = isclose(input, other, rtol, atol, equal_nan)
    return bool(xp_of(close).all(close._array))


def equal(input, other) -> bool:
    """True (a Python bool) if both tensors have the same shape and the same values.

    Values are compared after type promotion (``tensor([1]) `` equals
    ``tensor([1.])``); nan is never equal to anything, not even nan.
    """
    _check_other("equal", other)
    if input.shape != other.shape:
        return False
    a, b = promoted(input, other)
    return bool(xp_of(input).all(a == b))
