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


def _diagnose_input_gradients(input_gradients) -> str | None:
    import minitensor as mt
    from exercises.feedback import not_a_function

    problem = not_a_function(input_gradients, "input_gradients")
    if problem:
        return problem
    cases = [
        ([[2.0, 0.0], [2.5, 1.0], [1.5, -0.5], [3.0, 2.0]], [-3.0, 1.0], 6.8813735870195432),
        ([[0.5, -1.0, 2.0]], [1.0, 2.0, -0.5], 0.0),  # a single example, three inputs
        ([[0.0, 0.0], [10.0, 10.0]], [0.7, -0.2], 0.1),
    ]
    for rows, weights, bias in cases:
        X = mt.tensor(rows, dtype=mt.float64)
        w = mt.tensor(weights, dtype=mt.float64)
        b = mt.tensor(bias, dtype=mt.float64)
        shape = tuple(X.shape)
        try:
            got = input_gradients(X, w, b)
        except Exception as error:
            return f"for X of shape {shape} it raised {type(error).__name__}: {error}"
        if X.requires_grad or w.requires_grad or b.requires_grad or X.grad is not None:
            return (
                "it changed the caller's tensors (requires_grad or .grad): ask for the "
                "gradient of a copy of X instead."
            )
        if got is None:
            return "it returns None: did you forget the return statement?"
        if tuple(got.shape) != shape:
            return (
                f"for X of shape {shape} it returns a tensor of shape {tuple(got.shape)}: the "
                "gradient with respect to X has the shape of X."
            )
        array, wv = np.array(rows), np.array(weights)
        slope = 1 - np.tanh(array @ wv + bias) ** 2
        right = slope[:, None] * wv[None, :]
        values = np.array(got.tolist())
        if np.allclose(values, right, rtol=1e-7, atol=1e-12):
            continue
        said = f"for X = {rows} it gives {np.round(values, 4).tolist()}"
        if np.allclose(values, np.broadcast_to(wv, array.shape)):
            return f"{said}: that is the gradient of X @ w + b alone. Where is the tanh?"
        return f"{said}, expected {np.round(right, 4).tolist()}."
    return None


EXERCISES["04.5"] = Exercise(
    question="input_gradients(X, w, b): d sum(tanh(X @ w + b)) / dX by autograd",
    diagnose=_diagnose_input_gradients,
    hint="Make a tensor with X's numbers that requires grad (notebook 04 used "
    "batch.clone().requires_grad_()), compute the sum, call backward(), return its .grad.",
)
