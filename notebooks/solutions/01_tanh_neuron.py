"""Worked solutions for notebook 01 (the tanh neuron).

01.1  b is added into n = s + b, and the local derivative of a sum is 1, so
      do/db = do/dn * 1. Through the tanh, do/dn = 1 - tanh(n)**2 = 1 - o**2,
      and o = 1/sqrt(2), so do/db = 1 - 1/2 = 0.5.

01.2  n = 1.0*0.5 + (-1.0)*2.0 + 0.0 = -1.5 and o = tanh(-1.5).
      do/dn = 1 - tanh(-1.5)**2 (about 0.1807); the two sums pass it on to the
      product x1*w1; the local derivative of x1*w1 with respect to w1 is x1 = 1.
      So do/dw1 = (1 - tanh(-1.5)**2) * 1.0, about 0.1807.

01.3  w2 only appears in the product x2*w2, whose derivative with respect to
      w2 is x2, and x2 = 0. So "x2": whatever the upstream gradient, it is
      multiplied by 0. (With x2 = 0, changing w2 changes nothing.)

01.4  A central difference: evaluate the neuron with w1 + h and w1 - h and
      divide the change by 2h. It gives about 1.0 = (1 - o**2) * x1 = 0.5 * 2.
"""

import math


def neuron(x1, w1, x2, w2, b):
    return math.tanh(x1 * w1 + x2 * w2 + b)


_INPUTS = dict(x1=2.0, w1=-3.0, x2=0.0, w2=1.0, b=6.8813735870195432)
_H = 1e-6

SOLUTIONS = {
    "01.1": 1 - math.tanh(2.0 * -3.0 + 0.0 * 1.0 + 6.8813735870195432) ** 2,
    "01.2": (1 - math.tanh(1.0 * 0.5 + (-1.0) * 2.0 + 0.0) ** 2) * 1.0,
    "01.3": "x2",
    "01.4": (
        neuron(**{**_INPUTS, "w1": _INPUTS["w1"] + _H})
        - neuron(**{**_INPUTS, "w1": _INPUTS["w1"] - _H})
    )
    / (2 * _H),
}
