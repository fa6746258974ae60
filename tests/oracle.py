"""PyTorch as the oracle: run the same code in both libraries and compare.

``compare(fn, *inputs)`` calls ``fn(lib, *tensors)`` once with ``lib=torch``
and once with ``lib=minitensor`` (tinygrad's ``helper_test_op`` idea) and
checks that both give the same values, dtype, shape and ``grad_fn`` name, or
the same exception type and message; then it backpropagates the same random
upstream gradient through both and compares every input's gradient.

The ``device`` fixture (import ``device_fixture``) runs a test on the CPU and on the GPU stand-in
(`minitensor.backend.use_standin_gpu`): the GPU suite is the CPU suite on
another device. PyTorch always runs on its CPU. With ``MINITENSOR_TEST_GPU=cupy``
(``make test-gpu``) "cuda" is the real GPU instead (see `gpu`), and
`gpu_tolerance` says how closely its results must match the CPU's.
"""

from __future__ import annotations

import contextlib
import os

import numpy as np
import pytest
import torch

import minitensor as mt
from minitensor import backend

# Which GPU serves "cuda" in the device tests: the array_api_strict stand-in
# (the default, on any machine), or the real one through CuPy with
# MINITENSOR_TEST_GPU=cupy (``make test-gpu``), which fails where there is none.
GPU = os.environ.get("MINITENSOR_TEST_GPU", "standin")
if GPU not in ("standin", "cupy"):
    raise ValueError(f"MINITENSOR_TEST_GPU must be standin or cupy, not {GPU!r}")


def on_real_gpu() -> bool:
    """True when the device tests run on a real GPU (CuPy), not on the stand-in."""
    return GPU == "cupy"


@contextlib.contextmanager
def gpu():
    """Inside, "cuda" is the stand-in, or the real GPU with MINITENSOR_TEST_GPU=cupy."""
    if on_real_gpu():
        backend.use_standin_gpu(False)  # (forgets the stand-in: "cuda" looks for CuPy)
        if not backend.cuda_is_available():
            pytest.fail(
                "MINITENSOR_TEST_GPU=cupy, but there is no GPU"
                + backend._why_no_cuda().replace(" (", ": ").removesuffix(")")
            )
        yield
        return
    backend.use_standin_gpu()
    try:
        yield
    finally:
        backend.use_standin_gpu(False)


@pytest.fixture(name="device", params=["cpu", "cuda"])
def device_fixture(request):
    """ "cpu", then "cuda" (the stand-in, or the real GPU: see `gpu`)."""
    if request.param == "cuda":
        with gpu():
            yield "cuda"
    else:
        yield "cpu"


def gpu_tolerance(dtype) -> dict:
    """``rtol``/``atol`` for comparing a "cuda" result with the CPU's.

    The stand-in computes with NumPy, so its results are the CPU's bit for
    bit (0, 0). A real GPU adds in another order (sums, var, std, cumsum,
    logsumexp), uses its own exp and log, and may flush subnormals to zero:
    a few units in the last place, and the smallest normal number absolute.
    """
    if not on_real_gpu():
        return {"rtol": 0.0, "atol": 0.0}
    info = np.finfo(dtype_name(dtype) if not isinstance(dtype, str) else dtype)
    return {"rtol": 64 * float(info.eps), "atol": float(info.tiny)}


def dtype_name(dtype) -> str:
    """``torch.float32`` and ``minitensor.float32`` both give ``"float32"``."""
    return str(dtype).split(".")[-1]


def host(t) -> np.ndarray:
    """A tensor of either library as a NumPy array."""
    return t.detach().cpu().numpy()


def make(lib, value, device="cpu", requires_grad=None):
    """``value`` (a NumPy array, or anything else) as a tensor of ``lib``.

    Float arrays require grad unless ``requires_grad`` says otherwise; other
    values (Python numbers, None, ...) pass through unchanged.
    """
    if not isinstance(value, np.ndarray):
        return value
    if requires_grad is None:
        requires_grad = value.dtype.kind == "f"
    if lib is torch:
        return torch.tensor(value.copy(), requires_grad=requires_grad)
    return mt.tensor(value.copy(), device=device, requires_grad=requires_grad)


def torch_message(message: str) -> str:
    """PyTorch's message as minitensor words it."""
    return message.replace("torch.", "minitensor.")


def run(lib, fn, args, device):
    """``fn(lib, *tensors)``, returning (result, inputs) or the exception raised."""
    tensors = [make(lib, a, device) for a in args]
    try:
        return fn(lib, *tensors), tensors
    except Exception as error:  # compared with the other library's below
        return error, tensors


def assert_same_error(ours, theirs) -> None:
    assert isinstance(ours, Exception), f"minitensor returned {ours!r}, PyTorch raised {theirs!r}"
    assert isinstance(theirs, Exception), f"minitensor raised {ours!r}, PyTorch returned {theirs!r}"
    assert type(ours).__name__ == type(theirs).__name__, f"{ours!r} != {theirs!r}"
    assert str(ours) == torch_message(str(theirs)), f"{str(ours)!r} != {str(theirs)!r}"


def compare(fn, *args, device="cpu", grad=True, atol=1e-5, rtol=1e-4, name=True):
    """Run ``fn`` in both libraries; compare results and (if ``grad``) gradients.

    Returns minitensor's result (or None when both raised the same error).
    """
    theirs, torch_inputs = run(torch, fn, args, device)
    ours, mt_inputs = run(mt, fn, args, device)
    if isinstance(theirs, Exception) or isinstance(ours, Exception):
        assert_same_error(ours, theirs)
        return None
    if not isinstance(theirs, torch.Tensor):  # a Python value (a == None is False)
        assert ours == theirs, f"{ours!r} != {theirs!r}"
        return ours
    assert_same_tensor(ours, theirs, atol=atol, rtol=rtol)
    if ours.device.type != device:
        raise AssertionError(f"result on {ours.device}, expected {device}")
    if name:
        their_name = theirs.grad_fn.name() if theirs.grad_fn is not None else None
        our_name = ours.grad_fn.name() if ours.grad_fn is not None else None
        assert our_name == torch_message(str(their_name)).replace("torch::", "minitensor::") or (
            our_name is None and their_name is None
        ), f"grad_fn {our_name} != {their_name}"
    if grad and theirs.requires_grad:
        assert ours.requires_grad
        upstream = np.random.default_rng(0).standard_normal(tuple(theirs.shape))
        upstream = upstream.astype(dtype_name(theirs.dtype))
        try:
            theirs.backward(torch.tensor(upstream))
        except Exception as their_error:  # a backward that fails must fail in both
            try:
                ours.backward(mt.tensor(upstream, device=device))
            except Exception as our_error:
                assert_same_error(our_error, their_error)
                return ours
            raise AssertionError(f"PyTorch's backward raised {their_error!r}") from None
        ours.backward(mt.tensor(upstream, device=device))
        for mine, reference in zip(mt_inputs, torch_inputs):
            if isinstance(reference, torch.Tensor) and reference.requires_grad:
                if reference.grad is None:
                    assert mine.grad is None
                else:
                    assert_same_tensor(mine.grad, reference.grad, atol=atol, rtol=rtol)
    return ours


def assert_same_tensor(ours, theirs, atol=1e-5, rtol=1e-4) -> None:
    """Same dtype, shape and values (nan where nan)."""
    assert isinstance(ours, mt.Tensor), f"expected a minitensor Tensor, got {ours!r}"
    assert dtype_name(ours.dtype) == dtype_name(theirs.dtype), f"{ours.dtype} != {theirs.dtype}"
    assert tuple(ours.shape) == tuple(theirs.shape), f"{ours.shape} != {theirs.shape}"
    np.testing.assert_allclose(
        host(ours).astype(np.float64), host(theirs).astype(np.float64), rtol=rtol, atol=atol
    )
