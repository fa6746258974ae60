"""A fresh clone passes its own tests: nothing reads a path outside the repository.

A student's or a teacher's clone has only this repository, so no test, notebook,
tool, benchmark or Makefile may reach above it: no ``..`` path out of the
checkout, no ``Path(__file__).parents[N]`` that climbs past the root.
"""

import ast
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# A relative path that climbs out of a folder: "../x" or "..\\x" in a string.
_CLIMB = re.compile(r"(?<![\w.])\.\.[/\\]")


def _tracked(*patterns: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--", *patterns], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / name for name in listed]


def _depth(path: Path) -> int:
    """How many folders the file sits below the repository root (tests/x.py: 1)."""
    return len(path.relative_to(ROOT).parts) - 1


def _escapes(path: Path) -> list[str]:
    """The places in a Python file that build a path above the repository root."""
    problems = []
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        # Path(__file__).parents[N] is the folder N + 1 levels up from the file.
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "parents"
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, int)
            and node.slice.value > _depth(path)
        ):
            problems.append(f"line {node.lineno}: parents[{node.slice.value}]")
        # A chain x.parent.parent...: one level per .parent after the file itself.
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            chain, inner = 0, node
            while isinstance(inner, ast.Attribute) and inner.attr == "parent":
                chain, inner = chain + 1, inner.value
            if "__file__" in ast.unparse(inner) and chain - 1 > _depth(path):
                problems.append(f"line {node.lineno}: {chain} x .parent")
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _CLIMB.search(node.value)
        ):
            problems.append(f"line {node.lineno}: {node.value!r}")
    return problems


PYTHON = [p for p in _tracked("*.py") if p != Path(__file__).resolve()]


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_stays_inside_the_repository(path):
    assert _escapes(path) == [], f"{path.relative_to(ROOT)} reaches outside the repository"


@pytest.mark.parametrize(
    "path",
    _tracked("Makefile", ".ci/*", "*.ipynb", "*.cfg", "*.toml", "*.yml", "*.yaml"),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_other_files_stay_inside_the_repository(path):
    text = path.read_text()
    assert not _CLIMB.search(text), f"{path.relative_to(ROOT)} names a path above its folder"


def test_the_check_finds_an_escape():
    """The checker itself: a file that climbs out is caught, one that stays is not."""
    inside = ROOT / "tests" / "_probe_for_the_check.py"
    try:
        inside.write_text(
            "from pathlib import Path\n"
            "A = Path(__file__).resolve().parents[2] / 'outside'\n"
            "B = Path(__file__).parent.parent.parent\n"
            "C = open('../x')\n"
            "D = Path(__file__).resolve().parents[1] / 'notebooks'\n"
        )
        found = _escapes(inside)
    finally:
        inside.unlink()
    assert sorted(line.split(":")[0] for line in found) == ["line 2", "line 3", "line 4"]
