"""JupyterHub for a class working through the minitensor workbook, on one machine.

Run it from the project's environment (the workbook and JupyterHub installed in it, see
deploy/TEACHING.md), as root when the students are system users::

    .venv/bin/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

Every student's server runs from this same Python, where minitensor and the workbook's
packages are installed; it opens JupyterLab, and on its first start the workbook's
notebooks are copied into ``~/minitensor`` (never again: a student's edits stay). Idle
servers are stopped by ``jupyterhub-idle-culler``.

Settings, from the environment (all optional):

``MINITENSOR_HUB_IP``, ``MINITENSOR_HUB_PORT``
    where the hub listens (default all addresses, port 8000; put HTTPS in front, or set
    ``MINITENSOR_HUB_SSL_KEY`` and ``MINITENSOR_HUB_SSL_CERT``).
``MINITENSOR_HUB_STATE``
    the hub's own files: its database, cookie secret, proxy pid (default
    ``/srv/minitensor-hub``).
``MINITENSOR_HUB_STUDENT_PASSWORD``, ``MINITENSOR_HUB_ADMIN_PASSWORD``
    set: log in with a shared password (students) and a second one of 32 or more
    characters (the admins); unset: the machine's own accounts (PAM).
``MINITENSOR_HUB_USERS``, ``MINITENSOR_HUB_ADMINS``
    comma-separated user names: the class (unset: anyone who can log in) and the
    teachers, who may see every server.
``MINITENSOR_HUB_HOMES``
    set: students need no system account; each one's home is ``HOMES/<name>`` and every
    server runs as the hub's user (no isolation between students: a short workshop on a
    machine of its own, or the tests). Unset: each student is a system user, with
    ``systemdspawner`` (memory and CPU limits enforced) if it is installed, else
    JupyterHub's local process spawner.
``MINITENSOR_HUB_MEM_LIMIT``, ``MINITENSOR_HUB_CPU_LIMIT``
    per student (default 1G and 1 CPU, see the sizing in deploy/TEACHING.md).
``MINITENSOR_HUB_CULL_TIMEOUT``
    seconds without activity after which a server is stopped (default 3600).
``MINITENSOR_WORKBOOK``
    the folder copied into each home (default this checkout's ``notebooks/``);
    ``MINITENSOR_HUB_SOLUTIONS=0`` leaves its ``solutions/`` out.
``MINITENSOR_HUB_PROXY``
    the configurable-http-proxy program (default ``deploy/jupyterhub/node_modules``'s,
    from ``npm ci --prefix deploy/jupyterhub``, else the one on PATH).
"""

from __future__ import annotations

import os
import pwd
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides it)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
env = os.environ.get


def _csv(name: str) -> set[str]:
    return {part.strip() for part in env(name, "").split(",") if part.strip()}


# --- where the hub listens and keeps its state ----------------------------------------------

ip = env("MINITENSOR_HUB_IP", "")
port = int(env("MINITENSOR_HUB_PORT", "8000"))
c.JupyterHub.bind_url = f"http://{ip or '0.0.0.0'}:{port}/"
if env("MINITENSOR_HUB_SSL_CERT"):
    c.JupyterHub.bind_url = f"https://{ip or '0.0.0.0'}:{port}/"
    c.JupyterHub.ssl_cert = env("MINITENSOR_HUB_SSL_CERT")
    c.JupyterHub.ssl_key = env("MINITENSOR_HUB_SSL_KEY")
# The hub's own API and the proxy's API stay on the loopback address.
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{env('MINITENSOR_HUB_API_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('MINITENSOR_HUB_PROXY_PORT', '8001')}"

state = Path(env("MINITENSOR_HUB_STATE", "/srv/minitensor-hub"))
state.mkdir(parents=True, exist_ok=True)
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
local_proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [
    env("MINITENSOR_HUB_PROXY")
    or (str(local_proxy) if local_proxy.exists() else "")
    or "configurable-http-proxy"
]
# Stopping the hub stops the students' servers (their saved files stay in their homes).
c.JupyterHub.cleanup_servers = True

# --- who may log in -------------------------------------------------------------------------

students_password = env("MINITENSOR_HUB_STUDENT_PASSWORD")
if students_password:
    # A shared password (JupyterHub's successor of DummyAuthenticator's `password`).
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = students_password
    if env("MINITENSOR_HUB_ADMIN_PASSWORD"):
        c.SharedPasswordAuthenticator.admin_password = env("MINITENSOR_HUB_ADMIN_PASSWORD")
else:
    c.JupyterHub.authenticator_class = "pam"
c.Authenticator.admin_users = _csv("MINITENSOR_HUB_ADMINS")
if _csv("MINITENSOR_HUB_USERS"):
    c.Authenticator.allowed_users = _csv("MINITENSOR_HUB_USERS")
else:
    c.Authenticator.allow_all = True

# --- each student's server ------------------------------------------------------------------

homes = env("MINITENSOR_HUB_HOMES")
if homes:
    c.JupyterHub.spawner_class = "simple"  # jupyterhub.spawner.SimpleLocalProcessSpawner
    c.SimpleLocalProcessSpawner.home_dir_template = str(Path(homes) / "{username}")
else:
    try:
        import systemdspawner  # noqa: F401

        c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
        c.SystemdSpawner.isolate_tmp = True
        c.SystemdSpawner.isolate_devices = True
    except ImportError:
        c.JupyterHub.spawner_class = "localprocess"

# The single-user server of this environment, where minitensor is installed.
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
if homes and os.geteuid() == 0:
    c.Spawner.args = ["--allow-root"]  # every server runs as the hub's user: root here
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab/tree/minitensor/00_start_here.ipynb"
# Enforced by SystemdSpawner and by Kubernetes; LocalProcessSpawner only tells the server
# (MEM_LIMIT, CPU_LIMIT in its environment, shown by jupyter-resource-usage if installed).
c.Spawner.mem_limit = env("MINITENSOR_HUB_MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(env("MINITENSOR_HUB_CPU_LIMIT", "1"))
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

workbook = Path(env("MINITENSOR_WORKBOOK", str(ROOT / "notebooks")))
skipped = ["__pycache__", ".*", "*.pyc"]
if env("MINITENSOR_HUB_SOLUTIONS", "1") == "0":
    skipped.append("solutions")


def copy_workbook(spawner) -> None:
    """On a student's first start, copy the workbook into ~/minitensor (never over it)."""
    name = spawner.user.name
    if homes:
        home, owner = Path(homes) / name, None
    else:
        entry = pwd.getpwnam(name)
        home, owner = Path(entry.pw_dir), (entry.pw_uid, entry.pw_gid)
    target = home / "minitensor"
    if target.exists():
        return
    home.mkdir(parents=True, exist_ok=True)
    shutil.copytree(workbook, target, ignore=shutil.ignore_patterns(*skipped))
    if owner is not None:
        for path in [target, *target.rglob("*")]:
            os.chown(path, *owner)
    spawner.log.info("copied the workbook into %s", target)


c.Spawner.pre_spawn_hook = copy_workbook

# --- stop idle servers ----------------------------------------------------------------------

c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={env('MINITENSOR_HUB_CULL_TIMEOUT', '3600')}",
            "--cull-every=300",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
