"""viz.Stepper driven from Python: it runs the real engine (same steps, same order,
same final gradients as backward()), explains each step with PyTorch's numbers,
goes back and resets by replaying, leaves the student's gradients alone, and its
widget's buttons and Play control work without a browser."""

import html
import re

import pytest
import torch

import minitensor as mt
from minitensor import Value, viz
from minitensor.autograd.engine import backward_steps
from minitensor.autograd.function import graph_node


def e7_tensors():
    a = mt.tensor([4.0])
    w1, w2, w3, w4 = (mt.tensor([v], requires_grad=True) for v in (2.0, 5.0, 9.0, 7.0))
    b = w1 * a
    c = w2 * a
    d = w3 * b + w4 * c
    L = 10 - d
    return L, dict(a=a, w1=w1, w2=w2, w3=w3, w4=w4, b=b, c=c, d=d, L=L)


def e7_values():
    a = Value(4.0, label="a")
    w1, w2, w3, w4 = (Value(v, label=f"w{i}") for i, v in enumerate((2.0, 5.0, 9.0, 7.0), 1))
    b = w1 * a
    c = w2 * a
    d = w3 * b + w4 * c
    L = 10 - d
    return L, dict(a=a, w1=w1, w2=w2, w3=w3, w4=w4, b=b, c=c, d=d, L=L)


def e7_torch():
    """PyTorch's E7 with every intermediate gradient kept (a requires grad too)."""
    a = torch.tensor([4.0], requires_grad=True)
    w1, w2, w3, w4 = (torch.tensor([v], requires_grad=True) for v in (2.0, 5.0, 9.0, 7.0))
    b = w1 * a
    c = w2 * a
    w3b = w3 * b
    w4c = w4 * c
    d = w3b + w4c
    L = 10 - d
    for t in (b, c, w3b, w4c, d):
        t.retain_grad()
    L.backward()
    return dict(a=a, w1=w1, w2=w2, w3=w3, w4=w4, b=b, c=c, w3b=w3b, w4c=w4c, d=d)


def numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+\.\d+(?:e[-+]\d+)?", text)]


def line_starting(text: str, start: str) -> str:
    """The first line of ``text`` that starts with ``start`` (the step's own line comes
    before the final summary, which repeats the leaf gradients)."""
    line = next(ln.strip() for ln in text.splitlines() if ln.strip().startswith(start))
    return line


def test_steps_are_the_engines_steps_in_its_order():
    L, names = e7_tensors()
    engine = [
        s.node
        for s in backward_steps(
            [graph_node(L)], [mt.ones_like(L)], retain_graph=True, accumulate=False
        )
    ]
    stepper = viz.Stepper(L, names=names)
    assert stepper.total == len(engine) == 10
    stepper.play(delay=0)
    assert [s.node for s in stepper.history] == engine
    assert [s.number for s in stepper.history] == list(range(10))

    v, _ = e7_values()
    order = [s.node for s in v.backward_steps()]  # (fills .grad; the stepper starts from 0)
    stepper = viz.Stepper(v)
    stepper.play(delay=0)
    assert [s.node for s in stepper.history] == order


def test_tensor_e7_explanation_has_pytorchs_numbers():
    L, names = e7_tensors()
    t = e7_torch()
    stepper = viz.Stepper(L, names=names)
    texts = []
    while stepper.next() is not None:
        texts.append(stepper.explanation)
    (mul_w3b,) = [x for x in texts if "MulBackward0 (the node of w3*b)" in x.splitlines()[0]]
    # dL/dw3 = dL/d(w3*b) x d(w3*b)/dw3 = upstream x b = contribution
    line = line_starting(mul_w3b, "dL/dw3 =")
    assert line.startswith("dL/dw3 = dL/d(w3*b) × ∂(w3*b)/∂w3 = ")
    assert numbers(line) == pytest.approx(
        [t["w3b"].grad.item(), t["b"].item(), t["w3"].grad.item()]
    )
    assert numbers(line) == pytest.approx([-1.0, 8.0, -8.0])
    line = line_starting(mul_w3b, "dL/db =")
    assert numbers(line) == pytest.approx(
        [t["w3b"].grad.item(), t["w3"].item(), t["b"].grad.item()]
    )
    first = texts[0]
    assert first.startswith("Step 1 of 10: RsubBackward1 (the node of L)")
    assert "dL/dL = [1.0]" in first
    assert "input 2 needs no gradient" in first  # the 10 in 10 - d
    for leaf in ("w1", "w2", "w3", "w4"):
        (text,) = [x for x in texts if f"AccumulateGrad of the leaf {leaf}" in x]
        assert f"{leaf}.grad = [{t[leaf].grad.item():.1f}]" in text
    assert "Each leaf's .grad now holds what backward() gives:" in texts[-1]
    summary = texts[-1].split("backward() gives:")[1]
    for leaf in ("w1", "w2", "w3", "w4"):
        assert numbers(line_starting(summary, f"dL/d{leaf} =")) == [t[leaf].grad.item()]


def test_value_e7_several_paths_add_up():
    L, names = e7_values()
    t = e7_torch()
    stepper = viz.Stepper(L, names=names)
    texts = []
    while not stepper.done:
        stepper.next()
        texts.append(stepper.explanation)
    (at_a,) = [x for x in texts if ": a (a leaf" in x.splitlines()[0]]
    assert "2 paths reach a" in at_a
    line = line_starting(at_a, "dL/da =")
    parts = numbers(line)
    via_b = t["b"].grad.item() * t["w1"].item()  # dL/db x db/da
    via_c = t["c"].grad.item() * t["w2"].item()  # dL/dc x dc/da
    assert sorted(parts[:2]) == pytest.approx(sorted([via_b, via_c]))
    assert parts[2] == pytest.approx(t["a"].grad.item()) == pytest.approx(-53.0)
    assert "via b" in line and "via c" in line
    # The step that sends the first of the two contributions says a is still waiting.
    assert any("a is reached by 2 paths: 1 arrived so far" in x for x in texts)
    (at_w3b,) = [x for x in texts if "node w3*b (made by *)" in x]
    assert numbers(line_starting(at_w3b, "dL/dw3 =")) == pytest.approx([-1.0, 8.0, -8.0])


def test_final_grads_equal_backward_and_student_grads_are_restored():
    L, names = e7_tensors()
    w1 = names["w1"]
    mine = mt.tensor([100.0])
    w1.grad = mine  # the student's own gradient, before stepping
    stepper = viz.Stepper(L, names=names)
    stepper.next()
    assert w1.grad is None  # the pass starts from zero
    stepper.play(delay=0)
    got = {k: names[k].grad.item() for k in ("w1", "w2", "w3", "w4")}
    fresh, fresh_names = e7_tensors()
    fresh.backward()
    assert got == {k: fresh_names[k].grad.item() for k in got}
    stepper.reset()
    assert stepper.step == 0 and w1.grad is mine and names["w2"].grad is None
    stepper.play(delay=0)
    stepper.close()
    assert w1.grad is mine
    # The graph was stepped with retain_graph=True: it can still be backpropagated.
    L.backward()
    assert w1.grad.item() == 100.0 - 36.0


def test_keep_grads_and_context_manager():
    L, names = e7_values()
    names["w1"].grad = 5.0
    with viz.Stepper(L, keep_grads=True) as stepper:
        stepper.play(delay=0)
    assert names["w1"].grad == -36.0  # kept: this pass's gradient
    L2, names2 = e7_values()
    names2["w1"].grad = 5.0
    with viz.Stepper(L2) as stepper:
        stepper.play(delay=0)
        assert names2["w1"].grad == -36.0
    assert names2["w1"].grad == 5.0  # restored on leaving the with block


def test_previous_replays_to_the_same_state():
    L, names = e7_values()
    stepper = viz.Stepper(L, names=names)
    texts, grads = [stepper.explanation], [[v.grad for v in names.values()]]
    while stepper.next() is not None:
        texts.append(stepper.explanation)
        grads.append([v.grad for v in names.values()])
    assert stepper.done and stepper.next() is None and stepper.step == stepper.total
    for k in range(stepper.total - 1, -1, -1):
        stepper.previous()
        assert stepper.step == k
        assert stepper.explanation == texts[k]
        if k:
            assert [v.grad for v in names.values()] == grads[k]
    stepper.previous()  # at the start: nothing to undo
    assert stepper.step == 0
    assert texts[0].startswith("The backward pass of L takes 14 steps")
    stepper.goto(5)
    assert stepper.step == 5 and stepper.explanation == texts[5]


def test_student_value_grads_untouched_by_default():
    L, names = e7_values()
    L.backward()
    before = {k: v.grad for k, v in names.items()}
    stepper = viz.Stepper(L, names=names)
    for _ in range(4):
        stepper.next()
    stepper.reset()
    assert {k: v.grad for k, v in names.items()} == before
    stepper.play(delay=0)
    assert names["a"].grad == -53.0  # one pass from zero, not added to the earlier one
    stepper.close()
    assert {k: v.grad for k, v in names.items()} == before


def test_widget_buttons_and_play_without_a_browser():
    L, names = e7_tensors()
    stepper = viz.Stepper(L, names=names)
    box = stepper.widget
    assert "mt-stepper" in box._dom_classes
    buttons = {b.description: b for b in box.children[0].children if hasattr(b, "on_click")}
    assert {"Next", "Previous", "Reset"} <= set(buttons)
    assert "mt-stepper-next" in buttons["Next"]._dom_classes
    assert buttons["Previous"].disabled
    buttons["Next"].click()
    buttons["Next"].click()
    assert stepper.step == 2 and not buttons["Previous"].disabled
    assert "<svg" in stepper._graph.value and "<?xml" not in stepper._graph.value
    assert "gold" in stepper.drawing().source  # the node being processed
    # ...also marked by a CSS class on its <g> in the SVG (Graphviz writes "-" as &#45;).
    svg = html.unescape(stepper._graph.value)
    assert svg.count('class="node mt-stepper-current"') == 1
    assert 'class="node mt-stepper-complete"' in svg
    assert 'class="edge mt-stepper-carried"' in svg
    assert "keep_grads=True" in box.children[2].value  # the help text says how grads are kept
    assert "Step 2 of 10" in stepper._status.value
    assert "AddBackward0 (the node of d)" in stepper._text.value
    buttons["Previous"].click()
    assert stepper.step == 1
    # Play: the front end moves the Play widget's value; the stepper follows it.
    stepper._play.value = 6
    assert stepper.step == 6
    stepper._play.value = 7
    assert stepper.step == 7
    stepper._speed.value = 300
    assert stepper._play.interval == 300
    buttons["Reset"].click()
    assert stepper.step == 0 and stepper._play.value == 0
    stepper.play(delay=0)
    assert stepper.done and buttons["Next"].disabled and stepper._play.value == 10
    bundle = stepper._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    # Without widgets (GitHub, a notebook not yet run): the step in words and as a picture.
    first, _, text = bundle["text/plain"].partition("\n\n")
    assert first == "<minitensor.viz.Stepper: backward pass of L, step 10 of 10>"
    assert text == stepper.explanation
    page = bundle["text/html"]
    assert "step 10 of 10" in page and html.escape(stepper.explanation) in page
    # The SVG keeps its <?xml line, which tests/nbval_sanitize.cfg replaces as a whole.
    assert re.sub(r"(?s)<\?xml.*?</svg>\s*", "<SVG>", page).count("<SVG>") == 1
    assert "0x" not in bundle["text/plain"] + re.sub(r"(?s)<\?xml.*?</svg>", "", page)
    stepper.close()


def test_picture_marks_done_waiting_and_carried_gradients():
    L, _ = e7_values()
    stepper = viz.Stepper(L)
    for _ in range(6):
        stepper.next()
    source = stepper.drawing().source
    assert source.count("gold") == 1
    assert "palegreen" in source and "lightsalmon" in source  # a: one path of two arrived
    assert re.search(r'-> v\d+_op \[label="?-35\.0"?', source)  # what c sent to a


def test_single_node_graphs():
    x = Value(3.0, label="x")
    stepper = viz.Stepper(x)
    assert stepper.total == 1
    stepper.next()
    assert "dx/dx = 1.0: the seed" in stepper.explanation
    assert x.grad == 1.0 and stepper.done
    w = mt.tensor(2.0, requires_grad=True)
    stepper = viz.Stepper(w, names={"w": w})
    stepper.next()
    assert "AccumulateGrad of the leaf w" in stepper.explanation
    assert w.grad.item() == 1.0


def test_a_node_used_many_times():
    x = Value(2.0, label="x")
    y = x * x * x  # dy/dx = 3 x**2
    stepper = viz.Stepper(y)
    stepper.play(delay=0)
    (text,) = [s for s in _all_texts(stepper) if ": x (a leaf" in s.splitlines()[0]]
    tx = torch.tensor(2.0, requires_grad=True)
    (tx * tx * tx).backward()
    assert "3 paths reach x" in text
    assert numbers(line_starting(text, "dout/dx ="))[-1] == pytest.approx(tx.grad.item())
    many = Value(1.0, label="m")
    total = many
    for _ in range(19):
        total = total + many
    stepper = viz.Stepper(total)
    stepper.play(delay=0)
    (text,) = [s for s in _all_texts(stepper) if ": m (a leaf" in s.splitlines()[0]]
    assert "20 paths reach m" in text and "... (16 more)" in text
    assert line_starting(text, "dout/dm =").endswith("= 20.0")


def _all_texts(stepper):
    texts = []
    stepper.reset()
    while stepper.next() is not None:
        texts.append(stepper.explanation)
    return texts


def test_bad_graphs_give_clear_messages():
    L, _ = e7_tensors()
    L.backward()
    with pytest.raises(RuntimeError, match="already backpropagated without retain_graph=True"):
        viz.Stepper(L)
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad"):
        viz.Stepper(mt.tensor([1.0]))
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        viz.Stepper(x * 2)
    with pytest.raises(TypeError, match="expected a Value or a Tensor"):
        viz.Stepper("loss")


def test_non_scalar_output_with_a_gradient():
    x = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    stepper = viz.Stepper(y, gradient=mt.tensor([0.1, 1.0, 0.0001]), names={"x": x, "y": y})
    stepper.next()
    text = stepper.explanation
    assert "vector-Jacobian product, shape (3,)" in text
    stepper.play(delay=0)
    tx = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (tx * tx).backward(torch.tensor([0.1, 1.0, 0.0001]))
    assert x.grad.tolist() == pytest.approx(tx.grad.tolist())


def test_big_graph_stepper_is_usable():
    from minitensor.scalar.nn import MLP

    mt.manual_seed(0)
    model = MLP(2, [8, 8, 1])
    loss = sum(((model([0.1 * i, 0.2]) - 1.0) ** 2 for i in range(20)), Value(0.0))
    stepper = viz.Stepper(loss, max_nodes=30)
    stepper.next()
    stepper.next()
    assert "nodes not drawn" in stepper.drawing().source
    stepper.previous()
    assert stepper.step == 1


@pytest.fixture
def standin_gpu():
    from minitensor import backend

    backend.use_standin_gpu()
    yield
    backend.use_standin_gpu(False)


def test_gpu_graphs_draw_and_step_like_cpu_ones(standin_gpu):
    def run(device):
        x = mt.tensor([1.0, 2.0], device=device, requires_grad=True)
        y = (x * x).sum()
        stepper = viz.Stepper(y, names={"x": x, "y": y})
        texts = _all_texts(stepper)
        return x, viz.draw(y, names={"x": x, "y": y}).source, texts

    x_gpu, source_gpu, texts_gpu = run("cuda")
    x_cpu, source_cpu, texts_cpu = run("cpu")
    assert texts_gpu == texts_cpu
    assert "dy/dx = ([1.0, 2.0] via x*x) + ([1.0, 2.0] via x*x) = [2.0, 4.0]" in texts_cpu[-1]
    assert source_gpu == source_cpu.replace("float32", "float32 cuda:0")
    assert x_gpu.grad.cpu().tolist() == x_cpu.grad.tolist() == [2.0, 4.0]


def test_hooks_are_shown_and_their_gradients_used_as_in_torch():
    grads = {}
    for lib in (mt, torch):
        a = lib.tensor([2.0], requires_grad=True)
        b = a * a
        c = b + b
        c.register_hook(lambda g: g * 3)
        b.register_hook(lambda g: g * 10)
        loss = c.sum()
        if lib is torch:
            loss.backward()
            grads[lib] = a.grad.item()
            continue
        with viz.Stepper(loss, names={"a": a, "b": b, "c": c, "loss": loss}, keep_grads=True) as s:
            texts = []
            while not s.done:
                s.next()
                texts.append(s.explanation)
            grads[lib] = a.grad.item()
    assert grads[mt] == grads[torch] == 240.0
    (step_b,) = [t for t in texts if "(the node of b)" in t]
    # The sum over the two paths is shown without a wrong total; the hooks' result follows.
    assert "dloss/db = ([3.0] via c) + ([3.0] via c)\n" in step_b
    assert "they ran on dloss/db and what they returned, [60.0], is the gradient used" in step_b
    (step_a,) = [t for t in texts if "AccumulateGrad of the leaf a" in t]
    assert "= [240.0]" in step_a and "Hooks are registered" not in step_a
