"""Datasets and the DataLoader, as in ``torch.utils.data`` (``minitensor.utils.data``).

A training loop needs the data in small random batches. PyTorch splits that
job in three, and so do we:

* a `Dataset` answers ``dataset[i]`` (one sample) and ``len(dataset)``;
  `TensorDataset(X, y)` is the usual one: sample ``i`` is ``(X[i], y[i])``;
* a sampler decides the order of the indices: ``0, 1, 2, ...`` or, with
  ``shuffle=True``, a new random permutation at each epoch;
* the `DataLoader` cuts that order into batches of ``batch_size`` indices,
  fetches the samples and *collates* them into one batch (`default_collate`
  stacks tensors, turns numbers into tensors, and recurses into tuples and dicts)::

    loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
    for xb, yb in loader:  # xb: (32, ...) rows of X, yb: the matching labels
        ...

Random orders come from minitensor's generator (`minitensor.random`), so
``minitensor.manual_seed`` makes them reproducible; they are not PyTorch's
orders for the same seed (PyTorch has its own generator). A ``generator=``
argument takes a `minitensor.Generator`, where PyTorch takes a ``torch.Generator``.
"""

from __future__ import annotations

import collections.abc
import copy
import itertools
import math
import re
import warnings

import numpy as np

from minitensor import backend
from minitensor.creation import as_tensor, tensor
from minitensor.dtypes import float64
from minitensor.ops.join import stack
from minitensor.random import numpy_rng
from minitensor.tensor import Tensor

__all__ = ["DataLoader", "Dataset", "Subset", "TensorDataset", "default_collate", "random_split"]


class Dataset:
    """A map from indices to samples: subclasses define ``__getitem__`` (and ``__len__``)."""

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")


class TensorDataset(Dataset):
    """Tensors with the same first dimension; sample ``i`` is ``(t[i] for t in tensors)``.

    >>> ds = TensorDataset(minitensor.zeros(5, 3), minitensor.arange(5))
    >>> len(ds), ds[1]
    (5, (tensor([0., 0., 0.]), tensor(1)))
    """

    def __init__(self, *tensors: Tensor) -> None:
        if any(tensors[0].size(0) != t.size(0) for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].size(0)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``: ``subset[i]`` is ``dataset[indices[i]]``."""

    def __init__(self, dataset, indices) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __len__(self) -> int:
        return len(self.indices)


def _rng(generator) -> np.random.Generator:
    """The generator to draw from: the given one, else minitensor's (seeded by manual_seed).

    ``generator`` is a `minitensor.Generator`, as PyTorch code passes a
    ``torch.Generator`` (a NumPy ``Generator`` works too).
    """
    if isinstance(generator, np.random.Generator):
        return generator
    return numpy_rng(generator)


def random_split(dataset, lengths, generator=None) -> list[Subset]:
    """Split ``dataset`` into non-overlapping random `Subset`s of the given ``lengths``.

    ``lengths`` are sizes (``[1000, 437]``) or fractions summing to 1
    (``[0.8, 0.2]``): then each size is ``floor(fraction * len(dataset))`` and
    the samples left over are dealt one by one to the splits, round-robin.

    >>> train, val = random_split(range(10), [0.7, 0.3])
    >>> len(train), len(val)
    (7, 3)
    """
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        sizes = []
        for i, fraction in enumerate(lengths):
            if fraction < 0 or fraction > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
            sizes.append(math.floor(len(dataset) * fraction))
        for i in range(len(dataset) - sum(sizes)):
            sizes[i % len(sizes)] += 1
        lengths = sizes
        for i, length in enumerate(lengths):
            if length == 0:
                warnings.warn(
                    f"Length of split at index {i} is 0. This might result in an empty dataset.",
                    stacklevel=2,
                )
    if sum(lengths) != len(dataset):
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    indices = _rng(generator).permutation(sum(lengths)).tolist()
    # Split k takes the next lengths[k] indices of the one permutation: disjoint by construction.
    return [
        Subset(dataset, indices[end - length : end])
        for end, length in zip(itertools.accumulate(lengths), lengths)
    ]


_STRING_DTYPE = re.compile(r"[SaUO]")  # NumPy's byte strings, unicode and Python objects
_COLLATE_ERROR = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


def default_collate(batch):
    """Turn a list of samples into one batch, as ``torch.utils.data.default_collate`` does.

    * tensors -> ``stack(batch)`` (a new first dimension of size ``len(batch)``);
    * NumPy arrays -> tensors, then stacked; NumPy scalars -> a tensor of their dtype;
    * ``float`` -> a float64 tensor, ``int`` -> int64 (``bool`` -> bool); strings stay a list;
    * dicts -> a dict of collated values per key; tuples and lists -> a *list*
      with one collated entry per position (so ``(x, y)`` samples give ``[X, Y]``).

    >>> default_collate([(1, 2.0), (3, 4.0)])
    [tensor([1, 3]), tensor([2., 4.], dtype=minitensor.float64)]
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(batch, 0)
    if isinstance(elem, np.ndarray):
        if _STRING_DTYPE.search(elem.dtype.str) is not None:
            raise TypeError(_COLLATE_ERROR.format(elem.dtype))
        return default_collate([as_tensor(b) for b in batch])
    if isinstance(elem, (np.bool_, np.number)):  # before float: np.float64 is a float
        return as_tensor(np.asarray(batch))
    if isinstance(elem, float):
        return tensor(batch, dtype=float64)
    if isinstance(elem, int):
        return tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        collated = {key: default_collate([d[key] for d in batch]) for key in elem}
        if isinstance(elem, collections.abc.MutableMapping):  # keep OrderedDict & co.
            clone = copy.copy(elem)
            clone.update(collated)
            return clone
        return collated
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a namedtuple keeps its type
        return type(elem)(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(samples) for samples in zip(*batch)]
    raise TypeError(_COLLATE_ERROR.format(type(elem)))


def _convert(sample):
    """With ``batch_size=None``: NumPy values become tensors, the rest is left as it is."""
    if isinstance(sample, np.ndarray) and _STRING_DTYPE.search(sample.dtype.str) is None:
        return as_tensor(sample)
    if isinstance(sample, (np.bool_, np.number)):
        return as_tensor(np.asarray(sample))
    if isinstance(sample, collections.abc.Mapping):
        return {key: _convert(value) for key, value in sample.items()}
    if isinstance(sample, tuple) and hasattr(sample, "_fields"):
        return type(sample)(*(_convert(value) for value in sample))
    if isinstance(sample, (tuple, list)):
        return [_convert(value) for value in sample]
    return sample


class DataLoader:
    """Batches of a dataset, in order or shuffled anew at every epoch.

    Args:
        dataset: a map-style dataset (``dataset[i]``, ``len(dataset)``).
        batch_size: samples per batch (a positive int), or None for single samples.
        shuffle: draw a new random order at each ``for`` over the loader, from
            ``generator`` or minitensor's generator (``minitensor.manual_seed``
            makes it reproducible; the orders differ from PyTorch's).
        sampler: an iterable of indices to use instead of ``0..n-1`` (not with shuffle).
        num_workers: only 0: batches are made in this process.
        collate_fn: list of samples -> batch; `default_collate` if None.
        drop_last: drop the last batch if it has fewer than ``batch_size`` samples.
        generator: a `minitensor.Generator` for the shuffling (as PyTorch's ``torch.Generator``).

    >>> loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
    >>> for xb, yb in loader: ...
    """

    def __init__(
        self,
        dataset,
        batch_size: int | None = 1,
        shuffle: bool = False,
        sampler=None,
        num_workers: int = 0,
        collate_fn=None,
        drop_last: bool = False,
        generator=None,
    ) -> None:
        if num_workers < 0:
            raise ValueError(
                "num_workers option should be non-negative; "
                "use num_workers=0 to disable multiprocessing."
            )
        if num_workers > 0:
            raise NotImplementedError(
                f"minitensor's DataLoader makes batches in the main process: num_workers must "
                f"be 0, got num_workers={num_workers} (there are no worker processes)"
            )
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_size is None:
            if drop_last:
                raise ValueError(
                    "batch_size=None option disables auto-batching "
                    "and is mutually exclusive with drop_last"
                )
        elif not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        _rng(generator)  # refuse a wrong generator now rather than at the first epoch
        self.dataset, self.batch_size, self.drop_last = dataset, batch_size, drop_last
        self.shuffle, self.sampler, self.generator = bool(shuffle), sampler, generator
        self.num_workers = num_workers
        self.collate_fn = default_collate if collate_fn is None else collate_fn

    def _order(self) -> list:
        """The indices of one epoch, in the order the batches take them."""
        if self.sampler is not None:
            return list(self.sampler)
        if self.shuffle:  # a fresh permutation each epoch
            return _rng(self.generator).permutation(len(self.dataset)).tolist()
        return list(range(len(self.dataset)))

    def __iter__(self):
        order = self._order()
        if self.batch_size is None:
            for index in order:
                yield _convert(self.dataset[index])
            return
        for start in range(0, len(order), self.batch_size):
            indices = order[start : start + self.batch_size]
            if self.drop_last and len(indices) < self.batch_size:
                return
            rows = self._rows(indices)
            if rows is None:  # PyTorch's way: one sample at a time, then collate
                rows = self.collate_fn([self.dataset[i] for i in indices])
            yield rows

    def _rows(self, indices: list) -> list[Tensor] | None:
        """The batch of a TensorDataset (or a Subset of one) in one gather per tensor.

        Same values, dtypes and device as stacking the samples one by one, only
        faster: ``take`` copies all the rows at once. None when this does not
        apply (another dataset or collate_fn, a custom sampler, a tensor that
        requires grad, whose batch must record autograd's StackBackward0).
        """
        dataset = self.dataset
        if self.collate_fn is not default_collate or self.sampler is not None:
            return None
        rows = np.asarray(indices, dtype=np.int64)
        while type(dataset) is Subset:  # map the indices to the underlying dataset's
            sequence = isinstance(dataset.indices, (list, tuple, range, np.ndarray))
            if not sequence or not hasattr(dataset.dataset, "__len__"):
                return None
            rows = np.asarray(dataset.indices)[rows]
            n = len(dataset.dataset)
            if rows.dtype.kind not in "iu" or not ((rows >= -n) & (rows < n)).all():
                return None  # let the per-sample path raise the usual error
            rows, dataset = np.where(rows < 0, rows + n, rows), dataset.dataset
        if type(dataset) is not TensorDataset or any(t.requires_grad for t in dataset.tensors):
            return None
        out = []
        for t in dataset.tensors:
            index = backend.backend_for(t.device).from_host(rows)
            xp = backend.namespace(t.device)
            out.append(Tensor._wrap(xp.take(t._array, index, axis=0), t.device))
        return out

    def __len__(self) -> int:
        n = len(self.sampler) if self.sampler is not None else len(self.dataset)
        if self.batch_size is None:
            return n
        if self.drop_last:
            return n // self.batch_size
        return math.ceil(n / self.batch_size)
