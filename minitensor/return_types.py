"""The named-tuple results of ``max``, ``min``, ``sort`` and ``topk``, as ``torch.return_types``.

``values, indices = x.max(dim)`` unpacks like a tuple, and ``x.max(dim).indices``
names a field. The classes are written in `minitensor.ops.extremes` (max,
min) and `minitensor.ops.more.sorting` (sort, topk); they call themselves
``minitensor.return_types.max`` and so on, so their type and their repr read
like PyTorch's:

>>> type(minitensor.tensor([[1., 5.]]).max(1))
<class 'minitensor.return_types.max'>
"""

from minitensor.ops.extremes import MaxResult as max
from minitensor.ops.extremes import MinResult as min
from minitensor.ops.more.sorting import SortResult as sort
from minitensor.ops.more.sorting import TopkResult as topk

__all__ = ["max", "min", "sort", "topk"]
