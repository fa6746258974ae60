"""Optimizers (``minitensor.optim``): they update a model's parameters from their gradients.

The training loop is PyTorch's::

    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for xb, yb in batches:
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()

Learning-rate schedules live in ``minitensor.optim.lr_scheduler`` (StepLR, CosineAnnealingLR, ...).
"""

from minitensor.optim import lr_scheduler
from minitensor.optim.adagrad import Adagrad
from minitensor.optim.adam import Adam, AdamW
from minitensor.optim.optimizer import Optimizer
from minitensor.optim.rmsprop import RMSprop
from minitensor.optim.sgd import SGD

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "lr_scheduler"]
