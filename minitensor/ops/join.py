"""Joining and splitting tensors, and tiling them: ``cat``, ``stack``, ``split``,
``chunk``, ``repeat``.

``cat`` and ``stack`` copy their inputs side by side, so each input's
gradient is its own stretch of the output's gradient. ``split`` and
``chunk`` return views (slices) of their input, whose gradients land in
their own stretch of the input's gradient. ``repeat`` copies an element
several times, so the element's gradient is the sum over its copies.
"""

from __future__ import annotations

import builtins
import functools
import operator

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function, is_tensor
from minitensor.ops.indexing import SplitPiece, SplitWithSizesPiece
from minitensor.ops.operands import xp_of
from minitensor.ops.shape import _int_sizes, _listed, _shape_args, normalize_dim


class Repeat(Function):
    """out = x tiled ``repeats[i]`` times along each dimension i (a copy)"""

    node_name = "RepeatBackward0"

    @staticmethod
    def forward(ctx, x, repeats):
        ctx.input_shape, ctx.repeats = x.shape, repeats
        return xp_of(x).tile(x._array, repeats)

    @staticmethod
    def backward(ctx, grad_output):
        # Every copy of an element sends its gradient back to it: view the gradient
        # as (r0, s0, r1, s1, ...) and sum over the copies r0, r1, ...
        sizes = (1,) * (len(ctx.repeats) - len(ctx.input_shape)) + tuple(ctx.input_shape)
        split = [n for r, s in zip(ctx.repeats, sizes) for n in (r, s)]
        copies = tuple(range(0, len(split), 2))
        return grad_output.reshape(split).sum(dim=copies).reshape(ctx.input_shape), None


def repeat(x, *repeats):
    if not repeats:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    repeats = _int_sizes("repeat", "repeats", _shape_args(repeats))
    if len(repeats) < x.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions "
            "of tensor"
        )
    sizes = (1,) * (len(repeats) - x.ndim) + tuple(x.shape)
    out_shape = [r * s for r, s in zip(repeats, sizes)]
    if builtins.any(n < 0 for n in out_shape):
        bad = builtins.min(out_shape)
        raise RuntimeError(
            f"Trying to create tensor with negative dimension {bad}: {_listed(out_shape)}"
        )
    return Repeat.apply(x, repeats)


# --------------------------------------------------------------------------
# Joining: cat, stack. Splitting: split, chunk
# --------------------------------------------------------------------------


def _check_tensor_list(function: str, tensors) -> list:
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{function}(): argument 'tensors' (position 1) must be tuple of Tensors, "
            f"not {type(tensors).__name__}"
        )
    for i, t in enumerate(tensors):
        if not is_tensor(t):
            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}"
            )
    return list(tensors)


def _common_dtype_arrays(tensors):
    """The tensors' arrays in their common dtype (PyTorch promotes across the list)."""
    dtype = functools.reduce(_dtypes.promote_types, (t.dtype for t in tensors))
    xp = xp_of(tensors[0])
    return [xp.astype(t._array, backend.native_dtype(xp, dtype), copy=False) for t in tensors]


class Cat(Function):
    """out = the tensors joined end to end along ``dim``"""

    node_name = "CatBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim = dim
        ctx.shapes = [t.shape for t in tensors]
        arrays = _common_dtype_arrays(tensors)
        # PyTorch skips 1-d empty tensors whatever the other shapes (a legacy rule).
        kept = [a for t, a in zip(tensors, arrays) if t.shape != (0,)] or arrays[:1]
        return xp_of(tensors[0]).concat(kept, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        # Each input gets back its own stretch of the gradient.
        grads, start = [], 0
        for shape in ctx.shapes:
            if shape == (0,):  # a skipped empty tensor gets an empty gradient
                grads.append(grad_output.reshape(-1)[:0])
                continue
            index = (slice(None),) * ctx.dim + (slice(start, start + shape[ctx.dim]),)
            grads.append(grad_output[index])
            start += shape[ctx.dim]
        return (None, *grads)


def cat(tensors, dim=0):
    """Join tensors along an existing dimension ``dim``; all other sizes must agree.

    >>> cat([zeros(2, 3), ones(1, 3)]).shape
    minitensor.Size([3, 3])
    """
    tensors = _check_tensor_list("cat", tensors)
    if not tensors:
        raise ValueError("minitensor.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    shaped = [(i, t) for i, t in enumerate(tensors) if t.shape != (0,)]
    first = shaped[0][1] if shaped else tensors[0]
    dim = normalize_dim(dim, first.ndim)
    for i, t in shaped:
        if t.ndim != first.ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {first.ndim} and {t.ndim}"
            )
        for d in range(t.ndim):
            if d != dim and t.shape[d] != first.shape[d]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {dim}. Expected size "
                    f"{first.shape[d]} but got size {t.shape[d]} for tensor number {i} in the "
                    "list."
                )
    return Cat.apply(dim, *tensors)


class Stack(Function):
    """out = the tensors (all of one shape) stacked along a new dimension ``dim``"""

    node_name = "StackBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim, ctx.count = dim, len(tensors)
        return xp_of(tensors[0]).stack(_common_dtype_arrays(tensors), axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        # Tensor i sits at position i of the new dimension.
        at = (slice(None),) * ctx.dim
        return (None, *(grad_output[at + (i,)] for i in range(ctx.count)))


def stack(tensors, dim=0):
    """Stack tensors of one shape along a new dimension ``dim``.

    >>> stack([zeros(2, 3), ones(2, 3)]).shape
    minitensor.Size([2, 2, 3])
    """
    tensors = _check_tensor_list("stack", tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    dim = normalize_dim(dim, tensors[0].ndim + 1)
    for i, t in enumerate(tensors[1:], start=1):
        if t.shape != tensors[0].shape:
            raise RuntimeError(
                "stack expects each tensor to be equal size, but got "
                f"{_listed(tensors[0].shape)} at entry 0 and {_listed(t.shape)} at entry {i}"
            )
    return Stack.apply(dim, *tensors)


def split(x, split_size_or_sections, dim=0):
    """Cut ``x`` along ``dim`` into pieces of ``split_size`` (the last may be shorter),
    or of the sizes listed. The pieces are views of ``x``.

    PyTorch records one node with several outputs; here each piece has its own
    node of the same name (the gradients are the same).
    """
    if x.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    dim = normalize_dim(dim, x.ndim)
    length = x.shape[dim]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = _int_sizes("split", "split_size", split_size_or_sections)
        if builtins.any(s < 0 for s in sizes):
            raise RuntimeError(
                "split_with_sizes expects split_sizes have only non-negative entries, but got "
                f"split_sizes={_listed(sizes)}"
            )
        if builtins.sum(sizes) != length:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {length} (input "
                f"tensor's size at dimension {dim}), but got split_sizes={_listed(sizes)}"
            )
        return _pieces(x, dim, sizes, SplitWithSizesPiece)
    size = operator.index(split_size_or_sections)
    if size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
    if size == 0 and length != 0:
        raise RuntimeError(
            f"split_size can only be 0 if dimension size is 0, but got dimension size of {length}"
        )
    sizes = _sizes(length, size) if size else (0,)  # an empty dimension still gives a piece
    return _pieces(x, dim, sizes, SplitPiece)


def _pieces(x, dim, sizes, function) -> tuple:
    pieces, start = [], 0
    for size in sizes:
        pieces.append(function.apply(x, dim, start, start + size, 1))
        start += size
    return tuple(pieces)


def chunk(x, chunks, dim=0):
    """Cut ``x`` along ``dim`` into ``chunks`` pieces of equal size (the last may be
    shorter, and there may be fewer) as views: ``split(x, ceil(size / chunks), dim)``."""
    if x.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    chunks = operator.index(chunks)
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    dim = normalize_dim(dim, x.ndim)
    length = x.shape[dim]
    if length == 0:  # PyTorch gives `chunks` empty pieces
        return _pieces(x, dim, (0,) * chunks, SplitWithSizesPiece)
    return _pieces(x, dim, _sizes(length, -(-length // chunks)), SplitPiece)


def _sizes(length: int, size: int) -> tuple[int, ...]:
    """Pieces of ``size`` covering ``length``, the last one shorter if need be."""
    count = -(-length // size)  # ceil(length / size)
    return tuple(builtins.min(size, length - i * size) for i in range(count))
