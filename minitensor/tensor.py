"""`Tensor`: an n-dimensional array that can record how it was computed.

A Tensor is a thin object around three things:

* ``_array``: the numbers, in a NumPy array (CPU) or a CuPy array (GPU);
* metadata: ``dtype``, ``device``, ``shape``;
* autograd state: ``requires_grad``, ``grad``, and ``grad_fn``, the graph
  node of the operation that produced it (None for a tensor you made).

The class is assembled here from parts, one concept per file:

* ``tensor_base.py``: the fields, ``_wrap`` (every result is made there), metadata;
* ``tensor_autograd.py``: ``requires_grad``, ``grad``, ``backward()``, ``detach()``;
* ``tensor_convert.py``: ``item()``, ``numpy()``, ``repr``, ``to()``, ``clone()``;
* ``tensor_math.py``: ``exp()``, ``sum()``, ``add_()``, ... (named math methods);
* ``tensor_shape.py``: ``view()``, ``transpose()``, ``t[i]``, ``matmul()``;
* this file: the constructor and Python's operators (``+ - * / ** @ == <``...).

The operations themselves live in ``minitensor/ops/`` as `Function`s; each
method names the module where its forward and backward are written.

The operations are imported by this class, so they cannot import it back:
the last line of this file registers the class with the function machinery
(``minitensor/autograd/function.py``), which is where the operations find it.
"""

from __future__ import annotations

import builtins

import numpy as np

from minitensor.autograd.function import register_tensor_class
from minitensor.creation import legacy_constructor_array
from minitensor.ops import arithmetic, compare, matmul, power, unary
from minitensor.ops.more import integer_division
from minitensor.size import Size
from minitensor.tensor_autograd import AutogradMethods
from minitensor.tensor_convert import ConversionMethods
from minitensor.tensor_math import MathMethods
from minitensor.tensor_shape import ShapeMethods

__all__ = ["Size", "Tensor"]


class Tensor(AutogradMethods, ConversionMethods, MathMethods, ShapeMethods):
    """An n-dimensional array with autograd, as ``torch.Tensor``.

    ``Tensor(data)`` makes a float32 tensor from (nested) numbers, like
    ``torch.Tensor``; ``Tensor(2, 3)`` makes a 2x3 one (filled with zeros,
    where PyTorch leaves memory uninitialised). Prefer ``minitensor.tensor(data)``,
    which infers the dtype.
    """

    # A tensor's ``==`` makes a tensor, so hashing must use identity, as in PyTorch.
    __hash__ = object.__hash__
    # Make NumPy defer to our reflected operators in ``ndarray * tensor``.
    __array_priority__ = 1000

    def __init__(self, *args, device=None):
        array, dev = legacy_constructor_array(args, device)
        self._set_fields(array, dev)

    # ------------------------------------------------------------------
    # Python's operators (minitensor/ops/: arithmetic.py, power.py, matmul.py,
    # unary.py, compare.py). Python numbers are accepted on either side:
    # ``t * 2`` and ``2 * t``.
    # ------------------------------------------------------------------

    # An operand that is neither a tensor nor a number gives NotImplemented, so
    # Python raises its usual "unsupported operand type(s) for +" TypeError.

    def __add__(self, other):
        return arithmetic.add(self, other) if _is_operand(other) else NotImplemented

    def __radd__(self, other):
        return arithmetic.add(self, other) if _is_operand(other) else NotImplemented

    def __sub__(self, other):
        return arithmetic.sub(self, other) if _is_operand(other) else NotImplemented

    def __rsub__(self, other):
        return arithmetic.rsub(self, other) if _is_operand(other) else NotImplemented

    def __mul__(self, other):
        return arithmetic.mul(self, other) if _is_operand(other) else NotImplemented

    def __rmul__(self, other):
        return arithmetic.mul(self, other) if _is_operand(other) else NotImplemented

    def __truediv__(self, other):
        return arithmetic.div(self, other) if _is_operand(other) else NotImplemented

    def __rtruediv__(self, other):
        return arithmetic.rdiv(self, other) if _is_operand(other) else NotImplemented

    def __floordiv__(self, other):
        return integer_division.floor_divide(self, other) if _is_operand(other) else NotImplemented

    def __rfloordiv__(self, other):
        return integer_division.floor_divide(other, self) if _is_operand(other) else NotImplemented

    def __mod__(self, other):
        return integer_division.remainder(self, other) if _is_operand(other) else NotImplemented

    def __rmod__(self, other):
        return integer_division.remainder(other, self) if _is_operand(other) else NotImplemented

    def __pow__(self, exponent):
        return power.pow(self, exponent) if _is_operand(exponent) else NotImplemented

    def __rpow__(self, base):
        return power.pow(base, self) if _is_operand(base) else NotImplemented

    def __matmul__(self, other):
        return matmul.matmul(self, other) if isinstance(other, Tensor) else NotImplemented

    def __rmatmul__(self, other):
        return matmul.matmul(other, self) if isinstance(other, Tensor) else NotImplemented

    def __neg__(self):
        return arithmetic.neg(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return unary.abs(self)

    def __eq__(self, other):  # type: ignore[override]
        return compare.eq(self, other) if _is_operand(other) else NotImplemented

    def __ne__(self, other):  # type: ignore[override]
        return compare.ne(self, other) if _is_operand(other) else NotImplemented

    def __lt__(self, other):
        return compare.lt(self, other) if _is_operand(other) else NotImplemented

    def __le__(self, other):
        return compare.le(self, other) if _is_operand(other) else NotImplemented

    def __gt__(self, other):
        return compare.gt(self, other) if _is_operand(other) else NotImplemented

    def __ge__(self, other):
        return compare.ge(self, other) if _is_operand(other) else NotImplemented

    def __invert__(self):
        return compare.bitwise_not(self)

    def __and__(self, other):
        return compare.bitwise_and(self, other) if _is_operand(other) else NotImplemented

    def __rand__(self, other):
        return compare.bitwise_and(other, self) if _is_operand(other) else NotImplemented

    def __or__(self, other):
        return compare.bitwise_or(self, other) if _is_operand(other) else NotImplemented

    def __ror__(self, other):
        return compare.bitwise_or(other, self) if _is_operand(other) else NotImplemented

    def __xor__(self, other):
        return compare.bitwise_xor(self, other) if _is_operand(other) else NotImplemented

    def __rxor__(self, other):
        return compare.bitwise_xor(other, self) if _is_operand(other) else NotImplemented

    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)


def _is_operand(x) -> bool:
    """Can ``x`` meet a tensor in an operator? Tensors and real Python/NumPy numbers can."""
    if isinstance(x, (Tensor, builtins.float, builtins.int)):  # (a bool is an int)
        return True
    return isinstance(x, (np.bool_, np.number)) and not isinstance(x, np.complexfloating)


register_tensor_class(Tensor)
