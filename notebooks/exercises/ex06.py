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
