"""Click through a `minitensor.viz.Stepper` widget in JupyterLab.

The widget is found by CSS classes (the contract with minitensor/viz/stepper.py):
``mt-stepper`` (the whole widget), buttons ``mt-stepper-next``,
``mt-stepper-previous``, ``mt-stepper-reset``, the Play control
``mt-stepper-play``, the text ``mt-stepper-explanation`` and the picture holder
``mt-stepper-graph``. In the picture, the node being processed is the SVG
group with class ``mt-stepper-current`` (Graphviz writes a node's ``class``
attribute there); its ``<title>`` is the node's name. The pass is done when
Next is disabled. The picture may be inline ``<svg>`` or an ``<img>`` with an
SVG data URI (what Lab makes of an ``image/svg+xml`` output).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from tests.browser.lab_notebook import ACTIVE_PANEL

MAX_CLICKS = 300
PLAY_TIMEOUT_MS = 120_000  # Play steps on a timer (the widget's interval, ~1 s a step)

STATE_JS = r"""
function stepperState(root) {
  const explanation = root.querySelector('.mt-stepper-explanation');
  const holder = root.querySelector('.mt-stepper-graph');
  let svg = holder ? holder.querySelector('svg') : null;
  if (!svg && holder) {
    const img = holder.querySelector('img[src^="data:image/svg+xml"]');
    if (img) {
      const comma = img.src.indexOf(',');
      const body = img.src.slice(comma + 1);
      const text = img.src.slice(0, comma).endsWith(';base64') ? atob(body)
                                                               : decodeURIComponent(body);
      svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    }
  }
  const current = svg ? [...svg.querySelectorAll('g.mt-stepper-current')].map((g) => {
    const title = g.querySelector('title');
    return title ? title.textContent : g.id;
  }) : [];
  const next = root.querySelector('button.mt-stepper-next, .mt-stepper-next button');
  // The kernel sends a click's widget updates before it says idle again, and Lab
  // applies messages in order: once idle, the widget shows the whole new state.
  const panel = window.jupyterapp.shell.currentWidget;
  const session = panel && panel.sessionContext && panel.sessionContext.session;
  return {
    idle: !!(session && session.kernel && session.kernel.status === 'idle'),
    text: explanation ? explanation.innerText.trim() : null,
    graph: svg !== null,
    current: current.join(' | '),
    next_disabled: next ? next.disabled : null,
  };
}
"""


class StepperDriver:
    """The first stepper of the notebook on screen; every wait is for a condition."""

    def __init__(self, page: Page, root: Locator, timeout_ms: float):
        self.page = page
        self.root = root
        self.timeout_ms = timeout_ms

    def state(self) -> dict:
        return self.root.evaluate("(root) => {" + STATE_JS + "return stepperState(root); }")

    def check_parts(self) -> None:
        """Every part the contract names is there."""
        self.root.wait_for(state="visible", timeout=self.timeout_ms)
        for part in ("next", "previous", "reset", "play", "explanation", "graph"):
            count = self.root.locator(f".mt-stepper-{part}").count()
            assert count >= 1, f"the stepper has no element with class mt-stepper-{part}"
        # The picture arrives with the widget's first state: wait for it, then read it.
        self._wait("(s) => s.graph && s.text !== null", None, "show its picture and text")

    def click(self, part: str) -> None:
        self.root.locator(f"button.mt-stepper-{part}, .mt-stepper-{part} button").first.click()

    def _wait(self, condition: str, expected, what: str) -> dict:
        """Wait until ``condition(state, expected)`` holds; the state then."""
        script = (
            "([root, expected]) => {" + STATE_JS + f"const s = stepperState(root);"
            f" return s.idle && ({condition})(s, expected) ? s : false; }}"
        )
        handle = self.root.element_handle()
        try:
            result = self.page.wait_for_function(
                script, arg=[handle, expected], timeout=self.timeout_ms
            )
        except PlaywrightError:
            raise AssertionError(
                f"the stepper did not {what} within {self.timeout_ms / 1000:.0f} s;"
                f" it shows {self.state()}, expected {expected}"
            ) from None
        return result.json_value()

    def next_step(self, before: dict) -> dict:
        """Click Next; the explanation and the highlighted node must both change."""
        self.click("next")
        return self._wait(
            "(s, b) => s.text !== b.text && s.current !== b.current && s.current !== ''",
            before,
            "change its explanation and its highlighted node after Next",
        )

    def wait_for_state(self, expected: dict, what: str) -> dict:
        """Wait until the text, the highlighted node and Next's state are ``expected``'s."""
        return self._wait(
            "(s, e) => s.text === e.text && s.current === e.current"
            " && s.next_disabled === e.next_disabled",
            expected,
            what,
        )

    def walk_to_end(self, screenshot: Path | None = None) -> list[dict]:
        """Click Next until it is disabled; the states before and after each click.

        With ``screenshot``, the picture of the middle step is written there (a
        highlighted node and a chain rule with numbers: the README's picture).
        """
        history = [self.state()]
        pictures = []
        assert history[0]["next_disabled"] is False, "Next is disabled before any step"
        while not history[-1]["next_disabled"]:
            assert len(history) <= MAX_CLICKS, f"Next is still enabled after {MAX_CLICKS} clicks"
            history.append(self.next_step(history[-1]))
            if screenshot is not None:
                pictures.append(self.root.screenshot())
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(pictures[(len(pictures) - 1) // 2])
        return history

    def play(self) -> None:
        """Press Play (the Play widget's first button, or the control itself)."""
        play = self.root.locator(".mt-stepper-play").first
        tag = play.evaluate("(e) => e.tagName")
        (play if tag == "BUTTON" else play.locator("button").first).click()

    def wait_until_done(self, final: dict, timeout_ms: float) -> dict:
        saved, self.timeout_ms = self.timeout_ms, timeout_ms
        try:
            return self.wait_for_state(final, "play to the last step")
        finally:
            self.timeout_ms = saved


def check_stepper(page, gradients, timeout_ms, screenshot=None) -> None:
    """Next to the end, Previous, Reset, Play, on the first stepper of the page."""
    root = page.locator(f"{ACTIVE_PANEL} .mt-stepper").first
    stepper = StepperDriver(page, root, timeout_ms)
    stepper.check_parts()
    # Each Next must change both the explanation and the highlighted node.
    history = stepper.walk_to_end(screenshot)
    assert len(history) >= 3, f"only {len(history) - 1} step(s): {history}"
    final = history[-1]
    assert gradient_problems(final["text"], gradients) == [], final["text"]

    stepper.click("previous")
    stepper.wait_for_state(history[-2], "show the step before after Previous")

    stepper.click("reset")
    stepper.wait_for_state(history[0], "show the start after Reset")

    stepper.play()
    stepper.wait_until_done(final, PLAY_TIMEOUT_MS)


NUMBER = r"[-−+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?"


def stated_gradients(text: str, names) -> dict[str, float | None]:
    """The gradient the text last states for each leaf name.

    Read from ``dL/d<name> = <number>`` (any output's letter) or
    ``<name>.grad = <number>``; a number in brackets (``[-8.0]``) counts too.
    The last statement wins: the final summary comes after the step's details.
    """
    found: dict[str, float | None] = {}
    for name in names:
        pattern = (
            rf"(?:(?<![\w.])d\w*/d{re.escape(name)}|(?<![\w.]){re.escape(name)}\.grad)"
            rf"\s*=\s*\[?\s*({NUMBER})"
        )
        matches = re.findall(pattern, text)
        found[name] = float(matches[-1].replace("−", "-")) if matches else None
    return found


def gradient_problems(text: str, expected: dict[str, float]) -> list[str]:
    problems = []
    for name, value in stated_gradients(text, expected).items():
        want = expected[name]
        if value is None:
            problems.append(f"the text states no gradient for {name} (expected {want})")
        elif not math.isclose(value, want, rel_tol=1e-3, abs_tol=1e-4):
            problems.append(f"the text states {value} for {name}, expected {want}")
    return problems
