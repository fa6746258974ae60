"""leaky_relu, silu, gelu and dropout (functional and modules) against PyTorch.

Deterministic activations are compared with `oracle.compare`: values, dtype,
grad_fn name, gradients, and second derivatives (``create_graph=True``), on
the CPU and on the GPU stand-in. Dropout is random and its mask differs from
PyTorch's, so its tests check statistics, the exact scale of the kept
elements, and the gradient against PyTorch given the *same* mask.
"""

import math

import numpy as np
import pytest
import torch

import minitensor as mt
from minitensor import nn
from minitensor.nn import functional as F
from tests.oracle import assert_same_error, compare, device_fixture, host, make

__all__ = ["device_fixture"]  # the `device` fixture, used by name

SPECIAL = [-2.5, -1.0, -0.0, 0.0, 0.5, 3.0, 40.0, -40.0, math.inf, -math.inf, math.nan]


def functional(lib):
    return lib.nn.functional


ACTIVATIONS = {
    "leaky_relu": lambda lib, x: functional(lib).leaky_relu(x),
    "leaky_relu_0.2": lambda lib, x: functional(lib).leaky_relu(x, 0.2),
    "leaky_relu_negative": lambda lib, x: functional(lib).leaky_relu(x, negative_slope=-0.5),
    "silu": lambda lib, x: functional(lib).silu(x),
    "gelu": lambda lib, x: functional(lib).gelu(x),
    "gelu_tanh": lambda lib, x: functional(lib).gelu(x, approximate="tanh"),
}


def special_values(name, dtype):
    values = list(SPECIAL)
    if name == "gelu" and dtype == "float32":
        # PyTorch's vectorised float32 gelu gives nan for +inf (its scalar path, float64 and
        # float16 give inf, the limit); minitensor gives inf everywhere.
        values.remove(math.inf)
    return np.array(values, dtype=dtype)


# --------------------------------------------------------------------------
# leaky_relu, silu, gelu: values, gradients, second derivatives
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_activation_values_and_gradients(name, dtype, device):
    fn = ACTIVATIONS[name]
    x = np.random.default_rng(1).standard_normal((4, 5)).astype(dtype) * 3
    compare(fn, x, device=device)
    compare(fn, special_values(name, dtype), device=device)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_broadcast_inputs(name, device):
    # The activation of a broadcast sum: its gradient is summed back to each input's shape.
    rng = np.random.default_rng(2)
    a = rng.standard_normal((3, 1, 4)).astype("float32")
    b = rng.standard_normal((5, 1)).astype("float32")
    compare(lambda lib, a, b: ACTIVATIONS[name](lib, a + b), a, b, device=device)


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_activation_second_derivatives(name, dtype, device):
    """grad(y, x, v, create_graph=True): its grad_fn, and its gradients w.r.t. x and v."""
    fn = ACTIVATIONS[name]

    def gradient(lib, x, v):
        (g,) = lib.autograd.grad(fn(lib, x), x, v, create_graph=True)
        return g

    rng = np.random.default_rng(3)
    x = (rng.standard_normal((3, 4)) * 2).astype(dtype)
    v = rng.standard_normal((3, 4)).astype(dtype)
    compare(gradient, x, v, device=device)
    values = special_values(name, dtype)
    compare(gradient, values, np.linspace(-1, 1, values.size).astype(dtype), device=device)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_third_derivative(name):
    """The fused backward's own backward is differentiable too (gradgradcheck-like)."""
    fn = ACTIVATIONS[name]

    def second(lib, x):
        (g,) = lib.autograd.grad(fn(lib, x).sum(), x, create_graph=True)
        (h,) = lib.autograd.grad(g.sum(), x, create_graph=True)
        return h

    x = np.array([-1.5, -0.3, 0.2, 0.9, 2.0])
    compare(second, x, name=False)  # (names of third-order nodes are not part of the contract)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_float16(name):
    x = np.array([-3.0, -0.7, -0.0, 0.1, 1.3, 5.0], dtype="float16")
    compare(ACTIVATIONS[name], x, atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_keeps_negative_zero(name, device):
    out = ACTIVATIONS[name](mt, mt.tensor([-0.0], device=device))
    expected = ACTIVATIONS[name](torch, torch.tensor([-0.0]))
    assert np.signbit(host(out)[0]) == np.signbit(host(expected)[0])


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("dtype", ["int64", "int32", "bool"])
def test_activation_refuses_integers(name, dtype):
    compare(ACTIVATIONS[name], np.array([1, 0, 1]).astype(dtype))


def test_gelu_and_leaky_relu_argument_errors():
    x = np.array([1.0, -1.0])
    compare(lambda lib, x: functional(lib).gelu(x, approximate="exact"), x)
    compare(lambda lib, x: functional(lib).leaky_relu(x, "a"), x)
    compare(lambda lib, x: functional(lib).leaky_relu(x, None), x)
    compare(lambda lib, x: functional(lib).leaky_relu(x, True), x)  # a bool is a number: 1
    compare(lambda lib, x: lib.nn.GELU("exact")(x), x)


def test_erf_against_math():
    """gelu's erf (the array API has none) is accurate to float64 precision."""
    from minitensor import backend
    from minitensor.ops.activations import _erf

    xs = np.concatenate([np.linspace(-7, 7, 20001), [1e-300, -1e-12, 2.5, -2.5, 1e300]])
    expected = np.array([math.erf(v) for v in xs])
    with np.errstate(over="ignore"):  # (operations run _erf with float warnings off)
        ours = _erf(backend.namespace(mt.device("cpu")), xs)
    np.testing.assert_allclose(ours, expected, rtol=4e-15, atol=1e-300)


# --------------------------------------------------------------------------
# In place: leaky_relu_ and silu_
# --------------------------------------------------------------------------


def test_inplace_activation_on_leaf_is_refused():
    x = np.array([1.0, -2.0])
    compare(lambda lib, x: functional(lib).leaky_relu(x, 0.1, inplace=True), x)
    compare(lambda lib, x: functional(lib).silu(x, inplace=True), x)
    compare(lambda lib, x: lib.nn.LeakyReLU(inplace=True)(x), x)


@pytest.mark.parametrize("slope", [0.1, 0.0, 1.5])
def test_leaky_relu_inplace(slope, device):
    def fn(lib, x):
        y = x * 1
        out = functional(lib).leaky_relu(y, slope, inplace=True)
        assert out is y
        return out

    def second(lib, x, v):
        (g,) = lib.autograd.grad(fn(lib, x), x, v, create_graph=True)
        return g

    x = np.array([-2.0, -0.0, 0.0, 3.0, math.nan, -math.inf])
    compare(fn, x, device=device)  # LeakyReluBackward1: its backward reads the output
    compare(second, x, np.linspace(-1, 1, 6), device=device)


def test_leaky_relu_inplace_negative_slope_backward_fails(device):
    def fn(lib, x):
        return functional(lib).leaky_relu(x * 1, -0.1, inplace=True)

    compare(fn, np.array([-2.0, 3.0]), device=device)  # forward works; backward raises
    with mt.no_grad():  # without a graph there is nothing to refuse
        t = F.leaky_relu(mt.tensor([-2.0, 3.0], device=device), -0.5, inplace=True)
    assert host(t).tolist() == [1.0, 3.0]


def test_silu_inplace(device):
    def fn(lib, x):
        y = x * 1
        out = functional(lib).silu(y, inplace=True)
        assert out is y
        return out

    compare(fn, np.array([-2.0, -0.0, 0.5, 3.0]), device=device)


def test_inplace_without_grad():
    for lib in (torch, mt):
        t = lib.tensor([-2.0, 4.0])
        assert functional(lib).leaky_relu(t, 0.5, inplace=True) is t
        assert t.tolist() == [-1.0, 4.0]


# --------------------------------------------------------------------------
# Modules
# --------------------------------------------------------------------------

MODULES = [
    ("Dropout", ()),
    ("Dropout", (0.2, True)),
    ("Dropout", (1,)),
    ("LeakyReLU", ()),
    ("LeakyReLU", (0.2, True)),
    ("LeakyReLU", (1,)),
    ("LeakyReLU", (-0.5,)),
    ("GELU", ()),
    ("GELU", ("tanh",)),
    ("SiLU", ()),
    ("SiLU", (True,)),
]


@pytest.mark.parametrize(("name", "args"), MODULES)
def test_module_repr(name, args):
    assert repr(getattr(nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))


def test_module_repr_in_sequential():
    def model(lib):
        return lib.nn.Sequential(
            lib.nn.Linear(2, 3), lib.nn.LeakyReLU(0.1), lib.nn.Dropout(0.25), lib.nn.GELU()
        )

    assert repr(model(mt)) == repr(model(torch))


@pytest.mark.parametrize(
    "make_module",
    [
        lambda lib: lib.nn.LeakyReLU(0.3),
        lambda lib: lib.nn.SiLU(),
        lambda lib: lib.nn.GELU(),
        lambda lib: lib.nn.GELU(approximate="tanh"),
    ],
)
def test_module_forward(make_module, device):
    x = np.random.default_rng(4).standard_normal((2, 3)).astype("float32")
    compare(lambda lib, x: make_module(lib)(x), x, device=device)


# --------------------------------------------------------------------------
# Dropout
# --------------------------------------------------------------------------


def scale_of(p, dtype):
    """PyTorch's multiplier for the kept elements: 1 / (1 - p) in the input's dtype."""
    return torch.ones((), dtype=dtype) / (1 - p)


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.8])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dropout_statistics_and_scale(p, dtype, device):
    x = np.random.default_rng(5).uniform(0.5, 2.0, (500, 400)).astype(dtype)
    out = host(F.dropout(mt.tensor(x, device=device), p))
    assert out.dtype == x.dtype
    kept = out != 0
    n = kept.size
    # The number kept is Binomial(n, 1 - p): within 5 standard deviations of n (1 - p).
    assert abs(kept.sum() - n * (1 - p)) < 5 * math.sqrt(n * p * (1 - p))
    # Kept elements are exactly x * (1 / (1 - p)), as PyTorch computes it; the rest are 0.
    expected = (torch.from_numpy(x) * scale_of(p, getattr(torch, dtype))).numpy()
    np.testing.assert_array_equal(out[kept], expected[kept])
    assert (out[~kept] == 0).all()


@pytest.mark.parametrize("p", [0.25, 0.6])
def test_dropout_gradient_is_the_mask_times_the_scale(p, device):
    rng = np.random.default_rng(6)
    x_np = rng.uniform(0.5, 2.0, (8, 9)).astype("float32")
    upstream = rng.standard_normal((8, 9)).astype("float32")
    x = mt.tensor(x_np, device=device, requires_grad=True)
    v = mt.tensor(upstream, device=device, requires_grad=True)
    out = F.dropout(x, p)
    # PyTorch's names: a multiplication on the CPU; its fused kernel's on a GPU
    # (``native_dropout`` when 0 < p < 1, per ATen's Dropout.cpp).
    expected_name = "NativeDropoutBackward0" if device == "cuda" else "MulBackward0"
    assert out.grad_fn.name() == expected_name
    assert torch.nn.functional.dropout(torch.ones(3, requires_grad=True), p).grad_fn.name() == (
        "MulBackward0"
    )
    (g,) = mt.autograd.grad(out, x, v, create_graph=True)
    # PyTorch, given the same mask: dropout on the CPU is x * (mask / (1 - p)).
    mask = torch.from_numpy(host(out) != 0).float()
    x_t = torch.tensor(x_np, requires_grad=True)
    v_t = torch.tensor(upstream, requires_grad=True)
    out_t = x_t * (mask / (1 - p))
    (g_t,) = torch.autograd.grad(out_t, x_t, v_t, create_graph=True)
    np.testing.assert_array_equal(host(out), out_t.detach().numpy())
    np.testing.assert_array_equal(host(g), g_t.detach().numpy())
    assert g.grad_fn.name() == g_t.grad_fn.name() == "MulBackward0"
    # Second order: d g / d v is the noise again; g does not depend on x.
    g.sum().backward()
    g_t.sum().backward()
    np.testing.assert_array_equal(host(v.grad), v_t.grad.numpy())
    assert x.grad is None and x_t.grad is None


@pytest.mark.parametrize(("p", "training"), [(0.0, True), (0.5, False), (0.0, False), (1.0, False)])
@pytest.mark.parametrize("requires_grad", [True, False])
def test_dropout_returns_its_input_when_nothing_is_dropped(p, training, requires_grad, device):
    for lib in (torch, mt):
        x = make(lib, np.array([1.0, -2.0]), device, requires_grad)
        assert functional(lib).dropout(x, p, training) is x
        assert functional(lib).dropout(x, p, training, inplace=True) is x  # no leaf check
    empty = mt.zeros(0, requires_grad=True)
    assert F.dropout(empty, 0.5) is empty
    assert torch.nn.functional.dropout(torch.zeros(0, requires_grad=True), 0.5).grad_fn is None


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "bool"])
def test_dropout_p_one_gives_zeros(dtype, device):
    _check_dropout_p_one(dtype, device)


def test_dropout_p_one_gives_zeros_in_float16():
    _check_dropout_p_one("float16", "cpu")  # (the GPU stand-in, array_api_strict, has no float16)


def _check_dropout_p_one(dtype, device):
    values = np.array([1.5, -2.0, 0.0, math.inf, math.nan])
    if dtype in ("int64", "int32", "bool"):
        values = np.array([3, -1, 0, 1]).astype(dtype)
    # a * 0, as in PyTorch: -0.0 for negatives, nan for inf and nan; MulBackward0.
    out = compare(
        lambda lib, x: functional(lib).dropout(x, 1.0), values.astype(dtype), device=device
    )
    if dtype.startswith("float"):
        assert np.signbit(host(out)[:3]).tolist() == [False, True, False]


def test_dropout_integers_are_refused_while_training():
    compare(lambda lib, x: functional(lib).dropout(x, 0.5), np.array([1, 2, 3]))
    compare(lambda lib, x: functional(lib).dropout(x, 0.5), np.array([True, False]))
    compare(lambda lib, x: functional(lib).dropout(x, 0.5, training=False), np.array([1, 2]))


def test_dropout_nan_and_inf_inputs():
    out = host(F.dropout(mt.tensor([math.nan] * 200 + [math.inf] * 200), 0.5))
    assert np.isnan(out[:200]).all()  # nan * 0 is nan: nan stays nan, kept or not
    # inf * 2 kept, inf * 0 = nan dropped (PyTorch multiplies by the noise too).
    assert np.isinf(out[200:]).any() and np.isnan(out[200:]).any()
    assert (np.isinf(out[200:]) | np.isnan(out[200:])).all()
    torch_out = torch.nn.functional.dropout(torch.full((200,), math.inf), 0.5)
    assert torch_out.isinf().any() and torch_out.isnan().any()


def test_dropout_keeps_dtype(device):
    _check_dropout_keeps_dtype("float64", device)


def test_dropout_keeps_float16():
    _check_dropout_keeps_dtype("float16", "cpu")  # (the GPU stand-in has no float16)


def _check_dropout_keeps_dtype(dtype, device):
    x = mt.ones(1000, dtype=getattr(mt, dtype), device=device)
    out = F.dropout(x, 0.3)
    assert out.dtype == x.dtype
    expected = scale_of(0.3, getattr(torch, dtype)).item()
    assert set(np.unique(host(out)).tolist()) == {0.0, expected}


def test_dropout_is_reproducible_under_manual_seed(device):
    x = mt.ones(50, 40, device=device)
    mt.manual_seed(123)
    first = host(F.dropout(x, 0.5))
    second = host(F.dropout(x, 0.5))
    mt.manual_seed(123)
    again = host(F.dropout(x, 0.5))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, second)  # the generator moved on
    mt.manual_seed(123)  # the mask is drawn on the host: the same on every device
    np.testing.assert_array_equal(first, host(F.dropout(mt.ones(50, 40), 0.5)))


def test_dropout_inplace(device):
    # A leaf that requires grad is refused, as in PyTorch.
    compare(lambda lib, x: functional(lib).dropout(x, 0.5, inplace=True), np.ones(4))
    x = mt.tensor(np.arange(1.0, 101.0), device=device, requires_grad=True)
    y = x * 1
    out = F.dropout(y, 0.5, inplace=True)
    assert out is y and y.grad_fn.name() == "MulBackward0"  # PyTorch's dropout_ is mul_
    kept = host(y) != 0
    np.testing.assert_array_equal(host(y)[kept], np.arange(1.0, 101.0)[kept] * 2)
    y.sum().backward()
    np.testing.assert_array_equal(host(x.grad), kept * 2.0)
    # Without grad: the tensor itself changes.
    t = mt.ones(1000, device=device)
    assert F.dropout(t, 0.2, inplace=True) is t
    assert 0.7 < (host(t) != 0).mean() < 0.9


@pytest.mark.parametrize("p", [-0.1, 1.1, 2, math.nan, "a"])
def test_dropout_probability_errors(p):
    compare(lambda lib, x: functional(lib).dropout(x, p), np.ones(3))
    compare(lambda lib, x: functional(lib).dropout(x, p, training=False), np.ones(3))
    compare(lambda lib, x: lib.nn.Dropout(p)(x), np.ones(3))  # (nan: refused when called)


def test_dropout_input_must_be_a_tensor():
    errors = []
    for lib in (torch, mt):
        with pytest.raises(TypeError) as info:
            functional(lib).dropout([1.0, 2.0], 0.5)
        errors.append(info.value)
    assert_same_error(errors[1], errors[0])


def test_dropout_module_train_and_eval(device):
    mt.manual_seed(0)
    layer = nn.Dropout(0.5)
    x = mt.ones(200, 10, device=device, requires_grad=True)
    out = layer(x)
    assert out.grad_fn is not None and 0.3 < (host(out) == 0).mean() < 0.7
    assert layer.eval() is layer and layer(x) is x  # eval: the input itself
    torch_layer = torch.nn.Dropout(0.5).eval()
    torch_x = torch.ones(3, requires_grad=True)
    assert torch_layer(torch_x) is torch_x
    layer.train()
    assert (host(layer(x)) == 0).any()
    model = nn.Sequential(nn.Linear(10, 4), nn.Dropout(0.9)).to(device)
    model.eval()
    assert not model[1].training
    np.testing.assert_array_equal(host(model(x)), host(model[0](x)))
