"""Checks for the exercises of notebook 10 (tensor backward rules).

10.1's answer is worked out here with NumPy, from the question's numbers. The
code exercises (10.2, 10.3) are checked against minitensor's own `backward()`
on several shapes and inputs; when an answer is wrong, the checker compares it
with the results of typical slips to name the mistake.
"""

import numpy as np

from exercises import Exercise
from exercises.feedback import array, not_a_function, same

# 10.1: L = ((x + b) * 2).sum() with x of shape (4, 3): b is broadcast to 4 rows, each
# element's slope is 2, and the 4 rows add up: 2 * 4 in each place, keeping b's shape.
_B_GRAD = np.full((1, 3), 2.0 * 4)


def _as_array(answer) -> np.ndarray:
    if hasattr(answer, "tolist"):
        answer = answer.tolist()
    return np.asarray(answer, dtype=float)


def _b_grad_problem(answer) -> str | None:
    values = _as_array(answer)
    if values.shape != _B_GRAD.shape:
        return f"your answer has shape {values.shape}; b has shape (1, 3), and so has b.grad."
    return None if np.allclose(values, _B_GRAD) else ""


def _call(function, name: str, where: str, *args):
    """(result, None), or (None, a message) when the call raised or returned None."""
    try:
        result = function(*args)
    except NotImplementedError:
        raise  # the gap is still open: check() says "not answered yet"
    except Exception as error:
        return None, f"{where} {name} raised {type(error).__name__}: {error}"
    if result is None:
        return None, f"{name} returns None: did you forget the return statement?"
    return result, None


# --- 10.2: the vector-Jacobian product of softmax ------------------------------------------

# (name, logits, upstream gradient v). The logits are turned into p = softmax(z) here; v is
# what backward() would hand the softmax node.
_RNG = np.random.default_rng(10)
_SOFTMAX_CASES = [
    ("a vector of 5", _RNG.normal(size=5), _RNG.normal(size=5)),
    ("a one-hot v", np.array([1.0, 2.0, 0.5, -1.0]), np.array([0.0, 0.0, 1.0, 0.0])),
    ("v all equal (2.5 everywhere)", _RNG.normal(size=4), np.full(4, 2.5)),
    ("a batch of shape (4, 4)", _RNG.normal(size=(4, 4)), _RNG.normal(size=(4, 4))),
    ("a batch of shape (3, 5)", _RNG.normal(size=(3, 5)), _RNG.normal(size=(3, 5))),
    (
        "a batch with large logits",
        np.array([[1000.0, 1001.0, 999.0], [-800.0, 0.0, 800.0]]),
        np.array([[0.5, -1.0, 2.0], [1.0, 3.0, -2.0]]),
    ),
]


def _softmax_vjp_by_backward(z: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(p, the gradient of z) from minitensor: softmax over the last dim, backward(v)."""
    import minitensor as mt
    import minitensor.nn.functional as F

    zt = mt.tensor(z.tolist(), dtype=mt.float64, requires_grad=True)
    p = F.softmax(zt, dim=-1)
    p.backward(mt.tensor(v.tolist(), dtype=mt.float64))
    return _as_array(p.detach()), _as_array(zt.grad)


def _softmax_slip(got: np.ndarray, p: np.ndarray, v: np.ndarray, right: np.ndarray) -> str:
    """The likely mistake behind a wrong softmax VJP of the right shape, or ""."""
    if not np.all(np.isfinite(got)):
        return (
            " It holds nan or inf: p has entries that are exactly 0 here (large logits), so "
            "dividing by p or taking its log breaks. The rule needs neither."
        )
    if same(got, p * v):
        return (
            " It equals p * v: the weighted sum of v (each v_j weighted by p_j) was never "
            "subtracted. Every output of softmax depends on every input, so each v_j counts "
            "for every z_i."
        )
    if same(got, v * p * (1 - p)):
        return (
            " It equals v * p * (1 - p): that keeps only the diagonal of the Jacobian, as for an "
            "element-wise function. The off-diagonal entries -p_i p_j are missing."
        )
    if same(got, -right):
        return " It has the wrong sign."
    if p.ndim == 2:
        weighted = p * v
        if same(got, p * (v - weighted.sum(axis=0, keepdims=True))):
            return (
                " The sum runs down the columns (over the batch, dim 0); softmax is taken over "
                "the last dim, so each row needs its own sum."
            )
        if same(got, p * (v - weighted.sum())):
            return " The sum runs over the whole batch; each row needs its own sum."
        if same(got, p * (v - weighted.sum(axis=-1)[None, :])):
            return (
                " The row sums lost their dimension (a sum without keepdim=True), so they "
                "broadcast along the wrong axis: row i's sum ended up in column i."
            )
    if not np.any(got) and np.any(right):
        return " It is all 0."
    return ""


def _diagnose_softmax_vjp(softmax_vjp) -> str | None:
    import minitensor as mt

    problem = not_a_function(softmax_vjp, "softmax_vjp")
    if problem:
        return problem
    for name, z, v in _SOFTMAX_CASES:
        p, right = _softmax_vjp_by_backward(z, v)
        where = f"for {name},"
        p_in = mt.tensor(p.tolist(), dtype=mt.float64)
        v_in = mt.tensor(v.tolist(), dtype=mt.float64)
        result, problem = _call(softmax_vjp, "softmax_vjp", where, p_in, v_in)
        if problem:
            if p.ndim == 2 and ("size" in problem or "shape" in problem):
                problem += (
                    " (In a batch, anything summed per row must keep that dimension to "
                    "broadcast against the rows: keepdim=True.)"
                )
            return problem
        got = _as_array(result)
        if got.shape != right.shape:
            said = f"{where} the answer has shape {got.shape}, but z has shape {right.shape}"
            if got.shape == right.shape + right.shape[-1:]:
                return said + ": that looks like a Jacobian. Return J^T v, without building J."
            return said + "."
        if not same(got, right):
            slip = _softmax_slip(got, p, v, right)
            if got.ndim == 1:
                message = f"{where} it returns {array(got)}, but backward() gives {array(right)}."
            elif slip:
                message = f"{where} the numbers differ from backward()."
            else:
                row = next(r for r in range(len(got)) if not same(got[r], right[r]))
                message = (
                    f"{where} row {row} is {array(got[row])}, but backward() gives "
                    f"{array(right[row])}."
                )
            if name.startswith("v all equal"):
                message += (
                    " With v the same everywhere the answer is 0: adding one number to every "
                    "logit does not change softmax."
                )
            return message + slip
    return None


# --- 10.3: the backward of mean over one dim -------------------------------------------------

# (shape of x, dim): x.mean(dim) has shape `shape` without `dim`.
# The square shapes come first: there an axis put back in the wrong place still has the
# right shape, so the numbers can tell which place it went to.
_MEAN_CASES = [
    ((3, 3), 1),
    ((3, 3), -1),
    ((4, 3), 0),
    ((4, 3), 1),
    ((2, 3, 4), 1),
    ((2, 3, 4), -1),
    ((2, 3, 4), -2),
    ((3, 1), 1),
    ((1, 5), 0),
    ((5,), 0),
]


def _mean_grad_by_backward(grad: np.ndarray, shape: tuple, dim: int) -> np.ndarray:
    """The gradient of x for x.mean(dim), from minitensor's backward(grad)."""
    import minitensor as mt

    x = mt.zeros(shape, dtype=mt.float64, requires_grad=True)
    x.mean(dim).backward(mt.tensor(grad.tolist(), dtype=mt.float64))
    return _as_array(x.grad)


def _mean_slip(got: np.ndarray, grad: np.ndarray, shape: tuple, dim: int) -> str:
    """The likely mistake behind a wrong mean gradient of the right shape, or ""."""
    size, total = shape[dim], int(np.prod(shape))
    copied = np.broadcast_to(np.expand_dims(grad, dim), shape)
    if size > 1 and same(got, copied):
        return (
            f" Each element got the whole upstream gradient: the mean divides by the {size} "
            f"elements along dim {dim}, and so must its gradient."
        )
    if total != size and same(got, copied / total):
        return (
            f" It is divided by {total}, the number of all elements of x; x.mean({dim}) averages "
            f"only the {size} elements along dim {dim}."
        )
    for scale in (1, size, total):
        for place in range(len(shape)):
            try:
                moved = np.broadcast_to(np.expand_dims(grad, place), shape) / scale
            except ValueError:
                continue
            if place != dim % len(shape) and same(got, moved):
                return (
                    f" The gradient was copied along dim {place}, not along dim {dim}: the "
                    "reduced axis went back in the wrong place."
                )
    return ""


def _diagnose_mean_backward(mean_backward) -> str | None:
    import minitensor as mt

    problem = not_a_function(mean_backward, "mean_backward")
    if problem:
        return problem
    rng = np.random.default_rng(3)
    for shape, dim in _MEAN_CASES:
        reduced = shape[: dim % len(shape)] + shape[dim % len(shape) + 1 :]
        grad = rng.normal(size=reduced)
        right = _mean_grad_by_backward(grad, shape, dim)
        where = f"for x of shape {shape} and dim={dim} (grad of shape {reduced}),"
        grad_in = mt.tensor(grad.tolist(), dtype=mt.float64)
        result, problem = _call(mean_backward, "mean_backward", where, grad_in, shape, dim)
        if problem:
            if "size" in problem or "shape" in problem:
                problem += (
                    f" (The values of grad must be copied along dim {dim} of {shape}: is the "
                    "missing dimension put back in that place?)"
                )
            return problem
        got = _as_array(result)
        if got.shape != right.shape:
            said = f"{where} the answer has shape {got.shape}, but x has shape {shape}"
            if got.size == grad.size:
                return said + ": the reduced dimension is still missing."
            return said + "."
        if not same(got, right):
            message = f"{where} the numbers differ from backward()."
            slip = _mean_slip(got, grad, shape, dim)
            if not slip and got.size <= 12:
                message = f"{where} it returns {array(got)}, but backward() gives {array(right)}."
            return message + slip
    return None


EXERCISES = {
    "10.1": Exercise(
        question="b.grad for L = ((x + b) * 2).sum(), x of ones (4, 3), b zeros (1, 3)",
        diagnose=_b_grad_problem,
        hint="Each element of x + b has slope 2 in L. b is broadcast to 4 rows, so each "
        "element of b receives one contribution per row, added up.",
    ),
    "10.2": Exercise(
        question="softmax_vjp(p, v): v^T J for p = softmax(z) over the last dim, without J",
        diagnose=_diagnose_softmax_vjp,
        hint="Write out (v^T J)_j = sum_i v_i J_ij with J_ij = p_i (delta_ij - p_j): the delta "
        "picks one term, the rest is one sum over i that is the same for every j. In a batch, "
        "each row is its own softmax.",
    ),
    "10.3": Exercise(
        question="mean_backward(grad, shape, dim): the gradient of x for x.mean(dim)",
        diagnose=_diagnose_mean_backward,
        hint="Each element along dim contributes 1/n to its mean (n = shape[dim]). grad has "
        "lost dimension dim: put it back in that place (size 1), copy along it, and scale.",
    ),
}
