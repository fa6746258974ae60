"""RMSprop, Adagrad and the learning-rate schedulers against PyTorch.

The optimizers are trained side by side with torch.optim from the same
weights (tests/test_optim.py's helpers). The schedulers drive an SGD
optimizer in both libraries, and every learning rate they produce must be
the same float as PyTorch's: the recursions are PyTorch's, in its order.
"""

import math
import warnings

import numpy as np
import pytest
import torch
from test_optim import data, error_of, make_models, train_side_by_side

import minitensor as mt
from minitensor import optim
from minitensor.nn import functional as F
from minitensor.optim import lr_scheduler

# ----------------------------------------------------------------------
# RMSprop and Adagrad
# ----------------------------------------------------------------------

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


def step_both(pairs, loss_of):
    """One step of each (tensors, optimizer) pair, the loss built by loss_of(tensors)."""
    for params, opt in pairs:
        opt.zero_grad()
        loss_of(params).backward()
        opt.step()


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


# ----------------------------------------------------------------------
# Learning-rate schedulers
# ----------------------------------------------------------------------

GROUP_LRS = [0.1, 0.05, 0.3]


def sgd_pair(lrs=GROUP_LRS):
    """The same SGD optimizer in both libraries, one parameter group per lr."""
    groups = [{"params": [mt.ones(2, requires_grad=True)], "lr": lr} for lr in lrs]
    torch_groups = [{"params": [torch.ones(2, requires_grad=True)], "lr": lr} for lr in lrs]
    return optim.SGD(groups, lr=0.01), torch.optim.SGD(torch_groups, lr=0.01)


class Warmup:
    """A callable object: LambdaLR saves its attributes in state_dict()."""

    def __init__(self, epochs):
        self.epochs = epochs

    def __call__(self, epoch):
        return min(1.0, (epoch + 1) / self.epochs)


SCHEDULERS = [
    ("StepLR", {"step_size": 3}),
    ("StepLR", {"step_size": 4, "gamma": 0.5}),
    ("MultiStepLR", {"milestones": [5, 10, 10, 25]}),
    ("MultiStepLR", {"milestones": [2, 8], "gamma": 0.7}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("CosineAnnealingLR", {"T_max": 10}),
    ("CosineAnnealingLR", {"T_max": 7, "eta_min": 0.01}),  # past T_max it climbs back up
    ("LambdaLR", {"lr_lambda": lambda epoch: 0.95**epoch}),
    ("LambdaLR", {"lr_lambda": [lambda e: 1 / (e + 1), Warmup(5), lambda e: e % 3]}),
]


def make_schedulers(name, kwargs, **extra):
    opt, torch_opt = sgd_pair()
    ours = getattr(lr_scheduler, name)(opt, **kwargs, **extra)
    theirs = getattr(torch.optim.lr_scheduler, name)(torch_opt, **kwargs, **extra)
    return opt, torch_opt, ours, theirs


def step_schedulers(opt, torch_opt, ours, theirs, steps):
    for _ in range(steps):
        opt.step()
        ours.step()
        torch_opt.step()
        theirs.step()
        assert ours.get_last_lr() == theirs.get_last_lr()  # exact floats
        assert [g["lr"] for g in opt.param_groups] == [g["lr"] for g in torch_opt.param_groups]


@pytest.mark.parametrize(("name", "kwargs"), SCHEDULERS)
def test_scheduler_lrs_equal_torchs_step_by_step(name, kwargs):
    opt, torch_opt, ours, theirs = make_schedulers(name, kwargs)
    assert ours.get_last_lr() == theirs.get_last_lr()
    assert ours.last_epoch == theirs.last_epoch == 0
    assert ours.base_lrs == theirs.base_lrs
    assert [g["initial_lr"] for g in opt.param_groups] == GROUP_LRS
    step_schedulers(opt, torch_opt, ours, theirs, 35)
    assert ours.last_epoch == theirs.last_epoch == 35
    assert repr(opt) == repr(torch_opt)  # initial_lr appears among the group settings


def test_cosine_annealing_follows_the_cosine_formula():
    # The recursion approximates the closed formula; check it reaches the right values.
    opt, _, ours, _ = make_schedulers("CosineAnnealingLR", {"T_max": 8})
    for t in range(1, 17):
        opt.step()
        ours.step()
        expected = [lr * (1 + math.cos(math.pi * t / 8)) / 2 for lr in GROUP_LRS]
        assert ours.get_last_lr() == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize(("name", "kwargs"), SCHEDULERS[:7])
def test_scheduler_state_dict_round_trip_continues_identically(name, kwargs):
    opt, torch_opt, ours, theirs = make_schedulers(name, kwargs)
    step_schedulers(opt, torch_opt, ours, theirs, 9)
    saved = ours.state_dict()
    assert repr(saved) == repr(theirs.state_dict())  # same keys, order and values
    # Resume: a new optimizer and scheduler, then the optimizer's state, then the scheduler's.
    resumed_opt, _ = sgd_pair([1.0, 1.0, 1.0])
    resumed = getattr(lr_scheduler, name)(resumed_opt, **kwargs)
    resumed_opt.load_state_dict(opt.state_dict())
    resumed.load_state_dict(saved)
    step_schedulers(opt, torch_opt, ours, theirs, 20)
    for _ in range(20):
        resumed_opt.step()
        resumed.step()
    assert resumed.get_last_lr() == ours.get_last_lr() == theirs.get_last_lr()
    assert resumed.state_dict() == ours.state_dict()


def test_lambda_lr_state_dict_keeps_callable_objects_not_functions():
    lambdas = [lambda e: 1.0, Warmup(5), lambda e: 0.5]
    opt, torch_opt, ours, theirs = make_schedulers("LambdaLR", {"lr_lambda": lambdas})
    step_schedulers(opt, torch_opt, ours, theirs, 3)
    assert repr(ours.state_dict()) == repr(theirs.state_dict())
    assert ours.state_dict()["lr_lambdas"] == [None, {"epochs": 5}, None]
    warmup = Warmup(100)
    resumed = lr_scheduler.LambdaLR(sgd_pair()[0], [lambda e: 1.0, warmup, lambda e: 0.5])
    resumed.load_state_dict(ours.state_dict())
    assert warmup.epochs == 5
    assert resumed.last_epoch == 3


def test_resuming_with_last_epoch_needs_initial_lr_like_torch():
    opt, torch_opt = sgd_pair()
    expected = error_of(lambda: torch.optim.lr_scheduler.StepLR(torch_opt, 3, last_epoch=4))
    assert error_of(lambda: lr_scheduler.StepLR(opt, 3, last_epoch=4)) == expected


def test_resuming_with_last_epoch_continues_like_torch():
    opt, torch_opt = sgd_pair()
    for group in opt.param_groups + torch_opt.param_groups:
        group["initial_lr"] = 1.0
    ours = lr_scheduler.ExponentialLR(opt, 0.5, last_epoch=4)
    theirs = torch.optim.lr_scheduler.ExponentialLR(torch_opt, 0.5, last_epoch=4)
    assert ours.base_lrs == theirs.base_lrs == [1.0, 1.0, 1.0]
    assert ours.get_last_lr() == theirs.get_last_lr() == GROUP_LRS  # the lrs are kept
    step_schedulers(opt, torch_opt, ours, theirs, 5)


def test_stepping_with_an_epoch_warns_and_uses_the_closed_form_like_torch():
    for name, kwargs in SCHEDULERS[:7]:
        _, _, ours, theirs = make_schedulers(name, kwargs)
        for epoch in (7, 3, 20):
            with pytest.warns(UserWarning) as record:
                ours.step(epoch)
            with pytest.warns(UserWarning) as torch_record:
                theirs.step(epoch)
            assert [str(w.message) for w in record] == [str(w.message) for w in torch_record]
            assert ours.get_last_lr() == theirs.get_last_lr()


def messages(fn):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fn()
    return [(w.category, str(w.message)) for w in record]


def test_scheduler_step_before_optimizer_step_warns_like_torch():
    opt, torch_opt = sgd_pair()
    ours, theirs = lr_scheduler.StepLR(opt, 2), torch.optim.lr_scheduler.StepLR(torch_opt, 2)
    expected = messages(theirs.step)
    assert len(expected) == 1 and "before `optimizer.step()`" in expected[0][1]
    assert messages(ours.step) == expected
    assert messages(ours.step) == messages(theirs.step) == []  # only the first time


def test_right_order_does_not_warn():
    opt, torch_opt, ours, theirs = make_schedulers("StepLR", {"step_size": 2})
    assert messages(lambda: (opt.step(), ours.step())) == []
    assert messages(lambda: (torch_opt.step(), theirs.step())) == []


def test_overriding_optimizer_step_after_creating_the_scheduler_warns_like_torch():
    opt, torch_opt, ours, theirs = make_schedulers("StepLR", {"step_size": 2})
    opt.step = lambda closure=None: None
    torch_opt.step = lambda closure=None: None
    expected = messages(theirs.step)
    assert len(expected) == 1 and "overridden" in expected[0][1]
    assert messages(ours.step) == expected


def test_two_schedulers_on_one_optimizer_wrap_its_step_once():
    opt, _ = sgd_pair()
    first = lr_scheduler.StepLR(opt, 2)
    wrapped = opt.step
    lr_scheduler.ExponentialLR(opt, 0.9)
    assert opt.step is wrapped
    opt.step()
    assert messages(first.step) == []


def test_calling_get_lr_directly_warns_like_torch():
    _, _, ours, theirs = make_schedulers("ExponentialLR", {"gamma": 0.5})
    expected = messages(theirs.get_lr)
    assert expected == [(UserWarning, "To get the last learning rate computed by the scheduler, "
                                      "please use `get_last_lr()`.")]  # fmt: skip
    assert messages(ours.get_lr) == expected
    with pytest.warns(UserWarning):
        lrs = ours.get_lr()
    with pytest.warns(UserWarning):
        assert lrs == theirs.get_lr()


@pytest.mark.parametrize(
    "make",
    [
        lambda lib, opt: lib.optim.lr_scheduler.StepLR(object(), 3),
        lambda lib, opt: lib.optim.lr_scheduler.LambdaLR(opt, [lambda e: 1.0] * 2),
        lambda lib, opt: lib.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=1.0),
        lambda lib, opt: lib.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="biggest"),
        lambda lib, opt: lib.optim.lr_scheduler.ReduceLROnPlateau(opt, threshold_mode="x"),
        lambda lib, opt: lib.optim.lr_scheduler.ReduceLROnPlateau(opt, min_lr=[0.0, 0.1]),
        lambda lib, opt: lib.optim.lr_scheduler.ReduceLROnPlateau(object()),
    ],
)
def test_bad_scheduler_arguments_fail_like_torch(make):
    opt, torch_opt = sgd_pair()
    assert error_of(lambda: make(mt, opt)) == error_of(lambda: make(torch, torch_opt))


def test_scheduled_training_matches_torch():
    # A scheduler changing lr between steps changes the updates the same way in both.
    model, reference = make_models(5)
    opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    torch_opt = torch.optim.SGD(reference.parameters(), lr=0.5, momentum=0.9)
    ours = lr_scheduler.CosineAnnealingLR(opt, T_max=5, eta_min=0.05)
    theirs = torch.optim.lr_scheduler.CosineAnnealingLR(torch_opt, T_max=5, eta_min=0.05)
    x, y = data(5)
    for _ in range(8):
        step_both([((), opt)], lambda _: F.cross_entropy(model(mt.from_numpy(x)), mt.from_numpy(y)))
        step_both(
            [((), torch_opt)],
            lambda _: torch.nn.functional.cross_entropy(
                reference(torch.from_numpy(x)), torch.from_numpy(y)
            ),
        )
        ours.step()
        theirs.step()
        assert ours.get_last_lr() == theirs.get_last_lr()
    for p, q in zip(model.parameters(), reference.parameters()):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=2e-5, atol=1e-6)


PLATEAU_METRICS = [1.0, 0.9, 0.9, 0.95, 0.91, 0.9, 0.89999, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.4]
PLATEAU_METRICS = PLATEAU_METRICS + [0.4] * 10 + [0.3, 0.35, 0.2] + [0.2] * 14


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"patience": 2},
        {"patience": 0, "factor": 0.5, "cooldown": 2},
        {"mode": "max", "patience": 1, "threshold": 0.05},
        {"patience": 1, "threshold_mode": "abs", "threshold": 0.05, "min_lr": 0.004},
        {"mode": "max", "threshold_mode": "abs", "patience": 0, "min_lr": [0.01, 0.02, 0.003]},
        {"patience": 0, "factor": 0.9, "eps": 0.02},  # reductions smaller than eps are skipped
    ],
)
def test_reduce_lr_on_plateau_matches_torch(kwargs):
    opt, torch_opt = sgd_pair()
    ours = lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(torch_opt, **kwargs)
    assert ours.state_dict() == theirs.state_dict()
    for i, metric in enumerate(PLATEAU_METRICS):
        opt.step()
        torch_opt.step()
        ours.step(mt.tensor(metric) if i % 2 else metric)  # a number or a 0-d tensor
        theirs.step(torch.tensor(metric) if i % 2 else metric)
        assert ours.get_last_lr() == theirs.get_last_lr()
        assert (ours.num_bad_epochs, ours.cooldown_counter) == (
            theirs.num_bad_epochs,
            theirs.cooldown_counter,
        )
    assert repr(ours.state_dict()) == repr(theirs.state_dict())
    assert [g["lr"] for g in opt.param_groups] == [g["lr"] for g in torch_opt.param_groups]
    assert ours.get_last_lr() != GROUP_LRS or kwargs.get("eps")  # something happened


def test_reduce_lr_on_plateau_state_dict_round_trip():
    opt, _ = sgd_pair()
    ours = lr_scheduler.ReduceLROnPlateau(opt, mode="max", patience=1)
    for metric in PLATEAU_METRICS[:9]:
        ours.step(metric)
    resumed = lr_scheduler.ReduceLROnPlateau(sgd_pair()[0])
    resumed.load_state_dict(ours.state_dict())
    resumed.optimizer.load_state_dict(opt.state_dict())
    for metric in PLATEAU_METRICS[9:]:
        ours.step(metric)
        resumed.step(metric)
        assert resumed.get_last_lr() == ours.get_last_lr()
    assert resumed.mode == "max" and resumed.state_dict() == ours.state_dict()


def test_reduce_lr_on_plateau_after_a_new_group_like_torch():
    results = []
    for lib, optim_lib in ((mt, optim), (torch, torch.optim)):
        opt = optim_lib.SGD([lib.ones(1, requires_grad=True)], lr=1.0)
        scheduler = optim_lib.lr_scheduler.ReduceLROnPlateau(opt, patience=0, min_lr=[0.1])
        scheduler.step(1.0)
        opt.add_param_group({"params": [lib.ones(1, requires_grad=True)], "lr": 2.0})
        results.append(error_of(lambda s=scheduler: s.step(2.0)))
    assert results[0] == results[1]
