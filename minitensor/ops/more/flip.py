"""``flip``: reverse the order of the elements along some dimensions.

``flip(x, [0])[i] = x[n - 1 - i]``. Flipping is its own inverse, so the
backward flips the gradient back along the same dimensions: each element of
the gradient returns to the place its value came from.
"""

from __future__ import annotations

from minitensor import backend
from minitensor.autograd.function import Function
from minitensor.ops.shape import normalize_dims


class Flip(Function):
    """out[..., i, ...] = x[..., n - 1 - i, ...] along each dim in ``dims``"""

    node_name = "FlipBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        xp = backend.namespace(x.device)
        flipped = xp.flip(x._array, axis=dims) if dims else x._array
        # NumPy's flip is a view; PyTorch's flip makes a new tensor, so copy.
        return backend.contiguous_copy(flipped, x.device)

    @staticmethod
    def backward(ctx, grad_output):
        return Flip.apply(grad_output, ctx.dims), None  # flipping twice changes nothing


def flip(input, dims):
    """``input`` with the order of its elements reversed along each dimension in ``dims``.

    >>> minitensor.flip(minitensor.tensor([1, 2, 3]), [0])
    tensor([3, 2, 1])
    """
    if not isinstance(dims, (tuple, list)):
        raise TypeError(
            f"flip(): argument 'dims' (position 2) must be tuple of ints, not {type(dims).__name__}"
        )
    return Flip.apply(input, normalize_dims(tuple(dims), input.ndim))
