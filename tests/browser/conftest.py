"""Fixtures for the browser tests: one JupyterLab server and one Chromium per session.

The server serves a temporary folder into which the tests copy the notebooks
they open (``lab.stage``): cleared copies for Run All, stored copies (trusted
or not) for what a student sees on opening. The tests share one browser tab
with Lab loaded once (it opens each notebook with Lab's own open command);
after each test its documents are closed and its kernels shut down. If a test
failed, a screenshot of the tab is saved in test-artifacts/failures/, the
server's log is added to the report, and the next test gets a fresh tab.

Environment: ``MINITENSOR_LAB_TIMEOUT`` (seconds a notebook may take to run,
default 300).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser import lab_notebook
from tests.browser.lab_server import ARTIFACTS, LabServer, launch_chromium
from tests.helpers import require_program

VIEWPORT = {"width": 1280, "height": 1800}  # tall: Lab scrolls an inner panel, not the page


class LabSession:
    """The server, the browser and the folder the server serves."""

    def __init__(self, server: LabServer, browser: Browser, served: Path):
        self.server = server
        self.browser = browser
        self.served = served
        self.run_timeout_ms = float(os.environ.get("MINITENSOR_LAB_TIMEOUT", "300")) * 1000
        self.ui_timeout_ms = 60_000.0  # opening a notebook, a kernel, a widget's answer
        self._page: Page | None = None

    def stage(self, notebook: Path, folder: str, *, cleared: bool) -> str:
        """Copy ``notebook`` into ``folder`` of the served root; its path for Lab."""
        target = self.served / folder / notebook.name
        self._stage_support(notebook.parent, target.parent)
        if cleared:
            lab_notebook.write_cleared(notebook, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notebook, target)
        return target.relative_to(self.served).as_posix()

    @staticmethod
    def _stage_support(source: Path, target: Path) -> None:
        """Copy what the notebooks import or read (e.g. notebooks/exercises/), once."""
        if target.exists():
            return
        target.mkdir(parents=True)
        skip = shutil.ignore_patterns("*.ipynb", ".*", "__pycache__")
        for entry in source.iterdir():
            if entry.is_dir() and not skip(str(source), [entry.name]):
                shutil.copytree(entry, target / entry.name, ignore=skip)
            elif entry.is_file() and not skip(str(source), [entry.name]):
                shutil.copyfile(entry, target / entry.name)

    def page(self) -> Page:
        """The browser tab with Lab loaded (loaded once: a new tab after a failure)."""
        if self._page is None:
            context = self.browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            page.set_default_timeout(self.ui_timeout_ms)
            lab_notebook.start_lab(page, self.server.url("lab?reset"), self.ui_timeout_ms)
            self._page = page
        return self._page

    def discard_page(self) -> None:
        if self._page is not None:
            self._page.context.close()
            self._page = None

    def open(self, page: Page, path: str) -> None:
        """Open ``path`` in Lab and wait for its kernel."""
        lab_notebook.open_notebook(page, path, self.ui_timeout_ms)

    def run_all(self, page: Page, path: str) -> dict:
        """Open ``path``, Run All, wait until every cell has run; the notebook's report."""
        self.open(page, path)
        return lab_notebook.run_all(page, path, self.run_timeout_ms)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole run: Playwright's sync API allows one per process."""
    chromium = require_program("chromium", "apt-get install chromium")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory, browser: Browser) -> Iterator[LabSession]:
    shutil.rmtree(ARTIFACTS / "failures", ignore_errors=True)  # this run's failures only
    work = tmp_path_factory.mktemp("jupyterlab")
    served = work / "root"
    served.mkdir()
    server = LabServer(served, work / "state")
    try:
        server.start()
        yield LabSession(server, browser, served)
    finally:
        server.stop()


@pytest.fixture
def lab_page(lab: LabSession, request) -> Iterator[Page]:
    """Lab's tab; after the test its documents are closed and its kernels shut down."""
    page = lab.page()
    yield page
    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        (ARTIFACTS / "failures").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "failures" / f"{name}.png"))
        lab.discard_page()  # whatever state the failure left, the next test starts afresh
    else:
        lab_notebook.close_documents(page, lab.ui_timeout_ms)
    lab.server.shut_down_kernels()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item; add the server log to failures."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
    session = item.funcargs.get("lab") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(session, LabSession):
        report.sections.append(("JupyterLab server log (end)", session.server.log(8000)))
