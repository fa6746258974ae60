"""Adagrad (``minitensor.optim.Adagrad``): a parameter's steps shrink with its gradient history."""

from __future__ import annotations

from collections.abc import Iterable

from minitensor import backend
from minitensor.creation import full_like, tensor
from minitensor.optim.optimizer import Optimizer, check_implementation_options
from minitensor.tensor import Tensor


class Adagrad(Optimizer):
    """p <- p - lr * g / (sqrt(s) + eps), s the sum of all past g^2 (adaptive gradient).

    Every step t = 1, 2, ..., for each parameter p with gradient g (PyTorch's
    algorithm, in the same order)::

        g = g + weight_decay * p                   # L2 penalty (weight_decay != 0)
        lr_t = lr / (1 + (t - 1) * lr_decay)       # an optionally decaying lr
        s = s + g * g                              # s starts at initial_accumulator_value
        p = p - lr_t * g / (sqrt(s) + eps)

    s only grows, so steps get smaller the more (and the larger) gradients a
    parameter has seen: rarely updated parameters keep larger steps.

    Unlike most optimizers, Adagrad creates each parameter's state (``step``
    and ``sum``) in its constructor, as PyTorch does.

    >>> import minitensor
    >>> w = minitensor.tensor([1.0], requires_grad=True)
    >>> opt = Adagrad([w], lr=0.5)
    >>> (w * w).sum().backward()     # g = 2, s = 4, so g / sqrt(s) = 1
    >>> opt.step()
    >>> w
    tensor([0.5000], requires_grad=True)
    """

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if lr_decay < 0.0:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if initial_accumulator_value < 0.0:
            raise ValueError(
                f"Invalid initial_accumulator_value value: {initial_accumulator_value}"
            )
        if eps < 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        if fused and differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        check_implementation_options(differentiable)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p)

    def _init_state(self, p: Tensor) -> None:
        """step = 0 and sum = initial_accumulator_value (the constructor's, even for a group
        that gives its own: PyTorch reads ``self.defaults`` here)."""
        self.state[p]["step"] = tensor(0.0)
        self.state[p]["sum"] = full_like(p, self.defaults["initial_accumulator_value"])

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr, lr_decay, eps = group["lr"], group["lr_decay"], group["eps"]
            weight_decay = group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                if not self.state[p]:  # added later by add_param_group
                    self._init_state(p)
                state = self.state[p]
                state["step"]._array += 1
                step = state["step"].item()
                g = -p.grad._array if group["maximize"] else p.grad._array
                if weight_decay != 0:
                    g = g + weight_decay * p._array
                clr = lr / (1 + (step - 1) * lr_decay)
                s = state["sum"]._array
                s += g * g
                std = backend.namespace(p.device).sqrt(s) + eps
                p._array += -clr * g / std
                p._bump_version()
        return loss
