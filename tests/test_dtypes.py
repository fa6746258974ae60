"""dtypes, aliases and type promotion, against torch.result_type / promote_types."""

import itertools

import numpy as np
import pytest
import torch

import minitensor as mt
from tests.oracle import compare, dtype_name

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
KINDS = ["dims", "0-d"]


def _operand(lib, kind, name):
    """A tensor with dimensions, a 0-d tensor, or a Python number."""
    if kind == "python":
        return {"bool": True, "int": 2, "float": 2.5}[name]
    dt = getattr(lib, name)
    return lib.ones((2,) if kind == "dims" else (), dtype=dt)


OPERANDS = [(k, n) for k in KINDS for n in NAMES] + [
    ("python", n) for n in ("bool", "int", "float")
]
PAIRS = [
    (a, b)
    for a, b in itertools.product(OPERANDS, repeat=2)
    if "python" not in (a[0], b[0]) or a[0] != b[0]
]


def test_result_type_table_matches_torch():
    """Every (tensor with dims / 0-d tensor / Python number) x dtype pair."""
    mismatches = []
    for a, b in PAIRS:
        theirs = torch.result_type(_operand(torch, *a), _operand(torch, *b))
        ours = mt.result_type(_operand(mt, *a), _operand(mt, *b))
        if dtype_name(ours) != dtype_name(theirs):
            mismatches.append((a, b, ours, theirs))
    assert not mismatches
    assert len(PAIRS) > 300


def test_promote_types_table_matches_torch():
    for a, b in itertools.product(NAMES, repeat=2):
        ours = mt.promote_types(getattr(mt, a), getattr(mt, b))
        assert dtype_name(ours) == dtype_name(
            torch.promote_types(getattr(torch, a), getattr(torch, b))
        )


OPERATORS = {
    "add": lambda L, a, b: a + b,
    "mul": lambda L, a, b: a * b,
    "div": lambda L, a, b: a / b,
    "sub": lambda L, a, b: a - b,
    "eq": lambda L, a, b: a == b,
    "maximum": lambda L, a, b: L.maximum(a, b),
}


@pytest.mark.parametrize("op", OPERATORS)
def test_promotion_in_real_operations(op):
    """The result dtype of real operations over the same table (values too)."""
    failures = []
    for a, b in PAIRS:
        if op in ("sub",) and "bool" in (a[1], b[1]):
            continue  # bool subtraction is an error (tested with the elementwise ops)
        if op == "maximum" and "python" in (a[0], b[0]):
            continue  # maximum takes tensors only

        def fn(L, a=a, b=b):
            return OPERATORS[op](L, _operand(L, *a), _operand(L, *b))

        try:
            compare(fn, grad=False)
        except AssertionError as error:
            failures.append(f"{a} {op} {b}: {error}")
    assert not failures, "\n".join(failures)


def test_contract_examples():
    assert mt.tensor([1, 2]).dtype == mt.int64
    assert mt.tensor([1.0]).dtype == mt.float32 and mt.Tensor([1]).dtype == mt.float32
    assert (mt.tensor([1, 2]) * mt.tensor([1.5])).dtype == mt.float32
    assert (mt.tensor([1, 2]) * 2.5).dtype == mt.float32
    assert (
        mt.tensor([1.0], dtype=mt.float32) + mt.tensor([1.0], dtype=mt.float64)
    ).dtype == mt.float64
    assert (mt.tensor([1], dtype=mt.int32) * 2).dtype == mt.int32
    assert (mt.tensor([1.0], dtype=mt.float16) * 2.5).dtype == mt.float16
    assert (mt.tensor([1], dtype=mt.int32) + mt.tensor(5)).dtype == mt.int32
    assert (mt.tensor([1.0]) + mt.tensor(5.0, dtype=mt.float64)).dtype == mt.float32


def test_dtype_objects_and_aliases():
    assert repr(mt.float32) == "minitensor.float32"
    assert (mt.float, mt.double, mt.half, mt.long, mt.int, mt.short) == (
        mt.float32,
        mt.float64,
        mt.float16,
        mt.int64,
        mt.int32,
        mt.int16,
    )
    assert mt.bool.name == "bool" and repr(mt.bool) == "minitensor.bool"
    assert mt.get_default_dtype() == mt.float32
    for name in NAMES:
        ours, theirs = getattr(mt, name), getattr(torch, name)
        assert ours.is_floating_point == theirs.is_floating_point
        assert ours.itemsize == theirs.itemsize
        assert mt.ones(1, dtype=ours).element_size() == torch.ones(1, dtype=theirs).element_size()
        assert mt.ones(1, dtype=ours).type() == torch.ones(1, dtype=theirs).type().replace(
            "torch", "minitensor"
        )
    import pickle

    assert pickle.loads(pickle.dumps(mt.float64)) is mt.float64


@pytest.mark.parametrize("method", ["float", "double", "half", "long", "int", "bool"])
def test_conversion_methods(method):
    compare(
        lambda L, x: getattr(x, method)(),
        np.array([1.5, -2.0, 0.0]),
        grad=method in ("float", "double", "half"),
    )


@pytest.mark.parametrize(
    "fn",
    [
        lambda L, x: x.to(L.float64),
        lambda L, x: x.to(float),
        lambda L, x: x.to(dtype=L.int32),
        lambda L, x: x.to("cpu", L.float64),
        lambda L, x: x.to(L.tensor([1], dtype=L.int64)),
        lambda L, x: x.type(L.float64),
        lambda L, x: x.to("float32"),
    ],
)
def test_to(fn):
    compare(fn, np.array([1.5, -2.0], dtype=np.float32))


def test_to_returns_self_when_nothing_changes():
    t = mt.tensor([1.0])
    assert t.to(mt.float32) is t and t.to("cpu") is t and t.cpu() is t and t.float() is t
    assert t.to(mt.float32, copy=True) is not t
