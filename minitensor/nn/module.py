"""`Module`: the base class of every layer and model (``minitensor.nn.Module``).

A Module is an object that holds weights (`Parameter`s) and other Modules,
and computes something in ``forward``. Its one trick is ``__setattr__``:
assigning a Parameter or a Module to an attribute *registers* it, so that

    self.fc = Linear(2, 3)

makes ``model.parameters()`` find ``self.fc.weight`` and ``self.fc.bias``
without the model listing them. Everything else (``zero_grad``,
``state_dict``, ``to(device)``, the printed form) walks that registry::

    >>> import minitensor
    >>> from minitensor import nn
    >>> class Net(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.fc = nn.Linear(2, 1)
    ...     def forward(self, x):
    ...         return self.fc(x).sigmoid()
    >>> [name for name, _ in Net().named_parameters()]
    ['fc.weight', 'fc.bias']
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from minitensor.nn import hooks as _hooks
from minitensor.nn import state_dict as _state_dict
from minitensor.nn.module_devices import DeviceMethods
from minitensor.nn.parameter import Parameter
from minitensor.tensor import Tensor
from minitensor.utils.hooks import RemovableHandle


class Module(DeviceMethods):
    """Base class for layers and models: subclass it and write ``forward``.

    Call ``super().__init__()`` first in your ``__init__``; then every
    `Parameter` or `Module` you assign to ``self`` is registered.
    ``model(x)`` calls ``model.forward(x)``.
    """

    training: bool

    def __init__(self) -> None:
        # object.__setattr__: our own __setattr__ needs these dicts to exist.
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        # Forward hooks by handle id; the *_with_kwargs dicts mark the hooks
        # registered with with_kwargs=True (both as in PyTorch).
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks_with_kwargs", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_forward_hooks_with_kwargs", OrderedDict())

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not (self._forward_pre_hooks or self._forward_hooks):
            return self.forward(*args, **kwargs)  # the usual case: no hooks, no detour
        return _hooks.call_with_hooks(self, args, kwargs)

    # ------------------------------------------------------------------
    # Forward hooks: functions called before and after every forward
    # (the machinery is in minitensor.nn.hooks)
    # ------------------------------------------------------------------

    def register_forward_pre_hook(
        self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, args)`` before every ``forward``; it may change the arguments.

        ``args`` is the tuple of positional arguments. The hook returns None
        (keep them) or the new arguments (a value that is not a tuple is
        wrapped in one). With ``with_kwargs=True`` it is called as
        ``hook(module, args, kwargs)`` and returns None or ``(args, kwargs)``.
        ``prepend=True`` runs it before the hooks registered earlier.
        Returns a handle: ``handle.remove()`` removes the hook.
        """
        return _hooks.add_hook(
            self._forward_pre_hooks, self._forward_pre_hooks_with_kwargs, hook, prepend, with_kwargs
        )

    def register_forward_hook(
        self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after every ``forward``; it may replace the output.

        The hook returns None (keep the output) or the new output. With
        ``with_kwargs=True`` it is called as ``hook(module, args, kwargs, output)``.
        ``prepend=True`` runs it before the hooks registered earlier.
        Returns a handle: ``handle.remove()`` removes the hook.

            >>> layer = nn.Linear(2, 3)
            >>> handle = layer.register_forward_hook(lambda m, args, out: print(out.shape))
        """
        return _hooks.add_hook(
            self._forward_hooks, self._forward_hooks_with_kwargs, hook, prepend, with_kwargs
        )

    # ------------------------------------------------------------------
    # Registration by attribute assignment
    # ------------------------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> None:
        params = self.__dict__.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, keep="_parameters")
            params[name] = value
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_type_name(value)}' as parameter '{name}' "
                    "(minitensor.nn.Parameter or None expected)"
                )
            params[name] = None
        elif isinstance(value, Module):
            modules = self.__dict__.get("_modules")
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, keep="_modules")
            modules[name] = value
        elif name in self.__dict__.get("_modules", {}):
            if value is not None:
                raise TypeError(
                    f"cannot assign '{_type_name(value)}' as child module '{name}' "
                    "(minitensor.nn.Module or None expected)"
                )
            self._modules[name] = None
        elif name in self.__dict__.get("_buffers", {}):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{_type_name(value)}' as buffer '{name}' "
                    "(minitensor.Tensor or None expected)"
                )
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name: str, keep: str) -> None:
        """Remove ``name`` from the registries other than ``keep`` (it is being reassigned).

        Its entry in ``keep`` is then overwritten in place, so a replaced layer
        keeps its position (``model[1] = nn.ReLU()``).
        """
        self.__dict__.pop(name, None)
        for registry in ("_parameters", "_buffers", "_modules"):
            if registry != keep:
                self.__dict__[registry].pop(name, None)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails: registered things live in the dicts.
        for registry in ("_parameters", "_buffers", "_modules"):
            found = self.__dict__.get(registry)
            if found is not None and name in found:
                return found[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for registry in ("_parameters", "_buffers", "_modules"):
            if name in self.__dict__[registry]:
                del self.__dict__[registry][name]
                return
        object.__delattr__(self, name)

    def __dir__(self):
        registered = [*self._parameters, *self._buffers, *self._modules]
        return sorted(set(super().__dir__()) | set(registered))

    def _check_name(self, name, kind: str, registry: str) -> None:
        """PyTorch's checks on a name given to register_parameter or register_buffer."""
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {_type_name(name)}")
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain "."')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')
        if hasattr(self, name) and name not in self.__dict__[registry]:
            raise KeyError(f"attribute '{name}' already exists")

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` (or None: a slot with no parameter) under ``name``."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_name(name, "parameter", "_parameters")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{_type_name(param)}' object to parameter '{name}' "
                "(minitensor.nn.Parameter or None required)"
            )
        self._forget(name, keep="_parameters")
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None) -> None:
        """Register a tensor that is part of the state but not trained (e.g. running means)."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_name(name, "buffer", "_buffers")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{_type_name(tensor)}' object to buffer '{name}' "
                "(minitensor Tensor or None required)"
            )
        self._forget(name, keep="_buffers")
        self._buffers[name] = tensor

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` as a child under ``name`` (what ``self.name = module`` does)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_type_name(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {_type_name(name)}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._forget(name, keep="_modules")
        self._modules[name] = module

    register_module = add_module

    # ------------------------------------------------------------------
    # Walking the tree of modules
    # ------------------------------------------------------------------

    def named_modules(self, memo: set | None = None, prefix: str = "") -> Iterator:
        """``(name, module)`` for this module and every module inside it, each once."""
        memo = set() if memo is None else memo
        if self in memo:
            return
        memo.add(self)
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child.named_modules(memo, f"{prefix}.{name}" if prefix else name)

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator:
        """``(name, module)`` for the direct children."""
        seen = set()
        for name, child in self._modules.items():
            if child is not None and child not in seen:
                seen.add(child)
                yield name, child

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def named_parameters(self, prefix: str = "", recurse: bool = True) -> Iterator:
        """``("fc.weight", Parameter)`` pairs; a parameter shared by two layers comes once."""
        seen = set()
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, param in module._parameters.items():
                if param is None or param in seen:
                    continue
                seen.add(param)
                yield (f"{module_name}.{name}" if module_name else name), param

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every parameter (what an optimizer needs: ``SGD(model.parameters(), lr=0.1)``)."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator:
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    yield (f"{module_name}.{name}" if module_name else name), buffer

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every child (depth first), then on self; e.g. to initialise weights."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------------
    # Training helpers
    # ------------------------------------------------------------------

    def train(self, mode: bool = True) -> Module:
        """Set training mode (``self.training``) here and in every child; returns self."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode: ``train(False)``."""
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's ``.grad`` (to None, or to zeros) before the next backward."""
        for param in self.parameters():
            if param.grad is None:
                continue
            if set_to_none:
                param.grad = None
            else:
                param.grad = param.grad.detach()
                param.grad.zero_()

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Freeze (False) or unfreeze (True) every parameter; returns self."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    # ------------------------------------------------------------------
    # Saving and loading: state_dict
    # ------------------------------------------------------------------

    def state_dict(self, *, destination=None, prefix: str = "", keep_vars: bool = False):
        """An OrderedDict from names (``"0.weight"``) to tensors: everything to save.

        The tensors share memory with the parameters but are detached from
        autograd (``keep_vars=True`` gives the Parameters themselves).
        (The machinery is in `minitensor.nn.state_dict`.)
        """
        return _state_dict.state_dict(self, destination, prefix, keep_vars)

    def load_state_dict(self, state_dict, strict: bool = True) -> _state_dict._IncompatibleKeys:
        """Copy the tensors of ``state_dict`` into this module's parameters and buffers.

        With ``strict=True`` (the default) the keys must match exactly; the
        error lists the missing and unexpected ones, as PyTorch's does.
        Shapes must always match; values are converted to each parameter's
        dtype and device.
        """
        return _state_dict.load_state_dict(self, state_dict, strict)

    # ------------------------------------------------------------------
    # Printing, PyTorch's layout:  Sequential(\n  (0): Linear(...)\n)
    # ------------------------------------------------------------------

    def extra_repr(self) -> str:
        """What goes between the parentheses of this module's repr (override it)."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [
            f"({name}): {_indent(repr(module), 2)}" for name, module in self._modules.items()
        ]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if len(extra_lines) == 1 and not child_lines:
            text += extra_lines[0]
        elif lines:
            text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"


def _indent(text: str, spaces: int) -> str:
    """Indent every line but the first (a child's repr inside its parent's)."""
    first, *rest = text.split("\n")
    return "\n".join([first] + [" " * spaces + line for line in rest])


def _type_name(value: Any) -> str:
    return value.type() if isinstance(value, Tensor) else type(value).__name__
