"""Checks for the exercises of notebook 11 (higher derivatives, custom Functions).

The right answers are worked out here by formula, from the question's numbers.
"""

import numpy as np

from exercises import Exercise, close
from exercises.feedback import not_a_function

# 11.1: f = x tanh x; f' = tanh x + x (1 - tanh^2 x);
# f'' = 2 (1 - tanh^2 x) - 2 x tanh x (1 - tanh^2 x), which is 2 at x = 0.
_F2_AT_0 = 2 * (1 - np.tanh(0.0) ** 2) - 2 * 0.0 * np.tanh(0.0) * (1 - np.tanh(0.0) ** 2)


def _hvp_cases():
    """(description, f, w, v, the exact H v)."""
    import minitensor as mt

    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    At = mt.tensor(A.tolist(), dtype=mt.float64)
    yield (
        "the quadratic 0.5 w.A w with A = [[2, 1], [1, 3]]",
        lambda w: 0.5 * (w * (At @ w)).sum(),
        [1.0, -1.0],
        [1.0, 2.0],
        A @ np.array([1.0, 2.0]),
    )
    w3 = np.array([0.5, -1.0, 2.0])
    yield (
        "sum(w**3)",
        lambda w: (w**3).sum(),
        w3.tolist(),
        [1.0, 1.0, -1.0],
        6 * w3 * np.array([1.0, 1.0, -1.0]),
    )
    yield (
        "a linear function 3 w0 - w1 (its Hessian is 0)",
        lambda w: 3 * w[0] - w[1],
        [2.0, 5.0],
        [1.0, 1.0],
        np.zeros(2),
    )


def _diagnose_hvp(hvp) -> str | None:
    import minitensor as mt

    problem = not_a_function(hvp, "hvp")
    if problem:
        return problem
    for what, f, w_list, v_list, right in _hvp_cases():
        w = mt.tensor(w_list, dtype=mt.float64)
        v = mt.tensor(v_list, dtype=mt.float64)
        try:
            got = hvp(f, w, v)
        except Exception as error:
            said = f"for {what} it raised {type(error).__name__}: {error}"
            if "does not require grad" in str(error):
                if what.startswith("a linear"):
                    return (
                        f"{said}. The gradient of a linear f is a constant, with no graph: "
                        "check its requires_grad, and if it is False the answer is zeros."
                    )
                return f"{said}. Does the first gradient keep a graph (create_graph=True)?"
            return said
        if got is None:
            return "it returns None: did you forget the return statement?"
        if isinstance(got, (tuple, list)) and len(got) == 1:
            got = got[0]
        values = np.array(got.tolist() if hasattr(got, "tolist") else got, dtype=float)
        if values.shape != right.shape:
            return f"for {what} it returns shape {values.shape}, expected {right.shape}."
        if np.allclose(values, right, rtol=1e-8, atol=1e-10):
            continue
        said = f"for {what} at w = {w_list}, v = {v_list} it gives {values.tolist()}"
        wg = w.clone().requires_grad_()
        (grad,) = mt.autograd.grad(f(wg), wg)
        if np.allclose(values, np.array(grad.tolist())):
            return f"{said}: that is the gradient of f. H v is the gradient of one more number."
        return f"{said}, expected {right.tolist()}."
    return None


def _diagnose_cube(Cube) -> str | None:
    import minitensor as mt

    if not (isinstance(Cube, type) and issubclass(Cube, mt.autograd.Function)):
        return (
            "the answer should be your class Cube itself (a subclass of "
            f"mt.autograd.Function), not a {type(Cube).__name__}."
        )
    cases = [
        ([1.0, 2.0, 3.0], [1.0, 1.0, 1.0]),
        ([-2.0, 0.0, 0.5], [1.0, 1.0, 1.0]),
        ([1.5, -1.0], [2.0, -3.0]),  # an upstream gradient that is not all ones
    ]
    for values, upstream in cases:
        x = mt.tensor(values, dtype=mt.float64, requires_grad=True)
        try:
            y = Cube.apply(x)
        except Exception as error:
            return f"Cube.apply({values}) raised {type(error).__name__}: {error}"
        if y is None:
            return "forward returns None: did you forget its return statement?"
        if not np.allclose(np.array(y.tolist()), np.array(values) ** 3):
            return f"forward gives {y.tolist()} for x = {values}, expected the cubes."
        try:
            y.backward(mt.tensor(upstream, dtype=mt.float64))
        except Exception as error:
            return f"backward for x = {values} raised {type(error).__name__}: {error}"
        if x.grad is None:
            return "after backward(), x.grad is None: does backward return the gradient?"
        got = np.array(x.grad.tolist())
        xs, g = np.array(values), np.array(upstream)
        right = g * 3 * xs**2
        if np.allclose(got, right):
            continue
        said = f"for x = {values} and upstream gradient {upstream}, x.grad is {got.tolist()}"
        if np.allclose(got, 3 * xs**2):
            return f"{said}: the upstream gradient (grad_output) is missing from the product."
        if np.allclose(got, g * 3 * xs):
            return f"{said}: the derivative of x^3 is 3 x^2."
        if np.allclose(got, g * xs**3):
            return f"{said}: that is the forward value, not its derivative."
        return f"{said}, expected {right.tolist()}."
    return None


EXERCISES = {
    "11.1": Exercise(
        question="f''(0) for f(x) = x tanh(x)",
        is_right=close(float(_F2_AT_0)),
        hint="f' = tanh(x) + x (1 - tanh(x)^2) by the product rule. Differentiate again: "
        "two terms give (1 - tanh^2) each, and the last one has a factor x.",
    ),
    "11.2": Exercise(
        question="hvp(f, w, v): the Hessian of f at w times v",
        diagnose=_diagnose_hvp,
        hint="First the gradient of f at (a copy of) w that requires grad, with "
        "create_graph=True; then the gradient of the number (gradient * v).sum().",
    ),
    "11.3": Exercise(
        question="a Function Cube for x ** 3 with forward and backward",
        diagnose=_diagnose_cube,
        hint="forward must keep, with ctx.save_for_backward, what backward needs to compute "
        "the local derivative of x ** 3; backward returns the incoming gradient times it.",
    ),
}
