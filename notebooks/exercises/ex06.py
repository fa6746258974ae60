"""Checks for the exercises of notebook 06 (the chain rule with tensors).

Each check works out the right answer itself (plain arithmetic or NumPy)
from the question's numbers.
"""

import numpy as np

from exercises import Exercise, close

# 06.1: z = y * y with y = a * x: dz/dx = dz/dy * dy/dx = 2y * a.
_X, _A = 3.0, 4.0
_DZ_DX = 2 * (_A * _X) * _A

# 06.2: L = 10 - (w3 * w1 * a + w4 * w2 * a); two paths from L to a.
_A2, _W1, _W2, _W3, _W4 = 1.0, 3.0, -2.0, 4.0, 0.5
_DL_DA = -1.0 * _W3 * _W1 + -1.0 * _W4 * _W2

# 06.3: out = mean(x**2) over 4 elements: d out/dx_i = 2 x_i / 4.
_X3 = np.array([1.0, 2.0, 3.0, 4.0])
_GRAD3 = 2 * _X3 / _X3.size

# 06.4: y = W @ x with W (2, 3): one row of J per output, one column per input.
_W_SHAPE, _X_SHAPE = (2, 3), (3,)
_JACOBIAN_SHAPE = (_W_SHAPE[0], _X_SHAPE[0])


def _values(answer) -> np.ndarray:
    """A list, tuple, NumPy array or tensor, as a float array."""
    if hasattr(answer, "tolist"):
        answer = answer.tolist()
    return np.asarray(answer, dtype=float)


def _is_grad3(answer) -> bool:
    values = _values(answer)
    return values.shape == _GRAD3.shape and bool(np.allclose(values, _GRAD3))


def _is_jacobian_shape(answer) -> bool:
    return tuple(answer) == _JACOBIAN_SHAPE and not isinstance(answer, str)


EXERCISES = {
    "06.1": Exercise(
        question="dz/dx for y = a * x, z = y * y at x = 3, a = 4",
        is_right=close(_DZ_DX),
        hint="One path z -> y -> x: dz/dy = 2y (y * y uses y twice) and dy/dx = a. "
        "Multiply, with y = a * x = 12.",
    ),
    "06.2": Exercise(
        question="dL/da with a = 1, w1 = 3, w2 = -2, w3 = 4, w4 = 0.5",
        is_right=close(_DL_DA),
        hint="Path through b: (-1) * w3 * w1. Path through c: (-1) * w4 * w2. Add the two.",
    ),
    "06.3": Exercise(
        question="x.grad for out = (x ** 2).mean(), x = [1, 2, 3, 4]",
        is_right=_is_grad3,
        hint="The mean gives each element 1/4; x ** 2 has local derivative 2x. "
        "Multiply for each element: 2 * x_i / 4.",
    ),
    "06.4": Exercise(
        question="the shape of dy/dx for y = W @ x, W of shape (2, 3), x of shape (3,)",
        is_right=_is_jacobian_shape,
        hint="The Jacobian has one row per element of y and one column per element of x.",
    ),
}


def _jacobian_cases():
    """(description, f, x as a list, the exact Jacobian) for the check of 06.5."""
    import minitensor as mt

    W = [[1.0, -2.0, 0.5], [3.0, 0.0, 1.0]]
    Wt = mt.tensor(W, dtype=mt.float64)
    x3 = [1.0, 2.0, 3.0]
    yield "y = W @ x, W of shape (2, 3)", lambda x: Wt @ x, x3, np.array(W)
    yield "y = x ** 2", lambda x: x**2, x3, np.diag(2 * np.array(x3))
    e = np.exp(np.array(x3))
    p = e / e.sum()
    yield (
        "y = softmax(x)",
        lambda x: mt.exp(x) / mt.exp(x).sum(),
        x3,
        np.diag(p) - np.outer(p, p),
    )
    yield (
        "y = x.sum(dim=0, keepdim=True), one output",
        lambda x: x.sum(dim=0, keepdim=True),
        [
            0.5,
            -1.0,
        ],
        np.ones((1, 2)),
    )


def _diagnose_jacobian(jacobian) -> str | None:
    import minitensor as mt
    from exercises.feedback import not_a_function

    problem = not_a_function(jacobian, "jacobian")
    if problem:
        return problem
    for what, f, point, right in _jacobian_cases():
        x = mt.tensor(point, dtype=mt.float64)
        try:
            got = jacobian(f, x)
        except Exception as error:
            return f"for {what} it raised {type(error).__name__}: {error}"
        if got is None:
            return "it returns None: did you forget the return statement?"
        values = np.array(got.tolist() if hasattr(got, "tolist") else got, dtype=float)
        if values.shape != right.shape:
            if values.shape == right.T.shape:
                return (
                    f"for {what} it has shape {values.shape}, expected {right.shape}: one "
                    "row per output y_i, one column per input x_j."
                )
            return f"for {what} it has shape {values.shape}, expected {right.shape}."
        if np.allclose(values, right, rtol=1e-6, atol=1e-9):
            continue
        said = f"for {what} it gives {np.round(values, 4).tolist()}"
        if np.allclose(values, np.cumsum(right, axis=0), rtol=1e-6, atol=1e-9):
            return (
                f"{said}: each row also holds the rows before it. What does backward() do "
                "to an x.grad that is already there?"
            )
        if right.shape[0] == right.shape[1] and np.allclose(values, right.T, rtol=1e-6):
            return f"{said}: the transpose. Row i must be the gradient of y_i."
        return f"{said}, expected {np.round(right, 4).tolist()}."
    return None


EXERCISES["06.5"] = Exercise(
    question="jacobian(f, x), one backward() per output",
    diagnose=_diagnose_jacobian,
    hint="y.backward(v) with a one-hot v leaves one row of J in the .grad of the input. "
    "backward() adds into .grad, so each row needs a leaf whose .grad starts empty; "
    "mt.stack puts rows together.",
)
