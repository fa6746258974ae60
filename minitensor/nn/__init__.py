"""Neural networks (``minitensor.nn``): `Module`, layers, activations, losses.

* `Module` (module.py): the base class; registers Parameters and sub-Modules.
* `Parameter` (parameter.py): a tensor that is a model's weight.
* layers.py: `Linear`, `Flatten`, `Identity`, `Dropout`.
* activation_modules.py: `Tanh`, `ReLU`, `LeakyReLU`, `Sigmoid`, `SiLU`, `GELU`,
  `Softmax`, `LogSoftmax`.
* loss_modules.py: `MSELoss`, `L1Loss`, `SmoothL1Loss`, `HuberLoss`, `BCELoss`,
  `BCEWithLogitsLoss`, `NLLLoss`, `CrossEntropyLoss`.
* containers.py: `Sequential`, `ModuleList`, `ModuleDict`, `ParameterList`.
* functional.py (``nn.functional``, ``F``): the same as functions; the losses
  among them are written in regression_losses.py and classification_losses.py,
  their forward and backward in losses.py, and the ``reduction`` rule they
  share in loss_reduction.py.
* init.py: weight initialisation.
"""

from minitensor.nn import functional, init
from minitensor.nn.activation_modules import (
    GELU,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Tanh,
)
from minitensor.nn.containers import ModuleDict, ModuleList, ParameterList, Sequential
from minitensor.nn.layers import Dropout, Flatten, Identity, Linear
from minitensor.nn.loss_modules import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
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
