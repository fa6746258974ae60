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
  dimension is squeezed away;
* more dimensions: a batch of matrix products, broadcasting the leading
  (batch) dimensions (``BmmBackward0``; PyTorch wraps it in view nodes).
"""

from __future__ import annotations

from minitensor import backend
from minitensor.autograd.function import Function
from minitensor.ops.broadcast import broadcast_shapes, sum_to

# The C++ type names PyTorch's matmul messages use.
_CPP_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
              "int64": "long int", "int32": "int", "int16": "short int",
              "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}  # fmt: skip


def _check_same_dtype(a, b) -> None:
    if a.dtype != b.dtype:
        raise RuntimeError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{_CPP_NAMES[a.dtype.name]} != {_CPP_NAMES[b.dtype.name]}"
        )


def _xp(t):
    return backend.namespace(t.device)


class Dot(Function):
    """out = sum_i a[i] * b[i]"""

    node_name = "DotBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _xp(a).vecdot(a._array, b._array)

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
        return _xp(a).matmul(a._array, b._array)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        grad_a = mm(grad_output, b.T) if ctx.needs_input_grad[0] else None
        grad_b = mm(a.T, grad_output) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class Mv(Function):
    """out = a @ v for a matrix a (n, p) and a vector v (p,)"""

    node_name = "MvBackward0"

    @staticmethod
    def forward(ctx, a, v):
        ctx.save_for_backward(a, v)
        return _xp(a).matmul(a._array, v._array)

    @staticmethod
    def backward(ctx, grad_output):
        a, v = ctx.saved_tensors
        # dL/da[i, j] = dL/dout[i] * v[j] (an outer product); dL/dv = a.T @ dL/dout
        grad_a = grad_output.unsqueeze(1) * v if ctx.needs_input_grad[0] else None
        grad_v = mv(a.T, grad_output) if ctx.needs_input_grad[1] else None
        return grad_a, grad_v


class BatchedMatmul(Function):
    """out[..., :, :] = a[..., :, :] @ b[..., :, :], batch dimensions broadcast"""

    node_name = "BmmBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _xp(a).matmul(a._array, b._array)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        # The matrix rule for every batch entry, then summed over broadcast batch dims.
        grad_a = sum_to(matmul(grad_output, b.mT), a.shape) if ctx.needs_input_grad[0] else None
        grad_b = sum_to(matmul(a.mT, grad_output), b.shape) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


def dot(a, b):
    """The dot product of two 1-d tensors."""
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.dtype != b.dtype:
        raise RuntimeError(
            "dot : expected both vectors to have same dtype, but found "
            f"{a.dtype._tensor_type.removesuffix('Tensor')} and "
            f"{b.dtype._tensor_type.removesuffix('Tensor')}"
        )
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
            f"to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} "
            "elements respectively"
        )
    return Dot.apply(a, b)


def mm(a, b):
    """The product of two matrices."""
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _check_same_dtype(a, b)
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied "
            f"({a.shape[0]}x{a.shape[1]} and {b.shape[0]}x{b.shape[1]})"
        )
    return Mm.apply(a, b)


def mv(a, v):
    """A matrix times a vector."""
    _check_same_dtype(a, v)
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
            f"vec ({v.shape[0]})"
        )
    return Mv.apply(a, v)


def matmul(a, b):
    """``a @ b``, choosing dot, mm, mv or a batched product by the dimensions."""
    from minitensor.tensor import Tensor

    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        other = b if isinstance(a, Tensor) else a
        raise TypeError(
            f"matmul(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}"
        )
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
        return mm(a.unsqueeze(0), b).squeeze(0)
    # Batched: a vector on either side becomes a matrix first, and goes again after.
    _check_same_dtype(a, b)
    if a.ndim == 1:
        return matmul(a.unsqueeze(0), b).squeeze(-2)
    if b.ndim == 1:
        return matmul(a, b.unsqueeze(-1)).squeeze(-1)
    if a.shape[-1] != b.shape[-2]:
        batch = broadcast_shapes(a.shape[:-2], b.shape[:-2])
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{_prod(batch)}, {a.shape[-1]}] but got: [{_prod(batch)}, {b.shape[-2]}]."
        )
    broadcast_shapes(a.shape[:-2], b.shape[:-2])
    return BatchedMatmul.apply(a, b)


def _prod(shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n
