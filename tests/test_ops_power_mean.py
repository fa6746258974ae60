"""The cheaper backward formulas of ``a ** k`` and ``mean`` give PyTorch's exact numbers.

``a ** 2`` multiplies (``a * a``) instead of calling the general power, its
backward is ``grad * (2 * a)``, ``a ** 1`` passes the gradient through, ``a ** 0``
gives zeros, and ``mean`` divides before expanding when no graph is recorded.
These tests check bit-for-bit agreement with PyTorch (the oracle), special
values included, and that second derivatives and ``grad_fn`` names are still
PyTorch's with ``create_graph=True``; on the CPU and on the GPU stand-in.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import minitensor as mt
from tests.oracle import device_fixture  # noqa: F401 (the "device" fixture)

SPECIAL = [0.0, -0.0, 1.5, -2.25, 3e38, -3e38, float("inf"), float("-inf"), float("nan"), 1e-30]
# The exponents PyTorch computes with other operations (a * a * a, 1 / sqrt(a), copying, ...):
# minitensor does the same, so they must agree with PyTorch bit for bit.
EXACT_EXPONENTS = [0, 1, 1.0, 2, 2.0, 3, -1, -2, -0.5, True, False]
# The general power: PyTorch's vectorised pow (SLEEF) is not correctly rounded, NumPy's
# may differ from it in the last bit.
OTHER_EXPONENTS = [0.5, 1.5, 4, -3]


def _host(t) -> np.ndarray:
    return t.detach().cpu().numpy()


def _same_bits(ours, theirs, rtol=0.0) -> None:
    """Identical values (or within rtol), nan where nan, and the same sign of zeros."""
    a, b = _host(ours), _host(theirs)
    assert a.dtype == b.dtype and a.shape == b.shape
    if rtol:
        np.testing.assert_allclose(a, b, rtol=rtol, atol=0)
    else:
        np.testing.assert_array_equal(a, b)
    # The sign of zero shows when printed (-0.); a nan's sign bit does not.
    np.testing.assert_array_equal(np.signbit(a) & ~np.isnan(a), np.signbit(b) & ~np.isnan(b))


@pytest.mark.parametrize("k", EXACT_EXPONENTS + OTHER_EXPONENTS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_pow_scalar_forward_and_backward_match_torch(device, k, dtype):
    _check_pow_scalar(device, k, dtype)


@pytest.mark.parametrize("k", EXACT_EXPONENTS + OTHER_EXPONENTS)
def test_pow_scalar_in_float16_matches_torch(k):
    _check_pow_scalar("cpu", k, "float16")  # (the GPU stand-in, array_api_strict, has no float16)


def _check_pow_scalar(device, k, dtype):
    tolerance = 4 * float(np.finfo(dtype).eps)
    rtol = 0.0 if k in EXACT_EXPONENTS else tolerance
    # The backward k * a ** (k - 1) is exact when a ** (k - 1) is (a ** -3 for k = -2 is not).
    exact_backward = k in (0, 1, 2) or (k - 1) in EXACT_EXPONENTS
    grad_rtol = 0.0 if exact_backward else tolerance
    with np.errstate(over="ignore"):  # 3e38 is inf in float16, as intended
        values = np.array(SPECIAL).astype(dtype)
    rng = np.random.default_rng(0)
    upstream = np.concatenate(
        [rng.standard_normal(len(values) - 3), [float("inf"), float("nan"), -0.0]]
    ).astype(dtype)
    t = torch.tensor(values, requires_grad=True)
    t_out = t**k
    t_out.backward(torch.tensor(upstream))
    m = mt.tensor(values, requires_grad=True, device=device)
    m_out = m**k
    m_out.backward(mt.tensor(upstream, device=device))
    _same_bits(m_out, t_out, rtol)
    _same_bits(m.grad, t.grad, grad_rtol)
    assert m_out.grad_fn.name() == "PowBackward0"


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "uint8", "bool"])
def test_integer_squares_match_torch(dtype):
    values = np.array([0, 1, 3, 200, 255], dtype=np.int64).astype(dtype)
    theirs = torch.tensor(values) ** 2
    ours = mt.tensor(values) ** 2
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    np.testing.assert_array_equal(_host(ours), _host(theirs))


@pytest.mark.parametrize("k", [0, 1, 2, 3, 0.5, -1])
def test_pow_scalar_second_derivatives_match_torch(device, k):
    values = np.array([0.5, 1.5, 2.0, 3.25])
    t = torch.tensor(values, requires_grad=True)
    m = mt.tensor(values, requires_grad=True, device=device)
    # Upstream gradients that depend on the input too (so the graph of grad_output matters).
    (t_grad,) = torch.autograd.grad((t**k * t.sin()).sum(), t, create_graph=True)
    (m_grad,) = mt.autograd.grad((m**k * m.sin()).sum(), m, create_graph=True)
    np.testing.assert_allclose(_host(m_grad), _host(t_grad), rtol=1e-12, atol=0)
    (t_second,) = torch.autograd.grad(t_grad.sum(), t)
    (m_second,) = mt.autograd.grad(m_grad.sum(), m)
    np.testing.assert_allclose(_host(m_second), _host(t_second), rtol=1e-12, atol=0)


@pytest.mark.parametrize("k", [0, 1, 2, 3])
def test_pow_scalar_gradient_graph_matches_torch(k):
    """With create_graph=True the first gradient has PyTorch's grad_fn (None for a ** 0)."""
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    m = mt.tensor([1.0, 2.0], requires_grad=True)
    (t_grad,) = torch.autograd.grad((t**k).sum(), t, create_graph=True)
    (m_grad,) = mt.autograd.grad((m**k).sum(), m, create_graph=True)
    t_name = None if t_grad.grad_fn is None else t_grad.grad_fn.name()
    m_name = None if m_grad.grad_fn is None else m_grad.grad_fn.name()
    assert m_name == t_name
    assert m_grad.requires_grad == t_grad.requires_grad
    if t_grad.requires_grad:  # a ** 1: the second derivative is 0, not "unused" (None)
        (t_second,) = torch.autograd.grad(t_grad.sum(), t)
        (m_second,) = mt.autograd.grad(m_grad.sum(), m)
        _same_bits(m_second, t_second)


MEAN_CALLS = {
    "all": lambda x: x.mean(),
    "dim 0": lambda x: x.mean(0),
    "dim -1 keepdim": lambda x: x.mean(-1, keepdim=True),
    "dims (0, 2)": lambda x: x.mean((0, 2)),
    "empty dims": lambda x: x.mean(()),
}


@pytest.mark.parametrize("name", MEAN_CALLS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_mean_backward_matches_torch_bit_for_bit(device, name, dtype):
    call = MEAN_CALLS[name]
    rng = np.random.default_rng(1)
    values = rng.standard_normal((3, 5, 7)).astype(dtype)
    t = torch.tensor(values, requires_grad=True)
    m = mt.tensor(values, requires_grad=True, device=device)
    t_out, m_out = call(t), call(m)
    upstream = (rng.standard_normal(tuple(t_out.shape)) * 1e3).astype(dtype)
    t_out.backward(torch.tensor(upstream))
    m_out.backward(mt.tensor(upstream, device=device))
    _same_bits(m.grad, t.grad)
    assert m_out.grad_fn.name() == t_out.grad_fn.name()


def test_mean_backward_of_special_values_matches_torch():
    for upstream in [float("inf"), float("nan"), -0.0, 3e38]:
        t = torch.zeros(2, 3, requires_grad=True)
        m = mt.zeros(2, 3, requires_grad=True)
        t.mean().backward(torch.tensor(upstream))
        m.mean().backward(mt.tensor(upstream))
        _same_bits(m.grad, t.grad)


@pytest.mark.parametrize("name", MEAN_CALLS)
def test_mean_second_derivatives_and_grad_fn_match_torch(device, name):
    call = MEAN_CALLS[name]
    values = np.random.default_rng(2).standard_normal((3, 5, 7))
    t = torch.tensor(values, requires_grad=True)
    m = mt.tensor(values, requires_grad=True, device=device)
    # (mean ** 2) makes the gradient reaching mean depend on x, so it has a graph.
    (t_grad,) = torch.autograd.grad((call(t) ** 2).sum(), t, create_graph=True)
    (m_grad,) = mt.autograd.grad((call(m) ** 2).sum(), m, create_graph=True)
    # PyTorch divides the expanded gradient last, by a number: DivBackward1 in both.
    assert m_grad.grad_fn.name() == t_grad.grad_fn.name() == "DivBackward1"
    np.testing.assert_allclose(_host(m_grad), _host(t_grad), rtol=1e-12, atol=0)
    (t_second,) = torch.autograd.grad((t_grad * t.cos()).sum(), t)
    (m_second,) = mt.autograd.grad((m_grad * m.cos()).sum(), m)
    np.testing.assert_allclose(_host(m_second), _host(t_second), rtol=1e-12, atol=1e-15)


def test_mse_step_gradients_match_torch(device):
    """The benchmark's step, ((X @ W1).relu() @ W2 - Y) ** 2 averaged, on a small scale."""
    rng = np.random.default_rng(3)
    X, Y = (rng.standard_normal((8, 6)).astype(np.float32) for _ in range(2))
    W1, W2 = (rng.standard_normal((6, 6)).astype(np.float32) for _ in range(2))
    tW1, tW2 = torch.tensor(W1, requires_grad=True), torch.tensor(W2, requires_grad=True)
    mW1 = mt.tensor(W1, requires_grad=True, device=device)
    mW2 = mt.tensor(W2, requires_grad=True, device=device)
    t_loss = (((torch.tensor(X) @ tW1).relu() @ tW2 - torch.tensor(Y)) ** 2).mean()
    m_loss = (
        ((mt.tensor(X, device=device) @ mW1).relu() @ mW2 - mt.tensor(Y, device=device)) ** 2
    ).mean()
    t_loss.backward()
    m_loss.backward()
    np.testing.assert_allclose(_host(m_loss), _host(t_loss), rtol=1e-6)
    np.testing.assert_allclose(_host(mW1.grad), _host(tW1.grad), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(_host(mW2.grad), _host(tW2.grad), rtol=1e-5, atol=1e-7)
