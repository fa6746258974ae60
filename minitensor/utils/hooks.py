"""`RemovableHandle`: what ``register_hook`` and the module hook methods return.

A hook is kept in a dictionary, under a number that is unique for the whole
program; the handle remembers the dictionary and the number, so that
``handle.remove()`` deletes exactly that hook::

    >>> import minitensor
    >>> x = minitensor.tensor([1.0, 2.0], requires_grad=True)
    >>> handle = x.register_hook(lambda grad: grad * 2)
    >>> handle.remove()  # x's gradient is no longer doubled

As in PyTorch (``torch.utils.hooks.RemovableHandle``), a handle is also a
context manager: ``with x.register_hook(h):`` removes the hook on leaving.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from typing import Any


class RemovableHandle:
    """A handle that removes one hook from the dictionary it was registered in.

    Args:
        hooks_dict: the dictionary of hooks, keyed by each hook's ``id``. It
            must be an ``OrderedDict``: the handle refers to it weakly, and a
            plain ``dict`` cannot be weakly referenced.
        extra_dict: another dictionary (or a list of them) keyed by the same
            ids, e.g. the one marking which module hooks take keyword
            arguments; ``remove()`` deletes the id there too.

    Attributes:
        id: this hook's key, unique for the whole program.
    """

    id: int
    next_id: int = 0  # the id the next handle gets

    def __init__(self, hooks_dict: OrderedDict, *, extra_dict: Any = None) -> None:
        # A weak reference: a handle kept by the user must not keep a dead
        # graph node (and everything it saved) alive.
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1
        if extra_dict is None:
            extra_dict = []
        elif isinstance(extra_dict, dict):
            extra_dict = [extra_dict]
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extra_dict)

    def remove(self) -> None:
        """Remove the hook (removing it twice, or after its owner is gone, does nothing)."""
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            hooks = ref()
            if hooks is not None:
                hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.remove()
