"""Simulated students' submissions of an nbgrader assignment, made from its release copy.

A release notebook's solution cell holds the exercise's starting lines (``answer = ...``,
a function to fix) and nbgrader's code stub where the worked solution was. A submission
replaces the stub with what a student would write there:

* ``solved``: the worked solution, taken from the course's *source* notebook (the text
  between ``### BEGIN SOLUTION`` and ``### END SOLUTION``);
* ``untouched``: nothing (the release copy as handed out);
* ``mistaken``: a typical wrong answer in every other exercise (a sign error, a factor
  of two, the other choice, the buggy function left as given), the worked solution in
  the others.

Which answers are wrong is told by the exercise's own check (``Exercise.verdict``); the
scores the tests compare with come from nbgrader's gradebook.
"""

from __future__ import annotations

import inspect
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

import minitensor

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_GRADED_ID = re.compile(r"""all_exercises\(\)\[(['"])(?P<id>.+?)\1\]""")
_GRADED_VAR = re.compile(r"^assert (?P<var>\w+) is not \.\.\.", re.MULTILINE)


@dataclass
class Graded:
    """One exercise in an assignment notebook."""

    exercise_id: str
    var: str
    grade_id: str  # the grade cell's nbgrader id
    points: float
    solution_cell: int  # index of the solution cell it grades


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def graded_exercises(notebook) -> list[Graded]:
    """The grade cells of a notebook, each with the solution cell before it."""
    found = []
    last_solution = -1
    for index, cell in enumerate(notebook.cells):
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            last_solution = index
        if meta.get("grade") and cell.cell_type == "code":
            exercise = _GRADED_ID.search(cell.source)
            var = _GRADED_VAR.search(cell.source)
            assert exercise and var, f"not a grade cell of ours: {cell.source!r}"
            assert last_solution >= 0, f"grade cell {meta['grade_id']} has no solution cell"
            found.append(
                Graded(exercise["id"], var["var"], meta["grade_id"], meta["points"], last_solution)
            )
    return found


def solution_region(source: str) -> str:
    """The lines between the solution markers of a source cell."""
    lines = source.splitlines()
    start, end = lines.index(BEGIN), lines.index(END)
    return "\n".join(lines[start + 1 : end])


def fill_stub(release_source: str, stub: str, code: str) -> str:
    assert stub in release_source, f"no code stub in {release_source!r}"
    return release_source.replace(stub, code, 1)


# --- typical wrong answers ------------------------------------------------------------------


def _rejected(exercise, answer: Any) -> bool:
    """The check says it is wrong (and does not just fail on it: the feedback is its message)."""
    try:
        return exercise.verdict(answer) is not None
    except Exception:
        return False


def _value_candidates(right: Any) -> list[str]:
    """Python expressions of typical wrong answers, most typical first."""
    if isinstance(right, bool):
        return [repr(not right)]
    if isinstance(right, int | float):
        # a sign error, a factor of two, one off
        return [repr(-right), repr(right * 2), repr(right + 1), "0"]
    if isinstance(right, str):
        others = ["a", "b", "c", "d", "x1", "w1", "x2", "w2", "b"]
        return [repr(o) for o in others if o != right] + [repr(right + "?")]
    if isinstance(right, tuple | list):
        flipped = type(right)(reversed(right))
        return [repr(flipped), repr(type(right)(right[:-1])), repr(type(right)())]
    if isinstance(right, set | frozenset):
        return [repr(set(list(right)[:-1]) or {"?"}), repr({*right, "?"})]
    if isinstance(right, minitensor.dtype):
        return ["mt.float64", "mt.float32", "mt.int64"]
    return ["None"]


def wrong_value_code(exercise, right: Any, var: str) -> str:
    """A line that binds ``var`` to a typical wrong answer that the check rejects."""
    namespace = {"mt": minitensor, "math": math}
    for expression in _value_candidates(right):
        if _rejected(exercise, eval(expression, namespace)):
            return f"import minitensor as mt\n{var} = {expression}"
    raise AssertionError(f"no typical wrong answer is rejected by {exercise.question!r}")


def wrong_code_code(release_source: str, right: Any, var: str) -> str:
    """For a code exercise: the function as the notebook gives it (buggy or empty)."""
    name = right.__name__
    if re.search(rf"^(def|class) {re.escape(name)}\b", release_source, re.MULTILINE):
        return f"{var} = {name}"
    return f"def {name}(*args, **kwargs):\n    return None\n\n\n{var} = {name}"


def is_code(value: Any) -> bool:
    return inspect.isfunction(value) or inspect.isclass(value)


# --- whole submissions ----------------------------------------------------------------------


def make_submission(
    kind: str,
    release: Path,
    source: Path,
    stub: str,
    exercises: dict,
    solutions: dict,
) -> tuple[nbformat.NotebookNode, set[str]]:
    """The ``kind`` submission of one release notebook; the grade ids it should lose."""
    notebook = nbformat.read(release, as_version=4)
    source_nb = nbformat.read(source, as_version=4)
    graded = graded_exercises(notebook)
    lost: set[str] = set()
    by_cell: dict[int, list[Graded]] = {}
    for g in graded:
        by_cell.setdefault(g.solution_cell, []).append(g)
    for number, (index, group) in enumerate(sorted(by_cell.items())):
        cell = notebook.cells[index]
        if kind == "untouched":
            lost |= {g.grade_id for g in group}
            continue
        source_cell = next(
            c
            for c in source_nb.cells
            if nbgrader_meta(c).get("grade_id") == nbgrader_meta(cell)["grade_id"]
        )
        solved = solution_region(source_cell.source)
        if kind == "solved" or number % 2 == 1:
            cell.source = fill_stub(cell.source, stub, solved)
            continue
        assert kind == "mistaken", kind
        wrong = []
        for g in group:
            right = solutions[g.exercise_id]
            if is_code(right):
                wrong.append(wrong_code_code(cell.source, right, g.var))
            else:
                wrong.append(wrong_value_code(exercises[g.exercise_id], right, g.var))
            lost.add(g.grade_id)
        cell.source = fill_stub(cell.source, stub, "\n".join(wrong))
    return notebook, lost
