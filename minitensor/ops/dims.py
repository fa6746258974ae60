"""The arguments of shape operations: dimensions and sizes, checked as PyTorch checks them.

``normalize_dim(-1, 3)`` is 2 (negative dimensions count from the end),
``normalize_dims(None, 3)`` is every dimension, ``infer_shape((-1, 2), 6)``
is (3, 2); anything out of range is PyTorch's error, with its message.
Used by `minitensor.ops.shape` and most other operations that take a ``dim``.
"""

from __future__ import annotations

import builtins
import operator


def _listed(shape) -> str:
    return "[" + ", ".join(map(str, shape)) + "]"


def normalize_dim(dim: int, ndim: int) -> int:
    """A dimension index in ``[0, ndim)``; negative ones count from the end.

    A 0-d tensor accepts 0 and -1, as in PyTorch.
    """
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    low, high = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not low <= dim <= high:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
        )
    return dim % builtins.max(ndim, 1)


def normalize_dims(dim, ndim: int) -> tuple[int, ...]:
    """``None`` means every dimension; an int or a tuple of ints, normalised and sorted."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    normalised = tuple(sorted(normalize_dim(d, ndim) for d in dims))
    if len(set(normalised)) != len(normalised):
        raise RuntimeError(f"dim {normalised[0]} appears multiple times in the list of dims")
    if ndim == 0:
        return ()
    return normalised


def _shape_args(args) -> tuple:
    """``reshape(2, 3)`` and ``reshape((2, 3))`` both mean (2, 3)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)


def _int_sizes(function: str, argument: str, sizes) -> tuple[int, ...]:
    """Sizes as Python ints; anything that is not an integer is PyTorch's TypeError."""
    out = []
    for position, s in enumerate(sizes):
        try:
            out.append(operator.index(s))  # ints, NumPy ints, one-element integer tensors
        except TypeError:
            raise TypeError(
                f"{function}(): argument '{argument}' (position 1) must be tuple of ints, but "
                f"found element of type {type(s).__name__} at pos {position}"
            ) from None
    return tuple(out)


def infer_shape(shape, numel: int) -> tuple[int, ...]:
    """Resolve one ``-1`` in a requested shape, checking the element count."""
    shape = _int_sizes("view", "size", shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for position, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(
                f"invalid shape dimension {s} at index {position} of shape {_listed(shape)}"
            )
        if s != -1:
            known *= s
    if -1 in shape:
        if numel == 0 and known == 0:
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape {_listed(shape)} because the "
                "unspecified dimension size -1 can be any value and is ambiguous"
            )
        if known == 0 or numel % known != 0:
            raise RuntimeError(f"shape '{_listed(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{_listed(shape)}' is invalid for input of size {numel}")
    return shape
