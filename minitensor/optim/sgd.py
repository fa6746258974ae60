"""Stochastic gradient descent, with momentum (``minitensor.optim.SGD``)."""

from __future__ import annotations

from collections.abc import Iterable

from minitensor import backend
from minitensor.optim.optimizer import Optimizer, check_implementation_options
from minitensor.tensor import Tensor


class SGD(Optimizer):
    """p <- p - lr * g, where g is the gradient, optionally smoothed by momentum.

    With the options, each step does, for every parameter p with gradient g
    (PyTorch's algorithm, in the same order)::

        g = g + weight_decay * p                 # L2 penalty (weight_decay != 0)
        b = g                 on the first step  # the momentum buffer (momentum != 0)
        b = momentum * b + (1 - dampening) * g   afterwards
        g = g + momentum * b  if nesterov, else g = b
        p = p - lr * g

    >>> import minitensor
    >>> w = minitensor.tensor([1.0], requires_grad=True)
    >>> opt = SGD([w], lr=0.1)
    >>> (w * w).sum().backward()       # d(w^2)/dw = 2w = 2
    >>> opt.step()
    >>> w
    tensor([0.8000], requires_grad=True)
    """

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        check_implementation_options(differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
            weight_decay, nesterov = group["weight_decay"], group["nesterov"]
            for p in group["params"]:
                if p.grad is None:
                    continue  # no gradient (not used in the loss): no step, as in PyTorch
                g = -p.grad._array if group["maximize"] else p.grad._array
                if weight_decay != 0:
                    g = g + weight_decay * p._array
                if momentum != 0:
                    state = self.state[p]
                    buffer = state.get("momentum_buffer")
                    if buffer is None:
                        xp = backend.namespace(p.device)
                        buffer = Tensor._wrap(xp.asarray(g, copy=True), p.device)
                        state["momentum_buffer"] = buffer
                    else:
                        buffer._array *= momentum
                        buffer._array += (1 - dampening) * g
                    g = g + momentum * buffer._array if nesterov else buffer._array
                p._array -= lr * g  # in place: the Parameter object stays the same
                p._bump_version()
        return loss
