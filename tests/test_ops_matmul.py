"""Matrix products in every form, against PyTorch: values, grads, grad_fn names, errors."""

import numpy as np
import pytest

import minitensor as mt
from minitensor.autograd.gradcheck import gradcheck
from tests.oracle import compare, device_fixture  # noqa: F401 (a fixture)

SHAPES = [
    ((3,), (3,)),  # dot
    ((2, 3), (3, 4)),  # mm
    ((2, 3), (3,)),  # mv
    ((3,), (3, 4)),  # vector @ matrix
    ((5, 2, 3), (3, 4)),  # batch @ matrix
    ((5, 2, 3), (3,)),  # batch @ vector
    ((3,), (5, 3, 4)),  # vector @ batch
    ((2, 3), (5, 3, 4)),  # matrix @ batch
    ((5, 2, 3), (5, 3, 4)),  # batch @ batch
    ((5, 1, 2, 3), (4, 3, 2)),  # broadcast batch dimensions
    ((1, 2, 3), (3, 4)),
    ((2, 3), (1, 3, 4)),
    ((2, 5, 2, 3), (3,)),
    ((3,), (2, 5, 3, 4)),
]


def _array(shape, seed, dtype="float32"):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


@pytest.mark.parametrize(("shape_a", "shape_b"), SHAPES)
@pytest.mark.parametrize("requires_grad", ["both", "a", "b"])
def test_matmul_forms(shape_a, shape_b, requires_grad, device):
    a, b = _array(shape_a, 1), _array(shape_b, 2)

    def fn(L, x, y):
        x.requires_grad_(requires_grad in ("both", "a"))
        y.requires_grad_(requires_grad in ("both", "b"))
        return x @ y

    compare(fn, a, b, device=device)


@pytest.mark.parametrize(
    "fn",
    [
        lambda L, a, b: L.matmul(a, b),
        lambda L, a, b: a.matmul(b),
        lambda L, a, b: L.mm(a, b),
        lambda L, a, b: a.mm(b),
        lambda L, a, b: (a @ b).sum() * a.mean(),
        lambda L, a, b: (a.T @ a) @ b,  # a non-contiguous operand
    ],
)
def test_matmul_spellings(fn, device):
    compare(fn, _array((3, 3), 1), _array((3, 4), 2), device=device)


def test_mv_and_dot_functions(device):
    compare(lambda L, a, v: L.mv(a, v), _array((2, 3), 1), _array((3,), 2), device=device)
    compare(lambda L, a, b: L.dot(a, b), _array((3,), 1), _array((3,), 2), device=device)
    compare(lambda L, a, b: a.dot(b), _array((3,), 1), _array((3,), 2), device=device)


def test_integer_matmul(device):
    a = np.arange(6).reshape(2, 3)
    compare(lambda L, x: x @ x.T, a, device=device)
    compare(lambda L, x: x[0] @ x[1], a, device=device)
    compare(lambda L, x: x.reshape(1, 2, 3) @ x.T, a, device=device)


def test_e2_matmul_prints_like_torch():
    t = mt.tensor([[1, 2], [3, 4]])
    assert repr(t.matmul(t.T)) == "tensor([[ 5, 11],\n        [11, 25]])"
    assert repr(t @ t.T) == "tensor([[ 5, 11],\n        [11, 25]])"


@pytest.mark.parametrize(("shape_a", "shape_b"), SHAPES)
def test_gradcheck(shape_a, shape_b, device):
    a = mt.tensor(_array(shape_a, 3, "float64"), device=device, requires_grad=True)
    b = mt.tensor(_array(shape_b, 4, "float64"), device=device, requires_grad=True)
    assert gradcheck(lambda x, y: x @ y, (a, b))


def test_second_derivative_through_matmul(device):
    def fn(L, a, b):
        (g,) = L.autograd.grad((a @ b).tanh().sum(), a, create_graph=True)
        return (g * g).sum()

    compare(fn, _array((2, 3), 1, "float64"), _array((3, 4), 2, "float64"), device=device)


F32, F64, I64 = "float32", "float64", "int64"
ERROR_CASES = [
    # (shape a, shape b, dtype a, dtype b, function)
    ((2, 3), (2, 3), F32, F32, "matmul"),  # errors.md: matmul_shape
    ((2, 3), (3, 4), F32, F64, "matmul"),  # errors.md: mixed_dtype_matmul
    ((2, 3), (2, 3), F32, F64, "matmul"),  # shapes are checked before dtypes
    ((2, 3), (4,), F32, F32, "matmul"),
    ((2, 3), (3,), F32, F64, "matmul"),
    ((4,), (3, 2), F32, F32, "matmul"),
    ((3,), (3, 2), F32, F64, "matmul"),
    ((3,), (4,), F32, F32, "matmul"),
    ((3,), (3,), F32, F64, "matmul"),
    ((), (3,), F32, F32, "matmul"),
    ((5, 2, 3), (4, 2), F32, F32, "matmul"),
    ((5, 2, 3), (3, 4), F32, F64, "matmul"),
    ((5, 2, 3), (3, 4), I64, F32, "matmul"),
    ((5, 2, 3), (4,), F32, F32, "matmul"),
    ((5, 2, 3), (3,), F32, F64, "matmul"),
    ((3,), (5, 3, 4), F32, F64, "matmul"),
    ((4,), (5, 3, 4), F32, F32, "matmul"),
    ((2, 3), (5, 4, 2), F32, F32, "matmul"),
    ((2, 3), (5, 3, 4), F32, F64, "matmul"),
    ((5, 2, 3), (5, 3, 4), F32, F64, "matmul"),
    ((5, 2, 3), (5, 4, 3), F32, F32, "matmul"),
    ((5, 2, 3), (4, 3, 4), F32, F32, "matmul"),
    ((3,), (3, 4), F32, F32, "mm"),
    ((2, 3), (4,), F32, F32, "mm"),
    ((2, 3), (4, 5), F32, F64, "mm"),
    ((2, 3), (3, 4), I64, F32, "mm"),
    ((3,), (3,), F32, F32, "mv"),
    ((2, 3), (3, 2), F32, F32, "mv"),
    ((2, 3), (4,), F32, F64, "mv"),
    ((2, 3), (3,), I64, F32, "mv"),
    ((4,), (3,), F32, F64, "dot"),
    ((3,), (4,), F32, F32, "dot"),
    ((2, 3), (3,), F32, F32, "dot"),
]


@pytest.mark.parametrize(("shape_a", "shape_b", "dtype_a", "dtype_b", "function"), ERROR_CASES)
def test_errors_match_torch(shape_a, shape_b, dtype_a, dtype_b, function):
    a, b = np.ones(shape_a, dtype=dtype_a), np.ones(shape_b, dtype=dtype_b)
    compare(lambda L, x, y: getattr(L, function)(x, y), a, b)


def test_bool_and_non_tensor_operands():
    compare(lambda L, x: x @ x.T, np.ones((2, 3), dtype=bool))
    compare(lambda L, x: x @ x, np.ones(3, dtype=bool))
    compare(lambda L, x: x @ [1, 2], np.ones((2, 3)))
    compare(lambda L, x: L.matmul(x, [1, 2]), np.ones((2, 3)))
    compare(lambda L, x: L.matmul([1, 2], x), np.ones((2, 3)))
    compare(lambda L, x: L.mm(x, [1]), np.ones((2, 3)))
