"""tools/make_assignments.py on made-up notebooks and solutions (fast; no nbgrader needed).

The course made from the real workbook is graded by nbgrader in
test_classroom_assignments.py; here, the rules that make it generic: any ``check(ID,
NAME)`` line is an exercise, its solution is found by id in any ``SOLUTIONS`` dict, with
the module-level code it needs, and a check without a solution is an error.
"""

from __future__ import annotations

import textwrap

import nbformat
import pytest

from tools import make_assignments

SOURCE = """\
# %% [markdown]
# # A new notebook
# Try first. The solutions are in `solutions/30_new.py`, for after you have tried.

# %%
from exercises import check

answer = ...  # your answer: a number
check("30.1", answer)

# %% [markdown]
# ### Exercise 30.2

# %%
def double(x):
    ...  # your code


my_answer = ...  # your answer: the function double
check("30.2", my_answer)
"""

SOLUTIONS = '''\
"""Worked solutions for notebook 30.

30.1  Twice the step, plus one: 2 * 3 + 1 = 7.

30.2  Return 2 * x.
"""

import math

_STEP = 3


def _twice(v):
    return 2 * v


def double(x):
    """Twice x."""
    return _twice(x)


UNRELATED = math.pi

SOLUTIONS = {
    "30.1": (
        _twice(_STEP)
        + 1
    ),
    "30.2": double,
}
'''


@pytest.fixture
def workbook(tmp_path):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "30_new.py").write_text(SOLUTIONS)
    source = tmp_path / "30_new.py"
    source.write_text(SOURCE)
    return source, make_assignments.load_solutions(tmp_path / "solutions")


def _cells(notebook, kind):
    return [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get(kind)]


def test_a_new_notebook_becomes_an_assignment(workbook):
    source, solutions = workbook
    notebook, ids = make_assignments.assignment_notebook(source, solutions)
    assert ids == ["30.1", "30.2"]
    answers, grades = _cells(notebook, "solution"), _cells(notebook, "grade")
    assert [c.metadata.nbgrader["grade_id"] for c in answers] == ["answer_30_1", "answer_30_2"]
    assert [c.metadata.nbgrader["points"] for c in grades] == [1, 2]  # code counts double
    for cell in grades:
        assert cell.metadata.nbgrader["locked"] is True
        assert cell.metadata.nbgrader["schema_version"] == 3
    assert "assert my_answer is not ..." in grades[1].source
    assert all("check(" not in c.source for c in notebook.cells if c.cell_type == "code")
    assert "solutions/" not in "".join(c.source for c in notebook.cells)
    nbformat.validate(notebook)


def test_the_solution_brings_the_code_it_needs(workbook):
    source, solutions = workbook
    notebook, _ = make_assignments.assignment_notebook(source, solutions)
    first, second = (c.source for c in _cells(notebook, "solution"))
    assert first.startswith("answer = ...  # your answer: a number\n### BEGIN SOLUTION")
    assert "# 30.1  Twice the step, plus one" in first
    assert "_STEP = 3" in first and "def _twice(v):" in first
    assert "import math" not in first and "UNRELATED" not in first  # only what it uses
    namespace: dict = {}
    exec(first.replace("answer = ...", ""), namespace)
    assert namespace["answer"] == 7
    assert second.splitlines()[0] == "def double(x):"  # the student's starting code stays
    exec(second, namespace)
    assert namespace["my_answer"](21) == 42  # the worked solution, defined after it


def test_an_exercise_without_a_worked_solution_is_an_error(workbook, tmp_path):
    source, solutions = workbook
    source.write_text(SOURCE + '\n# %%\nanswer = ...\ncheck("30.3", answer)\n')
    with pytest.raises(ValueError, match=r"30\.3"):
        make_assignments.assignment_notebook(source, solutions)


def test_solutions_not_written_as_a_dict_literal_still_work(tmp_path):
    (tmp_path / "31_loop.py").write_text(
        textwrap.dedent(
            """
            def square(x):
                return x * x

            SOLUTIONS = {}
            SOLUTIONS["31.1"] = square
            SOLUTIONS.update({"31.2": (1, "b")})
            """
        )
    )
    solutions = make_assignments.load_solutions(tmp_path)
    assert solutions["31.1"].as_cell_code("answer").endswith("answer = square")
    assert solutions["31.2"].as_cell_code("answer") == "answer = (1, 'b')"
