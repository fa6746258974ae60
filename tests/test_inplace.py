"""In-place operations and PyTorch's autograd rules for them (version counters)."""

import numpy as np
import pytest
import torch

import minitensor as mt
from tests.oracle import assert_same_error, compare, device_fixture  # noqa: F401 (a fixture)

X = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.5]], dtype=np.float32)
Y = np.array([2.0, -1.0, 0.5], dtype=np.float32)

INPLACE = {
    "add_": lambda L, t, o: t.add_(o),
    "add_ alpha": lambda L, t, o: t.add_(o, alpha=2),
    "sub_": lambda L, t, o: t.sub_(o),
    "sub_ alpha": lambda L, t, o: t.sub_(o, alpha=0.5),
    "mul_": lambda L, t, o: t.mul_(o),
    "div_": lambda L, t, o: t.div_(o),
    "pow_": lambda L, t, o: t.pow_(2),
    "clamp_": lambda L, t, o: t.clamp_(-1, 2),
    "zero_": lambda L, t, o: t.zero_(),
    "fill_": lambda L, t, o: t.fill_(3.0),
    "copy_": lambda L, t, o: t.copy_(o),
    "+=": lambda L, t, o: t.__iadd__(o),
    "-=": lambda L, t, o: t.__isub__(o),
    "*=": lambda L, t, o: t.__imul__(o),
    "/=": lambda L, t, o: t.__itruediv__(o),
    "number": lambda L, t, o: t.mul_(2.5),
}


@pytest.mark.parametrize("op", INPLACE)
def test_inplace_on_non_leaf_matches_torch(op, device):
    """Values, the new grad_fn, and gradients flowing to both inputs."""

    def fn(L, x, y):
        t = x * 1  # a non-leaf: in-place is allowed
        out = INPLACE[op](L, t, y)
        assert out is t
        return t * x  # uses the modified t and x again

    compare(fn, X, Y, device=device)


@pytest.mark.parametrize("op", INPLACE)
def test_inplace_on_plain_tensor_bumps_version(op, device):
    def fn(L, x, y):
        t = x.detach().clone()
        before = t._version
        INPLACE[op](L, t, y.detach())
        assert t._version == before + 1
        return t

    compare(fn, X, Y, device=device)


def test_inplace_on_leaf_requiring_grad_fails():
    compare(lambda L, x: x.add_(1), X)
    compare(lambda L, x: x.zero_(), X)
    compare(lambda L, x: x.__imul__(2), X)


def test_inplace_on_leaf_is_allowed_under_no_grad(device):
    """The SGD update: ``with no_grad(): w -= lr * w.grad``."""

    def fn(L, w):
        (w * w).sum().backward()
        with L.no_grad():
            w -= 0.1 * w.grad
        assert w.is_leaf and w.grad_fn is None and w.requires_grad and w._version == 1
        return w

    compare(fn, X, device=device, grad=False)


@pytest.mark.parametrize(
    "code",
    [
        # a tensor saved by Mul is modified: its backward must refuse (errors.md saved_modified)
        "y = x * 1; z = y * y; y.add_(1); z.sum().backward()",
        "y = x * 2; z = y * x; y.mul_(3); z.sum().backward()",
        # outputs saved by their own backward (exp, tanh, sigmoid, relu, sqrt, reciprocal)
        "y = x.exp(); y.add_(1); y.sum().backward()",
        "y = x.tanh(); y.mul_(2); y.sum().backward()",
        "y = x.sigmoid(); y.sub_(1); y.sum().backward()",
        "y = x.relu(); y.add_(1); y.sum().backward()",
        "y = (x * x).sqrt(); y.add_(1); y.sum().backward()",
        "y = x.reciprocal(); y.add_(1); y.sum().backward()",
        "y = 2 ** x; y.add_(1); y.sum().backward()",
        # a leaf modified through detach() (which shares its version counter)
        "y = x * x; x.detach().add_(1); y.sum().backward()",
        # ... but not through .data (which does not)
        "y = x * x; x.data.add_(1); y.sum().backward(); out = x.grad",
        # inputs of ops that do not save them may change
        "y = x * 1; z = y + 1; y.add_(1); z.sum().backward(); out = x.grad",
        "y = x * 1; z = y.exp(); y.add_(1); z.sum().backward(); out = x.grad",
        # the in-place op on a saved tensor itself
        "y = x * 1; y.mul_(y); y.sum().backward()",
        "y = x * 1; y.pow_(2); y.sum().backward(); out = (y, x.grad)",
        "y = x * 1; y.div_(x); y.sum().backward(); out = (y, x.grad)",
        # dtype and shape rules
        "t = L.tensor([1, 2]); t += 1.5",
        "t = L.tensor([1, 2]); t /= 2",
        "t = L.tensor([1, 2]); t *= 2; out = t",
        "t = L.tensor([1., 2.]); t.add_(L.ones(2, 2))",
        "t = L.tensor([1., 2.]); t.add_(L.ones(1)); out = (t, t._version)",
        "t = L.tensor([1., 2.]); t.copy_(L.tensor([3, 4])); out = t",
        "t = L.tensor([1., 2.]); t.copy_([3, 4])",
        "t = L.tensor([1., 2.]); t.fill_(L.tensor(7.)); out = t",
        "y = x * 1; y.fill_(3); out = (y, y.grad_fn)",
        "y = x * 1; y.zero_(); out = (y, y.grad_fn)",
    ],
)
def test_version_counter_rules_match_torch(code):
    results = []
    for lib in (mt, torch):
        env = {"L": lib, "x": lib.tensor([1.0, 2.0], requires_grad=True)}
        try:
            exec(code, env)
            results.append(env.get("out"))
        except Exception as error:
            results.append(error)
    ours, theirs = results
    if isinstance(theirs, Exception) or isinstance(ours, Exception):
        assert_same_error(ours, theirs)
    else:
        import re

        neutral = re.compile(r"0x[0-9a-f]+")
        assert neutral.sub("", repr(ours)) == neutral.sub("", repr(theirs)).replace(
            "torch.", "minitensor."
        )


def test_data_and_detach_share_memory(device):
    x = mt.tensor([1.0, 2.0], device=device, requires_grad=True)
    d, data = x.detach(), x.data
    d.add_(1)
    assert x.tolist() == [2.0, 3.0] and x._version == 1  # detach shares the version counter
    data.mul_(2)
    assert x.tolist() == [4.0, 6.0] and x._version == 1  # .data does not
    assert not d.requires_grad and not data.requires_grad
    x.data = mt.tensor([7.0, 8.0], device=device)  # replacing .data keeps the graph identity
    assert x.tolist() == [7.0, 8.0] and x.requires_grad and x.is_leaf


def test_from_numpy_and_numpy_share_memory_through_inplace_ops():
    array = np.zeros(3, dtype=np.float32)
    t = mt.from_numpy(array)
    t.add_(1)
    assert array.tolist() == [1.0, 1.0, 1.0]
    t.numpy()[0] = 5
    assert t.tolist() == [5.0, 1.0, 1.0]
