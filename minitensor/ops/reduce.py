"""Reductions: ``sum``, ``mean``, ``prod``, ``all``, ``any``, and the helpers all reductions share.

A reduction maps many elements to one, so its backward spreads one
gradient back over many elements: for ``sum`` every input element gets the
output's gradient unchanged (d(x1 + x2 + ...)/dxi = 1), for ``mean`` a
share of 1/n of it, for ``prod`` the gradient times the product of the
other elements. `expand_back` does the spreading: it puts the reduced
dimensions back (as size 1) and broadcasts; the backward then multiplies by
the local derivative of each element.

The other reductions build on the helpers here: ``max``/``min``/``argmax``
in extremes.py, ``var``/``std`` in variance.py, ``norm`` in norm.py,
``softmax``/``log_softmax``/``logsumexp`` in softmax.py.

Backwards are written with tensor operations, so ``create_graph=True``
gives second derivatives.
"""

from __future__ import annotations

import math

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.autograd.grad_mode import is_grad_enabled
from minitensor.ops.arithmetic import div_by_number
from minitensor.ops.operands import wrap, xp_of
from minitensor.ops.selection import where
from minitensor.ops.shape import normalize_dims

# --------------------------------------------------------------------------
# Helpers shared by the reductions
# --------------------------------------------------------------------------


def reduced_dims(dim, ndim):
    """The reduced dimensions, normalised and sorted; None means all.

    An empty tuple also means all, as it does for PyTorch's sum/mean/var/norm.
    """
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        dim = None
    return normalize_dims(dim, ndim)


def _numbers(x):
    """``x``'s array, with bools as int64: the array API adds and multiplies numbers only."""
    xp = xp_of(x)
    return xp.astype(x._array, xp.int64) if x.dtype == _dtypes.bool_ else x._array


def reduced_count(shape, dims) -> int:
    """How many elements each output element is reduced from."""
    return math.prod(shape[d] for d in dims)


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
        xp = xp_of(x)
        return xp.sum(
            _numbers(x), axis=dims, keepdims=keepdim, dtype=backend.native_dtype(xp, dtype)
        )

    @staticmethod
    def backward(ctx, grad_output):
        # d(sum)/dx_i = 1: every element gets the output's gradient. A sum of
        # everything is a single number, which expand copies to every position.
        return grad_output.expand(*ctx.shape), None, None, None


class SumDim(Sum):
    node_name = "SumBackward1"  # PyTorch's name when a dim is given

    @staticmethod
    def backward(ctx, grad_output):
        # The same, along the summed dimensions (put back first if keepdim was False).
        return expand_back(grad_output, ctx.shape, ctx.dims, ctx.keepdim), None, None, None


class Mean(Function):
    """out = the mean of x over ``dims``"""

    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        ctx.count = reduced_count(x.shape, dims)
        # The mean of nothing is 0/0 = nan, as in PyTorch (quietly: see Function.apply).
        return xp_of(x).sum(x._array, axis=dims, keepdims=keepdim) / ctx.count

    @staticmethod
    def backward(ctx, grad_output):
        # The mean of everything is one number: expand copies it to every position.
        return _mean_backward(ctx, grad_output, lambda g: g.expand(*ctx.shape)), None, None


class MeanDim(Mean):
    node_name = "MeanBackward1"

    @staticmethod
    def backward(ctx, grad_output):
        def expand(g):
            return expand_back(g, ctx.shape, ctx.dims, ctx.keepdim)

        return _mean_backward(ctx, grad_output, expand), None, None


def _mean_backward(ctx, grad_output, expand):
    """d(mean)/dx_i = 1/n for each of the n elements averaged (``expand`` spreads a gradient)."""
    if is_grad_enabled():
        # Recording a graph (create_graph=True): PyTorch's order, expand then divide,
        # so the gradient's grad_fn is a division, as in PyTorch.
        return div_by_number(expand(grad_output), ctx.count)
    # The same numbers (each element is grad_output / n either way), but dividing
    # the small reduced gradient first leaves the expansion a view: no full-size array.
    return expand(grad_output / ctx.count)


def sum(x, dim=None, keepdim=False, *, dtype=None):
    """The sum of all elements, or over ``dim`` (an int or a tuple of ints).

    >>> minitensor.tensor([[1, 2], [3, 4]]).sum(0)
    tensor([4, 6])
    """
    dims = reduced_dims(dim, x.ndim)
    return (Sum if dim is None else SumDim).apply(x, dims, keepdim, _sum_dtype(x, dtype))


def mean(x, dim=None, keepdim=False, *, dtype=None):
    """The mean of all elements, or over ``dim``. Needs a float tensor, as in PyTorch."""
    if dtype is not None:
        x = x.to(dtype)
    if not x.dtype.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_dtypes.scalar_type_name(x.dtype)}"
        )
    dims = reduced_dims(dim, x.ndim)
    return (Mean if dim is None else MeanDim).apply(x, dims, keepdim)


class Prod(Function):
    """out = x_1 * x_2 * ... * x_n over ``dims``"""

    node_name = "ProdBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        xp = xp_of(x)
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
        return wrap(xp_of(x).ones_like(x._array), x)  # a lone element has no others
    if len(dims) > 1:  # all dimensions at once: work on the elements in a row
        return _product_of_others_by_masking(x.reshape(-1), (0,)).reshape(x.shape)
    d, n = dims[0], x.shape[dims[0]]
    last = x.transpose(d, -1)  # the reduced dimension last: shape (..., n)
    rows = last.unsqueeze(-2).expand(*last.shape[:-1], n, n)  # row i: the whole slice
    xp = xp_of(x)
    diagonal = wrap(xp.eye(n, dtype=xp.bool, device=x._array.device), x)
    return where(diagonal, 1.0, rows).prod(-1).transpose(d, -1)  # row i without x_i


def prod(x, dim=None, keepdim=False, *, dtype=None):
    """The product of all elements, or along one dimension ``dim`` (an int, as in PyTorch).

    Integers and bools multiply in int64.
    """
    check_one_dim("prod", dim, keepdim)
    dims = reduced_dims(dim, x.ndim)
    return (Prod if dim is None else ProdDim).apply(x, dims, keepdim, _sum_dtype(x, dtype))


# --------------------------------------------------------------------------
# Checking a single ``dim`` argument (prod, max, min)
# --------------------------------------------------------------------------


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


def check_one_dim(name, dim, keepdim):
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


# --------------------------------------------------------------------------
# all, any: truth tests, never part of the graph
# --------------------------------------------------------------------------


def _truth_test(x, name, dim, keepdim):
    dims = normalize_dims(dim, x.ndim)  # here () reduces nothing, as in PyTorch
    xp = xp_of(x)
    out = getattr(xp, name)(x._array, axis=dims, keepdims=keepdim)
    if x.dtype == _dtypes.uint8:  # PyTorch keeps uint8 for uint8 inputs
        out = xp.astype(out, xp.uint8)
    return wrap(out, x)


def all(x, dim=None, keepdim=False):
    """True if every element is nonzero (over ``dim``): a bool tensor."""
    return _truth_test(x, "all", dim, keepdim)


def any(x, dim=None, keepdim=False):
    """True if some element is nonzero (over ``dim``): a bool tensor."""
    return _truth_test(x, "any", dim, keepdim)
