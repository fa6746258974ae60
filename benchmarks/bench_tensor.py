"""The tensor engine against PyTorch and hand-written NumPy.

1. Per-operation overhead: a chain of 1,000 operations (mul, add, tanh in
   turn) on 2x2 float32 tensors, forward then backward. On tensors this
   small the arithmetic is nothing; the time is the engine's bookkeeping.
   NumPy doing the same forward arithmetic alone (no graph, no backward) is
   the floor.
2. A two-layer 1024-wide MLP step (batch 1024, float32, forward + backward
   of the mean squared error): here the matrix products dominate, so the
   engine should cost little over NumPy doing the same products by hand.
"""

from __future__ import annotations

import numpy as np

from benchmarks.timing import median_time, report

CHAIN = 1000


def chain_minitensor(mt, x0):
    x = x0
    for i in range(CHAIN):
        k = i % 3
        x = x * 1.0001 if k == 0 else (x + 0.01 if k == 1 else x.tanh())
    x.sum().backward()


def chain_numpy(x0):
    x = x0
    for i in range(CHAIN):
        k = i % 3
        x = x * np.float32(1.0001) if k == 0 else (x + np.float32(0.01) if k == 1 else np.tanh(x))
    return x.sum()


def mlp_numpy(X, Y, W1, W2):
    """Forward and backward of mse(relu(X @ W1) @ W2, Y), by hand."""
    h = X @ W1
    a = np.maximum(h, 0)
    out = a @ W2
    diff = out - Y
    loss = (diff * diff).mean()
    g_out = diff * (2.0 / diff.size)
    g_W2 = a.T @ g_out
    g_a = g_out @ W2.T
    g_h = g_a * (h > 0)
    g_W1 = X.T @ g_h
    return loss, g_W1, g_W2


def mlp_framework(lib, X, Y, W1, W2):
    W1.grad = None
    W2.grad = None
    out = (X @ W1).relu() @ W2
    loss = ((out - Y) ** 2).mean()
    loss.backward()
    return loss


def main() -> dict[str, float]:
    import torch

    import minitensor as mt

    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    start = rng.standard_normal((2, 2)).astype(np.float32)

    t_numpy = median_time(lambda: chain_numpy(start), repeats=7)
    x_mt = mt.tensor(start, requires_grad=True)
    t_mt = median_time(lambda: chain_minitensor(mt, x_mt), repeats=7)
    x_torch = torch.tensor(start, requires_grad=True)
    t_torch = median_time(lambda: chain_minitensor(torch, x_torch), repeats=7)
    report(
        f"Per-op overhead: {CHAIN}-op chain of mul/add/tanh on 2x2 float32, forward + backward",
        [
            ("NumPy, forward only (the floor)", t_numpy),
            ("PyTorch CPU eager", t_torch),
            ("minitensor", t_mt),
        ],
        baseline="PyTorch CPU eager",
    )
    us = 1e6 / CHAIN
    print(
        f"  per op: minitensor {t_mt * us:.1f} us, PyTorch {t_torch * us:.1f} us, "
        f"NumPy {t_numpy * us:.2f} us"
    )
    per_op_ratio = t_mt / t_torch
    print(f"  minitensor / PyTorch = {per_op_ratio:.2f} (goal: at most 2.0)")

    n = 1024
    X = rng.standard_normal((n, n)).astype(np.float32)
    Y = rng.standard_normal((n, n)).astype(np.float32)
    W1 = (rng.standard_normal((n, n)) / np.sqrt(n)).astype(np.float32)
    W2 = (rng.standard_normal((n, n)) / np.sqrt(n)).astype(np.float32)
    t_np_mlp = median_time(lambda: mlp_numpy(X, Y, W1, W2), repeats=5)
    mX, mY = mt.from_numpy(X), mt.from_numpy(Y)
    mW1, mW2 = mt.tensor(W1, requires_grad=True), mt.tensor(W2, requires_grad=True)
    t_mt_mlp = median_time(lambda: mlp_framework(mt, mX, mY, mW1, mW2), repeats=5)
    tX, tY = torch.from_numpy(X), torch.from_numpy(Y)
    tW1, tW2 = torch.tensor(W1, requires_grad=True), torch.tensor(W2, requires_grad=True)
    t_torch_mlp = median_time(lambda: mlp_framework(torch, tX, tY, tW1, tW2), repeats=5)
    report(
        "Two-layer 1024-wide MLP step (batch 1024, float32), forward + backward",
        [
            ("hand-written NumPy", t_np_mlp),
            ("PyTorch CPU eager", t_torch_mlp),
            ("minitensor", t_mt_mlp),
        ],
        baseline="hand-written NumPy",
    )
    mlp_ratio = t_mt_mlp / t_np_mlp
    print(f"  minitensor / NumPy = {mlp_ratio:.2f} (goal: <= 1.10)")
    return {"per_op_vs_torch": per_op_ratio, "mlp_vs_numpy": mlp_ratio}


if __name__ == "__main__":
    main()
