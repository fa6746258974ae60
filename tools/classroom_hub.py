"""A real JupyterHub from deploy/jupyterhub/jupyterhub_config.py, for the tests and the load test.

The hub runs the class configuration itself, told by its environment variables to
listen on 127.0.0.1 at free ports, to keep its state and the students' homes in a
temporary folder, to log students in with a shared password (the teacher with an admin
password) and to spawn servers without system users. Its configurable-http-proxy is the
one ``npm ci --prefix deploy/jupyterhub`` installs. Every process the hub starts (proxy,
idle culler, students' servers, their kernels) is recorded while it runs; ``stop``
ends the hub by its process id and then any of those still alive, by theirs.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PROXY = ROOT / "deploy" / "jupyterhub" / "node_modules" / ".bin" / "configurable-http-proxy"
STARTUP_SECONDS = 120


def free_port() -> int:
    """A port nothing listens on now (the operating system's choice)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def _stat(pid: int) -> tuple[str, int] | None:
    """A process's state letter and start time (which tells a reused PID apart)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[19])


def descendants(pid: int) -> dict[int, int]:
    """Every process below ``pid``: its start time, by PID."""
    tree, found, todo = _children(), {}, [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            stat = _stat(child)
            if child not in found and stat is not None:
                found[child] = stat[1]
                todo.append(child)
    return found


def alive(pid: int, started: int | None = None) -> bool:
    """``pid`` runs (and is the process that started at ``started``, if given)."""
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z" and started in (None, stat[1])


def _default_sigint() -> None:
    # A hub started from a background shell inherits SIGINT ignored, and so would the
    # servers and services it stops with SIGINT first: give them the default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Hub:
    """A JupyterHub in ``work`` (state, homes, log); start, stop, start again."""

    def __init__(self, work: Path, users: list[str], admins: list[str], *, extra_env=None):
        self.work = work
        self.state = work / "state"
        self.homes = work / "homes"
        self.users = users
        self.admins = admins
        self.student_password = "students-" + secrets.token_hex(6)
        self.admin_password = "teacher-" + secrets.token_hex(20)  # 32 or more characters
        self.log_path = work / "jupyterhub.log"
        self.extra_env = dict(extra_env or {})
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.seen: dict[int, int] = {}  # every process the hub started: PID -> start time

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
        env.update(
            {
                "MINITENSOR_HUB_IP": "127.0.0.1",
                "MINITENSOR_HUB_PORT": str(self.port),
                "MINITENSOR_HUB_API_PORT": str(free_port()),
                "MINITENSOR_HUB_PROXY_PORT": str(free_port()),
                "MINITENSOR_HUB_STATE": str(self.state),
                "MINITENSOR_HUB_HOMES": str(self.homes),
                "MINITENSOR_HUB_STUDENT_PASSWORD": self.student_password,
                "MINITENSOR_HUB_ADMIN_PASSWORD": self.admin_password,
                "MINITENSOR_HUB_USERS": ",".join(self.users),
                "MINITENSOR_HUB_ADMINS": ",".join(self.admins),
                "MINITENSOR_HUB_PROXY": str(PROXY),
                "PATH": os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]]),
            }
        )
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        if not PROXY.exists():
            raise RuntimeError(f"no {PROXY}: run npm ci --prefix deploy/jupyterhub")
        self.work.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        jupyterhub = Path(sys.executable).with_name("jupyterhub")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(jupyterhub), "-f", str(CONFIG)],
                cwd=self.work,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_default_sigint,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            self.record()
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited at start:\n{self.log()}")
            try:
                self.api("GET", "")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.5)
        raise RuntimeError(f"JupyterHub did not answer in {STARTUP_SECONDS} s:\n{self.log()}")

    def record(self) -> None:
        """Remember the hub's processes (so that stop can check each one is gone)."""
        if self.process is not None and self.process.poll() is None:
            self.seen.update(descendants(self.process.pid))

    def api(self, method: str, path: str, token: str | None = None, body=None):
        """The hub's REST API (``/hub/api/<path>``); the decoded JSON answer."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.url}hub/api/{path}", data=data, method=method)
        if token:
            request.add_header("Authorization", f"token {token}")
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
        return json.loads(text) if text else None

    def stop(self, timeout: float = 90) -> list[int]:
        """Stop the hub by its PID, then any process it started still alive, by theirs.

        Returns the processes that had to be ended here (the hub did not stop them)."""
        if self.process is None:
            return []
        self.record()
        leftovers: list[int] = []
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            survivors = [pid for pid, started in sorted(self.seen.items()) if alive(pid, started)]
            if sig == signal.SIGTERM:
                leftovers = survivors
            for pid in survivors:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            deadline = time.monotonic() + 10
            while any(alive(p, self.seen[p]) for p in survivors) and time.monotonic() < deadline:
                time.sleep(0.2)
        self.process = None
        self.seen = {}
        return leftovers

    def log(self, last_chars: int = 12_000) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return text[-last_chars:]
