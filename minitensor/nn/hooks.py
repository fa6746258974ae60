"""Forward hooks of a Module: functions called around every ``forward``.

``module.register_forward_pre_hook(hook)`` runs ``hook(module, args)`` before
``forward`` (it may return new arguments); ``module.register_forward_hook(hook)``
runs ``hook(module, args, output)`` after it (it may return a new output).
They let you watch or change what flows through a model without editing
its code, e.g. to record every layer's output::

    >>> import minitensor
    >>> from minitensor import nn
    >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    >>> shapes = []
    >>> handle = model[0].register_forward_hook(lambda m, args, out: shapes.append(out.shape))
    >>> _ = model(minitensor.ones(4, 2))
    >>> shapes
    [minitensor.Size([4, 3])]
    >>> handle.remove()

`Module.__call__` calls `call_with_hooks` only when the module has hooks.
(PyTorch's module *backward* hooks are not part of minitensor; a tensor's
``register_hook`` covers watching gradients.)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minitensor.utils.hooks import RemovableHandle

if TYPE_CHECKING:
    from minitensor.nn.module import Module


def add_hook(
    hooks: OrderedDict, kwargs_ids: OrderedDict, hook: Callable, prepend: bool, with_kwargs: bool
) -> RemovableHandle:
    """Register ``hook`` in ``hooks`` (first if ``prepend``) and return its handle.

    ``kwargs_ids`` holds the ids of the hooks that take the keyword arguments too.
    """
    handle = RemovableHandle(hooks, extra_dict=kwargs_ids)
    hooks[handle.id] = hook
    if with_kwargs:
        kwargs_ids[handle.id] = True
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


def call_with_hooks(module: Module, args: tuple, kwargs: dict) -> Any:
    """``module(*args, **kwargs)``: pre-hooks, then ``forward``, then hooks (PyTorch's order)."""
    # (Copies of the hooks: a hook may remove itself while running.)
    for hook_id, hook in list(module._forward_pre_hooks.items()):
        if hook_id in module._forward_pre_hooks_with_kwargs:
            result = hook(module, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(
                        "forward pre-hook must return None or a tuple of (new_args, "
                        f"new_kwargs), but got {result}."
                    )
                args, kwargs = result
        else:
            result = hook(module, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
    output = module.forward(*args, **kwargs)
    for hook_id, hook in list(module._forward_hooks.items()):
        if hook_id in module._forward_hooks_with_kwargs:
            result = hook(module, args, kwargs, output)
        else:
            result = hook(module, args, output)
        if result is not None:
            output = result  # the hooks after this one see the new output
    return output
