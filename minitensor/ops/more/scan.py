"""``cumsum``: running totals along a dimension.

``out[i] = x[0] + x[1] + ... + x[i]``. Each ``x[i]`` appears in the totals
``out[i], out[i + 1], ..., out[n - 1]``, so its gradient is the sum of the
gradients of those: a running total taken from the *end*,
``grad_x[i] = grad_out[i] + ... + grad_out[n - 1]``, which is a cumsum of
the flipped gradient, flipped back.

Integer and bool inputs give int64 totals (a sum of many int8s would
overflow int8), as in PyTorch; ``dtype=`` picks another result dtype.
"""

from __future__ import annotations

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function
from minitensor.autograd.grad_mode import is_grad_enabled
from minitensor.ops.more.flip import flip
from minitensor.ops.operands import cast
from minitensor.ops.shape import normalize_dim


class Cumsum(Function):
    """out[..., i] = x[..., 0] + ... + x[..., i] along ``dim``"""

    node_name = "CumsumBackward0"

    @staticmethod
    def forward(ctx, x, dim, dtype):
        ctx.dim = dim
        xp = backend.namespace(x.device)
        array = cast(x, dtype)
        if array.ndim == 0:  # one element: its own total
            return xp.asarray(array, copy=True)
        if dtype == _dtypes.float16:
            # Add up in float32 and round once at the end, as PyTorch does
            # (float16's 3 digits would lose small terms of a long sum).
            total = xp.cumulative_sum(xp.astype(array, xp.float32), axis=dim)
            return xp.astype(total, xp.float16)
        # (dtype= keeps int32 totals int32: NumPy would widen them to int64)
        return xp.cumulative_sum(array, axis=dim, dtype=array.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        # grad_x[i] = grad_out[i] + ... + grad_out[n - 1]: a cumsum from the end.
        dims = [ctx.dim] if grad_output.ndim else []
        return flip(cumsum(flip(grad_output, dims), ctx.dim), dims), None, None


def cumsum(input, dim=None, *, dtype=None):
    """Running totals of ``input`` along ``dim`` (integers and bools give int64).

    >>> minitensor.cumsum(minitensor.tensor([1, 2, 3]), dim=0)
    tensor([1, 3, 6])
    """
    if dim is None:  # (dim has no default in PyTorch; this gives its message)
        raise TypeError('cumsum() missing 1 required positional arguments: "dim"')
    d = normalize_dim(dim, input.ndim)
    if dtype is not None:
        result_dtype = _dtypes.to_dtype(dtype, "cumsum")
    elif input.dtype.is_floating_point:
        result_dtype = input.dtype
    else:
        result_dtype = _dtypes.int64
    if input.requires_grad and is_grad_enabled() and not result_dtype.is_floating_point:
        # An integer result could not carry the gradient back to the float input.
        raise RuntimeError(f"Autograd not support dtype: {_dtypes.scalar_type_name(result_dtype)}")
    return Cumsum.apply(input, d, result_dtype)
