"""``norm``: the p-norm (sum |x_i|**p) ** (1/p), the length of a vector.

p = 2 is the Euclidean length sqrt(sum x_i**2) (the default), p = 1 the sum
of absolute values, p = inf the largest |x_i|. Each p has its own
derivative (``d ||x||_2 / dx_i = x_i / ||x||_2``), written out in `Norm`'s
backward. PyTorch calls this node ``LinalgVectorNormBackward0``.
"""

from __future__ import annotations

import math

from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.ops.operands import xp_of
from minitensor.ops.reduction_rules import expand_back, reduced_dims
from minitensor.ops.selection import where
from minitensor.ops.shape import normalize_dim
from minitensor.ops.unary import sign


def _norm_array(x, p, dims, keepdim):
    xp, array = xp_of(x), x._array
    # |0| ** negative p = inf, as in PyTorch (quietly: see Function.apply)
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
            f"Got {_dtypes.scalar_type_name(x.dtype)}"
        )
    dims = reduced_dims(dim, x.ndim)
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
