"""RMSprop and Adagrad against PyTorch.

The optimizers are trained side by side with torch.optim from the same
weights (tests/test_optim.py's helpers), and their settings, state, errors
and state_dict round trips must be PyTorch's.
"""

import numpy as np
import pytest
import torch
from test_optim import data, error_of, make_models, train_side_by_side

import minitensor as mt
from minitensor import optim
from minitensor.nn import functional as F
from tests.optim_helpers import step_both

RMSPROP_CASES = [
    {},
    {"lr": 0.005, "alpha": 0.9},
    {"lr": 0.01, "centered": True},
    {"lr": 0.01, "momentum": 0.9},
    {"lr": 0.005, "momentum": 0.5, "centered": True, "weight_decay": 0.1, "eps": 1e-4},
    {"lr": 0.01, "alpha": 0.3, "centered": True},  # lerp weight >= 0.5: PyTorch's other branch
    {"lr": 0.01, "maximize": True, "momentum": 0.3},
]

ADAGRAD_CASES = [
    {},
    {"lr": 0.1},
    {"lr": 0.1, "lr_decay": 0.05},
    {"lr": 0.05, "weight_decay": 0.1, "initial_accumulator_value": 0.5},
    {"lr": 0.1, "eps": 1e-3, "lr_decay": 0.01, "maximize": True},
]


def assert_same_state(opt, torch_opt, keys, steps, rtol=2e-5, atol=1e-7):
    for p, q in zip(opt.param_groups[0]["params"], torch_opt.param_groups[0]["params"]):
        state, torch_state = opt.state[p], torch_opt.state[q]
        assert list(state) == list(torch_state)  # the same keys, in the same order
        assert state["step"].item() == torch_state["step"].item() == steps
        for key in keys:
            if key in torch_state:
                np.testing.assert_allclose(
                    state[key].numpy(), torch_state[key].numpy(), rtol=rtol, atol=atol, err_msg=key
                )


@pytest.mark.parametrize("kwargs", RMSPROP_CASES)
def test_rmsprop_matches_torch_step_by_step(kwargs):
    opt, torch_opt, *_ = train_side_by_side("RMSprop", kwargs)
    # The buffer sums g / sqrt(v - m^2): last-bit differences in the two libraries' gradients
    # grow there when v - m^2 is small (centered), so it gets a looser tolerance.
    assert_same_state(opt, torch_opt, ("square_avg", "grad_avg"), 8)
    assert_same_state(opt, torch_opt, ("momentum_buffer",), 8, rtol=2e-4, atol=1e-6)


@pytest.mark.parametrize("kwargs", ADAGRAD_CASES)
def test_adagrad_matches_torch_step_by_step(kwargs):
    opt, torch_opt, *_ = train_side_by_side("Adagrad", kwargs)
    assert_same_state(opt, torch_opt, ("sum",), 8)


@pytest.mark.parametrize(
    ("opt_name", "kwargs"),
    [("RMSprop", kwargs) for kwargs in RMSPROP_CASES] + [("Adagrad", k) for k in ADAGRAD_CASES],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_same_gradients_give_the_same_updates(opt_name, kwargs, dtype):
    # Gradients set by hand, identical in both libraries: only the update rule is compared.
    rng = np.random.default_rng(7)
    start = [rng.normal(size=(3, 4)).astype(dtype), rng.normal(size=5).astype(dtype)]
    ours = [mt.tensor(a, requires_grad=True) for a in start]
    theirs = [torch.tensor(a, requires_grad=True) for a in start]
    opt = getattr(optim, opt_name)(ours, **kwargs)
    torch_opt = getattr(torch.optim, opt_name)(theirs, **kwargs)
    # Parameters near 0 come from cancellations: an absolute tolerance of about one ulp of 1.
    rtol, atol = (1e-6, 1e-7) if dtype == "float32" else (1e-14, 1e-15)
    for _ in range(10):
        for p, q in zip(ours, theirs):
            g = rng.normal(size=p.shape).astype(dtype) + 0.5  # a drift: m stays away from 0
            p.grad, q.grad = mt.tensor(g), torch.tensor(g)
        opt.step()
        torch_opt.step()
        for p, q in zip(ours, theirs):
            np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=rtol, atol=atol)
    for p, q in zip(ours, theirs):
        for key, value in torch_opt.state[q].items():
            np.testing.assert_allclose(
                opt.state[p][key].numpy(), value.numpy(), rtol=rtol, atol=atol
            )


@pytest.mark.parametrize(
    ("opt_name", "kwargs"),
    [
        ("RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True, "weight_decay": 0.01}),
        ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.01}),
    ],
)
def test_float64_updates_agree_to_rounding(opt_name, kwargs):
    train_side_by_side(opt_name, kwargs, steps=10, dtype=mt.float64, rtol=1e-11, atol=1e-13)


OPTIONS = [
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.1, "momentum": 0.9, "centered": True, "capturable": True}),
    ("RMSprop", {"foreach": False, "maximize": True}),
    ("Adagrad", {}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.1, "initial_accumulator_value": 0.25, "foreach": True}),
    ("Adagrad", {"fused": True, "maximize": True}),
]


@pytest.mark.parametrize(("opt_name", "kwargs"), OPTIONS)
def test_optimizer_repr_and_param_groups_match_torch(opt_name, kwargs):
    ours = getattr(optim, opt_name)([mt.ones(2, requires_grad=True)], **kwargs)
    theirs = getattr(torch.optim, opt_name)([torch.ones(2, requires_grad=True)], **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.param_groups[0]) == list(theirs.param_groups[0])
    assert ours.defaults == theirs.defaults
    # Adagrad's state exists from the start (step 0, sum filled): printed as PyTorch prints it.
    assert repr(ours.state_dict()) == repr(theirs.state_dict())


def test_positional_arguments_are_torchs():
    # RMSprop's capturable comes before foreach and maximize; Adagrad's foreach is positional.
    args = (0.02, 0.9, 1e-6, 0.1, 0.5, True, True, False, True)
    ours = optim.RMSprop([mt.ones(1, requires_grad=True)], *args)
    theirs = torch.optim.RMSprop([torch.ones(1, requires_grad=True)], *args)
    assert repr(ours) == repr(theirs)
    args = (0.02, 0.1, 0.2, 0.3, 1e-5, False)
    ours = optim.Adagrad([mt.ones(1, requires_grad=True)], *args, maximize=True)
    theirs = torch.optim.Adagrad([torch.ones(1, requires_grad=True)], *args, maximize=True)
    assert repr(ours) == repr(theirs)


BAD_ARGUMENTS = [
    ("RMSprop", {"lr": -0.1}),
    ("RMSprop", {"eps": -1.0}),
    ("RMSprop", {"momentum": -0.9}),
    ("RMSprop", {"weight_decay": -0.1}),
    ("RMSprop", {"alpha": -0.5}),
    ("Adagrad", {"lr": -0.1}),
    ("Adagrad", {"lr_decay": -0.1}),
    ("Adagrad", {"weight_decay": -0.1}),
    ("Adagrad", {"initial_accumulator_value": -1.0}),
    ("Adagrad", {"eps": -1e-10}),
    ("Adagrad", {"fused": True, "foreach": True}),
    ("Adagrad", {"fused": True, "differentiable": True}),
]


@pytest.mark.parametrize(("opt_name", "kwargs"), BAD_ARGUMENTS)
def test_bad_settings_fail_like_torch(opt_name, kwargs):
    expected = error_of(lambda: getattr(torch.optim, opt_name)([torch.ones(1)], **kwargs))
    assert error_of(lambda: getattr(optim, opt_name)([mt.ones(1)], **kwargs)) == expected


@pytest.mark.parametrize("opt_name", ["RMSprop", "Adagrad"])
def test_bad_parameter_lists_fail_like_torch(opt_name):
    expected = error_of(lambda: getattr(torch.optim, opt_name)([]))
    assert error_of(lambda: getattr(optim, opt_name)([])) == expected


@pytest.mark.parametrize("opt_name", ["RMSprop", "Adagrad"])
def test_differentiable_steps_are_refused_clearly(opt_name):
    with pytest.raises(NotImplementedError, match="differentiable=True is not supported"):
        getattr(optim, opt_name)([mt.ones(1, requires_grad=True)], differentiable=True)


def test_adagrad_group_added_later_gets_its_state_at_its_first_step():
    # PyTorch fills the new group's sum from the constructor's initial_accumulator_value,
    # not from the group's own value.
    a, b = mt.tensor([1.0, -2.0], requires_grad=True), mt.tensor([3.0], requires_grad=True)
    ta, tb = torch.tensor([1.0, -2.0], requires_grad=True), torch.tensor([3.0], requires_grad=True)
    opt = optim.Adagrad([a], lr=0.5, initial_accumulator_value=0.1)
    torch_opt = torch.optim.Adagrad([ta], lr=0.5, initial_accumulator_value=0.1)
    for o, p in ((opt, b), (torch_opt, tb)):
        o.add_param_group({"params": [p], "lr": 0.2, "initial_accumulator_value": 7.0})
    assert (b in opt.state) == (tb in torch_opt.state)
    for _ in range(3):
        step_both([((a, b), opt), ((ta, tb), torch_opt)], lambda ps: (ps[0] ** 2).sum() + ps[1][0])
    assert a.tolist() == pytest.approx(ta.tolist(), rel=1e-6)
    assert b.tolist() == pytest.approx(tb.tolist(), rel=1e-6)
    assert opt.state[b]["sum"].tolist() == pytest.approx(torch_opt.state[tb]["sum"].tolist())
    assert opt.state[b]["step"].item() == torch_opt.state[tb]["step"].item()


@pytest.mark.parametrize(
    ("opt_name", "kwargs"),
    [("RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True}), ("Adagrad", {"lr": 0.1})],
)
def test_optimizer_state_dict_round_trip_continues_identically(opt_name, kwargs):
    model, _ = make_models(2)
    opt = getattr(optim, opt_name)(model.parameters(), **kwargs)
    x, y = (mt.from_numpy(a) for a in data(2))

    def train(m, o, steps):
        for _ in range(steps):
            o.zero_grad()
            F.cross_entropy(m(x), y).backward()
            o.step()

    train(model, opt, 3)
    copy_model, _ = make_models(3)
    copy_model.load_state_dict(model.state_dict())
    copy_opt = getattr(optim, opt_name)(copy_model.parameters(), lr=0.5)
    copy_opt.load_state_dict(opt.state_dict())
    train(model, opt, 3)
    train(copy_model, copy_opt, 3)
    for p, q in zip(model.parameters(), copy_model.parameters()):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
