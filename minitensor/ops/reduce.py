"""Reductions: ``sum``, ``mean``, ``prod``, ``max``, ``var``, ``norm``, ``softmax``, ...

A reduction maps many elements to one, so its backward spreads one
gradient back over many elements: for ``sum`` every input element gets the
output's gradient unchanged (d(x1 + x2 + ...)/dxi = 1), for ``mean`` a
share of 1/n of it, for ``max`` all of it goes to the element that won.
`expand_back` does the spreading: it puts the reduced dimensions back (as
size 1) and broadcasts; the backward then multiplies by the local
derivative of each element.

``softmax``, ``log_softmax`` and ``logsumexp`` live here too: each is built
on a sum along a dimension, and each subtracts the maximum first so that
``exp`` never overflows (softmax([1000., 0.]) is [1., 0.], not nan).

Backwards are written with tensor operations, so ``create_graph=True``
gives second derivatives.
"""

from __future__ import annotations

import builtins
import math
import warnings

import numpy as np  # only for np.errstate (quiet 0/0 -> nan, as in PyTorch); never on arrays

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.autograd.grad_mode import is_grad_enabled
from minitensor.ops.elementwise import exp, maximum, minimum, sign, where
from minitensor.ops.shape import normalize_dim, normalize_dims

_QUIET = {"divide": "ignore", "invalid": "ignore", "over": "ignore"}

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _xp(t):
    return backend.namespace(t.device)


def _wrap(array, like):
    """A tensor (no autograd state) around ``array``, on ``like``'s device."""
    from minitensor.tensor import Tensor

    return Tensor._wrap(array, like.device)


def _dims(dim, ndim):
    """The reduced dimensions, normalised and sorted; None means all.

    An empty tuple also means all, as it does for PyTorch's sum/mean/var/norm.
    """
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        dim = None
    return normalize_dims(dim, ndim)


def _numbers(x):
    """``x``'s array, with bools as int64: the array API adds and multiplies numbers only."""
    xp = _xp(x)
    return xp.astype(x._array, xp.int64) if x.dtype == _dtypes.bool_ else x._array


def _count(shape, dims) -> int:
    """How many elements each output element is reduced from."""
    return math.prod(shape[d] for d in dims)


def _type_name(dt) -> str:
    """PyTorch's scalar type name: 'Long' for int64, 'Float' for float32, ..."""
    return dt._tensor_type.removesuffix("Tensor")


def _ieee_divide(a: float, b: float) -> float:
    """a / b as C++ computes it: dividing by zero gives inf (PyTorch's formulas rely on it)."""
    return a / b if b != 0 else math.copysign(math.inf, a)


def expand_back(grad, input_shape, dims, keepdim):
    """Broadcast a reduced gradient back to the input's shape.

    ``dims`` are the reduced dimensions (normalised, sorted); without
    ``keepdim`` they were removed, so they are put back as size-1 first.
    """
    if not keepdim:
        for d in dims:
            grad = grad.unsqueeze(d)
    return grad.expand(*input_shape)


# --------------------------------------------------------------------------
# sum, mean, prod
# --------------------------------------------------------------------------


def _sum_dtype(t, dtype):
    """``sum`` of bools or integers counts in int64, as in PyTorch."""
    if dtype is not None:
        return _dtypes.to_dtype(dtype)
    return t.dtype if t.dtype.is_floating_point else _dtypes.int64


class Sum(Function):
    """out = the sum of x over ``dims``"""

    node_name = "SumBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        xp = _xp(x)
        return xp.sum(
            _numbers(x), axis=dims, keepdims=keepdim, dtype=backend.native_dtype(xp, dtype)
        )

    @staticmethod
    def backward(ctx, grad_output):
        # d(sum)/dx_i = 1: every element gets the output's gradient.
        return expand_back(grad_output, ctx.shape, ctx.dims, ctx.keepdim), None, None, None


class SumDim(Sum):
    node_name = "SumBackward1"  # PyTorch's name when a dim is given


class Mean(Function):
    """out = the mean of x over ``dims``"""

    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        ctx.count = _count(x.shape, dims)
        with np.errstate(**_QUIET):  # the mean of nothing is 0/0 = nan, quietly
            return _xp(x).sum(x._array, axis=dims, keepdims=keepdim) / ctx.count

    @staticmethod
    def backward(ctx, grad_output):
        # d(mean)/dx_i = 1/n for each of the n elements averaged.
        grad = expand_back(grad_output, ctx.shape, ctx.dims, ctx.keepdim) / ctx.count
        return grad, None, None


class MeanDim(Mean):
    node_name = "MeanBackward1"


def sum(x, dim=None, keepdim=False, *, dtype=None):
    """The sum of all elements, or over ``dim`` (an int or a tuple of ints).

    >>> minitensor.tensor([[1, 2], [3, 4]]).sum(0)
    tensor([4, 6])
    """
    dims = _dims(dim, x.ndim)
    return (Sum if dim is None else SumDim).apply(x, dims, keepdim, _sum_dtype(x, dtype))


def mean(x, dim=None, keepdim=False, *, dtype=None):
    """The mean of all elements, or over ``dim``. Needs a float tensor, as in PyTorch."""
    if dtype is not None:
        x = x.to(dtype)
    if not x.dtype.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_type_name(x.dtype)}"
        )
    dims = _dims(dim, x.ndim)
    return (Mean if dim is None else MeanDim).apply(x, dims, keepdim)


class Prod(Function):
    """out = x_1 * x_2 * ... * x_n over ``dims``"""

    node_name = "ProdBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        xp = _xp(x)
        return xp.prod(
            _numbers(x), axis=dims, keepdims=keepdim, dtype=backend.native_dtype(xp, dtype)
        )

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad = expand_back(grad_output, x.shape, ctx.dims, ctx.keepdim)
        # d(x_1 * ... * x_n)/dx_i = the product of the other elements
        return grad * _product_of_others(x, ctx.dims), None, None, None


class ProdDim(Prod):
    node_name = "ProdBackward1"


def _product_of_others(x, dims):
    """For each element, the product of the other elements of its slice (over ``dims``).

    That is prod / x_i, except that dividing by a zero fails. So divide the
    product of the *nonzero* elements by x_i (by 1 where x_i is 0), and count
    zeros: an element's "others" contain no zero if its slice has none, or if
    it is its slice's only zero; otherwise their product is 0.
    """
    is_zero = x == 0
    if is_grad_enabled() and is_zero.any():
        # Counting zeros has no derivative; for second derivatives use the slow, exact way.
        return _product_of_others_by_masking(x, dims)
    safe_x = where(is_zero, 1.0, x)
    nonzero_product = Prod.apply(safe_x, dims, True, x.dtype)
    n_zeros = is_zero.sum(dims, keepdim=True)
    no_zero_in_others = (n_zeros == 0) | ((n_zeros == 1) & is_zero)
    return where(no_zero_in_others, nonzero_product / safe_x, 0.0)


def _product_of_others_by_masking(x, dims):
    """Products of the others, replacing each element by 1 in turn.

    Differentiable to any order (used when ``create_graph=True``), but a
    slice of n elements costs n * n numbers, so it is kept for that case.
    """
    if x.ndim == 0:
        return _wrap(_xp(x).ones_like(x._array), x)  # a lone element has no others
    if len(dims) > 1:  # all dimensions at once: work on the elements in a row
        return _product_of_others_by_masking(x.reshape(-1), (0,)).reshape(x.shape)
    d, n = dims[0], x.shape[dims[0]]
    last = x.transpose(d, -1)  # the reduced dimension last: shape (..., n)
    rows = last.unsqueeze(-2).expand(*last.shape[:-1], n, n)  # row i: the whole slice
    xp = _xp(x)
    diagonal = _wrap(xp.eye(n, dtype=xp.bool, device=x._array.device), x)
    return where(diagonal, 1.0, rows).prod(-1).transpose(d, -1)  # row i without x_i


def prod(x, dim=None, keepdim=False, *, dtype=None):
    """The product of all elements, or along one dimension ``dim`` (an int, as in PyTorch).

    Integers and bools multiply in int64.
    """
    _check_one_dim("prod", dim, keepdim)
    dims = _dims(dim, x.ndim)
    return (Prod if dim is None else ProdDim).apply(x, dims, keepdim, _sum_dtype(x, dtype))


# --------------------------------------------------------------------------
# max, min, argmax, argmin
# --------------------------------------------------------------------------


class ValuesIndices(tuple):
    """``(values, indices)``: what ``max``/``min`` along a dimension return.

    A tuple (``values, indices = x.max(1)`` works) whose two items also have
    names, like PyTorch's ``torch.return_types.max``.
    """

    __slots__ = ()
    name = ""

    def __new__(cls, values, indices):
        return tuple.__new__(cls, (values, indices))

    def __getnewargs__(self):
        return tuple(self)

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]

    def __repr__(self) -> str:
        values, indices = self
        return f"minitensor.return_types.{self.name}(\nvalues={values!r},\nindices={indices!r})"


class MaxResult(ValuesIndices):
    __slots__ = ()
    name = "max"


class MinResult(ValuesIndices):
    __slots__ = ()
    name = "min"


def _extreme_array(xp, array, largest, axis, keepdim):
    """max/min of an array; for bools, max is ``any`` and min is ``all``."""
    if array.dtype == xp.bool:
        return (xp.any if largest else xp.all)(array, axis=axis, keepdims=keepdim)
    return (xp.max if largest else xp.min)(array, axis=axis, keepdims=keepdim)


class MaxAll(Function):
    """out = the largest (or, for MinAll, smallest) element of x, a 0-d tensor"""

    node_name = "MaxBackward1"

    @staticmethod
    def forward(ctx, x, largest):
        xp, array = _xp(x), x._array
        value = _extreme_array(xp, array, largest, None, False)
        winners = array == value
        if x.dtype.is_floating_point:  # a nan wins (max is nan), and nan != nan
            winners = winners | (xp.isnan(array) & xp.isnan(value))
        ctx.winners = _wrap(winners, x)
        return value

    @staticmethod
    def backward(ctx, grad_output):
        # Tied winners share the gradient evenly, as in PyTorch.
        winners = ctx.winners
        return where(winners, grad_output / winners.sum(), 0.0), None


class MinAll(MaxAll):
    node_name = "MinBackward1"


class MaxDim(Function):
    """values = the largest (MinDim: smallest) element along ``dim``, found at ``indices``"""

    node_name = "MaxBackward0"

    @staticmethod
    def forward(ctx, x, indices, dim, keepdim, largest):
        ctx.save_for_backward(indices)
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, dim, keepdim
        axis = dim if x.ndim else None
        return _extreme_array(_xp(x), x._array, largest, axis, keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        (indices,) = ctx.saved_tensors
        dims = (ctx.dim,) if len(ctx.shape) else ()
        grad = expand_back(grad_output, ctx.shape, dims, ctx.keepdim)
        # Only the chosen element affects the output: it gets all the gradient.
        chosen = _one_hot(indices, ctx.shape, ctx.dim, ctx.keepdim)
        return where(chosen, grad, 0.0), None, None, None, None


class MinDim(MaxDim):
    node_name = "MinBackward0"


def _one_hot(indices, shape, dim, keepdim):
    """A bool tensor of ``shape``: True where the index along ``dim`` equals ``indices``."""
    if len(shape) == 0:
        return indices == 0
    xp = _xp(indices)
    index = indices._array if keepdim else xp.expand_dims(indices._array, axis=dim)
    position = xp.arange(shape[dim], dtype=index.dtype, device=index.device)
    position = xp.reshape(position, tuple(shape[dim] if d == dim else 1 for d in range(len(shape))))
    return _wrap(position == index, indices)


def _describe(value) -> str:
    """How PyTorch's argument parser names a value's type: 'tuple of (int, int)'."""
    if isinstance(value, tuple):
        return f"tuple of ({', '.join(type(v).__name__ for v in value)})"
    if isinstance(value, list):
        return f"list of [{', '.join(type(v).__name__ for v in value)}]"
    return type(value).__name__


_ONE_DIM_SIGNATURES = {
    "max": ("()", "(Tensor other)", "(int dim, bool keepdim = False)"),
    "prod": (
        "(*, minitensor.dtype dtype = None)",
        "(int dim, bool keepdim = False, *, minitensor.dtype dtype = None)",
    ),
}


def _check_one_dim(name, dim, keepdim):
    """max, min and prod take one int dim (or none, and then no keepdim): PyTorch's TypeError."""
    if dim is None and not keepdim:
        return
    if dim is None:
        got, why = "keepdim=bool, ", "some of the keywords were incorrect: keepdim"
    elif isinstance(dim, bool) or not isinstance(dim, int):
        got = type(dim).__name__
        why = f"some of the arguments have invalid types: (!{_describe(dim)}!)"
    else:
        return
    lines = []
    for signature in _ONE_DIM_SIGNATURES["prod" if name == "prod" else "max"]:
        lines.append(f" * {signature}\n")
        if name != "prod" and "dim" not in signature:  # PyTorch explains the near misses
            lines.append(f"      didn't match because {why}\n")
    raise TypeError(
        f"{name}() received an invalid combination of arguments - got ({got}), but expected "
        "one of:\n" + "".join(lines)
    )


def _check_dim_int(name, dim):
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(
            f"{name}(): argument 'dim' (position 1) must be int, not {type(dim).__name__}"
        )


def _arg_extreme(x, name, dim, keepdim, largest):
    """Indices of the largest (argmax) or smallest (argmin) elements, as int64."""
    if dim is None:
        if x.numel() == 0:
            raise IndexError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
            )
        axis = None
    else:
        _check_dim_int(name, dim)
        axis = normalize_dim(dim, x.ndim)
        if x.ndim and x.shape[axis] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
        axis = axis if x.ndim else None
    xp, array = _xp(x), x._array
    if x.dtype == _dtypes.bool_:  # (max along a dim accepts bools; argmax itself does not)
        array = xp.astype(array, xp.int8)
    out = (xp.argmax if largest else xp.argmin)(array, axis=axis, keepdims=keepdim)
    return _wrap(xp.astype(out, xp.int64), x)


def _max_or_min(x, dim, keepdim, largest):
    from minitensor.tensor import Tensor

    name = "max" if largest else "min"
    if isinstance(dim, Tensor):  # minitensor.max(a, b) is the elementwise maximum
        return maximum(x, dim) if largest else minimum(x, dim)
    _check_one_dim(name, dim, keepdim)
    if dim is None:
        if x.numel() == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        return (MaxAll if largest else MinAll).apply(x, largest)
    d = normalize_dim(dim, x.ndim)
    if x.ndim and x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    indices = _arg_extreme(x, name, d, keepdim, largest)
    values = (MaxDim if largest else MinDim).apply(x, indices, d, keepdim, largest)
    return (MaxResult if largest else MinResult)(values, indices)


def max(x, dim=None, keepdim=False):
    """The largest element (a 0-d tensor), or ``(values, indices)`` along ``dim``.

    With no dim, tied largest elements share the gradient evenly; along a
    dim, the element at ``indices`` gets all of it.
    >>> minitensor.tensor([[1., 5.], [7., 2.]]).max(1).indices
    tensor([1, 0])
    """
    return _max_or_min(x, dim, keepdim, largest=True)


def min(x, dim=None, keepdim=False):
    """The smallest element, or ``(values, indices)`` along ``dim`` (see `max`)."""
    return _max_or_min(x, dim, keepdim, largest=False)


def argmax(x, dim=None, keepdim=False):
    """The index of the largest element (of the flattened tensor if no dim); not differentiable."""
    if x.dtype == _dtypes.bool_:
        raise RuntimeError("argmax(): does not support bool input")
    return _arg_extreme(x, "argmax", dim, keepdim, largest=True)


def argmin(x, dim=None, keepdim=False):
    """The index of the smallest element (see `argmax`)."""
    if x.dtype == _dtypes.bool_:
        raise RuntimeError("argmin(): does not support bool input")
    return _arg_extreme(x, "argmin", dim, keepdim, largest=False)


# --------------------------------------------------------------------------
# var, std
# --------------------------------------------------------------------------


def _var_array(x, dims, correction, keepdim):
    """sum((x - mean)**2) / (n - correction) on the array, n - correction clamped at 0."""
    xp, array = _xp(x), x._array
    n = _count(x.shape, dims)
    with np.errstate(**_QUIET):  # no degrees of freedom: inf or nan, as in PyTorch
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
    dof = _count(x.shape, dims) - correction
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
        return _xp(x).sqrt(_var_array(x, dims, correction, keepdim))

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
    dims = _dims(dim, x.ndim)
    if _count(x.shape, dims) - correction <= 0:
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


# --------------------------------------------------------------------------
# norm
# --------------------------------------------------------------------------


def _norm_array(x, p, dims, keepdim):
    xp, array = _xp(x), x._array
    with np.errstate(**_QUIET):  # |0| ** negative p = inf, as in PyTorch
        if p == 2:
            return xp.sqrt(xp.sum(array * array, axis=dims, keepdims=keepdim))
        size = xp.abs(array)
        if p == math.inf:
            return xp.max(size, axis=dims, keepdims=keepdim)
        if p == -math.inf:
            return xp.min(size, axis=dims, keepdims=keepdim)
        if p == 0:  # the number of nonzero elements
            return xp.sum(xp.astype(array != 0, array.dtype), axis=dims, keepdims=keepdim)
        if p == 1:
            return xp.sum(size, axis=dims, keepdims=keepdim)
        return xp.sum(size**p, axis=dims, keepdims=keepdim) ** (1 / p)


class Norm(Function):
    """out = (sum |x_i|**p) ** (1/p) over ``dims``; p=2 is the Euclidean length"""

    node_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, x, p, dims, keepdim):
        ctx.save_for_backward(x)
        ctx.p, ctx.dims, ctx.keepdim = p, dims, keepdim
        return _norm_array(x, p, dims, keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        p = ctx.p
        if p == 0:  # a count of nonzeros does not change when x moves a little
            return None, None, None, None
        grad = expand_back(grad_output, x.shape, ctx.dims, ctx.keepdim)
        norm = Norm.apply(x, p, ctx.dims, True)
        safe_norm = where(norm == 0, 1.0, norm)  # where norm == 0, x is 0 and so is the result
        if p == 1:  # d sum|x|/dx_i = sign(x_i)
            local = sign(x)
        elif p == 2:  # d sqrt(sum x**2)/dx_i = x_i / norm
            local = x / safe_norm
        elif math.isinf(p):  # all to the largest (smallest) |x_i|, shared among ties
            size = x.abs()
            winners = (size == norm) | (size != size)  # (size != size: a nan wins too)
            local = sign(x) * winners / winners.sum(ctx.dims, keepdim=True)
        elif p < 1:  # d/dx_i = sign(x_i) |x_i|**(p-1) * norm**(1-p), taken as 0 at x_i = 0
            local = sign(x) * where(x == 0, 1.0, x.abs()) ** (p - 1) * norm ** (1 - p)
        else:
            local = sign(x) * x.abs() ** (p - 1) / safe_norm ** (p - 1)
        return grad * local, None, None, None


def norm(x, p="fro", dim=None, keepdim=False):
    """The p-norm (sum |x_i|**p) ** (1/p) of all elements, or over ``dim``.

    ``p`` is a number (2 by default: the Euclidean length; ``inf``: the
    largest |x_i|; 0: the count of nonzeros) or ``'fro'`` (the same as 2).
    >>> minitensor.tensor([3., 4.]).norm()
    tensor(5.)
    """
    if p == "fro" or p is None:
        p = 2
    if p == "nuc":
        raise NotImplementedError("minitensor.norm does not compute the nuclear norm ('nuc')")
    if isinstance(p, str):
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    if not x.dtype.is_floating_point:
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. "
            f"Got {_type_name(x.dtype)}"
        )
    dims = _dims(dim, x.ndim)
    if math.isinf(p) and x.numel() == 0:
        _check_inf_norm_of_empty(x, p, dim)
    return Norm.apply(x, p, dims, keepdim)


def _check_inf_norm_of_empty(x, p, dim):
    """The largest |x_i| of no elements has no value: PyTorch's errors."""
    cannot = f"linalg.vector_norm cannot compute the {p:g} norm on"
    if dim is None or dim == ():
        raise RuntimeError(
            f"{cannot} an empty tensor because the operation does not have an identity"
        )
    for d in (dim,) if isinstance(dim, int) else dim:
        if x.shape[normalize_dim(d, x.ndim)] == 0:
            raise RuntimeError(
                f"{cannot} the dimension {d}because this dimension is empty and the "
                "operation does not have an identity"
            )


# --------------------------------------------------------------------------
# all, any: truth tests, never part of the graph
# --------------------------------------------------------------------------


def _truth_test(x, name, dim, keepdim):
    dims = normalize_dims(dim, x.ndim)  # here () reduces nothing, as in PyTorch
    xp = _xp(x)
    out = getattr(xp, name)(x._array, axis=dims, keepdims=keepdim)
    if x.dtype == _dtypes.uint8:  # PyTorch keeps uint8 for uint8 inputs
        out = xp.astype(out, xp.uint8)
    return _wrap(out, x)


def all(x, dim=None, keepdim=False):
    """True if every element is nonzero (over ``dim``): a bool tensor."""
    return _truth_test(x, "all", dim, keepdim)


def any(x, dim=None, keepdim=False):
    """True if some element is nonzero (over ``dim``): a bool tensor."""
    return _truth_test(x, "any", dim, keepdim)


# --------------------------------------------------------------------------
# softmax, log_softmax, logsumexp
# --------------------------------------------------------------------------


def _minus_max(xp, array, dims):
    """x - max(x): the same softmax (it cancels), but the largest exponent is now 0."""
    return array - xp.max(array, axis=dims, keepdims=True)


class Softmax(Function):
    """out_i = exp(x_i) / sum_j exp(x_j) along ``dim``"""

    node_name = "SoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.save_for_backward(x)
        ctx.dims = dims
        xp = _xp(x)
        if x.numel() == 0:
            return xp.asarray(x._array, copy=True)
        with np.errstate(**_QUIET):  # inf - inf = nan, as in PyTorch
            e = xp.exp(_minus_max(xp, x._array, dims))
            return e / xp.sum(e, axis=dims, keepdims=True)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        y = Softmax.apply(x, ctx.dims)
        # d out_i/dx_j = y_i (delta_ij - y_j), so grad_x = y * (g - sum_j g_j y_j)
        return y * (grad_output - (grad_output * y).sum(ctx.dims, keepdim=True)), None


class LogSoftmax(Function):
    """out_i = x_i - log(sum_j exp(x_j)) along ``dim``"""

    node_name = "LogSoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.save_for_backward(x)
        ctx.dims = dims
        xp = _xp(x)
        if x.numel() == 0:
            return xp.asarray(x._array, copy=True)
        with np.errstate(**_QUIET):
            shifted = _minus_max(xp, x._array, dims)
            return shifted - xp.log(xp.sum(xp.exp(shifted), axis=dims, keepdims=True))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        # d out_i/dx_j = delta_ij - softmax(x)_j
        y = Softmax.apply(x, ctx.dims)
        return grad_output - y * grad_output.sum(ctx.dims, keepdim=True), None


def _softmax_dims(name, x, dim, dtype):
    """Check the arguments of (log_)softmax; returns x (cast to dtype) and its dims."""
    if dtype is not None:
        x = x.to(dtype)
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(
            f"{name}(): argument 'dim' (position 1) must be int, not {type(dim).__name__}"
        )
    d = normalize_dim(dim, x.ndim)
    if not x.dtype.is_floating_point:
        kernel = f"{name}_lastdim_kernel_impl" if d >= x.ndim - 1 else f"{name}_kernel_impl"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_type_name(x.dtype)}'")
    return x, ((d,) if x.ndim else ())


def softmax(x, dim, dtype=None):
    """exp(x_i) / sum_j exp(x_j) along ``dim``: positive numbers that sum to 1.

    >>> minitensor.tensor([1000., 0.]).softmax(0)
    tensor([1., 0.])
    """
    x, dims = _softmax_dims("softmax", x, dim, dtype)
    return Softmax.apply(x, dims)


def log_softmax(x, dim, dtype=None):
    """log(softmax(x)) along ``dim``, computed without overflow or log(0)."""
    x, dims = _softmax_dims("log_softmax", x, dim, dtype)
    return LogSoftmax.apply(x, dims)


class Logsumexp(Function):
    """out = log(sum exp(x)) over ``dims``, computed as m + log(sum exp(x - m)), m = max(x)"""

    node_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        xp, array = _xp(x), x._array
        with np.errstate(**_QUIET):
            if _count(x.shape, dims) == 0:  # log of an empty sum: log(0) = -inf
                return xp.log(xp.sum(xp.exp(array), axis=dims, keepdims=keepdim))
            m = xp.max(array, axis=dims, keepdims=True)
            m = xp.where(xp.isinf(m), 0.0, m)  # inf - inf would be nan; PyTorch shifts by 0
            total = xp.sum(xp.exp(array - m), axis=dims, keepdims=keepdim)
            return xp.log(total) + xp.reshape(m, total.shape)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad = expand_back(grad_output, x.shape, ctx.dims, ctx.keepdim)
        out = Logsumexp.apply(x, ctx.dims, True)
        # d/dx_i log(sum exp(x)) = exp(x_i) / sum exp(x) = exp(x_i - out): the softmax
        return grad * exp(x - out), None, None


def logsumexp(x, dim, keepdim=False):
    """log(sum(exp(x))) over ``dim`` (an int or a tuple), without overflow.

    Integers and bools are first converted to the default float dtype.
    """
    if dim is None:
        raise TypeError(
            "logsumexp(): argument 'dim' (position 2) must be tuple of ints, not NoneType"
        )
    if isinstance(dim, (tuple, list)) and len(dim) == 0 and x.ndim > 0 and not keepdim:
        ones = ", ".join(["1"] * x.ndim)  # PyTorch's (odd) error for an empty dim tuple
        raise RuntimeError(f"output with shape [] doesn't match the broadcast shape [{ones}]")
    if not x.dtype.is_floating_point:
        x = x.to(_dtypes.get_default_dtype())
    return Logsumexp.apply(x, _dims(dim, x.ndim), keepdim)
