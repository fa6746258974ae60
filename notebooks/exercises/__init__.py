"""Instant feedback for the workbook's exercises.

In a notebook::

    from exercises import check

    answer = ...          # replace ... with your answer
    check("01.1", answer)

``check`` prints one line: right, a hint, or "not answered yet" while the
answer is still ``...`` or a code gap still raises ``NotImplementedError``
(so a notebook run from top to bottom, untouched, stays clean).

Exercises in which the student writes code (a function, a class) have a
``diagnose`` function instead of a fixed hint: it runs the student's code on
several inputs and says *what* is wrong (which input's gradient, expected
against got, the likely mistake in words), never the solution.

Each notebook's exercises live in their own module here (``ex01.py`` for
notebook 01, ...), as a dict ``EXERCISES`` from an id to an `Exercise`. The
checks compute the right answer themselves, from the question's numbers or
with the real engine, never from a stored result.

Worked solutions are in ``notebooks/solutions/``; ``tests/test_exercises.py``
runs every solution through its check.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# One module per notebook with exercises, named explicitly (no discovery magic).
_MODULES = [
    "ex01", "ex02", "ex03", "ex04", "ex05", "ex06", "ex07", "ex08", "ex09", "ex10", "ex11",
    "ex20", "ex21", "ex22",
]  # fmt: skip


@dataclass
class Exercise:
    """One exercise.

    question: one line saying what is asked (shown by ``show``).
    is_right: a function of the student's answer, True if it is right.
    hint: what to look at when the answer is wrong.
    diagnose: for code answers, a function that returns None when the answer
        is right, or a message naming what is wrong; it replaces ``is_right``
        (and ``hint`` is printed after its message).
    """

    question: str
    is_right: Callable[[Any], bool] | None = None
    hint: str = ""
    diagnose: Callable[[Any], str | None] | None = None

    def verdict(self, answer: Any) -> str | None:
        """None when ``answer`` is right, else what to tell the student."""
        if self.diagnose is not None:
            return self.diagnose(answer)
        assert self.is_right is not None, "an exercise needs is_right or diagnose"
        return None if self.is_right(answer) else ""


def all_exercises() -> dict[str, Exercise]:
    """Every exercise of the workbook, by id ("01.1", "01.2", ...)."""
    found: dict[str, Exercise] = {}
    for name in _MODULES:
        try:
            module = importlib.import_module(f"exercises.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"exercises.{name}":
                continue  # that notebook has no exercises yet
            raise
        found.update(module.EXERCISES)
    return found


def check(exercise_id: str, answer: Any = ...) -> bool | None:
    """Print whether ``answer`` is right; return True/False (None if not answered)."""
    exercises = all_exercises()
    if exercise_id not in exercises:
        raise KeyError(f"no exercise {exercise_id!r}; the ids are {sorted(exercises)}")
    if answer is ...:
        print(f"Exercise {exercise_id}: not answered yet (replace ... with your answer).")
        return None
    exercise = exercises[exercise_id]
    try:
        message = exercise.verdict(answer)
    except NotImplementedError:  # a code gap still reads `raise NotImplementedError()`
        print(
            f"Exercise {exercise_id}: not answered yet "
            "(replace `raise NotImplementedError()` with your code)."
        )
        return None
    except Exception as error:  # a wrong kind of answer is a hint, not a crash
        print(f"Exercise {exercise_id}: that answer could not be checked")
        print(f"  ({type(error).__name__}: {error}).")
        if exercise.hint:
            print(f"  Hint: {exercise.hint}")
        return False
    if message is None:
        print(f"Exercise {exercise_id}: right!")
        return True
    if message:
        print(f"Exercise {exercise_id}: not yet. {message}")
        if exercise.hint:
            print(f"  Hint: {exercise.hint}")
    else:
        print(f"Exercise {exercise_id}: not yet. Hint: {exercise.hint}")
    return False


def close(expected: float, rel: float = 1e-4, abs_: float = 1e-6) -> Callable[[Any], bool]:
    """A check that accepts a number (or a one-element tensor) near ``expected``."""

    def is_right(answer) -> bool:
        value = float(answer.item() if hasattr(answer, "item") else answer)
        return math.isclose(value, expected, rel_tol=rel, abs_tol=abs_)

    return is_right
