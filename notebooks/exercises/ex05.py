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


def _diagnose_dloss_dz(dloss_dz) -> str | None:
    import numpy as np

    import minitensor as mt
    import minitensor.nn.functional as F
    from exercises.feedback import not_a_function

    problem = not_a_function(dloss_dz, "dloss_dz")
    if problem:
        return problem
    cases = [
        ([2.42, -1.0, 0.0], [1.0, 0.0, 1.0], mt.float64),
        ([3.0], [1.0], mt.float64),
        ([10.0, -10.0], [0.0, 1.0], mt.float64),
        ([40.0, -40.0], [1.0, 0.0], mt.float32),  # sigmoid rounds to exactly 1 and 0
    ]
    for scores, labels, dtype in cases:
        z = mt.tensor(scores, dtype=dtype)
        y = mt.tensor(labels, dtype=dtype)
        zg = z.clone().requires_grad_()
        F.binary_cross_entropy(mt.sigmoid(zg), y, reduction="sum").backward()
        right = np.array(zg.grad.tolist())
        try:
            got = dloss_dz(z, y)
        except Exception as error:
            return f"for z = {scores} it raised {type(error).__name__}: {error}"
        if got is None:
            return "it returns None: did you forget the return statement?"
        values = np.array(got.tolist() if hasattr(got, "tolist") else got, dtype=float)
        if values.shape != right.shape:
            return (
                f"for z = {scores} it returns shape {values.shape}: one derivative per "
                f"example, shape {right.shape}."
            )
        if np.allclose(values, right, rtol=1e-5, atol=1e-7):
            continue
        said = (
            f"for z = {scores}, y = {labels} it gives {np.round(values, 5).tolist()}, "
            f"expected {np.round(right, 5).tolist()}"
        )
        a = 1 / (1 + np.exp(-np.array(scores)))
        if np.isnan(values).any():
            return (
                f"{said}: a nan. In float32, sigmoid(40) is exactly 1, so 1 - a is 0. "
                "Simplify the product of the two derivatives by hand first."
            )
        if np.allclose(values, -right, rtol=1e-5):
            return f"{said}: the sign is wrong."
        if np.allclose(values, a * (1 - a), rtol=1e-5):
            return f"{said}: that is da/dz alone; the loss's derivative dloss/da is missing."
        if np.allclose(values, right / len(scores), rtol=1e-5):
            return f"{said}: divided by the number of examples. Each gets its own derivative."
        return said + "."
    return None


EXERCISES["05.4"] = Exercise(
    question="dloss_dz(z, y): d BCE(sigmoid(z), y) / dz by the formula",
    diagnose=_diagnose_dloss_dz,
    hint="The section 'By hand' multiplies dloss/da by da/dz; most of it cancels.",
)
