"""The learning-rate schedulers against PyTorch.

The schedulers drive an SGD optimizer in both libraries, and every learning
rate they produce must be the same float as PyTorch's: the recursions are
PyTorch's, in its order.
"""

import math
import warnings

import numpy as np
import pytest
import torch
from test_optim import data, error_of, make_models

import minitensor as mt
from minitensor import optim
from minitensor.nn import functional as F
from minitensor.optim import lr_scheduler
from tests.optim_helpers import step_both

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
