"""Checks for notebook 22 (build it yourself: an operation of your own for minitensor).

The student writes ``Softplus``, a `minitensor.autograd.Function`:
softplus(x) = log(1 + e^x), whose derivative is the sigmoid 1 / (1 + e^-x).
The checks compare the forward pass with NumPy's ``logaddexp(0, x)`` (which
never overflows), the backward pass with the sigmoid times a gradient of the
checker's choosing (not ones, so that a forgotten ``grad_output`` shows), and
finish with `minitensor.autograd.gradcheck`, the finite-difference referee.
Then the student's layer trains a small network, side by side with the same
network built from minitensor's own operations.
"""

from __future__ import annotations

import numpy as np

import minitensor as mt
from exercises import Exercise
from exercises.feedback import array, same
from minitensor import nn, optim

_POINTS = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
_HUGE = np.array([-1000.0, 1000.0])
_UPSTREAM = np.array([0.5, -1.0, 2.0, 0.25, 1.5])


def _softplus(x):
    return np.logaddexp(0.0, x)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _tensor(values, requires_grad=False):
    return mt.tensor(values, dtype=mt.float64, requires_grad=requires_grad)


def _diagnose_softplus(Softplus) -> str | None:
    if not (isinstance(Softplus, type) and issubclass(Softplus, mt.autograd.Function)):
        return "Pass your class itself, a subclass of minitensor.autograd.Function."
    got = Softplus.apply(_tensor(_POINTS)).detach().numpy()
    if not same(got, _softplus(_POINTS)):
        return (
            f"Forward: Softplus at {array(_POINTS)} gave {array(got)}, expected "
            f"{array(_softplus(_POINTS))}."
        )
    with np.errstate(all="ignore"):
        huge = Softplus.apply(_tensor(_HUGE)).detach().numpy()
    if not same(huge, _softplus(_HUGE)):
        return (
            f"Forward: Softplus at [-1000, 1000] gave {array(huge)}, expected [0, 1000]. "
            "e**1000 overflows float64 (to inf). For large x, log(1 + e**x) is almost x: "
            "find a way to write it that never takes exp of a large positive number."
        )
    x = _tensor(_POINTS, requires_grad=True)
    Softplus.apply(x).backward(_tensor(_UPSTREAM))
    if x.grad is None:
        return "x.grad is None after backward(): does backward return the gradient?"
    grad = x.grad.numpy()
    expected = _sigmoid(_POINTS) * _UPSTREAM
    if not same(grad, expected):
        where = (
            f"With grad_output = {array(_UPSTREAM)}, x.grad is {array(grad)}, "
            f"expected {array(expected)}"
        )
        for slip, gives in [
            (
                "that is the local derivative alone: multiply it by grad_output, the gradient "
                "that arrived from above.",
                _sigmoid(_POINTS),
            ),
            (
                "that is softplus itself times grad_output: backward returns the derivative.",
                _softplus(_POINTS) * _UPSTREAM,
            ),
            (
                "that is e**x times grad_output: the chain rule goes through the log as "
                "well, d/dx log(u) = u'/u.",
                np.exp(_POINTS) * _UPSTREAM,
            ),
            ("the sign is wrong.", -expected),
        ]:
            if same(grad, gives):
                return f"{where}: {slip}"
        return f"{where}."
    with np.errstate(all="ignore"):
        big = _tensor(_HUGE, requires_grad=True)
        Softplus.apply(big).backward(_tensor([1.0, 1.0]))
    if not same(big.grad.numpy(), [0.0, 1.0]):
        return (
            f"At x = [-1000, 1000], x.grad is {array(big.grad.numpy())}, expected [0, 1]: the "
            "sigmoid must not overflow either."
        )
    probe = _tensor([-2.0, -0.3, 0.7, 4.0], requires_grad=True)
    if not mt.autograd.gradcheck(Softplus.apply, (probe,), raise_exception=False):
        return "gradcheck disagrees with your backward at [-2, -0.3, 0.7, 4]."
    return None


# --- 22.2: a layer that trains ----------------------------------------------------------


def _fit(activation, steps: int = 150):
    """Fit y = sin(x) with Linear(1, 16) -> activation -> Linear(16, 1); the losses."""
    mt.manual_seed(23)
    x = mt.linspace(-3, 3, 32).reshape(32, 1)
    y = x.sin()
    model = nn.Sequential(nn.Linear(1, 16), activation, nn.Linear(16, 1))
    opt = optim.SGD(model.parameters(), lr=0.05)
    losses = []
    for _ in range(steps):
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


class _ReferenceSoftplus(nn.Module):
    """softplus from minitensor's own operations: max(x, 0) + log1p(exp(-|x|))."""

    def forward(self, x):
        return x.clamp(min=0) + (-x.abs()).exp().log1p()


def _diagnose_layer(SoftplusLayer) -> str | None:
    if not (isinstance(SoftplusLayer, type) and issubclass(SoftplusLayer, nn.Module)):
        return "Pass your class itself, a subclass of minitensor.nn.Module."
    layer = SoftplusLayer()
    if list(layer.parameters()):
        return "Softplus has nothing to learn: your layer should have no parameters."
    out = layer(_tensor(_POINTS)).detach().numpy()
    if not same(out, _softplus(_POINTS)):
        return f"Your layer at {array(_POINTS)} gave {array(out)}, expected softplus."
    ours, reference = _fit(SoftplusLayer()), _fit(_ReferenceSoftplus())
    if not np.allclose(ours, reference, rtol=1e-5):
        return (
            f"Training with your layer ended at loss {ours[-1]:.4g}; with minitensor's own "
            f"operations it ends at {reference[-1]:.4g}."
        )
    return None


EXERCISES = {
    "22.1": Exercise(
        question="class Softplus(minitensor.autograd.Function): forward and backward",
        diagnose=_diagnose_softplus,
    ),
    "22.2": Exercise(
        question="class SoftplusLayer(nn.Module) that applies your Softplus",
        diagnose=_diagnose_layer,
    ),
}
