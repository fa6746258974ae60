"""minitensor.datasets: toy datasets, minibatches, the progress bar."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.datasets import make_moons as sklearn_make_moons
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import minitensor as mt
from minitensor.datasets import batches, load_digits_split, make_moons, progress
from tests.oracle import gpu


def test_make_moons_is_sklearns_as_tensors():
    X, y = make_moons(50, noise=0.2, seed=3)
    expected_X, expected_y = sklearn_make_moons(n_samples=50, noise=0.2, random_state=3)
    assert X.shape == (50, 2) and X.dtype == mt.float32
    assert y.shape == (50,) and y.dtype == mt.int64
    np.testing.assert_allclose(X.numpy(), expected_X, rtol=1e-6)
    np.testing.assert_array_equal(y.numpy(), expected_y)
    assert not np.array_equal(make_moons(50, noise=0.2, seed=4)[0].numpy(), X.numpy())


def test_load_digits_split_is_stratified_scaled_and_seeded():
    X_train, X_test, y_train, y_test = load_digits_split(0.2, seed=0)
    assert X_train.shape == (1437, 64) and X_test.shape == (360, 64)
    assert X_train.dtype == mt.float32 and y_train.dtype == mt.int64
    # The oracle: scikit-learn's own stratified split and StandardScaler fitted on training.
    digits = load_digits()
    raw_train, raw_test, expected_y_train, expected_y_test = train_test_split(
        digits.data, digits.target, test_size=0.2, random_state=0, stratify=digits.target
    )
    scaler = StandardScaler().fit(raw_train)
    np.testing.assert_allclose(X_train.numpy(), scaler.transform(raw_train), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(X_test.numpy(), scaler.transform(raw_test), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(y_train.numpy(), expected_y_train)
    np.testing.assert_array_equal(y_test.numpy(), expected_y_test)
    # Stratified: each digit keeps its share in the test set (within one example).
    counts = np.bincount(y_test.numpy(), minlength=10)
    assert np.all(np.abs(counts - np.bincount(digits.target, minlength=10) * 0.2) <= 1)
    # The same seed gives the same split; another seed another one.
    np.testing.assert_array_equal(load_digits_split(0.2, seed=0)[0].numpy(), X_train.numpy())
    assert not np.array_equal(load_digits_split(0.2, seed=1)[0].numpy(), X_train.numpy())
    assert load_digits_split(0.5)[1].shape == (899, 64)
    with pytest.raises(ValueError, match="test_fraction"):
        load_digits_split(1.5)


def test_batches_cover_the_data_once_in_order_without_shuffle():
    X = mt.arange(10).reshape(10, 1).float()
    y = mt.arange(10)
    pairs = list(batches(X, y, batch_size=4, shuffle=False))
    assert [len(xb) for xb, _ in pairs] == [4, 4, 2]
    assert [yb.tolist() for _, yb in pairs] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert all(xb[:, 0].long().tolist() == yb.tolist() for xb, yb in pairs)


def test_batches_shuffle_reproducibly():
    X = mt.arange(20).reshape(20, 1).float()
    y = mt.arange(20)

    def order(**kwargs):
        return [v for _, yb in batches(X, y, batch_size=6, **kwargs) for v in yb.tolist()]

    first = order(seed=5)
    assert sorted(first) == list(range(20)) and first != list(range(20))
    assert order(seed=5) == first
    assert order(seed=6) != first
    # Without a seed, minitensor's generator decides: manual_seed makes it reproducible.
    mt.manual_seed(11)
    a = order()
    mt.manual_seed(11)
    assert order() == a
    # Inputs and labels stay paired.
    for xb, yb in batches(X, y, batch_size=6, seed=1):
        assert xb[:, 0].long().tolist() == yb.tolist()


def test_batches_bad_arguments():
    with pytest.raises(ValueError, match="different lengths"):
        next(batches(mt.zeros(3, 2), mt.zeros(4)))
    with pytest.raises(ValueError, match="batch_size"):
        next(batches(mt.zeros(3, 2), mt.zeros(3), batch_size=0))


def test_batches_keep_the_graph_of_a_tensor_that_requires_grad():
    X = mt.ones(4, 2, requires_grad=True)
    xb, _ = next(batches(X, mt.zeros(4), batch_size=2, shuffle=False))
    xb.sum().backward()
    assert X.grad.tolist() == [[1.0, 1.0], [1.0, 1.0], [0.0, 0.0], [0.0, 0.0]]


def test_batches_on_the_gpu_standin():
    with gpu():
        X = mt.arange(6).reshape(6, 1).float().cuda()
        y = mt.arange(6).cuda()
        pairs = list(batches(X, y, batch_size=4, seed=0))
        assert all(xb.is_cuda and yb.is_cuda for xb, yb in pairs)
        assert sorted(v for _, yb in pairs for v in yb.tolist()) == list(range(6))


def test_progress_wraps_tqdm():
    bar = progress(range(3), desc="epochs", disable=True)
    assert list(bar) == [0, 1, 2]
    assert type(bar).__module__.startswith("tqdm")
