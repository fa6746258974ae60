"""viz.Stepper(root, predict=True): the quiz, driven from Python and through its widget
without a browser. The tanh neuron of notebook 01 (example E1); the expected gradients
come from PyTorch."""

import html
import re

import pytest
import torch

import minitensor as mt
from minitensor import Value, viz

E1 = dict(x1=2.0, w1=-3.0, x2=0.0, w2=1.0, b=6.8813735870195432)


def neuron():
    x1, x2 = Value(E1["x1"], label="x1"), Value(E1["x2"], label="x2")
    w1, w2 = Value(E1["w1"], label="w1"), Value(E1["w2"], label="w2")
    b = Value(E1["b"], label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    n = x1w1 + x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def torch_neuron() -> dict:
    """PyTorch's gradients of o for every named node (float64)."""
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in E1.items()}
    x1w1, x2w2 = t["x1"] * t["w1"], t["x2"] * t["w2"]
    n = x1w1 + x2w2 + t["b"]
    o = torch.tanh(n)
    for v in (x1w1, x2w2, n, o):
        v.retain_grad()
    o.backward()
    return {**t, "x1*w1": x1w1, "x2*w2": x2w2, "n": n, "o": o}


def numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+\.\d+", text)]


def test_right_and_wrong_predictions_are_scored_and_explained():
    t = torch_neuron()
    stepper = viz.Stepper(neuron(), predict=True)
    assert stepper.question_inputs == ["n"]
    assert "o = tanh(n)" in stepper.question and "o.grad = 1.0" in stepper.question

    # Right, to 3 decimals: 1 - tanh(n)^2.
    verdict = stepper.answer({"n": f"{t['n'].grad.item():.3f}"})
    assert verdict.right and str(stepper.score) == "1 of 1 right"
    assert stepper.step == 1  # the step was run and is shown

    # n = (x1*w1 + x2*w2) + b sends n.grad to both inputs: one right, one wrong.
    assert stepper.question_inputs == ["x1*w1 + x2*w2", "b"]
    sent = t["b"].grad.item()
    verdict = stepper.answer({"x1*w1 + x2*w2": sent, "b": "0.3"})
    assert not verdict.right and str(stepper.score) == "2 of 3 right"
    assert verdict.lines[0].startswith("Right:")
    wrong = verdict.lines[1]
    assert wrong.startswith("Not quite (0.3 for b): n.grad × 1 = ")
    assert wrong.endswith("was sent to b.")
    # n.grad × 1 = <n.grad> × 1.0 = <b.grad>
    assert numbers(wrong.split(" = ", 1)[1]) == pytest.approx([t["n"].grad.item(), 1.0, sent])
    assert str(verdict).endswith("Score: 2 of 3 right")


def test_a_wrong_answer_shows_the_chain_rule_product():
    t = torch_neuron()
    stepper = viz.Stepper(neuron(), predict=True)
    verdict = stepper.answer({"n": "1"})
    (line,) = verdict.lines
    local = 1 - t["o"].item() ** 2  # d tanh(n)/dn, from torch's o
    assert line.startswith("Not quite (1 for n): o.grad × (1 − o²) = 1.0 × ")
    assert line.endswith("was sent to n.")
    assert numbers(line.split("(1 − o²) = ")[1]) == pytest.approx(
        [1.0, local, t["n"].grad.item()], rel=1e-5
    )
    assert str(stepper.score) == "0 of 1 right"
    # The product x1*w1 sends w1 to x1 and x1 to w1.
    while stepper.question_inputs != ["x1", "w1"]:
        stepper.next()  # Next skips a question: the score does not change
    assert str(stepper.score) == "0 of 1 right"
    verdict = stepper.answer({"x1": t["x1"].grad.item(), "w1": "no idea"})
    assert verdict.lines[0] == f"Right: {t['x1'].grad.item():.1f} was sent to x1."
    assert verdict.lines[1].startswith("Not quite (no number for w1): (x1*w1).grad × x1 = ")
    assert numbers(verdict.lines[1].split(" = ", 1)[1]) == pytest.approx(
        [t["x1*w1"].grad.item(), E1["x1"], t["w1"].grad.item()]
    )
    assert str(stepper.score) == "1 of 3 right"


def test_leaves_ask_nothing_and_reset_starts_the_quiz_again():
    stepper = viz.Stepper(neuron(), predict=True)
    answers = 0
    while not stepper.done:
        if stepper.question is None:
            assert stepper.question_inputs == []
            verdict = stepper.answer({})  # a leaf: nothing to predict, the step runs
            assert verdict.lines == [] and verdict.right
        else:
            stepper.answer({})  # no answers: every input counts as wrong
            answers += 1
    assert stepper.score.asked == 9 and stepper.score.right == 0  # 1 + 2 + 2 + 2 + 2 inputs
    assert answers == 5
    with pytest.raises(RuntimeError, match="nothing left to predict"):
        stepper.answer({})
    stepper.reset()
    assert str(stepper.score) == "0 of 0 right" and stepper.step == 0


def test_tensor_predictions():
    a = mt.tensor([4.0])
    w = mt.tensor([2.0], requires_grad=True)
    loss = 10 - w * a
    stepper = viz.Stepper(loss, names={"w": w, "a": a, "loss": loss}, predict=True)
    assert stepper.question_inputs == ["mul(w)"]  # (a needs no gradient: no node for it)
    tw = torch.tensor([2.0], requires_grad=True)
    (10 - tw * torch.tensor([4.0])).backward()
    assert stepper.answer({"mul(w)": "[-1]"}).right  # d(10 - x)/dx = -1
    verdict = stepper.answer({"w": "4"})
    assert not verdict.right
    assert verdict.lines[0].startswith("Not quite (4 for w): (mul(w)).grad × ∂(mul(w))/∂w = ")
    assert numbers(verdict.lines[0].split(" = ", 1)[1])[-1] == tw.grad.item()


def test_quiz_widget_without_a_browser():
    t = torch_neuron()
    stepper = viz.Stepper(neuron(), predict=True)
    box = stepper.widget
    assert "mt-stepper" in box._dom_classes
    (box_n,) = stepper._answers.children
    assert box_n.description == "n" and "mt-stepper-answer" in box_n._dom_classes
    assert "o = tanh(n)" in html.unescape(stepper._question.value)
    box_n.value = "0.2"
    stepper._check_button.click()
    verdict = html.unescape(stepper._verdict.value)
    assert "Not quite (0.2 for n): o.grad × (1 − o²)" in verdict
    assert "Score: 0 of 1 right" in stepper._score.value
    assert "Step 1 of 10" in stepper._status.value  # the step is shown after Check
    names = [b.description for b in stepper._answers.children]
    assert names == ["x1*w1 + x2*w2", "b"]
    for b in stepper._answers.children:
        b.value = f"{t['n'].grad.item():.4f}"
    stepper._check_button.click()
    assert "Score: 2 of 3 right" in stepper._score.value
    assert "line-height: 1.4" in box.children[-1].value  # help paragraphs: normal spacing
    # Full size: the picture at its own size instead of width="100%" when wide.
    stepper._zoom.value = True
    assert 'width="100%"' not in stepper._graph.value
    stepper.close()
