"""Words for what is wrong: the shared pieces of the code exercises' feedback.

A checker of a code exercise runs the student's code, compares each number
with the right one (worked out by the real engine or by plain arithmetic),
and, when they differ, tries to name the mistake from *how* they differ: off
by a factor of 2, the wrong sign, zero, the upstream gradient missing. These
helpers say those things the same way in every notebook.

Nothing here knows an exercise's solution: they only compare numbers.
"""

from __future__ import annotations

import math

import numpy as np


def same(got, expected, rel: float = 1e-6, abs_: float = 1e-9) -> bool:
    """True when two numbers (or arrays of one shape) agree to ``rel``/``abs_``."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        return False
    return bool(np.allclose(got, expected, rtol=rel, atol=abs_, equal_nan=True))


def number(x) -> str:
    """A number as the feedback prints it: short, and the same on every machine."""
    return f"{float(x):.6g}"


def array(x) -> str:
    """A small array on one line, numbers rounded as `number` does."""
    values = np.asarray(x, dtype=float)
    text = np.array2string(
        values, separator=", ", formatter={"float_kind": lambda v: f"{v:.4g}"}, max_line_width=10**6
    )
    return text.replace("\n", "")


def how_it_differs(got: float, expected: float) -> str:
    """The likely slip when a number is wrong: "", or a sentence that names it."""
    if not math.isfinite(got):
        return f"It is {got}: something overflowed or divided by zero."
    if expected != 0 and math.isclose(got, 2 * expected, rel_tol=1e-4):
        return "It is exactly twice the right value."
    if expected != 0 and math.isclose(got, expected / 2, rel_tol=1e-4):
        return "It is exactly half the right value."
    if expected != 0 and math.isclose(got, -expected, rel_tol=1e-4):
        return "It has the wrong sign."
    if got == 0 and expected != 0:
        return "It is 0: no gradient arrived there."
    return ""


def wrong_number(what: str, got: float, expected: float) -> str:
    """'<what> is <got>, expected <expected>.' plus how it differs, if that is telling."""
    message = f"{what} is {number(got)}, expected {number(expected)}."
    slip = how_it_differs(float(got), float(expected))
    return f"{message} {slip}" if slip else message


def not_a_function(answer, name: str) -> str | None:
    """A message when a code exercise's answer is not a function (None when it is one)."""
    if callable(answer):
        return None
    return (
        f"the answer should be your function {name} itself (its name, without parentheses), "
        f"not a {type(answer).__name__}."
    )
