"""Checks for the exercises of notebook 10 (tensor backward rules).

The right answers are worked out here with NumPy, from the question's numbers.
"""

import numpy as np

from exercises import Exercise
from exercises.ex01 import not_a_function

# 10.1: L = ((x + b) * 2).sum() with x of shape (4, 3): b is broadcast to 4 rows, each
# element's slope is 2, and the 4 rows add up: 2 * 4 in each place, keeping b's shape.
_B_GRAD = np.full((1, 3), 2.0 * 4)


def _as_array(answer) -> np.ndarray:
    if hasattr(answer, "tolist"):
        answer = answer.tolist()
    return np.asarray(answer, dtype=float)


def _is_b_grad(answer) -> bool:
    values = _as_array(answer)
    return values.shape == _B_GRAD.shape and bool(np.allclose(values, _B_GRAD))


def _b_grad_problem(answer) -> str | None:
    values = _as_array(answer)
    if values.shape != _B_GRAD.shape:
        return f"your answer has shape {values.shape}; b has shape (1, 3), and so has b.grad."
    return None if np.allclose(values, _B_GRAD) else ""


def _diagnose_matmul_backward(matmul_backward) -> str | None:
    import minitensor as mt

    problem = not_a_function(matmul_backward, "matmul_backward")
    if problem:
        return problem
    rng = np.random.default_rng(0)
    for n, k, m in [(4, 2, 3), (3, 3, 3), (1, 4, 2), (5, 3, 1)]:
        x_np, W_np, G_np = rng.normal(size=(n, k)), rng.normal(size=(k, m)), rng.normal(size=(n, m))
        x = mt.tensor(x_np.tolist(), dtype=mt.float64)
        W = mt.tensor(W_np.tolist(), dtype=mt.float64)
        G = mt.tensor(G_np.tolist(), dtype=mt.float64)
        shapes = f"x {x_np.shape}, W {W_np.shape}"
        try:
            result = matmul_backward(x, W, G)
        except Exception as error:
            return f"for {shapes} it raised {type(error).__name__}: {error}"
        if result is None:
            return "it returns None: did you forget the return statement?"
        try:
            dx, dW = result
        except (TypeError, ValueError):
            return "it should return a pair (dx, dW)."
        dx, dW = _as_array(dx), _as_array(dW)
        right_dx, right_dW = G_np @ W_np.T, x_np.T @ G_np
        if dW.shape != right_dW.shape:
            said = f"for {shapes}, dW has shape {dW.shape} but W is {W_np.shape}"
            if dW.shape == right_dW.T.shape:
                return f"{said}: did you write G.T @ x instead of x.T @ G?"
            if dW.shape == right_dx.shape:
                return f"{said}: are dx and dW in the right order?"
            return said + "."
        if dx.shape != right_dx.shape:
            said = f"for {shapes}, dx has shape {dx.shape} but x is {x_np.shape}"
            if dx.shape == right_dx.T.shape:
                return f"{said}: did you write W @ G.T instead of G @ W.T?"
            return said + "."
        if not np.allclose(dW, right_dW):
            if np.allclose(dW, right_dW.T):
                return f"for {shapes} (square), dW is the transpose of the right one."
            return f"for {shapes}, dW has the right shape but other numbers than x.T @ G."
        if not np.allclose(dx, right_dx):
            if np.allclose(dx, right_dx.T):
                return f"for {shapes} (square), dx is the transpose of the right one."
            return f"for {shapes}, dx has the right shape but other numbers."
    return None


def _diagnose_sum_to_shape(sum_to_shape) -> str | None:
    import minitensor as mt

    problem = not_a_function(sum_to_shape, "sum_to_shape")
    if problem:
        return problem
    rng = np.random.default_rng(1)
    cases = [((4, 3), (3,)), ((4, 3), (1, 3)), ((4, 3), (4, 1)), ((4, 3), ()), ((2, 4, 3), (4, 1))]
    cases += [((4, 3), (4, 3))]  # nothing to undo
    for big, small in cases:
        grad_np = rng.normal(size=big)
        grad = mt.tensor(grad_np.tolist(), dtype=mt.float64)
        # The exact answer: the gradient of a value of shape `small` broadcast to `big`.
        leaf = mt.zeros(small, dtype=mt.float64, requires_grad=True)
        leaf.expand(big).backward(grad)
        right = _as_array(leaf.grad)
        try:
            got = sum_to_shape(grad, small)
        except Exception as error:
            said = f"for grad of shape {big} and shape {small} it raised"
            return f"{said} {type(error).__name__}: {error}"
        if got is None:
            return "it returns None: did you forget the return statement?"
        values = _as_array(got)
        if values.shape != right.shape:
            said = f"from {big} to {small} it returns shape {values.shape}"
            if values.size == right.size:
                return f"{said}: the right numbers, perhaps, but keep the dimensions of size 1."
            return f"{said}, expected {small}."
        if not np.allclose(values, right):
            return f"from {big} to {small} the shape is right but the numbers are not the sums."
    return None


EXERCISES = {
    "10.1": Exercise(
        question="b.grad for L = ((x + b) * 2).sum(), x of ones (4, 3), b zeros (1, 3)",
        diagnose=_b_grad_problem,
        hint="Each element of x + b has slope 2 in L. b is broadcast to 4 rows, so each "
        "element of b receives one contribution per row, added up.",
    ),
    "10.2": Exercise(
        question="matmul_backward(x, W, G) -> (dx, dW) for y = x @ W",
        diagnose=_diagnose_matmul_backward,
        hint="dx has the shape of x and dW the shape of W; each is one matrix product of G "
        "with the *other* input, transposed where the shapes require it.",
    ),
    "10.3": Exercise(
        question="sum_to_shape(grad, shape): undo a broadcast",
        diagnose=_diagnose_sum_to_shape,
        hint="First sum away the dimensions broadcasting added on the left; then sum, with "
        "keepdim=True, over each dimension where shape has a 1 and grad does not.",
    ),
}
