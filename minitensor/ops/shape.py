"""Shape operations: ``reshape``, ``view``, ``transpose``, ``unsqueeze``, ``expand``, ...

Most of them move no numbers around, only change how the same elements are
indexed, so their backward undoes the shape change on the gradient: the
gradient of ``x.reshape(4, 1)`` is reshaped back to ``x``'s shape, the
gradient of ``x.transpose(0, 1)`` is transposed back. Those that return a
*view* (the same memory, as PyTorch's do) are marked ``is_view``: a write
through the view shows in the original, and both share one version counter.

Joining and splitting (``cat``, ``stack``, ``split``, ``chunk``) and
``repeat`` are written in `minitensor.ops.join`.
"""

from __future__ import annotations

import warnings

from minitensor.autograd.function import Function
from minitensor.ops import convert
from minitensor.ops.broadcast import sum_to
from minitensor.ops.dims import (  # noqa: F401 (used across ops/ as shape.<name>)
    _int_sizes,
    _listed,
    _shape_args,
    infer_shape,
    normalize_dim,
    normalize_dims,
)
from minitensor.ops.operands import xp_of

# --------------------------------------------------------------------------
# view, reshape, flatten
# --------------------------------------------------------------------------


class View(Function):
    """out = the same elements in a new shape, sharing memory"""

    node_name = "ViewBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x.shape
        return xp_of(x).reshape(x._array, shape, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.reshape(ctx.input_shape), None


class ReshapeAlias(View):
    """out = a view in a new shape of a tensor whose elements are not in row-major order"""

    node_name = "ReshapeAliasBackward0"


class UnsafeView(View):
    """out = a fresh copy seen in a new shape (what ``reshape`` does when a view is impossible)"""

    node_name = "UnsafeViewBackward0"
    is_view = False  # it views a copy nobody else holds, so it is not a view of the input

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x.shape
        return xp_of(x).reshape(x._array, shape)


def _can_view(x, shape) -> bool:
    """Can these elements be seen in ``shape`` without copying? (Strides decide.)"""
    try:
        xp_of(x).reshape(x._array, shape, copy=False)
    except (ValueError, AttributeError):  # NumPy/CuPy say ValueError, array_api_strict the other
        return False
    return True


def view(x, *shape):
    """The same memory seen with a new shape; fails where a copy would be needed."""
    if not shape:
        raise TypeError('view() missing 1 required positional arguments: "size"')
    shape = infer_shape(_shape_args(shape), x.numel())
    if not _can_view(x, shape):
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        )
    return View.apply(x, shape)


def reshape(x, *shape):
    """A view when the memory layout allows it, otherwise a copy (as in PyTorch).

    The copy shows in the graph as PyTorch's: ``UnsafeViewBackward0`` after
    ``CloneBackward0``.
    """
    if not shape:
        raise TypeError('reshape() missing 1 required positional arguments: "shape"')
    shape = infer_shape(_shape_args(shape), x.numel())
    if not _can_view(x, shape):
        return UnsafeView.apply(convert.clone(x), shape)
    return View.apply(x, shape) if convert.is_contiguous(x) else ReshapeAlias.apply(x, shape)


def flatten(x, start_dim=0, end_dim=-1):
    """Merge dimensions ``start_dim`` .. ``end_dim`` into one (a reshape)."""
    if x.ndim == 0:
        return reshape(x, 1)
    start, end = normalize_dim(start_dim, x.ndim), normalize_dim(end_dim, x.ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return x  # nothing to merge: PyTorch returns the tensor itself
    merged = 1
    for s in x.shape[start : end + 1]:
        merged *= s
    return reshape(x, *x.shape[:start], merged, *x.shape[end + 1 :])


# --------------------------------------------------------------------------
# Reordering dimensions: transpose, permute, t, T, mT
# --------------------------------------------------------------------------


class Transpose(Function):
    """out = x with two dimensions swapped (a view)"""

    node_name = "TransposeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dim0, dim1):
        ctx.dims = (dim0, dim1)
        order = list(range(x.ndim))
        if order:  # (a 0-d tensor has nothing to swap)
            order[dim0], order[dim1] = order[dim1], order[dim0]
        return xp_of(x).permute_dims(x._array, tuple(order))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.transpose(*ctx.dims), None, None  # swapping back undoes it


def transpose(x, dim0, dim1):
    dim0, dim1 = normalize_dim(dim0, x.ndim), normalize_dim(dim1, x.ndim)
    return Transpose.apply(x, dim0, dim1)


class Permute(Function):
    """out = x with its dimensions reordered: out.shape[i] = x.shape[dims[i]] (a view)"""

    node_name = "PermuteBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return xp_of(x).permute_dims(x._array, dims)

    @staticmethod
    def backward(ctx, grad_output):
        inverse = [0] * len(ctx.dims)  # the permutation that puts every dimension back
        for position, d in enumerate(ctx.dims):
            inverse[d] = position
        return grad_output.permute(*inverse), None


def permute(x, *dims):
    dims = tuple(normalize_dim(d, x.ndim) for d in _shape_args(dims))
    if len(dims) != x.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            "length of the desired ordering of dimensions i.e. input.dim() = "
            f"{x.ndim} is not equal to len(dims) = {len(dims)}"
        )
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return Permute.apply(x, dims)


class MatrixTranspose(Function):
    """out = the transpose of a matrix (``t()``; a 1-d or 0-d tensor is returned as it is)"""

    node_name = "TBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x):
        return xp_of(x).permute_dims(x._array, tuple(reversed(range(x.ndim))))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.t()


def t(x):
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return MatrixTranspose.apply(x)


def reverse_dims(x):
    """``x.T``: all dimensions reversed (PyTorch records it as a permute, and warns off
    its use on anything but a matrix)."""
    if x.ndim == 0:
        warnings.warn(
            "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases.",
            UserWarning,
            stacklevel=3,
        )
    elif x.ndim != 2:
        warnings.warn(
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
            "deprecated and it will throw an error in a future release. Consider `x.mT` to "
            "transpose batches of matrices or `x.permute(*minitensor.arange(x.ndim - 1, -1, -1))` "
            "to reverse the dimensions of a tensor.",
            UserWarning,
            stacklevel=3,
        )
    return Permute.apply(x, tuple(reversed(range(x.ndim))))


def matrix_transpose(x):
    """``x.mT``: the last two dimensions swapped (a batch of matrices transposed)."""
    if x.ndim < 2:
        raise RuntimeError(
            "tensor.mT is only supported on matrices or batches of matrices. "
            f"Got {x.ndim}-D tensor."
        )
    return Transpose.apply(x, x.ndim - 2, x.ndim - 1)


# --------------------------------------------------------------------------
# Adding and removing size-1 dimensions; expand
# --------------------------------------------------------------------------


class Unsqueeze(Function):
    """out = x with a new dimension of size 1 at ``dim`` (a view)"""

    node_name = "UnsqueezeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return xp_of(x).expand_dims(x._array, axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.squeeze(ctx.dim), None


def unsqueeze(x, dim):
    return Unsqueeze.apply(x, normalize_dim(dim, x.ndim + 1))


class Squeeze(Function):
    """out = x without some size-1 dimensions (a view); ``squeeze()`` removes them all"""

    node_name = "SqueezeBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.input_shape = x.shape
        kept = tuple(s for i, s in enumerate(x.shape) if i not in dims)
        return xp_of(x).reshape(x._array, kept)  # dropping size-1 dimensions never copies

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.reshape(ctx.input_shape), None


class SqueezeDim(Squeeze):
    """out = x without dimension ``dim`` if it has size 1 (``squeeze(dim)``)"""

    node_name = "SqueezeBackward1"


class SqueezeDims(Squeeze):
    """out = x without those of ``dims`` that have size 1 (``squeeze((0, 2))``)"""

    node_name = "SqueezeBackward2"


def squeeze(x, dim=None):
    """Remove size-1 dimensions: all of them, or those of ``dim`` that have size 1."""
    if dim is None:
        return Squeeze.apply(x, tuple(i for i, s in enumerate(x.shape) if s == 1))
    function = SqueezeDim if isinstance(dim, int) else SqueezeDims
    dims = tuple(normalize_dim(d, x.ndim) for d in ((dim,) if isinstance(dim, int) else dim))
    return function.apply(x, tuple(d for d in dims if x.ndim and x.shape[d] == 1))


class Expand(Function):
    """out = x repeated along size-1 dimensions without copying (a view)"""

    node_name = "ExpandBackward0"
    is_view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.input_shape = x.shape
        return xp_of(x).broadcast_to(x._array, shape)

    @staticmethod
    def backward(ctx, grad_output):
        return sum_to(grad_output, ctx.input_shape), None  # each copy sends its gradient home


def expand(x, *sizes):
    sizes = _int_sizes("expand", "size", _shape_args(sizes))
    if len(sizes) < x.ndim:
        raise RuntimeError(
            f"expand(minitensor.{x.dtype._tensor_type}{{{_listed(x.shape)}}}, "
            f"size={_listed(sizes)}): the number of sizes provided ({len(sizes)}) must be "
            f"greater or equal to the number of dimensions in the tensor ({x.ndim})"
        )
    offset = len(sizes) - x.ndim  # new dimensions are added in front
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
                f"at non-singleton dimension {i}.  Target sizes: {_listed(sizes)}.  "
                f"Tensor sizes: {_listed(x.shape)}"
            )
        shape.append(s)
    return Expand.apply(x, tuple(shape))
