"""Worked solutions for notebook 01 (the tanh neuron).

01.1  do/dw1 = (1 - o**2) * x1 = 0.5 * 2 = 1.0: o moves about 1.0 times as
      much as w1. Raising w1 by 0.01 raises o by about 0.01, from 0.70711 to
      about 0.71711. (The neuron itself gives tanh(0.90137) = 0.71696: close,
      because the tangent follows the curve near the point.)

01.2  n = 1.0*0.5 + (-1.0)*2.0 + 0.0 = -1.5 and o = tanh(-1.5).
      do/dn = 1 - tanh(-1.5)**2 (about 0.1807); the two sums pass it on to the
      product x1*w1; the local derivative of x1*w1 with respect to w1 is x1 = 1.
      So do/dw1 = (1 - tanh(-1.5)**2) * 1.0, about 0.1807.

01.3  x2 = 0, so x2*w2 = 0 whatever w2 is: n, o and do/dn = 1 - o**2 = 0.5
      stay the same. The product x2*w2 sends do/dn times the other factor to
      x2: do/dx2 = 0.5 * w2 = 0.5 * 2.0 = 1.0.

01.4  Nudge x by h to each side, and divide the change in f by the distance
      between the two points, 2h.
"""

import math


def central_difference(f, x, h):
    """The slope of f at x, estimated from f(x + h) and f(x - h)."""
    return (f(x + h) - f(x - h)) / (2 * h)


_N = 2.0 * -3.0 + 0.0 * 1.0 + 6.8813735870195432

SOLUTIONS = {
    "01.1": math.tanh(_N) + (1 - math.tanh(_N) ** 2) * 2.0 * 0.01,
    "01.2": (1 - math.tanh(1.0 * 0.5 + (-1.0) * 2.0 + 0.0) ** 2) * 1.0,
    "01.3": (1 - math.tanh(_N) ** 2) * 2.0,
    "01.4": central_difference,
}
