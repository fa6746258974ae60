"""``max``, ``min``, ``argmax``, ``argmin``: which element is largest, and its gradient.

Only the winning element affects a maximum (nudge any other and the max
does not move), so the backward sends all of the gradient to the winner
and 0 to the rest. Along a dimension, ``max`` returns the winners'
``indices`` too, and the backward uses them; over all elements, tied
winners share the gradient evenly, as in PyTorch.

``x.max(dim)`` returns a ``(values, indices)`` tuple with named fields, whose
type reads like PyTorch's ``torch.return_types.max``: it is
``minitensor.return_types.max``. ``argmax``/``argmin`` return int64
indices, which have no gradient.
"""

from __future__ import annotations

from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function, is_tensor
from minitensor.ops.operands import wrap, xp_of
from minitensor.ops.reduction_rules import expand_back
from minitensor.ops.selection import maximum, minimum, where
from minitensor.ops.shape import normalize_dim
from minitensor.ops.single_dim import check_one_dim

# --------------------------------------------------------------------------
# The (values, indices) result
# --------------------------------------------------------------------------


class ValuesIndices(tuple):
    """``(values, indices)``: what ``max``/``min`` along a dimension return.

    A tuple (``values, indices = x.max(1)`` works) whose two items also have
    names (``x.max(1).indices``), like PyTorch's ``torch.return_types.max``.
    """

    __slots__ = ()

    def __new__(cls, values, indices):
        return tuple.__new__(cls, (values, indices))

    def __getnewargs__(self):
        return tuple(self)

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]

    def __repr__(self) -> str:
        values, indices = self
        kind = type(self)
        return f"{kind.__module__}.{kind.__qualname__}(\nvalues={values!r},\nindices={indices!r})"


def _result_type(name) -> type[ValuesIndices]:
    """The result class of ``name``, which calls itself ``minitensor.return_types.<name>``.

    ``type(x.max(1))`` then prints ``<class 'minitensor.return_types.max'>``, as
    PyTorch's prints ``<class 'torch.return_types.max'>``; the module
    `minitensor.return_types` holds it under that name (so pickle finds it too).
    """
    return type(name, (ValuesIndices,), {"__slots__": (), "__module__": "minitensor.return_types"})


MaxResult = _result_type("max")
MinResult = _result_type("min")


# --------------------------------------------------------------------------
# The Functions
# --------------------------------------------------------------------------


def _extreme_array(xp, array, largest, axis, keepdim):
    """max/min of an array; for bools, max is ``any`` and min is ``all``."""
    if array.dtype == xp.bool:
        return (xp.any if largest else xp.all)(array, axis=axis, keepdims=keepdim)
    return (xp.max if largest else xp.min)(array, axis=axis, keepdims=keepdim)


class MaxAll(Function):
    """out = the largest (or, for MinAll, smallest) element of x, a 0-d tensor"""

    node_name = "MaxBackward1"

    @staticmethod
    def forward(ctx, x, largest):
        xp, array = xp_of(x), x._array
        value = _extreme_array(xp, array, largest, None, False)
        winners = array == value
        if x.dtype.is_floating_point:  # a nan wins (max is nan), and nan != nan
            winners = winners | (xp.isnan(array) & xp.isnan(value))
        ctx.winners = wrap(winners, x)
        return value

    @staticmethod
    def backward(ctx, grad_output):
        # Tied winners share the gradient evenly, as in PyTorch.
        winners = ctx.winners
        return where(winners, grad_output / winners.sum(), 0.0), None


class MinAll(MaxAll):
    node_name = "MinBackward1"


class MaxDim(Function):
    """values = the largest (MinDim: smallest) element along ``dim``, found at ``indices``"""

    node_name = "MaxBackward0"

    @staticmethod
    def forward(ctx, x, indices, dim, keepdim, largest):
        ctx.save_for_backward(indices)
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, dim, keepdim
        axis = dim if x.ndim else None
        return _extreme_array(xp_of(x), x._array, largest, axis, keepdim)

    @staticmethod
    def backward(ctx, grad_output):
        (indices,) = ctx.saved_tensors
        dims = (ctx.dim,) if len(ctx.shape) else ()
        grad = expand_back(grad_output, ctx.shape, dims, ctx.keepdim)
        # Only the chosen element affects the output: it gets all the gradient.
        chosen = _one_hot(indices, ctx.shape, ctx.dim, ctx.keepdim)
        return where(chosen, grad, 0.0), None, None, None, None


class MinDim(MaxDim):
    node_name = "MinBackward0"


def _one_hot(indices, shape, dim, keepdim):
    """A bool tensor of ``shape``: True where the index along ``dim`` equals ``indices``."""
    if len(shape) == 0:
        return indices == 0
    xp = xp_of(indices)
    index = indices._array if keepdim else xp.expand_dims(indices._array, axis=dim)
    position = xp.arange(shape[dim], dtype=index.dtype, device=index.device)
    position = xp.reshape(position, tuple(shape[dim] if d == dim else 1 for d in range(len(shape))))
    return wrap(position == index, indices)


# --------------------------------------------------------------------------
# The functions users call
# --------------------------------------------------------------------------


def _check_dim_int(name, dim):
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(
            f"{name}(): argument 'dim' (position 1) must be int, not {type(dim).__name__}"
        )


def _arg_extreme(x, name, dim, keepdim, largest):
    """Indices of the largest (argmax) or smallest (argmin) elements, as int64."""
    if dim is None:
        if x.numel() == 0:
            raise IndexError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
            )
        axis = None
    else:
        _check_dim_int(name, dim)
        axis = normalize_dim(dim, x.ndim)
        if x.ndim and x.shape[axis] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
        axis = axis if x.ndim else None
    xp, array = xp_of(x), x._array
    if x.dtype == _dtypes.bool_:  # (max along a dim accepts bools; argmax itself does not)
        array = xp.astype(array, xp.int8)
    out = (xp.argmax if largest else xp.argmin)(array, axis=axis, keepdims=keepdim)
    return wrap(xp.astype(out, xp.int64), x)


def _max_or_min(x, dim, keepdim, largest):
    name = "max" if largest else "min"
    if is_tensor(dim):  # minitensor.max(a, b) is the elementwise maximum
        return maximum(x, dim) if largest else minimum(x, dim)
    check_one_dim(name, dim, keepdim)
    if dim is None:
        if x.numel() == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        return (MaxAll if largest else MinAll).apply(x, largest)
    d = normalize_dim(dim, x.ndim)
    if x.ndim and x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    indices = _arg_extreme(x, name, d, keepdim, largest)
    values = (MaxDim if largest else MinDim).apply(x, indices, d, keepdim, largest)
    return (MaxResult if largest else MinResult)(values, indices)


def max(x, dim=None, keepdim=False):
    """The largest element (a 0-d tensor), or ``(values, indices)`` along ``dim``.

    With no dim, tied largest elements share the gradient evenly; along a
    dim, the element at ``indices`` gets all of it.
    >>> minitensor.tensor([[1., 5.], [7., 2.]]).max(1).indices
    tensor([1, 0])
    """
    return _max_or_min(x, dim, keepdim, largest=True)


def min(x, dim=None, keepdim=False):
    """The smallest element, or ``(values, indices)`` along ``dim`` (see `max`)."""
    return _max_or_min(x, dim, keepdim, largest=False)


def argmax(x, dim=None, keepdim=False):
    """The index of the largest element (of the flattened tensor if no dim); not differentiable."""
    if x.dtype == _dtypes.bool_:
        raise RuntimeError("argmax(): does not support bool input")
    return _arg_extreme(x, "argmax", dim, keepdim, largest=True)


def argmin(x, dim=None, keepdim=False):
    """The index of the smallest element (see `argmax`)."""
    if x.dtype == _dtypes.bool_:
        raise RuntimeError("argmin(): does not support bool input")
    return _arg_extreme(x, "argmin", dim, keepdim, largest=False)
