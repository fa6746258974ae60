"""The graph nodes a `Function` leaves: `BackwardNode` (a ``grad_fn``) and `AccumulateGrad`.

``Mul.apply(a, b)`` attaches a `BackwardNode` to its result; each kind of
node is a class of its own, named as in PyTorch (``type(y.grad_fn).__name__``
is ``"MulBackward0"``, made once per name by `node_class`). The backward
engine calls ``node.chain_rule(grad_output)``, which calls the Function's
backward and checks what it returns. A leaf tensor that requires grad is
represented by an `AccumulateGrad` node, which adds the gradient that
reaches it into ``tensor.grad``. Both meet `minitensor.autograd.protocol.Node`.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING

from minitensor.autograd import anomaly, grad_mode
from minitensor.autograd.grad_mode import set_grad_enabled
from minitensor.autograd.hooks import run_tensor_hooks
from minitensor.autograd.registry import tensor_class
from minitensor.ops.broadcast import is_expandable_to, sum_to

if TYPE_CHECKING:
    from minitensor.tensor import Tensor

# The module a user's Function's nodes belong to, as PyTorch's belong to torch.autograd.function
# (``<minitensor.autograd.function.SquareBackward object at ...>``).
_USER_NODE_MODULE = "minitensor.autograd.function"


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
        Tensor = tensor_class()
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
        self._forward_stack = anomaly.forward_stack() if anomaly._enabled else None

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
            name = f"{_USER_NODE_MODULE}.{name}"
        return f"<{name} object at {hex(id(self))}>"

    # --- the engine protocol -------------------------------------------------

    def run_hooks(self, grad_output):
        """The gradient after the output tensor's hooks (the engine calls this only if any)."""
        return run_tensor_hooks(self.hooks, grad_output)

    def chain_rule(self, grad_output, create_graph: bool = False) -> list:
        """Call the Function's backward and check each gradient it returns."""
        try:
            if grad_mode._enabled == create_graph:  # (backward() already set the mode)
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
        module = "builtins" if built_in else _USER_NODE_MODULE
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
