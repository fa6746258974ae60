"""`Size`: a tensor's shape, a tuple of ints that stays a `Size`.

``x.shape`` is a `Size`, and so is everything a user makes from it the way
tuples are made from tuples, as with ``torch.Size``::

    >>> x = minitensor.zeros(3, 4, 5)
    >>> x.shape[:2]
    minitensor.Size([3, 4])
    >>> x.shape + (1,), (1,) + x.shape
    (minitensor.Size([3, 4, 5, 1]), minitensor.Size([1, 3, 4, 5]))
    >>> x.shape * 2
    minitensor.Size([3, 4, 5, 3, 4, 5])

A plain tuple's methods would return plain tuples, so slicing, ``+`` and
``*`` are redefined here to wrap their result. (``(1,) + size`` reaches
``Size.__radd__`` first because Python asks a subclass's reflected
operator before its parent's.)
"""

from __future__ import annotations

import operator


class Size(tuple):
    """A tensor's shape: a tuple of ints that prints as ``minitensor.Size([2, 3])``."""

    __module__ = "minitensor"  # type(x.shape) prints <class 'minitensor.Size'>, as torch's

    def __new__(cls, sizes=()):
        # Each size must be an int, or something that converts exactly to one
        # (a NumPy integer, a one-element integer tensor), as in PyTorch.
        checked = []
        for position, s in enumerate(sizes):
            try:
                checked.append(operator.index(s))
            except TypeError:
                raise TypeError(
                    "minitensor.Size() takes an iterable of 'int' "
                    f"(item {position} is '{type(s).__name__}')"
                ) from None
        return super().__new__(cls, checked)

    def __repr__(self) -> str:
        return f"minitensor.Size({list(self)})"

    def __getitem__(self, index):
        item = super().__getitem__(index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other):
        if not isinstance(other, tuple):
            # PyTorch's words for size + [1] (a tuple says "(not "list") to tuple").
            raise TypeError(
                f"can only concatenate tuple (not {type(other).__name__}) to minitensor.Size"
            )
        return Size(tuple(self) + other)

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(other + tuple(self))

    def __mul__(self, times):
        return Size(tuple(self) * times)

    __rmul__ = __mul__

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds (the product of the sizes)."""
        n = 1
        for s in self:
            n *= s
        return n
