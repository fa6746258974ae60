"""Checks for the exercises of notebook 09 (autograd mistakes)."""

import math

import minitensor as mt
from exercises import Exercise, close


def _is_working_sgd_step(sgd_step) -> bool:
    """Run the student's function on a small problem and check what it did."""
    start, lr = [1.0, -2.0], 0.1
    w = mt.tensor(start, requires_grad=True)
    (w * w).sum().backward()  # w.grad = 2 w
    sgd_step(w, lr)
    expected = [value - lr * 2 * value for value in start]
    values_ok = all(
        math.isclose(got, want, rel_tol=1e-6) for got, want in zip(w.tolist(), expected)
    )
    grad_cleared = w.grad is None or not w.grad.any().item()
    return values_ok and grad_cleared and w.is_leaf and w.requires_grad


EXERCISES = {
    "09.1": Exercise(
        question="w.grad after four loss = 5 * w; loss.backward() without zeroing",
        is_right=close(4 * 5.0),  # each backward adds d(5w)/dw = 5
        hint="Each backward() ADDS d(loss)/dw = 5 to w.grad; nothing clears it in between.",
    ),
    "09.2": Exercise(
        question="A working sgd_step(w, lr): w -= lr * w.grad in place, then clear w.grad",
        is_right=_is_working_sgd_step,
        hint="Put the update inside `with mt.no_grad():` (mistake 5), and keep w the same "
        "tensor: update it in place (-=), do not make a new one with w = w - ...",
    ),
    "09.3": Exercise(
        question="Does y = x.exp(); y.add_(1); y.sum().backward() raise?",
        # d e^x/dx = e^x: exp saves its own output, which add_ then changes in place.
        is_right=lambda answer: answer is True,
        hint="The derivative of e^x is e^x itself, so exp saves its OUTPUT y for the "
        "backward pass. What does y.add_(1) do to the saved tensor's version?",
    ),
    "09.4": Exercise(
        question="w.grad after (w * w * w.detach()).backward() at w = 3",
        # The detached factor is a constant c = 3: d(w^2 c)/dw = 2 w c.
        is_right=close(2 * 3.0 * 3.0),
        hint="w.detach() is a constant with the value 3, so the expression is 3 * w**2 as "
        "far as the gradient is concerned.",
    ),
}
