"""Converting a Tensor: to Python numbers, lists, NumPy, text; to another dtype or device.

* leaving minitensor: ``item()``, ``tolist()``, ``numpy()``, ``float(t)``, ``repr(t)``
  (the text itself is made by ``minitensor/printing.py``), pickling;
* staying: ``to()``, ``float()``, ``cuda()``, ``clone()`` (``minitensor/ops/convert.py``)
  and ``new_zeros()``, ``type_as()``, ... (``minitensor/ops/new.py``).
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from minitensor import backend, printing
from minitensor import dtypes as _dtypes
from minitensor.creation import _rebuild
from minitensor.ops import convert
from minitensor.ops.more import new
from minitensor.tensor_base import TensorBase

if TYPE_CHECKING:
    from minitensor.tensor import Tensor


class ConversionMethods(TensorBase):
    """Conversions of a Tensor (see ``minitensor/tensor.py``)."""

    _is_parameter = False  # nn.Parameter sets it: it prints as "Parameter containing:"

    # ------------------------------------------------------------------
    # Leaving minitensor: Python numbers, lists, NumPy
    # ------------------------------------------------------------------

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self.numel() != 1:
            raise RuntimeError(
                f"a Tensor with {self.numel()} elements cannot be converted to Scalar"
            )
        return self._host_array().reshape(()).item()

    def tolist(self):
        """The values as (nested) Python lists of numbers."""
        return self._host_array().tolist()

    def numpy(self, *, force: bool = False):
        """A NumPy array sharing this tensor's memory.

        Refuses a tensor that requires grad (the array could not record
        operations) and a GPU tensor (its memory is not the host's), as PyTorch
        does; ``force=True`` returns a detached host copy instead.
        """
        if force:
            return backend.to_host(self._array, self._device).copy()
        if self._requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        if self.is_cuda:
            raise TypeError(
                f"can't convert {self._device} device type tensor to numpy. "
                "Use Tensor.cpu() to copy the tensor to host memory first."
            )
        return self._array

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def _host_array(self):
        return backend.to_host(self._array, self._device)

    def __bool__(self) -> bool:
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return builtins.bool(self.item())

    def __float__(self) -> float:
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return builtins.float(self.item())

    def __int__(self) -> int:
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return builtins.int(self.item())

    def __index__(self) -> int:
        if self._dtype.is_floating_point or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self.item())

    def __format__(self, spec: str) -> str:
        if self.ndim == 0:
            return self.item().__format__(spec)
        return repr(self).__format__(spec)

    def __repr__(self) -> str:
        grad_fn = None
        if self._grad_fn is not None:  # "minitensor::autograd::NotImplemented" shows its last part
            grad_fn = self._grad_fn.name().rsplit("::", 1)[-1]
        return printing.format_tensor(
            self._host_array(),
            dtype_name=self._dtype.name,
            device=str(self._device),
            requires_grad=self._requires_grad,
            grad_fn_name=grad_fn,
            is_parameter=self._is_parameter,
        )

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._array.shape[0]))

    def __reduce_ex__(self, protocol):
        # Pickling (copy.deepcopy, saving a state_dict) keeps values and requires_grad.
        return (
            _rebuild,
            (self._host_array().copy(), str(self._device), self._requires_grad, type(self)),
        )

    # ------------------------------------------------------------------
    # Conversions (minitensor/ops/convert.py)
    # ------------------------------------------------------------------

    def to(self, *args, **kwargs) -> Tensor:
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)`` or ``to(other_tensor)``."""
        return convert.to(self, *args, **kwargs)

    def double(self) -> Tensor:
        return convert.to(self, _dtypes.float64)

    def float(self) -> Tensor:
        return convert.to(self, _dtypes.float32)

    def half(self) -> Tensor:
        return convert.to(self, _dtypes.float16)

    def long(self) -> Tensor:
        return convert.to(self, _dtypes.int64)

    def int(self) -> Tensor:
        return convert.to(self, _dtypes.int32)

    def bool(self) -> Tensor:
        return convert.to(self, _dtypes.bool_)

    def cpu(self) -> Tensor:
        return convert.to(self, backend.CPU)

    def cuda(self, device=None) -> Tensor:
        return convert.to(self, backend.as_device("cuda" if device is None else device))

    def clone(self) -> Tensor:
        return convert.clone(self)

    def type_as(self, other) -> Tensor:
        return new.type_as(self, other)

    # New tensors with this one's dtype and device (minitensor/ops/new.py)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False) -> Tensor:
        return new.new_zeros(self, *size, dtype=dtype, device=device, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False) -> Tensor:
        return new.new_ones(self, *size, dtype=dtype, device=device, requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False) -> Tensor:
        return new.new_empty(self, *size, dtype=dtype, device=device, requires_grad=requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        return new.new_full(
            self, size, fill_value, dtype=dtype, device=device, requires_grad=requires_grad
        )

    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False) -> Tensor:
        return new.new_tensor(self, data, dtype=dtype, device=device, requires_grad=requires_grad)

    def contiguous(self) -> Tensor:
        return convert.contiguous(self)

    def is_contiguous(self) -> bool:
        return convert.is_contiguous(self)
