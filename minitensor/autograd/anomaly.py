"""Anomaly detection: which line of *your* code made the backward pass fail?

An error in backward happens far from its cause: the engine is running some
node's backward, long after the forward line that created the node. With
anomaly detection on, every node remembers the Python stack of the forward
call that created it, and when its backward fails, a warning prints that
stack ("Error detected in MulBackward0. Traceback of forward call that caused
the error: ..."). With ``check_nan=True`` (the default) a backward that
returns NaN is an error too. It slows things down: use it to debug, as in
PyTorch::

    with minitensor.autograd.detect_anomaly():
        loss.backward()

    minitensor.autograd.set_detect_anomaly(True)   # on until switched off
"""

from __future__ import annotations

import functools
import traceback

from minitensor import backend

_enabled = False
_check_nan = True


def is_anomaly_enabled() -> bool:
    return _enabled


def is_anomaly_check_nan_enabled() -> bool:
    return _check_nan


def _set(mode: bool, check_nan: bool) -> None:
    global _enabled, _check_nan
    _enabled, _check_nan = bool(mode), bool(check_nan)


class set_detect_anomaly:  # (lower case, named as in PyTorch)
    """Switch anomaly detection on or off: at once, or for a ``with`` block."""

    def __init__(self, mode: bool, check_nan: bool = True):
        self._previous = (_enabled, _check_nan)
        _set(mode, check_nan)

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        _set(*self._previous)
        return False


class detect_anomaly:
    """Anomaly detection inside a ``with`` block or a decorated function."""

    def __init__(self, check_nan: bool = True):
        self._check_nan = check_nan

    def __enter__(self):
        self._previous = (_enabled, _check_nan)
        _set(True, self._check_nan)
        return None

    def __exit__(self, *exc):
        _set(*self._previous)
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with detect_anomaly(self._check_nan):
                return fn(*args, **kwargs)

        return wrapper


def forward_stack() -> str:
    """The current Python stack, without minitensor's own frames (recorded per node)."""
    frames = [f for f in traceback.extract_stack() if "/minitensor/" not in f.filename]
    return "".join(traceback.format_list(frames))


def warn_error_in(node_name: str, stack: str) -> None:
    """The warning PyTorch gives before re-raising an error from a node's backward."""
    import warnings

    warnings.warn(
        f"Error detected in {node_name}. Traceback of forward call that caused the error:\n{stack}",
        UserWarning,
        stacklevel=4,
    )


def check_no_nan(node_name: str, grads: list, stack: str) -> None:
    """With ``check_nan``: a gradient containing NaN is an error, as in PyTorch."""
    for i, grad in enumerate(grads):
        if grad is None:
            continue
        xp = backend.namespace(grad.device)
        if bool(xp.any(xp.isnan(grad._array))):
            warn_error_in(node_name, stack)
            raise RuntimeError(f"Function '{node_name}' returned nan values in its {i}th output.")
