"""Autograd against PyTorch: the workbook's examples, backward/grad options, graphs.

Expected values come from PyTorch (run here) or from examples.md (PyTorch's
printed output).
"""

import re
import warnings

import numpy as np
import pytest
import torch

import minitensor as mt
from tests.oracle import assert_same_error, assert_same_tensor, compare, device_fixture  # noqa: F401 (a fixture)

ADDRESS = re.compile(r"0x[0-9a-f]+")


def same_repr(ours, theirs) -> bool:
    """Equal reprs once memory addresses and the library name are neutralised."""
    return ADDRESS.sub("0x", repr(ours)) == ADDRESS.sub("0x", repr(theirs)).replace(
        "torch.", "minitensor."
    )


# --------------------------------------------------------------------------
# The workbook's examples (examples.md)
# --------------------------------------------------------------------------


def _e1_neuron(L):
    leaves = []
    for value in (2.0, 0.0, -3.0, 1.0, 6.8813735870195432):
        leaf = L.Tensor([value]).double()  # float32 first, then widened, as in the workbook
        leaf.requires_grad = True
        leaves.append(leaf)
    x1, x2, w1, w2, b = leaves
    n = x1 * w1 + x2 * w2 + b
    o = L.tanh(n)
    return leaves, n, o


def test_e1_tanh_neuron_tensor_version():
    (x1, x2, w1, w2, _), n, o = _e1_neuron(mt)
    assert o.data.item() == 0.7071066904050358
    assert repr(o) == "tensor([0.7071], dtype=minitensor.float64, grad_fn=<TanhBackward0>)"
    assert n.grad_fn.name() == "AddBackward0"
    (first, i), (second, j) = n.grad_fn.next_functions
    (t_first, _), (t_second, _) = _e1_neuron(torch)[1].grad_fn.next_functions
    assert (first.name(), i, second.name(), j) == (
        t_first.name(),
        0,
        t_second.name().replace("torch::", "minitensor::"),  # torch::autograd::AccumulateGrad
        0,
    )
    assert ADDRESS.sub("0x", repr(n.grad_fn.next_functions)) == (
        "((<AddBackward0 object at 0x>, 0), (<AccumulateGrad object at 0x>, 0))"
    )
    o.backward()
    assert x2.grad.item() == 0.5000001283844369
    assert w2.grad.item() == 0.0
    assert x1.grad.item() == -1.5000003851533106
    assert w1.grad.item() == 1.0000002567688737


def test_e1_expanded_tanh_matches_torch():
    def expanded(L):
        leaves, n, _ = _e1_neuron(L)
        e = (2 * n).exp()
        o = (e - 1) / (e + 1)
        o.backward()
        return o, [leaf.grad for leaf in leaves]

    ours, our_grads = expanded(mt)
    theirs, their_grads = expanded(torch)
    assert_same_tensor(ours, theirs, atol=1e-12, rtol=1e-12)
    for mine, reference in zip(our_grads, their_grads):
        assert_same_tensor(mine, reference, atol=1e-12, rtol=1e-9)


def test_e4_first_gradient():
    x = mt.tensor(10.0)
    w = mt.tensor(15.0, requires_grad=True)
    b = mt.tensor(20.0, requires_grad=True)
    y = w * x + b
    assert repr(y) == "tensor(170., grad_fn=<AddBackward0>)"
    y.backward()
    assert x.grad is None
    assert repr(w.grad) == "tensor(10.)"
    assert repr(b.grad) == "tensor(1.)"


def test_e6_chain_rule_one_path():
    x = mt.tensor(3.0, requires_grad=True)
    a = mt.tensor(4.0, requires_grad=True)
    b = mt.tensor(5.0, requires_grad=True)
    y = a * x
    z = y + b
    assert (x.grad_fn, a.grad_fn, b.grad_fn) == (None, None, None)
    assert re.fullmatch(r"<MulBackward0 object at 0x[0-9a-f]+>", repr(y.grad_fn))
    assert re.fullmatch(r"<AddBackward0 object at 0x[0-9a-f]+>", repr(z.grad_fn))
    z.backward()
    assert (repr(x.grad), repr(a.grad), repr(b.grad)) == ("tensor(4.)", "tensor(3.)", "tensor(1.)")


def test_e7_several_paths_add_up():
    a = mt.tensor([4.0])
    w1, w2, w3, w4 = (mt.tensor([v], requires_grad=True) for v in (2.0, 5.0, 9.0, 7.0))
    assert repr(w1) == "tensor([2.], requires_grad=True)"
    b = w1 * a
    c = w2 * a
    d = w3 * b + w4 * c
    L = 10 - d
    assert repr(L) == "tensor([-202.], grad_fn=<RsubBackward1>)"
    L.backward()
    assert [w.grad.item() for w in (w1, w2, w3, w4)] == [-36.0, -28.0, -8.0, -20.0]


def test_e8_reduction():
    x = mt.ones(2, 2, requires_grad=True)
    y = x + 2
    assert y.grad_fn.name() == "AddBackward0"
    z = y * y * 3
    assert z.grad_fn.name() == "MulBackward0"
    assert z.tolist() == [[27.0, 27.0], [27.0, 27.0]]
    out = z.mean()
    assert repr(out) == "tensor(27., grad_fn=<MeanBackward0>)"
    out.backward()
    assert repr(x.grad) == "tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])"


def test_e9_vector_jacobian_product():
    x = mt.tensor([1.6271, -0.3254, -0.3567], requires_grad=True)
    assert repr(x) == "tensor([ 1.6271, -0.3254, -0.3567], requires_grad=True)"
    y = x * 2
    assert repr(y.data.norm()) == "tensor(3.3945)"
    while y.data.norm() < 1000:
        y = y * 2
    assert repr(y) == "tensor([1666.1504, -333.2096, -365.2608], grad_fn=<MulBackward0>)"
    y.backward(mt.FloatTensor([0.1, 1.0, 0.0001]), retain_graph=True)
    assert repr(x.grad) == "tensor([1.0240e+02, 1.0240e+03, 1.0240e-01])"
    with pytest.raises(RuntimeError, match=r"^grad can be implicitly created only for scalar"):
        y.backward()


# --------------------------------------------------------------------------
# backward() and autograd.grad() options
# --------------------------------------------------------------------------

OPTION_CASES = {
    "retain_graph twice": "b=(a*a).sum(); b.backward(retain_graph=True); b.backward(); out=a.grad",
    "second pass fails": "b=(a*a).sum(); b.backward(); b.backward()",
    "grad twice fails": "b=(a*a).sum(); L.autograd.grad(b, a); L.autograd.grad(b, a)",
    "nothing saved twice": "b=(a+3).sum(); b.backward(); b.backward(); out=a.grad",
    "accumulates": "(a*2).sum().backward(); (a*3).sum().backward(); out=a.grad",
    "gradient argument": "b=a*2; b.backward(L.tensor([1., 0.5])); out=a.grad",
    "gradient other dtype": "b=a*2; b.backward(L.ones(2, dtype=L.float64)); out=a.grad",
    "gradient 0-d": "b=a.sum(); b.backward(L.tensor(2.)); out=a.grad",
    "wrong gradient shape": "b=a*2; b.backward(L.ones(3))",
    "wrong gradient 0-d": "b=a.sum(); b.backward(L.tensor([2.]))",
    "no grad_fn": "a.detach().sum().backward()",
    "inputs=": "c=L.tensor([3., 4.], requires_grad=True); (a*c).sum().backward(inputs=[c]); "
    "out=(a.grad, c.grad)",
    "autograd.backward list": "L.autograd.backward([(a*2).sum(), (a*3).sum()]); out=a.grad",
    "autograd.backward grads": "L.autograd.backward([a*2], [L.ones(2)]); out=a.grad",
    "grad unused": "c=L.tensor([1.], requires_grad=True); out=L.autograd.grad((a*2).sum(), [a, c])",
    "grad allow_unused": "c=L.tensor([1.], requires_grad=True); "
    "out=L.autograd.grad((a*2).sum(), [a, c], allow_unused=True)",
    "grad materialize": "c=L.tensor([1.], requires_grad=True); "
    "out=L.autograd.grad((a*2).sum(), [a, c], materialize_grads=True)",
    "grad of no-grad input": "out=L.autograd.grad((a*2).sum(), [a, L.tensor([1.])])",
    "grad wrt non-leaf": "b=a*2; c=b*b; out=L.autograd.grad(c.sum(), [b, a])",
    "grad leaves .grad alone": "L.autograd.grad((a*a).sum(), a); out=a.grad",
    "grad non-scalar": "out=L.autograd.grad(a*2, a)",
    "grad with grad_outputs": "out=L.autograd.grad(a*2, a, L.tensor([1., 3.]))",
    "create_graph": "g,=L.autograd.grad((a**3).sum(), a, create_graph=True); "
    "out=(g, L.autograd.grad(g.sum(), a))",
    "third derivative": "f=(a.tanh()*a.exp()).sum(); g,=L.autograd.grad(f, a, create_graph=True);"
    " h,=L.autograd.grad(g.sum(), a, create_graph=True); out=L.autograd.grad(h.sum(), a)",
    "backward create_graph": "(a**3).sum().backward(create_graph=True); g=a.grad; a.grad=None; "
    "g.sum().backward(); out=a.grad",
    "retain_grad": "b=a*2; b.retain_grad(); (b*b).sum().backward(); out=(b.grad, b.retains_grad)",
    "retain_grad twice": "b=a*2; b.retain_grad(); c=(b*b).sum(); c.backward(retain_graph=True); "
    "c.backward(); out=b.grad",
    "retain_grad no grad": "L.tensor([1.]).retain_grad()",
    "leaf retains": "a.retain_grad(); (a*2).sum().backward(); out=(a.grad, a.retains_grad)",
    "is_leaf": "b=a*2; out=(a.is_leaf, b.is_leaf, b.detach().is_leaf, L.tensor(1.).is_leaf)",
    "requires_grad off leaf": "a.requires_grad=False; out=(a, a.requires_grad)",
    "requires_grad off non-leaf": "b=a*2; b.requires_grad=False",
    "requires_grad int": "L.tensor([1, 2]).requires_grad=True",
    "requires_grad_ int": "L.tensor([1, 2]).requires_grad_()",
    "no graph without grad": "b=L.tensor([1., 2.])*2; out=(b.requires_grad, b.grad_fn, b.is_leaf)",
    "grad assignment": "a.grad=L.ones(2); out=a.grad",
    "grad assignment shape": "a.grad=L.ones(3)",
    "grad assignment dtype": "a.grad=L.ones(2, dtype=L.float64)",
    "grad assignment type": "a.grad=3",
    "del grad": "(a*2).sum().backward(); del a.grad; out=a.grad",
    "mixed dtype graph": "b=a*L.tensor([1., 2.], dtype=L.float64); b.sum().backward(); "
    "out=(b, a.grad)",
    "to double": "b=a.double(); (b*b).sum().backward(); out=(b, a.grad)",
    "detach_": "b=a*2; b.detach_(); out=(b, b.requires_grad, b.grad_fn)",
    "clone": "b=a.clone(); (b*b).sum().backward(); out=(b, a.grad)",
    "numpy refuses": "a.numpy()",
}


@pytest.mark.parametrize("case", OPTION_CASES)
def test_autograd_options_match_torch(case):
    results = {}
    for lib in (mt, torch):
        env = {"L": lib, "a": lib.tensor([1.0, 2.0], requires_grad=True)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # compared in their own tests
            try:
                exec(OPTION_CASES[case], env)
                results[lib] = env.get("out")
            except Exception as error:
                results[lib] = error
    ours, theirs = results[mt], results[torch]
    if isinstance(theirs, Exception) or isinstance(ours, Exception):
        assert_same_error(ours, theirs)
    else:
        assert same_repr(ours, theirs), f"{ours!r} != {theirs!r}"


def test_second_derivatives_match_torch(device):
    def fn(L, x, y):
        f = (x * y).sigmoid().sum() + (x**3 * y.exp()).mean() + (x / (y * y + 1)).tanh().sum()
        gx, gy = L.autograd.grad(f, (x, y), create_graph=True)
        return (gx * gx).sum() + (gx * gy).sum()

    x = np.random.default_rng(0).standard_normal((2, 3))
    y = np.random.default_rng(1).standard_normal((3,))
    compare(fn, x, y, device=device)


def test_hessian_vector_product_matches_torch(device):
    def fn(L, x):
        (g,) = L.autograd.grad((x.sin() * x.sqrt()).sum(), x, create_graph=True)
        (h,) = L.autograd.grad(g, x, grad_outputs=L.ones_like(x), create_graph=True)
        return h

    compare(fn, np.array([0.5, 1.0, 2.0]), device=device)


FUSED_BACKWARDS = {  # operations whose backward is itself one operation, in both libraries
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "relu": lambda x: x.relu(),
    "softmax": lambda x: x.softmax(1),
    "log_softmax": lambda x: x.log_softmax(1),
}


@pytest.mark.parametrize("operation", FUSED_BACKWARDS)
@pytest.mark.parametrize("order", [1, 2])
def test_backward_is_one_differentiable_node_as_in_torch(operation, order, device):
    """e.g. tanh's backward is one node (TanhBackwardBackward0), differentiable again."""

    def fn(L, x, w):
        out = FUSED_BACKWARDS[operation](x)
        (g,) = L.autograd.grad((out * w).sum(), x, create_graph=True)
        for _ in range(order - 1):  # order 2: a second derivative (w weighs its parts)
            (g,) = L.autograd.grad((g * w).sum(), x, create_graph=True)
        return g  # compare() checks the grad_fn name and differentiates once more

    x = np.array([[-2.0, -0.3, 0.0], [0.4, 1.5, 3.0]])
    compare(fn, x, np.array([0.7, -1.2, 2.0]), device=device)


def _graph_names(node, names):
    """Every node name reachable from ``node``, depth first (None for a missing input)."""
    if node is None:
        names.append(None)
        return names
    names.append(node.name().rsplit("::", 1)[-1])  # (torch::autograd::AccumulateGrad)
    for parent, _ in node.next_functions:
        _graph_names(parent, names)
    return names


RECORDED_BACKWARDS = {  # the graph that create_graph=True records, node by node
    "sum squared": lambda x: x.sum() ** 2,
    "mean squared": lambda x: x.mean() ** 2,
    "sum over a dim": lambda x: (x.sum(1) ** 2).sum(),
    "mean over a dim": lambda x: (x.mean(0) ** 2).sum(),
    "keepdim cube": lambda x: (x.sum(0, keepdim=True) ** 3).sum(),
    "power 1": lambda x: (x**1).sum(),
    "power -0.5": lambda x: (x**-0.5).sum(),
}


@pytest.mark.parametrize("case", RECORDED_BACKWARDS)
def test_recorded_backward_graphs_have_torchs_nodes(case):
    graphs, second = [], []
    for lib in (mt, torch):
        x = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
        (g,) = lib.autograd.grad(RECORDED_BACKWARDS[case](x), x, create_graph=True)
        graphs.append(_graph_names(g.grad_fn, []))
        second.append(lib.autograd.grad(g.sum(), x)[0].numpy())
    assert graphs[0] == graphs[1]
    np.testing.assert_allclose(second[0], second[1], rtol=1e-6)


def test_nonleaf_grad_warning_has_torch_text():
    x = mt.tensor([1.0], requires_grad=True)
    y = x * 2
    with pytest.warns(UserWarning) as ours:
        assert y.grad is None
    tx = torch.tensor([1.0], requires_grad=True)
    with pytest.warns(UserWarning) as theirs:
        assert (tx * 2).grad is None
    their_text = str(theirs[0].message).split(" (Triggered internally")[0]
    assert str(ours[0].message) == their_text
    assert ours[0].filename == __file__  # the warning points at the user's line


def test_no_warning_for_leaf_or_retained_grad(recwarn):
    x = mt.tensor([1.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    assert x.grad is None and y.grad is None
    assert not recwarn.list


def test_create_graph_backward_warns_like_torch():
    x = mt.tensor(2.0, requires_grad=True)
    with pytest.warns(UserWarning, match="^Using backward\\(\\) with create_graph=True will"):
        (x**3).backward(create_graph=True)
    assert x.grad.grad_fn is not None


# --------------------------------------------------------------------------
# Grad modes
# --------------------------------------------------------------------------


def test_no_grad_context_and_decorators():
    x = mt.tensor([1.0], requires_grad=True)
    with mt.no_grad():
        assert not mt.is_grad_enabled()
        y = x * 2
        with mt.enable_grad():
            z = x * 2
    assert (y.requires_grad, y.grad_fn, z.requires_grad) == (False, None, True)
    assert mt.is_grad_enabled()

    @mt.no_grad()
    def double(t):
        return t * 2

    @mt.no_grad
    def triple(t):
        return t * 3

    @mt.enable_grad
    def quadruple(t):
        return t * 4

    assert not double(x).requires_grad and not triple(x).requires_grad
    with mt.no_grad():
        assert quadruple(x).requires_grad
    assert double.__name__ == "double"
    assert mt.is_grad_enabled()


def test_set_grad_enabled_call_context_decorator():
    x = mt.tensor([1.0], requires_grad=True)
    with mt.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert mt.is_grad_enabled()
    mt.set_grad_enabled(False)  # a plain call switches the mode at once
    try:
        assert not mt.is_grad_enabled() and not (x * 2).requires_grad
    finally:
        mt.set_grad_enabled(True)

    @mt.set_grad_enabled(False)
    def f(t):
        return t * 2

    assert mt.is_grad_enabled()  # decorating does not switch the mode
    assert not f(x).requires_grad
    assert mt.is_grad_enabled()


def test_grad_mode_restored_after_exception():
    with pytest.raises(ValueError), mt.no_grad():
        raise ValueError
    assert mt.is_grad_enabled()


def test_recursive_decorated_function():
    @mt.no_grad()
    def depth(n):
        return 0 if n == 0 else 1 + depth(n - 1)

    assert depth(5) == 5 and mt.is_grad_enabled()


# --------------------------------------------------------------------------
# User-defined Functions
# --------------------------------------------------------------------------


def _square(L):
    class Square(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return 2 * x * grad_output

    return Square


def test_user_function_matches_torch(device):
    compare(lambda L, x: _square(L).apply(x).exp(), np.array([0.5, -1.0]), device=device)


def test_user_function_graph_and_repr():
    ours = _square(mt).apply(mt.tensor([1.0, 2.0], requires_grad=True))
    theirs = _square(torch).apply(torch.tensor([1.0, 2.0], requires_grad=True))
    assert same_repr(ours, theirs)
    assert same_repr(ours.grad_fn, theirs.grad_fn)
    assert ours.grad_fn.name() == theirs.grad_fn.name() == "SquareBackward"
    assert same_repr(ours.grad_fn.next_functions, theirs.grad_fn.next_functions)


def test_user_function_with_ctx_attributes_and_non_tensor_args(device):
    def scale(L):
        class Scale(L.autograd.Function):
            @staticmethod
            def forward(ctx, x, factor):
                ctx.factor = factor
                return x * factor

            @staticmethod
            def backward(ctx, grad_output):
                assert ctx.needs_input_grad == (True, False)
                return grad_output * ctx.factor, None

        return Scale

    compare(lambda L, x: scale(L).apply(x, 3.0), np.array([1.0, 2.0]), device=device)


def test_user_function_returning_its_input():
    for lib in (mt, torch):

        class Identity(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, grad_output):
                return grad_output

        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = Identity.apply(x)
        assert y is not x and x.is_leaf and x.grad_fn is None
        assert y.grad_fn.name() == "IdentityBackward"
        y.sum().backward()
        assert x.grad.tolist() == [1.0, 1.0]


@pytest.mark.parametrize(
    "backward",
    [
        lambda L, ctx, g: (g, g),  # too many gradients
        lambda L, ctx, g: L.ones(3),  # wrong shape
    ],
)
def test_user_function_bad_backward(backward):
    results = []
    for lib in (mt, torch):

        class Bad(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

        Bad.backward = staticmethod(lambda ctx, g, lib=lib: backward(lib, ctx, g))
        try:
            Bad.apply(lib.tensor([1.0, 2.0], requires_grad=True)).sum().backward()
        except RuntimeError as error:
            results.append(error)
    assert len(results) == 2
    assert_same_error(*results)


def test_gradient_of_a_broadcast_user_function_is_summed():
    """A backward may return a gradient that broadcasts to its input: it is summed."""

    class Spread(mt.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output.expand(2, 3)

    x = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    Spread.apply(x).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_deep_chain_has_no_recursion_limit():
    x = mt.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.backward()
    assert x.grad.item() == pytest.approx(1.0001**5000, rel=1e-3)
