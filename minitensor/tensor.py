"""`Tensor`: an n-dimensional array that can record how it was computed.

A Tensor is a thin object around three things:

* ``_array``: the numbers, in a NumPy array (CPU) or a CuPy array (GPU);
* metadata: ``dtype``, ``device``, ``shape``;
* autograd state: ``requires_grad``, ``grad``, and ``grad_fn``, the graph
  node of the operation that produced it (None for a tensor you made).

This file holds the storage, the metadata, the autograd attributes and the
conversions. The operations themselves live in ``minitensor/ops/`` as
`Function`s; each method below that computes something names the module
where its forward and backward are written.
"""

from __future__ import annotations

import builtins
import warnings
from typing import Any

import numpy as np

from minitensor import backend, printing
from minitensor import dtypes as _dtypes
from minitensor.autograd.grad_mode import no_grad
from minitensor.ops import (
    arithmetic,
    checks,
    compare,
    convert,
    extremes,
    flip,
    indexing,
    inplace,
    join,
    matmul,
    new,
    norm,
    power,
    reduce,
    rounding,
    scan,
    selection,
    shape,
    softmax,
    sorting,
    triangular,
    unary,
    unary_math,
    variance,
)
from minitensor.size import Size

_new_tuple = tuple.__new__  # (looked up once: shape is read by every operation)


class _VersionCounter:
    """How many times a tensor's memory was modified in place.

    Shared by a tensor and its views (they share memory), so that autograd
    notices when a tensor it saved for backward was changed through any of them.
    """

    __slots__ = ("value",)

    def __init__(self):
        self.value = 0


class Tensor:
    """An n-dimensional array with autograd, as ``torch.Tensor``.

    ``Tensor(data)`` makes a float32 tensor from (nested) numbers, like
    ``torch.Tensor``; ``Tensor(2, 3)`` makes a 2x3 one (filled with zeros,
    where PyTorch leaves memory uninitialised). Prefer ``minitensor.tensor(data)``,
    which infers the dtype.
    """

    # A tensor's ``==`` makes a tensor, so hashing must use identity, as in PyTorch.
    __hash__ = object.__hash__
    # Make NumPy defer to our reflected operators in ``ndarray * tensor``.
    __array_priority__ = 1000

    def __init__(self, *args, device=None):
        from minitensor.creation import legacy_constructor_array

        array, dev = legacy_constructor_array(args, device)
        self._set_fields(array, dev)

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
    def _wrap(cls, array, device: backend.device | None) -> Tensor:
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
        return self._array.shape[shape.normalize_dim(dim, self.ndim)]

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

    # ------------------------------------------------------------------
    # Autograd attributes
    # ------------------------------------------------------------------

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

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
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
            if not isinstance(value, Tensor):
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
        import weakref

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
        from minitensor.autograd.hooks import register_tensor_hook

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
                self._grad = Tensor._wrap(array, grad.device)
        elif grad.requires_grad or self._grad.requires_grad:
            self._grad = self._grad + grad  # create_graph: keep the graph of the sum
        else:
            with no_grad():
                self._grad = self._grad + grad

    @property
    def _version(self) -> int:
        return self._version_counter.value

    def _bump_version(self) -> None:
        self._version_counter.value += 1

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
        from minitensor.autograd import api

        api.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """The same memory, cut from the graph (shares the version counter).

        Writing into the result in place is allowed (it needs no gradient) and
        shows in ``self``; a backward that saved ``self`` then notices it.
        """
        out = Tensor._wrap(self._array, self._device)
        out._version_counter = self._version_counter
        return out

    def detach_(self) -> Tensor:
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
        return Tensor._wrap(self._array, self._device)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, got {type(value).__name__}")
        self._array = value._array
        self._device = value._device
        self._dtype = value._dtype

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
        from minitensor.nn.parameter import Parameter

        grad_fn = None
        if self._grad_fn is not None:  # "minitensor::autograd::NotImplemented" shows its last part
            grad_fn = self._grad_fn.name().rsplit("::", 1)[-1]
        return printing.format_tensor(
            self._host_array(),
            dtype_name=self._dtype.name,
            device=str(self._device),
            requires_grad=self._requires_grad,
            grad_fn_name=grad_fn,
            is_parameter=isinstance(self, Parameter),
        )

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._array.shape[0]))

    def __reduce_ex__(self, protocol):
        # Pickling (copy.deepcopy, saving a state_dict) keeps values and requires_grad.
        from minitensor.creation import _rebuild

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

    # ------------------------------------------------------------------
    # Elementwise operations (minitensor/ops/: arithmetic.py, power.py, unary.py,
    # selection.py, compare.py). Python numbers are accepted
    # on either side: ``t * 2`` and ``2 * t``.
    # ------------------------------------------------------------------

    # An operand that is neither a tensor nor a number gives NotImplemented, so
    # Python raises its usual "unsupported operand type(s) for +" TypeError.

    def __add__(self, other):
        return arithmetic.add(self, other) if _is_operand(other) else NotImplemented

    def __radd__(self, other):
        return arithmetic.add(self, other) if _is_operand(other) else NotImplemented

    def __sub__(self, other):
        return arithmetic.sub(self, other) if _is_operand(other) else NotImplemented

    def __rsub__(self, other):
        return arithmetic.rsub(self, other) if _is_operand(other) else NotImplemented

    def __mul__(self, other):
        return arithmetic.mul(self, other) if _is_operand(other) else NotImplemented

    def __rmul__(self, other):
        return arithmetic.mul(self, other) if _is_operand(other) else NotImplemented

    def __truediv__(self, other):
        return arithmetic.div(self, other) if _is_operand(other) else NotImplemented

    def __rtruediv__(self, other):
        return arithmetic.rdiv(self, other) if _is_operand(other) else NotImplemented

    def __floordiv__(self, other):
        return arithmetic.floor_divide(self, other) if _is_operand(other) else NotImplemented

    def __rfloordiv__(self, other):
        return arithmetic.floor_divide(other, self) if _is_operand(other) else NotImplemented

    def __mod__(self, other):
        return arithmetic.remainder(self, other) if _is_operand(other) else NotImplemented

    def __rmod__(self, other):
        return arithmetic.remainder(other, self) if _is_operand(other) else NotImplemented

    def __pow__(self, exponent):
        return power.pow(self, exponent) if _is_operand(exponent) else NotImplemented

    def __rpow__(self, base):
        return power.pow(base, self) if _is_operand(base) else NotImplemented

    def __matmul__(self, other):
        return matmul.matmul(self, other) if isinstance(other, Tensor) else NotImplemented

    def __rmatmul__(self, other):
        return matmul.matmul(other, self) if isinstance(other, Tensor) else NotImplemented

    def __neg__(self):
        return arithmetic.neg(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return unary.abs(self)

    def __eq__(self, other):  # type: ignore[override]
        return compare.eq(self, other) if _is_operand(other) else NotImplemented

    def __ne__(self, other):  # type: ignore[override]
        return compare.ne(self, other) if _is_operand(other) else NotImplemented

    def __lt__(self, other):
        return compare.lt(self, other) if _is_operand(other) else NotImplemented

    def __le__(self, other):
        return compare.le(self, other) if _is_operand(other) else NotImplemented

    def __gt__(self, other):
        return compare.gt(self, other) if _is_operand(other) else NotImplemented

    def __ge__(self, other):
        return compare.ge(self, other) if _is_operand(other) else NotImplemented

    def __invert__(self):
        return compare.bitwise_not(self)

    def __and__(self, other):
        return compare.bitwise_and(self, other) if _is_operand(other) else NotImplemented

    def __rand__(self, other):
        return compare.bitwise_and(other, self) if _is_operand(other) else NotImplemented

    def __or__(self, other):
        return compare.bitwise_or(self, other) if _is_operand(other) else NotImplemented

    def __ror__(self, other):
        return compare.bitwise_or(other, self) if _is_operand(other) else NotImplemented

    def __xor__(self, other):
        return compare.bitwise_xor(self, other) if _is_operand(other) else NotImplemented

    def __rxor__(self, other):
        return compare.bitwise_xor(other, self) if _is_operand(other) else NotImplemented

    def add(self, other, *, alpha=1):
        return arithmetic.add(self, other, alpha=alpha)

    def sub(self, other, *, alpha=1):
        return arithmetic.sub(self, other, alpha=alpha)

    def mul(self, other):
        return arithmetic.mul(self, other)

    def div(self, other, *, rounding_mode=None):
        return arithmetic.div(self, other, rounding_mode=rounding_mode)

    def pow(self, exponent):
        return power.pow(self, exponent)

    def neg(self):
        return arithmetic.neg(self)

    def abs(self):
        return unary.abs(self)

    def sign(self):
        return unary.sign(self)

    def exp(self):
        return unary.exp(self)

    def log(self):
        return unary.log(self)

    def sqrt(self):
        return unary.sqrt(self)

    def square(self):
        return unary_math.square(self)

    def rsqrt(self):
        return unary_math.rsqrt(self)

    def log1p(self):
        return unary_math.log1p(self)

    def expm1(self):
        return unary_math.expm1(self)

    # Rounding (minitensor/ops/rounding.py): zero gradients

    def floor(self):
        return rounding.floor(self)

    def ceil(self):
        return rounding.ceil(self)

    def trunc(self):
        return rounding.trunc(self)

    def round(self, *, decimals=None):
        return rounding.round(self, decimals=decimals)

    def reciprocal(self):
        return unary.reciprocal(self)

    def sin(self):
        return unary.sin(self)

    def cos(self):
        return unary.cos(self)

    def tanh(self):
        return unary.tanh(self)

    def sigmoid(self):
        return unary.sigmoid(self)

    def relu(self):
        return unary.relu(self)

    def clamp(self, min=None, max=None):
        return unary.clamp(self, min, max)

    clip = clamp

    def maximum(self, other):
        return selection.maximum(self, other)

    def minimum(self, other):
        return selection.minimum(self, other)

    def eq(self, other):
        return compare.eq(self, other)

    def ne(self, other):
        return compare.ne(self, other)

    def lt(self, other):
        return compare.lt(self, other)

    def le(self, other):
        return compare.le(self, other)

    def gt(self, other):
        return compare.gt(self, other)

    def ge(self, other):
        return compare.ge(self, other)

    # Checks on values (minitensor/ops/checks.py): no gradients

    def isnan(self):
        return checks.isnan(self)

    def isinf(self):
        return checks.isinf(self)

    def isfinite(self):
        return checks.isfinite(self)

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return checks.isclose(self, other, rtol, atol, equal_nan)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> builtins.bool:
        return checks.allclose(self, other, rtol, atol, equal_nan)

    def equal(self, other) -> builtins.bool:
        return checks.equal(self, other)

    def masked_fill(self, mask, value):
        return selection.masked_fill(self, mask, value)

    def softmax(self, dim):
        return softmax.softmax(self, dim)

    def log_softmax(self, dim):
        return softmax.log_softmax(self, dim)

    def logsumexp(self, dim, keepdim=False):
        return softmax.logsumexp(self, dim, keepdim)

    # ------------------------------------------------------------------
    # In-place operations (minitensor/ops/inplace.py): they change this
    # tensor's memory, bump its version counter and return self.
    # ------------------------------------------------------------------

    def add_(self, other, *, alpha=1):
        return inplace.inplace(self, arithmetic.add, other, alpha=alpha)

    def sub_(self, other, *, alpha=1):
        return inplace.inplace(self, arithmetic.sub, other, alpha=alpha)

    def mul_(self, other):
        return inplace.inplace(self, arithmetic.mul, other)

    def div_(self, other):
        return inplace.inplace(self, arithmetic.div, other)

    def pow_(self, exponent):
        return inplace.inplace(self, power.pow, exponent)

    def clamp_(self, min=None, max=None):
        return inplace.inplace(self, unary.clamp, min, max)

    def zero_(self):
        return inplace.zero_(self)

    def fill_(self, value):
        return inplace.fill_(self, value)

    def copy_(self, src):
        return inplace.copy_(self, src)

    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)

    # ------------------------------------------------------------------
    # Reductions (minitensor/ops/: reduce.py, extremes.py, variance.py, norm.py,
    # softmax.py)
    # ------------------------------------------------------------------

    def sum(self, dim=None, keepdim=False, *, dtype=None):
        return reduce.sum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim=None, keepdim=False, *, dtype=None):
        return reduce.mean(self, dim, keepdim, dtype=dtype)

    def prod(self, dim=None, keepdim=False, *, dtype=None):
        return reduce.prod(self, dim, keepdim, dtype=dtype)

    def max(self, dim=None, keepdim=False):
        return extremes.max(self, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        return extremes.min(self, dim, keepdim)

    def argmax(self, dim=None, keepdim=False):
        return extremes.argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return extremes.argmin(self, dim, keepdim)

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return variance.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return variance.std(self, dim, unbiased, keepdim, correction=correction)

    def norm(self, p=2, dim=None, keepdim=False):
        return norm.norm(self, p, dim, keepdim)

    def all(self, dim=None, keepdim=False):
        return reduce.all(self, dim, keepdim)

    def any(self, dim=None, keepdim=False):
        return reduce.any(self, dim, keepdim)

    # Running totals (minitensor/ops/scan.py) and sorting (minitensor/ops/sorting.py)

    def cumsum(self, dim=None, *, dtype=None):
        return scan.cumsum(self, dim, dtype=dtype)

    def sort(self, dim=-1, descending=False, *, stable=None):
        return sorting.sort(self, dim, descending, stable)

    def argsort(self, dim=-1, descending=False, *, stable=False):
        return sorting.argsort(self, dim, descending, stable)

    def topk(self, k, dim=-1, largest=True, sorted=True):
        return sorting.topk(self, k, dim, largest, sorted)

    # ------------------------------------------------------------------
    # Shapes (minitensor/ops/shape.py, joining and splitting in join.py),
    # indexing (minitensor/ops/indexing.py) and matrix products (minitensor/ops/matmul.py)
    # ------------------------------------------------------------------

    def reshape(self, *shape_):
        return shape.reshape(self, *shape_)

    def view(self, *shape_):
        return shape.view(self, *shape_)

    def view_as(self, other):
        return shape.view(self, *other.shape)

    def reshape_as(self, other):
        return shape.reshape(self, *other.shape)

    def transpose(self, dim0, dim1):
        return shape.transpose(self, dim0, dim1)

    def t(self):
        return shape.t(self)

    @property
    def T(self):
        return shape.reverse_dims(self)

    @property
    def mT(self):
        return shape.matrix_transpose(self)

    def permute(self, *dims):
        return shape.permute(self, *dims)

    def flatten(self, start_dim=0, end_dim=-1):
        return shape.flatten(self, start_dim, end_dim)

    def squeeze(self, dim=None):
        return shape.squeeze(self, dim)

    def unsqueeze(self, dim):
        return shape.unsqueeze(self, dim)

    def expand(self, *sizes):
        return shape.expand(self, *sizes)

    def expand_as(self, other):
        return shape.expand(self, *other.shape)

    def repeat(self, *repeats):
        return join.repeat(self, *repeats)

    def split(self, split_size, dim=0):
        return join.split(self, split_size, dim)

    def chunk(self, chunks, dim=0):
        return join.chunk(self, chunks, dim)

    def flip(self, *dims):  # x.flip(0, 1) or x.flip([0, 1]) (minitensor/ops/flip.py)
        return flip.flip(self, list(shape._shape_args(dims)))

    def tril(self, diagonal=0):  # (minitensor/ops/triangular.py)
        return triangular.tril(self, diagonal)

    def triu(self, diagonal=0):
        return triangular.triu(self, diagonal)

    def outer(self, vec2):  # (minitensor/ops/grid.py)
        from minitensor.ops import grid

        return grid.outer(self, vec2)

    def __getitem__(self, index):
        return indexing.getitem(self, index)

    def __setitem__(self, index, value):
        indexing.setitem(self, index, value)

    def matmul(self, other):
        return matmul.matmul(self, other)

    def mm(self, other):
        return matmul.mm(self, other)

    def dot(self, other):
        return matmul.dot(self, other)


def _is_operand(x) -> bool:
    """Can ``x`` meet a tensor in an operator? Tensors and real Python/NumPy numbers can."""
    return isinstance(x, (Tensor, builtins.int, builtins.float, np.bool_, np.number)) and not (
        isinstance(x, (complex, np.complexfloating))
    )


_NONLEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information."
)
