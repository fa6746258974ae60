"""Devices: "cpu" (NumPy) and "cuda" (CuPy), the latter tested on the array-API stand-in.

The op suites (test_ops_*.py, test_autograd.py, test_inplace.py) already run
every case on both devices; this file checks moving between devices, the
``device=`` arguments, and what happens without a GPU.
"""

import numpy as np
import pytest
import torch

import minitensor as mt
from tests.oracle import gpu as oracle_gpu
from tests.oracle import on_real_gpu


@pytest.fixture(name="gpu")
def gpu_fixture():
    """ "cuda": the stand-in, or the real GPU under make test-gpu (see tests/oracle.py)."""
    with oracle_gpu():
        yield


def test_without_a_gpu_cuda_is_unavailable_and_says_why():
    if on_real_gpu():
        pytest.skip("this machine has a GPU")
    assert mt.cuda.is_available() is False and mt.cuda.device_count() == 0
    for make in (
        lambda: mt.tensor([1.0], device="cuda"),
        lambda: mt.zeros(2, device="cuda"),
        lambda: mt.ones(2).cuda(),
        lambda: mt.ones(2).to("cuda:0"),
    ):
        with pytest.raises(AssertionError) as error:
            make()
        message = str(error.value)
        assert message.startswith("Torch not compiled with CUDA enabled")  # PyTorch's words
        assert "CuPy" in message  # and how to get a GPU in minitensor


def test_device_objects_like_torch():
    for spec in ["cpu", "cuda", "cuda:1", "cpu:0"]:
        ours, theirs = mt.device(spec), torch.device(spec)
        assert repr(ours) == repr(theirs) and str(ours) == str(theirs)
        assert (ours.type, ours.index) == (theirs.type, theirs.index)
    assert mt.device("cuda", 1) == mt.device("cuda:1") == "cuda:1"
    assert mt.device(mt.device("cpu")) == "cpu"


FACTORIES = [
    lambda d: mt.tensor([1.0, 2.0], device=d),
    lambda d: mt.Tensor([1, 2], device=d),
    lambda d: mt.FloatTensor([1, 2], device=d),
    lambda d: mt.zeros(2, 3, device=d),
    lambda d: mt.ones(2, device=d),
    lambda d: mt.empty(2, device=d),
    lambda d: mt.full((2,), 3.0, device=d),
    lambda d: mt.eye(2, device=d),
    lambda d: mt.arange(3, device=d),
    lambda d: mt.linspace(0, 1, 3, device=d),
    lambda d: mt.rand(2, device=d),
    lambda d: mt.randn(2, device=d),
    lambda d: mt.randint(0, 5, (2,), device=d),
    lambda d: mt.randperm(3, device=d),
    lambda d: mt.zeros_like(mt.ones(2), device=d),
    lambda d: mt.ones_like(mt.ones(2, device=d)),
    lambda d: mt.full_like(mt.ones(2, device=d), 4.0),
    lambda d: mt.randn_like(mt.ones(2, device=d)),
    lambda d: mt.as_tensor([1, 2], device=d),
]


@pytest.mark.parametrize("factory", FACTORIES)
def test_device_argument_of_every_factory(factory, gpu):
    mt.manual_seed(0)
    on_gpu = factory("cuda")
    mt.manual_seed(0)
    on_cpu = factory("cpu")
    assert on_gpu.device == mt.device("cuda:0") and on_gpu.is_cuda
    assert on_cpu.device == mt.device("cpu") and not on_cpu.is_cuda
    assert on_gpu.dtype == on_cpu.dtype and on_gpu.shape == on_cpu.shape
    assert on_gpu.tolist() == on_cpu.tolist()  # the same seed gives the same numbers


def test_moving_between_devices(gpu):
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    on_gpu = x.cuda()
    assert on_gpu.device == mt.device("cuda:0") and on_gpu.grad_fn.name() == "ToCopyBackward0"
    assert x.to("cuda").device == x.to(mt.device("cuda", 0)).device == on_gpu.device
    back = (on_gpu * 3).cpu()
    assert back.device == mt.device("cpu")
    back.sum().backward()
    assert x.grad.device == mt.device("cpu") and x.grad.tolist() == [3.0, 3.0]
    assert on_gpu.to("cuda") is on_gpu and on_gpu.cuda() is on_gpu
    assert on_gpu.to(mt.float64).device == on_gpu.device
    assert x.to(on_gpu.detach()).device == on_gpu.device  # to(other): its dtype and device
    assert x.type() == "minitensor.FloatTensor" and on_gpu.type() == "minitensor.cuda.FloatTensor"


def test_gpu_tensor_printing_and_leaving(gpu):
    t = mt.tensor([1.5, 2.0], device="cuda", requires_grad=True)
    assert repr(t) == "tensor([1.5000, 2.0000], device='cuda:0', requires_grad=True)"
    assert repr(t * 2) == "tensor([3., 4.], device='cuda:0', grad_fn=<MulBackward0>)"
    assert t.tolist() == [1.5, 2.0] and t[0].item() == 1.5
    assert isinstance(t.detach().cpu().numpy(), np.ndarray)
    with pytest.raises(TypeError, match=r"^can't convert cuda:0 device type tensor to numpy"):
        t.detach().numpy()


def test_copy_between_devices_is_differentiable(gpu):
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    target = mt.zeros(2, device="cuda") * 1
    target.copy_(x)
    assert target.device == mt.device("cuda:0") and target.tolist() == [1.0, 2.0]
    target.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_gpu_training_step_matches_cpu(gpu):
    """A small MLP step (matmul, tanh, mean, SGD under no_grad) gives the same on both."""
    rng = np.random.default_rng(0)
    data = [rng.standard_normal(s).astype(np.float32) for s in ((8, 3), (3, 4), (4,), (4, 1))]
    results = {}
    for dev in ("cpu", "cuda"):
        x, w1, b1, w2 = (mt.tensor(a, device=dev) for a in data)
        for p in (w1, b1, w2):
            p.requires_grad_()
        for _ in range(3):
            loss = ((x @ w1 + b1).tanh() @ w2).pow(2).mean()
            loss.backward()
            with mt.no_grad():
                for p in (w1, b1, w2):
                    p -= 0.1 * p.grad
                    p.grad = None
        results[dev] = (loss.item(), w1.tolist())
    assert results["cpu"][0] == pytest.approx(results["cuda"][0], rel=1e-6)
    np.testing.assert_allclose(results["cpu"][1], results["cuda"][1], rtol=1e-6)


def test_second_derivative_on_gpu(gpu):
    x = mt.tensor([0.5, 1.5], device="cuda", requires_grad=True)
    (g,) = mt.autograd.grad((x.sigmoid() * x.exp()).sum(), x, create_graph=True)
    (h,) = mt.autograd.grad(g.sum(), x)
    t = torch.tensor([0.5, 1.5], requires_grad=True)
    (tg,) = torch.autograd.grad((t.sigmoid() * t.exp()).sum(), t, create_graph=True)
    (th,) = torch.autograd.grad(tg.sum(), t)
    np.testing.assert_allclose(h.tolist(), th.tolist(), rtol=1e-5)
    assert h.device == mt.device("cuda:0")
