"""Checks for the exercises of notebook 01 (the tanh neuron).

Each check works out the right answer itself, with plain ``math``, from the
numbers given in the question.
"""

import math

from exercises import Exercise, close


def _tanh_slope(n: float) -> float:
    """d tanh(n)/dn = 1 - tanh(n)**2."""
    return 1.0 - math.tanh(n) ** 2


# The neuron of the notebook.
_X1, _W1, _X2, _W2, _B = 2.0, -3.0, 0.0, 1.0, 6.8813735870195432
_N = _X1 * _W1 + _X2 * _W2 + _B

# The neuron of exercise 01.2.
_N2 = 1.0 * 0.5 + (-1.0) * 2.0 + 0.0


def _names_x2(answer) -> bool:
    return isinstance(answer, str) and answer.strip().strip("\"'").lower() == "x2"


EXERCISES = {
    "01.1": Exercise(
        question="do/db for the neuron of the notebook",
        # b enters n with local derivative 1, then tanh: do/db = 1 - tanh(n)**2.
        is_right=close(_tanh_slope(_N)),
        hint="b is added into n, and an addition passes the gradient on unchanged: "
        "do/db = do/dn = 1 - o**2.",
    ),
    "01.2": Exercise(
        question="do/dw1 for x1=1, w1=0.5, x2=-1, w2=2, b=0",
        # do/dw1 = (1 - tanh(n)**2) * 1 (through the sums) * x1.
        is_right=close(_tanh_slope(_N2) * 1.0),
        hint="First n = x1*w1 + x2*w2 + b (= -1.5 here). Then do/dn = 1 - tanh(n)**2, "
        "the sums pass it on, and the product x1*w1 multiplies it by x1.",
    ),
    "01.3": Exercise(
        question="which input makes w2.grad zero",
        is_right=_names_x2,
        hint="In a product p = x * w, dp/dw is the value of the other factor. "
        "Which input multiplies w2, and what is its value?",
    ),
    "01.4": Exercise(
        question="a finite-difference estimate of do/dw1 for the notebook's neuron",
        # The exact derivative is (1 - tanh(n)**2) * x1; a central difference with
        # h = 1e-6 is within about 1e-9 of it.
        is_right=close(_tanh_slope(_N) * _X1, rel=1e-5),
        hint="Evaluate neuron(...) with w1 + h and with w1 - h (keep the other inputs), "
        "subtract, and divide by 2*h.",
    ),
}
