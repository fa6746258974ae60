"""The checks of the matrix products, each with PyTorch's message.

A product of the wrong shapes or dtypes fails before any computing, with
the words PyTorch uses. PyTorch words them after the way it computes each
case (a batch @ a matrix is folded into one tall matrix, so its error is
``mm``'s), and so do these.
"""

from __future__ import annotations

import math

from minitensor import dtypes as _dtypes
from minitensor.autograd.function import is_tensor
from minitensor.ops.broadcast import broadcast_shapes


def check_tensors(function: str, a, b, names=("input", "other")) -> None:
    """PyTorch's TypeError when an operand is not a Tensor (a number, a list)."""
    for position, (name, x) in enumerate(zip(names, (a, b)), start=1):
        if not is_tensor(x):
            raise TypeError(
                f"{function}(): argument '{name}' (position {position}) must be Tensor, "
                f"not {type(x).__name__}"
            )


def check_not_bool(a, kernel: str) -> None:
    """PyTorch multiplies no bool matrices: its error names the ``kernel`` that refused."""
    if a.dtype == _dtypes.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def check_dot(a_shape, b_shape, a_dtype, b_dtype) -> None:
    """What ``dot`` checks of two vectors: dtypes first, then lengths."""
    if a_dtype != b_dtype:
        raise RuntimeError(
            "dot : expected both vectors to have same dtype, but found "
            f"{_dtypes.scalar_type_name(a_dtype)} and {_dtypes.scalar_type_name(b_dtype)}"
        )
    if a_shape[0] != b_shape[0]:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{a_shape[0]}] and src [{b_shape[0]}] "
            f"to have the same number of elements, but got {a_shape[0]} and {b_shape[0]} "
            "elements respectively"
        )


def check_mm(a_shape, b_shape, a_dtype, b_dtype) -> None:
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


def check_mv(a_shape, v_shape, a_dtype, v_dtype) -> None:
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
    return (math.prod(shape[:-1]), shape[-1])


def check_batched(a, b) -> None:
    """The checks (and messages) of the way PyTorch computes each batched form."""
    if b.ndim <= 2:  # a batch @ a matrix or vector: PyTorch folds a into one tall matrix
        check = check_mm if b.ndim == 2 else check_mv
        check(_folded(a.shape), b.shape, a.dtype, b.dtype)
        return
    if a.ndim <= 2 and a.requires_grad:
        # A matrix or vector @ a batch: PyTorch computes (b.mT @ a.mT).mT when a needs
        # a gradient (a plain batched product otherwise).
        b_t_shape = (*b.shape[:-2], b.shape[-1], b.shape[-2])
        if a.ndim == 2:
            check_mm(_folded(b_t_shape), (a.shape[1], a.shape[0]), b.dtype, a.dtype)
        else:
            check_mv(_folded(b_t_shape), a.shape, b.dtype, a.dtype)
        return
    batch = broadcast_shapes(a.shape[:-2], b.shape[:-2])  # () for a vector or a matrix
    if a.shape[-1] != b.shape[-2]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{math.prod(batch)}, {a.shape[-1]}] but got: [{math.prod(batch)}, {b.shape[-2]}]."
        )
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"expected scalar type {_dtypes.scalar_type_name(a.dtype)} but found "
            f"{_dtypes.scalar_type_name(b.dtype)}"
        )
