"""The scalar engine against micrograd on micrograd's own demo step.

MLP(2, [16, 16, 1]) on 100 two-moons points, max-margin loss plus L2
regularisation, forward + backward + SGD update, exactly as micrograd's
demo notebook does it.

First with Python's cycle collector on, as it is for every user: that is
the comparison that counts. micrograd's closures make a reference cycle per
graph node, so the collector walks its graphs again and again. Then with the
collector off (as ``timeit`` runs code): micrograd's fastest, which is what
minitensor's per-node cost must beat. The time per graph node divides each
step by the number of nodes its graph has.
"""

from __future__ import annotations

import gc
import random
import statistics
import time

import numpy as np
from sklearn.datasets import make_moons

from benchmarks.timing import median_time, report

MICROGRAD = "micrograd 0.1.0"
MINITENSOR = "minitensor.scalar"


def demo_loss(model, X, y):
    """The forward pass of micrograd's demo; works with either library's MLP."""
    scores = [model(list(row)) for row in X]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


def demo_step(model, X, y):
    """One step of micrograd's demo: forward, backward, SGD update."""
    total = demo_loss(model, X, y)
    model.zero_grad()
    total.backward()
    for p in model.parameters():
        p.data -= 0.5 * p.grad
    return total.data


def graph_size(output) -> int:
    """How many nodes the graph of ``output`` has (micrograd's ``_prev`` or ``parents``)."""
    seen = {output}
    stack = [output]
    while stack:
        node = stack.pop()
        parents = node._prev if hasattr(node, "_prev") else node.parents
        for parent in parents:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return len(seen)


def median_time_collector_off(fn, repeats: int, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` with the cycle collector off while it runs.

    The collector runs between the timed calls (untimed), so the garbage of
    micrograd's reference cycles does not pile up from one call to the next.
    """
    times = []
    was_enabled = gc.isenabled()
    try:
        for i in range(warmup + repeats):
            gc.collect()
            gc.disable()
            start = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - start
            gc.enable()
            if i >= warmup:
                times.append(elapsed)
    finally:
        if was_enabled:
            gc.enable()
    return statistics.median(times)


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
    nodes = {
        MICROGRAD: graph_size(demo_loss(micro, X, y)),
        MINITENSOR: graph_size(demo_loss(mini, X, y)),
    }

    t_micro = median_time(lambda: demo_step(micro, X, y), repeats=5)
    t_mini = median_time(lambda: demo_step(mini, X, y), repeats=5)
    t_micro_off = median_time_collector_off(lambda: demo_step(micro, X, y), repeats=9)
    t_mini_off = median_time_collector_off(lambda: demo_step(mini, X, y), repeats=9)

    report(
        "Scalar engine: micrograd's demo step (MLP(2, [16, 16, 1]), 100 points, fwd+bwd+SGD)",
        [(MICROGRAD, t_micro), (MINITENSOR, t_mini)],
        baseline=MICROGRAD,
    )
    speedup = t_micro / t_mini
    print(f"  minitensor.scalar is {speedup:.1f}x faster than micrograd (goal: at least 8x)")

    report(
        "The same step with the cycle collector off while it runs (collected between runs)",
        [
            (f"{MICROGRAD}, collector off", t_micro_off),
            (f"{MINITENSOR}, collector off", t_mini_off),
        ],
        baseline=f"{MICROGRAD}, collector off",
    )
    print("\n  Time per graph node (the step's time / the nodes its graph has)")
    for name, seconds in [
        (f"{MICROGRAD}, collector on", t_micro),
        (f"{MICROGRAD}, collector off", t_micro_off),
        (f"{MINITENSOR}, collector on", t_mini),
        (f"{MINITENSOR}, collector off", t_mini_off),
    ]:
        library = name.split(",")[0]
        per_node = seconds / nodes[library] * 1e6
        print(f"  {name:<36} {per_node:6.2f} us   ({nodes[library]:,} nodes)")
    per_node_ratio = (t_micro_off / nodes[MICROGRAD]) / (t_mini / nodes[MINITENSOR])
    print(
        f"  minitensor.scalar, collector on, is {per_node_ratio:.2f}x micrograd's speed per node "
        f"with the collector off (goal: above 1)"
    )
    return {
        "scalar_speedup_vs_micrograd": speedup,
        "scalar_per_node_vs_micrograd_collector_off": per_node_ratio,
        "scalar_collector_off_speedup_vs_micrograd": t_micro_off / t_mini_off,
    }


if __name__ == "__main__":
    main()
