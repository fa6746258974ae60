"""minitensor.optim against torch.optim, step by step from the same weights.

Each test builds the same model in both libraries (PyTorch's weights copied
from minitensor's), runs the classic loop (zero_grad, loss, backward, step)
for several steps on the same data, and compares every parameter after
every step, and the optimizer's state.
"""

import numpy as np
import pytest
import torch

import minitensor as mt
from minitensor import nn, optim
from minitensor.nn import functional as F
from tests.oracle import gpu as oracle_gpu


def to_torch(t):
    return torch.from_numpy(t.detach().cpu().numpy().copy())


def make_models(seed=0, dtype=mt.float32):
    mt.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3)).to(dtype)
    reference = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 3))
    reference.load_state_dict({k: to_torch(v) for k, v in model.state_dict().items()})
    return model, reference


def data(seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(8, 4)).astype(dtype), rng.integers(0, 3, size=8)


def assert_same_parameters(model, reference, rtol, atol, where=""):
    for (name, p), q in zip(model.named_parameters(), reference.parameters()):
        np.testing.assert_allclose(
            p.detach().cpu().numpy(), q.detach().numpy(), rtol=rtol, atol=atol, err_msg=name + where
        )


def train_side_by_side(opt_name, kwargs, steps=8, dtype=mt.float32, rtol=2e-5, atol=1e-6):
    model, reference = make_models(dtype=dtype)
    if dtype == mt.float64:
        reference.double()
    x, y = data(dtype=np.float64 if dtype == mt.float64 else np.float32)
    opt = getattr(optim, opt_name)(model.parameters(), **kwargs)
    torch_opt = getattr(torch.optim, opt_name)(reference.parameters(), **kwargs)
    mx, my, tx, ty = mt.from_numpy(x), mt.from_numpy(y), torch.from_numpy(x), torch.from_numpy(y)
    for step in range(steps):
        opt.zero_grad()
        loss = F.cross_entropy(model(mx), my)
        loss.backward()
        opt.step()
        torch_opt.zero_grad()
        torch_loss = torch.nn.functional.cross_entropy(reference(tx), ty)
        torch_loss.backward()
        torch_opt.step()
        assert loss.item() == pytest.approx(torch_loss.item(), rel=rtol, abs=atol)
        assert_same_parameters(model, reference, rtol, atol, where=f" after step {step + 1}")
    return opt, torch_opt, model, reference


SGD_CASES = [
    {"lr": 0.1},
    {"lr": 0.1, "momentum": 0.9},
    {"lr": 0.1, "momentum": 0.9, "dampening": 0.5},
    {"lr": 0.1, "momentum": 0.9, "nesterov": True},
    {"lr": 0.1, "weight_decay": 0.01},
    {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.1, "nesterov": True},
    {"lr": 0.1, "momentum": 0.5, "maximize": True},
]

ADAM_CASES = [
    {},
    {"lr": 0.01},
    {"lr": 0.01, "amsgrad": True},
    {"lr": 0.01, "weight_decay": 0.1},
    {"lr": 0.02, "betas": (0.8, 0.9), "eps": 1e-6, "weight_decay": 0.1, "amsgrad": True},
    {"lr": 0.01, "maximize": True},
]


@pytest.mark.parametrize("kwargs", SGD_CASES)
def test_sgd_matches_torch_step_by_step(kwargs):
    opt, torch_opt, *_ = train_side_by_side("SGD", kwargs)
    if kwargs.get("momentum"):
        for p, q in zip(opt.param_groups[0]["params"], torch_opt.param_groups[0]["params"]):
            np.testing.assert_allclose(
                opt.state[p]["momentum_buffer"].numpy(),
                torch_opt.state[q]["momentum_buffer"].numpy(),
                rtol=2e-5,
                atol=1e-6,
            )


@pytest.mark.parametrize("kwargs", ADAM_CASES)
def test_adam_matches_torch_step_by_step(kwargs):
    opt, torch_opt, *_ = train_side_by_side("Adam", kwargs)
    for p, q in zip(opt.param_groups[0]["params"], torch_opt.param_groups[0]["params"]):
        state, torch_state = opt.state[p], torch_opt.state[q]
        assert sorted(state) == sorted(torch_state)
        assert state["step"].item() == torch_state["step"].item() == 8
        for key in ("exp_avg", "exp_avg_sq", "max_exp_avg_sq"):
            if key in state:
                np.testing.assert_allclose(
                    state[key].numpy(), torch_state[key].numpy(), rtol=2e-5, atol=1e-7
                )


@pytest.mark.parametrize("kwargs", [{}, {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}])
def test_adamw_matches_torch_step_by_step(kwargs):
    train_side_by_side("AdamW", kwargs)


@pytest.mark.parametrize(
    ("opt_name", "kwargs"),
    [
        ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
        ("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.01}),
    ],
)
def test_float64_updates_agree_to_rounding(opt_name, kwargs):
    # In float64 the same formulas in the same order leave only last-bit differences.
    train_side_by_side(opt_name, kwargs, steps=10, dtype=mt.float64, rtol=1e-11, atol=1e-13)


def test_param_groups_with_their_own_settings_match_torch():
    model, reference = make_models(1)
    groups = [
        {"params": model[0].parameters(), "lr": 0.01},
        {"params": model[2].parameters()},
    ]
    torch_groups = [
        {"params": reference[0].parameters(), "lr": 0.01},
        {"params": reference[2].parameters()},
    ]
    opt = optim.SGD(groups, lr=0.2, momentum=0.9)
    torch_opt = torch.optim.SGD(torch_groups, lr=0.2, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [0.01, 0.2]
    x, y = data(1)
    for _ in range(3):
        for m, o, lib, func in ((model, opt, mt, F), (reference, torch_opt, torch, None)):
            o.zero_grad()
            inputs, targets = lib.from_numpy(x), lib.from_numpy(y)
            loss_fn = F.cross_entropy if func else torch.nn.functional.cross_entropy
            loss_fn(m(inputs), targets).backward()
            o.step()
    assert_same_parameters(model, reference, 2e-5, 1e-6)


def test_parameters_without_gradient_are_not_touched():
    used = mt.tensor([1.0, 2.0], requires_grad=True)
    unused = mt.tensor([3.0], requires_grad=True)
    opt = optim.Adam([used, unused], lr=0.1)
    (used * used).sum().backward()
    opt.step()
    assert unused.tolist() == [3.0]
    assert unused not in opt.state or not opt.state[unused]
    assert used.tolist() != [1.0, 2.0]


def test_step_updates_in_place_and_bumps_the_version():
    w = nn.Parameter(mt.tensor([1.0, -1.0]))
    opt = optim.SGD([w], lr=0.5)
    x = mt.tensor([2.0, 3.0])
    (w * x).sum().backward()
    before = w
    y = w * x  # saves w for its backward
    opt.step()
    assert w is before and w.tolist() == [0.0, -2.5]
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_zero_grad_to_none_or_zeros():
    w = mt.tensor([1.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    (w * 2).sum().backward()
    opt.zero_grad(set_to_none=False)
    assert w.grad.tolist() == [0.0]
    opt.zero_grad()
    assert w.grad is None


def test_closure_is_evaluated_and_its_loss_returned():
    w = mt.tensor([1.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with mt.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 1.0
    assert w.item() == pytest.approx(0.8)


def test_optimizer_state_dict_round_trip_continues_identically():
    model, _ = make_models(2)
    opt = optim.Adam(model.parameters(), lr=0.01, amsgrad=True)
    x, y = mt.from_numpy(data(2)[0]), mt.from_numpy(data(2)[1])

    def train(m, o, steps):
        for _ in range(steps):
            o.zero_grad()
            F.cross_entropy(m(x), y).backward()
            o.step()

    train(model, opt, 3)
    saved_model, saved_opt = model.state_dict(), opt.state_dict()
    assert sorted(saved_opt) == ["param_groups", "state"]
    assert saved_opt["param_groups"][0]["params"] == [0, 1, 2, 3]
    copy_model, _ = make_models(3)
    copy_model.load_state_dict(saved_model)
    copy_opt = optim.Adam(copy_model.parameters(), lr=0.5)
    copy_opt.load_state_dict(saved_opt)
    assert copy_opt.param_groups[0]["lr"] == 0.01
    train(model, opt, 3)
    train(copy_model, copy_opt, 3)
    for p, q in zip(model.parameters(), copy_model.parameters()):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


def error_of(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value), str(info.value)


BAD_ARGUMENTS = [
    ("SGD", {"lr": -0.1}),
    ("SGD", {"lr": 0.1, "momentum": -0.5}),
    ("SGD", {"lr": 0.1, "weight_decay": -1}),
    ("SGD", {"lr": 0.1, "nesterov": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True}),
    ("Adam", {"lr": -1.0}),
    ("Adam", {"eps": -1e-8}),
    ("Adam", {"betas": (1.0, 0.999)}),
    ("Adam", {"betas": (0.9, -0.1)}),
    ("Adam", {"weight_decay": -0.1}),
]


@pytest.mark.parametrize(("opt_name", "kwargs"), BAD_ARGUMENTS)
def test_bad_settings_fail_like_torch(opt_name, kwargs):
    expected = error_of(lambda: getattr(torch.optim, opt_name)([torch.ones(1)], **kwargs))
    assert error_of(lambda: getattr(optim, opt_name)([mt.ones(1)], **kwargs)) == expected


@pytest.mark.parametrize(
    "make_params",
    [
        lambda lib: [],
        lambda lib: lib.ones(2, requires_grad=True),  # a tensor, not an iterable of them
        lambda lib: [lib.ones(2, requires_grad=True) * 2],  # not a leaf
        lambda lib: [[1.0, 2.0]],
    ],
)
def test_bad_parameter_lists_fail_like_torch(make_params):
    torch_type, torch_message = error_of(lambda: torch.optim.SGD(make_params(torch), lr=0.1))
    mt_type, mt_message = error_of(lambda: optim.SGD(make_params(mt), lr=0.1))
    assert mt_type is torch_type
    if "but got torch" in torch_message:  # PyTorch names its own type: torch.FloatTensor
        torch_message = torch_message.replace("torch.", "minitensor.")
    assert mt_message == torch_message.replace("torch", "minitensor")


def test_param_group_as_a_set_fails_like_torch():
    def add_set(lib, optim_lib):
        opt = optim_lib.SGD([lib.ones(1, requires_grad=True)], lr=0.1)
        opt.add_param_group({"params": {lib.ones(2, requires_grad=True)}})

    assert error_of(lambda: add_set(mt, optim)) == error_of(lambda: add_set(torch, torch.optim))


OPTIONS = [
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "foreach": True, "fused": False}),
    ("Adam", {}),
    ("Adam", {"lr": 0.01, "foreach": False, "capturable": True, "decoupled_weight_decay": True}),
    ("AdamW", {"fused": True}),
]


@pytest.mark.parametrize(("opt_name", "kwargs"), OPTIONS)
def test_optimizer_repr_and_param_groups_match_torch(opt_name, kwargs):
    ours = getattr(optim, opt_name)([mt.ones(1, requires_grad=True)], **kwargs)
    theirs = getattr(torch.optim, opt_name)([torch.ones(1, requires_grad=True)], **kwargs)
    assert repr(ours) == repr(theirs)
    ours_group, their_group = ours.param_groups[0], theirs.param_groups[0]
    assert list(ours_group) == list(their_group)  # the same keys in the same order
    assert {k: v for k, v in ours_group.items() if k != "params"} == {
        k: v for k, v in their_group.items() if k != "params"
    }
    assert repr(ours.state_dict()) == repr(theirs.state_dict())  # printed as PyTorch prints it


def test_adam_with_decoupled_weight_decay_is_adamw():
    kwargs = {"lr": 0.01, "weight_decay": 0.1}
    opt, *_ = train_side_by_side("Adam", {**kwargs, "decoupled_weight_decay": True})
    reference, *_ = train_side_by_side("AdamW", kwargs)
    for p, q in zip(opt.param_groups[0]["params"], reference.param_groups[0]["params"]):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


@pytest.mark.parametrize("opt_name", ["SGD", "Adam", "AdamW"])
def test_differentiable_steps_are_refused_clearly(opt_name):
    with pytest.raises(NotImplementedError, match="differentiable=True is not supported"):
        getattr(optim, opt_name)([mt.ones(1, requires_grad=True)], lr=0.1, differentiable=True)


@pytest.fixture(name="gpu")
def gpu_fixture():
    """ "cuda": the stand-in, or the real GPU under make test-gpu (see tests/oracle.py)."""
    with oracle_gpu():
        yield "cuda"


@pytest.mark.parametrize(
    ("opt_name", "kwargs"),
    [
        ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
        ("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.01}),
        ("AdamW", {"lr": 0.01}),
        ("RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True, "weight_decay": 0.01}),
        ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.1}),
    ],
)
def test_training_on_the_gpu_standin_matches_cpu(gpu, opt_name, kwargs):
    x, y = data(4)
    results = []
    for device in ("cpu", gpu):
        model, _ = make_models(4)
        model.to(device)
        opt = getattr(optim, opt_name)(model.parameters(), **kwargs)
        mx, my = mt.from_numpy(x).to(device), mt.from_numpy(y).to(device)
        for _ in range(4):
            opt.zero_grad()
            F.cross_entropy(model(mx), my).backward()
            opt.step()
        assert all(p.device.type == device for p in model.parameters())
        assert all(s.device.type == device for st in opt.state.values() for s in st.values()
                   if s.dim() > 0)  # fmt: skip
        results.append([p.detach().cpu().numpy() for p in model.parameters()])
    for cpu_param, gpu_param in zip(*results):
        np.testing.assert_allclose(gpu_param, cpu_param, rtol=1e-5, atol=1e-7)
