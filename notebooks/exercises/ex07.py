"""Checks for the exercises of notebook 07 (training a network)."""

import itertools
import math

import numpy as np

import minitensor as mt
from exercises import Exercise, close
from minitensor import nn, optim
from minitensor.nn import functional as F


def _linear_parameter_count(sizes: list[int]) -> int:
    """Weights (n_in * n_out) plus biases (n_out) of a chain of Linear layers."""
    return sum(n_in * n_out + n_out for n_in, n_out in itertools.pairwise(sizes))


def _hinge_gradient(scores: list[float], labels: list[float]) -> np.ndarray:
    """d/ds of mean(max(0, 1 - y s)): -y / n where the margin is not met, else 0."""
    s, y = np.array(scores), np.array(labels)
    return np.where(1 - y * s > 0, -y / len(s), 0.0)


def _is_vector(expected: np.ndarray):
    """A check that accepts a list, array or tensor of numbers close to ``expected``."""

    def is_right(answer) -> bool:
        values = answer.tolist() if hasattr(answer, "tolist") else list(answer)
        return len(values) == len(expected) and np.allclose(
            [float(v) for v in values], expected, rtol=1e-4, atol=1e-6
        )

    return is_right


# 07.4: a linear model y = x w + b with known weights, trained three steps by plain SGD
# on three batches; the expected weights come from the MSE gradient worked out in NumPy.
_W0, _B0, _LR = [[0.5, -1.0, 2.0]], [0.1], 0.1
_BATCHES = [
    ([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0]], [[1.0], [0.0]]),
    ([[2.0, 0.0, 1.0], [1.0, 1.0, 1.0]], [[-1.0], [2.0]]),
    ([[0.5, -0.5, 0.0], [0.0, 0.0, 3.0]], [[0.5], [1.0]]),
]


def _expected_weights() -> tuple[np.ndarray, np.ndarray]:
    """w and b after one SGD step per batch, each step with that batch's gradient only."""
    w, b = np.array(_W0), np.array(_B0)
    for xb, yb in _BATCHES:
        x, target = np.array(xb), np.array(yb)
        residual = x @ w.T + b - target  # (n, 1)
        # loss = mean(residual^2): d/dw = 2/n residual^T x, d/db = 2/n sum(residual)
        grad_w = 2 / len(x) * residual.T @ x
        grad_b = 2 / len(x) * residual.sum(axis=0)
        w, b = w - _LR * grad_w, b - _LR * grad_b
    return w, b


def _weights_after(train_step) -> tuple[np.ndarray, np.ndarray]:
    """The Linear model's weight and bias after train_step on each batch, in order."""
    model = nn.Linear(3, 1)
    model.weight = nn.Parameter(mt.tensor(_W0, dtype=mt.float64))
    model.bias = nn.Parameter(mt.tensor(_B0, dtype=mt.float64))
    opt = optim.SGD(model.parameters(), lr=_LR)
    for xb, yb in _BATCHES:
        train_step(model, opt, mt.tensor(xb, dtype=mt.float64), mt.tensor(yb, dtype=mt.float64))
    return np.array(model.weight.tolist()), np.array(model.bias.tolist())


def _accumulating_step(model, opt, xb, yb):
    """The buggy step of the question: it never clears the gradients."""
    loss = F.mse_loss(model(xb), yb)
    loss.backward()
    opt.step()
    return loss


def _diagnose_train_step(train_step) -> str | None:
    from exercises.feedback import not_a_function

    problem = not_a_function(train_step, "train_step")
    if problem:
        return problem
    try:
        w, b = _weights_after(train_step)
    except Exception as error:
        return f"a step on a Linear(3, 1) model raised {type(error).__name__}: {error}"
    right_w, right_b = _expected_weights()
    if np.allclose(w, right_w, rtol=1e-9) and np.allclose(b, right_b, rtol=1e-9):
        return None
    said = f"after three steps the weight is {np.round(w, 4).tolist()}"
    if np.allclose(w, _W0) and np.allclose(b, _B0):
        return (
            f"{said}: it never moved, so step() found no gradients. Is something clearing "
            "them between backward() and step()?"
        )
    bad_w, _ = _weights_after(_accumulating_step)
    if np.allclose(w, bad_w, rtol=1e-9):
        return (
            f"{said}, the same as the buggy step: from the second batch on, step() still "
            "uses the gradients of the earlier batches."
        )
    return f"{said}, expected {np.round(right_w, 4).tolist()}."


EXERCISES = {
    "07.1": Exercise(
        question="The number of parameters of Linear(64, 32) -> ReLU -> Linear(32, 10)",
        is_right=lambda answer: int(answer) == _linear_parameter_count([64, 32, 10]),
        hint="A Linear(n_in, n_out) layer has an n_out x n_in weight matrix and n_out biases; "
        "ReLU has no parameters.",
    ),
    "07.2": Exercise(
        question="d/ds of mean(max(0, 1 - y s)) at s = [0.3, -2.0, 0.5], y = [1, -1, -1]",
        is_right=_is_vector(_hinge_gradient([0.3, -2.0, 0.5], [1.0, -1.0, -1.0])),
        hint="Work out 1 - y_i s_i for each point first. Where it is positive the term is "
        "1 - y_i s_i, with derivative -y_i; where it is negative the term is 0. Then divide "
        "by 3 for the mean.",
    ),
    "07.3": Exercise(
        question="Cross-entropy of the logits [2, 0, 0] for the true class 0",
        # rel=1e-3 accepts an answer rounded to four digits, such as the printed tensor's.
        is_right=close(-math.log(math.exp(2.0) / (math.exp(2.0) + 2 * math.exp(0.0))), rel=1e-3),
        hint="softmax gives p_0 = e^2 / (e^2 + e^0 + e^0); the loss is -log(p_0) (natural log).",
    ),
    "07.4": Exercise(
        question="A corrected train_step(model, opt, xb, yb)",
        diagnose=_diagnose_train_step,
        hint="backward() ADDS to .grad (notebook 02). What must happen to the gradients of "
        "the previous step before this step's backward()?",
    ),
}
