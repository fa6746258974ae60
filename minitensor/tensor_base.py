"""The part of a `Tensor` every other part builds on: its storage and metadata.

A Tensor is a thin object around three things:

* ``_array``: the numbers, in a NumPy array (CPU) or a CuPy array (GPU);
* metadata: ``dtype``, ``device``, ``shape``;
* autograd state: ``requires_grad``, ``grad``, and ``grad_fn``, the graph
  node of the operation that produced it (None for a tensor you made).

`TensorBase` holds the fields, makes tensors around arrays (`TensorBase._wrap`,
which every operation's result goes through) and answers questions about
shape, dtype and device. It calls no operation. The `Tensor` class itself
(``minitensor/tensor.py``) adds the methods, in groups, one file each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.ops.shape import normalize_dim
from minitensor.size import Size

if TYPE_CHECKING:
    from minitensor.tensor import Tensor

_new_tuple = tuple.__new__  # (looked up once: shape is read by every operation)


class _VersionCounter:
    """How many times a tensor's memory was modified in place.

    Shared by a tensor and its views (they share memory), so that autograd
    notices when a tensor it saved for backward was changed through any of them.
    """

    __slots__ = ("value",)

    def __init__(self):
        self.value = 0


class TensorBase:
    """A Tensor's fields, its constructor from an array, and its metadata."""

    _array: Any  # a NumPy or CuPy array
    _device: backend.device
    _dtype: _dtypes.dtype
    _version_counter: _VersionCounter

    # Autograd state starts as these class-level defaults: most tensors (every
    # intermediate result of a forward pass without grad) never change them,
    # and not writing them per tensor saves time. An assignment on an instance
    # (t._grad_fn = node) then shadows the default for that tensor only.
    _requires_grad = False
    _grad: Tensor | None = None
    _grad_fn: Any = None  # a BackwardNode, or None for a leaf
    _base: Tensor | None = None  # the tensor whose memory a view shares
    _accumulator: Any = None  # weak reference to this leaf's AccumulateGrad node
    _retains_grad = False
    _backward_hooks: Any = None  # a leaf's register_hook hooks (an OrderedDict)
    _wrapped_number = False  # made from a Python number, for type promotion

    def _set_fields(self, array, device: backend.device) -> None:
        self._array = array
        self._device = device
        self._dtype = _dtypes.from_array_dtype(array.dtype)
        self._version_counter = _VersionCounter()

    @classmethod
    def _wrap(cls, array, device: backend.device | None) -> Self:
        """A tensor around an existing array (no copy), without autograd state."""
        # Every operation's result is made here, so this repeats _set_fields
        # inline (a method call costs as much as two of its lines).
        device = device or backend.CPU
        if type(array) is not np.ndarray:  # (as_array's quick case, decided here)
            array = backend.as_array(array, device)
        t = cls.__new__(cls)
        t._array = array
        t._device = device
        t._dtype = _dtypes.from_array_dtype(array.dtype)
        t._version_counter = _VersionCounter()
        return t

    # ------------------------------------------------------------------
    # Metadata
    # ------------------------------------------------------------------

    @property
    def shape(self) -> Size:
        # (_new_tuple skips Size's checks: an array's shape is ints already.)
        return _new_tuple(Size, self._array.shape)

    def size(self, dim: int | None = None):
        """The shape, or the length of one dimension."""
        if dim is None:
            return self.shape
        return self._array.shape[normalize_dim(dim, self.ndim)]

    @property
    def dtype(self) -> _dtypes.dtype:
        return self._dtype

    @property
    def device(self) -> backend.device:
        return self._device

    @property
    def is_cuda(self) -> bool:
        return self._device.type == "cuda"

    @property
    def ndim(self) -> int:
        return self._array.ndim

    def dim(self) -> int:
        return self._array.ndim

    def numel(self) -> int:
        return int(self._array.size)

    def nelement(self) -> int:
        return self.numel()

    def element_size(self) -> int:
        return self._dtype.itemsize

    def is_floating_point(self) -> bool:
        return self._dtype.is_floating_point

    def type(self, dtype=None):
        """PyTorch's legacy type name, e.g. ``'minitensor.FloatTensor'``, or a conversion."""
        if dtype is not None:
            return self.to(dtype)
        prefix = "minitensor.cuda." if self.is_cuda else "minitensor."
        return prefix + self._dtype._tensor_type

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._array.shape[0]

    @property
    def _version(self) -> int:
        return self._version_counter.value

    def _bump_version(self) -> None:
        self._version_counter.value += 1
