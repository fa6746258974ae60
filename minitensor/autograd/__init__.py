"""Automatic differentiation (``minitensor.autograd``).

* `engine`: the one backward engine, a generator of steps, shared by
  `Value` and `Tensor`;
* `function`: `Function` (forward/backward pairs), the graph nodes;
* `grad_mode`: `no_grad`, `enable_grad`, `set_grad_enabled`;
* `api`: `backward` and `grad`;
* `gradcheck`: `gradcheck`, which compares a backward with finite differences;
* `anomaly`: `detect_anomaly`, `set_detect_anomaly`, to find the forward line
  behind a failing backward.
"""

from minitensor.autograd.anomaly import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from minitensor.autograd.api import backward, grad
from minitensor.autograd.engine import Step, backward_steps, run_backward, topological_order
from minitensor.autograd.function import Function, FunctionCtx
from minitensor.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from minitensor.autograd.gradcheck import GradcheckError, gradcheck

__all__ = [
    "Function",
    "FunctionCtx",
    "GradcheckError",
    "Step",
    "backward",
    "backward_steps",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "gradcheck",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "run_backward",
    "set_detect_anomaly",
    "set_grad_enabled",
    "topological_order",
]
