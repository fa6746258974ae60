"""Neural networks (``minitensor.nn``): `Module`, layers, activations, losses.

* `Module` (module.py): the base class; registers Parameters and sub-Modules.
* `Parameter` (parameter.py): a tensor that is a model's weight.
* layers.py: `Linear`, `Sequential`, `Flatten`, `Identity`, the activations
  (`Tanh`, `ReLU`, `Sigmoid`, `Softmax`, `LogSoftmax`) and the loss modules.
* functional.py (``nn.functional``, ``F``): the same as functions.
* losses.py: the losses' forward and backward; init.py: weight initialisation.
"""

from minitensor.nn import functional, init
from minitensor.nn.layers import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    Flatten,
    Identity,
    Linear,
    LogSoftmax,
    MSELoss,
    NLLLoss,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
)
from minitensor.nn.module import Module
from minitensor.nn.parameter import Parameter

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "Flatten",
    "Identity",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "Module",
    "NLLLoss",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "functional",
    "init",
]
