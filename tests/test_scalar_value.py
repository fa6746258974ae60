"""The scalar engine: every operation's value and gradient against central
finite differences and against PyTorch in float64, plus the engine's rules
(reuse, accumulation, depth), `Value.backward` against the shared engine, and
bad input."""

import math
import random
import weakref

import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import minitensor as mt
from minitensor import Value
from minitensor.autograd.engine import run_backward, topological_order

# Each case: a function of Values, the same function in torch, and valid inputs.
UNARY = {
    "tanh": (lambda a: a.tanh(), torch.tanh, [-2.0, -0.3, 0.0, 0.7, 3.0]),
    "exp": (lambda a: a.exp(), torch.exp, [-2.0, 0.0, 1.5]),
    "log": (lambda a: a.log(), torch.log, [0.1, 1.0, 7.5]),
    "relu": (lambda a: a.relu(), torch.relu, [-2.0, 0.5, 3.0]),
    "sigmoid": (lambda a: a.sigmoid(), torch.sigmoid, [-30.0, -1.0, 0.0, 2.0, 40.0]),
    "neg": (lambda a: -a, torch.neg, [-1.5, 2.0]),
    "pow2": (lambda a: a**2, lambda t: t**2, [-1.5, 0.0, 3.0]),
    "pow_frac": (lambda a: a**0.5, lambda t: t**0.5, [0.25, 4.0]),
    "pow_neg": (lambda a: a**-1, lambda t: t**-1, [-2.0, 0.5]),
    "radd": (lambda a: 2 + a, lambda t: 2 + t, [1.0]),
    "rsub": (lambda a: 1 - a, lambda t: 1 - t, [0.25]),
    "rmul": (lambda a: 3 * a, lambda t: 3 * t, [-0.5]),
    "rdiv": (lambda a: 1 / a, lambda t: 1 / t, [-4.0, 0.3]),
    "rpow": (lambda a: 2**a, lambda t: 2**t, [-1.0, 0.5, 3.0]),
}

BINARY = {
    "add": (lambda a, b: a + b, [(1.0, -2.0)]),
    "sub": (lambda a, b: a - b, [(1.0, -2.0)]),
    "mul": (lambda a, b: a * b, [(1.5, -2.0), (0.0, 3.0)]),
    "div": (lambda a, b: a / b, [(1.5, -2.0), (-3.0, 0.25)]),
    "pow": (lambda a, b: a**b, [(1.5, -2.0), (2.0, 0.5), (0.0, 2.0)]),
}


def torch_grads(fn, *xs):
    leaves = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out = fn(*leaves)
    out.backward()
    return out.item(), [0.0 if leaf.grad is None else leaf.grad.item() for leaf in leaves]


def value_grads(fn, *xs):
    leaves = [Value(x) for x in xs]
    out = fn(*leaves)
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


def central_difference(fn, xs, i, h=1e-6):
    """d fn / d xs[i] by (f(x + h) - f(x - h)) / 2h, with plain floats."""
    up, down = list(xs), list(xs)
    up[i] += h
    down[i] -= h
    return (fn(*map(Value, up)).data - fn(*map(Value, down)).data) / (2 * h)


@pytest.mark.parametrize("name", UNARY)
def test_unary_op_matches_torch_and_finite_differences(name):
    fn, torch_fn, points = UNARY[name]
    for x in points:
        value, (grad,) = value_grads(fn, x)
        expected_value, (expected_grad,) = torch_grads(torch_fn, x)
        assert value == pytest.approx(expected_value, rel=1e-12, abs=1e-300)
        assert grad == pytest.approx(expected_grad, rel=1e-12, abs=1e-15)
        if name != "relu" or x != 0:  # relu has a kink at 0
            assert grad == pytest.approx(central_difference(fn, [x], 0), rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("name", BINARY)
def test_binary_op_matches_torch_and_finite_differences(name):
    fn, points = BINARY[name]
    for xs in points:
        value, grads = value_grads(fn, *xs)
        expected_value, expected_grads = torch_grads(fn, *xs)
        assert value == pytest.approx(expected_value, rel=1e-12)
        assert grads == pytest.approx(expected_grads, rel=1e-12, abs=1e-15)
        for i in range(2):
            if name == "pow" and xs[0] == 0.0:
                continue  # one-sided at the boundary of the domain
            fd = central_difference(fn, xs, i)
            assert grads[i] == pytest.approx(fd, rel=1e-5, abs=1e-7)


def test_e1_tanh_neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    assert o.data == 0.7071067811865476  # examples.md, as PyTorch computes it in float64
    assert f"{o.data:.4f}" == "0.7071"
    assert x1.grad == pytest.approx(-1.5, abs=1e-12)
    assert w1.grad == pytest.approx(1.0, abs=1e-12)
    assert x2.grad == pytest.approx(0.5, abs=1e-12)
    assert w2.grad == 0.0


def test_e1_with_tanh_expanded_gives_the_same_gradients():
    def neuron(expanded):
        leaves = [Value(v) for v in (2.0, 0.0, -3.0, 1.0, 6.8813735870195432)]
        x1, x2, w1, w2, b = leaves
        n = x1 * w1 + x2 * w2 + b
        if expanded:
            e = (2 * n).exp()
            o = (e - 1) / (e + 1)
        else:
            o = n.tanh()
        o.backward()
        return o.data, [v.grad for v in leaves]

    plain, expanded = neuron(False), neuron(True)
    assert expanded[0] == pytest.approx(plain[0], rel=1e-12)
    assert expanded[1] == pytest.approx(plain[1], abs=1e-12)


def test_a_node_used_twice_gets_both_contributions():
    a = Value(3.0)
    b = a * a  # the same input twice: db/da = a + a
    b.backward()
    assert b.parents == (a, a)
    assert a.grad == 6.0

    c = Value(-2.0)
    d = c + c + c
    d.backward()
    assert c.grad == 3.0


def test_every_node_gets_its_gradient():
    a, b = Value(2.0), Value(-1.0)
    c = a * b
    d = c + a
    d.backward()
    assert d.grad == 1.0
    assert c.grad == 1.0
    assert a.grad == b.data + 1.0
    assert b.grad == a.data


def test_second_backward_accumulates_like_pytorch():
    a = Value(1.5)
    out = (a * a).tanh()
    out.backward()
    first = a.grad
    out.backward()
    # PyTorch adds the second pass's gradient to .grad: exactly twice here.
    ta = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    tout = (ta * ta).tanh()
    tout.backward(retain_graph=True)
    tout.backward()
    assert a.grad == pytest.approx(2 * first, rel=1e-15)
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-12)


def test_zero_grad_clears_the_whole_graph():
    a = Value(1.5)
    out = a * 2 + a
    out.backward()
    out.zero_grad()
    assert a.grad == 0.0 and out.grad == 0.0
    out.backward()
    assert a.grad == 3.0


def test_a_million_node_chain_has_no_recursion_limit():
    x = start = Value(1.0)
    for _ in range(1_000_000):
        x = x + 1e-6
    x.backward()
    assert start.grad == 1.0
    assert x.data == pytest.approx(2.0)


def test_a_graph_is_freed_without_the_cycle_collector():
    """No reference cycles: dropping the output frees the graph at once."""
    import gc

    gc.disable()
    try:
        a = Value(1.0)
        out = (a * 2).tanh() + a
        probe = weakref.ref(out.parents[0])
        out.backward()
        del out
        assert probe() is None
    finally:
        gc.enable()


# --- Value.backward is the engine's algorithm written out for Values: same gradients -------


def random_graph(rng: random.Random, size: int) -> Value:
    """A random graph of ``size`` operations on 3 inputs and a few constants.

    Every operation picks its operands among *all* earlier nodes, so nodes are
    reused by many others, sometimes twice by the same one (``a * a``), and some
    nodes lead nowhere near the output. tanh and sigmoid keep the numbers tame.
    """
    nodes = [Value(rng.uniform(-2, 2), label=f"x{i}") for i in range(3)]
    ops = ["add", "mul", "sub", "div", "pow", "same", "exp", "tanh", "sigmoid", "relu"]
    for _ in range(size):
        a, b = rng.choice(nodes), rng.choice(nodes)
        op = rng.choice(ops)
        if op == "add":
            out = a + b
        elif op == "mul":
            out = a * (b if rng.random() < 0.8 else rng.uniform(-1, 1))  # or a constant
        elif op == "sub":
            out = a - b
        elif op == "div":
            out = a / (b.sigmoid() + 0.5)
        elif op == "pow":
            t = a.tanh()
            out = t ** (-1 if abs(t.data) > 0.1 else 3)
        elif op == "same":
            out = a * a if rng.random() < 0.5 else a + a
        elif op == "exp":
            out = a.tanh().exp()
        else:  # tanh, sigmoid, relu
            out = getattr(a, op)()
        nodes.append(out.tanh() if abs(out.data) > 10 else out)
    return nodes[-1] + nodes[-2] * nodes[len(nodes) // 2]


def gradients(out: Value) -> list[str]:
    """Every node's ``.grad``, exactly (``float.hex`` tells -0.0 from 0.0)."""
    return [node.grad.hex() for node in topological_order([out])]


def set_gradients(out: Value, grads) -> None:
    for node, grad in zip(topological_order([out]), grads):
        node.grad = grad


@pytest.mark.parametrize("seed", range(25))
def test_backward_gives_the_engines_gradients_bit_for_bit(seed):
    rng = random.Random(seed)
    out = random_graph(rng, size=rng.choice([1, 5, 40, 300]))
    start = [rng.choice([0.0, -0.0, rng.uniform(-1, 1)]) for _ in topological_order([out])]

    # Starting from the same .grad everywhere (not only zeros: gradients
    # accumulate), two passes of each must leave the same numbers behind.
    set_gradients(out, start)
    run_backward([out], [1.0])  # the shared engine, Step by Step
    engine_once = gradients(out)
    run_backward([out], [1.0])
    engine_twice = gradients(out)

    set_gradients(out, start)
    out.backward()  # Value's own loop
    assert gradients(out) == engine_once
    out.backward()
    assert gradients(out) == engine_twice


def test_backward_matches_the_engine_on_a_trained_mlp_graph():
    mt.manual_seed(5)
    model = mt.scalar.MLP(3, [8, 8, 1])
    loss = sum((model([x, -x, 2 * x]) - x) ** 2 for x in (0.5, -1.0, 1.5))
    loss.backward()
    by_value = gradients(loss)
    loss.zero_grad()
    run_backward([loss], [1.0])
    assert gradients(loss) == by_value


def test_a_value_is_its_own_node_with_plain_attributes():
    a, b = Value(2.0, label="a"), Value(-3.0)
    c = a * b
    assert (c.parents, c.local_grads, c.op, c.label) == ((a, b), (-3.0, 2.0), "*", "")
    assert (a.parents, a.local_grads, a.op, a.label) == ((), (), "", "a")
    assert c.hooks == () and a.hooks == ()  # no hooks: the engine skips run_hooks
    assert (c.is_leaf, a.is_leaf, c.variable, c.saved) == (False, True, c, (-3.0, 2.0))
    assert c.chain_rule(10.0) == [-30.0, 20.0]
    with pytest.raises(AttributeError):  # __slots__: no room for stray attributes
        a.gradient = 1.0  # type: ignore[attr-defined]


def test_each_node_is_one_object_for_the_cycle_collector():
    """A node keeps its inputs in fields, not in a tuple the collector also tracks."""
    import gc

    x = Value(0.5)
    gc.collect()
    before = len(gc.get_objects())
    out = x
    for _ in range(1000):
        out = (out * x).tanh()  # two nodes, both with inputs
    made = len(gc.get_objects()) - before
    assert 2000 <= made < 2100, f"{made} tracked objects for 2,000 nodes"
    tanh = out
    assert (tanh.first, tanh.second, tanh.parents) == (tanh.parents[0], None, (tanh.first,))
    assert tanh.first.first is tanh.first.parents[0] and tanh.first.second is x


def test_a_value_has_at_most_two_inputs():
    a = Value(1.0)
    with pytest.raises(ValueError, match="at most two inputs, got 3"):
        Value(3.0, _prev=(a, a, a), _local_grads=(1.0, 1.0, 1.0), _op="sum3")


def test_backward_records_nothing_and_leaves_no_cycles():
    """The fast path keeps nothing: after backward the graph is still freed at once."""
    import gc

    gc.disable()
    try:
        x = Value(0.5)
        out = x
        for _ in range(100):
            out = (out * x).tanh() + x
        probe = weakref.ref(out.parents[0])
        out.backward()
        out.backward()
        del out
        assert probe() is None
    finally:
        gc.enable()


def test_ints_bools_and_numpy_scalars_become_python_floats():
    import numpy as np

    for number in (3, True, np.float32(0.5), np.float64(-1.25), np.int64(7), 2.5):
        v = Value(number)
        assert type(v.data) is float and v.data == float(number)


@st.composite
def expressions(draw):
    """A random expression of 3 inputs, as a function usable by both libraries."""
    ops = draw(
        st.lists(st.sampled_from(["add", "mul", "sub", "tanh", "sigmoid", "sq"]), max_size=8)
    )
    picks = draw(st.lists(st.integers(0, 10), min_size=len(ops), max_size=len(ops)))

    def fn(x, y, z):
        nodes = [x, y, z]
        for op, k in zip(ops, picks):
            a, b = nodes[k % len(nodes)], nodes[(k * 7 + 1) % len(nodes)]
            if op == "add":
                nodes.append(a + b)
            elif op == "mul":
                nodes.append(a * b)
            elif op == "sub":
                nodes.append(a - b)
            elif op == "tanh":
                nodes.append(a.tanh())
            elif op == "sigmoid":
                nodes.append(a.sigmoid())
            else:
                nodes.append(a**2)
        return nodes[-1] + nodes[-2] * 0.5

    return fn


@settings(max_examples=150, deadline=None)
@given(
    expressions(),
    st.lists(st.floats(-2, 2, allow_nan=False), min_size=3, max_size=3),
)
def test_random_expressions_match_torch(fn, xs):
    value, grads = value_grads(fn, *xs)
    expected_value, expected_grads = torch_grads(fn, *xs)
    assume(all(math.isfinite(g) for g in expected_grads))
    assert value == pytest.approx(expected_value, rel=1e-9, abs=1e-12)
    assert grads == pytest.approx(expected_grads, rel=1e-9, abs=1e-12)


def test_mlp_matches_an_equivalent_torch_network():
    mt.manual_seed(3)
    model = mt.scalar.MLP(3, [4, 4, 1])
    x = [0.5, -1.0, 2.0]
    out = model(x)
    out.backward()

    # The same network in PyTorch, with the weights copied.
    tlayers = []
    for layer in model.layers:
        w = torch.tensor([[p.data for p in n.w] for n in layer.neurons], dtype=torch.float64)
        b = torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64)
        tlayers.append((w.requires_grad_(), b.requires_grad_(), layer.nonlin))
    h = torch.tensor(x, dtype=torch.float64)
    for w, b, nonlin in tlayers:
        h = w @ h + b
        h = torch.relu(h) if nonlin else h
    h.sum().backward()

    assert out.data == pytest.approx(h.item(), rel=1e-12)
    for layer, (w, b, _) in zip(model.layers, tlayers):
        for i, neuron in enumerate(layer.neurons):
            assert [p.grad for p in neuron.w] == pytest.approx(w.grad[i].tolist(), abs=1e-12)
            assert neuron.b.grad == pytest.approx(b.grad[i].item(), abs=1e-12)


def test_mlp_parameters_zero_grad_and_repr():
    mt.manual_seed(0)
    model = mt.scalar.MLP(2, [16, 16, 1])
    assert len(model.parameters()) == (2 + 1) * 16 + (16 + 1) * 16 + (16 + 1) * 1
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())
    assert repr(model) == (
        "MLP(\n"
        "  (0): Layer(2 -> 16, relu)\n"
        "  (1): Layer(16 -> 16, relu)\n"
        "  (2): Layer(16 -> 1, linear)\n"
        ")"
    )


def test_manual_seed_makes_weights_reproducible():
    mt.manual_seed(7)
    first = [p.data for p in mt.scalar.MLP(2, [3, 1]).parameters()]
    mt.manual_seed(7)
    second = [p.data for p in mt.scalar.MLP(2, [3, 1]).parameters()]
    assert first == second


@pytest.mark.parametrize("bad", ["1.0", None, [1.0], 1 + 2j, object()])
def test_value_refuses_non_numbers(bad):
    with pytest.raises(TypeError, match="real number"):
        Value(bad)


def test_bad_math_gets_clear_errors():
    with pytest.raises(ValueError, match="log is only defined for positive numbers"):
        Value(0.0).log()
    with pytest.raises(ValueError, match="log is only defined for positive numbers"):
        Value(-1.0).log()
    with pytest.raises(ValueError, match="non-negative base"):
        Value(-2.0) ** Value(2.0)
    with pytest.raises(ValueError, match="non-integer power"):
        Value(-2.0) ** 0.5
    with pytest.raises(ZeroDivisionError):
        Value(1.0) / Value(0.0)
    with pytest.raises(TypeError):
        Value(1.0) + "a"
    with pytest.raises(ValueError, match="expects 2 inputs"):
        mt.scalar.MLP(2, [1])([1.0, 2.0, 3.0])


def test_exp_overflow_gives_inf_like_float64():
    assert Value(1000.0).exp().data == math.inf
    assert torch.tensor(1000.0, dtype=torch.float64).exp().item() == math.inf
