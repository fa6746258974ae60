"""Making tensors: ``tensor``, ``from_numpy``, ``zeros``, ``randn``, ...

Each function checks its input and builds the array on the host with NumPy,
then moves it to the requested device (see `minitensor.backend`), so the
same call gives the same numbers on every device. Two files hold them:

* ``creation_data.py``: from Python data (``tensor``, ``as_tensor``, ``from_numpy``);
* ``creation_filled.py``: from a shape, filled or random (``zeros``, ``full``,
  ``arange``, ``randn``, ...), made through `_new`, which reports a tensor too
  large for memory as PyTorch does (see `minitensor.allocation`).

This file gathers them and adds PyTorch's legacy constructors
(``FloatTensor([1, 2])``, what ``Tensor(...)`` accepts) and unpickling.
"""

from __future__ import annotations

import numpy as np

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd.function import is_tensor, tensor_class
from minitensor.creation_data import (  # noqa: F401 (minitensor.creation.<name>, as before)
    _array_from_data,
    _finish,
    _is_sequence,
    as_tensor,
    from_numpy,
    tensor,
)
from minitensor.creation_filled import (  # noqa: F401 (minitensor.creation.<name>, as before)
    _new,
    _sizes,
    arange,
    empty,
    empty_like,
    eye,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    zeros,
    zeros_like,
)


def legacy_constructor_array(args, device):
    """What ``Tensor(...)`` (``torch.Tensor``) accepts: data, or sizes, or nothing.

    ``Tensor(other_tensor)`` shares the other tensor's memory and keeps its
    dtype, as in PyTorch; ``Tensor()`` is an empty 1-d tensor.
    """
    dev = backend.as_device(device)
    if len(args) == 1 and is_tensor(args[0]):
        return args[0]._array, args[0].device
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
        array = _array_from_data(_legacy_data(args[0]), None).astype(np.float32)
        return backend.backend_for(dev).from_host(array), dev
    out = _new(_sizes(args or (0,), "new"), _dtypes.float32, dev, False, np.zeros)
    return out._array, dev


def _legacy_data(data):
    """The legacy constructors take data only as a sequence (or an array)."""
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    if not (_is_sequence(data) or isinstance(data, np.ndarray)):
        raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
    return data


def _rebuild(array, device, requires_grad, cls):
    """Unpickle a tensor (see ``Tensor.__reduce_ex__``)."""
    out = _finish(array, device, False)
    if cls is not tensor_class():  # nn.Parameter
        return cls(out, requires_grad=requires_grad)
    out._requires_grad = requires_grad
    return out


def _typed_constructor(dt: _dtypes.dtype, name: str):
    def make(*args, device=None):
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            data = args[0] if is_tensor(args[0]) else _legacy_data(args[0])
            return _finish(_array_from_data(data, dt), device, False)
        return _new(_sizes(args or (0,), "new"), dt, device, False, np.zeros)

    make.__name__ = make.__qualname__ = name
    make.__doc__ = f"PyTorch's legacy constructor: a {dt.name} tensor from data or sizes."
    return make


FloatTensor = _typed_constructor(_dtypes.float32, "FloatTensor")
DoubleTensor = _typed_constructor(_dtypes.float64, "DoubleTensor")
LongTensor = _typed_constructor(_dtypes.int64, "LongTensor")
IntTensor = _typed_constructor(_dtypes.int32, "IntTensor")
BoolTensor = _typed_constructor(_dtypes.bool_, "BoolTensor")
