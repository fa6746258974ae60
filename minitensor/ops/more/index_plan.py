"""Reading an index: which pieces ``x[0, 1:3, [2, 0], None]`` is made of.

PyTorch applies an index piece by piece (see `minitensor.ops.indexing`):
ints, slices and ``None`` one after the other as views, then all the
integer arrays and bool masks together as one gather. `IndexPlan` works
this out against the tensor's shape, with PyTorch's checks and messages,
so that reading (``x[index]``) and writing (``x[index] = value``) follow
the same plan.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import is_tensor
from minitensor.ops.broadcast import broadcast_shapes


def _listed(shape) -> str:
    return "[" + ", ".join(map(str, shape)) + "]"


def _index_array(x, value):
    """An index given as a tensor, NumPy array or list, as an array on ``x``'s device."""
    if is_tensor(value):
        array, device = value._array, value.device
    else:
        array, device = np.asarray(value), backend.CPU
        if array.dtype == object or array.dtype.kind not in "biu":
            if array.dtype.kind == "U":
                raise TypeError("new(): invalid data type 'str'")
            if array.size == 0:  # [] is an empty list of positions
                array = array.astype(np.int64)
            else:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        array = backend.namespace(backend.CPU).asarray(array)
    dtype = _dtypes.from_array_dtype(array.dtype)
    if dtype is _dtypes.uint8:
        warnings.warn(
            "indexing with dtype minitensor.uint8 is now deprecated, please use a dtype "
            "minitensor.bool instead.",
            UserWarning,
            stacklevel=4,
        )
        dtype = _dtypes.bool_
        array = backend.namespace(device).astype(array, backend.namespace(device).bool)
    if dtype not in (_dtypes.int64, _dtypes.int32, _dtypes.bool_):
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    return backend.transfer(array, device, x.device), dtype


def _is_sequence_like_tuple(index) -> bool:
    """PyTorch reads ``x[[[0, 1], [1, 2]]]`` as ``x[[0, 1], [1, 2]]`` (with a warning)."""
    return isinstance(index, list) and any(
        is_tensor(i)
        or isinstance(i, (list, tuple, np.ndarray, slice))
        or i is None
        or i is Ellipsis
        for i in index
    )


def _pieces(x, index) -> list:
    """The index as a list of ``(kind, value)``: kinds are int, slice, none, ellipsis,
    bool (a Python or 0-d bool), mask (a bool array) and array (integer positions)."""
    if _is_sequence_like_tuple(index):
        warnings.warn(
            "Using a non-tuple sequence for multidimensional indexing is deprecated and will "
            "be changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. In pytorch 2.9 "
            "this will be interpreted as tensor index, x[minitensor.tensor(seq)], which will "
            "result either in an error or a different result",
            UserWarning,
            stacklevel=4,
        )
        index = tuple(index)
    pieces: list[tuple[str, Any]] = []
    for item in index if isinstance(index, tuple) else (index,):
        if item is None:
            pieces.append(("none", None))
        elif item is Ellipsis:
            pieces.append(("ellipsis", None))
        elif isinstance(item, slice):
            pieces.append(("slice", item))
        elif isinstance(item, (bool, np.bool_)):
            pieces.append(("bool", bool(item)))
        elif isinstance(item, (int, np.integer)):
            pieces.append(("int", int(item)))
        elif is_tensor(item) or isinstance(item, (np.ndarray, list)):
            array, dtype = _index_array(x, item)
            if array.ndim == 0:  # a 0-d tensor index acts as a Python number
                host = backend.to_host(array, x.device)
                pieces.append(
                    ("bool", bool(host)) if dtype is _dtypes.bool_ else ("int", int(host))
                )
            else:
                pieces.append(("mask" if dtype is _dtypes.bool_ else "array", array))
        elif isinstance(item, str):
            raise TypeError("new(): invalid data type 'str'")
        else:
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                f"are valid indices (got {type(item).__name__})"
            )
    return pieces


class IndexPlan:
    """An index worked out against a tensor's shape.

    ``steps``: the basic pieces, in order, as ``(kind, dim, value)`` on the
    tensor as it is at that step; ``indices``: the advanced pieces, as
    integer arrays per dimension of the tensor after the steps;
    ``shape``: that tensor's shape.
    """

    def __init__(self, x, index, *, reading: bool = True):
        pieces = _pieces(x, index)
        if sum(kind == "ellipsis" for kind, _ in pieces) > 1:
            raise IndexError("an index can only have a single ellipsis ('...')")
        used = sum(
            value.ndim if kind == "mask" else kind in ("int", "slice", "array")
            for kind, value in pieces
        )
        if x.ndim == 0 and len(pieces) == 1 and pieces[0][0] in ("int", "slice"):
            raise IndexError(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
                if pieces[0][0] == "int"
                else "slice() cannot be applied to a 0-dim tensor."
            )
        if used > x.ndim:
            raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
        # Reading a bare slice (x[:]) always records a Slice node; otherwise a slice
        # that keeps everything is skipped, as PyTorch does.
        self.bare_slice = reading and isinstance(index, slice)
        self.steps: list = []
        self.indices: dict = {}
        shape = list(x.shape)
        d = 0
        xp, device = backend.namespace(x.device), x._array.device
        for position, (kind, value) in enumerate(pieces):
            if kind == "int":
                if not -shape[d] <= value < shape[d]:
                    # PyTorch names the index's position in the index (x[0, 5] and
                    # x[:, 5] both say "dimension 1"), not the dimension it lands on.
                    raise IndexError(
                        f"index {value} is out of bounds for dimension {position} "
                        f"with size {shape[d]}"
                    )
                self.steps.append(("select", d, value % shape[d]))
                shape.pop(d)
            elif kind == "slice":
                start, stop, step = _slice_bounds(value, shape[d])
                if self.bare_slice or (start, stop, step) != (0, shape[d], 1):
                    self.steps.append(("slice", d, (start, stop, step)))
                    shape[d] = len(range(start, stop, step))
                d += 1
            elif kind in ("none", "bool"):
                self.steps.append(("unsqueeze", d, None))
                shape.insert(d, 1)
                if kind == "bool":  # x[True] is x[None][[0]], x[False] is x[None][[]]
                    positions = [0] if value else []
                    self.indices[d] = xp.asarray(positions, dtype=xp.int64, device=device)
                d += 1
            elif kind == "ellipsis":
                d += x.ndim - used
            elif kind == "mask":
                _check_mask(value, shape, d)
                for offset, positions in enumerate(xp.nonzero(value)):
                    self.indices[d + offset] = positions
                d += value.ndim
            else:  # "array"
                self.indices[d] = value
                d += 1
        self.shape = tuple(shape)
        if self.indices:
            self.indices = _checked_indices(xp, self.indices, self.shape, x.device)


def _slice_bounds(s: slice, size: int) -> tuple[int, int, int]:
    """``start, stop, step`` of a slice on a dimension of ``size`` (PyTorch refuses step < 1)."""
    for bound in (s.start, s.stop, s.step):
        if bound is not None and not isinstance(bound, (int, np.integer)):
            try:
                bound.__index__()
            except (AttributeError, TypeError):
                raise TypeError(
                    "slice indices must be integers or None or have an __index__ method"
                ) from None
    if s.step is not None and s.step == 0:
        raise ValueError("slice step cannot be zero")
    if s.step is not None and s.step < 0:
        raise ValueError("step must be greater than zero")
    start, stop, step = s.indices(size)
    return start, max(stop, start), step


def _check_mask(mask, shape, d) -> None:
    for offset, size in enumerate(mask.shape):
        if size != shape[d + offset]:
            raise IndexError(
                f"The shape of the mask {_listed(mask.shape)} at index {offset} does not match "
                f"the shape of the indexed tensor {_listed(shape)} at index {d + offset}"
            )


def _checked_indices(xp, indices: dict, shape, device) -> dict:
    """Check bounds, make negative positions count from the end, broadcast together."""
    checked = {}
    for k, d in enumerate(sorted(indices)):
        positions, size = xp.astype(indices[d], xp.int64), shape[d]
        bad = (positions >= size) | (positions < -size)
        if positions.size and bool(xp.any(bad)):
            first = int(backend.to_host(positions[bad], device)[0])
            # PyTorch counts the dimension among the indexed ones.
            raise IndexError(f"index {first} is out of bounds for dimension {k} with size {size}")
        checked[d] = xp.where(positions < 0, positions + size, positions)
    try:
        common = broadcast_shapes(*(a.shape for a in checked.values()))
    except RuntimeError:
        raise IndexError(
            "shape mismatch: indexing tensors could not be broadcast together with shapes "
            + ", ".join(_listed(a.shape) for a in checked.values())
        ) from None
    return {d: xp.broadcast_to(a, common) for d, a in checked.items()}
