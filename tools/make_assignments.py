"""Turn the workbook's exercises into an nbgrader course, in ``build/course/``.

``python -m tools.make_assignments [--course DIR] [--generate] [NAMES...]``

For every notebook source in ``tools/notebook_sources/`` that has exercises
(a line ``check("NN.k", answer)`` in a code cell), this writes the nbgrader
*source* version of an assignment of the same name::

    build/course/nbgrader_config.py
    build/course/source/01_tanh_neuron/01_tanh_neuron.ipynb
    build/course/source/01_tanh_neuron/exercises/...   (the checks the grade cells call)

In the assignment notebook each exercise cell becomes an nbgrader *solution*
cell: the student's starting lines stay (``answer = ...``, the buggy function
to fix, ...), the ``check(...)`` line goes, and the worked solution from
``notebooks/solutions/`` is added between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` (nbgrader removes it from the student's copy). After it
comes a read-only, autograded *grade* cell worth points that calls the same
checker as the self-study notebook's ``check`` (the exercise's ``verdict``)
and fails with its message, so the student's feedback names the mistake.

The exercises are discovered, never listed here: any ``check(ID, NAME)`` line
in a notebook source is an exercise, and its worked solution is the entry ID
of a ``SOLUTIONS`` dict in any ``notebooks/solutions/*.py``. For a value the
solution code is the dict entry's own expression, with the module-level
imports, functions and constants it uses; for a function or class, its
definition. A check with no worked solution is an error.

Why generated, not committed: the course is derived from the notebook
sources, the solutions and the checks, and must never drift from them. Only
``source/`` and ``nbgrader_config.py`` are rewritten; the teacher's
gradebook, ``release/``, ``submitted/``, ``autograded/`` and ``feedback/`` are
left alone. ``--generate`` then runs ``nbgrader generate_assignment`` for
every assignment written (needs the ``classroom`` extra).
"""

from __future__ import annotations

import argparse
import ast
import builtins
import importlib.util
import inspect
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat

from tools.build_notebooks import NOTEBOOKS, ROOT, SOURCES, parse_source, to_notebook

SOLUTIONS_DIR = NOTEBOOKS / "solutions"
DEFAULT_COURSE = ROOT / "build" / "course"
COURSE_ID = "minitensor"

# nbgrader's cell metadata (schema version 3, nbgrader 0.6 and later).
SCHEMA_VERSION = 3
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
# What the student sees where the solution was (ClearSolutions.code_stub).
CODE_STUB = "# YOUR ANSWER HERE"
VALUE_POINTS, CODE_POINTS = 1, 2  # writing a function or class counts double

# A top-level line `check("01.2", answer)`: the exercise id and the answer's name.
_CHECK = re.compile(r"""^check\(\s*(["'])(?P<id>[^"']+)\1\s*,\s*(?P<var>[A-Za-z_]\w*)\s*\)\s*$""")
_IMPORT_CHECK = re.compile(r"^from exercises import check\s*$")
# Files next to the notebooks that an assignment does not ship.
_NOT_SHIPPED = shutil.ignore_patterns("*.ipynb", ".*", "__pycache__", "solutions")

NBGRADER_CONFIG = '''\
"""nbgrader settings for the minitensor course (written by tools/make_assignments.py).

Run the nbgrader commands from this folder (see deploy/TEACHING.md).
"""

import os

c = get_config()  # noqa: F821 (nbgrader provides it)

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# The student's copy keeps the exercise's starting lines (answer = ...) and shows this
# where the worked solution was.
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
# Notebooks train small models: give a cell more than nbclient's 30 s when autograding.
c.Execute.timeout = 600
# Where `nbgrader release_assignment` / `collect` meet the students' `fetch` / `submit`
# on one machine (a JupyterHub): a folder every user can write to (chmod 777).
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
# `nbgrader zip_collect`: the files downloaded from a learning platform into
# downloaded/<assignment>/archive/ are named <student id>__<notebook>.ipynb (or are zips
# of such files).
c.FileNameCollectorPlugin.named_regexp = r".*/(?P<student_id>[^/]+?)__(?P<file_id>[^/]+)$"
'''

INTRO = """\
**Graded version.** Each exercise cell starts as in the workbook: replace the `...` with
your answer (for a code exercise, write or fix the code the cell gives, where it says
`YOUR ANSWER HERE` or above it). The read-only cell after it is the autograded test, worth the
points it shows; when you submit, it runs the same check as the workbook's `check()`
and its feedback says what is wrong. Run the whole notebook before you submit
(Kernel > Restart Kernel and Run All Cells): it is graded from top to bottom."""


@dataclass
class Solution:
    """The worked solution of one exercise, as the code a student would write."""

    exercise_id: str
    value: Any
    code: str  # statements that end by binding NAME_PLACEHOLDER to the answer
    explanation: str

    @property
    def is_code(self) -> bool:
        return inspect.isfunction(self.value) or inspect.isclass(self.value)

    def as_cell_code(self, var: str) -> str:
        lines = self.code.replace(NAME_PLACEHOLDER, var).splitlines()
        if lines and lines[-1] == f"{var} = {var}":  # the definition already bound it
            lines.pop()
        return "\n".join(lines).rstrip()


NAME_PLACEHOLDER = "__ANSWER_NAME__"


# --- the worked solutions -----------------------------------------------------------------


def load_solutions(folder: Path = SOLUTIONS_DIR) -> dict[str, Solution]:
    """Every worked solution, by exercise id, from every ``SOLUTIONS`` dict in ``folder``."""
    found: dict[str, Solution] = {}
    notebooks = str(NOTEBOOKS)
    added = notebooks not in sys.path
    if added:
        sys.path.insert(0, notebooks)  # solutions may import from the notebooks folder
    try:
        for path in sorted(folder.glob("*.py")):
            module = _import(path)
            values = getattr(module, "SOLUTIONS", None)
            if not isinstance(values, dict):
                continue
            sources = _solution_sources(path.read_text(), list(values))
            explanations = _explanations(module.__doc__ or "", list(values))
            for exercise_id, value in values.items():
                code = sources.get(exercise_id) or _fallback_source(module, value)
                if exercise_id in found:
                    raise ValueError(f"exercise {exercise_id} has two worked solutions")
                found[exercise_id] = Solution(
                    exercise_id, value, code, explanations.get(exercise_id, "")
                )
    finally:
        if added:
            sys.path.remove(notebooks)
    return found


def _import(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_worked_solutions_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _solution_sources(text: str, ids: list[str]) -> dict[str, str]:
    """The code of each entry of a literal ``SOLUTIONS = {...}`` dict, with what it uses."""
    tree = ast.parse(text)
    table: ast.Dict | None = None
    statements: list[ast.stmt] = []
    for statement in tree.body:
        targets = _bound_names(statement)
        if "SOLUTIONS" in targets:
            value = getattr(statement, "value", None)
            if isinstance(value, ast.Dict):
                table = value
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # the module's docstring
        statements.append(statement)
    if table is None:
        return {}
    sources: dict[str, str] = {}
    for key, value in zip(table.keys, table.values):
        if not (isinstance(key, ast.Constant) and key.value in ids):
            continue
        needed = _loaded_names(value)
        chosen: set[int] = set()
        changed = True
        while changed:  # the module-level statements the expression needs, transitively
            changed = False
            for index, statement in enumerate(statements):
                if index not in chosen and _bound_names(statement) & needed:
                    chosen.add(index)
                    needed |= _loaded_names(statement)
                    changed = True
        parts = [_statement_source(text, statements[i]) for i in sorted(chosen)]
        expression = ast.get_source_segment(text, value) or ""
        parts.append(_assignment(expression))
        sources[key.value] = "\n".join(_join_blocks(parts))
    return sources


def _join_blocks(parts: list[str]) -> list[str]:
    """Statements one after another; a blank line around definitions."""
    lines: list[str] = []
    for i, part in enumerate(parts):
        multi = "\n" in part
        if lines and (multi or "\n" in parts[i - 1]):
            lines.append("")
        lines.append(part)
    return lines


def _assignment(expression: str) -> str:
    if "\n" not in expression:
        return f"{NAME_PLACEHOLDER} = {expression}"
    body = textwrap.indent(_dedent_tail(expression), "    ")
    return f"{NAME_PLACEHOLDER} = (\n{body}\n)"


def _dedent_tail(expression: str) -> str:
    """A multi-line expression cut from a dict: its first line starts at column 0, the
    others keep the dict's indentation; give them all the same base."""
    first, _, rest = expression.partition("\n")
    return first + "\n" + textwrap.dedent(rest)


def _statement_source(text: str, statement: ast.stmt) -> str:
    lines = text.splitlines()
    decorators = getattr(statement, "decorator_list", [])
    start = min([statement.lineno, *(d.lineno for d in decorators)])
    assert statement.end_lineno is not None
    return "\n".join(lines[start - 1 : statement.end_lineno])


def _bound_names(statement: ast.stmt) -> set[str]:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {statement.name}
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return {(alias.asname or alias.name).split(".")[0] for alias in statement.names}
    if isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        return {
            node.id for target in targets for node in ast.walk(target) if isinstance(node, ast.Name)
        }
    return set()


def _loaded_names(node: ast.AST) -> set[str]:
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    return names - set(dir(builtins))


def _fallback_source(module: ModuleType, value: Any) -> str:
    """A solution the dict's source does not show (built in a loop, ...)."""
    if inspect.isfunction(value) or inspect.isclass(value):
        imports = [
            line
            for line in inspect.getsource(module).splitlines()
            if line.startswith(("import ", "from ")) and "__future__" not in line
        ]
        definition = textwrap.dedent(inspect.getsource(value))
        return "\n".join([*imports, "", definition, f"{NAME_PLACEHOLDER} = {value.__name__}"])
    text = repr(value)
    try:
        same = ast.literal_eval(text) == value
    except (ValueError, SyntaxError):
        same = False
    if not same:
        raise ValueError(f"cannot write the worked solution {value!r} as code")
    return f"{NAME_PLACEHOLDER} = {text}"


def _explanations(docstring: str, ids: list[str]) -> dict[str, str]:
    """The paragraph of the solutions' docstring about each exercise (it starts with its id)."""
    starts = re.compile(r"^\W*(" + "|".join(map(re.escape, ids)) + r")(?!\d)") if ids else None
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in docstring.splitlines():
        match = starts.match(line) if starts else None
        if match:
            current = found.setdefault(match[1], [])
        if current is not None:
            current.append(line)
    return {key: textwrap.dedent("\n".join(lines)).strip() for key, lines in found.items()}


# --- the assignment notebook --------------------------------------------------------------


@dataclass
class Check:
    exercise_id: str
    var: str


def find_checks(source: str) -> list[Check]:
    """The ``check(ID, NAME)`` lines of a code cell."""
    checks = []
    for line in source.splitlines():
        match = _CHECK.match(line)
        if match:
            checks.append(Check(match["id"], match["var"]))
    return checks


def exercise_ids(source_path: Path) -> list[str]:
    """The exercises of one notebook source, in order."""
    cells = parse_source(source_path.read_text())
    return [
        c.exercise_id
        for cell in cells
        if cell["type"] == "code"
        for c in find_checks(cell["source"])
    ]


def solution_cell_source(source: str, checks: list[Check], solutions: dict[str, Solution]) -> str:
    """The exercise cell without its check lines, with the worked solutions at its end."""
    kept = [line for line in source.splitlines() if not _CHECK.match(line)]
    if not any("check(" in line for line in kept):
        kept = [line for line in kept if not _IMPORT_CHECK.match(line)]
    while kept and not kept[-1].strip():
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    region = [BEGIN]
    for check in checks:
        solution = solutions[check.exercise_id]
        if solution.explanation:
            region += [f"# {line}".rstrip() for line in solution.explanation.splitlines()]
        region.append(solution.as_cell_code(check.var))
    region.append(END)
    return "\n".join([*kept, *region]) if kept else "\n".join(region)


def points(solution: Solution) -> int:
    return CODE_POINTS if solution.is_code else VALUE_POINTS


def grade_cell_source(check: Check, solution: Solution) -> str:
    """The autograded test: the exercise's own verdict, its message as the failure."""
    eid, var = check.exercise_id, check.var
    return f"""\
# Autograded test of exercise {eid} ({points(solution)} point{"s" if points(solution) > 1 else ""}).
from exercises import all_exercises

_exercise = all_exercises()[{eid!r}]
assert {var} is not ..., "Exercise {eid}: not answered yet (replace ... with your answer)."
try:
    _message = _exercise.verdict({var})
except Exception as _error:  # a function that raises, an answer of the wrong kind
    _message = f"Your answer could not be checked ({{type(_error).__name__}}: {{_error}})."
assert _message is None, " ".join(
    f"Exercise {eid}: not yet. {{_message}} Hint: {{_exercise.hint}}".split()
)"""


def _metadata(*, grade: bool, solution: bool, locked: bool, grade_id: str, pts: int | None):
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
    }
    if pts is not None:
        meta["points"] = pts
    return {"nbgrader": meta}


def _slug(exercise_id: str) -> str:
    return re.sub(r"\W", "_", exercise_id)


def drop_solution_mentions(markdown: str) -> str:
    """Remove the sentences that point at ``solutions/`` (the course does not ship it).

    Only runs of plain text lines are changed: headings, lists, tables, quotes and
    code blocks are kept as they are."""
    out: list[str] = []
    run: list[str] = []
    fenced = False

    def flush() -> None:
        if run and "solutions/" in " ".join(run):
            sentences = re.split(r"(?<=[.!?])\s+", " ".join(" ".join(run).split()))
            kept = " ".join(s for s in sentences if "solutions/" not in s)
            if kept:
                out.append(kept)
        else:
            out.extend(run)
        run.clear()

    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        plain = not fenced and line.strip() and not re.match(r"\s*([#*|>-]|\d+\.|```)", line)
        if plain:
            run.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out)


def assignment_notebook(
    source_path: Path, solutions: dict[str, Solution]
) -> tuple[nbformat.NotebookNode, list[str]]:
    """The nbgrader source notebook of one workbook notebook; and its exercise ids."""
    cells = parse_source(source_path.read_text())
    notebook = to_notebook(cells)
    out = [nbformat.v4.new_markdown_cell(INTRO)]
    ids: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = drop_solution_mentions(cell.source)
            out.append(cell)
            continue
        checks = find_checks(cell.source)
        if not checks:
            out.append(cell)
            continue
        missing = [c.exercise_id for c in checks if c.exercise_id not in solutions]
        if missing:
            raise ValueError(
                f"{source_path.name}: no worked solution for exercise(s) {missing} "
                f"(add them to a SOLUTIONS dict in notebooks/solutions/)"
            )
        first = checks[0].exercise_id
        cell.source = solution_cell_source(cell.source, checks, solutions)
        cell.metadata.update(
            _metadata(
                grade=False,
                solution=True,
                locked=False,
                grade_id=f"answer_{_slug(first)}",
                pts=None,
            )
        )
        out.append(cell)
        for check in checks:
            solution = solutions[check.exercise_id]
            grade = nbformat.v4.new_code_cell(grade_cell_source(check, solution))
            grade.metadata.update(
                _metadata(
                    grade=True,
                    solution=False,
                    locked=True,
                    grade_id=f"check_{_slug(check.exercise_id)}",
                    pts=points(solution),
                )
            )
            out.append(grade)
            ids.append(check.exercise_id)
    for i, cell in enumerate(out):
        cell["id"] = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell-{i:03d}")
    notebook.cells = out
    return notebook, ids


# --- the course ---------------------------------------------------------------------------


def write_course(course: Path, names: list[str] | None = None) -> dict[str, list[str]]:
    """Write the course's source folder and config; the exercise ids of each assignment."""
    solutions = load_solutions()
    sources = sorted(SOURCES.glob("[0-9]*.py"))
    if names:
        sources = [p for p in sources if p.stem in names]
        unknown = set(names) - {p.stem for p in sources}
        if unknown:
            raise SystemExit(f"no notebook source named {sorted(unknown)}")
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(
        NBGRADER_CONFIG.format(course_id=COURSE_ID, stub=CODE_STUB)
    )
    written: dict[str, list[str]] = {}
    for path in sources:
        notebook, ids = assignment_notebook(path, solutions)
        if not ids:
            continue
        folder = course / "source" / path.stem
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(NOTEBOOKS, folder, ignore=_NOT_SHIPPED)
        nbformat.write(notebook, folder / f"{path.stem}.ipynb")
        written[path.stem] = ids
    if not names and (course / "source").is_dir():
        # assignments whose notebook lost its exercises (or was renamed)
        for folder in (course / "source").iterdir():
            if folder.is_dir() and folder.name not in written:
                shutil.rmtree(folder)
    return written


def nbgrader_environment() -> dict[str, str]:
    """The environment for nbgrader commands: it runs ``alembic`` (its gradebook's
    migrations) from PATH, so this Python's bin folder goes first."""
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", "")])
    return env


def generate(course: Path, names: list[str] | None = None) -> None:
    """``nbgrader generate_assignment`` (the release versions): of ``names``, or all."""
    nbgrader = Path(sys.executable).with_name("nbgrader")
    for pattern in names or ["*"]:
        subprocess.run(
            [str(nbgrader), "generate_assignment", pattern, "--force"],
            cwd=course,
            check=True,
            env=nbgrader_environment(),
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="notebook names (default: all with exercises)")
    parser.add_argument("--course", type=Path, default=DEFAULT_COURSE, help="course folder")
    parser.add_argument(
        "--generate", action="store_true", help="also run nbgrader generate_assignment"
    )
    args = parser.parse_args(argv)
    written = write_course(args.course, args.names)
    for name, ids in written.items():
        print(f"{name}: exercises {', '.join(ids)}")
    print(f"wrote {len(written)} assignments in {args.course / 'source'}")
    if args.generate:
        generate(args.course, args.names)


if __name__ == "__main__":
    main()
