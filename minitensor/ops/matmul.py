"""Matrix products: ``a @ b`` in all its forms (``matmul``, ``mm``, ``mv``, ``dot``).

For ``out = a @ b`` with matrices, the chain rule gives two more matrix
products::

    dL/da = dL/dout @ b.T        dL/db = a.T @ dL/dout

(check the shapes: (n, m) = (n, p) @ (p, m)). ``matmul`` picks the form
from the inputs' dimensions, as PyTorch does:

* 1-d @ 1-d: the dot product (``DotBackward0``);
* 2-d @ 2-d: the matrix product (``MmBackward0``);
* 2-d @ 1-d: matrix times vector (``MvBackward0``);
* 1-d @ 2-d: the vector becomes a 1-row matrix, then ``mm``, then the row
  dimension is squeezed away (``SqueezeBackward4``, ``MmBackward0``,
  ``UnsqueezeBackward0``: the same three nodes as in PyTorch);
* more dimensions: a batch of matrix products, broadcasting the leading
  (batch) dimensions. PyTorch computes it with reshapes around one ``mm``
  or ``bmm`` and shows the last reshape as the result's ``grad_fn``; we do
  it in one node that carries the same name, so printed tensors match.

The checks of shapes and dtypes, with PyTorch's messages, are in matmul_checks.py.
"""

from __future__ import annotations

from minitensor.autograd.function import Function
from minitensor.ops.broadcast import sum_to
from minitensor.ops.matmul_checks import (
    check_batched,
    check_dot,
    check_mm,
    check_mv,
    check_not_bool,
    check_tensors,
)
from minitensor.ops.operands import xp_of


class Dot(Function):
    """out = sum_i a[i] * b[i]"""

    node_name = "DotBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return xp_of(a).vecdot(a._array, b._array)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        return grad_output * b, grad_output * a  # d(a . b)/da = b, d(a . b)/db = a


class Mm(Function):
    """out = a @ b for matrices a (n, p) and b (p, m)"""

    node_name = "MmBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return xp_of(a).matmul(a._array, b._array)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        # Mm.apply, not mm(): these shapes fit (forward checked them), so skip the checks.
        grad_a = Mm.apply(grad_output, b.T) if ctx.needs_input_grad[0] else None
        grad_b = Mm.apply(a.T, grad_output) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class Mv(Function):
    """out = a @ v for a matrix a (n, p) and a vector v (p,)"""

    node_name = "MvBackward0"

    @staticmethod
    def forward(ctx, a, v):
        ctx.save_for_backward(a, v)
        return xp_of(a).matmul(a._array, v._array)

    @staticmethod
    def backward(ctx, grad_output):
        a, v = ctx.saved_tensors
        # dL/da[i, j] = dL/dout[i] * v[j] (an outer product); dL/dv = a.T @ dL/dout
        grad_a = grad_output.unsqueeze(1) * v if ctx.needs_input_grad[0] else None
        grad_v = mv(a.T, grad_output) if ctx.needs_input_grad[1] else None
        return grad_a, grad_v


class SqueezeRow(Function):
    """out = x without its first dimension, of size 1 (a view): ``(1, m) -> (m,)``"""

    node_name = "SqueezeBackward4"  # PyTorch's in-place squeeze_ at the end of vector @ matrix
    is_view = True

    @staticmethod
    def forward(ctx, x):
        return xp_of(x).reshape(x._array, tuple(x.shape[1:]))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.unsqueeze(0)


class BatchedMatmul(Function):
    """out[..., :, :] = a[..., :, :] @ b[..., :, :], batch dimensions broadcast

    A vector operand takes part as a matrix: a row on the left, a column on
    the right, removed again from the result (``xp.matmul`` does the same).
    """

    node_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return xp_of(a).matmul(a._array, b._array)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        # Put the vector dimensions back, so the matrix rule applies to every batch entry.
        a2 = a.unsqueeze(0) if a.ndim == 1 else a
        b2 = b.unsqueeze(-1) if b.ndim == 1 else b
        grad = grad_output.unsqueeze(-2) if a.ndim == 1 else grad_output
        grad = grad.unsqueeze(-1) if b.ndim == 1 else grad
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:  # dL/da = dL/dout @ b.T, summed over broadcast batch dims
            grad_a = sum_to(matmul(grad, b2.mT), a2.shape).reshape(a.shape)
        if ctx.needs_input_grad[1]:  # dL/db = a.T @ dL/dout, likewise
            grad_b = sum_to(matmul(a2.mT, grad), b2.shape).reshape(b.shape)
        return grad_a, grad_b


class BatchedMatmulOfMatrix(BatchedMatmul):
    """The same product for a matrix @ a batch, which PyTorch ends with a copy."""

    node_name = "CloneBackward0"


def dot(a, b):
    """The dot product of two 1-d tensors: ``sum(a * b)``."""
    check_tensors("dot", a, b, names=("input", "tensor"))
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    check_dot(a.shape, b.shape, a.dtype, b.dtype)
    check_not_bool(a, "dot")
    return Dot.apply(a, b)


def mm(a, b):
    """The product of two matrices, (n, p) @ (p, m) -> (n, m)."""
    check_tensors("mm", a, b, names=("input", "mat2"))
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    check_mm(a.shape, b.shape, a.dtype, b.dtype)
    check_not_bool(a, "addmm_impl_cpu_")
    return Mm.apply(a, b)


def mv(a, v):
    """A matrix times a vector, (n, p) @ (p,) -> (n,)."""
    check_tensors("mv", a, v, names=("input", "vec"))
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
    check_mv(a.shape, v.shape, a.dtype, v.dtype)
    check_not_bool(a, "addmv_impl_cpu")
    return Mv.apply(a, v)


def matmul(a, b):
    """``a @ b``, choosing dot, mm, mv or a batched product by the dimensions.

    >>> matmul(ones(2, 3), ones(3)).shape
    minitensor.Size([2])
    """
    check_tensors("matmul", a, b)
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
        )
    if a.ndim == 1 and b.ndim == 1:
        return dot(a, b)
    if a.ndim == 2 and b.ndim == 2:
        return mm(a, b)
    if a.ndim == 2 and b.ndim == 1:
        return mv(a, b)
    if a.ndim == 1 and b.ndim == 2:
        return SqueezeRow.apply(mm(a.unsqueeze(0), b))
    check_batched(a, b)
    check_not_bool(a, "bmm")
    if a.ndim == 2 and a.requires_grad:
        return BatchedMatmulOfMatrix.apply(a, b)
    return BatchedMatmul.apply(a, b)
