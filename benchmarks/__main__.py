"""Run every benchmark: ``python -m benchmarks`` (``make bench``).

Each benchmark module runs in a fresh Python process, so one cannot slow
another down: importing PyTorch, for instance, leaves hundreds of thousands
of objects that Python's cycle collector then walks during the scalar
benchmark. Each module prints its own table, then its ratios as one JSON
line; the summary at the end collects them against the goals of the issues.
"""

import json
import platform
import subprocess
import sys

MODULES = [
    "bench_scalar",
    "bench_tensor",
    "bench_train",
    "bench_gpu",
]  # bench_gpu: "no GPU" without one

GOALS = {
    "scalar_speedup_vs_micrograd": ("minitensor.scalar speed-up over micrograd", ">= 8"),
    "scalar_per_node_vs_micrograd_collector_off": (
        "scalar per-node speed (collector on) / micrograd's (off)",
        "> 1",
    ),
    "scalar_collector_off_speedup_vs_micrograd": (
        "scalar speed-up over micrograd, both collectors off",
        "-",
    ),
    "per_op_vs_torch": ("per-op time / PyTorch's (2x2 tensors)", "<= 2.0"),
    "mlp_vs_numpy": ("1024-wide MLP step / hand-written NumPy", "<= 1.10"),
    "digits_epoch_notebook_vs_torch": ("digits epoch (notebook 07's) / PyTorch's", "<= 1.5"),
    "digits_epoch_adam_vs_torch": ("digits epoch (64-128-10, Adam) / PyTorch's", "<= 1.5"),
    "digits_epoch_sgd_vs_torch": ("digits epoch (64-32-10, SGD) / PyTorch's", "<= 1.5"),
    "gpu_per_op_vs_torch": ("GPU per-op time / PyTorch CUDA's", "-"),
    "gpu_mlp1024_vs_cupy": ("GPU 1024-wide MLP step / CuPy by hand", "-"),
    "gpu_mlp4096_vs_cupy": ("GPU 4096-wide MLP step / CuPy by hand", "-"),
    "gpu_digits_epoch_vs_torch": ("GPU digits epoch / PyTorch CUDA's", "-"),
}

RESULT_PREFIX = "RESULTS "


def run_module(name: str) -> dict:
    """Run ``benchmarks.<name>`` in its own process; return the ratios it reports."""
    code = (
        f"import json; from benchmarks import {name}; "
        f"print({RESULT_PREFIX!r} + json.dumps({name}.main()))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    results = {}
    for line in output.splitlines():
        if line.startswith(RESULT_PREFIX):
            results = json.loads(line[len(RESULT_PREFIX) :])
        else:
            print(line)
    return results


def main() -> None:
    print(f"Python {platform.python_version()} on {platform.machine()}; medians of repeated runs")
    results: dict = {}
    for name in MODULES:
        results.update(run_module(name))
    print("\nSummary")
    for key, value in results.items():
        what, goal = GOALS.get(key, (key, "-"))
        print(f"  {what:<46} {value:7.2f}   goal {goal}")


if __name__ == "__main__":
    main()
