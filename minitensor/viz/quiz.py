"""The stepper as a quiz: predict what each node sends to its inputs, then see.

``Stepper(root, predict=True)`` asks, before each step, what gradient the node
about to be processed will send to each of its inputs. The student knows the
node's gradient (it is complete: every path has delivered) and the values in
the picture; the answer is the chain rule:

    sent to n = o.grad × ∂o/∂n = o.grad × (1 − o²) = 1.0 × 0.5 = 0.5

`check` compares the student's numbers with what the engine really sent (the
`Step`'s ``grad_inputs``) and writes the product out when an answer is wrong.
An answer counts as right within 1 % (or 0.005), so a rounded number is fine.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from minitensor.viz import format as fmt

REL_TOL = 0.01
ABS_TOL = 0.005
_NUMBER = re.compile(r"[-−+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")

# The local derivative of each Value operation, in symbols: {out} is the
# node's name, {x} the input's, {other} the other input's, {k} an exponent.
LOCAL_RULES = {
    "+": "1",
    "*": "{other}",
    "tanh": "(1 − {out}²)",
    "exp": "{out}",
    "log": "1/{x}",
    "relu": "(1 if {x} > 0 else 0)",
    "sigmoid": "{out}·(1 − {out})",
}


@dataclass
class Score:
    """How many predictions were right, of how many made."""

    right: int = 0
    asked: int = 0

    def __str__(self) -> str:
        return f"{self.right} of {self.asked} right"


@dataclass
class Verdict:
    """What the quiz says about one step's answers.

    Attributes:
        right: every answer of the step was right.
        lines: one sentence per input, in the order of the inputs.
        score: the score after this step.
    """

    right: bool
    lines: list[str] = field(default_factory=list)
    score: Score = field(default_factory=Score)

    def __str__(self) -> str:
        return "\n".join([*self.lines, f"Score: {self.score}"])


def inputs(model, node) -> list:
    """The inputs the node will send a gradient to, each once, in order."""
    seen: list = []
    for parent in node.parents:
        if parent is not None and parent not in seen:
            seen.append(parent)
    return seen


def question(model, node, upstream) -> str:
    """The question asked before the step at ``node``, whose gradient is ``upstream``."""
    out = model.d(node)
    names = ", ".join(model.names[p] for p in inputs(model, node))
    if model.style == "torchviz":
        made = f"{model.names[node]} is made by {node.op}"
    elif model.names[node] != _formula(model, node):
        made = f"{model.names[node]} = {_formula(model, node)}"
    else:
        made = f"{model.names[node]} (made by {node.op})"
    return (
        f"Next: {made}, and its gradient is complete: {out}.grad = {fmt.grad_text(upstream)}. "
        f"What gradient does it send to {names}? (upstream gradient × local derivative)"
    )


def parse(answer) -> list[float] | None:
    """The numbers in an answer ("0.5", "-1.5", "[1, 2]"), or None if there are none."""
    if isinstance(answer, (int, float)):
        return [float(answer)]
    numbers = _NUMBER.findall(str(answer))
    return [float(n.replace("−", "-")) for n in numbers] or None


def check(model, step, answers: Mapping[str, object], score: Score) -> Verdict:
    """Compare ``answers`` (input name -> the student's number) with what ``step`` sent.

    Adds one question per input to ``score``; an input with no answer counts as wrong.
    """
    verdict = Verdict(right=True, score=score)
    for parent in inputs(model, step.node):
        name = model.names[parent]
        sent = _sent_to(step, parent)
        if sent is None:
            verdict.lines.append(f"{name} gets no gradient from this node.")
            continue
        expected = [float(v) for v in _flat(sent)]
        given = parse(answers.get(name, ""))
        score.asked += 1
        if given is not None and _close(given, expected):
            score.right += 1
            verdict.lines.append(f"Right: {fmt.grad_text(sent)} was sent to {name}.")
            continue
        verdict.right = False
        said = "no number" if given is None else f"{answers.get(name)}"
        verdict.lines.append(
            f"Not quite ({said} for {name}): {product(model, step, parent)} was sent to {name}."
        )
    return verdict


def product(model, step, parent) -> str:
    """The chain rule for one input in symbols and numbers.

    For example ``o.grad × (1 − o²) = 1.0 × 0.5 = 0.5``.
    """
    upstream = step.grad_output
    up = fmt.scalar_value(upstream)
    symbols, numbers = [], []
    for position, p in enumerate(step.parents):
        if p is not parent or step.grad_inputs[position] is None:
            continue
        symbols.append(f"{model.d(step.node)}.grad × {_local_rule(model, step.node, position)}")
        sent = fmt.scalar_value(step.grad_inputs[position])
        if up is not None and sent is not None and up != 0:
            numbers.append(f"{fmt.factor(up)} × {fmt.factor(_local(model, step, position))}")
    total = _sent_to(step, parent)
    text = " + ".join(symbols)
    if len(numbers) == len(symbols):
        text += " = " + " + ".join(numbers)
    else:
        text += " (a vector-Jacobian product)"
    return f"{text} = {fmt.grad_text(total)}"


# --- helpers ------------------------------------------------------------------------------


def _formula(model, node) -> str:
    """``tanh(n)``, ``x1 * w1``: how a Value was made from its inputs."""
    names = [model.names[p] for p in node.parents]
    op = node.op
    if op in ("+", "*", "**") and len(names) == 2:
        return f"{names[0]} {op} {names[1]}"
    if op.startswith("**"):
        return f"{names[0]}{op}"
    return f"{op}({', '.join(names)})"


def _local_rule(model, node, position: int) -> str:
    """The local derivative ∂node/∂input in symbols (1 − o², w1, ...), else as ∂o/∂n.

    Only a Value's operations have a rule here; a tensor node's (``MulBackward0``)
    is written ∂o/∂n.
    """
    parent = node.parents[position]
    generic = f"∂{model.d(node)}/∂{model.d(parent)}"
    op = node.op
    if op.startswith("**") and len(op) > 2:  # x ** k with a number k: k·x^(k−1)
        k = op[2:]
        return f"{k}·{model.d(parent)}^({k}−1)"
    rule = LOCAL_RULES.get(op)
    if rule is None:
        return generic
    others = [model.d(p) for i, p in enumerate(node.parents) if i != position]
    return rule.format(out=model.d(node), x=model.d(parent), other=(others or [""])[0])


def _local(model, step, position: int) -> float:
    """The local derivative's number: stored by a Value; sent ÷ upstream for a tensor."""
    if step.node.local_grads is not None:
        return float(step.node.local_grads[position])
    sent = fmt.scalar_value(step.grad_inputs[position])
    upstream = fmt.scalar_value(step.grad_output)
    assert sent is not None and upstream is not None  # (product() asks only then)
    return sent / upstream


def _sent_to(step, parent):
    """Everything the step sent to ``parent`` (a sum if it is an input twice, as in x * x)."""
    total = None
    for p, grad in zip(step.parents, step.grad_inputs):
        if p is parent and grad is not None:
            total = grad if total is None else total + grad
    return total


def _flat(grad) -> list:
    if isinstance(grad, (int, float)):
        return [grad]
    return fmt.host_array(grad).reshape(-1).tolist()


def _close(given: list[float], expected: list[float]) -> bool:
    return len(given) == len(expected) and all(
        math.isclose(g, e, rel_tol=REL_TOL, abs_tol=ABS_TOL) for g, e in zip(given, expected)
    )
