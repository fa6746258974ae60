"""Data types: the `dtype` objects, and PyTorch's rules for picking one.

Every rule about dtypes lives in this file:

* which dtypes exist (``float32``, ``int64``, ...) and their aliases
  (``float``, ``long``, ...);
* what dtype a Python value gets (``tensor(1)`` is int64, ``tensor(1.0)``
  float32, ``tensor(True)`` bool);
* what dtype the result of an operation has (*type promotion*).

PyTorch's promotion differs from NumPy's in a way students meet at once:
a Python number never widens a tensor of the same kind. ``int32_tensor * 2``
stays int32, ``float16_tensor * 2.5`` stays float16, but ``int64_tensor * 2.5``
becomes float32 (the default float dtype) because a float outranks an int.
"""

from __future__ import annotations

import builtins  # this module defines `float` and `int` as dtype aliases, like torch

import numpy as np


class dtype:
    """A tensor element type, printed as ``minitensor.float32``.

    Attributes:
        name: the NumPy/array-API name of the type, e.g. ``"float32"``.
        itemsize: bytes per element.
        is_floating_point: True for float16/32/64.
        is_signed: True unless uint8 or bool.
    """

    __slots__ = ("_rank", "_tensor_type", "is_floating_point", "is_signed", "itemsize", "name")

    def __init__(self, name: str, itemsize, is_floating_point, is_signed, rank, tensor_type):
        self.name = name
        self.itemsize = itemsize
        self.is_floating_point = is_floating_point
        self.is_signed = is_signed
        self._rank = rank  # order inside a category, for promotion
        self._tensor_type = tensor_type  # PyTorch's legacy type name, used in messages

    def __repr__(self) -> str:
        return f"minitensor.{self.name}"

    def __reduce__(self):  # pickle as the module-level singleton
        return (_by_name, (self.name,))

    @property
    def is_complex(self) -> bool:
        return False

    @property
    def category(self) -> builtins.int:
        """0 for bool, 1 for integers, 2 for floats: the order of promotion."""
        if self.name == "bool":
            return 0
        return 2 if self.is_floating_point else 1


bool_ = dtype("bool", 1, False, False, 0, "BoolTensor")
uint8 = dtype("uint8", 1, False, False, 1, "ByteTensor")
int8 = dtype("int8", 1, False, True, 1, "CharTensor")
int16 = dtype("int16", 2, False, True, 2, "ShortTensor")
int32 = dtype("int32", 4, False, True, 3, "IntTensor")
int64 = dtype("int64", 8, False, True, 4, "LongTensor")
float16 = dtype("float16", 2, True, True, 1, "HalfTensor")
float32 = dtype("float32", 4, True, True, 2, "FloatTensor")
float64 = dtype("float64", 8, True, True, 3, "DoubleTensor")

ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)
_BY_NAME = {d.name: d for d in ALL}

# PyTorch's aliases.
half, float, double = float16, float32, float64
short, int, long = int16, int32, int64

_default_float = float32


def _by_name(name: str) -> dtype:
    return _BY_NAME[name]


def get_default_dtype() -> dtype:
    """The dtype of floats made without a dtype: float32 (as in PyTorch)."""
    return _default_float


_FROM_ARRAY_DTYPE: dict = {}  # array library dtype -> minitensor dtype, filled as met


def from_array_dtype(array_dtype) -> dtype:
    """The minitensor dtype of a NumPy (or CuPy, or array-API) array dtype."""
    key = (type(array_dtype), array_dtype)  # the type first: NumPy's and the stand-in's never meet
    known = _FROM_ARRAY_DTYPE.get(key)
    if known is not None:
        return known
    name = getattr(array_dtype, "name", None)
    if not isinstance(name, str):
        # NumPy and CuPy dtypes have a name; the array API standard only promises
        # dtype objects, which array_api_strict prints as "array_api_strict.float32".
        name = str(array_dtype).rsplit(".", 1)[-1]
    try:
        result = _BY_NAME[name]
    except KeyError:
        raise TypeError(f"minitensor has no dtype for arrays of {name}") from None
    _FROM_ARRAY_DTYPE[key] = result
    return result


# The C++ type names some of PyTorch's messages use ("expected ... float != double").
_CPP_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
              "int64": "long int", "int32": "int", "int16": "short int",
              "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}  # fmt: skip


def cpp_name(dt: dtype) -> str:
    """The C++ name of ``dt`` in PyTorch's messages: ``float``, ``double``, ``long int``."""
    return _CPP_NAMES[dt.name]


def scalar_type_name(dt: dtype) -> str:
    """PyTorch's scalar type name of ``dt`` in messages: ``Float``, ``Double``, ``Long``."""
    return dt._tensor_type.removesuffix("Tensor")


def to_dtype(value, caller: str = "to") -> dtype:
    """Accept a minitensor dtype, or the Python types float/int/bool as PyTorch does.

    ``caller`` names the function in the error for anything else
    (``tensor(): argument 'dtype' must be minitensor.dtype, not str``).
    """
    if isinstance(value, dtype):
        return value
    python_types = {builtins.float: float64, builtins.int: int64, builtins.bool: bool_}
    if value in python_types:
        return python_types[value]
    raise TypeError(
        f"{caller}(): argument 'dtype' must be minitensor.dtype, not {type(value).__name__}"
    )


# --------------------------------------------------------------------------
# What dtype a Python value gets
# --------------------------------------------------------------------------


def infer_python_dtype(values) -> dtype:
    """The dtype ``tensor(values)`` gives nested Python numbers.

    The highest category present wins: any float makes it float32 (the
    default), else any int makes it int64, else bool.
    """
    category = -1
    for v in values:
        if isinstance(v, (bool, np.bool_)):
            category = max(category, 0)
        elif isinstance(v, (builtins.int, np.integer)):
            category = max(category, 1)
        else:
            category = 2
    return {-1: _default_float, 0: bool_, 1: int64, 2: _default_float}[category]


# --------------------------------------------------------------------------
# Type promotion
# --------------------------------------------------------------------------


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both ``a`` and ``b`` convert to (``torch.promote_types``).

    Floats beat integers whatever their size (int64 with float16 is float16);
    within a category the wider type wins; uint8 with a signed int8 needs int16.
    """
    if a is b:
        return a
    if a.category != b.category:
        return a if a.category > b.category else b
    if a.category == 1 and a.is_signed != b.is_signed:  # uint8 with a signed int
        signed = a if a.is_signed else b
        return int16 if signed is int8 else signed
    return a if a._rank >= b._rank else b


def result_type(*operands) -> dtype:
    """The dtype of an operation's result, from its operands (``torch.result_type``).

    Operands are tensors or Python numbers. PyTorch ranks them in three
    groups: tensors with dimensions, 0-d tensors, then Python numbers. A
    lower group only matters when it brings a *higher category* (bool < int <
    float): ``int32_tensor + tensor(5)`` stays int32, but
    ``int32_tensor + 2.5`` becomes the default float dtype.
    """
    if _all_same_tensor_dtype(operands):  # the common case, decided quickly
        return operands[0].dtype
    if len(operands) == 2 and _is_tensor_and_number(*operands):  # t * 2, the next most common
        tensor_dtype, number_dtype = operands[0]._dtype, operands[1]._dtype
        if number_dtype.is_floating_point:
            number_dtype = _default_float  # a Python float counts as the default dtype
        return _merge(tensor_dtype, number_dtype)
    groups: list[dtype | None] = [None, None, None]  # dimensioned, zero-dim, Python numbers
    for x in operands:
        if isinstance(x, (bool, np.bool_)):
            group, dt = 2, bool_
        elif isinstance(x, (builtins.int, np.integer)):
            group, dt = 2, int64
        elif isinstance(x, (builtins.float, np.floating)):
            group, dt = 2, _default_float  # a Python float counts as the default dtype
        else:  # a Tensor; one made from a Python number (x * 2) counts as that number
            group = 2 if x._wrapped_number else (1 if x.ndim == 0 else 0)
            dt = x.dtype
            if group == 2 and dt.is_floating_point:
                dt = _default_float
        previous = groups[group]
        groups[group] = dt if previous is None else promote_types(previous, dt)
    dimensioned, zero_dim, numbers = groups
    result = _combine(dimensioned, _combine(zero_dim, numbers))
    if result is None:
        raise ValueError("result_type needs at least one operand")
    return result


def _is_tensor_and_number(a, b) -> bool:
    """True for a tensor ``a`` and a tensor ``b`` made from a Python number."""
    return getattr(a, "_wrapped_number", True) is False and getattr(b, "_wrapped_number", False)


def _all_same_tensor_dtype(operands) -> bool:
    """True if every operand is a tensor (not a wrapped number) of one dtype."""
    dt = getattr(operands[0], "_dtype", None) if operands else None
    if dt is None:
        return False
    for x in operands:  # noqa: SIM110 (a loop, not all(...): it runs for every operation)
        if getattr(x, "_dtype", None) is not dt or x._wrapped_number:
            return False
    return True


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    """`_merge` for groups that may be empty (None)."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    return _merge(higher, lower)


def _merge(higher: dtype, lower: dtype) -> dtype:
    """Merge a higher-ranked group's dtype with a lower-ranked one's.

    The higher group keeps its dtype unless the lower one brings a higher
    category: a float (which then promotes, int32 + 0-d float64 is float64,
    int32 + a Python float is float32), or anything at all over bool.
    """
    if higher.is_floating_point:
        return higher
    if higher is bool_ or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher
