"""A class on the JupyterHub of deploy/jupyterhub/, through Chromium, as students use it.

One real JupyterHub (its proxy from npm, shared-password login, servers without system
users) on 127.0.0.1: two students log in, each opens 01_tanh_neuron from the workbook
copied into their home, runs it and clicks the stepper's Next; a wrong password is
refused; one student cannot open the other's server; the teacher requests an API token
on the hub's token page and lists both servers (and the idle culler) through the REST
API; each server got the memory and CPU limits to enforce; then the hub is
stopped and started again, and what a student saved is still there. Every process is
stopped by its own PID at the end, also after a failure.
"""

from __future__ import annotations

import contextlib
import json
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import require_module, require_program

# Checked before the imports below, so a missing tool says what to install.
require_module("jupyterhub", "the classroom extra: make test-classroom")
require_module("playwright", "the test extra")

from playwright.sync_api import BrowserContext, Page, sync_playwright  # noqa: E402

from tests.browser import lab_notebook  # noqa: E402
from tests.browser.lab_server import ARTIFACTS, launch_chromium  # noqa: E402
from tests.browser.lab_stepper import StepperDriver  # noqa: E402
from tools.classroom_hub import PROXY, Hub, descendants  # noqa: E402

pytestmark = pytest.mark.classroom

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "minitensor/01_tanh_neuron.ipynb"  # where the hub copies it in each home
STUDENTS = ["alice", "bob"]
TEACHER = "teacher"
RUN_TIMEOUT_MS = 600_000  # two students run the notebook at once on two shared cores
UI_TIMEOUT_MS = 120_000
FAILURES = ARTIFACTS / "classroom"

# Per-user settings written into each home before the first login, as a student could:
# Lab exposes its app object (the tests read the notebook model through it), attaches
# every cell to the page and shows no news pop-up.
SERVER_CONFIG = {"LabApp": {"expose_app_in_browser": True, "news_url": None}}
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    },
}


def prepare_home(home: Path) -> None:
    config = home / ".jupyter"
    config.mkdir(parents=True, exist_ok=True)
    (config / "jupyter_server_config.json").write_text(json.dumps(SERVER_CONFIG))
    for plugin, values in LAB_SETTINGS.items():
        path = config / "lab" / "user-settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Iterator[Hub]:
    if not PROXY.exists():
        pytest.fail(f"{PROXY} is missing: npm ci --prefix deploy/jupyterhub")
    the_hub = Hub(tmp_path_factory.mktemp("hub"), users=STUDENTS, admins=[TEACHER])
    for user in STUDENTS:
        prepare_home(the_hub.homes / user)
    try:
        the_hub.start()
        yield the_hub
    finally:
        leftovers = the_hub.stop()
        assert not leftovers, f"processes the hub left running (ended by PID): {leftovers}"


@pytest.fixture(scope="module")
def browser():
    chromium = require_program("chromium", "apt-get install chromium")
    with sync_playwright() as playwright:
        the_browser = launch_chromium(playwright, chromium)
        try:
            yield the_browser
        finally:
            the_browser.close()


def log_in(context: BrowserContext, hub: Hub, user: str, password: str, next_: str = "") -> Page:
    """Fill in the hub's login form; the page after it."""
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    page.goto(f"{hub.url}hub/login" + (f"?next={next_}" if next_ else ""))
    page.fill("#username_input", user)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_load_state()
    return page


def open_in_lab(page: Page, hub: Hub, user: str, path: str) -> None:
    """Go to the notebook's address in the student's Lab and wait for its kernel."""
    page.goto(f"{hub.url}user/{user}/lab/tree/{path}")
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=UI_TIMEOUT_MS)
    page.evaluate("async () => { await window.jupyterapp.restored; }")
    page.wait_for_function(lab_notebook.KERNEL_IDLE_JS, arg=path, timeout=UI_TIMEOUT_MS)


def click_run_all(page: Page) -> None:
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator('[data-command="runmenu:run-all"]').click()


def wait_run_finished(page: Page, path: str) -> dict:
    handle = page.wait_for_function(lab_notebook.RUN_FINISHED_JS, arg=path, timeout=RUN_TIMEOUT_MS)
    return handle.json_value()


def screenshot_on_failure(pages: dict[str, Page], name: str) -> None:
    FAILURES.mkdir(parents=True, exist_ok=True)
    for who, page in pages.items():
        with contextlib.suppress(Exception):  # a failure report must not hide the failure
            page.screenshot(path=str(FAILURES / f"{name}-{who}.png"))


def test_a_class_on_the_hub(hub: Hub, browser):
    stored = lab_notebook.read_notebook(ROOT / "notebooks" / "01_tanh_neuron.ipynb")
    pages: dict[str, Page] = {}
    try:
        _scenario(hub, browser, stored, pages)
    except BaseException:
        screenshot_on_failure(pages, "hub")
        print(f"JupyterHub log (end):\n{hub.log()}")
        raise


def _scenario(hub: Hub, browser, stored, pages: dict[str, Page]) -> None:
    # A wrong password is refused: the login form again, with its error, and no server.
    context = browser.new_context()
    page = log_in(context, hub, "alice", "not-the-class-password")
    assert "/hub/login" in page.url, f"a wrong password led to {page.url}"
    assert "Invalid username or password" in page.content()
    context.close()
    assert not (hub.homes / "alice" / "minitensor").exists()

    # Two students log in; the hub starts a server for each, with the workbook copied.
    contexts = {
        user: browser.new_context(viewport={"width": 1280, "height": 1600}) for user in STUDENTS
    }
    started = time.perf_counter()
    for user in STUDENTS:
        pages[user] = log_in(contexts[user], hub, user, hub.student_password)
    for user in STUDENTS:
        pages[user].wait_for_url(f"**/user/{user}/lab/**", timeout=UI_TIMEOUT_MS)
        assert (hub.homes / user / NOTEBOOK).exists(), f"no workbook copied for {user}"
    spawn_seconds = time.perf_counter() - started
    hub.record()

    # Each opens notebook 01 and runs it, at the same time; then clicks the stepper's Next.
    for user in STUDENTS:
        open_in_lab(pages[user], hub, user, NOTEBOOK)
    started = time.perf_counter()
    for user in STUDENTS:
        click_run_all(pages[user])
    for user in STUDENTS:
        shown = wait_run_finished(pages[user], NOTEBOOK)
        assert lab_notebook.run_problems(stored, shown) == [], f"{user}'s run"
    run_seconds = time.perf_counter() - started
    hub.record()
    for user in STUDENTS:
        root = pages[user].locator(f"{lab_notebook.ACTIVE_PANEL} .mt-stepper").first
        stepper = StepperDriver(pages[user], root, UI_TIMEOUT_MS)
        stepper.check_parts()
        stepper.next_step(stepper.state())
    print(f"\nhub: two students spawned in {spawn_seconds:.1f} s, ran 01 in {run_seconds:.1f} s")

    # Alice may not use Bob's server: refused, or sent away from it.
    response = pages["alice"].goto(f"{hub.url}user/bob/lab/tree/{NOTEBOOK}")
    pages["alice"].wait_for_load_state()
    status = response.status if response else None
    in_bobs_lab = "/user/bob/lab" in pages["alice"].url and pages["alice"].evaluate(
        "() => window.jupyterapp !== undefined"
    )
    print(f"alice at bob's address: {status} {pages['alice'].url}")
    assert status in (403, 404) or not in_bobs_lab, (
        f"alice reached bob's server: {pages['alice'].url} ({status})"
    )

    # The teacher asks for an API token on the hub's token page, and lists the servers.
    teacher = browser.new_context()
    page = log_in(teacher, hub, TEACHER, hub.admin_password, next_="/hub/token")
    page.wait_for_url("**/hub/token", timeout=UI_TIMEOUT_MS)
    token = request_token(page)
    users = {u["name"]: u for u in hub.api("GET", "users", token=token)}
    for user in STUDENTS:
        server = users[user]["servers"].get("")
        assert server and server["ready"], f"{user}'s server is not listed as ready: {users[user]}"
    assert users[TEACHER]["admin"] is True
    services = {s["name"] for s in hub.api("GET", "services", token=token).values()}
    assert "idle-culler" in services, f"the idle culler is not a hub service: {services}"
    limits = _server_environment(hub, "alice")
    assert limits.get("MEM_LIMIT") == str(1024**3) and limits.get("CPU_LIMIT") == "1.0", limits
    try:  # a student's token may not list the class
        hub.api("GET", "users", token=_student_token(hub, pages["bob"]))
        raise AssertionError("a student's token listed every user")
    except urllib.error.HTTPError as error:
        assert error.code == 403, error
    teacher.close()

    # Alice adds a cell and saves; the hub stops; a new hub; her cell is still there.
    marker = "# alice saved this before the hub stopped"
    page = pages["alice"]
    page.goto(f"{hub.url}user/alice/lab/tree/{NOTEBOOK}")
    page.wait_for_function(lab_notebook.KERNEL_IDLE_JS, arg=NOTEBOOK, timeout=UI_TIMEOUT_MS)
    first_cell = page.locator(f"{lab_notebook.ACTIVE_PANEL} .jp-Cell").first
    first_cell.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # a new cell below, as the Lab shortcut does
    page.keyboard.press("Enter")
    page.keyboard.type(marker)
    page.keyboard.press("Control+s")
    saved = hub.homes / "alice" / NOTEBOOK
    _wait(lambda: marker in saved.read_text(), f"{saved} to hold alice's cell")
    for context in contexts.values():
        context.close()
    pages.clear()

    leftovers = hub.stop()
    assert not leftovers, f"the hub's processes still running after it stopped: {leftovers}"
    assert marker in saved.read_text()
    hub.start()
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    pages["alice-again"] = log_in(context, hub, "alice", hub.student_password)
    pages["alice-again"].wait_for_url("**/user/alice/lab/**", timeout=UI_TIMEOUT_MS)
    open_in_lab(pages["alice-again"], hub, "alice", NOTEBOOK)
    pages["alice-again"].get_by_text(marker).first.wait_for(timeout=UI_TIMEOUT_MS)
    assert marker in saved.read_text(), "the workbook was copied over alice's saved notebook"
    context.close()


def _server_environment(hub: Hub, user: str) -> dict[str, str]:
    """The environment of ``user``'s single-user server process, from /proc."""
    assert hub.process is not None
    for pid in descendants(hub.process.pid):
        try:
            raw = Path(f"/proc/{pid}/environ").read_bytes()
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        environ = dict(item.decode().split("=", 1) for item in raw.split(b"\0") if b"=" in item)
        if environ.get("JUPYTERHUB_USER") == user and b"jupyterhub-singleuser" in command:
            return environ
    raise AssertionError(f"no single-user server process for {user}")


def _student_token(hub: Hub, page: Page) -> str:
    """A token bob requests on his own token page."""
    page.goto(f"{hub.url}hub/token")
    return request_token(page)


def request_token(page: Page) -> str:
    """Click "Request new API token" on the hub's token page; the token it shows."""
    page.wait_for_load_state("networkidle")  # its script is there to answer the click
    page.locator("#request-token-form button[type=submit]").click()
    page.wait_for_function(
        "() => document.querySelector('#token-result').textContent.trim() !== ''",
        timeout=UI_TIMEOUT_MS,
    )
    return page.locator("#token-result").inner_text().strip()


def _wait(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")
