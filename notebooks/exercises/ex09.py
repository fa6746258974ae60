"""Checks for the exercises of notebook 09 (autograd mistakes)."""

import math

import minitensor as mt
from exercises import Exercise, close


def _diagnose_sgd_step(sgd_step) -> str | None:
    """Run the student's function on small problems and say what it did wrong."""
    from exercises.feedback import not_a_function

    problem = not_a_function(sgd_step, "sgd_step")
    if problem:
        return problem
    for start, lr in [([1.0, -2.0], 0.1), ([3.0], 0.5), ([0.5, 0.0, -1.5], 0.0)]:
        w = mt.tensor(start, requires_grad=True)
        (w * w).sum().backward()  # w.grad = 2 w
        try:
            sgd_step(w, lr)
        except RuntimeError as error:
            if "in-place operation" in str(error):
                return (
                    "the update raised the error of mistake 5 (a leaf that requires grad "
                    "used in an in-place operation). Which block tells autograd not to "
                    "record it?"
                )
            return f"for w = {start}, lr = {lr} it raised RuntimeError: {error}"
        except Exception as error:
            return f"for w = {start}, lr = {lr} it raised {type(error).__name__}: {error}"
        expected = [value - lr * 2 * value for value in start]
        if not all(math.isclose(g, e, rel_tol=1e-6) for g, e in zip(w.tolist(), expected)):
            if lr != 0 and all(math.isclose(g, v) for g, v in zip(w.tolist(), start)):
                return (
                    f"for w = {start}, lr = {lr}, the caller's w did not change. "
                    "w = w - ... makes a new tensor, known only inside your function."
                )
            return f"for w = {start}, lr = {lr}, w became {w.tolist()}, expected {expected}."
        if w.grad is not None and w.grad.any().item():
            return f"for w = {start}, w.grad is still {w.grad.tolist()}: clear it after the step."
        if not (w.is_leaf and w.requires_grad):
            return "afterwards w is no longer a leaf that requires grad."
    return None


EXERCISES = {
    "09.1": Exercise(
        question="w.grad after four loss = 5 * w; loss.backward() without zeroing",
        is_right=close(4 * 5.0),  # each backward adds d(5w)/dw = 5
        hint="Each backward() ADDS d(loss)/dw = 5 to w.grad; nothing clears it in between.",
    ),
    "09.2": Exercise(
        question="A working sgd_step(w, lr): w -= lr * w.grad in place, then clear w.grad",
        diagnose=_diagnose_sgd_step,
        hint="Mistake 5 shows how to update a weight without autograd recording it; keep w "
        "the same tensor (update it in place) and clear its gradient afterwards.",
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
