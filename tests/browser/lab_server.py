"""A private JupyterLab server and a headless Chromium for the browser tests.

The server runs on a port the operating system picks (``--port=0``; the real
port is read back from the server's runtime file), with its own temporary
config, data, runtime, settings and workspace folders so that nothing from the
user's own Jupyter setup (or an earlier run) changes what the tests see. It is
stopped by its process id; its log is kept in a file for failure reports.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import Browser, Playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"  # what the tests leave behind (ignored by git)
SCREENSHOTS = ARTIFACTS / "screenshots"  # README pictures: `make screenshots` copies them

# Flags measured to work for Debian's chromium here (see the Jupyter testing guide).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]

# User settings for the private Lab, by plugin: attach every cell to the page
# ("none": no windowing, so each cell's outputs are in the DOM) and no news
# pop-up over the notebook in screenshots.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    },
}

STARTUP_SECONDS = 90


class LabServer:
    """A JupyterLab server serving ``root_dir``; ``work_dir`` holds its private state.

    ``user_settings`` are written as the user's settings (by plugin); ``app_settings``
    is a folder to read ``overrides.json`` from instead of the environment's
    ``share/jupyter/lab/settings`` (the project's overrides, as installed).
    """

    def __init__(
        self,
        root_dir: Path,
        work_dir: Path,
        *,
        user_settings: dict | None = None,
        app_settings: Path | None = None,
    ):
        self.root_dir = root_dir
        self.work_dir = work_dir
        self.user_settings = LAB_SETTINGS if user_settings is None else user_settings
        self.app_settings = app_settings
        self.token = secrets.token_hex(16)
        self.log_path = work_dir / "jupyterlab.log"
        self.env = self._environment()
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = ""

    def _environment(self) -> dict[str, str]:
        """Point every Jupyter and IPython folder into ``work_dir``."""
        env = dict(os.environ)
        folders = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",  # also where `jupyter trust` keeps its signatures
            "JUPYTER_RUNTIME_DIR": "runtime",
            "JUPYTERLAB_SETTINGS_DIR": "settings",
            "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
            "IPYTHONDIR": "ipython",
        }
        for name, folder in folders.items():
            path = self.work_dir / folder
            path.mkdir(parents=True, exist_ok=True)
            env[name] = str(path)
        for plugin, values in self.user_settings.items():
            path = self.work_dir / "settings" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env.pop("JUPYTER_PORT", None)
        env.pop("JUPYTER_TOKEN", None)
        # Kernels draw plots with the inline backend whatever the user configured.
        env.pop("MPLBACKEND", None)
        return env

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            "--port=0",  # the operating system picks a free port: no race with other programs
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            # window.jupyterapp lets the tests read the notebook model (output types, tags).
            "--LabApp.expose_app_in_browser=True",
        ]
        if self.app_settings is not None:
            command.append(f"--LabApp.app_settings_dir={self.app_settings}")
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=self.work_dir
            )
        self.base_url = f"http://127.0.0.1:{self._wait_for_port()}/"
        self._wait_until_answering()

    def _wait_for_port(self) -> int:
        """The port from the runtime file the server writes once it listens."""
        assert self.process is not None
        runtime_file = self.work_dir / "runtime" / f"jpserver-{self.process.pid}.json"
        self._wait(lambda: runtime_file.exists(), "write its runtime file")
        # The file may be seen before it is completely written: read until it parses.
        info: dict = {}

        def parsed() -> bool:
            try:
                info.update(json.loads(runtime_file.read_text()))
            except (json.JSONDecodeError, OSError):
                return False
            return "port" in info

        self._wait(parsed, "write its port")
        return int(info["port"])

    def _wait_until_answering(self) -> None:
        def answers() -> bool:
            try:
                self.api("GET", "api/status")
            except (urllib.error.URLError, ConnectionError):
                return False
            return True

        self._wait(answers, "answer /api/status")

    def _wait(self, condition, what: str) -> None:
        """Poll ``condition``; fail with the log if the server exits or is too slow."""
        assert self.process is not None
        for _ in range(STARTUP_SECONDS * 10):
            if condition():
                return
            try:
                self.process.wait(timeout=0.1)  # the polling interval; returns if it died
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"JupyterLab exited before it could {what}:\n{self.log()}")
        raise RuntimeError(f"JupyterLab did not {what} in {STARTUP_SECONDS} s:\n{self.log()}")

    def url(self, path: str) -> str:
        """The address of ``path`` (e.g. ``lab/tree/x.ipynb?reset``) with the token."""
        separator = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{separator}token={self.token}"

    def api(self, method: str, path: str):
        """Call the server's REST API; the decoded JSON answer (None if empty)."""
        request = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """End every session (and its kernel) so notebooks do not pile up kernels."""
        for session in self.api("GET", "api/sessions"):
            self.api("DELETE", f"api/sessions/{session['id']}")

    def trust(self, notebooks: list[Path]) -> None:
        """Run `make lab`'s trust step, with the signature store this server reads."""
        jupyter = Path(sys.executable).with_name("jupyter")
        subprocess.run(
            [str(jupyter), "trust", *map(str, notebooks)],
            env=self.env,
            check=True,
            capture_output=True,
        )

    def log(self, last_chars: int = 20_000) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return text[-last_chars:]

    def stop(self) -> None:
        """Stop the server by its process id (it shuts its kernels down on SIGTERM)."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(urllib.error.URLError, ConnectionError):
            self.shut_down_kernels()  # a server that cannot answer is stopped all the same
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


def chromium_path() -> str | None:
    """Debian's chromium (no browser downloads here), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch_chromium(playwright: Playwright, executable: str) -> Browser:
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
