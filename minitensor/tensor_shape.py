"""A Tensor's shape methods: ``view``, ``reshape``, ``transpose``, ``t[i]``, ``t @ u``, ...

Each method calls the operation in ``minitensor/ops/`` where its forward and
backward are written.
"""

from __future__ import annotations

from minitensor.ops import indexing, join, matmul, shape
from minitensor.ops.more import flip, grid, index_put, triangular
from minitensor.tensor_base import TensorBase


class ShapeMethods(TensorBase):
    """Shapes, indexing and matrix products of a Tensor (see ``minitensor/tensor.py``)."""

    # ------------------------------------------------------------------
    # Shapes (minitensor/ops/shape.py, joining and splitting in join.py),
    # indexing (minitensor/ops/indexing.py, writing in index_put.py) and matrix
    # products (minitensor/ops/matmul.py)
    # ------------------------------------------------------------------

    def reshape(self, *shape_):
        return shape.reshape(self, *shape_)

    def view(self, *shape_):
        return shape.view(self, *shape_)

    def view_as(self, other):
        return shape.view(self, *other.shape)

    def reshape_as(self, other):
        return shape.reshape(self, *other.shape)

    def transpose(self, dim0, dim1):
        return shape.transpose(self, dim0, dim1)

    def t(self):
        return shape.t(self)

    @property
    def T(self):
        return shape.reverse_dims(self)

    @property
    def mT(self):
        return shape.matrix_transpose(self)

    def permute(self, *dims):
        return shape.permute(self, *dims)

    def flatten(self, start_dim=0, end_dim=-1):
        return shape.flatten(self, start_dim, end_dim)

    def squeeze(self, dim=None):
        return shape.squeeze(self, dim)

    def unsqueeze(self, dim):
        return shape.unsqueeze(self, dim)

    def expand(self, *sizes):
        return shape.expand(self, *sizes)

    def expand_as(self, other):
        return shape.expand(self, *other.shape)

    def repeat(self, *repeats):
        return join.repeat(self, *repeats)

    def split(self, split_size, dim=0):
        return join.split(self, split_size, dim)

    def chunk(self, chunks, dim=0):
        return join.chunk(self, chunks, dim)

    def flip(self, *dims):  # x.flip(0, 1) or x.flip([0, 1]) (minitensor/ops/flip.py)
        return flip.flip(self, list(shape._shape_args(dims)))

    def tril(self, diagonal=0):  # (minitensor/ops/triangular.py)
        return triangular.tril(self, diagonal)

    def triu(self, diagonal=0):
        return triangular.triu(self, diagonal)

    def outer(self, vec2):  # (minitensor/ops/grid.py)
        return grid.outer(self, vec2)

    def __getitem__(self, index):
        return indexing.getitem(self, index)

    def __setitem__(self, index, value):
        index_put.setitem(self, index, value)

    def matmul(self, other):
        return matmul.matmul(self, other)

    def mm(self, other):
        return matmul.mm(self, other)

    def dot(self, other):
        return matmul.dot(self, other)
