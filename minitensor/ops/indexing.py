"""Indexing: ``x[0]``, ``x[1:3, None]``, ``x[mask]``, ``x[[0, 0, 2]]`` and ``x[i] = v``.

An index is applied as PyTorch applies it, one piece at a time:

* *basic* pieces give views of ``x`` (same memory): an int selects one
  position and removes the dimension (``SelectBackward0``), a slice keeps
  some positions (``SliceBackward0``), ``None`` adds a dimension of size 1
  (``UnsqueezeBackward0``), ``...`` stands for as many ``:`` as needed;
* *advanced* pieces (integer lists or tensors, bool masks) then gather
  elements into a new tensor, a copy (``IndexBackward0``).

So ``x[0, 1:3]`` is a chain of two nodes, Select then Slice, as in PyTorch.

Reading elements is differentiable: the gradient of ``x[index]`` is a
tensor of zeros shaped like ``x`` with the incoming gradient added at the
places that were read. Added, not written: an index that appears twice
(``x[[0, 0]]``) read the element twice, so it receives both gradients.

How an index is taken apart into those pieces is in `minitensor.ops.more.index_plan`;
writing, ``x[index] = value``, in `minitensor.ops.more.index_put`.
"""

from __future__ import annotations

from minitensor import backend
from minitensor.autograd.function import Function
from minitensor.ops import shape as _shape
from minitensor.ops.more.index_plan import IndexPlan
from minitensor.ops.operands import xp_of


def _key(dim: int, item) -> tuple:
    """An index that applies ``item`` to dimension ``dim`` only: ``(:, :, item, ...)``."""
    return (slice(None),) * dim + (item, Ellipsis)


# --------------------------------------------------------------------------
# The basic pieces: views
# --------------------------------------------------------------------------


class Select(Function):
    """out = x[:, ..., i] along ``dim``: one position, the dimension removed (a view)"""

    node_name = "SelectBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dim, i):
        ctx.input_shape, ctx.key = x.shape, _key(dim, i)
        return x._array[ctx.key]

    @staticmethod
    def backward(ctx, grad_output):
        return SelectBackward.apply(grad_output, ctx.input_shape, ctx.key), None, None


class Slice(Function):
    """out = x[:, ..., start:stop:step] along ``dim`` (a view)"""

    node_name = "SliceBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dim, start, stop, step):
        ctx.input_shape, ctx.key = x.shape, _key(dim, slice(start, stop, step))
        return x._array[ctx.key]

    @staticmethod
    def backward(ctx, grad_output):
        return SliceBackward.apply(grad_output, ctx.input_shape, ctx.key), None, None, None, None


class SplitPiece(Slice):
    """one piece of ``split(size)`` or ``chunk``: a slice"""

    node_name = "SplitBackward0"


class SplitWithSizesPiece(Slice):
    """one piece of ``split([sizes])``: a slice"""

    node_name = "SplitWithSizesBackward0"


class Alias(Function):
    """out = x, as a new tensor object on the same memory (``x[...]``, ``x[:, :]``)"""

    node_name = "AliasBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x):
        return x._array[...]

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


class SliceBackward(Function):
    """out = zeros of ``shape`` with ``grad`` written at ``key`` (the backward of a slice)"""

    node_name = "SliceBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, shape, key):
        ctx.key = key
        out = xp_of(grad).zeros(shape, dtype=grad._array.dtype, device=grad._array.device)
        out[key] = grad._array
        return out

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output[ctx.key], None, None  # read back the place it was written to


class SelectBackward(SliceBackward):
    node_name = "SelectBackwardBackward0"


# --------------------------------------------------------------------------
# The advanced piece: gathering with integer arrays
# --------------------------------------------------------------------------


class Index(Function):
    """out = y[i0, i1, ...] for integer arrays on some dimensions of y (a copy)

    ``indices`` maps a dimension to its (non-negative, broadcast) index array.
    """

    node_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, y, indices):
        ctx.input_shape, ctx.indices = y.shape, indices
        return _gather(xp_of(y), y._array, indices)

    @staticmethod
    def backward(ctx, grad_output):
        return IndexPutImpl.apply(grad_output, ctx.input_shape, ctx.indices), None


class IndexPutImpl(Function):
    """out = zeros of ``shape`` with ``grad`` added at ``indices`` (the backward of Index)"""

    node_name = "IndexPutImplBackward0"

    @staticmethod
    def forward(ctx, grad, shape, indices):
        ctx.indices = indices
        out = xp_of(grad).zeros(shape, dtype=grad._array.dtype, device=grad._array.device)
        backend.backend_for(grad.device).index_add(out, _full_index(shape, indices), grad._array)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        return Index.apply(grad_output, ctx.indices), None, None


def _full_index(shape, indices) -> tuple:
    """The NumPy-style index: the arrays on their dimensions, ``:`` elsewhere."""
    return tuple(indices.get(d, slice(None)) for d in range(len(shape)))


def _address(indices: dict, shape) -> object:
    """One number per combination of indices: its row-major position among the
    indexed dimensions (``i0 * size1 + i1`` for two of them)."""
    dims = sorted(indices)
    address = indices[dims[0]]
    for d in dims[1:]:
        address = address * shape[d] + indices[d]
    return address


def _placement(shape, indices: dict) -> tuple[tuple, int]:
    """The shape of ``array[full index]`` and where its indexed part starts.

    NumPy's rule, which PyTorch follows: the indexed part (the broadcast shape
    of the index arrays) replaces the indexed dimensions in place if they are
    adjacent, else it goes in front.
    """
    dims = sorted(indices)
    common = tuple(indices[dims[0]].shape)
    adjacent = dims == list(range(dims[0], dims[0] + len(dims)))
    place = dims[0] if adjacent else 0
    rest = [shape[d] for d in range(len(shape)) if d not in indices]
    return tuple(rest[:place]) + common + tuple(rest[place:]), place


def _gather(xp, array, indices):
    """``array[full index]`` with NumPy's rules, from array-API calls only.

    The indexed dimensions are moved to the front and flattened into one, so
    each combination of indices is one row number (`_address`) and ``take``
    picks those rows; then the indexed part is moved to where `_placement` says.
    """
    dims = sorted(indices)
    rest = [d for d in range(array.ndim) if d not in indices]
    rest_shape = tuple(array.shape[d] for d in rest)
    moved = xp.permute_dims(array, tuple(dims + rest))
    rows = 1
    for d in dims:
        rows *= array.shape[d]
    flat = xp.reshape(moved, (rows,) + rest_shape)
    address = _address(indices, array.shape)
    picked = xp.take(flat, xp.reshape(address, (-1,)), axis=0)
    out = xp.reshape(picked, tuple(address.shape) + rest_shape)
    _, place = _placement(array.shape, indices)
    if place > 0:  # move the indexed part from the front to its place
        n = address.ndim
        order = [*range(n, n + place), *range(n), *range(n + place, out.ndim)]
        out = xp.permute_dims(out, tuple(order))
    return out


# --------------------------------------------------------------------------
# x[index]
# --------------------------------------------------------------------------


def getitem(x, index):
    """``x[index]``: views for the basic pieces, then a gather for the advanced ones.

    >>> x = minitensor.arange(6.0).reshape(2, 3)
    >>> x[1, 1:], x[:, [2, 2]].shape
    (tensor([4., 5.]), minitensor.Size([2, 2]))
    """
    return _apply(x, IndexPlan(x, index))


def _apply(x, plan):
    """Carry out an `IndexPlan` on ``x``, one recorded operation per piece."""
    y = x
    for kind, dim, value in plan.steps:
        if kind == "unsqueeze":
            y = _shape.Unsqueeze.apply(y, dim)
        elif kind == "select":
            y = Select.apply(y, dim, value)
        else:
            y = Slice.apply(y, dim, *value)
    if plan.indices:
        return Index.apply(y, plan.indices)
    return Alias.apply(x) if y is x else y
