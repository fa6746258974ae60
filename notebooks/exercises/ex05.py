"""Checks for the exercises of notebook 05 (sigmoid and binary cross-entropy)."""

import math

from exercises import Exercise, close

# The question's numbers: z = x1 * w1 + b.
X1, W1, B = 1.1, 2.2, 0.0


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


_A = _sigmoid(X1 * W1 + B)

EXERCISES = {
    "05.1": Exercise(
        question="dloss/dz for x1 = 1.1, w1 = 2.2, b = 0 and the label y = 0",
        is_right=close(_A - 0.0, rel=1e-3),  # dloss/dz = a - y
        hint="dloss/dz = a - y, with a = sigmoid(1.1 * 2.2 + 0) and now y = 0.",
    ),
    "05.2": Exercise(
        question="dloss/dw1 for the same model with the label y = 0",
        is_right=close((_A - 0.0) * X1, rel=1e-3),  # dloss/dw1 = (a - y) * x1
        hint="dloss/dw1 = dloss/dz * dz/dw1, and dz/dw1 = x1.",
    ),
    "05.3": Exercise(
        question="The binary cross-entropy of a = 0.5 for the label y = 1",
        is_right=close(-math.log(0.5)),  # -(y log a + (1 - y) log(1 - a)) with y = 1
        hint="With y = 1 the loss is -log(a); here a = 0.5. (It is the same for y = 0.)",
    ),
}
