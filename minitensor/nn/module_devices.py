"""Moving a `Module` to a device or dtype: ``model.to("cuda")``, ``model.double()``.

Every parameter, gradient and buffer of the module and of the modules
inside it is converted in place (`DeviceMethods._apply`): a Parameter keeps
its identity, so an optimizer made before ``model.to(...)`` still works.
`Module` inherits these methods from `DeviceMethods`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

from minitensor import dtypes as _dtypes
from minitensor.autograd.grad_mode import no_grad
from minitensor.tensor import Tensor

if TYPE_CHECKING:
    from minitensor.nn.module import Module


class DeviceMethods:
    """``to``, ``cuda``, ``cpu``, ``double``, ``float``, ``half`` of `Module`."""

    if TYPE_CHECKING:

        def modules(self) -> Iterator[Module]: ...

    def _apply(self, fn: Callable[[Tensor], Tensor]) -> Module:
        """Convert every parameter, gradient and buffer with ``fn``, in place.

        A Parameter keeps its identity (its ``.data`` is replaced), so an
        optimizer made before ``model.to(...)`` still holds the right tensors.
        """
        for module in self.modules():
            for param in module._parameters.values():
                if param is None:
                    continue
                with no_grad():
                    param.data = fn(param)
                    if param._grad is not None:
                        param._grad = fn(param._grad)
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    module._buffers[name] = fn(buffer)
        return cast("Module", self)  # (for mypy: these are the methods of a Module)

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """``to(device)``, ``to(dtype)``, ``to(device, dtype)`` or ``to(tensor)``.

        Only floating-point tensors change dtype (an integer buffer stays one).
        """
        device, dtype = kwargs.pop("device", None), kwargs.pop("dtype", None)
        kwargs.pop("non_blocking", None)
        if kwargs:
            raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
        for arg in args:
            if isinstance(arg, Tensor):
                device, dtype = arg.device, arg.dtype
            elif isinstance(arg, _dtypes.dtype):
                dtype = arg
            else:
                device = arg
        if dtype is not None and not dtype.is_floating_point:
            raise TypeError(
                "nn.Module.to only accepts floating point or complex dtypes, but got desired "
                f"dtype={dtype}"
            )

        def convert(t: Tensor) -> Tensor:
            if device is not None:
                t = t.to(device)
            return t.to(dtype) if dtype is not None and t.is_floating_point() else t

        return self._apply(convert)

    def cuda(self, device: Any = None) -> Module:
        return self.to("cuda" if device is None else device)

    def cpu(self) -> Module:
        return self.to("cpu")

    def double(self) -> Module:
        return self._apply(lambda t: t.double() if t.is_floating_point() else t)

    def float(self) -> Module:
        return self._apply(lambda t: t.float() if t.is_floating_point() else t)

    def half(self) -> Module:
        return self._apply(lambda t: t.half() if t.is_floating_point() else t)
