"""nn.ModuleList / ModuleDict / ParameterList and the L1, smooth L1 and Huber losses.

The oracle is PyTorch: each scenario runs once with ``lib=torch`` and once
with ``lib=minitensor``; the printed models, parameter names and shapes,
state_dict keys, loss values, gradients, grad_fn names, warnings and errors
must be the same (with "minitensor" where PyTorch says "torch").
"""

import warnings

import numpy as np
import pytest
import torch

import minitensor as mt
from minitensor import nn
from minitensor.nn import functional as F
from tests.oracle import compare, device_fixture, gpu  # noqa: F401 (the fixture is used by name)


def outcome(scenario, lib):
    """What ``scenario(lib)`` returns, or ("error", type, message); torch's words replaced."""
    try:
        result = scenario(lib)
    except Exception as error:
        result = ("error", type(error).__name__, str(error))
    return _mt_words(result)


def _mt_words(value):
    if isinstance(value, str):
        return value.replace("torch", "minitensor")
    if isinstance(value, (list, tuple)):
        return type(value)(_mt_words(v) for v in value)
    return value


def assert_same(scenario):
    ours, theirs = outcome(scenario, mt), outcome(scenario, torch)
    assert ours == theirs
    return ours


def summary(model):
    """What must agree between the libraries: the printed form, names, shapes, keys."""
    return [
        repr(model),
        [(name, tuple(p.shape)) for name, p in model.named_parameters()],
        list(model.state_dict()),
        [name for name, _ in model.named_modules()],
    ]


# --------------------------------------------------------------------------
# ModuleList
# --------------------------------------------------------------------------


def _stack(lib):
    """A beginner's model: an input layer, a ModuleList of blocks, heads in a ModuleDict."""

    class Net(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.inp = lib.nn.Linear(4, 8)
            self.blocks = lib.nn.ModuleList(
                [lib.nn.Sequential(lib.nn.Linear(8, 8), lib.nn.ReLU()) for _ in range(3)]
            )
            self.heads = lib.nn.ModuleDict({"cls": lib.nn.Linear(8, 3), "reg": lib.nn.Linear(8, 1)})

        def forward(self, x):
            x = self.inp(x)
            for block in self.blocks:
                x = block(x)
            return self.heads["cls"](x), self.heads["reg"](x)

    return Net()


def test_model_with_containers_prints_and_registers_like_torch():
    ours = summary(_stack(mt))
    theirs = _mt_words(summary(_stack(torch)))
    assert ours == theirs
    assert "(0-2): 3 x Sequential(" in ours[0]


def test_model_with_containers_computes_like_torch_with_the_same_weights():
    model, reference = _stack(mt), _stack(torch)
    reference.load_state_dict(
        {k: torch.from_numpy(v.numpy().copy()) for k, v in model.state_dict().items()}
    )
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    ours, theirs = model(mt.tensor(x)), reference(torch.tensor(x))
    (ours[0].sum() + ours[1].sum()).backward()
    (theirs[0].sum() + theirs[1].sum()).backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)
    grads = dict(reference.named_parameters())
    for name, param in model.named_parameters():
        np.testing.assert_allclose(param.grad.numpy(), grads[name].grad.numpy(), atol=1e-5)
    assert len(list(model.parameters())) == len(list(reference.parameters())) == 12


@pytest.mark.parametrize(
    "layers",
    [
        "",
        "Linear(2, 2)",
        "Linear(2, 2) Linear(2, 2) Linear(2, 3) ReLU() ReLU() Linear(2, 2)",
        "ReLU() Tanh() ReLU() ReLU() ReLU()",
    ],
)
def test_module_list_repr_collapses_runs_like_torch(layers):
    def scenario(lib):
        return repr(lib.nn.ModuleList([eval(f"lib.nn.{layer}") for layer in layers.split()]))

    assert_same(scenario)


def test_module_list_repr_inside_a_module_list():
    def scenario(lib):
        inner = [lib.nn.ModuleList([lib.nn.Tanh(), lib.nn.Tanh()]) for _ in range(2)]
        return repr(lib.nn.ModuleList(inner + [lib.nn.Identity()]))

    assert "(0-1): 2 x ModuleList(" in assert_same(scenario)


def _edited(lib):
    """append, extend, insert, +=, +, item assignment, del and pop, then a summary."""
    L = lib.nn
    layers = L.ModuleList([L.Linear(1, 2)])
    layers.append(L.ReLU()).extend([L.Linear(2, 3), L.Tanh()])
    layers.insert(1, L.Dropout(0.25))
    layers += [L.Linear(3, 4)]
    layers[-1] = L.Linear(3, 5)
    del layers[2]
    popped = layers.pop(-2)
    steps = [summary(layers), repr(popped), len(layers)]
    joined = layers + L.ModuleList([L.Sigmoid()])
    steps += [type(joined).__name__, summary(joined), len(layers)]
    steps += [repr(layers[1:]), repr(layers[::-2]), repr(layers[-1]), repr(layers[0])]
    steps.append([type(m).__name__ for m in layers])
    del layers[1:3]
    steps.append(summary(layers))
    return steps


def test_module_list_edits_like_torch():
    steps = assert_same(_edited)
    assert steps[2] == 4  # really edited: 6 added, 2 removed


@pytest.mark.parametrize(
    "action",
    [
        lambda layers, lib: layers[3],
        lambda layers, lib: layers[-4],
        lambda layers, lib: layers["0"],
        lambda layers, lib: layers.__setitem__(0, 3),
        lambda layers, lib: layers.__setitem__(5, lib.nn.ReLU()),
        lambda layers, lib: layers.extend(5),
        lambda layers, lib: layers.append(5),
        lambda layers, lib: layers.__delitem__(7),
        lambda layers, lib: layers(lib.ones(2)),
    ],
)
def test_module_list_errors_like_torch(action):
    def scenario(lib):
        layers = lib.nn.ModuleList([lib.nn.Linear(2, 2), lib.nn.ReLU(), lib.nn.Tanh()])
        return action(layers, lib)

    result = assert_same(scenario)
    assert result[0] == "error"


def test_module_list_is_moved_by_to(device):
    model = _stack(mt).to(device).double()
    assert {p.device.type for p in model.parameters()} == {device}
    assert {p.dtype for p in model.parameters()} == {mt.float64}
    out = model(mt.ones(2, 4, device=device, dtype=mt.float64))
    assert out[0].shape == (2, 3) and out[0].device.type == device


def test_dir_hides_the_positions_like_torch():
    def scenario(lib):
        layers = lib.nn.ModuleList([lib.nn.ReLU(), lib.nn.Tanh()])
        params = lib.nn.ParameterList([lib.ones(1)])
        return [key for key in dir(layers) + dir(params) if key.isdigit()]

    assert assert_same(scenario) == []


def test_module_list_slice_shares_the_modules():
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(4)])
    part = layers[1:3]
    assert type(part) is nn.ModuleList and part[0] is layers[1] and part[1] is layers[2]
    assert list(part._modules) == ["0", "1"]


# --------------------------------------------------------------------------
# ModuleDict
# --------------------------------------------------------------------------


def _dict_scenario(lib):
    L = lib.nn
    heads = L.ModuleDict([("b", L.Linear(2, 1)), ("a", L.ReLU())])
    heads.update({"c": L.Tanh(), "a": L.Linear(2, 4)})  # "a" keeps its place
    heads["d"] = L.Sigmoid()
    steps = [summary(heads), list(heads), list(heads.keys()), len(heads), "c" in heads]
    steps.append([type(m).__name__ for m in heads.values()])
    steps.append([(k, type(m).__name__) for k, m in heads.items()])
    steps.append(repr(heads.pop("c")))
    del heads["b"]
    steps.append(summary(heads))
    steps.append(repr(L.ModuleDict(L.ModuleDict({"x": L.Identity()}))))
    heads.clear()
    steps += [repr(heads), len(heads)]
    return steps


def test_module_dict_like_torch():
    steps = assert_same(_dict_scenario)
    assert steps[1] == ["b", "a", "c", "d"]


@pytest.mark.parametrize(
    "action",
    [
        lambda lib: lib.nn.ModuleDict(5),
        lambda lib: lib.nn.ModuleDict([5]),
        lambda lib: lib.nn.ModuleDict([("a", lib.nn.ReLU(), 1)]),
        lambda lib: lib.nn.ModuleDict({"a": lib.nn.ReLU()})["b"],
        lambda lib: lib.nn.ModuleDict({"a": 3}),
        lambda lib: lib.nn.ModuleDict()(lib.ones(1)),
    ],
)
def test_module_dict_errors_like_torch(action):
    assert assert_same(action)[0] == "error"


# --------------------------------------------------------------------------
# ParameterList
# --------------------------------------------------------------------------


def _parameter_list(lib):
    params = lib.nn.ParameterList([lib.zeros(2, 3), lib.nn.Parameter(lib.ones(4))])
    params.append(lib.zeros(1, dtype=lib.float64))
    params += [lib.ones(5)]
    params.append("not a tensor")
    steps = [summary(params), len(params), [type(p).__name__ for p in params]]
    steps.append([p.requires_grad for p in params.parameters()])
    steps.append(summary(params[1:3]))
    return steps


def test_parameter_list_like_torch():
    steps = assert_same(_parameter_list)
    assert steps[2][:2] == ["Parameter", "Parameter"]


@pytest.mark.parametrize(
    "action",
    [
        lambda params, lib: params(lib.ones(1)),
        lambda params, lib: params.extend(lib.ones(3)),
        lambda params, lib: params.extend(3),
        lambda params, lib: params[2],
    ],
)
def test_parameter_list_errors_like_torch(action):
    def scenario(lib):
        return action(lib.nn.ParameterList([lib.ones(1), lib.ones(2)]), lib)

    assert assert_same(scenario)[0] == "error"


def test_parameter_list_on_the_gpu_prints_its_device():
    params = nn.ParameterList([mt.ones(2)])
    with gpu():
        params.to("cuda")
        reference = torch.nn.ParameterList([torch.ones(2)])
        # PyTorch shows " (cuda:0)" after the size of a tensor on a GPU (its source, nn/container).
        expected = repr(reference).replace("size 2]", "size 2 (cuda:0)]")
        assert repr(params) == expected.replace("torch", "minitensor")


# --------------------------------------------------------------------------
# Losses: l1_loss, smooth_l1_loss, huber_loss
# --------------------------------------------------------------------------

RNG = np.random.default_rng(7)
X = RNG.normal(size=(4, 3)).astype(np.float32) * 2
Y = RNG.normal(size=(4, 3)).astype(np.float32) * 2
X[0, :2] = Y[0, :2] + np.float32([0.5, -1.0])  # ties and exact thresholds are in the data

LOSS_CASES = {
    "l1": ("l1_loss", {}, X, Y),
    "l1_weight": ("l1_loss", {"weight": "w"}, X, Y),
    "l1_broadcast_target": ("l1_loss", {}, X, Y[0]),
    "l1_broadcast_input": ("l1_loss", {}, X[:1], Y),
    "l1_float64": ("l1_loss", {}, X.astype(np.float64), Y.astype(np.float64)),
    "smooth_l1": ("smooth_l1_loss", {}, X, Y),
    "smooth_l1_beta": ("smooth_l1_loss", {"beta": 0.5}, X, Y),
    "smooth_l1_beta_int": ("smooth_l1_loss", {"beta": 2}, X, Y),
    "smooth_l1_beta0": ("smooth_l1_loss", {"beta": 0.0}, X, Y),
    "smooth_l1_broadcast": ("smooth_l1_loss", {"beta": 1.5}, X, Y[:, :1]),
    "smooth_l1_broadcast_input": ("smooth_l1_loss", {}, X[0], Y),
    "smooth_l1_float64_target": ("smooth_l1_loss", {}, X, Y.astype(np.float64)),
    "huber": ("huber_loss", {}, X, Y),
    "huber_delta": ("huber_loss", {"delta": 0.5}, X, Y),
    "huber_delta_big": ("huber_loss", {"delta": 3.0}, X, Y),
    "huber_weight": ("huber_loss", {"weight": "w", "delta": 0.7}, X, Y),
    "huber_broadcast": ("huber_loss", {}, X, Y[1]),
    "huber_float64_target": ("huber_loss", {}, X, Y.astype(np.float64)),
    "huber_float64_input": ("huber_loss", {}, X.astype(np.float64), Y),
    "scalars": ("huber_loss", {}, np.array(X[0, 0]), np.array(Y[0, 0])),
}
WEIGHT = RNG.uniform(0.1, 2.0, size=(4, 3)).astype(np.float32)


@pytest.mark.filterwarnings("ignore:Using a target size")
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", list(LOSS_CASES))
def test_loss_values_gradients_and_grad_fn_like_torch(case, reduction, device):
    name, kwargs, x, y = LOSS_CASES[case]

    def fn(lib, input, target, weight):
        extra = {k: (weight if v == "w" else v) for k, v in kwargs.items()}
        functional = torch.nn.functional if lib is torch else F
        return getattr(functional, name)(input, target, reduction=reduction, **extra)

    # compare: values, dtype, shape and grad_fn name, then the gradients of input, target
    # and weight for a random upstream gradient. Tight tolerances: PyTorch's numerics.
    out = compare(fn, x, y, WEIGHT, device=device, rtol=2e-6, atol=1e-6)
    assert out is not None and out.requires_grad


@pytest.mark.parametrize("name", ["smooth_l1_loss", "huber_loss"])
def test_loss_second_derivatives_like_torch(name):
    def grads(lib, functional):
        x = lib.tensor(X.astype(np.float64), requires_grad=True)
        loss = getattr(functional, name)(x, lib.tensor(Y.astype(np.float64)), reduction="sum")
        (g,) = lib.autograd.grad(loss, x, create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), x)
        return g.detach().numpy(), gg.numpy()

    for a, b in zip(grads(mt, F), grads(torch, torch.nn.functional)):
        np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("name", ["l1_loss", "smooth_l1_loss", "huber_loss"])
def test_loss_warns_about_broadcasting_like_torch(name):
    def messages(lib, functional):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            getattr(functional, name)(lib.ones(3, 2), lib.zeros(2))
        assert all(w.filename == __file__ for w in caught)  # points at the caller's line
        return [str(w.message) for w in caught]

    ours, theirs = messages(mt, F), messages(torch, torch.nn.functional)
    assert len(ours) == 1
    assert ours == _mt_words(theirs)


def test_l1_loss_legacy_arguments_like_torch():
    def messages(lib, functional):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = functional.l1_loss(lib.ones(3), lib.zeros(3), size_average=False)
        return out.item(), [str(w.message) for w in caught]

    assert messages(mt, F) == messages(torch, torch.nn.functional)


def _bad(name, make, **kwargs):
    """A bad call: the loss's name, ``make(lib)`` -> its tensors, and its keywords."""
    return name, make, kwargs


def _floats(lib, n=2, m=2):
    return lib.ones(n), lib.zeros(m)


BAD_LOSS_INPUT = {
    "l1_shapes": _bad("l1_loss", lambda L: _floats(L, 3, 4)),
    "l1_reduction": _bad("l1_loss", _floats, reduction="avg"),
    "l1_weight_reduction": _bad("l1_loss", _floats, reduction="avg", weight="w"),
    "l1_weight_shape": _bad("l1_loss", _floats, weight="w3"),
    "l1_int_mean": _bad("l1_loss", lambda L: (L.tensor([1, 2]), L.tensor([3, 1]))),
    "l1_bool": _bad("l1_loss", lambda L: (L.tensor([True]), L.tensor([False]))),
    "smooth_l1_shapes": _bad("smooth_l1_loss", lambda L: _floats(L, 3, 4)),
    "smooth_l1_reduction": _bad("smooth_l1_loss", _floats, reduction="avg", beta=-1.0),
    "smooth_l1_negative_beta": _bad("smooth_l1_loss", _floats, beta=-0.1),
    "smooth_l1_int": _bad("smooth_l1_loss", lambda L: (L.tensor([1, 2]), L.tensor([3, 1]))),
    "smooth_l1_int_beta0": _bad(
        "smooth_l1_loss", lambda L: (L.tensor([1, 2]), L.tensor([3, 1])), beta=0.0
    ),
    "smooth_l1_bool": _bad("smooth_l1_loss", lambda L: (L.tensor([True]), L.tensor([True]))),
    "huber_shapes": _bad("huber_loss", lambda L: _floats(L, 3, 4)),
    "huber_reduction": _bad("huber_loss", _floats, reduction="avg", delta=0.0),
    "huber_weight_reduction": _bad("huber_loss", _floats, reduction="avg", weight="w"),
    "huber_weight_delta": _bad("huber_loss", _floats, reduction="avg", delta=0, weight="w"),
    "huber_weight_shape": _bad("huber_loss", _floats, weight="w3"),
    "huber_zero_delta": _bad("huber_loss", _floats, delta=0.0),
    "huber_negative_delta": _bad("huber_loss", _floats, delta=-2),
    "huber_int": _bad("huber_loss", lambda L: (L.tensor([1, 2]), L.tensor([3, 1]))),
    "huber_int_delta": _bad("huber_loss", lambda L: (L.tensor([1, 2]), L.tensor([3, 1])), delta=0),
    "huber_int_input": _bad("huber_loss", lambda L: (L.tensor([1, 2]), L.tensor([3.0, 1]))),
    "huber_bool": _bad("huber_loss", lambda L: (L.tensor([True]), L.tensor([True]))),
}


@pytest.mark.parametrize("case", list(BAD_LOSS_INPUT))
def test_loss_bad_input_fails_like_torch(case):
    name, make, kwargs = BAD_LOSS_INPUT[case]

    def scenario(lib):
        # the weight placeholders "w", "w3" become tensors of 2 and 3 ones
        weights = {"w": lib.ones(2), "w3": lib.ones(3)}
        args = {k: (weights[v] if k == "weight" else v) for k, v in kwargs.items()}
        functional = torch.nn.functional if lib is torch else F
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the size warning (tested above)
            return getattr(functional, name)(*make(lib), **args)

    assert assert_same(scenario)[0] == "error"


@pytest.mark.filterwarnings("error")
def test_empty_input_gives_nan_like_torch():
    for name in ["l1_loss", "smooth_l1_loss", "huber_loss", "mse_loss"]:
        ours = getattr(F, name)(mt.ones(0), mt.ones(0))
        theirs = getattr(torch.nn.functional, name)(torch.ones(0), torch.ones(0))
        assert np.isnan(ours.item()) and np.isnan(theirs.item())


# --------------------------------------------------------------------------
# Loss modules
# --------------------------------------------------------------------------

MODULES = [
    ("L1Loss", {}),
    ("L1Loss", {"reduction": "sum"}),
    ("SmoothL1Loss", {}),
    ("SmoothL1Loss", {"beta": 0.25, "reduction": "none"}),
    ("HuberLoss", {}),
    ("HuberLoss", {"delta": 0.3, "reduction": "sum"}),
]


@pytest.mark.parametrize(("module", "kwargs"), MODULES)
def test_loss_modules_like_torch(module, kwargs, device):
    def fn(lib, input, target):
        loss_fn = getattr(lib.nn, module)(**kwargs)
        return loss_fn(input, target)

    compare(fn, X, Y, device=device, rtol=2e-6, atol=1e-6)
    ours, theirs = getattr(nn, module)(**kwargs), getattr(torch.nn, module)(**kwargs)
    assert repr(ours) == repr(theirs) == f"{module}()"
    assert ours.reduction == theirs.reduction
    assert getattr(ours, "beta", None) == getattr(theirs, "beta", None)
    assert getattr(ours, "delta", None) == getattr(theirs, "delta", None)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == []


def test_smooth_l1_module_legacy_arguments_like_torch():
    def scenario(lib):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            loss_fn = lib.nn.SmoothL1Loss(reduce=False, beta=0.5)
        return loss_fn.reduction, [str(w.message) for w in caught]

    assert assert_same(scenario) == (
        "none",
        ["size_average and reduce args will be deprecated, please use reduction='none' instead."],
    )


@pytest.mark.parametrize("module", ["L1Loss", "SmoothL1Loss", "HuberLoss", "MSELoss"])
def test_loss_module_checks_its_reduction_when_called_like_torch(module):
    def scenario(lib):
        loss_fn = getattr(lib.nn, module)(reduction="avg")  # accepted here, as in PyTorch
        return loss_fn(lib.ones(2), lib.zeros(2))

    assert assert_same(scenario) == (
        "error",
        "ValueError",
        "avg is not a valid value for reduction",
    )
