"""Checks for the exercises of notebook 03 (tensors)."""

import numpy as np

from exercises import Exercise, close


def _is_shape(expected: tuple[int, ...]):
    """A check that accepts a tuple, a list or a Size equal to ``expected``."""

    def is_right(answer) -> bool:
        return tuple(int(n) for n in answer) == expected

    return is_right


def _is_dtype_named(name: str):
    """A check that accepts a dtype object (mt.float32, torch.float32) or its name."""

    def is_right(answer) -> bool:
        text = str(answer)
        return text.split(".")[-1] == name

    return is_right


EXERCISES = {
    "03.1": Exercise(
        question="The shape of mt.zeros(2, 3, 4).reshape(4, -1).T",
        # NumPy follows the same reshape rules (-1 = whatever size fits).
        is_right=_is_shape(np.zeros((2, 3, 4)).reshape(4, -1).T.shape),
        hint="2*3*4 = 24 numbers; reshape(4, -1) makes 4 rows of 24/4 each; .T swaps the two "
        "sizes.",
    ),
    "03.2": Exercise(
        question="The dtype of mt.tensor([1, 2]) * 0.5",
        # The rule: integers times a Python float give the default float dtype, float32.
        is_right=_is_dtype_named("float32"),
        hint="mt.tensor([1, 2]) is int64; multiplying integers by a float must give floats, "
        "and the default float dtype is float32 (a Python number never makes float64).",
    ),
    "03.3": Exercise(
        question="(t[0] + u[0]).item() with t = from_numpy(a), u = tensor(a), then a[0] = 10",
        # t shares a's memory and sees the 10; u is a copy and still holds a's old 0.0.
        is_right=close(10.0 + 0.0),
        hint="from_numpy shares memory with the array, mt.tensor copies it: which of the two "
        "sees the write a[0] = 10?",
    ),
}


def _diagnose_normalize_rows(normalize_rows) -> str | None:
    import minitensor as mt
    from exercises.feedback import not_a_function

    problem = not_a_function(normalize_rows, "normalize_rows")
    if problem:
        return problem
    cases = [
        [[1.0, 3.0], [2.0, 2.0], [0.5, 4.5]],  # 3 x 2
        [[1.0, 2.0, 3.0], [4.0, 4.0, 2.0], [1.0, 1.0, 8.0]],  # square: broadcasting mistakes fit
        [[2.0, 6.0, 2.0]],  # one row
        [[5.0]],  # one number
    ]
    for rows in cases:
        t = mt.tensor(rows)
        before = t.clone()
        shape = tuple(t.shape)
        try:
            got = normalize_rows(t)
        except Exception as error:
            said = f"for a tensor of shape {shape} it raised {type(error).__name__}: {error}"
            if "must match" in str(error):
                return f"{said}. Which shape do the row sums have, and how does it broadcast?"
            return said
        if got is None:
            return "it returns None: did you forget the return statement?"
        if not mt.equal(t, before):
            return f"it changed its input (shape {shape}): compute a new tensor instead."
        if tuple(got.shape) != shape:
            return f"for an input of shape {shape} it returns shape {tuple(got.shape)}."
        values = np.array(got.tolist())
        shown = np.round(values, 4).tolist()
        array = np.array(rows)
        right = array / array.sum(axis=1, keepdims=True)
        if np.allclose(values, right, rtol=1e-5):
            continue
        said = f"for the {shape[0]}x{shape[1]} input {rows}, it gives {shown}"
        if np.allclose(values, array / array.sum(axis=0, keepdims=True), rtol=1e-5):
            return f"{said}: each *column* sums to 1. Which dim runs along a row?"
        if shape[0] == shape[1] and np.allclose(values, array / array.sum(axis=1), rtol=1e-5):
            return (
                f"{said}: the row sums were lined up with the columns. A sum over dim=1 has "
                "shape (n,); broadcasting matches it with the *last* dimension. Keep the "
                "summed dimension."
            )
        return f"{said}; its rows should each sum to 1."
    return None


EXERCISES["03.4"] = Exercise(
    question="normalize_rows(t): each row divided by its sum",
    diagnose=_diagnose_normalize_rows,
    hint="t.sum(dim=...) adds along one dimension; keepdim=True keeps that dimension with "
    "size 1, so that the division broadcasts along the right axis.",
)
