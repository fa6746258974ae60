"""`Function`: an operation that knows its own derivative, and the graph nodes it leaves.

Every differentiable tensor operation in minitensor is a `Function` with two
static methods, forward and backward, side by side::

    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a._array * b._array

        @staticmethod
        def backward(ctx, grad_output):
            a, b = ctx.saved_tensors
            return sum_to(grad_output * b, a.shape), sum_to(grad_output * a, b.shape)

``Mul.apply(a, b)`` runs forward with graph recording off and, if an input
requires grad, attaches a `BackwardNode` to the result as its ``grad_fn``.
Each kind of node is a class of its own, named as in PyTorch:
``type(y.grad_fn).__name__`` is ``"MulBackward0"``, a subclass of `BackwardNode`
made once per name (see `node_class`).
The node remembers the Function, the ``ctx`` (what forward saved) and the
nodes of the inputs (``next_functions``). The backward engine later calls
``node.chain_rule(grad_output)``, which calls ``Mul.backward``.

Built-in operations compute forward on the raw arrays (``tensor._array``,
a NumPy or CuPy array) and return an array; they write backward with tensor
operations, so that ``create_graph=True`` can record the backward pass itself
and give second derivatives. A user-defined Function (as in PyTorch) may
instead compute forward with tensor operations and return a tensor.

Leaf tensors that require grad are represented in the graph by an
`AccumulateGrad` node, whose only job is to add the gradient that reaches it
into ``tensor.grad`` (after the leaf's hooks, if it has any).
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from minitensor import allocation, backend
from minitensor.autograd import anomaly, grad_mode
from minitensor.autograd.grad_mode import is_grad_enabled, set_grad_enabled
from minitensor.autograd.hooks import run_tensor_hooks
from minitensor.ops.broadcast import is_expandable_to, sum_to

if TYPE_CHECKING:
    from minitensor.tensor import Tensor

_BACKWARD_TWICE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


class FunctionCtx:
    """The ``ctx`` a Function's forward fills and its backward reads.

    Attributes:
        needs_input_grad: one bool per forward argument: does it need a gradient?
            A backward may skip the work for inputs that do not.
        saved_tensors: the tensors given to ``save_for_backward``; reading them
            checks that none was modified in place since (PyTorch's version check).
    Any other attribute (``ctx.dim = 1``) can be set freely for non-tensor data.
    """

    # Defaults at class level: most contexts never change most of them, and
    # a context is made for every operation, so each saved write counts.
    needs_input_grad: tuple[bool, ...] = ()
    _saved: tuple | None = ()
    _versions: tuple[int, ...] = ()
    _wants_result = False
    _result: _SavedResult | None = None

    def save_for_backward(self, *tensors) -> None:
        """Keep tensors for backward, remembering their version numbers."""
        self._saved = tensors
        self._versions = tuple(0 if t is None else t._version for t in tensors)

    @property
    def saved_tensors(self) -> tuple:
        if self._saved is None:
            raise RuntimeError(_BACKWARD_TWICE)
        for tensor, version in zip(self._saved, self._versions):
            if tensor is not None and tensor._version != version:
                raise RuntimeError(_modified_message(tensor, version))
        return self._saved

    def save_result(self) -> None:
        """Ask to keep the forward's *output* for backward (``d exp(a)/da = exp(a)``).

        A built-in forward returns an array, so the output tensor does not exist
        yet when forward runs; `Function.apply` keeps it once it is made.
        """
        self._wants_result = True

    @property
    def saved_result(self) -> Tensor:
        """The forward's output, checked like ``saved_tensors``, still linked to the graph."""
        if self._saved is None or self._result is None:
            raise RuntimeError(_BACKWARD_TWICE)
        return self._result.unpack()

    def _free(self) -> None:
        """Drop the saved tensors (after a backward without retain_graph)."""
        self._saved = None
        self._result = None


class _SavedResult:
    """An operation's output kept for its own backward, without a reference cycle.

    Keeping the output *tensor* would make a cycle (tensor -> grad_fn -> ctx
    -> tensor) that only Python's garbage collector can free. So the node
    keeps the output's array and version counter, and a weak reference to
    itself; ``unpack`` rebuilds a tensor whose ``grad_fn`` is that node, so a
    backward recorded with ``create_graph=True`` still differentiates through it.
    """

    __slots__ = ("array", "device", "node", "version", "version_counter")

    def __init__(self, out: Tensor, node):
        self.array, self.device = out._array, out._device
        self.version_counter, self.version = out._version_counter, out._version
        self.node = None if node is None else weakref.ref(node)

    def unpack(self) -> Tensor:
        out = _Tensor._wrap(self.array, self.device)
        out._version_counter = self.version_counter
        node = self.node() if self.node is not None else None
        if out._version != self.version:
            raise RuntimeError(_modified_message(out, self.version, output_of=node))
        if node is not None:
            out._grad_fn, out._requires_grad = node, True
        return out


def _modified_message(tensor: Tensor, expected: int, output_of=None) -> str:
    node = output_of if output_of is not None else tensor.grad_fn
    where = ""
    if node is not None:
        # PyTorch names the operation without "Backward0": "output 0 of Mul".
        operation = node.name().removesuffix("Backward0").replace("Backward", "")
        where = f", which is output 0 of {operation},"
    return (
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: [{tensor.type()} [{', '.join(map(str, tensor.shape))}]]{where} "
        f"is at version {tensor._version}; expected version {expected} instead. Hint: enable "
        "anomaly detection to find the operation that failed to compute its gradient, with "
        "minitensor.autograd.set_detect_anomaly(True, check_nan=False)."
    )


class Function:
    """Base class of differentiable operations (``minitensor.autograd.Function``).

    Subclass it with static ``forward(ctx, *args)`` and ``backward(ctx, grad_output)``
    and call ``YourFunction.apply(*args)``. ``backward`` returns one gradient per
    argument of ``forward`` (``None`` for arguments that are not tensors or need
    no gradient).

    Class attributes:
        node_name: the ``grad_fn`` name shown to users. Built-in operations use
            PyTorch's names (``"MulBackward0"``); a user's Function ``Square``
            gets ``"SquareBackward"``, as in PyTorch.
        is_view: True if forward returns a view of its first input (same
            memory), so both share one version counter.
    """

    node_name: str | None = None
    is_view = False
    _node_class: type[BackwardNode]  # the class of this Function's nodes (set below)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Give every Function subclass its node class when it is defined (as PyTorch does)."""
        super().__init_subclass__(**kwargs)
        cls._node_class = node_class(cls._node_name(), built_in=cls.node_name is not None)

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any) -> Any:
        raise NotImplementedError("a Function subclass must define forward(ctx, ...)")

    @staticmethod
    def backward(ctx: FunctionCtx, grad_output: Tensor) -> Any:
        raise NotImplementedError("a Function subclass must define backward(ctx, grad_output)")

    @classmethod
    def apply(cls, *args: Any) -> Tensor:
        """Run forward and, if any input requires grad, record the graph node."""
        Tensor = _Tensor
        tensors = [a for a in args if isinstance(a, Tensor)]
        device = _common_device(tensors)
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple([isinstance(a, Tensor) and a._requires_grad for a in args])
        record = grad_mode.is_grad_enabled() and True in ctx.needs_input_grad

        try:
            result = _forward(cls, ctx, args)
        except MemoryError as error:  # out of memory: PyTorch's RuntimeError instead
            raise allocation.translated(error, device or backend.CPU) from None
        if not isinstance(result, Tensor):
            out = Tensor._wrap(result, device)
        elif any(result is t for t in tensors):
            # A user's forward may return an input unchanged: the output must
            # still be a new tensor (sharing its memory), or the input itself
            # would become the output of this operation.
            out = result.detach()
        else:
            out = result

        if cls.is_view:
            base = tensors[0]
            out._version_counter = base._version_counter
            out._base = base if base._base is None else base._base
        # Only floating-point results can carry gradients (x.long() needs none).
        record = record and out.dtype.is_floating_point
        node = cls._node_class(cls, ctx, args) if record else None
        if node is not None:
            out._grad_fn = node
            out._requires_grad = True
        if ctx._wants_result:
            ctx._result = _SavedResult(out, node)
        return out

    @classmethod
    def _node_name(cls) -> str:
        return cls.node_name or f"{cls.__name__}Backward"


def _forward(function, ctx, args):
    """``function.forward(ctx, *args)`` with graph recording off and float errors quiet.

    Forward computes values only (no graph inside it), and like PyTorch it
    gives inf and nan without NumPy's RuntimeWarnings: this is the one place
    these rules are applied, for every operation. (Switching a mode that is
    already set is skipped: this runs for every operation, so it is kept cheap.)
    """
    recording = grad_mode.is_grad_enabled()
    if recording:
        grad_mode._set_enabled(False)
    try:
        if backend.float_errors_are_quiet():
            return function.forward(ctx, *args)
        return _quiet_forward(function, ctx, args)
    finally:
        if recording:
            grad_mode._set_enabled(True)


@backend.quietly
def _quiet_forward(function, ctx, args):
    return function.forward(ctx, *args)


# The one place where the layers below ``tensor.py`` meet the Tensor class.
#
# Imports in minitensor go one way: ``tensor.py`` imports the operations (its
# methods call them), so the operations cannot import ``tensor.py`` back. Yet
# an operation must make tensors (its result) and recognise them (is this
# argument a tensor or a number?). So ``tensor.py``, once its class is
# defined, registers it here with `register_tensor_class`, and everything
# below it asks here: `tensor_class`, `is_tensor`, `wrap_array`.
_Tensor: Any = None


def register_tensor_class(cls: type) -> None:
    """Called once, by ``minitensor/tensor.py``, with the Tensor class."""
    global _Tensor
    _Tensor = cls


def tensor_class() -> type[Tensor]:
    """The Tensor class (registered by ``tensor.py``)."""
    return _Tensor


def is_tensor(x: Any) -> bool:
    """``isinstance(x, Tensor)``, for modules that ``tensor.py`` imports."""
    return isinstance(x, _Tensor)


def wrap_array(array: Any, device: Any) -> Tensor:
    """A new tensor around ``array`` (no copy, no autograd state): ``Tensor._wrap``."""
    return _Tensor._wrap(array, device)


def _common_device(tensors):
    """The device all tensor arguments are on; mixing devices is an error, as in PyTorch."""
    if not tensors:
        return None
    device = tensors[0]._device
    for t in tensors[1:]:
        if t._device is not device and t._device != device:
            raise RuntimeError(
                "Expected all tensors to be on the same device, but found at least two "
                f"devices, {_device_order(device, t.device)}!"
            )
    return device


def _device_order(a, b) -> str:
    # PyTorch names the GPU first.
    return f"{a} and {b}" if a.type == "cuda" else f"{b} and {a}"


def graph_node(tensor: Tensor):
    """The node through which gradients reach ``tensor``.

    Its ``grad_fn`` if it was computed; for a leaf that requires grad, its
    `AccumulateGrad` node (one per leaf, shared by every use of it); None for
    a tensor that needs no gradient.
    """
    if tensor._grad_fn is not None:
        return tensor._grad_fn
    if not tensor._requires_grad:
        return None
    node = tensor._accumulator() if tensor._accumulator is not None else None
    if node is None:
        node = AccumulateGrad(tensor)
        # The tensor refers to its node weakly: the node refers to the tensor,
        # and two strong references would make a cycle.
        tensor._accumulator = weakref.ref(node)
    return node


class BackwardNode:
    """A ``grad_fn``: one recorded operation in the backward graph.

    Attributes:
        function: the `Function` subclass that made it.
        ctx: what its forward saved.
        parents: the graph nodes of the tensor inputs (``None`` for an input
            that needs no gradient), in order. PyTorch calls them
            ``next_functions``.
        hooks: the hooks registered with ``register_hook`` on the tensor this
            node computed (None until there is one; see `autograd.hooks`).
    """

    __slots__ = (
        "__weakref__", "_forward_stack", "_inputs", "_retained", "ctx", "function", "hooks",
        "parents",
    )  # fmt: skip

    def __init__(self, function, ctx, args):
        Tensor = _Tensor
        self.function = function
        self.ctx = ctx
        inputs, parents = [], []
        for i, a in enumerate(args):
            if isinstance(a, Tensor):
                # What the node remembers of each tensor input, to check its
                # gradient: (position among forward's arguments, shape, dtype).
                inputs.append((i, a._array.shape, a._dtype))
                parents.append(graph_node(a))
        self._inputs = tuple(inputs)
        self.parents = tuple(parents)
        self._retained: list = []  # weak references to tensors that called retain_grad()
        self.hooks: OrderedDict | None = None  # the output tensor's register_hook hooks
        # With anomaly detection on, remember where in the user's code this node was made.
        self._forward_stack = anomaly.forward_stack() if anomaly.is_anomaly_enabled() else None

    def name(self) -> str:
        """The node's name, e.g. ``"MulBackward0"``."""
        return self.function._node_name()

    @property
    def next_functions(self) -> tuple:
        """``((node, 0), ...)`` for each tensor input, as PyTorch shows it."""
        return tuple((p, 0) for p in self.parents)

    def __repr__(self) -> str:
        name = self.name().rsplit("::", 1)[-1]  # minitensor::autograd::NotImplemented
        if self.function.node_name is None:  # a user's Function: PyTorch shows a dotted path
            name = f"{__name__}.{name}"
        return f"<{name} object at {hex(id(self))}>"

    # --- the engine protocol -------------------------------------------------

    def run_hooks(self, grad_output):
        """The gradient after the output tensor's hooks (the engine calls this only if any)."""
        return run_tensor_hooks(self.hooks, grad_output)

    def chain_rule(self, grad_output, create_graph: bool = False) -> list:
        """Call the Function's backward and check each gradient it returns."""
        try:
            if is_grad_enabled() == create_graph:  # (backward() already set the mode)
                grads = self.function.backward(self.ctx, grad_output)
            else:
                with set_grad_enabled(create_graph):
                    grads = self.function.backward(self.ctx, grad_output)
        except Exception:
            if self._forward_stack is not None:
                anomaly.warn_error_in(self.name(), self._forward_stack)
            raise
        if not isinstance(grads, tuple):
            grads = (grads,)
        n_args = len(self.ctx.needs_input_grad)
        if len(grads) != n_args:
            raise RuntimeError(
                f"function {self.name()} returned an incorrect number of gradients "
                f"(expected {n_args}, got {len(grads)})"
            )
        result: list = []
        for index, (info, parent) in enumerate(zip(self._inputs, self.parents)):
            grad = grads[info[0]]
            if parent is None or grad is None:
                result.append(None)
            elif getattr(grad, "_dtype", None) is info[2] and grad._array.shape == info[1]:
                result.append(grad)  # the usual case, decided quickly: it already fits
            else:
                result.append(self._checked(grad, info, index, create_graph))
        if self._forward_stack is not None and anomaly.is_anomaly_check_nan_enabled():
            anomaly.check_no_nan(self.name(), result, self._forward_stack)
        return result

    def _checked(self, grad, info: tuple, index: int, create_graph: bool):
        """Match a gradient to its input: same shape (summing broadcast dims) and dtype."""
        _, shape, dtype = info
        if grad.shape != shape:
            if not is_expandable_to(shape, grad.shape):
                raise RuntimeError(
                    f"Function {self.name()} returned an invalid gradient at index {index} - "
                    f"got [{', '.join(map(str, grad.shape))}] but expected shape compatible "
                    f"with [{', '.join(map(str, shape))}]"
                )
            with set_grad_enabled(create_graph):
                grad = sum_to(grad, shape)
        if grad.dtype != dtype:
            with set_grad_enabled(create_graph):
                grad = grad.to(dtype)
        return grad

    def accumulate(self, grad) -> None:
        """Give the gradient to tensors that asked for it with ``retain_grad()``."""
        for ref in self._retained:
            tensor = ref()
            if tensor is not None:
                tensor._accumulate_grad(grad)

    def release(self) -> None:
        self.ctx._free()

    # --- what pictures and the stepper read (see `minitensor.autograd.protocol`) ---

    label = ""  # tensors carry no name of their own
    is_leaf = False
    variable = None  # the output tensor is not kept: it refers to this node (a cycle)
    local_grads = None  # backward computes vector-Jacobian products, not stored numbers

    @property
    def op(self) -> str:
        """The node's name, e.g. ``"MulBackward0"``."""
        return self.name()

    @property
    def saved(self) -> tuple | None:
        """The tensors forward saved, then its output if it kept it; None once freed."""
        ctx = self.ctx
        if ctx._saved is None:
            return None
        tensors = tuple(t for t in ctx._saved if t is not None)
        if ctx._result is not None:
            try:  # the output, rebuilt
                tensors += (ctx._result.unpack(),)
            except RuntimeError:  # it was modified in place since: backward will say so
                return tensors
        return tensors

    def grad_holders(self) -> list:
        """The tensors that called ``retain_grad()`` (and still exist)."""
        return [t for t in (ref() for ref in self._retained) if t is not None]

    def clear_grad(self) -> None:
        for tensor in self.grad_holders():
            tensor.grad = None


_node_classes: dict[str, type[BackwardNode]] = {}


def node_class(name: str, built_in: bool = True) -> type[BackwardNode]:
    """The `BackwardNode` subclass called ``name`` (``"MulBackward0"``), made on first request.

    In PyTorch every kind of graph node is a class of its own, so students
    can print ``type(y.grad_fn)`` and test ``isinstance``; each is made once
    here and reused, so all ``MulBackward0`` nodes share one class. A
    built-in node's class prints as PyTorch's C++ ones do
    (``<class 'MulBackward0'>``: Python files them under ``builtins``); a
    user's Function's prints with this module's path, as in PyTorch.
    """
    name = name.rsplit("::", 1)[-1]  # minitensor::autograd::NotImplemented -> NotImplemented
    if name not in _node_classes:
        module = "builtins" if built_in else __name__
        _node_classes[name] = type(name, (BackwardNode,), {"__slots__": (), "__module__": module})
    return _node_classes[name]


class AccumulateGrad:
    """The graph node of a leaf tensor: adds the gradient that reaches it into ``.grad``."""

    __slots__ = ("__weakref__", "variable")
    parents: tuple = ()
    next_functions: tuple = ()

    def __init__(self, variable: Tensor):
        self.variable = variable

    def name(self) -> str:
        # PyTorch's C++ class name, with the library's namespace (its repr says "AccumulateGrad").
        return "minitensor::autograd::AccumulateGrad"

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {hex(id(self))}>"

    @property
    def hooks(self):
        """The leaf's own hooks: they live in the tensor, which outlives this node."""
        return self.variable._backward_hooks

    def run_hooks(self, grad_output):
        """The gradient after the leaf's hooks, before it goes into ``.grad``."""
        return run_tensor_hooks(self.variable._backward_hooks, grad_output)

    def chain_rule(self, grad_output, create_graph: bool = False) -> tuple:
        return ()

    def accumulate(self, grad) -> None:
        self.variable._accumulate_grad(grad)

    def release(self) -> None:
        """A leaf saves nothing."""

    # --- what pictures and the stepper read (see `minitensor.autograd.protocol`) ---

    op = "AccumulateGrad"  # torchviz's name for it
    label = ""
    is_leaf = True
    local_grads = None
    saved: tuple = ()

    def grad_holders(self) -> list:
        return [self.variable]

    def clear_grad(self) -> None:
        self.variable.grad = None
