"""`BackwardPass`: the real backward engine, run one node at a time (the `Stepper`'s core).

The steps come from `minitensor.autograd.engine.backward_steps`, the same
generator ``backward()`` runs to the end; the stepper pulls one step per
click. So what you watch is the engine at work, and after the last step every
leaf's ``.grad`` is exactly what ``backward()`` gives.

Going back is done by replaying: `previous()` starts the pass again from
zero gradients and runs it up to the step before. Tensor graphs are walked
with ``retain_graph=True`` so their saved tensors survive the replays.

Your gradients are safe: the stepper remembers every ``.grad`` of the graph
when it is made. While you step, ``.grad`` holds this pass's gradients
(starting from zero); `reset()` and `close()` put back what you had, unless
you asked for ``keep_grads=True``.

The nodes are read through the node protocol only
(`minitensor.autograd.protocol.Node`), so the same code steps through a
`Value` graph and a tensor graph. This module knows nothing of widgets:
`minitensor.viz.stepper.Stepper` adds them (buttons, the picture, the text).
"""

from __future__ import annotations

import time

from minitensor.autograd.api import roots_and_seeds
from minitensor.autograd.engine import backward_steps
from minitensor.viz import explain, quiz
from minitensor.viz import format as fmt
from minitensor.viz.graph import DrawOptions, GraphModel

# How a node looks in the picture, by where the pass stands with it.
# The "class" attribute becomes a CSS class of the node's <g> in the SVG
# (<g class="node mt-stepper-current">), for browser tests and custom styles.
CURRENT = {
    "style": "filled,bold",
    "fillcolor": "gold",
    "penwidth": "3",
    "class": "mt-stepper-current",
}
COMPLETE = {"style": "filled", "fillcolor": "palegreen", "class": "mt-stepper-complete"}
WAITING = {"style": "filled", "fillcolor": "lightsalmon", "class": "mt-stepper-waiting"}
CARRIED = {"color": "firebrick", "fontcolor": "firebrick", "class": "mt-stepper-carried"}

_FREED = (
    "Stepper: this graph was already backpropagated without retain_graph=True, so the "
    "tensors its nodes saved for backward are freed and its backward pass cannot run again. "
    "Run the forward computation again to build a fresh graph (or call "
    "backward(retain_graph=True) if you want to step through a graph after backward)."
)


class BackwardPass:
    """The backward pass of ``root``, one step at a time: the state and the moves.

    Its arguments are those of `Stepper` (documented there), which is this
    class with a widget; ``next()``, ``previous()``, ``reset()``, ``goto()``,
    ``play()`` and, for the quiz, ``question`` and ``answer()`` are all here.
    """

    def __init__(
        self,
        root,
        *,
        gradient=None,
        names=None,
        keep_grads: bool = False,
        predict: bool = False,
        rankdir: str = "auto",
        show_data: bool = True,
        max_nodes: int = 80,
        renderer: str = "auto",
        interval: int = 1000,
    ):
        self.model = GraphModel(root, names)
        self.keep_grads = keep_grads
        self.interval = interval
        self.options = DrawOptions(rankdir, show_data, True, False, max_nodes, renderer)
        if rankdir == "auto":  # chosen once, so the picture does not turn between steps
            self.options.rankdir = self.model.to_dot(self.options).graph_attr["rankdir"]
        self.predict = predict
        self.score = quiz.Score()
        self.verdict: quiz.Verdict | None = None  # what the last answer() said
        self._roots, self._seeds = self._start(root, gradient)
        self._holders = self._grad_holders()
        self._saved_grads = [h.grad for h in self._holders]
        # How many paths lead into each node (several paths: contributions add up).
        self._uses: dict = {}
        for node in self.model.order:
            for parent in node.parents:
                if parent is not None:
                    self._uses[parent] = self._uses.get(parent, 0) + 1
        # One silent pass of the engine (accumulate=False: no .grad is touched)
        # tells the steps to come: how many (for the Play slider and the status),
        # and for the quiz, each node and its complete gradient before it is processed.
        self._plan = list(self._engine(accumulate=False))
        self.total = len(self._plan)
        self._restart()

    def _start(self, root, gradient):
        """The engine's roots and seeds, as ``backward()`` builds them."""
        if self.model.style == "micrograd":  # a Value is its own node; its seed is a number
            return [root], [1.0 if gradient is None else float(gradient)]
        if any(node.saved is None for node in self.model.order):
            raise RuntimeError(_FREED)
        return roots_and_seeds([root], [gradient], caller="Stepper")

    def _grad_holders(self) -> list:
        """Everything whose ``.grad`` the pass writes: every Value; leaf and retained tensors."""
        return [holder for node in self.model.order for holder in node.grad_holders()]

    def _engine(self, accumulate: bool = True):
        return backward_steps(self._roots, self._seeds, retain_graph=True, accumulate=accumulate)

    # --- the state of the pass ---------------------------------------------------

    def _restart(self) -> None:
        """Back to before the first step, with the gradients the graph had before."""
        self._steps = None  # the engine's generator, made at the first step
        self.history: list = []  # the Steps done so far
        self._received: dict = {}  # node -> [(sender, gradient)] arrived so far
        self._grads: dict = {}  # node -> its complete gradient, once processed
        if self.keep_grads:
            self._zero_grads()
        else:
            self._restore_grads()

    def _zero_grads(self) -> None:
        for node in self.model.order:
            node.clear_grad()  # 0.0 for a Value, None for a tensor

    def _restore_grads(self) -> None:
        for holder, grad in zip(self._holders, self._saved_grads):
            holder.grad = grad

    def _advance(self):
        if self._steps is None:
            self._zero_grads()  # this pass's gradients start from zero
            self._steps = self._engine()
        step = next(self._steps)
        self.history.append(step)
        self._grads[step.node] = step.grad_output
        for parent, grad in zip(step.parents, step.grad_inputs):
            if parent is not None and grad is not None:
                self._received.setdefault(parent, []).append((step.node, grad))
        return step

    @property
    def step(self) -> int:
        """How many steps are done (0 before the first)."""
        return len(self.history)

    @property
    def done(self) -> bool:
        return self.step == self.total

    @property
    def explanation(self) -> str:
        """The text of the current step (the last one done)."""
        if not self.history:
            return explain.introduction(self.model, self.total)
        return explain.explain(self.model, self.history[-1], self._received, self.total, self._uses)

    # --- moving ----------------------------------------------------------------------

    def next(self):
        """Run the engine for one more node; returns its `Step` (None when done)."""
        if self.done:
            return None
        step = self._advance()
        self.verdict = None  # (with predict=True: the question was skipped)
        self._refresh()
        return step

    def previous(self) -> None:
        """Go back one step (by replaying the pass from the start)."""
        self.goto(self.step - 1)

    def reset(self) -> None:
        """Back to the start; the gradients you had before are put back (unless keep_grads).

        The quiz starts again too (score 0 of 0).
        """
        self.score = quiz.Score()
        self.verdict = None
        self.goto(0)

    def goto(self, number: int) -> None:
        """Show the pass after ``number`` steps."""
        number = max(0, min(number, self.total))
        if number == self.step:
            return
        if number == self.step + 1:
            self.next()
            return
        self._restart()
        for _ in range(number):
            self._advance()
        self._refresh()

    def play(self, delay: float = 0.0) -> None:
        """Run the remaining steps, waiting ``delay`` seconds between them."""
        while not self.done:
            self.next()
            if delay and not self.done:
                time.sleep(delay)

    # --- the quiz (predict=True) ---------------------------------------------------------

    @property
    def question(self) -> str | None:
        """The question about the next step, or None (done, or the next node has no inputs)."""
        if self.done:
            return None
        upcoming = self._plan[self.step]
        if not quiz.inputs(self.model, upcoming.node):
            return None
        return quiz.question(self.model, upcoming.node, upcoming.grad_output)

    @property
    def question_inputs(self) -> list[str]:
        """The names of the inputs the next node sends gradients to (one answer box each)."""
        if self.done:
            return []
        return [self.model.names[p] for p in quiz.inputs(self.model, self._plan[self.step].node)]

    def answer(self, answers) -> quiz.Verdict:
        """Check a prediction for the next step, then run the step.

        Args:
            answers: input name -> the gradient you expect it to receive
                (a number, or text such as "0.5" or "[1, 2]"), e.g. ``{"n": 0.5}``.

        Returns:
            The `Verdict`: right or not, a sentence per input (the chain rule
            written out for a wrong answer), and the score so far.
        """
        if self.done:
            raise RuntimeError("the backward pass is done: nothing left to predict (reset())")
        step = self._advance()
        self.verdict = quiz.check(self.model, step, answers, self.score)
        self._refresh()
        return self.verdict

    def close(self) -> None:
        """Put back the gradients you had before (unless keep_grads)."""
        if not self.keep_grads:
            self._restore_grads()

    def __enter__(self) -> BackwardPass:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()  # ``with Stepper(loss) as s:`` gives your gradients back at the end

    # --- the picture -------------------------------------------------------------------

    def drawing(self):
        """The graph as it stands at this step (a `Drawing`)."""
        styles, edge_styles = {}, {}
        for node in self._received:
            styles[node] = WAITING
        for step in self.history:
            styles[step.node] = COMPLETE
            i = self.model.index[step.node]
            for position, grad in enumerate(step.grad_inputs):
                if grad is not None and step.parents[position] is not None:
                    edge_styles[(i, position)] = {"label": fmt.grad_text(grad), **CARRIED}
        if self.history:
            styles[self.history[-1].node] = CURRENT
        return self.model.to_dot(
            self.options, styles=styles, edge_styles=edge_styles, grads=self._grads
        )

    @property
    def svg(self) -> str:
        return self.drawing().svg()

    def _refresh(self) -> None:
        """Called after every move: `Stepper` redraws its widget here; nothing to show here."""
