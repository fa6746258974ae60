"""minitensor: automatic differentiation you can read, with PyTorch's API.

``minitensor.Value`` is a scalar autograd engine (one number per node);
the rest of the package is an n-d ``Tensor`` whose API follows PyTorch's,
so ``import minitensor as torch`` runs most beginner PyTorch code. Both run
on the same backward engine, ``minitensor.autograd.engine``.

Read the code in this order (about 2,900 lines, the core):

1. ``scalar/value.py``: `Value`, autograd on single numbers;
2. ``autograd/engine.py``: the backward engine both `Value` and `Tensor` use;
3. ``autograd/function.py``: `Function` (forward and backward side by side), then
   ``autograd/saved.py`` (the ``ctx``) and ``autograd/nodes.py`` (the graph nodes);
4. ``tensor_base.py``, then ``tensor.py``: the `Tensor` (the other ``tensor_*.py``
   files are its method groups: autograd, conversions, math, shapes);
5. ``ops/broadcast.py`` and ``ops/operands.py``: what every operation does first;
6. ``ops/arithmetic.py`` (``+ - * /``), ``ops/unary.py``, ``ops/reduce.py`` (``sum``,
   ``mean``; with ``ops/reduction_rules.py``, what every reduction shares),
   ``ops/matmul.py``: the core operations;
7. ``nn/parameter.py`` and ``nn/layers.py``: `Linear` and friends (then ``nn/module.py``).

Everything else is reachable from there: the rest of ``ops/`` (shape, indexing,
softmax, the matrix products' checks in ``matmul_checks.py``, ...), ``ops/more/``
(operations kept for PyTorch completeness: ``prod``, ``all``/``any``, ``//`` and
``%`` among them), ``creation.py`` (tensor(), zeros(), randn(), ...; from
``creation_data.py`` and ``creation_filled.py``), ``autograd/`` (no_grad, grad(),
gradcheck), ``dtypes.py``, ``backend.py`` (NumPy or CuPy for each device; the
libraries in ``array_libraries.py``, the `device` names in ``devices.py``),
``printing.py``, ``nn/`` (activation and loss modules, the losses' functions and
derivatives), ``optim/``, ``datasets.py`` (the notebooks' toy data), ``utils/``, ``viz/``.

The import rule: imports go one way, from the higher layers down, and every
import of a minitensor module is at the top of its file (optional third-party
packages, such as graphviz or tqdm, may be imported where they are used, and so
may ``viz/render.py``, which needs graphviz). From the bottom: ``dtypes``,
``devices``, ``array_libraries`` and ``backend``, ``size``; ``autograd``
(grad_mode, registry, function, engine); ``ops/`` and ``creation``;
``tensor_*.py`` and ``tensor.py``; then ``nn``, ``optim``, ``utils``, ``viz``.
The operations sit below the Tensor class yet must make tensors:
``tensor.py`` registers its class with ``autograd/registry.py``
(`register_tensor_class`), and the layers below it use `tensor_class`,
`is_tensor` and `wrap_array` from there (``autograd/function.py`` re-exports
them). ``tests/test_imports.py`` checks the rule (no cycle, no import
inside a function).
"""

from minitensor import autograd, cuda, datasets, nn, optim, return_types, utils, viz
from minitensor.allocation import OutOfMemoryError
from minitensor.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
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
from minitensor.devices import device
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
from minitensor.ops.arithmetic import add, div, mul, neg, sub
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
from minitensor.ops.join import cat, chunk, repeat, split, stack
from minitensor.ops.matmul import dot, matmul, mm, mv
from minitensor.ops.more.checks import allclose, equal, isclose, isfinite, isinf, isnan
from minitensor.ops.more.flip import flip
from minitensor.ops.more.grid import meshgrid, outer
from minitensor.ops.more.integer_division import floor_divide, remainder
from minitensor.ops.more.norm import norm
from minitensor.ops.more.prod import prod
from minitensor.ops.more.rounding import ceil, floor, round, trunc
from minitensor.ops.more.scan import cumsum
from minitensor.ops.more.sorting import argsort, sort, topk
from minitensor.ops.more.triangular import tril, triu
from minitensor.ops.more.truth_tests import all, any
from minitensor.ops.more.unary_math import expm1, log1p, rsqrt, square
from minitensor.ops.more.variance import std, var
from minitensor.ops.power import pow
from minitensor.ops.reduce import mean, sum
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
