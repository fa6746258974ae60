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
"""

from __future__ import annotations

from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function, is_tensor
from minitensor.ops.broadcast import broadcast_shapes, sum_to
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


# --------------------------------------------------------------------------
# Checks with PyTorch's messages
# --------------------------------------------------------------------------


def _check_tensors(function: str, a, b, names=("input", "other")) -> None:
    for position, (name, x) in enumerate(zip(names, (a, b)), start=1):
        if not is_tensor(x):
            raise TypeError(
                f"{function}(): argument '{name}' (position {position}) must be Tensor, "
                f"not {type(x).__name__}"
            )


def _check_not_bool(a, kernel: str) -> None:
    if a.dtype == _dtypes.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _check_mm(a_shape, b_shape, a_dtype, b_dtype) -> None:
    """What ``mm`` checks, in PyTorch's order: shapes first, then dtypes."""
    if a_shape[1] != b_shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied "
            f"({a_shape[0]}x{a_shape[1]} and {b_shape[0]}x{b_shape[1]})"
        )
    if a_dtype != b_dtype:
        raise RuntimeError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{_dtypes.cpp_name(a_dtype)} != {_dtypes.cpp_name(b_dtype)}"
        )


def _check_mv(a_shape, v_shape, a_dtype, v_dtype) -> None:
    """What ``mv`` checks: the matrix width against the vector, then dtypes."""
    if a_shape[1] != v_shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({a_shape[0]}), mat ({a_shape[0]}x{a_shape[1]}), "
            f"vec ({v_shape[0]})"
        )
    if a_dtype != v_dtype:
        names = [_dtypes.scalar_type_name(d) for d in (v_dtype, a_dtype, v_dtype)]
        raise RuntimeError(
            "addmv input tensors must have the same dtype, but got "
            f"{names[0]}, {names[1]}, and {names[2]}"
        )


def _folded(shape) -> tuple[int, int]:
    """A batch of matrices seen as one tall matrix: (b1, ..., n, m) -> (b1 * ... * n, m)."""
    return (_prod(shape[:-1]), shape[-1])


def _check_batched(a, b) -> None:
    """The checks (and messages) of the way PyTorch computes each batched form."""
    if b.ndim <= 2:  # a batch @ a matrix or vector: PyTorch folds a into one tall matrix
        check = _check_mm if b.ndim == 2 else _check_mv
        check(_folded(a.shape), b.shape, a.dtype, b.dtype)
        return
    if a.ndim <= 2 and a.requires_grad:
        # A matrix or vector @ a batch: PyTorch computes (b.mT @ a.mT).mT when a needs
        # a gradient (a plain batched product otherwise).
        b_t_shape = (*b.shape[:-2], b.shape[-1], b.shape[-2])
        if a.ndim == 2:
            _check_mm(_folded(b_t_shape), (a.shape[1], a.shape[0]), b.dtype, a.dtype)
        else:
            _check_mv(_folded(b_t_shape), a.shape, b.dtype, a.dtype)
        return
    batch = broadcast_shapes(a.shape[:-2], b.shape[:-2])  # () for a vector or a matrix
    if a.shape[-1] != b.shape[-2]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{_prod(batch)}, {a.shape[-1]}] but got: [{_prod(batch)}, {b.shape[-2]}]."
        )
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"expected scalar type {_dtypes.scalar_type_name(a.dtype)} but found "
            f"{_dtypes.scalar_type_name(b.dtype)}"
        )


# --------------------------------------------------------------------------
# The functions users call
# --------------------------------------------------------------------------


def dot(a, b):
    """The dot product of two 1-d tensors: ``sum(a * b)``."""
    _check_tensors("dot", a, b, names=("input", "tensor"))
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.dtype != b.dtype:
        raise RuntimeError(
            "dot : expected both vectors to have same dtype, but found "
            f"{_dtypes.scalar_type_name(a.dtype)} and {_dtypes.scalar_type_name(b.dtype)}"
        )
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
            f"to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} "
            "elements respectively"
        )
    _check_not_bool(a, "dot")
    return Dot.apply(a, b)


def mm(a, b):
    """The product of two matrices, (n, p) @ (p, m) -> (n, m)."""
    _check_tensors("mm", a, b, names=("input", "mat2"))
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _check_mm(a.shape, b.shape, a.dtype, b.dtype)
    _check_not_bool(a, "addmm_impl_cpu_")
    return Mm.apply(a, b)


def mv(a, v):
    """A matrix times a vector, (n, p) @ (p,) -> (n,)."""
    _check_tensors("mv", a, v, names=("input", "vec"))
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
    _check_mv(a.shape, v.shape, a.dtype, v.dtype)
    _check_not_bool(a, "addmv_impl_cpu")
    return Mv.apply(a, v)


def matmul(a, b):
    """``a @ b``, choosing dot, mm, mv or a batched product by the dimensions.

    >>> matmul(ones(2, 3), ones(3)).shape
    minitensor.Size([2])
    """
    _check_tensors("matmul", a, b)
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
    _check_batched(a, b)
    _check_not_bool(a, "bmm")
    if a.ndim == 2 and a.requires_grad:
        return BatchedMatmulOfMatrix.apply(a, b)
    return BatchedMatmul.apply(a, b)


def _prod(shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n
