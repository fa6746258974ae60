"""A Tensor's autograd attributes: ``requires_grad``, ``grad``, ``grad_fn``, ``backward()``.

These methods read and write the autograd state that `TensorBase` declares
(``_requires_grad``, ``_grad``, ``_grad_fn``, ...). ``backward()`` hands the
work to the engine (``minitensor/autograd/api.py`` and ``engine.py``);
``detach()`` and ``.data`` give the same memory without the history.
"""

from __future__ import annotations

import warnings
import weakref
from typing import TYPE_CHECKING, Self

from minitensor import backend
from minitensor import dtypes as _dtypes
from minitensor.autograd import api
from minitensor.autograd.function import is_tensor, wrap_array
from minitensor.autograd.grad_mode import no_grad
from minitensor.autograd.hooks import register_tensor_hook
from minitensor.tensor_base import TensorBase

if TYPE_CHECKING:
    from minitensor.tensor import Tensor


class AutogradMethods(TensorBase):
    """The autograd half of a Tensor (see ``minitensor/tensor.py``)."""

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self._grad_fn is not None:
            if not value:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to "
                    "use a computed variable in a subgraph that doesn't require differentiation "
                    "use var_no_grad = var.detach()."
                )
            return
        if value and not self._dtype.is_floating_point:
            raise RuntimeError(
                "only Tensors of floating point and complex dtype can require gradients"
            )
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Self:
        """Set ``requires_grad`` in place and return self."""
        if requires_grad and self._grad_fn is None and not self._dtype.is_floating_point:
            # (PyTorch words this one differently from the attribute's message.)
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    @property
    def grad_fn(self):
        """The graph node of the operation that made this tensor (None for a leaf)."""
        return self._grad_fn

    @property
    def is_leaf(self) -> bool:
        """True for tensors the user made (not computed from tensors that require grad)."""
        return self._grad_fn is None

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by ``backward()``; None until then.

        Only leaves get one (and tensors that called ``retain_grad()``):
        reading it on another tensor warns, as in PyTorch.
        """
        if self._grad_fn is not None and not self._retains_grad:
            warnings.warn(_NONLEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not is_tensor(value):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of "
                    f"type {type(value).__name__}"
                )
            if value.shape != self.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the "
                    "tensor are the same size"
                )
            if value.dtype != self.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_dtypes.cpp_name(value.dtype)}'"
                    f" to a tensor with grad_dtype '{_dtypes.scalar_type_name(self.dtype)}'. The "
                    "gradient must match the tensor's grad_dtype (defaults to the tensor's "
                    "dtype). You can set the tensor's grad_dtype attribute with a specific dtype, "
                    "or None to allow any dtype. Set grad_dtype with caution. Diverging the "
                    "dtypes of a tensor and its gradient may break downstream systems that "
                    "assume they match."
                )
            if value.device != self.device:
                raise RuntimeError(
                    f"attempting to assign a gradient with device type '{value.device.type}' to "
                    f"a tensor with device type '{self.device.type}'. Please ensure that the "
                    "gradient and the tensor are on the same device"
                )
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in ``.grad`` during backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is None or self._retains_grad:
            return  # a leaf keeps its gradient anyway
        self._grad_fn._retained.append(weakref.ref(self))
        self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def register_hook(self, hook):
        """Call ``hook(grad)`` with this tensor's complete gradient during backward.

        If the hook returns a tensor, it replaces the gradient for later hooks,
        ``.grad`` and the rest of the backward pass. Returns a handle whose
        ``remove()`` removes the hook (see `minitensor.autograd.hooks`).

            >>> y = x * 3
            >>> handle = y.register_hook(lambda grad: print(grad))
        """
        return register_tensor_hook(self, hook)

    def _accumulate_grad(self, grad: Tensor) -> None:
        """Add a finished gradient into ``.grad`` (called by the backward engine)."""
        if self._grad is None:
            # Copy: the same gradient tensor may reach several leaves (a + b
            # sends one tensor to both), and each .grad must be its own.
            if grad.requires_grad:  # create_graph: the copy stays in the graph
                self._grad = grad.clone()
            else:  # a plain copy of the numbers (no graph, so no Function needed)
                array = backend.contiguous_copy(grad._array, grad.device)
                self._grad = wrap_array(array, grad.device)
        elif grad.requires_grad or self._grad.requires_grad:
            self._grad = self._grad + grad  # create_graph: keep the graph of the sum
        else:
            with no_grad():
                self._grad = self._grad + grad

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute the gradient of this tensor with respect to the graph's leaves.

        Args:
            gradient: d(something)/d(self), needed when self is not a scalar
                (the vector of a vector-Jacobian product).
            retain_graph: keep saved tensors so that backward can run again
                (defaults to ``create_graph``).
            create_graph: record the backward pass too, for higher derivatives.
            inputs: accumulate only into these leaves' ``.grad``.
        """
        api.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """The same memory, cut from the graph (shares the version counter).

        Writing into the result in place is allowed (it needs no gradient) and
        shows in ``self``; a backward that saved ``self`` then notices it.
        """
        out = wrap_array(self._array, self._device)
        out._version_counter = self._version_counter
        return out

    def detach_(self) -> Self:
        if self._base is not None and self._base.requires_grad and self._grad_fn is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is "
                "set as True, gradients are views of DDP buckets, and hence detach_() cannot "
                "be called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self._grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self) -> Tensor:
        """The same memory with no autograd history (and, unlike detach(), no version link)."""
        return wrap_array(self._array, self._device)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not is_tensor(value):
            raise TypeError(f"data must be a Tensor, got {type(value).__name__}")
        self._array = value._array
        self._device = value._device
        self._dtype = value._dtype


_NONLEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information."
)
