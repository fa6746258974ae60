"""What a `Function`'s forward keeps for its backward: `FunctionCtx` (the ``ctx``).

Forward calls ``ctx.save_for_backward(a, b)``; backward reads
``ctx.saved_tensors``. Each saved tensor's version number is remembered, so
that reading it after an in-place change fails with PyTorch's error instead
of computing a wrong gradient; after a backward without ``retain_graph``
the saved tensors are freed, and reading them again fails too.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from minitensor.autograd.registry import wrap_array

if TYPE_CHECKING:
    from minitensor.tensor import Tensor

_BACKWARD_TWICE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


class FunctionCtx:
    """The ``ctx`` a Function's forward fills and its backward reads.

    Attributes:
        needs_input_grad: one bool per forward argument: does it need a gradient?
            A backward may skip the work for inputs that do not.
        saved_tensors: the tensors given to ``save_for_backward``; reading them
            checks that none was modified in place since (PyTorch's version check).
    Any other attribute (``ctx.dim = 1``) can be set freely for non-tensor data.
    """

    # Defaults at class level: most contexts never change most of them, and
    # a context is made for every operation, so each saved write counts.
    needs_input_grad: tuple[bool, ...] = ()
    _saved: tuple | None = ()
    _versions: tuple[int, ...] = ()
    _wants_result = False
    _recording = True  # False while an operation runs with no graph to record
    _result: _SavedResult | None = None

    def save_for_backward(self, *tensors) -> None:
        """Keep tensors for backward, remembering their version numbers.

        (Nothing to keep when no graph is being recorded: no backward will ask.)
        """
        if not self._recording:
            return
        self._saved = tensors
        self._versions = tuple([0 if t is None else t._version_counter.value for t in tensors])

    @property
    def saved_tensors(self) -> tuple:
        if self._saved is None:
            raise RuntimeError(_BACKWARD_TWICE)
        for tensor, version in zip(self._saved, self._versions):
            if tensor is not None and tensor._version != version:
                raise RuntimeError(_modified_message(tensor, version))
        return self._saved

    def save_result(self) -> None:
        """Ask to keep the forward's *output* for backward (``d exp(a)/da = exp(a)``).

        A built-in forward returns an array, so the output tensor does not exist
        yet when forward runs; `Function.apply` keeps it once it is made.
        """
        self._wants_result = True

    @property
    def saved_result(self) -> Tensor:
        """The forward's output, checked like ``saved_tensors``, still linked to the graph."""
        if self._saved is None or self._result is None:
            raise RuntimeError(_BACKWARD_TWICE)
        return self._result.unpack()

    def _free(self) -> None:
        """Drop the saved tensors (after a backward without retain_graph)."""
        self._saved = None
        self._result = None


class _SavedResult:
    """An operation's output kept for its own backward, without a reference cycle.

    Keeping the output *tensor* would make a cycle (tensor -> grad_fn -> ctx
    -> tensor) that only Python's garbage collector can free. So the node
    keeps the output's array and version counter, and a weak reference to
    itself; ``unpack`` rebuilds a tensor whose ``grad_fn`` is that node, so a
    backward recorded with ``create_graph=True`` still differentiates through it.
    """

    __slots__ = ("array", "device", "node", "version", "version_counter")

    def __init__(self, out: Tensor, node):
        self.array, self.device = out._array, out._device
        self.version_counter, self.version = out._version_counter, out._version
        self.node = None if node is None else weakref.ref(node)

    def unpack(self) -> Tensor:
        out = wrap_array(self.array, self.device)
        out._version_counter = self.version_counter
        node = self.node() if self.node is not None else None
        if out._version != self.version:
            raise RuntimeError(_modified_message(out, self.version, output_of=node))
        if node is not None:
            out._grad_fn, out._requires_grad = node, True
        return out


def _modified_message(tensor: Tensor, expected: int, output_of=None) -> str:
    node = output_of if output_of is not None else tensor.grad_fn
    where = ""
    if node is not None:
        # PyTorch names the operation without "Backward0": "output 0 of Mul".
        operation = node.name().removesuffix("Backward0").replace("Backward", "")
        where = f", which is output 0 of {operation},"
    return (
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: [{tensor.type()} [{', '.join(map(str, tensor.shape))}]]{where} "
        f"is at version {tensor._version}; expected version {expected} instead. Hint: enable "
        "anomaly detection to find the operation that failed to compute its gradient, with "
        "minitensor.autograd.set_detect_anomaly(True, check_nan=False)."
    )
