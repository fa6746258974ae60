"""What broke on a real GPU, caught on the CPU through the stand-in.

The stand-in (`minitensor.backend.use_standin_gpu`) refuses what CuPy
refuses (scatter-adding small integers and bools) and counts the implicit
copies from the device to the host, which a real GPU pays for with a
synchronisation each. Expected values come from PyTorch.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import minitensor as mt
from minitensor import array_libraries
from tests.oracle import device_fixture, gpu  # noqa: F401  (the "device" fixture)

ALL_DTYPES = ["bool", "int8", "int16", "uint8", "int32", "int64", "float32", "float64"]
WRITES = {
    "list": ([1, 3, 1], [5, 6, 7]),
    "tensor index, number": (torch.tensor([0, 2]), 1),
    "mask": ("mask", 1),
    "two lists": (([0, 1], [1, 0]), [1, 0]),
}


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("write", WRITES)
def test_setitem_with_an_index_array_works_for_every_dtype(device, dtype, write):
    index, value = WRITES[write]

    def run(lib, device):
        x = lib.arange(12, device=device).reshape(3, 4)[0].to(getattr(lib, dtype))
        if isinstance(index, str):
            where = x > 1
        elif isinstance(index, tuple):
            x = x.reshape(2, 2)
            where = tuple(lib.tensor(i, device=device) for i in index)
        else:
            where = lib.tensor(np.asarray(index), device=device)
        x[where] = (
            lib.tensor(value, device=device).to(x.dtype) if isinstance(value, list) else value
        )
        return x.cpu().numpy()

    np.testing.assert_array_equal(run(mt, device), run(torch, "cpu"))


def test_the_standin_refuses_to_scatter_add_small_integers_as_cupy_does(monkeypatch):
    """Without the backend's widening, writing into int8 fails on the stand-in as on CuPy."""
    from tests.oracle import on_real_gpu

    if on_real_gpu():
        pytest.skip("checks the stand-in (the test above runs on the real GPU)")
    monkeypatch.setattr(array_libraries, "_widened", lambda scatter_add, xp: scatter_add)
    with gpu():  # (a fresh stand-in, built with the raw scatter-add)
        x = mt.zeros(3, dtype=mt.int8, device="cuda")
        with pytest.raises(TypeError, match=r"cupy\.add\.at only supports int32, int64, float16"):
            x[mt.tensor([0, 0], device="cuda")] = 1


# --------------------------------------------------------------------------
# Special values: the same on every backend, whatever its own rules
# --------------------------------------------------------------------------

SPECIAL = [0.0, -0.0, float("inf"), float("-inf"), float("nan"), -1.0, -2.5, 0.5, 1.0, 2.0]
EXPONENTS = [0.5, 1.5, -1, -1.0, 2, 3, -2, -0.5, 0, 1, 2.5, -1.5, 3.0, -3, 5, 0.25, -0.25]


@pytest.fixture
def cuda_like_standin(monkeypatch):
    """The stand-in, with CuPy's habits where they differ from NumPy's.

    CUDA's max may return +0.0 for max(-0.0, 0.0), and CuPy's pow takes no
    shortcut (NumPy's takes sqrt for ``** 0.5``, giving nan for -inf).
    """
    import array_api_strict as xs

    maximum, pow_ = xs.maximum, xs.pow

    def cuda_maximum(x1, x2):
        out = maximum(x1, x2)
        return xs.where(out == 0, xs.abs(out), out)

    def cuda_pow(x1, x2):  # an exponent array as large as x1: NumPy's shortcut is off
        x2 = x2 if hasattr(x2, "shape") else xs.asarray(x2, dtype=x1.dtype, device=x1.device)
        return pow_(x1, xs.broadcast_to(x2, x1.shape) * xs.ones_like(x1))

    monkeypatch.setattr(xs, "maximum", cuda_maximum)
    monkeypatch.setattr(xs, "pow", cuda_pow)
    with gpu():
        yield "cuda"


def _same_bits(ours, theirs) -> None:
    """Equal values, nan where nan, and the same sign on zeros."""
    np.testing.assert_array_equal(ours, theirs)
    zeros = theirs == 0
    np.testing.assert_array_equal(np.signbit(ours[zeros]), np.signbit(theirs[zeros]))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("k", EXPONENTS)
def test_power_of_special_values_matches_torch_on_any_backend(device, k, dtype):
    _check_power(device, k, dtype)


@pytest.mark.parametrize("k", EXPONENTS)
def test_power_of_special_values_does_not_rely_on_the_librarys_pow(cuda_like_standin, k):
    _check_power(cuda_like_standin, k, "float32")


def _check_power(device, k, dtype):
    theirs = torch.tensor(SPECIAL, dtype=getattr(torch, dtype), requires_grad=True)
    ours = mt.tensor(SPECIAL, dtype=getattr(mt, dtype), device=device, requires_grad=True)
    (theirs**k).sum().backward()
    (ours**k).sum().backward()
    _same_bits((ours**k).detach().cpu().numpy(), (theirs**k).detach().numpy())
    ours_grad, their_grad = ours.grad.cpu().numpy(), theirs.grad.numpy()
    np.testing.assert_allclose(ours_grad, their_grad, rtol=1e-6)  # (rounding aside)
    zeros = their_grad == 0
    np.testing.assert_array_equal(np.signbit(ours_grad[zeros]), np.signbit(their_grad[zeros]))


def test_relu_keeps_minus_zero_whatever_maximum_returns_on_ties(cuda_like_standin):
    values = np.array([float("nan"), -0.0, 0.0, -1.0, 2.0, float("-inf")], dtype=np.float32)
    ours = mt.tensor(values, device=cuda_like_standin).relu().cpu().numpy()
    _same_bits(ours, torch.tensor(values).relu().numpy())


# --------------------------------------------------------------------------
# No waiting for the GPU in the hot path
# --------------------------------------------------------------------------


@pytest.fixture
def host_reads(monkeypatch):
    """The stand-in, counting every read of a device array's values on the host.

    On a real GPU each of these (``bool(array)``, ``float(array)``,
    ``np.asarray(array)``, a copy to the host) makes the CPU wait until the
    GPU has finished everything queued: one such read per operation costs
    more than the operation.
    """
    from tests.oracle import on_real_gpu

    if on_real_gpu():
        pytest.skip("counts on the stand-in")
    import array_api_strict as xs
    from array_api_strict._array_object import Array

    host = xs.Device("CPU_DEVICE")
    reads: list[str] = []

    def counting(name, method):
        def read(self, *args, **kwargs):
            if self.device != host and (name != "to_device" or args[0] == host):
                reads.append(name)
            return method(self, *args, **kwargs)

        return read

    for name in ("__bool__", "__float__", "__int__", "__index__", "__array__", "to_device"):
        monkeypatch.setattr(Array, name, counting(name, getattr(Array, name)))
    with gpu():
        yield reads


def test_an_op_chain_forward_and_backward_never_reads_the_gpu(host_reads):
    x = mt.randn(2, 2, device="cuda", requires_grad=True)
    host_reads.clear()
    y = x
    for i in range(100):
        y = (y * 1.0001, y + 0.01, y.tanh(), y.relu(), y.exp() - 1, y / 2, y**2)[i % 7]
    y.sum().backward()
    assert host_reads == []


@pytest.mark.parametrize("opt", ["SGD", "Adam"])
def test_a_training_step_never_reads_the_gpu(host_reads, opt):
    from minitensor import nn, optim
    from minitensor.nn import functional as F

    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4)).to("cuda")
    optimizer = getattr(optim, opt)(model.parameters(), lr=0.01)
    X, y = mt.randn(32, 8, device="cuda"), mt.randint(0, 4, (32,), device="cuda")
    for _step in range(2):
        host_reads.clear()  # (the first step makes the optimizer's state)
        optimizer.zero_grad()
        F.cross_entropy(model(X), y).backward()
        optimizer.step()
    assert host_reads == []


def test_a_class_target_out_of_range_makes_the_gpu_loss_nan(device):
    logits, target = mt.zeros(3, 4, device=device), mt.tensor([1, 7, 2], device=device)
    if device == "cpu":  # PyTorch's error on the CPU
        with pytest.raises(IndexError, match=r"^Target 7 is out of bounds\.$"):
            mt.nn.functional.cross_entropy(logits, target)
        return
    # On a GPU PyTorch fails later, on the device; minitensor makes the loss nan.
    assert np.isnan(mt.nn.functional.cross_entropy(logits, target).item())


def test_a_number_in_an_operation_is_copied_to_the_gpu_once():
    """``x * 1.0001`` in a loop reuses one 0-d device array for the number."""
    with gpu():
        x = mt.ones(2, device="cuda")
        first = mt.ops.operands.as_tensor_operand(1.0001, x)._array
        assert mt.ops.operands.as_tensor_operand(1.0001, x)._array is first
        # Equal but different numbers are kept apart: -0.0 and 0.0, 1 and 1.0 and True.
        for a, b in [(-0.0, 0.0), (1, 1.0), (True, 1)]:
            assert (
                mt.ops.operands.as_tensor_operand(a, x)._array
                is not mt.ops.operands.as_tensor_operand(b, x)._array
            )
        assert np.signbit((x * -0.0).cpu().numpy()).all()
        assert not np.signbit((x * 0.0).cpu().numpy()).any()
