"""minitensor: automatic differentiation you can read, with PyTorch's API.

``minitensor.Value`` is a scalar autograd engine (one number per node);
the rest of the package is an n-d ``Tensor`` whose API follows PyTorch's,
so ``import minitensor as torch`` runs most beginner PyTorch code. Both run
on the same backward engine, ``minitensor.autograd.engine``.

Where things are:

* ``tensor.py``: the Tensor class; ``creation.py``: tensor(), zeros(), randn(), ...
* ``ops/``: every operation, forward and backward side by side
* ``autograd/``: the backward engine, Function, no_grad, grad(), gradcheck
* ``dtypes.py``, ``backend.py`` (NumPy or CuPy), ``printing.py``
* ``scalar/``: Value and a micrograd-style MLP; ``nn/``, ``optim/``; ``viz/``
"""

from minitensor import autograd, cuda, data, nn, optim, return_types, utils, viz
from minitensor.allocation import OutOfMemoryError
from minitensor.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from minitensor.backend import device
from minitensor.creation import (
    BoolTensor,
    DoubleTensor,
    FloatTensor,
    IntTensor,
    LongTensor,
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from minitensor.dtypes import (
    bool_ as bool,
)
from minitensor.dtypes import (
    double,
    dtype,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int8,
    int16,
    int32,
    int64,
    long,
    promote_types,
    result_type,
    short,
    uint8,
)
from minitensor.dtypes import float as float
from minitensor.dtypes import int as int
from minitensor.ops.arithmetic import add, div, floor_divide, mul, neg, remainder, sub
from minitensor.ops.checks import allclose, equal, isclose, isfinite, isinf, isnan
from minitensor.ops.compare import (
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    eq,
    ge,
    gt,
    le,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    lt,
    ne,
)
from minitensor.ops.extremes import argmax, argmin, max, min
from minitensor.ops.flip import flip
from minitensor.ops.grid import meshgrid, outer
from minitensor.ops.join import cat, chunk, repeat, split, stack
from minitensor.ops.matmul import dot, matmul, mm, mv
from minitensor.ops.norm import norm
from minitensor.ops.power import pow
from minitensor.ops.reduce import all, any, mean, prod, sum
from minitensor.ops.rounding import ceil, floor, round, trunc
from minitensor.ops.scan import cumsum
from minitensor.ops.selection import masked_fill, maximum, minimum, where
from minitensor.ops.shape import (
    expand,
    flatten,
    permute,
    reshape,
    squeeze,
    t,
    transpose,
    unsqueeze,
    view,
)
from minitensor.ops.softmax import log_softmax, logsumexp, softmax
from minitensor.ops.sorting import argsort, sort, topk
from minitensor.ops.triangular import tril, triu
from minitensor.ops.unary import (
    abs,
    clamp,
    cos,
    exp,
    log,
    reciprocal,
    relu,
    sigmoid,
    sign,
    sin,
    sqrt,
    tanh,
)
from minitensor.ops.unary_math import expm1, log1p, rsqrt, square
from minitensor.ops.variance import std, var
from minitensor.printing import get_printoptions, set_printoptions
from minitensor.random import Generator, manual_seed
from minitensor.scalar import Value
from minitensor.tensor import Size, Tensor

clip = clamp

__version__ = "0.1.0"


def is_tensor(obj) -> bool:
    """True if ``obj`` is a minitensor Tensor."""
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:
    """The number of elements of ``input``."""
    return input.numel()
