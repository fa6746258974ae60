"""`Stepper`: the real backward engine, one node at a time, with a picture and the chain rule.

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
"""

from __future__ import annotations

import html
import time

from minitensor.autograd.engine import backward_steps
from minitensor.autograd.function import AccumulateGrad, BackwardNode
from minitensor.viz import explain
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

HELP = (
    "<b>Next</b> runs the backward engine for one more node; <b>Previous</b> replays the pass "
    "from the start up to the step before; <b>Reset</b> goes back to the start; <b>Play</b> "
    "steps on its own (the slider sets the milliseconds per step).<br>"
    "Colours: <span style='background:gold'>gold</span> = the node being processed, "
    "<span style='background:palegreen'>green</span> = gradient complete, "
    "<span style='background:lightsalmon'>salmon</span> = some paths have delivered, "
    "waiting for the others; not yet reached: the usual colour. Red edge labels: the "
    "gradient each edge carried.<br>"
    "Your gradients: while you step, <code>.grad</code> holds this pass's gradients "
    "(from zero). Reset and <code>close()</code> put back the gradients you had before "
    "(with <code>keep_grads=True</code> the stepper's stay instead)."
)


class Stepper:
    """Step through the backward pass of ``root`` (a `Value` or a scalar `Tensor`).

    Evaluate it in a notebook cell to get the widget (Next, Previous, Reset,
    Play). From Python: ``next()``, ``previous()``, ``reset()``, ``play()``,
    ``step`` (steps done), ``done``, ``explanation`` (the text of the step).

    Args:
        root: the output to differentiate (a loss).
        gradient: the output's gradient, for a tensor that is not a scalar.
        names: a dict of name -> Value/Tensor, such as ``locals()``.
        keep_grads: leave the stepper's gradients in ``.grad`` (else Reset and
            ``close()`` restore the gradients the graph had before).
        rankdir, show_data, max_nodes, renderer: as in `draw`.
        interval: milliseconds per step when playing.

    Hooks registered with ``tensor.register_hook`` run whenever the stepper
    runs the pass: once to count the steps, at each step, and again when
    Previous replays the pass from the start.
    """

    def __init__(
        self,
        root,
        *,
        gradient=None,
        names=None,
        keep_grads: bool = False,
        rankdir: str = "LR",
        show_data: bool = True,
        max_nodes: int = 80,
        renderer: str = "auto",
        interval: int = 1000,
    ):
        self.model = GraphModel(root, names)
        self.keep_grads = keep_grads
        self.interval = interval
        self.options = DrawOptions(rankdir, show_data, True, False, max_nodes, renderer)
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
        # tells how many steps there are, for the Play slider and the status.
        self.total = sum(1 for _ in self._engine(accumulate=False))
        self._widget = None
        self._restart()

    def _start(self, root, gradient):
        """The engine's roots and seeds, as ``backward()`` builds them."""
        if self.model.kind == "value":
            return [root], [1.0 if gradient is None else float(gradient)]
        from minitensor.autograd.api import _roots_and_seeds

        for node in self.model.order:
            if isinstance(node, BackwardNode) and node.ctx._saved is None:
                raise RuntimeError(_FREED)
        return _roots_and_seeds([root], [gradient], caller="Stepper")

    def _grad_holders(self) -> list:
        """Everything whose ``.grad`` the pass writes: every Value; leaf and retained tensors."""
        if self.model.kind == "value":
            return list(self.model.order)
        holders = []
        for node in self.model.order:
            if isinstance(node, AccumulateGrad):
                holders.append(node.variable)
            else:
                holders += [t for t in (ref() for ref in node._retained) if t is not None]
        return holders

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
        zero = 0.0 if self.model.kind == "value" else None
        for holder in self._holders:
            holder.grad = zero

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
        self._refresh()
        return step

    def previous(self) -> None:
        """Go back one step (by replaying the pass from the start)."""
        self.goto(self.step - 1)

    def reset(self) -> None:
        """Back to the start; the gradients you had before are put back (unless keep_grads)."""
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

    def play(self, delay: float | None = None) -> None:
        """Run the remaining steps, waiting ``delay`` seconds between them.

        By default it waits the widget's interval if the widget is shown, else not at all.
        """
        if delay is None:
            delay = self.interval / 1000 if self._widget is not None else 0.0
        while not self.done:
            self.next()
            if delay and not self.done:
                time.sleep(delay)

    def close(self) -> None:
        """Close the widget; put back the gradients you had before (unless keep_grads)."""
        if not self.keep_grads:
            self._restore_grads()
        if self._widget is not None:
            self._widget.close()
            self._widget = None

    def __enter__(self) -> Stepper:
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

    # --- the widget --------------------------------------------------------------------

    @property
    def widget(self):
        """The ipywidgets box (made on first use)."""
        if self._widget is None:
            self._widget = self._build()
            self._refresh()
        return self._widget

    def _build(self):
        import ipywidgets as widgets

        def button(description, icon, tooltip, css_class, action):
            b = widgets.Button(description=description, icon=icon, tooltip=tooltip)
            b.add_class(css_class)
            b.on_click(lambda _: action())
            return b

        self._previous_button = button(
            "Previous", "step-backward", "Go back one step", "mt-stepper-previous", self.previous
        )
        self._next_button = button(
            "Next", "step-forward", "Process the next node", "mt-stepper-next", self.next
        )
        self._reset_button = button(
            "Reset", "undo", "Back to the start", "mt-stepper-reset", self.reset
        )
        self._play = widgets.Play(
            value=0, min=0, max=self.total, step=1, interval=self.interval, show_repeat=False
        )
        self._play.description = "Play"
        self._play.add_class("mt-stepper-play")
        self._play.observe(lambda change: self.goto(change["new"]), names="value")
        self._speed = widgets.IntSlider(
            value=self.interval, min=100, max=3000, step=100, description="ms/step"
        )
        self._speed.add_class("mt-stepper-speed")
        widgets.link((self._speed, "value"), (self._play, "interval"))
        self._status = widgets.HTML()
        self._status.add_class("mt-stepper-status")
        # The picture on top, the words below it: both get the notebook's full width.
        self._graph = widgets.HTML(layout=widgets.Layout(width="100%", overflow="auto"))
        self._graph.add_class("mt-stepper-graph")
        self._text = widgets.HTML(layout=widgets.Layout(width="100%"))
        self._text.add_class("mt-stepper-explanation")
        help_text = widgets.HTML(f"<small>{HELP}</small>")
        help_text.add_class("mt-stepper-help")
        controls = widgets.HBox(
            [
                self._previous_button,
                self._next_button,
                self._reset_button,
                self._play,
                self._speed,
                self._status,
            ]
        )
        controls.add_class("mt-stepper-controls")
        body = widgets.VBox([self._graph, self._text])
        body.add_class("mt-stepper-body")
        box = widgets.VBox([controls, body, help_text])
        box.add_class("mt-stepper")
        return box

    def _refresh(self) -> None:
        """Show the current step in the widget (if it has been made)."""
        if self._widget is None:
            return
        from minitensor.viz.render import svg_for_html

        self._play.value = self.step  # (goto() of the current step does nothing)
        self._previous_button.disabled = self.step == 0
        self._next_button.disabled = self.done
        done = " (done)" if self.done else ""
        self._status.value = (
            f"<b style='white-space: nowrap'>Step {self.step} of {self.total}{done}</b>"
        )
        # The SVG shrinks to the width of the notebook (keeping its proportions)
        # rather than being cut off at the right edge.
        self._graph.value = (
            "<style>.mt-stepper-svg svg {max-width: 100%; height: auto;}</style>"
            f"<div class='mt-stepper-svg'>{svg_for_html(self.drawing().svg())}</div>"
        )
        self._text.value = (
            "<pre class='mt-stepper-explanation-text' style='white-space: pre-wrap'>"
            f"{html.escape(self.explanation)}</pre>"
        )

    def __repr__(self) -> str:
        return (
            f"<minitensor.viz.Stepper: backward pass of {self.model.root_name()}, "
            f"step {self.step} of {self.total}>"
        )

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)  # no memory addresses in stored outputs
        return bundle
