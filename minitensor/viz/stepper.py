"""`Stepper`: the real backward engine, one node at a time, with a picture and the chain rule.

``Stepper(loss)`` in a notebook cell shows a widget: Next, Previous, Reset,
Play, the graph coloured by where the pass stands, and the chain rule of the
step in words and numbers. The stepping itself (running the engine one step
at a time, going back by replaying, keeping your gradients safe) is
`minitensor.viz.stepping.BackwardPass`; a `Stepper` is a BackwardPass with
this widget.

With ``predict=True`` the stepper is a quiz (`minitensor.viz.quiz`): before
each step you type the gradient you expect the node to send to each input,
and `answer()` (the Check button) says whether you were right, then shows the step.

Where widgets cannot be shown (a notebook viewer such as GitHub's, or a
notebook opened before it is run), the stepper shows its picture and text as
they were when it was displayed.
"""

from __future__ import annotations

import html

from minitensor.viz.layout import fit_to_column
from minitensor.viz.stepping import BackwardPass

# ipywidgets gives HTML text the line height of a button (28 px): reset it for paragraphs.
PARAGRAPHS = "line-height: 1.4; margin: 0.3em 0"


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p style='{PARAGRAPHS}'>{text}</p>" for text in texts)


HELP = _paragraphs(
    "<b>Next</b> runs the backward engine for one more node; <b>Previous</b> replays the pass "
    "from the start up to the step before; <b>Reset</b> goes back to the start; <b>Play</b> "
    "steps on its own (the slider sets the milliseconds per step); <b>Full size</b> shows "
    "the picture at its own size (scroll sideways) instead of fitted to the page.",
    "Colours: <span style='background:gold'>gold</span> = the node being processed, "
    "<span style='background:palegreen'>green</span> = gradient complete, "
    "<span style='background:lightsalmon'>salmon</span> = some paths have delivered, "
    "waiting for the others; not yet reached: the usual colour. Red edge labels: the "
    "gradient each edge carried.",
    "Your gradients: while you step, <code>.grad</code> holds this pass's gradients "
    "(from zero). Reset and <code>close()</code> put back the gradients you had before "
    "(with <code>keep_grads=True</code> the stepper's stay instead).",
)

QUIZ_HELP = _paragraphs(
    "<b>Predict</b>: type the gradient you expect in each box (upstream gradient × local "
    "derivative; a number, or a list for a tensor) and press <b>Check</b>. Next skips the "
    "question."
)


class Stepper(BackwardPass):
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
        predict: ask, before each step, what the node sends to its inputs (a quiz:
            `question`, `answer()`, `score`).
        rankdir, show_data, max_nodes, renderer: as in `draw`.
        interval: milliseconds per step when playing.

    Hooks registered with ``tensor.register_hook`` run whenever the stepper
    runs the pass: once to count the steps, at each step, and again when
    Previous replays the pass from the start.
    """

    full_size = False  # the widget's picture at its own size, not fitted to the page
    _widget = None  # the ipywidgets box, made on first use (`widget`)

    def play(self, delay: float | None = None) -> None:
        """Run the remaining steps, waiting ``delay`` seconds between them.

        By default it waits the widget's interval if the widget is shown, else not at all.
        """
        if delay is None:
            delay = self.interval / 1000 if self._widget is not None else 0.0
        super().play(delay)

    def close(self) -> None:
        """Close the widget; put back the gradients you had before (unless keep_grads)."""
        super().close()
        if self._widget is not None:
            self._widget.close()
            self._widget = None

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

        def html(css_class, **layout):
            part = widgets.HTML(layout=widgets.Layout(**layout))
            part.add_class(css_class)
            return part

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
        self._zoom = widgets.ToggleButton(
            value=self.full_size, description="Full size", icon="search-plus",
            tooltip="The picture at its own size (scroll sideways), or fitted to the page",
        )  # fmt: skip
        self._zoom.add_class("mt-stepper-zoom")
        self._zoom.observe(lambda change: self._set_full_size(change["new"]), names="value")
        self._status = html("mt-stepper-status")
        # The picture on top, the words below it: both get the notebook's full width.
        # (No width: the box stretches them to its own, padding included.)
        self._graph = html("mt-stepper-graph", overflow="auto")
        self._text = html("mt-stepper-explanation")
        help_text = widgets.HTML(f"<small>{HELP}{QUIZ_HELP if self.predict else ''}</small>")
        help_text.add_class("mt-stepper-help")
        controls = widgets.HBox(
            [
                self._previous_button,
                self._next_button,
                self._reset_button,
                self._play,
                self._speed,
                self._zoom,
                self._status,
            ]
        )
        controls.add_class("mt-stepper-controls")
        parts = [controls]
        if self.predict:
            parts.append(self._build_quiz(widgets, button, html))
        body = widgets.VBox([self._graph, self._text])
        body.add_class("mt-stepper-body")
        box = widgets.VBox([*parts, body, help_text])
        box.add_class("mt-stepper")
        return box

    def _build_quiz(self, widgets, button, html):
        """The question, one answer box per input (made at each step), Check, the verdict."""
        self._question = html("mt-stepper-question")
        self._answers = widgets.HBox()
        self._answers.add_class("mt-stepper-answers")
        self._check_button = button(
            "Check", "check", "Check your prediction, then run the step", "mt-stepper-check",
            self._check,
        )  # fmt: skip
        self._verdict = html("mt-stepper-verdict")
        self._score = html("mt-stepper-score")
        quiz_box = widgets.VBox(
            [self._question, widgets.HBox([self._answers, self._check_button, self._score]),
             self._verdict]
        )  # fmt: skip
        quiz_box.add_class("mt-stepper-quiz")
        return quiz_box

    def _check(self) -> None:
        """The Check button: the boxes' text, as `answer()` takes it."""
        if self.done:
            return
        self.answer({box.description: box.value for box in self._answers.children})

    def _set_full_size(self, full_size: bool) -> None:
        self.full_size = full_size
        self._refresh()

    def _picture_html(self) -> str:
        """The picture: fitted to the width of the page, or at its own size."""
        svg = self.drawing().svg()
        if not self.full_size:
            svg = fit_to_column(svg)
        return svg

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
        self._graph.value = (
            f"<div class='mt-stepper-svg'>{svg_for_html(self._picture_html())}</div>"
        )
        self._text.value = _preformatted(self.explanation, "mt-stepper-explanation-text")
        if self.predict:
            self._refresh_quiz()

    def _refresh_quiz(self) -> None:
        import ipywidgets as widgets

        question = self.question
        if self.done:
            question = "Done: no more questions."
        elif question is None:
            question = "The next node has no inputs: nothing to predict. Press Next."
        self._question.value = f"<p style='{PARAGRAPHS}'><b>{html.escape(question)}</b></p>"
        names = self.question_inputs if self.question is not None else []
        if [box.description for box in self._answers.children] != names:
            for box in self._answers.children:
                box.close()
            boxes = []
            for name in names:
                box = widgets.Text(description=name, placeholder="gradient sent")
                box.add_class("mt-stepper-answer")
                boxes.append(box)
            self._answers.children = boxes
        else:
            for box in self._answers.children:
                box.value = ""
        self._check_button.disabled = not names
        verdict = "" if self.verdict is None else "\n".join(self.verdict.lines)
        self._verdict.value = _preformatted(verdict, "mt-stepper-verdict-text") if verdict else ""
        self._score.value = f"<b style='white-space: nowrap'>Score: {self.score}</b>"

    # --- what is shown where widgets cannot be --------------------------------------------

    def __repr__(self) -> str:
        return (
            f"<minitensor.viz.Stepper: backward pass of {self.model.root_name()}, "
            f"step {self.step} of {self.total}>"
        )

    def static_text(self) -> str:
        """The stepper in words, as it stands (the ``text/plain`` shown without widgets)."""
        return f"{self!r}\n\n{self.explanation}"

    def static_html(self) -> str:
        """The stepper's picture and text, as it stands, for viewers that cannot run widgets.

        The SVG keeps its ``<?xml ...?>`` first line (an HTML page skips it) so that
        the notebook tests recognise it as a picture whose text depends on Graphviz.
        """
        return (
            "<div class='mt-stepper-static'>"
            f"<p style='{PARAGRAPHS}'><b>Backward pass of {html.escape(self.model.root_name())}"
            f", step {self.step} of {self.total}</b> (run the notebook to step through it)</p>"
            f"{fit_to_column(self.drawing().svg())}"
            f"{_preformatted(self.explanation, 'mt-stepper-explanation-text')}</div>"
        )

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        # No memory addresses in stored outputs: the text and HTML are the same in every run.
        bundle["text/plain"] = self.static_text()
        bundle["text/html"] = self.static_html()
        return bundle


def _preformatted(text: str, css_class: str) -> str:
    """Text in a <pre> that wraps its lines, with the line height of a paragraph."""
    return (
        f"<pre class='{css_class}' style='white-space: pre-wrap; line-height: 1.4'>"
        f"{html.escape(text)}</pre>"
    )
