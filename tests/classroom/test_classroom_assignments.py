"""The nbgrader course made by ``tools/make_assignments.py``, graded by nbgrader itself.

One course is built in a temporary folder: every assignment is generated with
``nbgrader generate_assignment``, three simulated students hand each one in (the worked
solutions, the untouched release, typical mistakes in every other exercise) as files
downloaded from a learning platform, then ``nbgrader zip_collect``, ``nbgrader
autograde`` and ``nbgrader generate_feedback`` run on all of them: the teacher's flow of
deploy/TEACHING.md. The scores
are read from nbgrader's gradebook (``nbgrader.api.Gradebook``).

Autograding runs every notebook three times, two nbgrader processes at a time
(``MINITENSOR_CLASSROOM_WORKERS``). Set ``MINITENSOR_CLASSROOM_ASSIGNMENTS`` to a
comma-separated list of assignment names to build and grade only those.
"""

from __future__ import annotations

import html as html_module
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from tests.helpers import require_module

# Checked before the imports below, so a missing tool says what to install.
require_module("nbgrader", "the classroom extra: make test-classroom")

from nbgrader.api import Gradebook  # noqa: E402

from tests.classroom import submissions  # noqa: E402
from tools import make_assignments  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = ROOT / "tools" / "notebook_sources"
STUDENTS = ("solved", "untouched", "mistaken")
COMMAND_TIMEOUT = 1800
WORKERS = int(os.environ.get("MINITENSOR_CLASSROOM_WORKERS", "2"))
pytestmark = pytest.mark.classroom


def _solution_values() -> dict:
    """Every worked solution, read from notebooks/solutions/ as tests/test_exercises.py does."""
    values: dict = {}
    for path in sorted((NOTEBOOKS / "solutions").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"_solutions_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        values.update(getattr(module, "SOLUTIONS", {}))
    return values


def _workbook_checks() -> dict[str, list[str]]:
    """The exercise ids of each notebook source, by its check(...) lines."""
    found = {}
    for path in sorted(SOURCES.glob("[0-9]*.py")):
        ids = re.findall(r"""^check\(\s*["']([^"']+)["']""", path.read_text(), re.MULTILINE)
        if ids:
            found[path.stem] = ids
    return found


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run an nbgrader command in the course folder; fail with its output if it fails."""
    command = [str(Path(sys.executable).with_name("nbgrader")), *args]
    result = subprocess.run(
        command,
        cwd=course,
        env=make_assignments.nbgrader_environment(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    assert result.returncode == 0, (
        f"{' '.join(args)} exited {result.returncode}:\n{result.stdout[-5000:]}"
        f"\n{result.stderr[-10000:]}"
    )
    return result


class Course:
    def __init__(self, root: Path, assignments: dict[str, list[str]]):
        self.root = root
        self.assignments = assignments
        self.workbook_checks = _workbook_checks()  # as the course was built from it
        self.lost: dict[tuple[str, str], set[str]] = {}
        self.seconds: dict[str, float] = {}

    def release(self, name: str) -> Path:
        return self.root / "release" / name / f"{name}.ipynb"

    def source(self, name: str) -> Path:
        return self.root / "source" / name / f"{name}.ipynb"

    def gradebook(self) -> Gradebook:
        return Gradebook(f"sqlite:///{self.root / 'gradebook.db'}", course_id="minitensor")


def _chosen() -> list[str] | None:
    """The assignments named in MINITENSOR_CLASSROOM_ASSIGNMENTS (None: all)."""
    chosen = os.environ.get("MINITENSOR_CLASSROOM_ASSIGNMENTS", "")
    return [n.strip() for n in chosen.split(",") if n.strip()] or None


def _in_parallel(commands: list[tuple[str, ...]], course: Path) -> None:
    """Run nbgrader commands, WORKERS at a time (one notebook's kernel uses about one core)."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for future in [pool.submit(nbgrader, course, *command) for command in commands]:
            future.result()


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    """Generated, submitted three times, autograded and fed back: the whole teacher's flow."""
    root = tmp_path_factory.mktemp("course")
    started = time.perf_counter()
    assignments = make_assignments.write_course(root, _chosen())
    built = Course(root, assignments)
    nbgrader(root, "generate_assignment", "*", "--force")
    built.seconds["generate"] = time.perf_counter() - started

    sys.path.insert(0, str(NOTEBOOKS))
    try:
        from exercises import all_exercises

        exercises = all_exercises()
    finally:
        sys.path.remove(str(NOTEBOOKS))
    solutions = _solution_values()
    graded = sorted(assignments)
    for name in graded:
        for student in STUDENTS:
            notebook, lost = submissions.make_submission(
                student,
                built.release(name),
                built.source(name),
                make_assignments.CODE_STUB,
                exercises,
                solutions,
            )
            # As downloaded from a learning platform, for `nbgrader zip_collect`.
            archive = root / "downloaded" / name / "archive"
            archive.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, archive / f"{student}__{name}.ipynb")
            built.lost[(name, student)] = lost
    # The first assignment goes through `nbgrader zip_collect` (about 5 s a command); the
    # others are put where it (or `nbgrader collect`) puts them.
    started = time.perf_counter()
    nbgrader(root, "zip_collect", graded[0], "--force")
    for name in graded:
        for student in STUDENTS:
            download = root / "downloaded" / name / "archive" / f"{student}__{name}.ipynb"
            submitted = root / "submitted" / student / name / f"{name}.ipynb"
            if name != graded[0]:
                submitted.parent.mkdir(parents=True)
                shutil.copyfile(download, submitted)
            assert nbformat.read(submitted, as_version=4) == nbformat.read(download, as_version=4)
    built.seconds["collect"] = time.perf_counter() - started
    started = time.perf_counter()
    _in_parallel([("autograde", name, "--force") for name in graded], root)
    built.seconds["autograde"] = time.perf_counter() - started
    started = time.perf_counter()
    nbgrader(root, "generate_feedback", "*", "--force")
    built.seconds["feedback"] = time.perf_counter() - started
    print(f"\nclassroom course timings: {built.seconds}")
    return built


def test_every_workbook_exercise_is_an_assignment_exercise(course):
    expected = course.workbook_checks
    if _chosen():
        expected = {name: ids for name, ids in expected.items() if name in _chosen()}
    assert course.assignments == expected


def test_release_has_no_solution(course):
    for name in course.assignments:
        folder = course.root / "release" / name
        assert not (folder / "solutions").exists(), f"{name}: the release ships solutions/"
        release = nbformat.read(course.release(name), as_version=4)
        source = nbformat.read(course.source(name), as_version=4)
        text = course.release(name).read_text()
        assert submissions.BEGIN not in text and submissions.END not in text, name
        by_id = {submissions.nbgrader_meta(c).get("grade_id"): c for c in release.cells}
        solution_cells = [c for c in source.cells if submissions.nbgrader_meta(c).get("solution")]
        assert solution_cells, f"{name}: no solution cell"
        for cell in solution_cells:
            grade_id = submissions.nbgrader_meta(cell)["grade_id"]
            region = submissions.solution_region(cell.source)
            starter = cell.source.split(submissions.BEGIN)[0]
            given = by_id[grade_id].source
            assert make_assignments.CODE_STUB in given, f"{name} {grade_id}: no code stub"
            for line in region.splitlines():
                if line.strip() and line not in starter:
                    assert line not in given, f"{name} {grade_id}: the release shows {line!r}"
        for cell in release.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [], f"{name}: a released cell has outputs"


def test_grade_cells_are_locked_with_points(course):
    for name, ids in course.assignments.items():
        release = nbformat.read(course.release(name), as_version=4)
        graded = submissions.graded_exercises(release)
        assert [g.exercise_id for g in graded] == ids
        for cell in release.cells:
            meta = submissions.nbgrader_meta(cell)
            if meta.get("grade"):
                assert meta["locked"] is True and meta["solution"] is False, meta
                assert meta["points"] > 0 and meta["schema_version"] == 3, meta
                assert cell.metadata.get("editable") is False, meta  # read-only in Lab


@pytest.mark.parametrize("student", STUDENTS)
def test_autograded_scores(course, student):
    """The gradebook's score of each exercise: lost exactly where the answer is wrong."""
    graded = [name for name in course.assignments if (name, student) in course.lost]
    assert graded
    problems = []
    with course.gradebook() as gradebook:
        for name in graded:
            submission = gradebook.find_submission(name, student)
            release = nbformat.read(course.release(name), as_version=4)
            lost = course.lost[(name, student)]
            expected_total = 0.0
            for g in submissions.graded_exercises(release):
                grade = gradebook.find_grade(g.grade_id, name, name, student)
                expected = 0.0 if g.grade_id in lost else g.points
                expected_total += expected
                if grade.score != expected:
                    problems.append(
                        f"{name} {g.exercise_id} ({student}): {grade.score} points, "
                        f"expected {expected}"
                    )
            assert submission.max_score == sum(
                g.points for g in submissions.graded_exercises(release)
            )
            if submission.score != expected_total:
                problems.append(f"{name} ({student}): total {submission.score}, {expected_total}")
            assert not submission.needs_manual_grade, f"{name} ({student}) needs manual grading"
    assert not problems, "\n".join(problems)
    if student == "solved":
        assert all(not course.lost[(name, student)] for name in graded)
    if student == "untouched":  # graded (no crash), zero points
        for name in graded:
            assert (course.root / "autograded" / student / name / f"{name}.ipynb").exists()


def _grade_errors(notebook) -> dict[str, str]:
    """The error message of each failed grade cell of an autograded notebook."""
    errors = {}
    for cell in notebook.cells:
        meta = submissions.nbgrader_meta(cell)
        if meta.get("grade"):
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    errors[meta["grade_id"]] = f"{output.ename}: {output.evalue}"
    return errors


def test_feedback_names_the_mistake(course):
    """A wrong answer's feedback is its check's message; a right one shows no error."""
    for name in course.assignments:
        if (name, "mistaken") not in course.lost:
            continue
        autograded = course.root / "autograded" / "mistaken" / name / f"{name}.ipynb"
        errors = _grade_errors(nbformat.read(autograded, as_version=4))
        html = (course.root / "feedback" / "mistaken" / name / f"{name}.html").read_text()
        release = nbformat.read(course.release(name), as_version=4)
        for g in submissions.graded_exercises(release):
            if g.grade_id not in course.lost[(name, "mistaken")]:
                assert g.grade_id not in errors, f"{name} {g.exercise_id}: {errors[g.grade_id]}"
                continue
            error = errors.get(g.grade_id, "")
            assert error.startswith(f"AssertionError: Exercise {g.exercise_id}: not yet."), (
                f"{name} {g.exercise_id}: the feedback says {error!r}"
            )
            shown = html_module.escape(error.split(": ", 1)[1][:60], quote=False)
            assert shown in html, f"{name} {g.exercise_id}: the feedback page lacks {shown!r}"
        untouched = course.root / "autograded" / "untouched" / name / f"{name}.ipynb"
        for error in _grade_errors(nbformat.read(untouched, as_version=4)).values():
            assert error.startswith("AssertionError: Exercise ") or "NameError" in error, error


def test_exchange_release_fetch_submit_collect(course, tmp_path):
    """The hub's flow: release to an exchange, a student fetches and submits, collect."""
    name = sorted(course.assignments)[0]
    teacher = tmp_path / "course"
    shutil.copytree(course.root, teacher, ignore=shutil.ignore_patterns("autograded", "feedback"))
    exchange, student = tmp_path / "exchange", tmp_path / "student"
    exchange.mkdir(mode=0o777)
    student.mkdir()
    root = f"--Exchange.root={exchange}"
    nbgrader(teacher, "release_assignment", name, root)
    nbgrader(student, "fetch_assignment", name, "--course", "minitensor", root)
    fetched = student / name / f"{name}.ipynb"
    assert nbformat.read(fetched, as_version=4) == nbformat.read(course.release(name), as_version=4)
    nbgrader(student, "submit", name, "--course", "minitensor", root)
    nbgrader(teacher, "collect", name, root)
    collected = list((teacher / "submitted").glob(f"*/{name}/{name}.ipynb"))
    collected = [p for p in collected if p.parts[-3] not in STUDENTS]
    assert len(collected) == 1, collected
    assert nbformat.read(collected[0], as_version=4) == nbformat.read(fetched, as_version=4)
