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
from minitensor import backend
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
    monkeypatch.setattr(backend, "_widened", lambda scatter_add, xp: scatter_add)
    with gpu():  # (a fresh stand-in, built with the raw scatter-add)
        x = mt.zeros(3, dtype=mt.int8, device="cuda")
        with pytest.raises(TypeError, match=r"cupy\.add\.at only supports int32, int64, float16"):
            x[mt.tensor([0, 0], device="cuda")] = 1
