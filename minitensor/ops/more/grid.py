"""``outer`` and ``meshgrid``: every pair of elements of two (or more) vectors.

``outer(a, b)[i, j] = a[i] * b[j]``: ``a`` as a column times ``b`` as a row,
which broadcasting turns into a matrix (so its graph is one ``MulBackward0``,
as in PyTorch). ``meshgrid(x, y)`` gives the coordinates of a grid: with
``indexing="ij"``, ``X[i, j] = x[i]`` and ``Y[i, j] = y[j]``; with "xy"
(NumPy's and matplotlib's convention), the first two axes are swapped. Each
output is an input *expanded* (no copy), so its gradient is summed back
along the expanded axes (``ExpandBackward0``).
"""

from __future__ import annotations

import warnings

from minitensor.autograd.function import is_tensor
from minitensor.ops.arithmetic import mul
from minitensor.ops.shape import expand, reshape


def outer(input, vec2):
    """``out[i, j] = input[i] * vec2[j]`` for two 1-D tensors.

    >>> minitensor.outer(minitensor.tensor([1, 2]), minitensor.tensor([1, 10]))
    tensor([[ 1, 10],
            [ 2, 20]])
    """
    for position, (name, vector) in enumerate((("input", input), ("vec2", vec2)), start=1):
        if not is_tensor(vector):
            raise TypeError(
                f"outer(): argument '{name}' (position {position}) must be Tensor, "
                f"not {type(vector).__name__}"
            )
    for name, vector in (("self", input), ("vec2", vec2)):
        if vector.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {vector.ndim}-D")
    return mul(reshape(input, input.shape[0], 1), vec2)  # a column times a row


def meshgrid(*tensors, indexing=None):
    """Coordinate grids from 1-D tensors: one output per input, all of one shape.

    ``indexing="ij"``: the output's axis k runs along input k (shape ``(len(x), len(y))``);
    ``indexing="xy"``: the first two axes swapped (shape ``(len(y), len(x))``).
    Leaving out ``indexing`` means "ij" and warns, as in PyTorch.
    >>> X, Y = minitensor.meshgrid(minitensor.tensor([1, 2]), minitensor.tensor([5, 6, 7]),
    ...                            indexing="xy")
    >>> X.shape
    minitensor.Size([3, 2])
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])  # meshgrid([x, y]) as well as meshgrid(x, y)
    if indexing is None:
        warnings.warn(
            "minitensor.meshgrid: in an upcoming release, it will be required to pass the "
            "indexing argument.",
            UserWarning,
            stacklevel=2,
        )
        indexing = "ij"
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for position, t in enumerate(tensors):
        if not is_tensor(t):
            raise TypeError(
                f"expected Tensor as element {position} in argument 0, but got {type(t).__name__}"
            )
    if indexing not in ("xy", "ij"):
        raise RuntimeError(
            f'minitensor.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}'
        )
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(
                "minitensor.meshgrid: Expected 0D or 1D tensor in the tensor list but got a "
                f"{t.ndim}-D tensor of shape {list(t.shape)}"
            )
    for t in tensors[1:]:
        if t.dtype != tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
        if t.device != tensors[0].device:
            raise RuntimeError("meshgrid expects all tensors to have the same device")
    # axes[k]: the output axis along which input k runs ("xy" swaps the first two).
    axes = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) >= 2:
        axes[0], axes[1] = 1, 0
    grid_shape = [0] * len(tensors)
    for t, axis in zip(tensors, axes):
        grid_shape[axis] = t.numel()
    grids = []
    for t, axis in zip(tensors, axes):
        shape = [1] * len(tensors)
        shape[axis] = t.numel()
        grids.append(expand(reshape(t, *shape), *grid_shape))
    return tuple(grids)
