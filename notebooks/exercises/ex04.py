"""Checks for the exercises of notebook 04 (autograd with tensors)."""

import numpy as np

from exercises import Exercise, close


def _is_leaf_set(answer) -> bool:
    # Every tensor you make yourself is a leaf, whether it requires grad or not;
    # only y, made by an operation on tensors that require grad, is not.
    return {str(name) for name in answer} == {"x", "w", "b"}


def _is_add_backward(answer) -> bool:
    # y = w * x * x + b: the last operation is an addition, PyTorch's AddBackward0.
    name = answer if isinstance(answer, str) else answer.name()
    return name.strip() == "AddBackward0"


def _is_float32_of_0_1(answer) -> bool:
    # float32 keeps 24 bits of 0.1; widening to float64 keeps exactly those bits.
    expected = float(np.float32(0.1))
    return abs(float(answer) - expected) < 1e-15


EXERCISES = {
    "04.1": Exercise(
        question="w.grad for y = w * x * x + b at x = 3, w = -2, b = 5",
        is_right=close(3.0**2),  # dy/dw = x * x
        hint="Treat x as a constant: y = (x*x) * w + b, so dy/dw is the number that multiplies w.",
    ),
    "04.2": Exercise(
        question="Which of x, w, b, y are leaves?",
        is_right=_is_leaf_set,
        hint="A leaf is any tensor you made yourself (requires_grad or not); a tensor made "
        "by an operation on tensors that require grad is not. Check with t.is_leaf.",
    ),
    "04.3": Exercise(
        question="The name of y.grad_fn for y = w * x * x + b",
        is_right=_is_add_backward,
        hint="grad_fn is the node of the LAST operation that made y; print(y.grad_fn) shows "
        "its name.",
    ),
    "04.4": Exercise(
        question="mt.Tensor([0.1]).double().item()",
        is_right=_is_float32_of_0_1,
        hint="mt.Tensor stores float32 first; 0.1 has no exact binary form, and float32 keeps "
        "fewer digits of it than float64. Run the expression and copy all the digits.",
    ),
}
