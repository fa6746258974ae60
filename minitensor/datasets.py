"""Small datasets and loop helpers for the notebooks and benchmarks (``minitensor.datasets``).

* `make_moons`: two interleaving half circles, the classic 2-d toy problem.
* `load_digits_split`: 1,797 handwritten digits (8x8 pixels) shipped with
  scikit-learn, so no download; split into training and test sets.
* `batches`: minibatches of a dataset, shuffled reproducibly.
* `progress`: a progress bar for long loops (a widget in Jupyter, text in a terminal).

scikit-learn and tqdm are extras of the notebooks (``pip install -e ".[notebook]"``),
so they are imported inside the functions: ``import minitensor`` does not need them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from minitensor.creation import from_numpy
from minitensor.random import numpy_rng
from minitensor.tensor import Tensor


def make_moons(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> tuple[Tensor, Tensor]:
    """``n`` points in two interleaving half circles, with Gaussian ``noise``.

    Returns:
        X: float32 tensor (n, 2); y: int64 tensor (n,) of labels 0 and 1.
        ``X.tolist()`` gives plain lists for the scalar engine, and
        ``y * 2 - 1`` the labels -1/+1 of a max-margin loss.

    >>> X, y = make_moons(100, noise=0.1, seed=1)
    >>> X.shape, y.dtype
    (minitensor.Size([100, 2]), minitensor.int64)
    """
    from sklearn.datasets import make_moons as sklearn_make_moons

    X, y = sklearn_make_moons(n_samples=n, noise=noise, random_state=seed)
    return from_numpy(X.astype(np.float32)), from_numpy(y.astype(np.int64))


def load_digits_split(
    test_fraction: float = 0.2, seed: int = 0
) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """scikit-learn's 8x8 digits, split into a training and a test set (stratified).

    The split keeps the proportion of each digit the same in both sets and
    depends only on ``seed``. The 64 pixel values (0..16) are then
    standardised with the *training* set's mean and standard deviation per
    pixel (as scikit-learn's StandardScaler does; a pixel that is constant
    in training is only centred), so the test set stays unseen.

    Returns:
        ``X_train, X_test, y_train, y_test`` (scikit-learn's order): float32
        tensors (n, 64) and int64 label tensors (n,).

    >>> X_train, X_test, y_train, y_test = load_digits_split()
    >>> X_train.shape, X_test.shape
    (minitensor.Size([1437, 64]), minitensor.Size([360, 64]))
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    digits = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        digits.data,
        digits.target,
        test_size=test_fraction,
        random_state=seed,
        stratify=digits.target,
    )
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std[std == 0] = 1.0
    X_train, X_test = (X_train - mean) / std, (X_test - mean) / std
    return (
        from_numpy(np.ascontiguousarray(X_train, dtype=np.float32)),
        from_numpy(np.ascontiguousarray(X_test, dtype=np.float32)),
        from_numpy(y_train.astype(np.int64)),
        from_numpy(y_test.astype(np.int64)),
    )


def batches(
    X: Tensor, y: Tensor, batch_size: int = 32, shuffle: bool = True, seed: int | None = None
) -> Iterator[tuple[Tensor, Tensor]]:
    """``(X_batch, y_batch)`` pairs covering the dataset once (the last batch may be smaller).

    With ``shuffle=True`` the order is a random permutation: from
    ``np.random.default_rng(seed)`` if a seed is given, else from
    minitensor's generator (so ``minitensor.manual_seed`` makes it reproducible).
    """
    if len(X) != len(y):
        raise ValueError(f"X and y have different lengths: {len(X)} and {len(y)}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    n = len(X)
    if shuffle:
        rng = numpy_rng() if seed is None else np.random.default_rng(seed)
        # One gather per epoch, then cheap slices (views) for the batches.
        order = from_numpy(rng.permutation(n)).to(X.device)
        X, y = X[order], y[order]
    for start in range(0, n, batch_size):
        stop = min(start + batch_size, n)  # (the array API refuses a stop past the end)
        yield _rows(X, start, stop), _rows(y, start, stop)


def _rows(t: Tensor, start: int, stop: int) -> Tensor:
    """``t[start:stop]``, a view of the same memory.

    A dataset needs no gradient, so the view is made directly on the array:
    ``t[start:stop]`` would also record an indexing operation for autograd,
    which costs more time than the rest of a small model's step.
    """
    if t.requires_grad:
        return t[start:stop]
    return Tensor._wrap(t._array[start:stop, ...], t.device)


def progress(iterable: Iterable | None = None, total: int | None = None, **kwargs):
    """A tqdm progress bar around ``iterable``: ``for epoch in progress(range(20)): ...``.

    ``tqdm.auto`` draws a widget in Jupyter and a text bar in a terminal.
    Extra keyword arguments go to tqdm (``desc="training"``, ``leave=False``, ...);
    ``bar.set_postfix(loss=...)`` shows a running number.
    """
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, **kwargs)
