"""`gradcheck`: is a backward right? Compare it with finite differences.

The derivative of ``f`` at ``x`` is the slope of ``f`` around ``x``, which we
can *measure* without any calculus::

    df/dx ~ (f(x + eps) - f(x - eps)) / (2 * eps)        (central difference)

`gradcheck` measures this slope for every element of every input and
compares it with what backward computes (the *analytical* gradient). Both
are laid out as a Jacobian matrix: one row per input element, one column
per output element. If they differ by more than ``atol + rtol * |numerical|``
somewhere, the backward has a bug.

Use float64 inputs: with ``eps = 1e-6``, float32's 7 significant digits are
mostly rounding noise, so the measured slope would be wrong, not the backward.

    >>> x = minitensor.tensor([0.5, -1.0], dtype=minitensor.float64, requires_grad=True)
    >>> gradcheck(minitensor.tanh, (x,))
    True
"""

from __future__ import annotations

import warnings

import numpy as np

from minitensor.autograd.api import grad
from minitensor.autograd.grad_mode import no_grad
from minitensor.creation import from_numpy
from minitensor.tensor import Tensor


class GradcheckError(RuntimeError):
    """Raised by `gradcheck` when the analytical and numerical gradients disagree."""


def gradcheck(
    func,
    inputs,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check the gradients of ``func`` at ``inputs`` against finite differences.

    Args:
        func: takes the inputs (as positional arguments) and returns a tensor
            or a tuple of tensors.
        inputs: a tensor or a tuple of tensors (and other arguments); those
            with ``requires_grad=True`` are checked.
        eps: the step of the central difference.
        atol, rtol: the tolerance, ``|analytical - numerical| <= atol + rtol * |numerical|``.
        raise_exception: raise `GradcheckError` on a mismatch (else return False).

    Returns:
        True if every gradient matches.
    """
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    checked = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not checked:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, "
            "but none of them have requires_grad=True."
        )
    for i in checked:
        if inputs[i].dtype.name != "float64":
            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point "
                "or complex. This check will likely fail if all the inputs are not of double "
                "precision floating point or complex. ",
                UserWarning,
                stacklevel=2,
            )

    outputs = _as_outputs(func(*inputs))
    for out_index, out in enumerate(outputs):
        if not out.dtype.is_floating_point:
            continue  # integer outputs (argmax, comparisons) have no gradient
        analytical = _analytical_jacobians(out, [inputs[i] for i in checked])
        for position, in_index in enumerate(checked):
            numerical = _numerical_jacobian(func, inputs, in_index, out_index, eps)
            if not np.allclose(analytical[position], numerical, rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                raise GradcheckError(
                    f"Jacobian mismatch for output {out_index:d} with respect to input "
                    f"{in_index:d},\nnumerical:{_as_tensor(numerical)!r}\n"
                    f"analytical:{_as_tensor(analytical[position])!r}\n"
                )
    return True


def _as_outputs(result) -> tuple:
    outputs = result if isinstance(result, (tuple, list)) else (result,)
    if not all(isinstance(out, Tensor) for out in outputs):
        raise TypeError("gradcheck: func must return a Tensor or a tuple of Tensors")
    return tuple(outputs)


def _host(tensor) -> np.ndarray:
    """A tensor's values as a float64 NumPy array on the host."""
    return tensor.detach().cpu().numpy().astype(np.float64)


def _analytical_jacobians(out, inputs) -> list[np.ndarray]:
    """d out / d input from backward: one vector-Jacobian product per output element.

    Backpropagating a "one-hot" gradient (1 at output element j, 0 elsewhere)
    gives column j of each input's Jacobian.
    """
    jacobians = [np.zeros((x.numel(), out.numel())) for x in inputs]
    if not out.requires_grad:
        return jacobians  # the output does not depend on the inputs: all zeros
    for j in range(out.numel()):
        one_hot = np.zeros(out.numel())
        one_hot[j] = 1.0
        grad_output = _from_host(one_hot.reshape(tuple(out.shape)), out)
        grads = grad(out, inputs, grad_output, retain_graph=True, allow_unused=True)
        for jacobian, g in zip(jacobians, grads):
            if g is not None:
                jacobian[:, j] = _host(g).reshape(-1)
    return jacobians


def _numerical_jacobian(func, inputs, in_index, out_index, eps) -> np.ndarray:
    """d out / d input measured by central differences, one input element at a time."""
    x = inputs[in_index]
    values = _host(x).reshape(-1)
    columns = []
    for k in range(values.size):
        slopes = []
        for step in (eps, -eps):
            shifted = values.copy()
            shifted[k] += step
            moved = _from_host(shifted.reshape(tuple(x.shape)), x)
            args = inputs[:in_index] + (moved,) + inputs[in_index + 1 :]
            with no_grad():
                slopes.append(_host(_as_outputs(func(*args))[out_index]).reshape(-1))
        columns.append((slopes[0] - slopes[1]) / (2 * eps))
    if not columns:  # an input with no elements: a Jacobian with no rows
        with no_grad():
            out = _as_outputs(func(*inputs))[out_index]
        return np.zeros((0, out.numel()))
    return np.stack(columns)


def _from_host(array: np.ndarray, like):
    """A tensor with ``array``'s values and ``like``'s dtype and device."""
    # a C-ordered copy (np.ascontiguousarray would turn a 0-d array into a 1-d one)
    return from_numpy(np.array(array, order="C")).to(like.device, like.dtype)


def _as_tensor(array: np.ndarray):
    return from_numpy(np.array(array, order="C"))
