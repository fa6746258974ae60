"""Checks for notebook 21 (build it yourself: the backward of tensor operations).

The student writes NumPy functions; each check runs them on several shapes
and compares with what minitensor's engine computes for the same operation
(``backward()`` on real tensors). When the numbers differ, the shapes are
compared first, because a wrong shape is the clearest sign of which rule was
missed.
"""

from __future__ import annotations

import numpy as np

import minitensor
from exercises import Exercise
from exercises.feedback import array, same

_RNG_SEED = 22


def _rng():
    return np.random.default_rng(_RNG_SEED)


def _engine_grads(forward, arrays, grad_output):
    """The gradients of ``forward(*tensors)`` for the given upstream gradient, by minitensor."""
    tensors = [minitensor.tensor(a, dtype=minitensor.float64, requires_grad=True) for a in arrays]
    out = forward(*tensors)
    out.backward(minitensor.tensor(grad_output, dtype=minitensor.float64))
    return [t.grad.numpy() for t in tensors]


def _shape(x) -> tuple:
    return tuple(np.shape(x))


# --- 21.1: summing a broadcast gradient back -----------------------------------------------

# (the input's shape, the broadcast output's shape)
_BROADCASTS = [
    ((3,), (4, 3)),
    ((1, 3), (4, 3)),
    ((4, 1), (4, 3)),
    ((4, 3), (4, 3)),
    ((), (2, 3)),
    ((3, 1), (2, 3, 5)),
    ((1,), (5,)),
]


def _diagnose_sum_to_shape(sum_to_shape) -> str | None:
    if not callable(sum_to_shape):
        return "Pass your function itself: check('21.1', sum_to_shape)."
    rng = _rng()
    for shape, out_shape in _BROADCASTS:
        grad = rng.normal(size=out_shape)
        (expected,) = _engine_grads(lambda x, s=out_shape: x.expand(*s), [np.zeros(shape)], grad)
        got = sum_to_shape(grad, shape)
        if got is None:
            return "sum_to_shape returned None: did you forget `return`?"
        where = f"sum_to_shape(grad of shape {out_shape}, {shape})"
        if _shape(got) != shape:
            message = f"{where} has shape {_shape(got)}, expected {shape}."
            if np.size(got) == np.prod(shape, dtype=int):
                message += (
                    " The numbers are there, but a summed axis of size 1 must stay "
                    "(keepdims=True), and axes the input never had must go."
                )
            elif len(_shape(got)) == len(shape) and any(
                size == 1 and got_size != 1 for size, got_size in zip(shape, _shape(got))
            ):
                axis = next(
                    i for i, (s, g) in enumerate(zip(shape, _shape(got))) if s == 1 and g != 1
                )
                message += (
                    f" Axis {axis} has size 1 in the input but {_shape(got)[axis]} in your "
                    "result: broadcasting stretched it, so its gradient is a sum over that axis "
                    "(which stays, with size 1)."
                )
            elif len(out_shape) > len(shape) and _shape(got)[-len(shape) or None :] != shape:
                message += (
                    " Broadcasting lines shapes up from the right: the extra axes are at "
                    "the front, and an axis of size 1 was stretched."
                )
            return message
        if same(got, expected):
            continue
        copies = grad.size / np.prod(shape, dtype=int)
        if same(np.asarray(got) * copies, expected):
            return (
                f"{where} has the right shape but each entry is the mean, not the sum: every "
                "copy of a broadcast entry sent its own gradient, and they add up."
            )
        return f"{where} gave {array(got)}, expected {array(expected)}."
    return None


# --- 21.2: elementwise product with broadcasting ------------------------------------------

_PRODUCTS = [((2, 3), (2, 3)), ((4, 3), (3,)), ((4, 1), (1, 5)), ((2, 3), ())]


def _diagnose_mul_backward(mul_backward) -> str | None:
    if not callable(mul_backward):
        return "Pass your function itself: check('21.2', mul_backward)."
    rng = _rng()
    for a_shape, b_shape in _PRODUCTS:
        a, b = rng.normal(size=a_shape), rng.normal(size=b_shape)
        grad = rng.normal(size=np.broadcast_shapes(a_shape, b_shape))
        expected = _engine_grads(lambda x, y: x * y, [a, b], grad)
        got = mul_backward(grad, a, b)
        if got is None or len(got) != 2:
            return "mul_backward must return two gradients: (grad_a, grad_b)."
        for name, g, e, own, other in [
            ("grad_a", got[0], expected[0], a, b),
            ("grad_b", got[1], expected[1], b, a),
        ]:
            where = f"For a of shape {a_shape} and b of shape {b_shape}, {name}"
            if _shape(g) != _shape(e):
                message = f"{where} has shape {_shape(g)}, expected {_shape(e)}."
                if np.size(g) == grad.size:
                    message += (
                        " The gradient of an input has the input's shape: sum it back over "
                        "the axes that broadcasting stretched (your sum_to_shape)."
                    )
                return message
            if same(g, e):
                continue
            if _shape(other) == _shape(grad) and same(g, np.broadcast_to(other, grad.shape)):
                return (
                    f"{where} is the other factor alone: multiply it by the gradient that "
                    "arrived from above (grad)."
                )
            if same(g, -e):
                return f"{where} has the wrong sign."
            if _shape(own) == _shape(grad) and same(g, own * grad):
                return (
                    f"{where} uses its own factor: the derivative of a * b with respect to "
                    "one factor is the other factor."
                )
            return f"{where} gave {array(g)}, expected {array(e)}."
    return None


# --- 21.3: matrix product -----------------------------------------------------------------

_MATMULS = [(2, 3, 4), (3, 3, 3), (1, 5, 2), (4, 1, 3)]  # A is m x k, B is k x n


def _diagnose_matmul_backward(matmul_backward) -> str | None:
    if not callable(matmul_backward):
        return "Pass your function itself: check('21.3', matmul_backward)."
    rng = _rng()
    for m, k, n in _MATMULS:
        A, B, G = rng.normal(size=(m, k)), rng.normal(size=(k, n)), rng.normal(size=(m, n))
        expected = _engine_grads(lambda x, y: x @ y, [A, B], G)
        got = matmul_backward(G, A, B)
        if got is None or len(got) != 2:
            return "matmul_backward must return two gradients: (grad_A, grad_B)."
        for name, g, e, param in [
            ("grad_A", got[0], expected[0], "A"),
            ("grad_B", got[1], expected[1], "B"),
        ]:
            where = f"With A {m}x{k}, B {k}x{n} and G {m}x{n}, {name}"
            if _shape(g) != _shape(e):
                rows, cols = _shape(e)
                return (
                    f"{where} has shape {'x'.join(map(str, _shape(g)))}, but {param} is "
                    f"{rows}x{cols}: the gradient has the shape of the parameter. Which "
                    f"product of G, A and B (each transposed or not) gives {rows}x{cols}?"
                )
            if same(g, e):
                continue
            no_upstream = _engine_grads(lambda x, y: x @ y, [A, B], np.ones_like(G))
            if same(g, no_upstream[0 if param == "A" else 1]):
                return (
                    f"{where} is what you would get if G were all ones: the gradient that "
                    "arrived from above, G, must enter the product."
                )
            if same(g, e.T if e.shape[0] == e.shape[1] else np.full(e.shape, np.nan)):
                return (
                    f"{where} is the transpose of the right answer (the shapes hide it when "
                    "the matrices are square): check the order of the two factors."
                )
            return f"{where} gave {array(g)}, expected {array(e)}."
    return None


# --- 21.4: the rules together, in a small tensor engine ---------------------------------


_LOSS = "loss = ((x @ w + bias - y)**2).sum()"


def _diagnose_tensor_engine(Tensor) -> str | None:
    if not isinstance(Tensor, type):
        return "Pass the class itself: check('21.4', Tensor)."
    rng = _rng()
    X, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 2)), rng.normal(size=(2,))
    target = rng.normal(size=(5, 2))

    def loss_of(x, w, bias, y):
        residual = x @ w + bias + y * -1.0
        return (residual * residual).sum()

    tensors = [Tensor(a) for a in (X, W, b, target)]
    loss_of(*tensors).backward()
    expected = _engine_grads(loss_of, [X, W, b, target], np.array(1.0))
    for name, t, e in zip(["x", "w", "bias", "y"], tensors, expected):
        if _shape(t.grad) != _shape(e):
            return f"In {_LOSS}, {name}.grad has shape {_shape(t.grad)}, expected {_shape(e)}."
        if not same(t.grad, e):
            return f"In {_LOSS}, {name}.grad is {array(t.grad)}, expected {array(e)}."
    return None


EXERCISES = {
    "21.1": Exercise(
        question="sum_to_shape(grad, shape): a broadcast gradient summed back to an input's shape",
        diagnose=_diagnose_sum_to_shape,
    ),
    "21.2": Exercise(
        question="mul_backward(grad, a, b) -> (grad_a, grad_b), with broadcasting",
        diagnose=_diagnose_mul_backward,
    ),
    "21.3": Exercise(
        question="matmul_backward(G, A, B) -> (grad_A, grad_B) for out = A @ B",
        diagnose=_diagnose_matmul_backward,
    ),
    "21.4": Exercise(
        question="the notebook's Tensor class, running your three functions",
        diagnose=_diagnose_tensor_engine,
    ),
}
