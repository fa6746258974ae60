"""minitensor.utils.data against torch.utils.data: the same batches, collation and errors."""

import collections

import numpy as np
import pytest
import torch
import torch.utils.data as tdata

import minitensor as mt
from minitensor import nn, optim
from minitensor.datasets import load_digits_split
from minitensor.nn import functional as F
from minitensor.utils.data import (
    DataLoader,
    Dataset,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)
from tests.oracle import assert_same_tensor, device_fixture, dtype_name, torch_message  # noqa: F401


def assert_same_batch(ours, theirs):
    """Same structure (list/dict/tuple/number), and same tensors (dtype, shape, values)."""
    if isinstance(theirs, torch.Tensor):
        assert_same_tensor(ours, theirs, atol=0, rtol=0)
    elif isinstance(theirs, dict):
        assert type(ours) is type(theirs) and list(ours) == list(theirs)
        for key in theirs:
            assert_same_batch(ours[key], theirs[key])
    elif isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs), f"{ours!r} {theirs!r}"
        for mine, reference in zip(ours, theirs):
            assert_same_batch(mine, reference)
    else:
        assert type(ours) is type(theirs) and ours == theirs


def assert_same_error(ours, theirs):
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == torch_message(str(theirs.value))


def features_and_labels(n=23):
    rng = np.random.default_rng(0)
    return rng.standard_normal((n, 3, 2)).astype(np.float32), rng.integers(0, 10, n)


@pytest.mark.parametrize("batch_size", [1, 5, 23, 32])
@pytest.mark.parametrize("drop_last", [False, True])
def test_batches_in_order_equal_torchs(device, batch_size, drop_last):
    X, y = features_and_labels()
    loader = DataLoader(
        TensorDataset(mt.tensor(X, device=device), mt.tensor(y, device=device)),
        batch_size=batch_size,
        drop_last=drop_last,
    )
    expected = tdata.DataLoader(
        tdata.TensorDataset(torch.tensor(X), torch.tensor(y)),
        batch_size=batch_size,
        drop_last=drop_last,
    )
    batches = list(loader)
    assert len(loader) == len(expected) == len(batches)
    assert_same_batch(batches, list(expected))  # the last batch may be partial (or dropped)
    assert all(t.device.type == device for batch in batches for t in batch)


def test_the_fast_path_equals_fetching_samples_one_by_one(device):
    # A TensorDataset's batch is one gather per tensor; a collate_fn of our own
    # forces PyTorch's way (dataset[i] for each i, then stack). Same result.
    X, y = features_and_labels(40)
    dataset = TensorDataset(mt.tensor(X, device=device), mt.tensor(y, device=device))
    subset = random_split(dataset, [0.75, 0.25])[0]
    for data in (dataset, subset, Subset(subset, [-1, 0, 5, -3])):
        mt.manual_seed(1)
        fast = list(DataLoader(data, batch_size=7, shuffle=True))
        mt.manual_seed(1)
        slow = list(DataLoader(data, batch_size=7, shuffle=True, collate_fn=default_collate_))
        assert len(fast) == len(slow)
        for (xf, yf), (xs, ys) in zip(fast, slow):
            assert xf.device == xs.device and xf.dtype == xs.dtype and yf.dtype == ys.dtype
            np.testing.assert_array_equal(xf.cpu().numpy(), xs.cpu().numpy())
            np.testing.assert_array_equal(yf.cpu().numpy(), ys.cpu().numpy())


def default_collate_(batch):
    return default_collate(batch)


def test_a_batch_is_a_copy_and_keeps_autograd_like_torchs():
    # Changing a batch in place leaves the dataset alone, in both libraries.
    X, _ = features_and_labels(6)
    ours, theirs = mt.tensor(X), torch.tensor(X)
    (xb,) = next(iter(DataLoader(TensorDataset(ours), batch_size=4)))
    (xb_torch,) = next(iter(tdata.DataLoader(tdata.TensorDataset(theirs), batch_size=4)))
    xb.add_(100.0)
    xb_torch.add_(100.0)
    assert_same_tensor(ours, theirs, atol=0, rtol=0)
    assert_same_tensor(xb, xb_torch, atol=0, rtol=0)
    # A tensor that requires grad gives a batch made by stack, with its grad_fn.
    weights = mt.tensor(X, requires_grad=True)
    (batch,) = next(iter(DataLoader(TensorDataset(weights), batch_size=4)))
    (expected,) = next(
        iter(tdata.DataLoader(tdata.TensorDataset(torch.tensor(X, requires_grad=True)), 4))
    )
    assert batch.grad_fn.name() == expected.grad_fn.name()
    batch.sum().backward()
    np.testing.assert_array_equal(
        weights.grad.numpy(), [[[1.0] * 2] * 3] * 4 + [[[0.0] * 2] * 3] * 2
    )


Point = collections.namedtuple("Point", ["x", "label"])

COLLATE_CASES = {
    "ints": lambda: [1, 2, 3],
    "floats": lambda: [1.5, 2.0],
    "bools": lambda: [True, False],
    "strings": lambda: ["a", "b"],
    "tuples": lambda: [(1, 2.0), (3, 4.0)],
    "lists": lambda: [[1, 2], [3, 4]],
    "dicts": lambda: [
        {"a": 1, "b": np.zeros(2, np.float32)},
        {"a": 2, "b": np.ones(2, np.float32)},
    ],
    "ordered dicts": lambda: [collections.OrderedDict(z=0.5, a=1)] * 2,
    "numpy arrays": lambda: [np.arange(3, dtype=np.int32), np.arange(3, 6, dtype=np.int32)],
    "numpy float64": lambda: [np.ones((2, 2)), np.zeros((2, 2))],
    "numpy scalars": lambda: [np.float32(1.5), np.float32(2.5)],
    "numpy bools": lambda: [np.bool_(True), np.bool_(False)],
    "numpy int64 scalars": lambda: [np.int64(4), np.int64(-1)],
    "namedtuples": lambda: [Point(np.float64(1.0), 0), Point(np.float64(2.0), 1)],
    "nested": lambda: [({"x": [1.0, 2.0]}, "s"), ({"x": [3.0, 4.0]}, "t")],
}


@pytest.mark.parametrize("case", list(COLLATE_CASES))
def test_default_collate_equals_torchs(case):
    assert_same_batch(
        default_collate(COLLATE_CASES[case]()), tdata.default_collate(COLLATE_CASES[case]())
    )


def test_default_collate_stacks_tensors_like_torch(device):
    rows = np.arange(12, dtype=np.float64).reshape(3, 4)
    ours = default_collate([mt.tensor(r, device=device) for r in rows])
    assert ours.device.type == device
    assert_same_tensor(ours, tdata.default_collate([torch.tensor(r) for r in rows]))


@pytest.mark.parametrize(
    "batch", [[[1, 2], [3]], [object(), object()], [np.array(["a"]), np.array(["b"])]]
)
def test_default_collate_refuses_what_torch_refuses(batch):
    with pytest.raises(Exception) as theirs:
        tdata.default_collate(batch)
    with pytest.raises(Exception) as ours:
        default_collate(batch)
    assert_same_error(ours, theirs)


@pytest.mark.parametrize(
    "data", [range(5), [np.zeros(2), np.ones(2)], [(1, np.float32(2.0)), (3, np.float32(4.0))]]
)
def test_batch_size_none_gives_samples_like_torch(data):
    assert_same_batch(list(DataLoader(data, batch_size=None)), list(tdata.DataLoader(data, None)))
    assert len(DataLoader(data, batch_size=None)) == len(data)


def test_batch_size_none_on_a_tensor_dataset():
    X, y = features_and_labels(4)
    ours = list(DataLoader(TensorDataset(mt.tensor(X), mt.tensor(y)), batch_size=None))
    theirs = tdata.DataLoader(tdata.TensorDataset(torch.tensor(X), torch.tensor(y)), None)
    assert_same_batch(ours, list(theirs))


def test_a_sampler_sets_the_order_like_torchs():
    X, y = features_and_labels(8)
    order = [7, 0, 3, 3, 5]
    ours = DataLoader(TensorDataset(mt.tensor(X), mt.tensor(y)), batch_size=2, sampler=order)
    theirs = tdata.DataLoader(
        tdata.TensorDataset(torch.tensor(X), torch.tensor(y)), batch_size=2, sampler=order
    )
    assert len(ours) == len(theirs) == 3
    assert_same_batch(list(ours), list(theirs))


def epoch_labels(loader):
    return np.concatenate([yb.cpu().numpy() for _, yb in loader])


def test_shuffle_draws_a_new_permutation_each_epoch_reproducibly(device):
    n = 50
    labels = mt.arange(n, device=device)  # sample i has label i: the epoch's order
    dataset = TensorDataset(mt.zeros(n, 2, device=device), labels)
    loader = DataLoader(dataset, batch_size=8, shuffle=True)
    mt.manual_seed(0)
    epochs = [epoch_labels(loader) for _ in range(3)]
    for order in epochs:
        np.testing.assert_array_equal(np.sort(order), np.arange(n))  # every sample once
        assert not np.array_equal(order, np.arange(n))
    assert not np.array_equal(epochs[0], epochs[1]) and not np.array_equal(epochs[1], epochs[2])
    mt.manual_seed(0)
    np.testing.assert_array_equal(epoch_labels(loader), epochs[0])
    # drop_last drops the partial batch of the shuffled order too.
    dropped = DataLoader(dataset, batch_size=8, shuffle=True, drop_last=True)
    assert len(dropped) == 6 and len(set(epoch_labels(dropped).tolist())) == 48

    # A generator of one's own gives its own reproducible order, as torch.Generator does.
    def order_with(seed):
        generator = mt.Generator().manual_seed(seed)
        return epoch_labels(DataLoader(dataset, 8, shuffle=True, generator=generator))

    np.testing.assert_array_equal(order_with(5), order_with(5))
    assert not np.array_equal(order_with(5), order_with(6))
    parts = [random_split(range(10), [4, 6], generator=mt.Generator().manual_seed(1)) for _ in "ab"]
    assert [list(p) for p in parts[0]] == [list(p) for p in parts[1]]
    # (a NumPy generator is accepted too)
    first = epoch_labels(DataLoader(dataset, 8, shuffle=True, generator=np.random.default_rng(5)))
    again = epoch_labels(DataLoader(dataset, 8, shuffle=True, generator=np.random.default_rng(5)))
    np.testing.assert_array_equal(first, again)


@pytest.mark.parametrize("lengths", [[7, 3], [0.7, 0.3], [0.5, 0.25, 0.25], [0.34, 0.33, 0.33]])
def test_random_split_sizes_equal_torchs_and_the_parts_are_disjoint(lengths):
    expected = [len(s) for s in tdata.random_split(range(10), lengths)]
    mt.manual_seed(3)
    parts = random_split(range(10), lengths)
    assert [len(p) for p in parts] == expected
    assert all(isinstance(p, Subset) for p in parts)
    samples = [p[i] for p in parts for i in range(len(p))]
    assert sorted(samples) == list(range(10))  # disjoint, and covering the dataset
    mt.manual_seed(3)
    assert [p.indices for p in random_split(range(10), lengths)] == [p.indices for p in parts]
    mt.manual_seed(4)
    assert [p.indices for p in random_split(range(10), lengths)] != [p.indices for p in parts]


def test_random_split_warns_like_torch_about_an_empty_part():
    with pytest.warns(UserWarning) as theirs:
        tdata.random_split(range(2), [0.5, 0.5, 0.0])
    with pytest.warns(UserWarning) as ours:
        random_split(range(2), [0.5, 0.5, 0.0])
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]


@pytest.mark.parametrize("lengths", [[1, 1], [0.5, 0.6], [1.5, -0.5], [0.2, 0.2]])
def test_random_split_refuses_bad_lengths_like_torch(lengths):
    with pytest.raises(Exception) as theirs:
        tdata.random_split(range(3), lengths)
    with pytest.raises(Exception) as ours:
        random_split(range(3), lengths)
    assert_same_error(ours, theirs)


BAD_LOADERS = {
    "batch_size 0": {"batch_size": 0},
    "batch_size -1": {"batch_size": -1},
    "batch_size 1.5": {"batch_size": 1.5},
    "batch_size True": {"batch_size": True},
    "batch_size '2'": {"batch_size": "2"},
    "drop_last 1": {"drop_last": 1},
    "no batching but drop_last": {"batch_size": None, "drop_last": True},
    "num_workers -1": {"num_workers": -1},
    "sampler and shuffle": {"sampler": [0, 1], "shuffle": True},
}


@pytest.mark.parametrize("case", list(BAD_LOADERS))
def test_dataloader_refuses_bad_arguments_like_torch(case):
    with pytest.raises(Exception) as theirs:
        tdata.DataLoader(range(3), **BAD_LOADERS[case])
    with pytest.raises(Exception) as ours:
        DataLoader(range(3), **BAD_LOADERS[case])
    assert_same_error(ours, theirs)


def test_dataloader_refuses_worker_processes_and_foreign_generators():
    with pytest.raises(NotImplementedError, match="num_workers must be 0, got num_workers=2"):
        DataLoader(range(3), num_workers=2)
    with pytest.raises(TypeError, match=r"minitensor\.Generator or None, got int"):
        DataLoader(range(3), shuffle=True, generator=0)
    with pytest.raises(TypeError, match=r"minitensor\.Generator or None, got int"):
        random_split(range(3), [1, 2], generator=0)


def test_datasets_refuse_bad_input_like_torch():
    with pytest.raises(Exception) as theirs:
        tdata.TensorDataset(torch.zeros(3, 2), torch.zeros(4))
    with pytest.raises(Exception) as ours:
        TensorDataset(mt.zeros(3, 2), mt.zeros(4))
    assert_same_error(ours, theirs)
    with pytest.raises(Exception) as theirs:
        tdata.Dataset()[0]
    with pytest.raises(Exception) as ours:
        Dataset()[0]
    assert_same_error(ours, theirs)


def test_tensor_dataset_rows_and_length_equal_torchs():
    X, y = features_and_labels(5)
    ours, theirs = (
        TensorDataset(mt.tensor(X), mt.tensor(y)),
        tdata.TensorDataset(torch.tensor(X), torch.tensor(y)),
    )
    assert len(ours) == len(theirs) == 5
    assert_same_batch(ours[2], theirs[2])  # a tuple of rows
    assert_same_batch(ours[1:3], theirs[1:3])
    assert mt.utils.data.DataLoader is DataLoader  # importable as minitensor.utils.data


def train_digits(epochs=20):
    """PyTorch's beginner loop with minitensor.utils.data in place of torch.utils.data."""
    X_train, X_test, y_train, y_test = load_digits_split(0.2, seed=0)
    mt.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = optim.Adam(model.parameters(), lr=1e-3)
    train, _ = random_split(TensorDataset(X_train, y_train), [0.9, 0.1])
    loader = DataLoader(train, batch_size=32, shuffle=True)
    for _ in range(epochs):
        for xb, yb in loader:
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
    with mt.no_grad():
        logits = model(X_test)
    return np.mean(logits.numpy().argmax(axis=1) == y_test.numpy()), loss.item()


def test_digits_training_loop_with_a_dataloader_reaches_97_percent():
    accuracy, last_loss = train_digits()
    assert accuracy >= 0.97, f"held-out accuracy {accuracy:.4f}"
    assert train_digits() == (accuracy, last_loss)  # reproducible under manual_seed
