"""The named-tuple results of ``max`` and ``min`` along a dimension, as ``torch.return_types``.

``values, indices = x.max(dim)`` unpacks like a tuple, and ``x.max(dim).indices``
names a field. The classes are written in `minitensor.ops.extremes`; they
call themselves ``minitensor.return_types.max`` and ``...min``, so their
type and their repr read like PyTorch's:

>>> type(minitensor.tensor([[1., 5.]]).max(1))
<class 'minitensor.return_types.max'>
"""

from minitensor.ops.extremes import MaxResult as max
from minitensor.ops.extremes import MinResult as min

__all__ = ["max", "min"]
