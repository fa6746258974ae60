"""Adam and AdamW (``minitensor.optim.Adam``, ``minitensor.optim.AdamW``)."""

from __future__ import annotations

from collections.abc import Iterable

from minitensor import backend
from minitensor.creation import tensor, zeros_like
from minitensor.optim.optimizer import Optimizer, check_implementation_options


class Adam(Optimizer):
    """Adaptive moments: each parameter's step is scaled by its own gradient history.

    Every step, for each parameter p with gradient g (PyTorch's algorithm)::

        t = t + 1
        g = g + weight_decay * p                 # L2 penalty (weight_decay != 0)
        m = m + (1 - beta1) * (g - m)            # running mean of g
        v = beta2 * v + (1 - beta2) * g * g      # running mean of g^2
        v_max = max(v_max, v)                    # amsgrad only; then v_max replaces v
        p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    m and v start at 0, so early on they are too small; dividing by
    (1 - beta^t) corrects that bias.
    """

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if eps < 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,  # True makes it AdamW (see step)
        }
        check_implementation_options(differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            weight_decay, amsgrad = group["weight_decay"], group["amsgrad"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:  # first step: the averages start at zero
                    state["step"] = tensor(0.0)
                    state["exp_avg"] = zeros_like(p)
                    state["exp_avg_sq"] = zeros_like(p)
                    if amsgrad:
                        state["max_exp_avg_sq"] = zeros_like(p)
                g = -p.grad._array if group["maximize"] else p.grad._array
                state["step"]._array += 1
                if weight_decay != 0:
                    if group["decoupled_weight_decay"]:  # AdamW: shrink p itself
                        p._array *= 1 - lr * weight_decay
                    else:
                        g = g + weight_decay * p._array
                m, v = state["exp_avg"]._array, state["exp_avg_sq"]._array
                m += (1 - beta1) * (g - m)
                v *= beta2
                v += (1 - beta2) * g * g
                step = state["step"].item()
                step_size = lr / (1 - beta1**step)
                bias_correction2_sqrt = (1 - beta2**step) ** 0.5
                xp = backend.namespace(p.device)
                if amsgrad:
                    v_max = state["max_exp_avg_sq"]._array
                    v_max[...] = xp.maximum(v_max, v)
                    v = v_max
                denominator = xp.sqrt(v) / bias_correction2_sqrt + eps
                p._array += -step_size * m / denominator
                p._bump_version()
        return loss


class AdamW(Adam):
    """Adam with decoupled weight decay: p = p * (1 - lr * weight_decay) before the Adam step.

    The same as ``Adam(..., decoupled_weight_decay=True)``.
    """

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ):
        super().__init__(
            params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize, foreach=foreach,
            capturable=capturable, differentiable=differentiable, fused=fused,
            decoupled_weight_decay=True,
        )  # fmt: skip
