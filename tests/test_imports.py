"""The import rule of minitensor (see the package docstring): imports go one way.

* every module imports alone, in a fresh interpreter;
* the graph of ``minitensor.*`` modules, read from their top-level imports,
  has no cycle;
* no function body imports a minitensor module (the lazy import that hides a
  cycle), except the few listed in `ALLOWED_INNER_IMPORTS`, each with its reason.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "minitensor"

# (module, imported module): imports inside a function body that are allowed,
# each because the imported module needs an optional third-party package that a
# plain ``import minitensor`` must not require.
ALLOWED_INNER_IMPORTS: set[tuple[str, str]] = {
    # render.py imports graphviz: only drawing a picture (or asking which renderer) needs it
    ("minitensor.viz", "minitensor.viz.render"),
    ("minitensor.viz.picture", "minitensor.viz.render"),
    ("minitensor.viz.stepper", "minitensor.viz.render"),
}


def _module_files() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = _module_files()


def _resolve(name: str) -> str | None:
    """The module an imported name lives in: ``minitensor.ops.shape.view`` -> ``...shape``."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imported_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        names = [f"{node.module}.{alias.name}" for alias in node.names]
    else:
        return []
    return [n for n in names if n == "minitensor" or n.startswith("minitensor.")]


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(module: str) -> tuple[set[str], set[str]]:
    """The minitensor modules ``module`` imports at top level, and inside functions."""
    top: set[str] = set()
    inner: set[str] = set()

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):  # annotations only: never run
                continue
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            for name in _imported_names(child):
                target = _resolve(name)
                if target and target != module:
                    (inner if nested else top).add(target)
            walk(child, nested)

    walk(ast.parse(MODULES[module].read_text()), False)
    return top, inner


GRAPH = {module: _imports(module) for module in MODULES}


def _cycle() -> list[str] | None:
    """One cycle of the top-level import graph, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH[module][0]):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_import_graph_has_no_cycle():
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_no_imports_inside_functions():
    found = {(m, t) for m, (_, inner) in GRAPH.items() for t in inner}
    unexpected = sorted(found - ALLOWED_INNER_IMPORTS)
    assert not unexpected, f"minitensor modules imported inside a function: {unexpected}"
    stale = sorted(ALLOWED_INNER_IMPORTS - found)
    assert not stale, f"no longer needed in ALLOWED_INNER_IMPORTS: {stale}"


# Runs in a fresh interpreter: for each module, a forked child (which starts
# with no minitensor module loaded) imports it alone. NumPy is imported once
# before forking, so that each child costs only minitensor's own imports.
_IMPORT_EACH = """
import os, sys, traceback
import numpy, array_api_compat.numpy
assert not any(name.startswith("minitensor") for name in sys.modules)
failed = 0
for module in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            __import__(module)
        except BaseException:
            print(f"--- import {module}", flush=True)
            traceback.print_exc(file=sys.stdout)
            sys.stdout.flush()
            os._exit(1)
        os._exit(0)
    failed += os.waitpid(pid, 0)[1] != 0
sys.exit(1 if failed else 0)
"""


def test_every_module_imports_alone():
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH, *sorted(MODULES)],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
        cwd=PACKAGE.parent,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
