"""Marks the device tests, so ``make test-gpu`` can run them alone on a real GPU.

A test is a device test if it runs on "cuda": through the ``device``
fixture's "cuda" case, a GPU fixture (``gpu``, ``standin_gpu``, ...), or,
for the tests that open `tests.oracle.gpu` themselves, a name that says so.
"""

from __future__ import annotations

import re

import pytest

_GPU_FIXTURES = {"gpu", "standin_gpu", "cuda_like_standin"}
_GPU_NAME = re.compile(r"cuda|gpu|standin|devices")


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "gpu: runs on the 'cuda' device (make test-gpu)")


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_cuda = callspec is not None and callspec.params.get("device") == "cuda"
        fixtures = set(getattr(item, "fixturenames", ()))
        if on_cuda or fixtures & _GPU_FIXTURES or _GPU_NAME.search(item.name):
            item.add_marker(pytest.mark.gpu)
