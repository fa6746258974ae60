"""Switching graph recording on and off: `no_grad`, `enable_grad`, `set_grad_enabled`.

While gradient mode is off, operations compute their results but record no
graph (``grad_fn`` stays None), which saves memory and time when you only
evaluate a model, or update weights by hand. Each works as a context manager
and as a decorator, as in PyTorch::

    with minitensor.no_grad():
        w -= lr * w.grad

    @minitensor.no_grad()
    def evaluate(model, x): ...
"""

from __future__ import annotations

import functools

_enabled = True


def is_grad_enabled() -> bool:
    """True if operations currently record the graph for autograd."""
    return _enabled


def _set_enabled(mode: bool) -> None:
    global _enabled
    _enabled = bool(mode)


class _GradMode:
    """Shared machinery: enter sets the mode, exit restores the previous one."""

    _mode: bool

    def __enter__(self):
        self._previous = is_grad_enabled()
        _set_enabled(self._mode)
        return None

    def __exit__(self, *exc):
        _set_enabled(self._previous)
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__._fresh(self):
                return fn(*args, **kwargs)

        return wrapper

    @staticmethod
    def _fresh(instance):
        # A new context object per call, so a decorated function can recurse.
        clone = object.__new__(type(instance))
        clone._mode = instance._mode
        return clone


class _NoArgumentMode(_GradMode):
    """A mode that also decorates without parentheses: ``@no_grad`` as well as ``@no_grad()``."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        if not callable(orig_func):
            raise TypeError(f"{cls.__name__}() takes no arguments")
        return cls()(orig_func)  # used as a bare decorator: return the wrapped function


class no_grad(_NoArgumentMode):
    """Turn graph recording off inside a ``with`` block or a decorated function."""

    _mode = False


class enable_grad(_NoArgumentMode):
    """Turn graph recording back on (inside a ``no_grad`` block, say)."""

    _mode = True


class set_grad_enabled(_GradMode):
    """Set graph recording to ``mode``: as a call, in a ``with``, or as a decorator.

    Like PyTorch, calling ``set_grad_enabled(False)`` on its own switches the
    mode at once (until changed again).
    """

    def __init__(self, mode: bool):
        self._mode = bool(mode)
        self._before_call = is_grad_enabled()
        _set_enabled(mode)

    def __enter__(self):
        # The mode was already set by __init__; exit restores what was before it.
        self._previous = self._before_call
        _set_enabled(self._mode)
        return None

    def __call__(self, fn):
        _set_enabled(self._before_call)  # as a decorator it must not switch the mode now
        return super().__call__(fn)

    @staticmethod
    def _fresh(instance):
        clone = no_grad() if not instance._mode else enable_grad()
        return clone
