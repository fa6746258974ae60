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
