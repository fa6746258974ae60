"""``tril`` and ``triu``: keep the lower (or upper) triangle of a matrix, zero the rest.

Element (i, j) is kept by ``tril`` when ``j - i <= diagonal`` (on or below
the diagonal; ``diagonal=1`` keeps one more diagonal above it, ``-1`` one
less) and by ``triu`` when ``j - i >= diagonal``. Only the last two
dimensions are the matrix; any before them are a batch.

A kept element passes its gradient through, a zeroed one gets none: the
backward applies the same mask to the gradient (the same operation again).
"""

from __future__ import annotations

from minitensor import backend
from minitensor.autograd.function import Function


def _triangle_mask(xp, shape, diagonal, lower, device):
    """True where (row i, column j) lies in the triangle: ``j - i <= diagonal`` for lower."""
    rows, cols = shape[-2], shape[-1]
    i = xp.reshape(xp.arange(rows, device=device), (rows, 1))
    j = xp.reshape(xp.arange(cols, device=device), (1, cols))
    return (j - i <= diagonal) if lower else (j - i >= diagonal)


class Tril(Function):
    """out[..., i, j] = x[..., i, j] if j - i <= diagonal, else 0"""

    node_name = "TrilBackward0"

    @staticmethod
    def forward(ctx, x, diagonal, lower):
        ctx.diagonal = diagonal
        xp = backend.namespace(x.device)
        device = backend.native_device(x.device)
        mask = _triangle_mask(xp, x._array.shape, diagonal, lower, device)
        return xp.where(mask, x._array, xp.zeros_like(x._array))

    @staticmethod
    def backward(ctx, grad_output):
        return tril(grad_output, ctx.diagonal), None, None  # the same mask


class Triu(Tril):
    """out[..., i, j] = x[..., i, j] if j - i >= diagonal, else 0"""

    node_name = "TriuBackward0"

    @staticmethod
    def backward(ctx, grad_output):
        return triu(grad_output, ctx.diagonal), None, None


def _check_matrix(name, input) -> None:
    if input.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")


def tril(input, diagonal=0):
    """The lower triangle of (each matrix in) ``input``: zeros above ``diagonal``.

    >>> minitensor.tril(minitensor.ones(2, 2))
    tensor([[1., 0.],
            [1., 1.]])
    """
    _check_matrix("tril", input)
    return Tril.apply(input, diagonal, True)


def triu(input, diagonal=0):
    """The upper triangle of (each matrix in) ``input``: zeros below ``diagonal``."""
    _check_matrix("triu", input)
    return Triu.apply(input, diagonal, False)
