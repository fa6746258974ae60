"""Checks for the exercises of notebook 01 (the tanh neuron).

Each check works out the right answer itself, with plain ``math``, from the
numbers given in the question.
"""

import math

from exercises import Exercise, close
from exercises.feedback import not_a_function


def _tanh_slope(n: float) -> float:
    """d tanh(n)/dn = 1 - tanh(n)**2."""
    return 1.0 - math.tanh(n) ** 2


def _n(x1: float, w1: float, x2: float, w2: float, b: float) -> float:
    return x1 * w1 + x2 * w2 + b


# The neuron of the notebook.
_NEURON = dict(x1=2.0, w1=-3.0, x2=0.0, w2=1.0, b=6.8813735870195432)
_N = _n(**_NEURON)

# 01.1: o after w1 -> -2.99, predicted to first order: o + do/dw1 * 0.01, with
# do/dw1 = (1 - o**2) * x1. (The true new o differs by about 1e-4.)
_DO_DW1 = _tanh_slope(_N) * _NEURON["x1"]
_O_PREDICTED = math.tanh(_N) + _DO_DW1 * 0.01

# 01.2: another neuron.
_N2 = _n(x1=1.0, w1=0.5, x2=-1.0, w2=2.0, b=0.0)

# 01.3: w2 = 2.0. x2 = 0, so n does not change; do/dx2 = do/dn * w2.
_N3 = _n(**{**_NEURON, "w2": 2.0})
_DO_DX2 = _tanh_slope(_N3) * 2.0


def _diagnose_central_difference(central_difference) -> str | None:
    problem = not_a_function(central_difference, "central_difference")
    if problem:
        return problem
    cases = [
        ("x**3", lambda x: x**3, 2.0, 0.1),
        ("x**2", lambda x: x**2, -3.0, 0.5),
        ("math.sin", math.sin, 0.0, 1e-5),
        ("a constant, 5.0", lambda x: 5.0, 1.0, 0.01),
        ("abs", abs, 0.0, 0.5),
    ]
    for name, f, x, h in cases:
        try:
            got = central_difference(f, x, h)
        except Exception as error:
            return f"for f = {name}, x = {x}, h = {h} it raised {type(error).__name__}: {error}"
        if got is None:
            return "it returns None: did you forget the return statement?"
        try:
            got = float(got)
        except (TypeError, ValueError):
            return f"for f = {name} it returned {got!r}, which is not a number."
        right = (f(x + h) - f(x - h)) / (2 * h)
        if math.isclose(got, right, rel_tol=1e-9, abs_tol=1e-12):
            continue
        said = f"for f = {name} at x = {x} with h = {h} it gives {got:.6g}, expected {right:.6g}"
        forward = (f(x + h) - f(x)) / h
        backward = (f(x) - f(x - h)) / h
        if math.isclose(got, 2 * right, rel_tol=1e-9) and right != 0:
            return f"{said}: twice the slope. The two points are 2*h apart."
        if math.isclose(got, -right, rel_tol=1e-9):
            return f"{said}: the sign is wrong. Which point comes first in the subtraction?"
        if math.isclose(got, forward, rel_tol=1e-9) or math.isclose(got, backward, rel_tol=1e-9):
            return f"{said}: that is a one-sided difference. Nudge x to *both* sides by h."
        if name == "x**3" and math.isclose(got, 12.0, rel_tol=1e-4):
            return f"{said}: does your function use its argument h, or an h of its own?"
        return said + "."
    return None


EXERCISES = {
    "01.1": Exercise(
        question="the new o, estimated from a gradient, when w1 goes from -3 to -2.99",
        is_right=close(_O_PREDICTED, rel=1e-3),
        hint="A change of w1 by 0.01 changes o by about do/dw1 * 0.01. Which gradient is "
        "do/dw1, and what was o?",
    ),
    "01.2": Exercise(
        question="do/dw1 for x1=1, w1=0.5, x2=-1, w2=2, b=0",
        # do/dw1 = (1 - tanh(n)**2) * 1 (through the sums) * x1.
        is_right=close(_tanh_slope(_N2) * 1.0),
        hint="First n = x1*w1 + x2*w2 + b (= -1.5 here). Then do/dn = 1 - tanh(n)**2, "
        "the sums pass it on, and the product x1*w1 multiplies it by x1.",
    ),
    "01.3": Exercise(
        question="x2.grad for the notebook's neuron with w2 = 2.0",
        is_right=close(_DO_DX2),
        hint="x2 is 0, so x2*w2 is 0 whatever w2 is: n and o do not change, nor does do/dn. "
        "Then the product x2*w2 multiplies do/dn by the *other* factor.",
    ),
    "01.4": Exercise(
        question="a function central_difference(f, x, h)",
        diagnose=_diagnose_central_difference,
        hint="Evaluate f at two points, at the same distance h on either side of x, and "
        "divide the change in f by the distance between the two points.",
    ),
}
