"""The scalar engine against micrograd on micrograd's own demo step.

MLP(2, [16, 16, 1]) on 100 two-moons points, max-margin loss plus L2
regularisation, forward + backward + SGD update, exactly as micrograd's
demo notebook does it. Python's cycle collector stays on, as it is for
every user.
"""

from __future__ import annotations

import random

import numpy as np
from sklearn.datasets import make_moons

from benchmarks.timing import median_time, report


def demo_step(model, X, y):
    """One step of micrograd's demo; works with either library's MLP."""
    scores = [model(list(row)) for row in X]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    for p in model.parameters():
        p.data -= 0.5 * p.grad
    return total.data


def main() -> dict[str, float]:
    from micrograd.nn import MLP as MicrogradMLP

    import minitensor as mt
    from minitensor.scalar import MLP

    X, y = make_moons(n_samples=100, noise=0.1, random_state=1)
    X = X.tolist()
    y = (np.asarray(y) * 2 - 1).tolist()

    random.seed(1337)
    micro = MicrogradMLP(2, [16, 16, 1])
    mt.manual_seed(1337)
    mini = MLP(2, [16, 16, 1])

    t_micro = median_time(lambda: demo_step(micro, X, y), repeats=5)
    t_mini = median_time(lambda: demo_step(mini, X, y), repeats=5)
    report(
        "Scalar engine: micrograd's demo step (MLP(2, [16, 16, 1]), 100 points, fwd+bwd+SGD)",
        [("micrograd 0.1.0", t_micro), ("minitensor.scalar", t_mini)],
        baseline="micrograd 0.1.0",
    )
    speedup = t_micro / t_mini
    print(f"  minitensor.scalar is {speedup:.1f}x faster than micrograd (goal: at least 5x)")
    return {"scalar_speedup_vs_micrograd": speedup}


if __name__ == "__main__":
    main()
