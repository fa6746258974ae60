"""Worked solutions for notebook 03 (tensors).

03.1: ``mt.zeros(2, 3, 4)`` holds 2 * 3 * 4 = 24 numbers. ``reshape(4, -1)``
keeps all 24 in 4 rows, so the -1 becomes 24 / 4 = 6: shape (4, 6). ``.T``
swaps the two sizes: (6, 4).

03.2: ``mt.tensor([1, 2])`` is ``int64``. Integers times a float cannot stay
integers, so the result is a float tensor of the *default* float dtype,
``float32``. (A plain Python number never pushes a tensor to ``float64``;
only a ``float64`` tensor does.)

03.3: ``t = mt.from_numpy(a)`` is the same memory as ``a``, so after
``a[0] = 10`` it reads 10. ``u = mt.tensor(a)`` copied ``a`` when it was made,
so it still holds the old 0.0. The sum is 10.0 + 0.0 = 10.0.

03.4: ``t.sum(dim=1, keepdim=True)`` has shape (n, 1): one sum per row, in a
column. Dividing the (n, m) tensor by it broadcasts that column across each
row. Without ``keepdim`` the sums have shape (n,), which broadcasting lines up
with the *last* dimension: an error for most shapes, and a silently wrong
answer (each column j divided by the sum of row j) for a square tensor.
"""

import minitensor as mt

SOLUTIONS = {
    "03.1": (6, 4),
    "03.2": mt.float32,
    "03.3": 10.0,
}


def normalize_rows(t):
    """Each row of t divided by its sum; keepdim=True gives the sums shape (n, 1)."""
    return t / t.sum(dim=1, keepdim=True)


SOLUTIONS["03.4"] = normalize_rows
