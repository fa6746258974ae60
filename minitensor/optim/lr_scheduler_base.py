"""`LRScheduler`, the base class of the learning-rate schedulers.

Its subclasses are in ``lr_scheduler.py`` (StepLR, CosineAnnealingLR, ...) and
``plateau.py`` (ReduceLROnPlateau); ``minitensor.optim.lr_scheduler`` gathers them all.
"""

from __future__ import annotations

import warnings
import weakref
from functools import wraps
from typing import Any

from minitensor.optim.optimizer import Optimizer

_SCHEDULING_URL = "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate"
_EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being "
    "deprecated where possible. Please use `scheduler.step()` to step the "
    "scheduler. During the deprecation, if epoch is different from None, the "
    "closed form is used instead of the new chainable form, where available. "
    "Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose."
)


class LRScheduler:
    """Base class: subclasses say in ``get_lr()`` what each group's next lr is.

    Creating a scheduler records each group's starting lr as
    ``group["initial_lr"]`` (kept in ``base_lrs``) and takes a first step
    (``last_epoch`` goes from -1 to 0), which leaves the lrs as they are.

    Args:
        optimizer: the optimizer whose learning rates are scheduled.
        last_epoch: the index of the last epoch seen; -1 (the default) starts
            afresh. Another value resumes a schedule, and then every group must
            already have its ``"initial_lr"``.
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when "
                        "resuming scheduler with last_epoch >= 0.\n"
                        "This typically happens when:\n"
                        "1. You're trying to resume training from a checkpoint but haven't "
                        "properly loaded the optimizer state\n"
                        "2. You're using last_epoch >= 0 for a fresh training run "
                        "(not recommended)"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        _record_optimizer_steps(optimizer)
        # The first step. These flags are attributes, as in PyTorch, so state_dict() has them.
        self._step_count = 0
        self._is_initial = True  # get_lr() then keeps the current lrs
        self.step()
        self._is_initial = False

    def get_lr(self) -> list[float]:
        """The lr of each group after this step (``last_epoch`` is already advanced)."""
        raise NotImplementedError

    def get_last_lr(self) -> list[float]:
        """The learning rates the last ``step()`` set, one per parameter group."""
        return self._last_lr

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch and write the new lrs into the optimizer's groups.

        ``epoch`` (deprecated, as in PyTorch) jumps to that epoch instead,
        using the closed formula when the schedule has one.
        """
        if self._step_count == 1:  # the first step() after the one in __init__
            if not hasattr(self.optimizer.step, "_wrapped_by_lr_sched"):
                warnings.warn(
                    "Seems like `optimizer.step()` has been overridden after learning rate "
                    "scheduler initialization. Please, make sure to call `optimizer.step()` "
                    f"before `lr_scheduler.step()`. See more details at {_SCHEDULING_URL}",
                    UserWarning,
                    stacklevel=2,
                )
            elif not getattr(self.optimizer, "_opt_called", False):
                warnings.warn(
                    "Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
                    "In PyTorch 1.1.0 and later, you should call them in the opposite order: "
                    "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this "
                    "will result in PyTorch skipping the first value of the learning rate "
                    f"schedule. See more details at {_SCHEDULING_URL}",
                    UserWarning,
                    stacklevel=2,
                )
        self._step_count += 1
        if epoch is not None:
            warnings.warn(_EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        # get_lr() warns when called from outside; this flag tells it the call is ours.
        self._get_lr_called_within_step = True
        try:
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                values = self._get_closed_form_lr()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, values, strict=True):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        """The lrs at ``last_epoch`` from a formula; schedules without one use get_lr()."""
        return self.get_lr()

    def _current_lrs(self) -> list[float]:
        """Each group's lr as it is now (for the steps that leave it unchanged)."""
        return [group["lr"] for group in self.optimizer.param_groups]

    def _warn_if_called_from_outside(self) -> None:
        if not self._get_lr_called_within_step:
            warnings.warn(
                "To get the last learning rate computed by the scheduler, "
                "please use `get_last_lr()`.",
                UserWarning,
                stacklevel=3,
            )

    def state_dict(self) -> dict[str, Any]:
        """Every attribute except the optimizer (save the optimizer's state on its own)."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what ``state_dict()`` returned: the schedule continues from there."""
        self.__dict__.update(state_dict)


def _record_optimizer_steps(optimizer: Optimizer) -> None:
    """Wrap ``optimizer.step`` so that it notes ``optimizer._opt_called = True``.

    PyTorch does this to warn when ``scheduler.step()`` comes first: that
    order skips the schedule's first lr. The wrapper holds the optimizer by a
    weak reference, so it keeps no reference cycle alive.
    """
    if hasattr(optimizer.step, "_wrapped_by_lr_sched"):
        return  # another scheduler already wrapped it
    optimizer_ref = weakref.ref(optimizer)
    unbound_step = type(optimizer).step

    @wraps(unbound_step)
    def step(*args, **kwargs):
        opt = optimizer_ref()
        opt._opt_called = True  # type: ignore[union-attr]
        return unbound_step(opt, *args, **kwargs)

    step._wrapped_by_lr_sched = True  # type: ignore[attr-defined]
    optimizer.step = step  # type: ignore[method-assign]
