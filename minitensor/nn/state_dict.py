"""Saving and loading a Module's tensors: ``state_dict`` and ``load_state_dict``.

``model.state_dict()`` is an ordered dictionary from dotted names
(``"fc.weight"``, ``"0.bias"``) to tensors: every parameter and buffer, the
whole trained state. ``model.load_state_dict(d)`` copies such a dictionary
back into a model of the same shape. `Module`'s two methods call the
functions here::

    >>> from minitensor import nn
    >>> model = nn.Sequential(nn.Linear(2, 3))
    >>> list(model.state_dict())
    ['0.weight', '0.bias']
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from typing import TYPE_CHECKING

from minitensor.autograd.grad_mode import no_grad
from minitensor.tensor import Tensor

if TYPE_CHECKING:
    from minitensor.nn.module import Module


class _IncompatibleKeys(namedtuple("_IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it did not find, and those it did not use."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()


def state_dict(module: Module, destination=None, prefix: str = "", keep_vars: bool = False):
    """``module.state_dict()``: every parameter and buffer by name, children included."""
    destination = OrderedDict() if destination is None else destination
    for name, value in [*module._parameters.items(), *module._buffers.items()]:
        if value is not None:
            destination[prefix + name] = value if keep_vars else value.detach()
    for name, child in module._modules.items():
        if child is not None:
            child.state_dict(
                destination=destination, prefix=f"{prefix}{name}.", keep_vars=keep_vars
            )
    return destination


def load_state_dict(module: Module, state_dict, strict: bool = True) -> _IncompatibleKeys:
    """``module.load_state_dict(state_dict)``: copy the tensors in, checking keys and shapes."""
    if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
    own = module.state_dict(keep_vars=True)
    missing = [key for key in own if key not in state_dict]
    unexpected = [key for key in state_dict if key not in own]
    errors = []
    if strict and missing:
        errors.append(f"Missing key(s) in state_dict: {_quoted(missing)}. ")
    if strict and unexpected:
        errors.append(f"Unexpected key(s) in state_dict: {_quoted(unexpected)}. ")
    for key, target in own.items():
        if key not in state_dict:
            continue
        source = state_dict[key]
        if not isinstance(source, Tensor):
            errors.append(
                f'While copying the parameter named "{key}", expected minitensor.Tensor or '
                f"Tensor-like object from checkpoint but received {type(source)}"
            )
        elif source.shape != target.shape:
            errors.append(
                f"size mismatch for {key}: copying a param with shape {source.shape} from "
                f"checkpoint, the shape in current model is {target.shape}."
            )
        else:
            with no_grad():
                target.copy_(source)
    if errors:
        body = "\n\t".join(errors)
        raise RuntimeError(f"Error(s) in loading state_dict for {type(module).__name__}:\n\t{body}")
    return _IncompatibleKeys(missing, unexpected)


def _quoted(keys: list[str]) -> str:
    return ", ".join(f'"{key}"' for key in keys)
