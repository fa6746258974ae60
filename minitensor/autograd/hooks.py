"""Tensor hooks: ``tensor.register_hook(hook)`` watches (or changes) a gradient.

A hook is a function ``hook(grad) -> Tensor or None`` that the backward
engine calls with the *complete* gradient with respect to the tensor, i.e.
once every path has delivered its share::

    >>> import minitensor
    >>> x = minitensor.tensor([1.0, 2.0], requires_grad=True)
    >>> y = x * 3
    >>> handle = y.register_hook(lambda grad: print("dL/dy =", grad))
    >>> (y * y).sum().backward()
    dL/dy = tensor([ 6., 12.])

Returning a tensor *replaces* the gradient: the later hooks, the rest of the
backward pass and ``.grad`` all see the returned tensor instead.

Where the hooks live (as in PyTorch):

* on a computed tensor, in its ``grad_fn`` node (``node.hooks``): the node
  runs them before its backward (a "pre-hook" of the node), so what it sends
  to its inputs is computed from the hooked gradient;
* on a leaf, in the tensor itself (``tensor._backward_hooks``), where its
  `AccumulateGrad` node finds them before adding the gradient to ``.grad``
  (a leaf's node is made afresh when needed, so it cannot keep them).

The engine calls ``node.run_hooks(grad)`` only for nodes that have hooks
(see `minitensor.autograd.engine`).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from minitensor.utils.hooks import RemovableHandle

if TYPE_CHECKING:
    from minitensor.tensor import Tensor


def register_tensor_hook(tensor: Tensor, hook: Any) -> RemovableHandle:
    """Add ``hook`` to the hooks that see ``tensor``'s gradient (``Tensor.register_hook``)."""
    if not tensor._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    node = tensor._grad_fn
    if node is not None:
        # A hook registered after an in-place operation goes to the new grad_fn:
        # it sees the gradient of the tensor's new value, as in PyTorch.
        if node.hooks is None:
            node.hooks = OrderedDict()
        hooks = node.hooks
    else:
        if tensor._backward_hooks is None:
            tensor._backward_hooks = OrderedDict()
        hooks = tensor._backward_hooks
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    return handle


def run_tensor_hooks(hooks: OrderedDict, grad: Tensor) -> Tensor:
    """Call each hook in order; a hook that returns a tensor replaces the gradient."""
    # A copy of the hooks: a hook may remove itself (or another) while running.
    for hook in list(hooks.values()):
        result = hook(grad)
        if result is not None:
            _check_result(hook, grad, result)
            grad = result
    return grad


def _check_result(hook: Any, grad: Tensor, result: Any) -> None:
    """A replacement gradient must be a tensor like the one it replaces (PyTorch's checks)."""
    # (``type(grad)`` is the Tensor class: this module sits below tensor.py.)
    if not isinstance(result, type(grad)):
        # (PyTorch's message still calls a tensor by its old name, "Variable".)
        raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")
    name = getattr(hook, "__name__", "<unknown>")
    if result.dtype != grad.dtype or result.device.type != grad.device.type:
        raise RuntimeError(
            f"hook '{name}' has changed the type of value (was {grad.type()} got {result.type()})"
        )
    if result.shape != grad.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value")
