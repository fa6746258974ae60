"""One training epoch on the digits: minitensor against PyTorch (CPU), same model.

The digits' training split (1,437 images of 8x8 pixels) through the
classic loop (zero_grad, forward, cross-entropy, backward, step), for the
MLP of notebook 07 (64-128-10, ReLU, Adam; batches of 64 there, of 32 in
tests/test_training.py) and the smaller one of the issue's example loop
(64-32-10, Tanh, SGD with momentum; batches of 32). Both libraries start
from the same weights and see the same batches, made before the clock
starts, so the time is that of the training steps. The goal: minitensor
within 1.5x of PyTorch's time.
"""

from __future__ import annotations

import torch

from benchmarks.timing import median_time, report


def _models(hidden: int, activation: str):
    import minitensor as mt
    from minitensor import nn

    mt.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, hidden), getattr(nn, activation)(), nn.Linear(hidden, 10))
    reference = torch.nn.Sequential(
        torch.nn.Linear(64, hidden), getattr(torch.nn, activation)(), torch.nn.Linear(hidden, 10)
    )
    reference.load_state_dict(
        {k: torch.from_numpy(v.numpy().copy()) for k, v in model.state_dict().items()}
    )
    return model, reference


def _epoch(model, opt, batch_list, cross_entropy):
    """One pass over the batches; works with either library."""
    for xb, yb in batch_list:
        opt.zero_grad()
        loss = cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
    return loss


def compare(
    hidden: int, activation: str, opt_name: str, opt_kwargs: dict, batch_size: int = 32
) -> float:
    """Print both epoch times; return minitensor's time / PyTorch's time."""
    from minitensor import optim
    from minitensor.datasets import batches, load_digits_split
    from minitensor.nn import functional as F

    X_train, _, y_train, _ = load_digits_split(0.2, seed=0)
    mt_batches = list(batches(X_train, y_train, batch_size=batch_size, seed=0))
    torch_batches = [
        (torch.from_numpy(xb.numpy().copy()), torch.from_numpy(yb.numpy().copy()))
        for xb, yb in mt_batches
    ]
    model, reference = _models(hidden, activation)
    opt = getattr(optim, opt_name)(model.parameters(), **opt_kwargs)
    torch_opt = getattr(torch.optim, opt_name)(reference.parameters(), **opt_kwargs)

    t_torch = median_time(
        lambda: _epoch(reference, torch_opt, torch_batches, torch.nn.functional.cross_entropy),
        repeats=7,
    )
    t_mini = median_time(lambda: _epoch(model, opt, mt_batches, F.cross_entropy), repeats=7)
    report(
        f"One digits epoch ({len(mt_batches)} batches of {batch_size}): MLP 64-{hidden}-10, "
        f"{activation}, {opt_name}",
        [(f"PyTorch {torch.__version__}", t_torch), ("minitensor", t_mini)],
        baseline=f"PyTorch {torch.__version__}",
    )
    ratio = t_mini / t_torch
    print(f"  minitensor takes {ratio:.2f}x PyTorch's time (goal: at most 1.5x)")
    return ratio


def main() -> dict[str, float]:
    return {
        "digits_epoch_notebook_vs_torch": compare(128, "ReLU", "Adam", {"lr": 3e-3}, 64),
        "digits_epoch_adam_vs_torch": compare(128, "ReLU", "Adam", {"lr": 1e-3}),
        "digits_epoch_sgd_vs_torch": compare(32, "Tanh", "SGD", {"lr": 0.1, "momentum": 0.9}),
    }


if __name__ == "__main__":
    main()
