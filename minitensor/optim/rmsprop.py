"""RMSprop (``minitensor.optim.RMSprop``): divide each step by a running size of the gradient."""

from __future__ import annotations

from collections.abc import Iterable

from minitensor import backend
from minitensor.creation import tensor, zeros_like
from minitensor.optim.optimizer import Optimizer, check_implementation_options


class RMSprop(Optimizer):
    """p <- p - lr * g / (sqrt(v) + eps), v a running mean of g^2 (root mean square propagation).

    Every step, for each parameter p with gradient g (PyTorch's algorithm, in
    the same order)::

        g = g + weight_decay * p                   # L2 penalty (weight_decay != 0)
        v = alpha * v + (1 - alpha) * g * g        # running mean of g^2
        m = m + (1 - alpha) * (g - m)              # centered only: running mean of g
        s = sqrt(v - m * m) + eps  if centered     # the gradient's running std ...
        s = sqrt(v) + eps          otherwise       # ... or its root mean square
        b = momentum * b + g / s                   # momentum > 0: a buffer of steps
        p = p - lr * b   if momentum > 0, else  p = p - lr * g / s

    v, m and b start at zero. A parameter whose gradients are large takes
    small steps, one whose gradients are small takes large ones.

    >>> import minitensor
    >>> w = minitensor.tensor([1.0], requires_grad=True)
    >>> opt = RMSprop([w], lr=0.01)
    >>> (w * w).sum().backward()     # g = 2, v = 0.01 * 4, so g / sqrt(v) = 10
    >>> opt.step()
    >>> w
    tensor([0.9000], requires_grad=True)
    """

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if eps < 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if alpha < 0.0:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        check_implementation_options(differentiable)
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
            weight_decay, momentum = group["weight_decay"], group["momentum"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:  # first step: the running means start at zero
                    state["step"] = tensor(0.0)
                    state["square_avg"] = zeros_like(p)
                    if momentum > 0:
                        state["momentum_buffer"] = zeros_like(p)
                    if group["centered"]:
                        state["grad_avg"] = zeros_like(p)
                xp = backend.namespace(p.device)
                g = -p.grad._array if group["maximize"] else p.grad._array
                state["step"]._array += 1  # counted as in PyTorch, though unused
                if weight_decay != 0:
                    g = g + weight_decay * p._array
                v = state["square_avg"]._array
                v *= alpha
                v += (1 - alpha) * g * g
                if group["centered"]:
                    m = state["grad_avg"]._array
                    _lerp_(m, g, 1 - alpha)
                    s = xp.sqrt(v - m * m)
                else:
                    s = xp.sqrt(v)
                s += eps
                if momentum > 0:
                    b = state["momentum_buffer"]._array
                    b *= momentum
                    b += g / s
                    p._array += -lr * b
                else:
                    p._array += -lr * g / s
                p._bump_version()
        return loss


def _lerp_(start, end, weight: float) -> None:
    """start <- start + weight * (end - start), in place, as ``Tensor.lerp_`` computes it.

    PyTorch starts from the nearer end (``end - (end - start) * (1 - weight)``
    when weight >= 0.5) so the rounding is small; we do the same to get its bits.
    """
    if weight < 0.5:
        start += weight * (end - start)
    else:
        start[...] = end - (end - start) * (1 - weight)
