"""Shape operations: ``reshape``, ``view``, ``transpose``, ``unsqueeze``, ``expand``, ...

They move no numbers around, only change how the same elements are indexed,
so their backward undoes the shape change on the gradient: the gradient of
``x.reshape(4, 1)`` is reshaped back to ``x``'s shape, the gradient of
``x.transpose(0, 1)`` is transposed back. Those that return a *view* (the
same memory, as PyTorch's do) are marked ``is_view``.
"""

from __future__ import annotations

import builtins

from minitensor import backend
from minitensor.autograd.function import Function


def _xp(t):
    return backend.namespace(t.device)


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


def infer_shape(shape, numel: int) -> tuple[int, ...]:
    """Resolve one ``-1`` in a requested shape, checking the element count."""
    shape = tuple(builtins.int(s) for s in shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            if s < 0:
                raise RuntimeError(f"invalid shape dimension {s}")
            known *= s
    if -1 in shape:
        if known == 0 or numel % known != 0:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


class View(Function):
    """out = the same elements in a new shape, sharing memory"""

    node_name = "ViewBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x.shape
        return _xp(x).reshape(x._array, shape, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.reshape(ctx.input_shape), None


class Reshape(Function):
    """out = the same elements in a new shape (a copy: the memory layout forbade a view)"""

    node_name = "ViewBackward0"  # PyTorch's reshape is a copy then a view

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x.shape
        return _xp(x).reshape(backend.contiguous_copy(x._array, x.device), shape)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.reshape(ctx.input_shape), None


def _can_view(x, shape) -> bool:
    """Can these elements be seen in ``shape`` without copying? (Strides decide.)"""
    try:
        _xp(x).reshape(x._array, shape, copy=False)
    except (ValueError, AttributeError):
        return False
    return True


def view(x, *shape):
    """The same memory seen with a new shape; fails where a copy would be needed."""
    shape = infer_shape(_shape_args(shape), x.numel())
    if not _can_view(x, shape):
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        )
    return View.apply(x, shape)


def reshape(x, *shape):
    """A view when the memory layout allows it, otherwise a copy (as in PyTorch)."""
    shape = infer_shape(_shape_args(shape), x.numel())
    if tuple(shape) == tuple(x.shape):
        return View.apply(x, shape)
    return View.apply(x, shape) if _can_view(x, shape) else Reshape.apply(x, shape)


class Transpose(Function):
    """out = x with two dimensions swapped (a view)"""

    node_name = "TransposeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dim0, dim1):
        ctx.dims = (dim0, dim1)
        order = list(range(x.ndim))
        order[dim0], order[dim1] = order[dim1], order[dim0]
        return _xp(x).permute_dims(x._array, tuple(order))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.transpose(*ctx.dims), None, None  # swapping back undoes it


def transpose(x, dim0, dim1):
    dim0, dim1 = normalize_dim(dim0, x.ndim), normalize_dim(dim1, x.ndim)
    if x.ndim < 2:
        return View.apply(x, tuple(x.shape))
    return Transpose.apply(x, dim0, dim1)


class Permute(Function):
    """out = x with its dimensions reordered (a view)"""

    node_name = "PermuteBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return _xp(x).permute_dims(x._array, dims)

    @staticmethod
    def backward(ctx, grad_output):
        inverse = [0] * len(ctx.dims)
        for position, d in enumerate(ctx.dims):
            inverse[d] = position
        return grad_output.permute(*inverse), None


def permute(x, *dims):
    dims = tuple(normalize_dim(d, x.ndim) for d in _shape_args(dims))
    if len(dims) != x.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {x.ndim} is not "
            f"equal to len(dims) = {len(dims)}"
        )
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(x, dims)


class MatrixTranspose(Function):
    """out = the transpose of a matrix (``t()``)"""

    node_name = "TBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x):
        return _xp(x).permute_dims(x._array, tuple(reversed(range(x.ndim))))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.t()


def t(x):
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return MatrixTranspose.apply(x)


def reverse_dims(x):
    """``x.T``: all dimensions reversed (PyTorch records it as a permute)."""
    if x.ndim < 2:
        return x
    return Permute.apply(x, tuple(reversed(range(x.ndim))))


class Unsqueeze(Function):
    """out = x with a new dimension of size 1 (a view)"""

    node_name = "UnsqueezeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return _xp(x).expand_dims(x._array, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.squeeze(ctx.dim), None


def unsqueeze(x, dim):
    return Unsqueeze.apply(x, normalize_dim(dim, x.ndim + 1))


class Squeeze(Function):
    """out = x without some size-1 dimensions (a view)"""

    node_name = "SqueezeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.input_shape = x.shape
        return _xp(x).reshape(x._array, tuple(s for i, s in enumerate(x.shape) if i not in dims))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.reshape(ctx.input_shape), None


class SqueezeDim(Squeeze):
    node_name = "SqueezeBackward1"


def squeeze(x, dim=None):
    """Remove size-1 dimensions: all of them, or only ``dim`` if it has size 1."""
    if dim is None:
        return Squeeze.apply(x, tuple(i for i, s in enumerate(x.shape) if s == 1))
    dims = tuple(normalize_dim(d, x.ndim) for d in ((dim,) if isinstance(dim, int) else dim))
    return SqueezeDim.apply(x, tuple(d for d in dims if x.ndim and x.shape[d] == 1))


class Expand(Function):
    """out = x repeated along size-1 dimensions without copying (a view)"""

    node_name = "ExpandBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x.shape
        return _xp(x).broadcast_to(x._array, shape)

    @staticmethod
    def backward(ctx, grad_output):
        from minitensor.ops.broadcast import sum_to

        return sum_to(grad_output, ctx.input_shape), None  # each copy sends its gradient home


def expand(x, *sizes):
    sizes = _shape_args(sizes)
    if len(sizes) < x.ndim:
        raise RuntimeError(
            f"expand(minitensor.{x.dtype._tensor_type}{{[{', '.join(map(str, x.shape))}]}}, "
            f"size=[{', '.join(map(str, sizes))}]): the number of sizes provided "
            f"({len(sizes)}) must be greater or equal to the number of dimensions in the "
            f"tensor ({x.ndim})"
        )
    offset = len(sizes) - x.ndim
    shape = []
    for i, s in enumerate(sizes):
        own = x.shape[i - offset] if i >= offset else 1
        if s == -1:
            if i < offset:
                raise RuntimeError(
                    f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                    f"non-existing dimension {i}"
                )
            s = own
        elif own != 1 and own != s:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({own}) "
                f"at non-singleton dimension {i}.  Target sizes: [{', '.join(map(str, sizes))}]."
                f"  Tensor sizes: [{', '.join(map(str, x.shape))}]"
            )
        shape.append(s)
    return Expand.apply(x, tuple(shape))


def flatten(x, start_dim=0, end_dim=-1):
    """Merge dimensions ``start_dim`` .. ``end_dim`` into one (a reshape)."""
    if x.ndim == 0:
        return reshape(x, 1)
    start, end = normalize_dim(start_dim, x.ndim), normalize_dim(end_dim, x.ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return x
    merged = 1
    for s in x.shape[start : end + 1]:
        merged *= s
    return reshape(x, *x.shape[:start], merged, *x.shape[end + 1 :])


def _being_written(name):
    def placeholder(*args, **kwargs):
        raise NotImplementedError(f"minitensor.{name} is being written")

    placeholder.__name__ = name
    return placeholder


cat = _being_written("cat")
stack = _being_written("stack")
repeat = _being_written("repeat")
split = _being_written("split")
chunk = _being_written("chunk")
