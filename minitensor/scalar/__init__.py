"""The scalar engine: `Value` and a micrograd-style `Neuron`/`Layer`/`MLP`."""

from minitensor.scalar.nn import MLP, Layer, Module, Neuron
from minitensor.scalar.value import Value

__all__ = ["MLP", "Layer", "Module", "Neuron", "Value"]
