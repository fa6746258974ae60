"""Benchmarks: `make bench` (or `python -m benchmarks`) runs them all.

Every result is a ratio measured in the same run against a reference
(micrograd, NumPy, PyTorch), because these machines are shared and noisy:
absolute times move from run to run, ratios much less. Medians of several
repeats are quoted.
"""
