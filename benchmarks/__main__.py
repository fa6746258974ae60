"""Run every benchmark: ``python -m benchmarks`` (``make bench``).

Each module prints its own table; the summary at the end collects the
ratios against the goals set in the issues.
"""

import platform

from benchmarks import bench_scalar, bench_tensor, bench_train

GOALS = {
    "scalar_speedup_vs_micrograd": ("minitensor.scalar speed-up over micrograd", ">= 5"),
    "per_op_vs_torch": ("per-op time / PyTorch's (2x2 tensors)", "< 1.0"),
    "mlp_vs_numpy": ("1024-wide MLP step / hand-written NumPy", "<= 1.10"),
    "digits_epoch_adam_vs_torch": ("digits epoch (64-128-10, Adam) / PyTorch's", "<= 1.5"),
    "digits_epoch_sgd_vs_torch": ("digits epoch (64-32-10, SGD) / PyTorch's", "<= 1.5"),
}


def main() -> None:
    print(f"Python {platform.python_version()} on {platform.machine()}; medians of repeated runs")
    results = {}
    results.update(bench_scalar.main())
    results.update(bench_tensor.main())
    results.update(bench_train.main())
    print("\nSummary")
    for key, value in results.items():
        what, goal = GOALS.get(key, (key, "-"))
        print(f"  {what:<46} {value:7.2f}   goal {goal}")


if __name__ == "__main__":
    main()
