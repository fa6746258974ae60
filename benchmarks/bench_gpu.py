"""The same benchmarks on a GPU: minitensor (through CuPy), PyTorch on CUDA, and CuPy by hand.

1. Per-operation overhead: the 1,000-op chain of bench_tensor on 2x2
   float32 tensors on the GPU, forward then backward. CuPy running the
   forward arithmetic alone is the floor.
2. Two-layer MLP steps, 1024 and 4096 wide (batch = width, float32),
   forward + backward, against the same step written by hand in CuPy.
3. One digits epoch (bench_train's notebook model) on the GPU.

GPU work is queued and runs later, so every timed function ends by waiting
for the GPU (``synchronize``). Without a GPU (no CuPy, or CuPy finds no
device) the module prints "no GPU" and reports nothing; PyTorch's rows need
a PyTorch built with CUDA.
"""

from __future__ import annotations

import numpy as np

from benchmarks.bench_tensor import CHAIN, chain_minitensor, mlp_framework
from benchmarks.timing import median_time, report

MLP_WIDTHS = (1024, 4096)


def _cupy_chain(cp, x0):
    x = x0
    for i in range(CHAIN):
        k = i % 3
        x = x * np.float32(1.0001) if k == 0 else (x + np.float32(0.01) if k == 1 else cp.tanh(x))
    return x.sum()


def _cupy_mlp(cp, X, Y, W1, W2):
    """Forward and backward of mse(relu(X @ W1) @ W2, Y), by hand (as bench_tensor.mlp_numpy)."""
    h = X @ W1
    a = cp.maximum(h, 0)
    out = a @ W2
    diff = out - Y
    loss = (diff * diff).mean()
    g_out = diff * (2.0 / diff.size)
    g_W2 = a.T @ g_out
    g_h = (g_out @ W2.T) * (h > 0)
    g_W1 = X.T @ g_h
    return loss, g_W1, g_W2


def main() -> dict[str, float]:
    import torch

    import minitensor as mt

    if not mt.cuda.is_available():
        print("\nGPU benchmarks: no GPU (minitensor finds none through CuPy), nothing to measure")
        return {}
    import cupy as cp

    torch_gpu = torch.cuda.is_available()
    if not torch_gpu:
        print("\nGPU benchmarks: this PyTorch has no CUDA, so its rows are left out")

    def synced(fn, *args):
        """``fn(*args)``, then wait for the GPU (minitensor's work and PyTorch's)."""

        def run():
            fn(*args)
            cp.cuda.Device().synchronize()
            if torch_gpu:
                torch.cuda.synchronize()

        return run

    rng = np.random.default_rng(0)
    results = {}

    # 1. Per-op overhead
    start = rng.standard_normal((2, 2)).astype(np.float32)
    rows = [
        (
            "CuPy, forward only (the floor)",
            median_time(synced(_cupy_chain, cp, cp.asarray(start)), 7),
        )
    ]
    x_mt = mt.tensor(start, device="cuda", requires_grad=True)
    t_mt = median_time(synced(chain_minitensor, mt, x_mt), repeats=7)
    if torch_gpu:
        x_torch = torch.tensor(start, device="cuda", requires_grad=True)
        rows.append(
            ("PyTorch CUDA eager", median_time(synced(chain_minitensor, torch, x_torch), 7))
        )
    rows.append(("minitensor (CuPy)", t_mt))
    report(f"GPU per-op overhead: {CHAIN}-op chain on 2x2 float32, forward + backward", rows,
           baseline=rows[-2][0] if torch_gpu else rows[0][0])  # fmt: skip
    us = 1e6 / CHAIN
    print("  per op: " + ", ".join(f"{name} {t * us:.1f} us" for name, t in rows))
    if torch_gpu:
        results["gpu_per_op_vs_torch"] = t_mt / rows[1][1]

    # 2. MLP steps
    for n in MLP_WIDTHS:
        host = [rng.standard_normal((n, n)).astype(np.float32) for _ in range(2)]
        weights = [(rng.standard_normal((n, n)) / np.sqrt(n)).astype(np.float32) for _ in range(2)]
        by_hand = [cp.asarray(a) for a in host + weights]
        rows = [("CuPy by hand", median_time(synced(_cupy_mlp, cp, *by_hand), 5))]
        mX, mY = (mt.tensor(a, device="cuda") for a in host)
        mW1, mW2 = (mt.tensor(w, device="cuda", requires_grad=True) for w in weights)
        t_mt = median_time(synced(mlp_framework, mt, mX, mY, mW1, mW2), 5)
        if torch_gpu:
            tX, tY = (torch.tensor(a, device="cuda") for a in host)
            tW1, tW2 = (torch.tensor(w, device="cuda", requires_grad=True) for w in weights)
            rows.append(
                (
                    "PyTorch CUDA eager",
                    median_time(synced(mlp_framework, torch, tX, tY, tW1, tW2), 5),
                )
            )
        rows.append(("minitensor (CuPy)", t_mt))
        report(f"GPU MLP step, {n} wide (batch {n}, float32), forward + backward", rows,
               baseline="CuPy by hand")  # fmt: skip
        results[f"gpu_mlp{n}_vs_cupy"] = t_mt / rows[0][1]

    # 3. A digits epoch
    results.update(_digits_epoch(mt, torch, torch_gpu, synced))
    return results


def _digits_epoch(mt, torch, torch_gpu, synced) -> dict[str, float]:
    from benchmarks.bench_train import _epoch, _models
    from minitensor import optim
    from minitensor.datasets import batches, load_digits_split
    from minitensor.nn import functional as F

    X_train, _, y_train, _ = load_digits_split(0.2, seed=0)
    mt_batches = [(xb.cuda(), yb.cuda()) for xb, yb in batches(X_train, y_train, 64, seed=0)]
    model, reference = _models(128, "ReLU")
    model.to("cuda")
    opt = optim.Adam(model.parameters(), lr=3e-3)
    rows = []
    if torch_gpu:
        reference.to("cuda")
        torch_batches = [
            (
                torch.tensor(xb.cpu().numpy(), device="cuda"),
                torch.tensor(yb.cpu().numpy(), device="cuda"),
            )
            for xb, yb in mt_batches
        ]
        torch_opt = torch.optim.Adam(reference.parameters(), lr=3e-3)
        epoch = synced(
            _epoch, reference, torch_opt, torch_batches, torch.nn.functional.cross_entropy
        )
        rows.append(("PyTorch CUDA", median_time(epoch, 7)))
    t_mt = median_time(synced(_epoch, model, opt, mt_batches, F.cross_entropy), 7)
    rows.append(("minitensor (CuPy)", t_mt))
    report(f"GPU digits epoch ({len(mt_batches)} batches of 64): MLP 64-128-10, ReLU, Adam", rows,
           baseline=rows[0][0])  # fmt: skip
    return {"gpu_digits_epoch_vs_torch": t_mt / rows[0][1]} if torch_gpu else {}


if __name__ == "__main__":
    main()
