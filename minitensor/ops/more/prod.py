"""``prod``: the product of the elements, whose backward must survive zeros.

d(x_1 * ... * x_n)/dx_i is the product of the *other* elements. That is
prod / x_i, except where x_i is 0: `_product_of_others` counts the zeros
instead of dividing by them.
"""

from __future__ import annotations

from minitensor import backend
from minitensor.autograd.function import Function
from minitensor.autograd.grad_mode import is_grad_enabled
from minitensor.ops.operands import wrap, xp_of
from minitensor.ops.reduction_rules import expand_back, numeric_array, reduced_dims, sum_dtype
from minitensor.ops.selection import where
from minitensor.ops.single_dim import check_one_dim


class Prod(Function):
    """out = x_1 * x_2 * ... * x_n over ``dims``"""

    node_name = "ProdBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim, dtype):
        ctx.save_for_backward(x)
        ctx.dims, ctx.keepdim = dims, keepdim
        xp = xp_of(x)
        return xp.prod(
            numeric_array(x), axis=dims, keepdims=keepdim, dtype=backend.native_dtype(xp, dtype)
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
    return (Prod if dim is None else ProdDim).apply(x, dims, keepdim, sum_dtype(x, dtype))
