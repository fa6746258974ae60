"""Helpers shared by the tests.

With ``CI=true`` nothing may be skipped for a missing tool: a test that needs
Chromium, a system Graphviz or the classroom tools fails instead, so a green CI
means it ran.
On a student's machine such tests skip with a message saying what to install.
"""

import importlib.util
import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_program(name: str, install_hint: str) -> str:
    """The path of program ``name``; skip (fail in CI) if it is not installed."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed ({install_hint})"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def require_module(name: str, install_hint: str) -> None:
    """Skip (fail in CI) unless Python package ``name`` is installed."""
    if importlib.util.find_spec(name) is None:
        message = f"{name} is not installed ({install_hint})"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message, allow_module_level=True)
