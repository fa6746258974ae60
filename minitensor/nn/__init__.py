"""Neural networks: `Module`, layers, losses (``minitensor.nn``)."""

from minitensor.nn.parameter import Parameter

__all__ = ["Parameter"]
