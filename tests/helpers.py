"""Helpers shared by the tests.

With ``CI=true`` nothing may be skipped for a missing tool: a test that needs
Chromium or a system Graphviz fails instead, so a green CI means it ran.
On a student's machine such tests skip with a message saying what to install.
"""

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
