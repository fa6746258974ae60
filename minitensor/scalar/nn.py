"""A tiny neural-network library on `Value`s: `Neuron`, `Layer`, `MLP`.

Everything here is ordinary arithmetic on Values, so a forward pass builds
a graph and ``loss.backward()`` fills the ``.grad`` of every weight. The
classes mirror the shape of PyTorch's ``nn.Module`` (``parameters()``,
``zero_grad()``, calling the model on an input) in a few lines each.

    >>> import minitensor
    >>> minitensor.manual_seed(0)
    >>> model = MLP(2, [4, 1])
    >>> out = model([1.0, -2.0])
    >>> out.backward()
    >>> len(model.parameters())     # (2 + 1) * 4 + (4 + 1) * 1
    17
"""

from __future__ import annotations

from minitensor.random import python_rng
from minitensor.scalar.value import Value


class Module:
    """The common part of `Neuron`, `Layer` and `MLP`."""

    def parameters(self) -> list[Value]:
        return []

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0.0 (do it before each backward)."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """``act(w . x + b)`` for one output; ``act`` is ReLU or, if ``nonlin=False``, nothing.

    Weights start uniform in [-1, 1] and the bias at 0, as in micrograd.
    Seed with ``minitensor.manual_seed`` for reproducible weights.
    """

    def __init__(self, nin: int, nonlin: bool = True):
        rng = python_rng()
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)
        self.nonlin = nonlin

    def __call__(self, x) -> Value:
        if len(x) != len(self.w):
            raise ValueError(f"Neuron expects {len(self.w)} inputs, got {len(x)}")
        # sum() starts from self.b, so the bias is the first term of the sum.
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons that all read the same input."""

    def __init__(self, nin: int, nout: int, nonlin: bool = True):
        self.neurons = [Neuron(nin, nonlin) for _ in range(nout)]
        self.nin, self.nout, self.nonlin = nin, nout, nonlin

    def __call__(self, x):
        """A list of ``nout`` Values, or one Value when ``nout == 1``."""
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer({self.nin} -> {self.nout}, {'relu' if self.nonlin else 'linear'})"


class MLP(Module):
    """A multi-layer perceptron: ReLU layers, then a linear last layer.

    Args:
        nin: the number of inputs.
        nouts: the width of each layer, e.g. ``[16, 16, 1]``.
    """

    def __init__(self, nin: int, nouts: list[int]):
        sizes = [nin] + list(nouts)
        self.layers = [
            Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1) for i in range(len(nouts))
        ]

    def __call__(self, x):
        x = [v if isinstance(v, Value) else Value(v) for v in x]
        for layer in self.layers:
            x = layer(x)
            x = x if isinstance(x, list) else [x]
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        rows = "".join(f"  ({i}): {layer}\n" for i, layer in enumerate(self.layers))
        return f"MLP(\n{rows})"
