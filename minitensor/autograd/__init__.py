"""Automatic differentiation: the backward engine and, for tensors, its API."""

from minitensor.autograd.engine import Step, backward_steps, run_backward, topological_order

__all__ = ["Step", "backward_steps", "run_backward", "topological_order"]
