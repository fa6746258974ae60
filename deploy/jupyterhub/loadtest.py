"""How many students can the single-machine hub serve? A bounded load test, on 127.0.0.1.

``.venv/bin/python deploy/jupyterhub/loadtest.py 5 10 20``

For each class size N, a fresh JupyterHub runs deploy/jupyterhub/jupyterhub_config.py
(as the tests run it: shared password, no system users, state in a temporary folder,
free ports on 127.0.0.1). Then N students at once, through the hub's REST API only:

1. log in with the class password (``POST /hub/api/users/NAME/tokens`` with the
   password, as a script can) and start a server (``POST /hub/api/users/NAME/server``);
   *spawn* is the time until the hub says it is ready;
2. open notebook 01 from the workbook the hub copied into their home
   (``POST /user/NAME/api/sessions``) and execute every code cell in order over the
   kernel's websocket, as Run All does; *run* is the time from the first cell sent to
   the last reply;
3. the memory of each student's server and kernel is read from /proc (RSS, and PSS,
   which shares libraries fairly between processes).

Every request has a timeout and each phase a deadline; at the end the hub is stopped by
its PID, then every process it started that is still alive. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.classroom_hub import Hub, descendants  # noqa: E402

NOTEBOOK = "minitensor/01_tanh_neuron.ipynb"
SPAWN_DEADLINE = 600.0
RUN_DEADLINE = 900.0


def code_cells() -> list[tuple[str, bool]]:
    """Notebook 01's code cells (source, may raise), from the workbook."""
    notebook = json.loads((ROOT / "notebooks" / "01_tanh_neuron.ipynb").read_text())
    cells = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            tags = cell.get("metadata", {}).get("tags", [])
            if source.strip():
                cells.append((source, "raises-exception" in tags))
    return cells


class Student:
    def __init__(self, hub: Hub, name: str):
        self.hub = hub
        self.name = name
        self.token = ""
        self.spawn_s: float | None = None
        self.run_s: float | None = None
        self.errors: list[str] = []

    async def request(self, method: str, path: str, body=None, token: str | None = None):
        client = AsyncHTTPClient()
        headers = {"Authorization": f"token {token or self.token}"} if (token or self.token) else {}
        request = HTTPRequest(
            f"{self.hub.url}{path}",
            method=method,
            headers=headers,
            body=json.dumps(body) if body is not None else (None if method == "GET" else ""),
            request_timeout=300,
            allow_nonstandard_methods=True,
        )
        response = await client.fetch(request, raise_error=True)
        return json.loads(response.body) if response.body else None

    async def spawn(self) -> None:
        reply = await self.request(
            "POST",
            f"hub/api/users/{self.name}/tokens",
            body={"auth": {"username": self.name, "password": self.hub.student_password}},
        )
        self.token = reply["token"]
        started = time.perf_counter()
        await self.request("POST", f"hub/api/users/{self.name}/server", body={})
        while time.perf_counter() - started < SPAWN_DEADLINE:
            user = await self.request("GET", f"hub/api/users/{self.name}")
            server = user["servers"].get("")
            if server and server.get("ready"):
                self.spawn_s = time.perf_counter() - started
                return
            await asyncio.sleep(0.5)
        raise TimeoutError(f"{self.name}'s server was not ready in {SPAWN_DEADLINE} s")

    async def run_notebook(self, cells: list[tuple[str, bool]]) -> str:
        """Run the cells in a new session; its id (the kernel stays, as a class keeps it)."""
        session = await self.request(
            "POST",
            f"user/{self.name}/api/sessions",
            body={"path": NOTEBOOK, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
        )
        kernel = session["kernel"]["id"]
        ws_url = self.hub.url.replace("http", "ws", 1) + (
            f"user/{self.name}/api/kernels/{kernel}/channels"
        )
        connection = await websocket_connect(
            # The server answers once the kernel has started: many start at once.
            HTTPRequest(
                ws_url,
                headers={"Authorization": f"token {self.token}"},
                connect_timeout=60,
                request_timeout=RUN_DEADLINE,
            )
        )
        started = time.perf_counter()
        try:
            for source, may_raise in cells:
                status = await asyncio.wait_for(
                    self._execute(connection, source),
                    timeout=max(1.0, RUN_DEADLINE - (time.perf_counter() - started)),
                )
                if status != "ok" and not may_raise:
                    self.errors.append(f"{source.splitlines()[0]!r}: {status}")
            self.run_s = time.perf_counter() - started
        finally:
            connection.close()
        return session["id"]

    async def _execute(self, connection, source: str) -> str:
        msg_id = uuid.uuid4().hex
        message = {
            "header": {
                "msg_id": msg_id,
                "username": self.name,
                "session": uuid.uuid4().hex,
                "msg_type": "execute_request",
                "version": "5.3",
                "date": "",
            },
            "parent_header": {},
            "metadata": {},
            "content": {"code": source, "silent": False, "store_history": True},
            "channel": "shell",
            "buffers": [],
        }
        await connection.write_message(json.dumps(message))
        status, idle = None, False
        while status is None or not idle:
            raw = await connection.read_message()
            if raw is None:
                raise ConnectionError("the kernel's websocket closed")
            if isinstance(raw, bytes):  # binary messages (widget buffers): not ours
                continue
            reply = json.loads(raw)
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = reply["header"]["msg_type"]
            if kind == "execute_reply":
                status = reply["content"]["status"]
            elif kind == "status" and reply["content"]["execution_state"] == "idle":
                idle = True
        return status


def _memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def memory_by_user(hub: Hub) -> dict[str, tuple[int, int]]:
    """Each student's servers and kernels, summed: (RSS, PSS) in KiB."""
    assert hub.process is not None
    totals: dict[str, list[int]] = {}
    for pid in descendants(hub.process.pid):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        user = next(
            (e.split(b"=", 1)[1].decode() for e in environ if e.startswith(b"JUPYTERHUB_USER=")),
            None,
        )
        if user:
            rss, pss = _memory_kib(pid)
            total = totals.setdefault(user, [0, 0])
            total[0] += rss
            total[1] += pss
    return {user: (rss, pss) for user, (rss, pss) in totals.items()}


def available_mib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) // 1024
    return 0


async def one_class(size: int, work: Path, cells) -> dict:
    names = [f"student{i:03d}" for i in range(1, size + 1)]
    hub = Hub(work, users=names, admins=[])
    before = available_mib()
    hub.start()
    result: dict = {"students": size, "mem_available_before_mib": before}
    try:
        students = [Student(hub, name) for name in names]
        started = time.perf_counter()
        failures = await asyncio.gather(*(s.spawn() for s in students), return_exceptions=True)
        result["all_spawned_s"] = time.perf_counter() - started
        ready = [s for s, failure in zip(students, failures) if failure is None]
        for s, failure in zip(students, failures):
            if failure is not None:
                s.errors.append(f"spawn: {failure!r}")
        hub.record()
        started = time.perf_counter()
        sessions = await asyncio.gather(
            *(s.run_notebook(cells) for s in ready), return_exceptions=True
        )
        result["all_ran_s"] = time.perf_counter() - started
        # Each student's server with its kernel after notebook 01, as in class.
        memory = memory_by_user(hub)
        result["mem_available_after_mib"] = available_mib()
        closing = []
        for s, session in zip(ready, sessions):
            if isinstance(session, BaseException):
                s.errors.append(f"run: {session!r}")
            else:
                closing.append(s.request("DELETE", f"user/{s.name}/api/sessions/{session}"))
        await asyncio.gather(*closing, return_exceptions=True)
        spawn = [s.spawn_s for s in students if s.spawn_s is not None]
        run = [s.run_s for s in students if s.run_s is not None]
        pss = [p / 1024 for _, p in memory.values()]
        rss = [r / 1024 for r, _ in memory.values()]
        result.update(
            spawned=len(spawn),
            ran=len(run),
            spawn_median_s=statistics.median(spawn) if spawn else None,
            spawn_max_s=max(spawn) if spawn else None,
            run_median_s=statistics.median(run) if run else None,
            run_max_s=max(run) if run else None,
            pss_per_student_mib=statistics.median(pss) if pss else None,
            rss_per_student_mib=statistics.median(rss) if rss else None,
            errors=[f"{s.name}: {e}" for s in students for e in s.errors],
            load_average=os.getloadavg(),
        )
    finally:
        leftovers = hub.stop()
        result["leftover_processes"] = leftovers
    return result


def main() -> None:
    AsyncHTTPClient.configure(None, max_clients=1000)  # no queue in front of the hub
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[5, 10])
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    cells = code_cells()
    results = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"hub-load-{size}-") as folder:
            print(f"--- {size} students ...", flush=True)
            result = asyncio.run(one_class(size, Path(folder), cells))
            print(json.dumps(result, indent=1), flush=True)
            results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    print(
        "\n| students | ready / ran | spawn median / max (s) | run 01 median / max (s) "
        "| PSS per student (MiB) | RSS per student (MiB) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(
            f"| {r['students']} | {r['spawned']} / {r['ran']} "
            f"| {_num(r['spawn_median_s'])} / {_num(r['spawn_max_s'])} "
            f"| {_num(r['run_median_s'])} / {_num(r['run_max_s'])} "
            f"| {_num(r['pss_per_student_mib'], 0)} | {_num(r['rss_per_student_mib'], 0)} |"
        )


def _num(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


if __name__ == "__main__":
    main()
