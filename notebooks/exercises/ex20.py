"""Checks for notebook 20 (build it yourself: the derivative by finite differences).

The checks run the student's function on functions whose derivatives are
known in closed form (x**3, sin, exp), at points and step sizes chosen so
that each common slip gives a number of its own: the forward difference,
dividing by h instead of 2h, subtracting the wrong way round, ignoring h.
"""

from __future__ import annotations

import math

import numpy as np

from exercises import Exercise
from exercises.feedback import number, same, wrong_number


def _cube(x):
    return x**3


def _diagnose_central_difference(central_difference) -> str | None:
    if not callable(central_difference):
        return "Pass your function itself: check('20.1', central_difference)."
    # With a large step the formulas differ visibly: at x = 2, h = 0.1,
    # (f(x+h) - f(x-h)) / 2h = 12.01 for f = x**3, while the forward difference gives 12.61.
    x, h = 2.0, 0.1
    up, here, down = _cube(x + h), _cube(x), _cube(x - h)
    expected = (up - down) / (2 * h)
    got = central_difference(_cube, x, h)
    if got is None:
        return "central_difference returned None: did you forget `return`?"
    got = float(got)
    if not same(got, expected):
        if same(got, (up - here) / h):
            return (
                f"central_difference(x**3, 2.0, h=0.1) gave {number(got)}: that is the forward "
                "difference (f(x+h) - f(x)) / h. The central difference looks both ways, to "
                "x + h and x - h, which cancels the error of the curve's bend."
            )
        if same(got, (here - down) / h):
            return (
                f"central_difference(x**3, 2.0, h=0.1) gave {number(got)}: that is the backward "
                "difference (f(x) - f(x-h)) / h. Look both ways: to x + h and to x - h."
            )
        if same(got, (up - down) / h):
            return (
                f"central_difference(x**3, 2.0, h=0.1) gave {number(got)}, twice the right "
                "value: f(x+h) and f(x-h) are 2h apart, so divide by 2h, not h."
            )
        if same(got, 3 * x**2, rel=1e-4):
            return (
                "central_difference(x**3, 2.0, h=0.1) gave the exact derivative 12, but with "
                "h = 0.1 the formula gives 12.01: does your function ignore its h argument?"
            )
        return wrong_number("central_difference(x**3, 2.0, h=0.1)", got, expected)
    # With the default step, it must be close to the true derivative.
    for name, f, at, slope in [
        ("sin", math.sin, 0.0, 1.0),
        ("exp", math.exp, -1.0, math.exp(-1.0)),
        ("x**3", _cube, -1.5, 3 * 1.5**2),
    ]:
        try:
            got = float(central_difference(f, at))
        except TypeError:
            return "central_difference(f, x) must work without h: give h a default (1e-5)."
        if not math.isclose(got, slope, rel_tol=1e-6, abs_tol=1e-8):
            return (
                f"With the default h, the derivative of {name} at {at} came out as "
                f"{number(got)}, but it is {number(slope)}: is your default h too large or "
                "too small? (Try 1e-5.)"
            )
    return None


_NEURON_POINT = [1.5, -0.5, -2.0, 0.25, 0.3]  # x1, w1, x2, w2, b
_NEURON_NAMES = ["x1", "w1", "x2", "w2", "b"]


def _neuron(x1, w1, x2, w2, b):
    return math.tanh(x1 * w1 + x2 * w2 + b)


def _neuron_partials(x1, w1, x2, w2, b):
    """Exact: d tanh(n)/dn = 1 - tanh(n)**2, times each input's factor in n."""
    slope = 1 - _neuron(x1, w1, x2, w2, b) ** 2
    return [slope * w1, slope * x1, slope * w2, slope * x2, slope]


def _diagnose_numerical_gradient(numerical_gradient) -> str | None:
    if not callable(numerical_gradient):
        return "Pass your function itself: check('20.2', numerical_gradient)."
    inputs = list(_NEURON_POINT)
    got = numerical_gradient(_neuron, inputs)
    if got is None:
        return "numerical_gradient returned None: did you forget `return`?"
    if inputs != _NEURON_POINT:
        return (
            f"After your function ran, the inputs list is {inputs}, not {_NEURON_POINT}: "
            "nudge a copy, or put each input back after you nudged it."
        )
    got = [float(g) for g in got]
    expected = _neuron_partials(*_NEURON_POINT)
    if len(got) != len(expected):
        return (
            f"Your function returned {len(got)} numbers for a function of {len(expected)} inputs."
        )
    for i, (g, e) in enumerate(zip(got, expected)):
        if not math.isclose(g, e, rel_tol=1e-5, abs_tol=1e-8):
            return wrong_number(
                f"The partial derivative for input {i} ({_NEURON_NAMES[i]})", g, e
            ) + (" Nudge only that input, by +h and by -h, keeping the others as they are.")
    return None


# 20.3 and 20.4: which step size gives the most accurate central difference of exp at 1.
STEPS = [1e-1, 1e-3, 1e-5, 1e-7, 1e-9, 1e-11, 1e-13]


def _best_step(dtype) -> float:
    """The step of STEPS with the smallest error of the central difference, in ``dtype``."""
    x, exact = dtype(1.0), math.e
    errors = []
    for h in STEPS:
        step = dtype(h)
        estimate = (np.exp(x + step) - np.exp(x - step)) / (dtype(2) * step)
        errors.append(abs(float(estimate) - exact))
    return STEPS[int(np.argmin(errors))]


def _is_step(expected: float):
    def is_right(answer) -> bool:
        return math.isclose(float(answer), expected, rel_tol=1e-9)

    return is_right


_WHY_H = (
    "Run the central difference for each h and print the error against the exact "
    "derivative e. Too large an h: the curve bends inside the step (the error falls like "
    "h**2). Too small an h: exp(1+h) and exp(1-h) agree in almost all their digits, and the "
    "subtraction keeps only the rounding noise (the error grows like epsilon / h)."
)

EXERCISES = {
    "20.1": Exercise(
        question="central_difference(f, x, h=1e-5): the derivative of f at x",
        diagnose=_diagnose_central_difference,
    ),
    "20.2": Exercise(
        question="numerical_gradient(f, inputs, h=1e-5): every partial derivative of f",
        diagnose=_diagnose_numerical_gradient,
    ),
    "20.3": Exercise(
        question="the step of STEPS that gives the best central difference of exp at 1 in float64",
        is_right=_is_step(_best_step(np.float64)),
        hint=_WHY_H,
    ),
    "20.4": Exercise(
        question="the same in float32",
        is_right=_is_step(_best_step(np.float32)),
        hint=_WHY_H + " float32 keeps about 7 digits, float64 about 16.",
    ),
}
