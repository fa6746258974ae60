"""A Tensor's named math methods: ``t.exp()``, ``t.sum(dim)``, ``t.add_(1)``, ``t.sort()``, ...

Each method calls the operation of the same name in ``minitensor/ops/``, where
its forward and backward are written; the comments name the module. (The
operators ``+ - * / @ ==`` are in ``minitensor/tensor.py``.)
"""

from __future__ import annotations

import builtins

from minitensor.ops import (
    arithmetic,
    compare,
    extremes,
    inplace,
    power,
    reduce,
    selection,
    softmax,
    unary,
)
from minitensor.ops.more import (
    checks,
    norm,
    prod,
    rounding,
    scan,
    sorting,
    truth_tests,
    unary_math,
    variance,
)
from minitensor.tensor_base import TensorBase


class MathMethods(TensorBase):
    """Elementwise math, comparisons, in-place updates and reductions (see ``tensor.py``)."""

    # ------------------------------------------------------------------
    # Elementwise operations (minitensor/ops/: arithmetic.py, power.py, unary.py,
    # unary_math.py, selection.py, compare.py, softmax.py)
    # ------------------------------------------------------------------

    def add(self, other, *, alpha=1):
        return arithmetic.add(self, other, alpha=alpha)

    def sub(self, other, *, alpha=1):
        return arithmetic.sub(self, other, alpha=alpha)

    def mul(self, other):
        return arithmetic.mul(self, other)

    def div(self, other, *, rounding_mode=None):
        return arithmetic.div(self, other, rounding_mode=rounding_mode)

    def pow(self, exponent):
        return power.pow(self, exponent)

    def neg(self):
        return arithmetic.neg(self)

    def abs(self):
        return unary.abs(self)

    def sign(self):
        return unary.sign(self)

    def exp(self):
        return unary.exp(self)

    def log(self):
        return unary.log(self)

    def sqrt(self):
        return unary.sqrt(self)

    def square(self):
        return unary_math.square(self)

    def rsqrt(self):
        return unary_math.rsqrt(self)

    def log1p(self):
        return unary_math.log1p(self)

    def expm1(self):
        return unary_math.expm1(self)

    # Rounding (minitensor/ops/rounding.py): zero gradients

    def floor(self):
        return rounding.floor(self)

    def ceil(self):
        return rounding.ceil(self)

    def trunc(self):
        return rounding.trunc(self)

    def round(self, *, decimals=None):
        return rounding.round(self, decimals=decimals)

    def reciprocal(self):
        return unary.reciprocal(self)

    def sin(self):
        return unary.sin(self)

    def cos(self):
        return unary.cos(self)

    def tanh(self):
        return unary.tanh(self)

    def sigmoid(self):
        return unary.sigmoid(self)

    def relu(self):
        return unary.relu(self)

    def clamp(self, min=None, max=None):
        return unary.clamp(self, min, max)

    clip = clamp

    def maximum(self, other):
        return selection.maximum(self, other)

    def minimum(self, other):
        return selection.minimum(self, other)

    def eq(self, other):
        return compare.eq(self, other)

    def ne(self, other):
        return compare.ne(self, other)

    def lt(self, other):
        return compare.lt(self, other)

    def le(self, other):
        return compare.le(self, other)

    def gt(self, other):
        return compare.gt(self, other)

    def ge(self, other):
        return compare.ge(self, other)

    # Checks on values (minitensor/ops/checks.py): no gradients

    def isnan(self):
        return checks.isnan(self)

    def isinf(self):
        return checks.isinf(self)

    def isfinite(self):
        return checks.isfinite(self)

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return checks.isclose(self, other, rtol, atol, equal_nan)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> builtins.bool:
        return checks.allclose(self, other, rtol, atol, equal_nan)

    def equal(self, other) -> builtins.bool:
        return checks.equal(self, other)

    def masked_fill(self, mask, value):
        return selection.masked_fill(self, mask, value)

    def softmax(self, dim):
        return softmax.softmax(self, dim)

    def log_softmax(self, dim):
        return softmax.log_softmax(self, dim)

    def logsumexp(self, dim, keepdim=False):
        return softmax.logsumexp(self, dim, keepdim)

    # ------------------------------------------------------------------
    # In-place operations (minitensor/ops/inplace.py): they change this
    # tensor's memory, bump its version counter and return self.
    # ------------------------------------------------------------------

    def add_(self, other, *, alpha=1):
        return inplace.inplace(self, arithmetic.add, other, alpha=alpha)

    def sub_(self, other, *, alpha=1):
        return inplace.inplace(self, arithmetic.sub, other, alpha=alpha)

    def mul_(self, other):
        return inplace.inplace(self, arithmetic.mul, other)

    def div_(self, other):
        return inplace.inplace(self, arithmetic.div, other)

    def pow_(self, exponent):
        return inplace.inplace(self, power.pow, exponent)

    def clamp_(self, min=None, max=None):
        return inplace.inplace(self, unary.clamp, min, max)

    def zero_(self):
        return inplace.zero_(self)

    def fill_(self, value):
        return inplace.fill_(self, value)

    def copy_(self, src):
        return inplace.copy_(self, src)

    # ------------------------------------------------------------------
    # Reductions (minitensor/ops/: reduce.py, extremes.py, variance.py, norm.py,
    # softmax.py)
    # ------------------------------------------------------------------

    def sum(self, dim=None, keepdim=False, *, dtype=None):
        return reduce.sum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim=None, keepdim=False, *, dtype=None):
        return reduce.mean(self, dim, keepdim, dtype=dtype)

    def prod(self, dim=None, keepdim=False, *, dtype=None):
        return prod.prod(self, dim, keepdim, dtype=dtype)

    def max(self, dim=None, keepdim=False):
        return extremes.max(self, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        return extremes.min(self, dim, keepdim)

    def argmax(self, dim=None, keepdim=False):
        return extremes.argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return extremes.argmin(self, dim, keepdim)

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return variance.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return variance.std(self, dim, unbiased, keepdim, correction=correction)

    def norm(self, p=2, dim=None, keepdim=False):
        return norm.norm(self, p, dim, keepdim)

    def all(self, dim=None, keepdim=False):
        return truth_tests.all(self, dim, keepdim)

    def any(self, dim=None, keepdim=False):
        return truth_tests.any(self, dim, keepdim)

    # Running totals (minitensor/ops/scan.py) and sorting (minitensor/ops/sorting.py)

    def cumsum(self, dim=None, *, dtype=None):
        return scan.cumsum(self, dim, dtype=dtype)

    def sort(self, dim=-1, descending=False, *, stable=None):
        return sorting.sort(self, dim, descending, stable)

    def argsort(self, dim=-1, descending=False, *, stable=False):
        return sorting.argsort(self, dim, descending, stable)

    def topk(self, k, dim=-1, largest=True, sorted=True):
        return sorting.topk(self, k, dim, largest, sorted)
