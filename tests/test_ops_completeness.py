"""The operations kept for PyTorch completeness (minitensor/ops/more/) against PyTorch.

Checks, cumsum, sort/topk, rounding, log1p, creation helpers, and the like.

Every case runs on the CPU and on the GPU stand-in (the ``device`` fixture);
``compare`` checks values, dtypes, grad_fn names, gradients and errors.
"""

import warnings

import numpy as np
import pytest
import torch

import minitensor as mt
from minitensor.autograd.gradcheck import gradcheck
from tests.oracle import compare, device_fixture  # noqa: F401 (a fixture)

RNG = np.random.default_rng(1)
A = RNG.standard_normal((3, 4)).astype(np.float32)
ROW = RNG.standard_normal((4,)).astype(np.float32)
B3 = RNG.standard_normal((2, 3, 4)).astype(np.float32)
SPECIAL = np.array([1.5, np.nan, np.inf, -np.inf, -0.0, 0.0, -2.5, 0.5], dtype=np.float32)
TIES = np.array(
    [[1.0, 3.0, 3.0, -0.0, 0.0, 1.0], [2.0, np.nan, 2.0, np.nan, -1.0, 2.0]], np.float32
)
INTS = RNG.integers(-5, 5, (3, 4))
INT32 = INTS.astype(np.int32)
UINT8 = RNG.integers(0, 9, (3, 4)).astype(np.uint8)
MASK = RNG.random((3, 4)) > 0.5
HALF = A.astype(np.float16)
F64 = A.astype(np.float64)
SCALAR = np.array(2.5, dtype=np.float32)

ALL_INPUTS = {
    "A": A,
    "SPECIAL": SPECIAL,
    "INTS": INTS,
    "INT32": INT32,
    "UINT8": UINT8,
    "MASK": MASK,
    "HALF": HALF,
    "SCALAR": SCALAR,
}


def _check_all(fn, names, device, **kwargs):
    failures = []
    for name in names:
        if name == "HALF" and device == "cuda":
            continue  # the array_api_strict stand-in has no float16
        try:
            compare(fn, ALL_INPUTS[name], device=device, **kwargs)
        except AssertionError as error:
            failures.append(f"{name}: {error}")
    assert not failures, "\n".join(failures)


def _f64(values, requires_grad=True):
    return mt.tensor(values, dtype=mt.float64, requires_grad=requires_grad)


# --------------------------------------------------------------------------
# 1. Checks
# --------------------------------------------------------------------------

CHECKS = {
    "isnan": lambda L, a: L.isnan(a),
    "isinf": lambda L, a: L.isinf(a),
    "isfinite": lambda L, a: L.isfinite(a),
    "isnan_method": lambda L, a: a.isnan(),
    "isinf_method": lambda L, a: a.isinf(),
    "isfinite_method": lambda L, a: a.isfinite(),
}


@pytest.mark.parametrize("op", CHECKS)
def test_checks_match_torch(op, device):
    _check_all(CHECKS[op], ALL_INPUTS, device)


CLOSE_A = np.array([1.0, np.nan, np.inf, -np.inf, 1e-9, 100.0, 0.0, np.inf], np.float32)
CLOSE_B = np.array([1.000001, np.nan, np.inf, np.inf, 0.0, 100.01, -0.0, np.nan], np.float32)


@pytest.mark.parametrize(
    "fn",
    [
        lambda L, a, b: L.isclose(a, b),
        lambda L, a, b: L.isclose(a, b, equal_nan=True),
        lambda L, a, b: L.isclose(a, b, rtol=1e-3, atol=0.0),
        lambda L, a, b: L.isclose(a, b, rtol=0.0, atol=0.0),
        lambda L, a, b: a.isclose(b, atol=1e-8, rtol=0.0),
        lambda L, a, b: L.isclose(a, b, rtol=-1.0),
        lambda L, a, b: L.isclose(a, b, atol=-1.0),
    ],
)
def test_isclose_matches_torch(fn, device):
    compare(fn, CLOSE_A, CLOSE_B, device=device)


@pytest.mark.parametrize(
    "a, b, kwargs",
    [
        (A, ROW, {}),  # broadcasting
        (A, A[:1] + 1e-6, {"rtol": 1e-3}),
        (INTS, INTS[::-1].copy(), {"atol": 2}),  # integers use the tolerances too
        (UINT8, UINT8[::-1].copy(), {"atol": 1}),  # no unsigned wrap-around
        (MASK, MASK[::-1].copy(), {"atol": 1}),
        (INTS, A, {}),  # Long did not match Float
        (A, RNG.standard_normal((2,)).astype(np.float32), {}),  # shapes that do not broadcast
        (HALF, HALF + np.float16(0.001), {}),
    ],
)
def test_isclose_and_allclose_cases(a, b, kwargs, device):
    if a.dtype == np.float16 and device == "cuda":
        return  # the array_api_strict stand-in has no float16
    compare(lambda L, x, y: L.isclose(x, y, **kwargs), a, b, device=device)
    assert compare(lambda L, x, y: L.allclose(x, y, **kwargs), a, b, device=device) in (
        True,
        False,
        None,
    )


def test_allclose_and_equal_are_python_bools(device):
    x = mt.tensor([1.0, 2.0], device=device)
    assert mt.allclose(x, x + 1e-9) is True
    assert x.allclose(x + 1) is False
    assert mt.equal(x, x.clone()) is True
    assert x.equal(x + 1) is False


@pytest.mark.parametrize(
    "a, b",
    [
        (A, A.copy()),
        (A, A[:2].copy()),  # other shape: False, no error
        (A, ROW),  # broadcastable but another shape: False
        (INTS, INTS.astype(np.float32)),  # values compared after promotion
        (SPECIAL, SPECIAL.copy()),  # nan != nan
        (MASK, MASK.copy()),
        (SPECIAL[:2], SPECIAL[:2].copy()),
    ],
)
def test_equal_matches_torch(a, b, device):
    compare(lambda L, x, y: L.equal(x, y), a, b, device=device)
    compare(lambda L, x, y: x.equal(y), a, b, device=device)


@pytest.mark.parametrize("name", ["isclose", "allclose", "equal"])
def test_checks_refuse_numbers(name, device):
    compare(lambda L, x: getattr(L, name)(x, 1), A, device=device)


# --------------------------------------------------------------------------
# 2. cumsum, sort, argsort, topk
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn",
    [
        lambda L, a: L.cumsum(a, 0),
        lambda L, a: L.cumsum(a, dim=-1),
        lambda L, a: a.cumsum(0),
        lambda L, a: L.cumsum(a, 0, dtype=L.float64),
        lambda L, a: L.cumsum(a, 0, dtype=L.int32),
        lambda L, a: L.cumsum(a, 5),
        lambda L, a: L.cumsum(a),
    ],
)
def test_cumsum_matches_torch(fn, device):
    _check_all(fn, ALL_INPUTS, device, atol=1e-3, rtol=1e-3)


def test_cumsum_3d_and_gradcheck(device):
    compare(lambda L, a: L.cumsum(a, 1), B3, device=device)
    x = _f64(RNG.standard_normal((3, 4)))
    assert gradcheck(lambda t: mt.cumsum(t, 1), (x,))
    assert gradcheck(lambda t: mt.cumsum(t, 0), (x,))


SORTS = {
    "sort": lambda L, a: L.sort(a).values,
    "sort_indices": lambda L, a: L.sort(a).indices,
    "sort_desc": lambda L, a: L.sort(a, descending=True).values,
    "sort_desc_indices": lambda L, a: L.sort(a, dim=-1, descending=True)[1],
    "sort_dim0": lambda L, a: a.sort(0).values,
    "sort_dim0_indices": lambda L, a: a.sort(dim=0).indices,
    "sort_stable": lambda L, a: L.sort(a, stable=True).values,
    "sort_stable_desc_indices": lambda L, a: L.sort(a, descending=True, stable=True).indices,
    "sort_bad_dim": lambda L, a: L.sort(a, 3).values,
    "argsort": lambda L, a: L.argsort(a),
    "argsort_desc": lambda L, a: a.argsort(descending=True),
    "argsort_dim0": lambda L, a: L.argsort(a, dim=0, stable=True),
}


@pytest.mark.parametrize("op", SORTS)
def test_sort_matches_torch(op, device):
    # TIES: equal values, -0.0 and 0.0, nans; PyTorch's CPU sort keeps them in order.
    names = ["A", "SPECIAL", "INTS", "INT32", "UINT8", "MASK", "HALF", "SCALAR"]
    ALL_INPUTS["TIES"] = TIES
    try:
        _check_all(SORTS[op], [*names, "TIES"], device)
    finally:
        del ALL_INPUTS["TIES"]


def test_sort_result_type_and_repr(device):
    x = mt.tensor([3.0, 1.0, 2.0], device=device)
    result = x.sort()
    values, indices = result
    assert type(result) is mt.return_types.sort
    assert repr(type(result)) == "<class 'minitensor.return_types.sort'>"
    assert indices.tolist() == torch.sort(torch.tensor([3.0, 1.0, 2.0])).indices.tolist()
    assert values.tolist() == [1.0, 2.0, 3.0]
    assert repr(result).startswith("minitensor.return_types.sort(\nvalues=tensor([1., 2., 3.]")
    assert type(x.topk(1)) is mt.return_types.topk


TOPKS = {
    "topk": lambda L, a: L.topk(a, 2).values,
    "topk_indices": lambda L, a: L.topk(a, 2).indices,
    "topk_smallest": lambda L, a: L.topk(a, 3, largest=False).values,
    "topk_smallest_indices": lambda L, a: a.topk(3, largest=False)[1],
    "topk_dim0": lambda L, a: a.topk(1, dim=0).values,
    "topk_zero": lambda L, a: L.topk(a, 0).values,
    "topk_all": lambda L, a: L.topk(a, a.shape[-1] if a.dim() else 1).values,
    "topk_too_many": lambda L, a: L.topk(a, 9),
    "topk_negative": lambda L, a: L.topk(a, -1),
    "topk_float_k": lambda L, a: L.topk(a, 2.0),
}


@pytest.mark.parametrize("op", TOPKS)
def test_topk_matches_torch(op, device):
    # Tie-free inputs: with ties PyTorch's choice among equal elements is not
    # stable (see test_topk_with_ties). MASK: bools are refused.
    distinct = RNG.permutation(24).reshape(2, 3, 4).astype(np.float32) - 12
    ALL_INPUTS["DISTINCT"] = distinct
    try:
        names = ["A", "INTS", "UINT8", "MASK", "SCALAR", "DISTINCT"]
        if op.endswith("indices"):  # INTS and UINT8 have ties
            names = ["A", "MASK", "SCALAR", "DISTINCT"]
        _check_all(TOPKS[op], names, device)
    finally:
        del ALL_INPUTS["DISTINCT"]


def test_topk_with_ties(device):
    """Values equal PyTorch's; the indices point at those values; gradients follow them."""
    values = np.array([[1.0, 3.0, 3.0, 3.0, 1.0], [np.nan, 2.0, np.nan, 0.0, 2.0]], np.float32)
    for largest in (True, False):
        compare(
            lambda L, a, largest=largest: L.topk(a, 2, largest=largest).values,
            values,
            device=device,
            grad=False,
        )
        x = mt.tensor(values, device=device, requires_grad=True)
        top = x.topk(2, largest=largest)
        picked = x.detach()[[[0], [1]], top.indices]
        assert mt.equal(picked.isnan(), top.values.isnan())
        assert mt.allclose(picked, top.values.detach(), equal_nan=True)
        top.values.sum().backward()
        expected = np.zeros(values.shape, np.float32)
        for row, cols in enumerate(top.indices.tolist()):
            expected[row, cols] = 1.0
        np.testing.assert_array_equal(x.grad.cpu().numpy(), expected)


def test_topk_sorted_false_gives_the_same_elements(device):
    a = RNG.standard_normal((3, 6)).astype(np.float32)
    ours = mt.tensor(a, device=device).topk(3, sorted=False).values.cpu().numpy()
    theirs = torch.tensor(a).topk(3, sorted=False).values.numpy()
    np.testing.assert_allclose(np.sort(ours, axis=1), np.sort(theirs, axis=1))


def test_sort_and_topk_gradcheck():
    x = _f64(RNG.standard_normal((3, 5)))
    assert gradcheck(lambda t: mt.sort(t, 1).values, (x,))
    assert gradcheck(lambda t: mt.sort(t, 0, descending=True).values, (x,))
    assert gradcheck(lambda t: mt.topk(t, 2).values, (x,))
    assert gradcheck(lambda t: mt.topk(t, 2, dim=0, largest=False).values, (x,))


def test_sort_second_derivative():
    x = _f64([3.0, 1.0, 2.0])
    weights = _f64([1.0, 2.0, 3.0], requires_grad=False)
    (grad,) = mt.autograd.grad((x.sort().values ** 2 * weights).sum(), x, create_graph=True)
    xt = torch.tensor([3.0, 1.0, 2.0], dtype=torch.float64, requires_grad=True)
    wt = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    (gt,) = torch.autograd.grad((xt.sort().values ** 2 * wt).sum(), xt, create_graph=True)
    np.testing.assert_allclose(grad.detach().numpy(), gt.detach().numpy())
    grad.sum().backward()
    gt.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy())


# --------------------------------------------------------------------------
# 3. Rounding and log1p, expm1, rsqrt, square
# --------------------------------------------------------------------------

ROUND_INPUTS = np.array(
    [0.5, 1.5, 2.5, -0.5, -1.5, 1.25, 1.35, -2.7, 2.7, np.nan, -0.0], np.float32
)

UNARY = {
    "floor": lambda L, a: L.floor(a),
    "ceil": lambda L, a: a.ceil(),
    "trunc": lambda L, a: L.trunc(a),
    "round": lambda L, a: L.round(a),
    "round_method": lambda L, a: a.round(),
    "round_1": lambda L, a: L.round(a, decimals=1),
    "round_0": lambda L, a: L.round(a, decimals=0),
    "round_-1": lambda L, a: a.round(decimals=-1),
    "log1p": lambda L, a: L.log1p(a),
    "expm1": lambda L, a: a.expm1(),
    "rsqrt": lambda L, a: L.rsqrt(a),
    "square": lambda L, a: L.square(a),
    "square_method": lambda L, a: a.square(),
    "log1p_method": lambda L, a: a.log1p(),
    "rsqrt_method": lambda L, a: a.rsqrt(),
}


@pytest.mark.parametrize("op", UNARY)
def test_unary_matches_torch(op, device):
    ALL_INPUTS["ROUND"] = ROUND_INPUTS
    ALL_INPUTS["BIG"] = (A * 40).astype(np.float32)
    try:
        _check_all(UNARY[op], [*list(ALL_INPUTS)], device, atol=1e-4, rtol=1e-3)
    finally:
        del ALL_INPUTS["ROUND"], ALL_INPUTS["BIG"]


def test_log1p_expm1_are_accurate_for_tiny_inputs(device):
    tiny = mt.tensor([1e-10, -1e-12], device=device)
    np.testing.assert_allclose(mt.log1p(tiny).cpu().numpy(), [1e-10, -1e-12], rtol=1e-6)
    np.testing.assert_allclose(mt.expm1(tiny).cpu().numpy(), [1e-10, -1e-12], rtol=1e-6)


def test_unary_gradcheck():
    pos = _f64(RNG.random((3, 4)) + 0.5)
    assert gradcheck(mt.log1p, (pos,))
    assert gradcheck(mt.expm1, (pos,))
    assert gradcheck(mt.rsqrt, (pos,))
    assert gradcheck(mt.square, (pos,))
    away_from_steps = _f64(np.floor(RNG.standard_normal((3, 4)) * 5) + 0.3)
    for fn in (mt.floor, mt.ceil, mt.trunc, mt.round, lambda t: mt.round(t, decimals=-1)):
        assert gradcheck(fn, (away_from_steps,))


def test_unary_second_derivatives():
    for name in ("log1p", "expm1", "rsqrt"):
        x = _f64([0.5, 2.0])
        (g,) = mt.autograd.grad(getattr(mt, name)(x).sum(), x, create_graph=True)
        g.sum().backward()
        xt = torch.tensor([0.5, 2.0], dtype=torch.float64, requires_grad=True)
        (gt,) = torch.autograd.grad(getattr(torch, name)(xt).sum(), xt, create_graph=True)
        gt.sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), err_msg=name)


# --------------------------------------------------------------------------
# 4. Creation helpers, type_as, flip, tril/triu, outer, meshgrid
# --------------------------------------------------------------------------

NEW = {
    "zeros": lambda L, a: a.new_zeros(2, 3),
    "zeros_tuple": lambda L, a: a.new_zeros((2, 3)),
    "zeros_list": lambda L, a: a.new_zeros([2]),
    "zeros_dtype": lambda L, a: a.new_zeros(2, dtype=L.int64),
    "zeros_grad": lambda L, a: a.new_zeros(2, requires_grad=True),
    "zeros_float": lambda L, a: a.new_zeros(2.5),
    "ones": lambda L, a: a.new_ones(3),
    "ones_negative": lambda L, a: a.new_ones(-1),
    "full": lambda L, a: a.new_full((2,), 7),
    "full_float": lambda L, a: a.new_full((2, 2), 7.5),
    "full_int_size": lambda L, a: a.new_full(2, 7),
    "tensor": lambda L, a: a.new_tensor([1, 2]),
    "tensor_float": lambda L, a: a.new_tensor([1.5, -2.5]),
    "tensor_dtype": lambda L, a: a.new_tensor([1, 2], dtype=L.int32),
    "tensor_scalar": lambda L, a: a.new_tensor(3),
    "type_as_number": lambda L, a: a.type_as(3),
}


@pytest.mark.parametrize("op", NEW)
def test_new_and_type_as_match_torch(op, device):
    _check_all(NEW[op], ["A", "INTS", "MASK", "HALF"], device)


@pytest.mark.parametrize("other", [INTS, F64, MASK, A])
def test_type_as_matches_torch(other, device):
    for name in ("A", "INTS", "MASK"):
        compare(lambda L, a, b: a.type_as(b), ALL_INPUTS[name], other, device=device)


def test_new_tensors_keep_the_device(device):
    x = mt.tensor([1.0], device=device)
    for made in (x.new_zeros(2), x.new_ones(2), x.new_full((2,), 1.0), x.new_tensor([1.0])):
        assert made.device.type == device
    assert mt.tensor([1], device=device).type_as(x).device.type == device


def test_new_tensor_from_a_tensor_warns_and_copies(device):
    x = mt.tensor([1.0, 2.0], device=device, requires_grad=True)
    with pytest.warns(UserWarning, match="To copy construct from a tensor"):
        y = x.new_tensor(x)
    assert not y.requires_grad and y.grad_fn is None
    y.add_(1)
    assert x.tolist() == [1.0, 2.0]


def test_type_as_returns_self_when_nothing_changes(device):
    x = mt.tensor([1.0], device=device)
    assert x.type_as(x) is x


SHAPES = {
    "flip0": lambda L, a: L.flip(a, [0]),
    "flip_all": lambda L, a: L.flip(a, (0, -1)),
    "flip_method": lambda L, a: a.flip(0),
    "flip_method_list": lambda L, a: a.flip([-1]),
    "flip_none": lambda L, a: L.flip(a, []),
    "flip_int": lambda L, a: L.flip(a, 0),
    "flip_twice": lambda L, a: a.flip([0, 0]),
    "flip_bad": lambda L, a: a.flip([5]),
    "tril": lambda L, a: L.tril(a),
    "tril_1": lambda L, a: L.tril(a, 1),
    "tril_-1": lambda L, a: a.tril(diagonal=-1),
    "triu": lambda L, a: L.triu(a),
    "triu_2": lambda L, a: a.triu(2),
    "triu_-2": lambda L, a: L.triu(a, diagonal=-2),
}


@pytest.mark.parametrize("op", SHAPES)
def test_flip_tril_triu_match_torch(op, device):
    ALL_INPUTS["B3"] = B3
    try:
        names = ["A", "INTS", "MASK", "HALF", "B3", "SPECIAL"]
        if op.startswith("flip"):
            names.append("SCALAR")
        _check_all(SHAPES[op], names, device)
    finally:
        del ALL_INPUTS["B3"]


def test_flip_tril_triu_gradcheck():
    x = _f64(RNG.standard_normal((3, 4)))
    assert gradcheck(lambda t: mt.flip(t, [0, 1]), (x,))
    assert gradcheck(lambda t: mt.tril(t, 1), (x,))
    assert gradcheck(lambda t: mt.triu(t, -1), (x,))


@pytest.mark.parametrize(
    "a, b",
    [
        (ROW, A[:, 0].copy()),
        (ROW, INTS[0].copy()),  # promotion
        (INTS[0].copy(), MASK[0].copy()),
        (F64[0].copy(), ROW),
        (A, ROW),  # not 1-D
        (ROW, A),
        (SCALAR, ROW),
    ],
)
def test_outer_matches_torch(a, b, device):
    compare(lambda L, x, y: L.outer(x, y), a, b, device=device)
    compare(lambda L, x, y: x.outer(y), a, b, device=device)


def test_outer_refuses_numbers_and_gradcheck(device):
    compare(lambda L, x: L.outer(x, 2), ROW, device=device)
    compare(lambda L, x: L.outer(2, x), ROW, device=device)
    x, y = _f64(RNG.standard_normal(3)), _f64(RNG.standard_normal(4))
    assert gradcheck(mt.outer, (x, y))


X1 = RNG.standard_normal(3).astype(np.float32)
Y1 = RNG.standard_normal(4).astype(np.float32)
Z1 = RNG.standard_normal(2).astype(np.float32)


@pytest.mark.parametrize("indexing", ["ij", "xy"])
@pytest.mark.parametrize("output", [0, 1, 2])
def test_meshgrid_matches_torch(indexing, output, device):
    compare(lambda L, *t: L.meshgrid(*t, indexing=indexing)[output], X1, Y1, Z1, device=device)
    if output < 2:
        compare(
            lambda L, x, y: L.meshgrid([x, y], indexing=indexing)[output], X1, Y1, device=device
        )
        compare(
            lambda L, x, y: L.meshgrid(x, y, indexing=indexing)[output], SCALAR, Y1, device=device
        )
        compare(
            lambda L, x, y: L.meshgrid(x, y, indexing=indexing)[output],
            INTS[0],
            INTS[1],
            device=device,
        )
    compare(lambda L, x: L.meshgrid(x, indexing=indexing)[0], X1, device=device)


@pytest.mark.parametrize(
    "fn, args",
    [
        (lambda L, x, y: L.meshgrid(x, y, indexing="ij"), (X1, INTS[0])),  # dtypes differ
        (lambda L, x, y: L.meshgrid(x, y, indexing="foo"), (X1, Y1)),
        (lambda L, x: L.meshgrid(x, 3, indexing="ij"), (X1,)),
        (lambda L: L.meshgrid(indexing="ij"), ()),
    ],
)
def test_meshgrid_errors_match_torch(fn, args, device):
    compare(fn, *args, device=device)


def test_meshgrid_refuses_matrices(device):
    with pytest.raises(RuntimeError, match="Expected 0D or 1D tensor in the tensor list"):
        mt.meshgrid(mt.ones(2, 2, device=device), mt.ones(2, device=device), indexing="ij")
    with pytest.raises(RuntimeError, match="Expected 0D or 1D tensor in the tensor list"):
        torch.meshgrid(torch.ones(2, 2), torch.ones(2), indexing="ij")


def test_meshgrid_without_indexing_warns_as_torch(device):
    warns_once = not torch.is_warn_always_enabled()
    torch.set_warn_always(True)  # PyTorch warns once per process; here every time
    try:
        with pytest.warns(UserWarning) as theirs:
            torch.meshgrid(torch.tensor(X1), torch.tensor(Y1))
    finally:
        torch.set_warn_always(not warns_once)
    with pytest.warns(UserWarning) as ours:
        grids = mt.meshgrid(mt.tensor(X1, device=device), mt.tensor(Y1, device=device))
    their_message = str(theirs[0].message).split(" (Triggered internally")[0]
    assert str(ours[0].message) == their_message.replace("torch.", "minitensor.")
    assert ours[0].filename == __file__  # points at the caller
    assert grids[0].shape == (3, 4)  # "ij", as PyTorch without indexing
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mt.meshgrid(mt.tensor(X1, device=device), indexing="ij")  # no warning


def test_meshgrid_gradcheck():
    x, y = _f64(RNG.standard_normal(3)), _f64(RNG.standard_normal(2))
    assert gradcheck(lambda a, b: mt.meshgrid(a, b, indexing="xy"), (x, y))
    assert gradcheck(lambda a, b: mt.meshgrid(a, b, indexing="ij"), (x, y))
