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

This file holds `Function` and its ``apply``; the ``ctx`` is in
``autograd/saved.py``, the graph nodes in ``autograd/nodes.py``, and the
hook through which the layers below ``tensor.py`` reach the Tensor class in
``autograd/registry.py`` (all importable from here too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minitensor import allocation, backend
from minitensor.autograd import grad_mode
from minitensor.autograd.nodes import (  # noqa: F401 (the graph nodes: importable from here too)
    AccumulateGrad,
    BackwardNode,
    graph_node,
    node_class,
)
from minitensor.autograd.registry import (  # noqa: F401 (the Tensor-class hook, as before)
    is_tensor,
    register_tensor_class,
    tensor_class,
    wrap_array,
)
from minitensor.autograd.saved import FunctionCtx, _SavedResult

if TYPE_CHECKING:
    from minitensor.tensor import Tensor


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
        Tensor = tensor_class()
        # One pass over the arguments: which need a gradient, and their device.
        needs_input_grad, device = [], None
        for a in args:
            if not isinstance(a, Tensor):
                needs_input_grad.append(False)
                continue
            needs_input_grad.append(a._requires_grad)
            if device is None:
                device = a._device
            elif a._device is not device and a._device != device:
                raise _mixed_devices(device, a._device)
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(needs_input_grad)
        record = grad_mode._enabled and True in needs_input_grad
        if not record:
            ctx._recording = False

        # Forward computes values only, with graph recording off (no graph inside
        # it) and, like PyTorch, gives inf and nan without NumPy's RuntimeWarnings
        # (already silenced inside a backward pass): this is the one place these
        # rules are applied, for every operation.
        was_recording = grad_mode._enabled
        grad_mode._enabled = False
        quiet = None if backend.quiet_float_errors._open else backend.silence_float_errors()
        try:
            result = cls.forward(ctx, *args)
        except MemoryError as error:  # out of memory: PyTorch's RuntimeError instead
            raise allocation.translated(error, device or backend.CPU) from None
        finally:
            grad_mode._enabled = was_recording
            if quiet is not None:
                backend.restore_float_errors(quiet)
        if not isinstance(result, Tensor):
            out = Tensor._wrap(result, device)
        elif any(result is t for t in args):
            # A user's forward may return an input unchanged: the output must
            # still be a new tensor (sharing its memory), or the input itself
            # would become the output of this operation.
            out = result.detach()
        else:
            out = result

        if cls.is_view:
            base = args[0]
            out._version_counter = base._version_counter
            out._base = base if base._base is None else base._base
        # Only floating-point results can carry gradients (x.long() needs none).
        if record and out._dtype.is_floating_point:
            node = cls._node_class(cls, ctx, args)
            out._grad_fn = node
            out._requires_grad = True
            if ctx._wants_result:
                ctx._result = _SavedResult(out, node)
        return out

    @classmethod
    def _node_name(cls) -> str:
        return cls.node_name or f"{cls.__name__}Backward"


def _mixed_devices(a, b) -> RuntimeError:
    """PyTorch's error for an operation on tensors of two devices."""
    return RuntimeError(
        "Expected all tensors to be on the same device, but found at least two "
        f"devices, {_device_order(a, b)}!"
    )


def _device_order(a, b) -> str:
    # PyTorch names the GPU first.
    return f"{a} and {b}" if a.type == "cuda" else f"{b} and {a}"
