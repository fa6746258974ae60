"""`Optimizer`: what every optimizer shares (``minitensor.optim.Optimizer``).

An optimizer holds the parameters to train, in one or more *parameter
groups* (each a dict with its own ``lr`` and other settings), and per
parameter a *state* (momentum buffers, running averages). ``step()`` reads
each parameter's ``.grad`` and changes the parameter in place;
``zero_grad()`` clears the gradients before the next backward.

How the update is written: a step is not part of any graph, so the
subclasses compute it on the parameters' arrays (``p._array``, NumPy or
CuPy) in place, as PyTorch's kernels do, and bump each parameter's version
counter, as every in-place change does. The formulas follow PyTorch's
single-tensor code line by line, so the numbers agree step for step.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from minitensor import backend
from minitensor.autograd.grad_mode import enable_grad
from minitensor.tensor import Tensor


def check_implementation_options(differentiable: bool) -> None:
    """Refuse what minitensor cannot do among PyTorch's implementation options.

    ``foreach`` and ``fused`` pick a faster kernel for many tensors at once,
    ``capturable`` one that CUDA graphs can record: in PyTorch they give the
    same numbers, and minitensor has one implementation, so the optimizers
    accept them and keep them in their parameter groups (as PyTorch shows
    them). ``differentiable=True`` would let autograd record the step itself,
    which minitensor's optimizers do not do.
    """
    if differentiable:
        raise NotImplementedError(
            "minitensor's optimizers update parameters outside autograd: "
            "differentiable=True is not supported"
        )


class Optimizer:
    """Base class: ``Optimizer(params, defaults)``; subclasses write ``step()``.

    Args:
        params: an iterable of tensors, or of dicts ``{"params": [...], "lr": ...}``
            (parameter groups with their own settings).
        defaults: the settings a group gets when it does not give its own.
    """

    def __init__(self, params: Iterable, defaults: dict[str, Any]):
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {params.type()}"
            )
        self.defaults = defaults
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own settings (e.g. a smaller ``lr``)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        params = list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"optimizer can only optimize Tensors, but one of the params is {_typename(p)}"
                )
            if not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        # PyTorch's order: the group's own keys ("params" first), then the defaults it lacks.
        group = {**param_group, "params": params}
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        if len(params) != len(set(params)):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, "
                "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                "information",
                UserWarning,
                stacklevel=3,
            )
        known = {p for g in self.param_groups for p in g["params"]}
        if not known.isdisjoint(params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's ``.grad``: to None (the default), or to zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad = p.grad.detach()
                    p.grad.zero_()

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter once from its ``.grad`` (subclasses implement it)."""
        raise NotImplementedError

    def _run_closure(self, closure: Callable[[], Any] | None) -> Any:
        """Some algorithms re-evaluate the loss: ``closure`` does forward and backward."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

    # ------------------------------------------------------------------
    # Saving and loading
    # ------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}``.

        Parameters are named by their position (0, 1, ...) across the groups,
        as in PyTorch, so the dict can be loaded into a new optimizer.
        """
        index_of: dict[Tensor, int] = {}
        groups = []
        for group in self.param_groups:
            for p in group["params"]:
                index_of.setdefault(p, len(index_of))
            settings = {k: v for k, v in group.items() if k != "params"}
            groups.append({**settings, "params": [index_of[p] for p in group["params"]]})
        state = {
            index_of[p]: {k: _copy(v) if isinstance(v, Tensor) else v for k, v in s.items()}
            for p, s in self.state.items()
            if p in index_of
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore settings and state saved by ``state_dict()`` (same parameter layout)."""
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for group, saved in zip(self.param_groups, saved_groups):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the size "
                    "of optimizer's group"
                )
        self.state = defaultdict(dict)
        for group, saved in zip(self.param_groups, saved_groups):
            for p, index in zip(group["params"], saved["params"]):
                if index in state_dict["state"]:
                    self.state[p] = {
                        k: _like_param(v, p, k) for k, v in state_dict["state"][index].items()
                    }
            group.update({k: v for k, v in saved.items() if k != "params"})

    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"


def _typename(obj: Any) -> str:
    """A type's name as PyTorch's messages write it: ``list``, ``numpy.ndarray``."""
    module = type(obj).__module__
    name = type(obj).__qualname__
    return name if module in (None, "builtins") else f"{module}.{name}"


def _copy(t: Tensor) -> Tensor:
    """A copy of ``t`` in new memory, outside autograd."""
    return Tensor._wrap(backend.namespace(t.device).asarray(t._array, copy=True), t.device)


def _like_param(value: Any, param: Tensor, key: str) -> Any:
    """A loaded state tensor, on the parameter's device (and dtype, except Adam's step count)."""
    if not isinstance(value, Tensor):
        return value
    if key == "step":  # a count, kept as it is
        return _copy(value)
    return _copy(value.to(param.device, param.dtype))
