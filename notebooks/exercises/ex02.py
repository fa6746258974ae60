"""Checks for the exercises of notebook 02 (inside backward()).

Each check works out the right answer itself from the question's numbers.
"""

from exercises import Exercise, close

# 02.1: c = a * a + a at a = 4. The product sends a twice (once per factor),
# the sum sends 1: dc/da = a + a + 1.
_A1 = 4.0
_DC_DA = _A1 + _A1 + 1.0

# 02.2: b = a + a + a has three contributions of 1 (db/da = 3); two backward()
# calls without zero_grad add them twice.
_TWICE = 2 * (1.0 + 1.0 + 1.0)

# 02.3: the buggy pass on out = (a * a) * a at a = 2. In topological order it
# processes out (sets p.grad = 1 * a and a.grad = 1 * p), then p = a * a, which
# sets a.grad twice, both times to p.grad * a. The last assignment wins.
_A3 = 2.0
_P_GRAD = 1.0 * _A3
_BUGGY = _P_GRAD * _A3


EXERCISES = {
    "02.1": Exercise(
        question="dc/da for c = a * a + a at a = 4",
        is_right=close(_DC_DA),
        hint="Three contributions reach a: two from the product (each the other factor's "
        "value, a) and one from the sum (1). Add them.",
    ),
    "02.2": Exercise(
        question="a.grad after b = a + a + a and two backward() calls",
        is_right=close(_TWICE),
        hint="One backward() gives db/da = 1 + 1 + 1; the second one adds the same again.",
    ),
    "02.3": Exercise(
        question="a.grad from buggy_backward for c = (a * a) * a at a = 2",
        is_right=close(_BUGGY),
        hint="Follow the topological order: the outer product first (it SETS a.grad to "
        "a * a), then the inner a * a, which SETS a.grad twice more. Only the last "
        "assignment survives.",
    ),
}
