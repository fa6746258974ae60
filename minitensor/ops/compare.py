"""Comparisons, logic and bitwise operations: ``==``, ``<``, ``&``, ``|``, ``^``, ``~``, ...

Their results are bool (or integer) tensors, which have no gradient: a
comparison is a step function, flat almost everywhere. So none of these is a
`Function` and none is ever part of a graph; each wraps the array result in a
new tensor. A comparison's bool result is typically used as a mask, by
``where`` or ``masked_fill`` (see `minitensor.ops.selection`), and gradients
flow through those.

Operands are promoted as in arithmetic (``int_tensor < 2.5`` compares as floats).
"""

from __future__ import annotations

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import wrap_array
from minitensor.ops.broadcast import broadcast_shapes
from minitensor.ops.operands import binary_operands, check_tensor_argument, promoted, xp_of

# --------------------------------------------------------------------------
# Comparisons
# --------------------------------------------------------------------------


def _compare(name):
    def compare(a, b):
        a, b = binary_operands(a, b)
        x, y = promoted(a, b)
        if _dtypes.from_array_dtype(x.dtype) == _dtypes.bool_ and name not in _EQUALITY:
            x, y = _as_int8(x, a.device), _as_int8(y, a.device)  # False < True, as 0 < 1
        return wrap_array(getattr(xp_of(a), name)(x, y), a.device)

    compare.__name__ = compare.__qualname__ = name
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


# --------------------------------------------------------------------------
# Logic (nonzero is True) and bits
# --------------------------------------------------------------------------


def _truth(t):
    """``t``'s array as bools: nonzero is True (what the logical_* functions read)."""
    return t._array if t.dtype == _dtypes.bool_ else t._array != 0


def _logical(name):
    def logical(a, b):
        check_tensor_argument(name, b)
        broadcast_shapes(a.shape, b.shape)
        return wrap_array(getattr(xp_of(a), name)(_truth(a), _truth(b)), a.device)

    logical.__name__ = logical.__qualname__ = name
    logical.__doc__ = f"Elementwise ``{name}`` of the truth values (nonzero is True), as bools."
    return logical


logical_and = _logical("logical_and")
logical_or = _logical("logical_or")
logical_xor = _logical("logical_xor")


def logical_not(a):
    """True where ``a`` is zero (or False), as a bool tensor."""
    return wrap_array(xp_of(a).logical_not(_truth(a)), a.device)


def _bitwise(name, logical_name, kernel):
    def bitwise(a, b):
        """Bitwise ``name`` of integers; for bools, the logical one (``mask1 & mask2``)."""
        a, b = binary_operands(a, b)
        dtype = _dtypes.result_type(a, b)
        if dtype.is_floating_point:
            raise NotImplementedError(
                f"\"{kernel}_cpu\" not implemented for '{_dtypes.scalar_type_name(dtype)}'"
            )
        x, y = promoted(a, b)
        function = logical_name if dtype == _dtypes.bool_ else name
        return wrap_array(getattr(xp_of(a), function)(x, y), a.device)

    bitwise.__name__ = bitwise.__qualname__ = name
    return bitwise


bitwise_and = _bitwise("bitwise_and", "logical_and", "bitwise_and")
bitwise_or = _bitwise("bitwise_or", "logical_or", "bitwise_or")
bitwise_xor = _bitwise("bitwise_xor", "logical_xor", "bitwise_xor")


def bitwise_not(a):
    """``~a``: flips every bit of an integer, negates a bool."""
    if a.dtype.is_floating_point:
        raise TypeError(
            "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
        )
    xp = xp_of(a)
    if a.dtype == _dtypes.bool_:
        return wrap_array(xp.logical_not(a._array), a.device)
    return wrap_array(xp.bitwise_invert(a._array), a.device)
