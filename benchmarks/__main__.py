"""Run every benchmark: ``python -m benchmarks`` (``make bench``)."""

import platform

from benchmarks import bench_scalar


def main() -> None:
    print(f"Python {platform.python_version()} on {platform.machine()}; medians of repeated runs")
    bench_scalar.main()


if __name__ == "__main__":
    main()
