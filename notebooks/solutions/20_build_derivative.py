"""Worked solutions for notebook 20 (build it yourself: finite differences).

20.1  Look both ways from x and divide by the distance between the two
      points, 2h.
20.2  Nudge one input at a time, on a copy of the list, so the caller's
      inputs stay as they were.
20.3  In float64 the error is smallest near h = 1e-5: above it the bend of the
      curve dominates (error ~ h**2), below it rounding (error ~ 1e-16 / h).
20.4  float32 keeps about 7 digits, so rounding takes over much sooner: the
      best step is about 1e-3.
"""

import math

import numpy as np


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, inputs, h=1e-5):
    partials = []
    for i in range(len(inputs)):
        up, down = list(inputs), list(inputs)
        up[i] += h
        down[i] -= h
        partials.append((f(*up) - f(*down)) / (2 * h))
    return partials


STEPS = [1e-1, 1e-3, 1e-5, 1e-7, 1e-9, 1e-11, 1e-13]


def best_step(dtype):
    """The step whose central difference of exp at 1 is closest to e, in ``dtype``."""
    x = dtype(1.0)
    errors = {}
    for h in STEPS:
        step = dtype(h)
        estimate = (np.exp(x + step) - np.exp(x - step)) / (dtype(2) * step)
        errors[h] = abs(float(estimate) - math.e)
    return min(errors, key=errors.get)


SOLUTIONS = {
    "20.1": central_difference,
    "20.2": numerical_gradient,
    "20.3": best_step(np.float64),
    "20.4": best_step(np.float32),
}
