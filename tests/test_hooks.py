"""Tensor.register_hook and Module forward hooks, against PyTorch.

Each test runs the same code with ``lib=torch`` and ``lib=minitensor`` (PyTorch on its
CPU, minitensor on the ``device`` fixture's CPU and GPU stand-in) and compares what the
hooks saw, the gradients and the errors.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
import torch

import minitensor as mt
from minitensor import viz
from minitensor.autograd.engine import backward_steps
from minitensor.autograd.function import graph_node
from tests.oracle import assert_same_error, device_fixture, host, torch_message

__all__ = ["device_fixture"]  # the fixture is used by name

X = np.array([1.0, -2.0, 3.0], dtype=np.float32)
W = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]], dtype=np.float32)


def leaf(lib, value, device="cpu"):
    if lib is torch:
        return torch.tensor(value, requires_grad=True)
    return mt.tensor(value, requires_grad=True, device=device)


def both(fn, device):
    """``fn(lib, device)`` for PyTorch (on its CPU) and for minitensor (on ``device``)."""
    return fn(torch, "cpu"), fn(mt, device)


def assert_close(ours, theirs) -> None:
    """Nested lists/tuples of tensors (or None, or numbers), compared value by value."""
    if isinstance(theirs, (list, tuple)):
        assert isinstance(ours, (list, tuple)) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            assert_close(o, t)
    elif isinstance(theirs, torch.Tensor):
        assert isinstance(ours, mt.Tensor), f"{ours!r} is not a tensor"
        assert tuple(ours.shape) == tuple(theirs.shape)
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        np.testing.assert_allclose(host(ours), host(theirs), rtol=1e-5, atol=1e-6)
    else:
        assert ours == theirs


def run_both_errors(fn, device):
    """Run ``fn`` in both libraries; both must raise the same exception and message."""
    errors = []
    for lib, dev in ((torch, "cpu"), (mt, device)):
        try:
            fn(lib, dev)
        except Exception as error:
            errors.append(error)
        else:
            errors.append(None)
    theirs, ours = errors
    assert theirs is not None, "PyTorch raised nothing"
    if device == "cuda" and ours is not None:
        # PyTorch on a GPU names its tensor types "torch.cuda.FloatTensor".
        theirs = type(theirs)(str(theirs).replace("torch.", "torch.cuda."))
    assert_same_error(ours, theirs)


# ---------------------------------------------------------------------------
# Tensor.register_hook
# ---------------------------------------------------------------------------


def test_handle_is_pytorchs_removable_handle():
    t = torch.tensor([1.0], requires_grad=True).register_hook(lambda g: None)
    m = mt.tensor([1.0], requires_grad=True).register_hook(lambda g: None)
    assert torch_message(f"{type(t).__module__}.{type(t).__qualname__}") == (
        f"{type(m).__module__}.{type(m).__qualname__}"
    )
    assert type(m) is mt.utils.hooks.RemovableHandle
    assert isinstance(m.id, int) and hasattr(m, "remove")


def test_leaf_hook_replaces_gradient_before_grad(device):
    def fn(lib, dev):
        x = leaf(lib, X, dev)
        seen = []
        x.register_hook(lambda g: seen.append(g.clone()) or g * 10)
        (x * x).sum().backward()
        return seen, x.grad

    (seen_t, grad_t), (seen_m, grad_m) = both(fn, device)
    assert_close(seen_m, seen_t)
    assert_close(grad_m, grad_t)
    assert grad_m.device.type == device


def test_non_leaf_hook_runs_before_grad_fn(device):
    # The hook on y changes what y's grad_fn (MulBackward0) sends on to x.
    def fn(lib, dev):
        x = leaf(lib, X, dev)
        y = x * 3
        seen = []
        y.register_hook(lambda g: seen.append(g.clone()) or g + 1)
        (y * y).sum().backward()
        return seen, x.grad

    (seen_t, grad_t), (seen_m, grad_m) = both(fn, device)
    assert_close(seen_m, seen_t)
    assert_close(grad_m, grad_t)
    np.testing.assert_allclose(host(grad_m), 3 * (2 * 3 * X + 1))


def test_several_hooks_run_in_order_each_seeing_the_last_result(device):
    def fn(lib, dev):
        x = leaf(lib, X, dev)
        y = x.exp()
        seen = []
        y.register_hook(lambda g: seen.append(("first", g.clone())) or g * 2)
        y.register_hook(lambda g: seen.append(("second", g.clone())))  # None: keep it
        y.register_hook(lambda g: seen.append(("third", g.clone())) or g - 1)
        x.register_hook(lambda g: seen.append(("leaf", g.clone())))
        y.sum().backward()
        return [name for name, _ in seen], [g for _, g in seen], x.grad

    (names_t, grads_t, grad_t), (names_m, grads_m, grad_m) = both(fn, device)
    assert names_m == names_t == ["first", "second", "third", "leaf"]
    assert_close(grads_m, grads_t)
    assert_close(grad_m, grad_t)


def test_removed_hook_no_longer_runs(device):
    def fn(lib, dev):
        x = leaf(lib, X, dev)
        y = x * 2
        calls = []
        keep = y.register_hook(lambda g: calls.append("keep"))
        gone = y.register_hook(lambda g: calls.append("gone") or g * 100)
        gone.remove()
        gone.remove()  # a second remove does nothing
        with x.register_hook(lambda g: g * 1000):
            pass  # the handle as a context manager removes the hook on leaving
        y.sum().backward(retain_graph=True)
        keep.remove()
        y.sum().backward()
        return calls, x.grad

    (calls_t, grad_t), (calls_m, grad_m) = both(fn, device)
    assert calls_m == calls_t == ["keep"]
    assert_close(grad_m, grad_t)


def test_hook_removing_itself_while_running(device):
    def fn(lib, dev):
        x = leaf(lib, X, dev)
        calls = []
        handles = []

        def once(g):
            calls.append("once")
            handles[0].remove()
            return g * 2

        handles.append(x.register_hook(once))
        x.register_hook(lambda g: calls.append("after"))
        for _ in range(2):
            (x * 1).sum().backward()
        return calls, x.grad

    (calls_t, grad_t), (calls_m, grad_m) = both(fn, device)
    assert calls_m == calls_t
    assert_close(grad_m, grad_t)


@pytest.mark.parametrize("retain_first", [True, False])
def test_retain_grad_sees_the_hooked_gradient(device, retain_first):
    # PyTorch runs retain_grad after every other hook, whatever the order of the calls.
    def fn(lib, dev):
        x = leaf(lib, X, dev)
        y = x * 3
        if retain_first:
            y.retain_grad()
        y.register_hook(lambda g: g * 10)
        if not retain_first:
            y.retain_grad()
        (y * 1).sum().backward()
        return y.grad, x.grad

    (y_t, x_t), (y_m, x_m) = both(fn, device)
    assert_close([y_m, x_m], [y_t, x_t])
    np.testing.assert_allclose(host(y_m), [10.0, 10.0, 10.0])


def test_tensor_used_twice_hook_sees_the_summed_gradient_once(device):
    def fn(lib, dev):
        x = leaf(lib, X, dev)
        y = x * 2
        seen_x, seen_y = [], []
        x.register_hook(lambda g: seen_x.append(g.clone()))
        y.register_hook(lambda g: seen_y.append(g.clone()))
        (y * y + y + x * x).sum().backward()
        return seen_x, seen_y, x.grad

    theirs, ours = both(fn, device)
    assert len(ours[0]) == len(ours[1]) == 1
    assert_close(ours, theirs)


def test_hook_on_the_output_sees_the_seed(device):
    def fn(lib, dev):
        x = leaf(lib, X, dev)
        loss = (x * 2).sum()
        seen = []
        loss.register_hook(lambda g: seen.append(g.clone()) or g * 5)
        loss.backward()
        return seen, x.grad

    theirs, ours = both(fn, device)
    assert_close(ours, theirs)


def test_autograd_grad_returns_gradients_after_the_inputs_hooks(device):
    def fn(lib, dev):
        x = leaf(lib, X, dev)
        x.register_hook(lambda g: g * 100)
        y = x * 3
        y.register_hook(lambda g: g * 7)
        (gx,) = lib.autograd.grad((y * y).sum(), x, retain_graph=True)
        (gy,) = lib.autograd.grad((y * y).sum(), y)
        return gx, gy, x.grad

    theirs, ours = both(fn, device)
    assert_close(ours, theirs)
    assert ours[2] is None  # autograd.grad touches no .grad, hooks or not


def test_autograd_grad_runs_only_the_hooks_on_its_path(device):
    # Differentiating with respect to y needs nothing below y: x's hook must not run.
    def fn(lib, dev):
        x = leaf(lib, X, dev)
        calls = []
        x.register_hook(lambda g: calls.append("x"))
        y = x * 3
        y.register_hook(lambda g: calls.append("y"))
        (gy,) = lib.autograd.grad((y * y).sum(), y)
        return calls, gy

    (calls_t, gy_t), (calls_m, gy_m) = both(fn, device)
    assert calls_m == calls_t == ["y"]
    assert_close(gy_m, gy_t)


def test_backward_inputs_accumulates_hooked_gradients(device):
    def fn(lib, dev):
        x = leaf(lib, X, dev)
        x.register_hook(lambda g: g * 10)
        y = x * 3
        y.register_hook(lambda g: g + 1)
        (y * y).sum().backward(inputs=[x])
        z = x * 3
        z.retain_grad()
        z.register_hook(lambda g: g + 1)
        (z * z).sum().backward(inputs=[z])
        return x.grad, z.grad

    theirs, ours = both(fn, device)
    assert_close(ours, theirs)


def test_create_graph_hook_arithmetic_is_differentiated(device):
    # The hook multiplies by x: with create_graph the result d(y)/dx * x is itself
    # differentiable, d/dx (3x^2 * x) = 9x^2.
    def fn(lib, dev):
        x = leaf(lib, X, dev)
        y = x**3
        y.register_hook(lambda g: g * x)
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        (g2,) = lib.autograd.grad(g.sum(), x)
        return g, g.requires_grad, g2

    theirs, ours = both(fn, device)
    assert_close(ours, theirs)
    np.testing.assert_allclose(host(ours[2]), 9 * X**2)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_create_graph_leaf_hook_sees_a_gradient_in_the_graph(device):
    def fn(lib, dev):
        x = leaf(lib, X, dev)
        seen = []
        x.register_hook(lambda g: seen.append(g.requires_grad) or g * x)
        (x**3).sum().backward(create_graph=True)
        grad = x.grad
        x.grad = None
        # d/dx (3x^2 * x) = 9x^2, which the hook (run again) multiplies by x.
        grad.sum().backward()
        return seen, grad, x.grad

    theirs, ours = both(fn, device)
    # The second backward's gradient is not in a graph (no create_graph this time).
    assert ours[0] == theirs[0] == [True, False]
    assert_close(ours[1:], theirs[1:])
    np.testing.assert_allclose(host(ours[2]), 9 * X**3, rtol=1e-5)


def test_hook_registered_after_an_inplace_operation_goes_to_the_new_grad_fn(device):
    def fn(lib, dev):
        a = leaf(lib, X, dev)
        x = a * 2
        seen = []
        x.register_hook(lambda g: seen.append(("before", g.clone())))
        x.mul_(3)
        x.register_hook(lambda g: seen.append(("after", g.clone())))
        (x * x).sum().backward()
        return [name for name, _ in seen], [g for _, g in seen], a.grad

    theirs, ours = both(fn, device)
    assert ours[0] == theirs[0] == ["after", "before"]
    assert_close(ours[1:], theirs[1:])


def test_hook_on_a_view(device):
    def fn(lib, dev):
        x = leaf(lib, np.arange(4, dtype=np.float32), dev)
        v = x[1:3]
        v.register_hook(lambda g: g * 100)
        (x * 1).sum().backward()  # v is not on this path: its hook does not run
        first = x.grad.clone()
        x.grad = None
        (v * 1).sum().backward()
        return first, x.grad

    theirs, ours = both(fn, device)
    assert_close(ours, theirs)


def test_hooks_work_in_a_training_step(device):
    # Gradient clipping by a hook on each parameter, a common use.
    def fn(lib, dev):
        w = leaf(lib, W, dev)
        w.register_hook(lambda g: g.clamp(-0.5, 0.5))
        x = lib.tensor(X, device=dev) if lib is mt else torch.tensor(X)
        loss = ((w @ x).tanh() ** 2).sum()
        loss.backward()
        return w.grad

    theirs, ours = both(fn, device)
    assert_close(ours, theirs)


# --- errors ------------------------------------------------------------------


def test_register_hook_needs_requires_grad(device):
    run_both_errors(
        lambda lib, dev: lib.tensor([1.0, 2.0], device=dev).register_hook(lambda g: g), device
    )
    run_both_errors(
        lambda lib, dev: lib.tensor([1, 2], device=dev).register_hook(lambda g: g), device
    )

    def under_no_grad(lib, dev):
        x = leaf(lib, X, dev)
        with lib.no_grad():
            y = x * 2
        y.register_hook(lambda g: g)

    run_both_errors(under_no_grad, device)


def bad_hook_backward(result_fn, on_leaf: bool, hook_name: str | None = None):
    """A backward in which a hook returns ``result_fn(lib, grad)``."""

    def fn(lib, dev):
        x = leaf(lib, X, dev)
        hook = lambda g: result_fn(lib, g)  # noqa: E731 (its name, '<lambda>', is in the message)
        if hook_name == "partial":  # no __name__: PyTorch calls it '<unknown>'
            hook = functools.partial(lambda lib, g: result_fn(lib, g), lib)
        elif hook_name is not None:
            hook.__name__ = hook_name
        target = x if on_leaf else x * 2
        target.register_hook(hook)
        (target * 1).sum().backward()

    return fn


@pytest.mark.parametrize("on_leaf", [True, False])
@pytest.mark.parametrize(
    "result_fn",
    [
        lambda lib, g: g.sum(),  # wrong shape
        lambda lib, g: g.reshape(3, 1),  # same numbers, wrong shape
        lambda lib, g: g[:1],  # broadcastable, still refused
        lambda lib, g: g.double(),  # wrong dtype
        lambda lib, g: 5,  # not a tensor
        lambda lib, g: g.tolist(),
    ],
    ids=["sum", "reshape", "broadcastable", "double", "int", "list"],
)
def test_hook_returning_a_wrong_gradient_is_refused(device, result_fn, on_leaf):
    run_both_errors(bad_hook_backward(result_fn, on_leaf), device)


@pytest.mark.parametrize("name", ["clip_it", "partial"])
def test_hook_error_names_the_hook(device, name):
    run_both_errors(bad_hook_backward(lambda lib, g: g.sum(), True, name), device)


def test_hook_exception_propagates(device):
    def fn(lib, dev):
        x = leaf(lib, X, dev)

        def broken(g):
            raise ValueError("boom")

        x.register_hook(broken)
        (x * 1).sum().backward()

    run_both_errors(fn, device)


def test_hook_moving_the_gradient_to_another_device_is_refused():
    # PyTorch's check (check_variable_result in torch/csrc/autograd/python_hook.cpp)
    # compares the tensor types, which include the device: "was torch.cuda.FloatTensor
    # got torch.FloatTensor". No GPU here for PyTorch: the stand-in plays the GPU.
    from tests.oracle import gpu

    with gpu():
        x = mt.tensor(X, device="cuda", requires_grad=True)
        x.register_hook(lambda g: g.cpu())
        with pytest.raises(RuntimeError) as error:
            (x * 1).sum().backward()
        assert str(error.value) == (
            "hook '<lambda>' has changed the type of value "
            "(was minitensor.cuda.FloatTensor got minitensor.FloatTensor)"
        )


# --- the engine and the stepper ------------------------------------------------


def test_engine_step_shows_the_hooked_gradient():
    x = mt.tensor(X, requires_grad=True)
    y = x * 3
    y.register_hook(lambda g: g * 10)
    loss = y.sum()
    steps = list(backward_steps([graph_node(loss)], [mt.ones_like(loss)], accumulate=False))
    (mul_step,) = [s for s in steps if s.node is y.grad_fn]
    np.testing.assert_allclose(host(mul_step.grad_output), [10.0, 10.0, 10.0])
    np.testing.assert_allclose(host(mul_step.grad_inputs[0]), [30.0, 30.0, 30.0])


def test_value_graph_has_no_hooks_and_still_works():
    a = mt.Value(2.0)
    b = mt.Value(-3.0)
    out = (a * b + a).tanh()
    out.backward()
    t_a = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    t_b = torch.tensor(-3.0, dtype=torch.float64, requires_grad=True)
    (t_a * t_b + t_a).tanh().backward()
    assert a.grad == pytest.approx(t_a.grad.item())
    assert b.grad == pytest.approx(t_b.grad.item())


def test_stepper_runs_a_graph_with_hooks():
    def build(lib):
        w = leaf(lib, np.array([2.0], dtype=np.float32))
        a = lib.tensor([4.0])
        b = w * a
        b.register_hook(lambda g: g * 3)
        w.register_hook(lambda g: g + 1)
        return w, b, (10 - b).sum()

    w_t, _, loss_t = build(torch)
    loss_t.backward()
    w, b, loss = build(mt)
    stepper = viz.Stepper(loss, names={"w": w, "b": b})
    stepper.play(delay=0)
    assert stepper.done
    np.testing.assert_allclose(host(w.grad), host(w_t.grad))
    (b_step,) = [s for s in stepper.history if s.node is b.grad_fn]
    np.testing.assert_allclose(host(b_step.grad_output), [-3.0])


# ---------------------------------------------------------------------------
# Module forward hooks
# ---------------------------------------------------------------------------


def linear(lib, device="cpu"):
    """nn.Linear(3, 2) with the weights W and bias [0.1, -0.2] in either library."""
    layer = lib.nn.Linear(3, 2)
    with lib.no_grad():
        layer.weight.copy_(lib.tensor(W))
        layer.bias.copy_(lib.tensor([0.1, -0.2]))
    return layer.to(device) if lib is mt else layer


def inputs(lib, device="cpu"):
    x = lib.tensor(np.stack([X, -X]))
    return x.to(device) if lib is mt else x


def test_module_hook_handles_are_removable_handles():
    layer = mt.nn.Linear(2, 2)
    for handle in (
        layer.register_forward_pre_hook(lambda m, args: None),
        layer.register_forward_hook(lambda m, args, out: None),
    ):
        assert type(handle) is mt.utils.hooks.RemovableHandle


def test_forward_pre_hook_sees_and_replaces_the_arguments(device):
    def fn(lib, dev):
        layer = linear(lib, dev)
        seen = []

        def pre(module, args):
            seen.append((module is layer, type(args).__name__, len(args)))
            return args[0] * 2  # not a tuple: wrapped in one

        handle = layer.register_forward_pre_hook(pre)
        hooked = layer(inputs(lib, dev))
        handle.remove()
        return seen, hooked, layer(inputs(lib, dev))

    theirs, ours = both(fn, device)
    assert ours[0] == theirs[0] == [(True, "tuple", 1)]
    assert_close(ours[1:], theirs[1:])


def test_forward_hook_sees_args_and_replaces_the_output(device):
    def fn(lib, dev):
        layer = linear(lib, dev)
        seen = []
        layer.register_forward_pre_hook(lambda m, args: (args[0] + 1,))
        layer.register_forward_hook(lambda m, args, out: seen.append((args[0].clone(), out)))
        layer.register_forward_hook(lambda m, args, out: out.relu())
        layer.register_forward_hook(lambda m, args, out: seen.append(out))  # sees the relu
        out = layer(inputs(lib, dev))
        out.sum().backward()
        return seen, out, layer.weight.grad

    theirs, ours = both(fn, device)
    assert_close(ours, theirs)


def test_forward_hooks_order_prepend_and_kwargs(device):
    class Scale(torch.nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    class MtScale(mt.nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    def fn(lib, dev):
        module = Scale() if lib is torch else MtScale()
        calls = []
        module.register_forward_pre_hook(lambda m, args: calls.append("pre"))
        module.register_forward_pre_hook(lambda m, args: calls.append("pre first"), prepend=True)

        def pre_kwargs(m, args, kwargs):
            calls.append(("pre kwargs", dict(kwargs)))
            return args, {"factor": kwargs["factor"] * 10}

        module.register_forward_pre_hook(pre_kwargs, with_kwargs=True)
        module.register_forward_hook(
            lambda m, args, kwargs, out: calls.append(("hook kwargs", dict(kwargs))),
            with_kwargs=True,
        )
        module.register_forward_hook(lambda m, args, out: calls.append("hook first"), prepend=True)
        out = module(inputs(lib, dev), factor=2.0)
        return calls, out

    theirs, ours = both(fn, device)
    assert ours[0] == theirs[0]
    assert_close(ours[1], theirs[1])


def test_forward_pre_hook_with_kwargs_bad_return(device):
    def fn(lib, dev):
        layer = linear(lib, dev)
        layer.register_forward_pre_hook(lambda m, args, kwargs: args, with_kwargs=True)
        layer(inputs(lib, dev))

    # The message shows the returned tuple (the tensor repr), so compare the first part.
    messages = []
    for lib, dev in ((torch, "cpu"), (mt, device)):
        with pytest.raises(RuntimeError) as error:
            fn(lib, dev)
        messages.append(str(error.value).split(", but got")[0])
    assert messages[0] == messages[1]


def test_hooks_in_a_sequential_record_every_layer(device):
    def fn(lib, dev):
        model = lib.nn.Sequential(linear(lib), lib.nn.Tanh(), lib.nn.Linear(2, 1))
        with lib.no_grad():
            model[2].weight.copy_(lib.tensor([[0.3, -0.7]]))
            model[2].bias.zero_()
        if lib is mt:
            model.to(dev)
        outputs = []
        handles = [
            layer.register_forward_hook(lambda m, args, out: outputs.append(out)) for layer in model
        ]
        model.register_forward_hook(lambda m, args, out: out * 2)
        y = model(inputs(lib, dev))
        for handle in handles:
            handle.remove()
        n_recorded = len(outputs)
        model(inputs(lib, dev))  # removed: nothing more is recorded
        return outputs, y, n_recorded == len(outputs)

    theirs, ours = both(fn, device)
    assert ours[2] and theirs[2]
    assert_close(ours[:2], theirs[:2])


def test_module_without_hooks_calls_forward_directly():
    layer = mt.nn.Linear(2, 2)
    assert not layer._forward_pre_hooks and not layer._forward_hooks
    handle = layer.register_forward_hook(lambda m, args, out: out * 0)
    handle.remove()
    assert not layer._forward_hooks  # removal leaves the fast path again
    assert layer(mt.ones(1, 2)).abs().sum().item() > 0
