"""Take a function or class from a notebook's source, to test the very code students read.

A test that copies a notebook's class would go on passing after the notebook
changed; this reads the definition from ``tools/notebook_sources/`` instead.
"""

from __future__ import annotations

import ast

from tools.build_notebooks import SOURCES, parse_source


def defined_in_notebook(notebook: str, name: str, namespace: dict):
    """Run the definition of ``name`` from notebook ``notebook`` in ``namespace``; return it.

    Only the ``def``/``class`` statement runs, not the rest of its cell; the
    names it uses come from ``namespace``.
    """
    for cell in parse_source((SOURCES / f"{notebook}.py").read_text()):
        if cell["type"] != "code":
            continue
        try:
            tree = ast.parse(cell["source"])
        except SyntaxError:  # a cell with an IPython magic (%matplotlib ...)
            continue
        for node in tree.body:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef)) and node.name == name:
                code = compile(ast.Module(body=[node], type_ignores=[]), notebook, "exec")
                exec(code, namespace)
                return namespace[name]
    raise LookupError(f"notebook {notebook} defines no {name}")
