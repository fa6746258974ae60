"""The user-facing autograd calls: ``backward()`` and ``autograd.grad()``.

Both run the same engine (`minitensor.autograd.engine.backward_steps`) with
one switch: ``backward`` *accumulates* each leaf's gradient into ``.grad``,
``grad`` *returns* the gradients of the tensors you name and touches no
``.grad`` at all.
"""

from __future__ import annotations

import warnings

from minitensor import backend
from minitensor.autograd.engine import backward_steps
from minitensor.autograd.function import graph_node, is_tensor
from minitensor.autograd.grad_mode import set_grad_enabled
from minitensor.autograd.protocol import Node

_CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the "
    "parameter and its gradient which can cause a memory leak. We recommend using "
    "autograd.grad when creating the graph to avoid this. If you have to use this function, "
    "make sure to reset the .grad fields of your parameters to None after use to break the "
    "cycle and avoid the leak."
)


def roots_and_seeds(outputs, grad_outputs, *, caller: str) -> tuple[list[Node], list]:
    """The engine's starting point for differentiating tensors: their nodes and gradients.

    Checks each output (a tensor that requires grad) and its gradient (same
    shape; for a one-element output it may be None, meaning 1). ``backward``,
    ``grad`` and `minitensor.viz.Stepper` all start the engine from here.
    ``caller`` names the function in error messages.
    """
    roots: list[Node] = []
    seeds: list = []
    for i, (out, grad) in enumerate(zip(outputs, grad_outputs)):
        if not is_tensor(out):
            raise TypeError(f"{caller}: expected a Tensor, got {type(out).__name__}")
        if not out.requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        if grad is None:
            if out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            grad = out.new_ones(out.shape)  # ones_like(out): this module sits below creation
        elif not is_tensor(grad):
            raise TypeError(
                f"{caller}: gradient must be a Tensor or None, got {type(grad).__name__}"
            )
        elif grad.shape != out.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {grad.shape} and "
                f"output[{i}] has a shape of {out.shape}."
            )
        elif grad.dtype != out.dtype:
            grad = grad.to(out.dtype)
        roots.append(graph_node(out))
        seeds.append(grad)
    return roots, seeds


def _as_tuple(x) -> tuple:
    if isinstance(x, (tuple, list)):
        return tuple(x)
    return (x,)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(tensors)/d(leaf) into every leaf's ``.grad`` (``tensor.backward()``)."""
    tensors = _as_tuple(tensors)
    grads = _as_tuple(grad_tensors) if grad_tensors is not None else (None,) * len(tensors)
    if len(grads) != len(tensors):
        raise RuntimeError(f"got {len(tensors)} tensors and {len(grads)} gradients")
    roots, seeds = roots_and_seeds(tensors, grads, caller="backward")
    if create_graph:
        warnings.warn(_CREATE_GRAPH_WARNING, UserWarning, stacklevel=3)
    retain = create_graph if retain_graph is None else retain_graph
    only_to = None
    if inputs is not None:
        only_to = [graph_node(t) for t in _as_tuple(inputs)]
    steps = backward_steps(
        roots,
        seeds,
        retain_graph=retain,
        create_graph=create_graph,
        accumulate=only_to is None,
        only_to=only_to,
    )
    # The backward arithmetic is recorded only with create_graph, and gives
    # inf/nan silently like every forward. Setting both once here saves each
    # node and each operation from switching them.
    with set_grad_enabled(create_graph), backend.quiet_float_errors():
        for step in steps:
            if only_to is not None and any(step.node is n for n in only_to):
                step.node.accumulate(step.grad_output)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    allow_unused=None,
    materialize_grads=False,
):
    """The gradients of ``outputs`` with respect to ``inputs``, as a tuple.

    Nothing is accumulated into ``.grad``. An input the outputs do not depend
    on is an error unless ``allow_unused=True`` (then its gradient is None,
    or zeros with ``materialize_grads=True``).

        >>> x = minitensor.tensor(3.0, requires_grad=True)
        >>> minitensor.autograd.grad(x * x, x)
        (tensor(6.),)
    """
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    grad_outputs = _as_tuple(grad_outputs) if grad_outputs is not None else (None,) * len(outputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    for x in inputs:
        if not x.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    roots, seeds = roots_and_seeds(outputs, grad_outputs, caller="grad")
    targets = [graph_node(x) for x in inputs]
    found: dict = {}
    retain = create_graph if retain_graph is None else retain_graph
    steps = backward_steps(
        roots, seeds, retain_graph=retain, create_graph=create_graph, accumulate=False,
        only_to=targets,
    )  # fmt: skip
    with set_grad_enabled(create_graph), backend.quiet_float_errors():  # as in backward()
        for step in steps:
            for target in targets:
                if step.node is target:
                    found[target] = step.grad_output
    result = []
    for i, (x, target) in enumerate(zip(inputs, targets)):
        g = found.get(target)
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
            g = x.new_zeros(x.shape) if materialize_grads else None  # zeros_like(x)
        result.append(g)
    return tuple(result)
