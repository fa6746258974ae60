"""Indexing: ``x[0]``, ``x[1:3, None]``, ``x[mask]``, ``x[[0, 0, 2]]`` and ``x[i] = v``.

Reading elements is differentiable: the gradient of ``x[index]`` is a
tensor of zeros shaped like ``x`` with the incoming gradient added at the
places that were read. Added, not written: an index that appears twice
(``x[[0, 0]]``) read the element twice, so it receives both gradients.
"""

from __future__ import annotations

from minitensor import backend
from minitensor.autograd.function import Function


def _xp(t):
    return backend.namespace(t.device)


def _normalise_index(x, index):
    """Tensors inside an index become arrays on ``x``'s device."""
    from minitensor.tensor import Tensor

    if isinstance(index, tuple):
        return tuple(_normalise_index(x, i) for i in index)
    if isinstance(index, Tensor):
        return index._array
    return index


class Index(Function):
    """out = x[index]"""

    node_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, x, index):
        ctx.input_shape, ctx.index = x.shape, index
        ctx.dtype, ctx.device = x.dtype, x.device
        return x._array[index]

    @staticmethod
    def backward(ctx, grad_output):
        return IndexBackward.apply(grad_output, ctx.input_shape, ctx.index), None


class IndexBackward(Function):
    """out = zeros of ``shape`` with ``grad`` added at ``index`` (the backward of Index)"""

    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, grad, shape, index):
        ctx.index = index
        xp = _xp(grad)
        out = xp.zeros(shape, dtype=grad._array.dtype)
        backend.backend_for(grad.device).index_add(out, index, grad._array)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output[ctx.index], None, None


def getitem(x, index):
    return Index.apply(x, _normalise_index(x, index))


def setitem(x, index, value):
    from minitensor.ops.elementwise import check_inplace

    check_inplace(x)
    raise NotImplementedError("tensor[index] = value is being written")
