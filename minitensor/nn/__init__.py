"""Neural networks (``minitensor.nn``): `Module`, layers, activations, losses.

* `Module` (module.py): the base class; registers Parameters and sub-Modules.
* `Parameter` (parameter.py): a tensor that is a model's weight.
* layers.py: `Linear`, `Flatten`, `Identity`, `Dropout`, the
  activations (`Tanh`, `ReLU`, `LeakyReLU`, `Sigmoid`, `SiLU`, `GELU`, `Softmax`,
  `LogSoftmax`) and the loss modules.
* containers.py: `Sequential`, `ModuleList`, `ModuleDict`, `ParameterList`.
* functional.py (``nn.functional``, ``F``): the same as functions.
* losses.py: the losses' forward and backward; init.py: weight initialisation.
"""

from minitensor.nn import functional, init
from minitensor.nn.containers import ModuleDict, ModuleList, ParameterList, Sequential
from minitensor.nn.layers import (
    GELU,
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    Dropout,
    Flatten,
    HuberLoss,
    Identity,
    L1Loss,
    LeakyReLU,
    Linear,
    LogSoftmax,
    MSELoss,
    NLLLoss,
    ReLU,
    Sigmoid,
    SiLU,
    SmoothL1Loss,
    Softmax,
    Tanh,
)
from minitensor.nn.module import Module
from minitensor.nn.parameter import Parameter

__all__ = [
    "GELU",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "Dropout",
    "Flatten",
    "HuberLoss",
    "Identity",
    "L1Loss",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "Module",
    "ModuleDict",
    "ModuleList",
    "NLLLoss",
    "Parameter",
    "ParameterList",
    "ReLU",
    "Sequential",
    "SiLU",
    "Sigmoid",
    "SmoothL1Loss",
    "Softmax",
    "Tanh",
    "functional",
    "init",
]
