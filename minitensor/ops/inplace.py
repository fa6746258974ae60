"""In-place operations: ``t.add_(1)`` changes t's own memory instead of making a new tensor.

Autograd needs care here: a backward may have saved ``t`` to use later
(``mul`` keeps its inputs). So every tensor has a version counter that goes
up on each in-place change, and ``ctx.saved_tensors`` refuses a tensor whose
version moved since it was saved: a loud error rather than a wrong gradient.
PyTorch also refuses in-place changes of leaves that require grad
(``w.add_(1)`` on a parameter, outside ``no_grad()``); `check_inplace` has its rules.

`inplace` runs any out-of-place operation and stores its result into the
tensor; ``fill_``, ``zero_`` and ``copy_`` have Functions of their own.
"""

from __future__ import annotations

import builtins

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import Function, is_tensor, wrap_array
from minitensor.autograd.grad_mode import is_grad_enabled
from minitensor.ops.broadcast import broadcast_shapes, sum_to
from minitensor.ops.operands import cast, xp_of

# --------------------------------------------------------------------------
# The machinery
# --------------------------------------------------------------------------


def check_inplace(t) -> None:
    """PyTorch's rules: no in-place change of a leaf (or a view of one) that requires grad."""
    if not is_grad_enabled():
        return
    if t._grad_fn is None and t._requires_grad:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation."
        )
    base = t._base
    if base is not None and base._requires_grad:
        if base._grad_fn is None:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place "
                "operation."
            )
        raise RuntimeError(
            "minitensor does not support in-place operations on a view of a tensor that "
            "requires grad (PyTorch rewrites the base's graph here); use an out-of-place "
            "operation, or clone() the view first."
        )


def inplace(t, op, *args, **kwargs):
    """Run ``op(t, *args)`` and store the result in ``t`` itself.

    When a graph is being recorded, ``op`` is given a copy of ``t``'s old
    values that sits where ``t`` sat in the graph, so a backward that needs the
    old values (``mul_`` does) still finds them; ``t`` then takes the new
    node as its ``grad_fn``. Either way ``t``'s version counter goes up, which
    makes any backward that saved ``t`` itself fail loudly rather than use
    the new values.
    """
    check_inplace(t)
    tensors = [t] + [a for a in args if is_tensor(a)]
    recording = is_grad_enabled() and builtins.any(x._requires_grad for x in tensors)
    source = _snapshot(t) if recording else t
    result = op(source, *args, **kwargs)
    _store(t, result)
    if recording:
        t._grad_fn, t._requires_grad = result._grad_fn, True
    return t


def _snapshot(t):
    """A copy of ``t``'s values in ``t``'s place in the graph."""
    copy = wrap_array(backend.contiguous_copy(t._array, t.device), t.device)
    copy._grad_fn, copy._requires_grad = t._grad_fn, t._requires_grad
    if t._grad_fn is None and t._requires_grad:  # cannot happen: check_inplace refused it
        raise AssertionError("in-place on a leaf that requires grad")
    return copy


def _store(t, result) -> None:
    """Write ``result`` into ``t``'s memory (same shape, castable dtype)."""
    if result.dtype != t.dtype and result.dtype.category > t.dtype.category:
        raise RuntimeError(
            f"result type {_dtypes.scalar_type_name(result.dtype)} can't be cast to the desired "
            f"output type {_dtypes.scalar_type_name(t.dtype)}"
        )
    if tuple(result.shape) != tuple(t.shape):
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, t.shape))}] doesn't match the broadcast "
            f"shape [{', '.join(map(str, result.shape))}]"
        )
    t._array[...] = cast(result, t.dtype)
    t._bump_version()


# --------------------------------------------------------------------------
# fill_, zero_, copy_
# --------------------------------------------------------------------------


class Fill(Function):
    """out = a tensor like ``a`` filled with one value (``fill_``)"""

    node_name = "FillBackward2"

    @staticmethod
    def forward(ctx, a, value):
        xp = xp_of(a)
        return xp.full(
            a._array.shape, value, dtype=a._array.dtype, device=backend.native_device(a.device)
        )

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * 0, None  # the old values no longer matter


class Zero(Fill):
    """out = zeros like ``a`` (``zero_``)"""

    node_name = "ZeroBackward0"


class Copy(Function):
    """out = src written into a tensor shaped like ``dest`` (``copy_``)"""

    node_name = "CopyBackwards"

    @staticmethod
    def forward(ctx, dest, src):
        ctx.src_shape = src.shape
        broadcast_shapes(dest.shape, src.shape)
        xp = xp_of(dest)
        array = xp.astype(src._array, dest._array.dtype)
        return xp.broadcast_to(array, dest._array.shape)

    @staticmethod
    def backward(ctx, grad_output):
        # dest's old values are overwritten (zero gradient); src's flow straight through.
        return grad_output * 0, sum_to(grad_output, ctx.src_shape)


def fill_(t, value):
    """Fill ``t`` with ``value`` in place."""
    if is_tensor(value):
        value = value.item()
    return inplace(t, Fill.apply, value)


def zero_(t):
    """Fill ``t`` with zeros in place."""
    return inplace(t, Zero.apply, 0)


def copy_(t, src):
    """Copy ``src`` (broadcast, converted) into ``t`` in place."""
    if not is_tensor(src):
        raise TypeError(
            f"copy_(): argument 'other' (position 1) must be Tensor, not {type(src).__name__}"
        )
    # Copying between devices is allowed: move src first (a differentiable move).
    return inplace(t, Copy.apply, src.to(t.device))
