"""Reductions (minitensor/ops/reduce.py) against PyTorch, the oracle, and finite differences.

Every case runs the same code on a minitensor tensor and on a torch tensor
holding the same numbers: the results must agree in value, dtype, shape and
grad_fn name, the gradients (for a random upstream gradient) must agree,
and where PyTorch raises, minitensor must raise the same error.
"""

import math
import warnings

import numpy as np
import pytest
import torch

import minitensor as mt
from minitensor import backend
from minitensor.autograd import gradcheck
from tests.oracle import compare, gpu, gpu_tolerance

INF = math.inf
SHAPES = [(), (4,), (3, 4), (2, 3, 4)]
FLOATS = ("float32", "float64")


def dims_for(shape, kind):
    """The dims to try: None, ints (also negative), and tuples when ``kind`` allows them."""
    dims = [None, 0, -1]
    if len(shape) >= 2:
        dims.append(1)
        if kind == "tuple":
            dims += [(0, -1), ()]
    if len(shape) == 3 and kind == "tuple":
        dims.append((2, 0, 1))
    return dims


# name -> (call(lib, x, dim, keepdim), "int" or "tuple" dims, dtypes it is defined for)
# The same call runs on both libraries; `lib` is minitensor or torch.
OPS = {
    "sum": (lambda lib, x, d, k: x.sum() if d is None else x.sum(d, k), "tuple"),
    "mean": (lambda lib, x, d, k: x.mean() if d is None else x.mean(d, k), "tuple"),
    "prod": (lambda lib, x, d, k: x.prod() if d is None else x.prod(d, k), "int"),
    "max": (lambda lib, x, d, k: x.max() if d is None else x.max(d, k), "int"),
    "min": (lambda lib, x, d, k: lib.min(x) if d is None else lib.min(x, d, k), "int"),
    "argmax": (lambda lib, x, d, k: x.argmax(d, k), "int"),
    "argmin": (lambda lib, x, d, k: lib.argmin(x, d, k), "int"),
    "var": (lambda lib, x, d, k: x.var(d, keepdim=k), "tuple"),
    "var_biased": (lambda lib, x, d, k: x.var(d, False, k), "tuple"),
    "std": (lambda lib, x, d, k: x.std(d, keepdim=k), "tuple"),
    "std_correction": (lambda lib, x, d, k: lib.std(x, d, keepdim=k, correction=0.5), "tuple"),
    "norm": (lambda lib, x, d, k: x.norm() if d is None else x.norm(2, d, k), "tuple"),
    "norm_1": (lambda lib, x, d, k: x.norm(1, d, k), "tuple"),
    "norm_inf": (lambda lib, x, d, k: x.norm(INF, d, k), "tuple"),
    "norm_3": (lambda lib, x, d, k: lib.norm(x, 3, d, k), "tuple"),
    "norm_half": (lambda lib, x, d, k: x.norm(0.5, d, k), "tuple"),
    "all": (lambda lib, x, d, k: x.all() if d is None else x.all(d, k), "tuple"),
    "any": (lambda lib, x, d, k: lib.any(x, d, k) if d is not None else lib.any(x), "tuple"),
    "softmax": (lambda lib, x, d, k: x.softmax(d), "int"),
    "log_softmax": (lambda lib, x, d, k: x.log_softmax(d), "int"),
    "logsumexp": (lambda lib, x, d, k: lib.logsumexp(x, d, k), "tuple"),
}
DIFFERENTIABLE = [n for n in OPS if n not in ("argmax", "argmin", "all", "any")]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def host(t):
    """A minitensor tensor's numbers as a NumPy array (from either device)."""
    return np.asarray(backend.to_host(t._array, t.device))


def values_for(shape, rng, low=0.5, high=1.5):
    """Distinct values (no ties for max/min), signs mixed, magnitudes that keep prod small."""
    n = math.prod(shape)
    magnitudes = np.linspace(low, high, n) if n > 1 else np.array([0.8])
    signs = np.where(rng.random(n) < 0.3, -1.0, 1.0)
    return rng.permutation(magnitudes * signs).reshape(shape)


def pair(values, dtype, requires_grad=False, device="cpu"):
    """The same numbers as a minitensor tensor and as a torch tensor."""
    values = np.asarray(values)
    ours = mt.tensor(values, dtype=getattr(mt, dtype), device=device)
    theirs = torch.tensor(values, dtype=getattr(torch, dtype))
    if requires_grad:
        ours.requires_grad_()
        theirs.requires_grad_()
    return ours, theirs


def assert_same_tensor(ours, theirs, rtol=1e-5, atol=1e-6):
    """Same shape, dtype, values (nan where nan) and grad_fn name."""
    assert isinstance(ours, mt.Tensor), type(ours)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.dtype.name == str(theirs.dtype).removeprefix("torch.")
    expected = theirs.detach().numpy()
    if theirs.dtype.is_floating_point:
        np.testing.assert_allclose(host(ours), expected, rtol=rtol, atol=atol, equal_nan=True)
    else:
        np.testing.assert_array_equal(host(ours), expected)
    their_name = None if theirs.grad_fn is None else theirs.grad_fn.name()
    our_name = None if ours.grad_fn is None else ours.grad_fn.name()
    assert our_name == their_name


def assert_same_result(ours, theirs, **tolerances):
    """A tensor, or a (values, indices) pair from max/min along a dim."""
    if isinstance(theirs, torch.Tensor):
        assert_same_tensor(ours, theirs, **tolerances)
        return ours, theirs
    assert repr(type(theirs)).startswith("<class 'torch.return_types.")
    assert type(ours).__name__.lower().startswith(type(theirs).__name__)
    assert_same_tensor(ours.values, theirs.values, **tolerances)
    assert_same_tensor(ours.indices, theirs.indices)
    return ours.values, theirs.values


def run_both(call, ours_x, theirs_x):
    """call(lib, x) in both libraries: ('ok', ours, theirs) or ('error', ours_exc, theirs_exc)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degrees-of-freedom warnings: tested separately
        try:
            theirs = call(torch, theirs_x)
        except Exception as their_error:
            with pytest.raises(type(their_error)) as our_error:
                call(mt, ours_x)
            return "error", our_error.value, their_error
        return "ok", call(mt, ours_x), theirs


def assert_same_error(ours, theirs):
    assert type(ours) is type(theirs)
    assert str(ours) == str(theirs).replace("torch", "minitensor")


def compare_with_torch(call, values, dtype, rng, grad=True, **tolerances):
    """Values (or the error) and, for floats, gradients of call(lib, x) against PyTorch."""
    floating = dtype in FLOATS
    ours_x, theirs_x = pair(values, dtype, requires_grad=grad and floating)
    outcome, ours, theirs = run_both(call, ours_x, theirs_x)
    if outcome == "error":
        assert_same_error(ours, theirs)
        return
    ours_out, theirs_out = assert_same_result(ours, theirs, **tolerances)
    if not (grad and theirs_out.requires_grad):
        assert not ours_out.requires_grad
        return
    upstream = rng.standard_normal(tuple(theirs_out.shape))
    ours_out.backward(mt.tensor(upstream, dtype=ours_out.dtype))
    theirs_out.backward(torch.tensor(upstream, dtype=theirs_out.dtype))
    if theirs_x.grad is None:  # PyTorch sends no gradient at all (norm with p=0)
        assert ours_x.grad is None
    else:
        assert_same_tensor(ours_x.grad, theirs_x.grad, **tolerances)


def output(result):
    return result.values if isinstance(result, mt.ops.extremes.ValuesIndices) else result


# --------------------------------------------------------------------------
# Every reduction, shape, dim, keepdim and dtype against PyTorch
# --------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [*FLOATS, "int64", "bool"])
@pytest.mark.parametrize("name", list(OPS))
def test_reduction_values_and_gradients_match_torch(name, dtype):
    call, kind = OPS[name]
    rng = np.random.default_rng(hash((name, dtype)) % 2**32)
    tolerances = {"rtol": 2e-5, "atol": 1e-5} if dtype == "float32" else {}
    for shape in SHAPES:
        values = values_for(shape, rng)
        if dtype in ("int64", "int32"):
            values = np.round(values * 3)
        elif dtype == "bool":
            values = values > 0
        for dim in dims_for(shape, kind):
            # PyTorch's var/std backward takes dim=() as one element (the forward
            # reduces all of them): its gradient is inf there. Finite differences
            # check ours instead (test_var_std_with_empty_dim_tuple_reduce_everything).
            grad = not (dim == () and name.startswith(("var", "std")))
            for keepdim in (False, True):
                compare_with_torch(
                    lambda lib, x, d=dim, k=keepdim: call(lib, x, d, k),
                    values,
                    dtype,
                    rng,
                    grad=grad,
                    **tolerances,
                )


@pytest.mark.parametrize("name", DIFFERENTIABLE)
def test_reduction_gradients_match_finite_differences(name):
    call, kind = OPS[name]
    rng = np.random.default_rng(7)
    for shape in [(), (5,), (3, 4), (2, 3, 2)]:
        values = values_for(shape, rng)
        for dim in dims_for(shape, kind)[:4]:
            if dim is None and name in ("softmax", "log_softmax", "logsumexp"):
                continue  # these need a dim

            def f(x, d=dim):
                return output(call(mt, x, d, False))

            x = mt.tensor(values, dtype=mt.float64, requires_grad=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # var of one element: nan, with a warning
                if np.isnan(host(f(x))).any():
                    # var/std of one element: nan, and so is its gradient, which finite
                    # differences cannot measure (nan != nan): PyTorch is the oracle.
                    compare(lambda lib, t, d=dim: call(lib, t, d, False), values, rtol=0, atol=0)
                else:
                    assert gradcheck(f, (x,), atol=1e-7, rtol=1e-5), (shape, dim)


@pytest.mark.parametrize("name", ["var", "var_biased", "std", "std_correction", "norm"])
def test_var_std_with_empty_dim_tuple_reduce_everything(name):
    call, _ = OPS[name]
    values = values_for((3, 4), np.random.default_rng(11))
    x = mt.tensor(values, dtype=mt.float64, requires_grad=True)
    out = call(mt, x, (), True)
    assert_same_tensor(out.detach(), call(torch, torch.tensor(values), (), True))
    assert gradcheck(lambda t: call(mt, t, (), True), (x,), atol=1e-8, rtol=1e-6)


# --------------------------------------------------------------------------
# Second derivatives (create_graph=True)
# --------------------------------------------------------------------------

SECOND_ORDER = {
    "prod": lambda lib, x: x.prod(),
    "prod_dim": lambda lib, x: x.prod(1, keepdim=True),
    "mean": lambda lib, x: (x * x).mean(0),
    "var": lambda lib, x: x.var(1),
    "std": lambda lib, x: x.std(),
    "norm": lambda lib, x: x.norm(),
    "norm_dim": lambda lib, x: x.norm(2, 0),
    "norm_3": lambda lib, x: x.norm(3, 1),
    "norm_1.5": lambda lib, x: x.norm(1.5),
    "softmax": lambda lib, x: x.softmax(1),
    "log_softmax": lambda lib, x: lib.log_softmax(x, 0),
    "logsumexp": lambda lib, x: lib.logsumexp(x, (0, 1)),
    "max_times_x": lambda lib, x: x.max(1).values * x.min(),
}
VALUES_2D = np.array([[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]])
WITH_ZEROS = {  # prod's backward has its own path for zeros (one, or several in a slice)
    "one_zero": np.array([[0.0, -1.2, 2.0], [1.5, 0.3, -0.7]]),
    "zeros": np.array([[0.0, 0.0, 2.0], [0.0, 1.0, 3.0]]),
}
SECOND_ORDER_CASES = [(name, "no_zeros") for name in SECOND_ORDER] + [
    (name, zeros) for name in ("prod", "prod_dim") for zeros in WITH_ZEROS
]


@pytest.mark.parametrize("name,values_name", SECOND_ORDER_CASES)
def test_second_derivatives_match_torch(name, values_name):
    values = WITH_ZEROS.get(values_name, VALUES_2D)
    call = SECOND_ORDER[name]
    rng = np.random.default_rng(3)
    ours_x, theirs_x = pair(values, "float64", requires_grad=True)
    theirs_out = call(torch, theirs_x)
    upstream = rng.standard_normal(tuple(theirs_out.shape))
    direction = rng.standard_normal(values.shape)
    results = []
    for lib, x, out in ((mt, ours_x, call(mt, ours_x)), (torch, theirs_x, theirs_out)):
        (first,) = lib.autograd.grad(
            out, x, grad_outputs=lib.tensor(upstream, dtype=lib.float64), create_graph=True
        )
        (second,) = lib.autograd.grad((first * lib.tensor(direction)).sum(), x)
        results.append((first, second))
    (our_first, our_second), (their_first, their_second) = results
    np.testing.assert_allclose(host(our_first), their_first.detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(host(our_second), their_second.numpy(), rtol=1e-9, atol=1e-12)


# --------------------------------------------------------------------------
# max/min: the (values, indices) result, ties, nan
# --------------------------------------------------------------------------


@pytest.mark.parametrize("shape,dim", [((4,), 0), ((3, 4), 1), ((3, 4), -2), ((2, 3, 2), 1)])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("name", ["max", "min"])
def test_values_indices_print_like_torch(name, shape, dim, keepdim):
    values = values_for(shape, np.random.default_rng(0))
    ours_x, theirs_x = pair(values, "float32", requires_grad=True)
    ours = getattr(ours_x, name)(dim, keepdim)
    theirs = getattr(theirs_x, name)(dim, keepdim)
    assert repr(ours) == repr(theirs).replace("torch.", "minitensor.")
    assert repr(getattr(ours_x.detach(), name)(dim)) == repr(
        getattr(theirs_x.detach(), name)(dim)
    ).replace("torch.", "minitensor.")
    # A tuple with names: unpacking, indexing, len, .values and .indices agree.
    values_, indices = ours
    assert values_ is ours[0] is ours.values and indices is ours[1] is ours.indices
    assert isinstance(ours, tuple) and len(ours) == 2 and ours[-1] is indices


def test_values_indices_of_0d_and_int_tensors_print_like_torch():
    for values, dtype in (([3.5], "float32"), ([[1, 7, 7], [9, 2, 9]], "int32"), (7, "int64")):
        ours_x, theirs_x = pair(values, dtype)
        for name in ("max", "min"):
            assert repr(getattr(ours_x, name)(-1)) == repr(getattr(theirs_x, name)(-1)).replace(
                "torch.", "minitensor."
            )


TIE_CALLS = {
    "max": lambda lib, x: x.max(),
    "min": lambda lib, x: x.min(),
    "max_dim": lambda lib, x: x.max(0).values,
    "min_dim": lambda lib, x: lib.min(x, -1, True).values,
    "norm_inf": lambda lib, x: x.norm(INF),
    "norm_-inf": lambda lib, x: x.norm(-INF),
    "argmax": lambda lib, x: x.argmax(),
    "argmin": lambda lib, x: x.argmin(0),
}
TIE_VALUES = [
    [3.0, 1.0, 3.0, -2.0],
    [[2.0, 2.0], [2.0, 1.0]],
    [1.0, math.nan, 3.0, math.nan],
    [5.0],
]


@pytest.mark.parametrize("values,name", [(v, n) for v in TIE_VALUES for n in TIE_CALLS])
def test_ties_and_nan_match_torch(values, name):
    """No dim: tied winners share the gradient evenly; along a dim the first one takes it."""
    compare_with_torch(TIE_CALLS[name], values, "float64", np.random.default_rng(1))


def test_max_of_two_tensors_is_the_elementwise_maximum():
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal(3)
    for lib_fn in ("max", "min"):
        ours_a, theirs_a = pair(a, "float32", requires_grad=True)
        ours_b, theirs_b = pair(b, "float32")
        assert_same_tensor(
            getattr(mt, lib_fn)(ours_a, ours_b), getattr(torch, lib_fn)(theirs_a, theirs_b)
        )


# --------------------------------------------------------------------------
# Special values: zeros in prod, norms at 0, no degrees of freedom, empty tensors
# --------------------------------------------------------------------------

SPECIAL_CASES = [
    ([2.0, 0.0, 3.0], lambda lib, x: x.prod()),
    ([0.0, 0.0, 3.0], lambda lib, x: x.prod()),
    ([[2.0, 0.0, 3.0], [0.0, 0.0, 1.0], [1.0, 2.0, 4.0]], lambda lib, x: x.prod(1)),
    ([[2.0, 0.0, 3.0], [0.0, 0.0, 1.0], [1.0, 2.0, 4.0]], lambda lib, x: x.prod(0, True)),
    ([[2.0, 0.0], [1.0, 4.0]], lambda lib, x: x.prod()),
    (0.0, lambda lib, x: x.prod()),
    (0.0, lambda lib, x: x.prod(0)),
    ([0.0, 0.0], lambda lib, x: x.norm()),
    ([[0.0, 0.0], [1.0, -2.0]], lambda lib, x: x.norm(2, 1)),
    ([0.0, 0.0], lambda lib, x: x.norm(1)),
    ([0.0, 0.0], lambda lib, x: x.norm(INF)),
    ([0.0, 1.0, 2.0], lambda lib, x: x.norm(0.5)),
    ([0.0, 0.0], lambda lib, x: x.norm(0.5)),
    ([0.0, 0.0], lambda lib, x: x.norm(3)),
    ([0.0, 0.0], lambda lib, x: x.norm(1.5)),
    ([0.0, 1.0], lambda lib, x: x.norm(-1)),
    ([2.0, 1.0], lambda lib, x: x.norm(-1)),
    ([2.0, 0.0, -1.0], lambda lib, x: x.norm(0)),
    ([1.0, 2.0, 3.0], lambda lib, x: x.var(correction=3)),
    ([1.0, 2.0, 3.0], lambda lib, x: x.var(correction=4)),
    ([1.0, 2.0, 3.0], lambda lib, x: x.std(correction=3)),
    ([2.0, 2.0, 2.0], lambda lib, x: x.std()),
    ([[2.0, 2.0], [1.0, 3.0]], lambda lib, x: x.std(1)),
    ([2.0], lambda lib, x: x.var()),
    (2.0, lambda lib, x: x.std(0)),
    ([1.0, 2.0, 4.0], lambda lib, x: x.var(False)),
    ([1.0, 2.0, 4.0], lambda lib, x: x.var(True)),
    ([[1.0, 2.0], [4.0, 8.0]], lambda lib, x: x.var(0, False, True)),
    ([[1.0, 2.0], [4.0, 8.0]], lambda lib, x: x.std(dim=1, unbiased=False)),
    ([[1.0, 2.0], [4.0, 8.0]], lambda lib, x: lib.var(x, correction=2.5)),
    ([[1.0, 2.0], [4.0, 8.0]], lambda lib, x: x.norm("fro")),
    ([[1.0, 2.0], [4.0, 8.0]], lambda lib, x: x.norm("fro", dim=1)),
    ([[1.0, 2.0], [4.0, 8.0]], lambda lib, x: x.norm(p=-INF, dim=0, keepdim=True)),
]


@pytest.mark.parametrize("values,call", SPECIAL_CASES)
def test_special_values_match_torch(values, call):
    compare_with_torch(call, values, "float64", np.random.default_rng(4))


EMPTY_CASES = [
    lambda lib, x: x.sum(),
    lambda lib, x: x.sum(1),
    lambda lib, x: x.mean(),
    lambda lib, x: x.mean(0),
    lambda lib, x: x.prod(),
    lambda lib, x: x.prod(1),
    lambda lib, x: x.prod(0),
    lambda lib, x: x.max(0),
    lambda lib, x: x.min(1, True),
    lambda lib, x: x.argmin(0),
    lambda lib, x: x.var(),
    lambda lib, x: x.std(1),
    lambda lib, x: x.norm(),
    lambda lib, x: x.norm(1, 1),
    lambda lib, x: x.norm(INF, 0),
    lambda lib, x: x.all(),
    lambda lib, x: x.any(),
    lambda lib, x: x.all(1),
    lambda lib, x: x.softmax(1),
    lambda lib, x: lib.log_softmax(x, 0),
    lambda lib, x: lib.logsumexp(x, 1),
    lambda lib, x: lib.logsumexp(x, (0, 1), True),
]


@pytest.mark.parametrize("call", EMPTY_CASES)
def test_empty_tensors_match_torch(call):
    compare_with_torch(call, np.zeros((2, 0)), "float32", np.random.default_rng(5))


def test_integer_and_bool_dtypes_match_torch():
    rng = np.random.default_rng(6)
    cases = [
        ([1, 2, 3], "int32", lambda lib, x: x.sum()),  # int64
        ([1, 2, 3], "int32", lambda lib, x: x.prod(0)),  # int64
        ([1, 2, 3], "uint8", lambda lib, x: x.prod()),  # int64
        ([True, False, True], "bool", lambda lib, x: x.sum()),  # int64
        ([True, True], "bool", lambda lib, x: x.prod()),  # int64
        ([3, 1, 2], "int32", lambda lib, x: x.max()),  # stays int32
        ([[3, 1], [2, 5]], "int16", lambda lib, x: x.min(0)),
        ([True, False], "bool", lambda lib, x: x.max()),
        ([True, False], "bool", lambda lib, x: x.min(0)),
        ([1, 0, 2], "uint8", lambda lib, x: x.all()),  # stays uint8
        ([1, 0, 2], "uint8", lambda lib, x: x.any(0)),
        ([0.0, math.nan], "float32", lambda lib, x: x.all()),  # nan is nonzero
        ([[1.0, 0.0], [1.0, 1.0]], "float32", lambda lib, x: x.all(())),  # () reduces nothing
        ([[1.0, 0.0], [1.0, 1.0]], "float32", lambda lib, x: x.any((0, 1), True)),
        ([1, 2], "int64", lambda lib, x: lib.logsumexp(x, 0)),  # to the default float
        ([True, False], "bool", lambda lib, x: lib.logsumexp(x, 0)),
        ([1, 2], "int64", lambda lib, x: x.sum(dtype=lib.float64)),
        ([1, 2], "int64", lambda lib, x: x.prod(dtype=lib.float32)),
        ([1, 2], "int64", lambda lib, x: x.mean(dtype=lib.float64)),
        ([1, 2], "int64", lambda lib, x: lib.softmax(x, 0, dtype=lib.float32)),
        ([1.0, 2.0], "float32", lambda lib, x: lib.log_softmax(x, 0, dtype=lib.float64)),
        ([1.0, 2.0], "float16", lambda lib, x: x.softmax(0)),
        ([1.0, 2.0], "float16", lambda lib, x: x.norm()),
        ([1.0, 2.0], "float16", lambda lib, x: x.max()),
    ]
    for values, dtype, call in cases:
        compare_with_torch(call, values, dtype, rng, grad=False, rtol=1e-3, atol=1e-3)


# --------------------------------------------------------------------------
# softmax, log_softmax, logsumexp: no overflow
# --------------------------------------------------------------------------

STABILITY_INPUTS = [
    [1000.0, 0.0],
    [-1000.0, 0.0],
    [[1000.0, 1000.0], [-1000.0, 999.0]],
    [[88.0, 89.0, 90.0], [0.0, 1e-3, -1e4]],
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("values", STABILITY_INPUTS)
@pytest.mark.parametrize(
    "call",
    [
        lambda lib, x: x.softmax(-1),
        lambda lib, x: x.softmax(0),
        lambda lib, x: lib.log_softmax(x, -1),
        lambda lib, x: lib.logsumexp(x, -1),
        lambda lib, x: lib.logsumexp(x, 0, True),
    ],
)
def test_softmax_family_does_not_overflow(call, values, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow in exp would warn
        ours_x, _ = pair(values, dtype, requires_grad=True)
        out = call(mt, ours_x)
        out.backward(mt.ones_like(out))
    assert np.isfinite(host(out)).all() and np.isfinite(host(ours_x.grad)).all()
    compare_with_torch(call, values, dtype, np.random.default_rng(8))


@pytest.mark.parametrize(
    "values", [[-INF, -INF], [INF, 1.0], [INF, INF], [INF, -INF], [-INF, 0.0], [math.nan, 1.0]]
)
@pytest.mark.parametrize(
    "call",
    [
        lambda lib, x: x.softmax(0),
        lambda lib, x: lib.log_softmax(x, 0),
        lambda lib, x: lib.logsumexp(x, 0),
    ],
)
def test_softmax_family_with_infinities_matches_torch(call, values):
    compare_with_torch(call, values, "float64", np.random.default_rng(9))


# --------------------------------------------------------------------------
# Errors and warnings, with PyTorch's messages
# --------------------------------------------------------------------------

ERROR_CASES = {
    "2d": [
        lambda lib, x: x.sum(2),
        lambda lib, x: x.mean(-3),
        lambda lib, x: x.prod(2),
        lambda lib, x: x.max(2),
        lambda lib, x: lib.min(x, -3),
        lambda lib, x: x.argmax(2),
        lambda lib, x: x.argmin(-3),
        lambda lib, x: x.var(2),
        lambda lib, x: x.std((0, 2)),
        lambda lib, x: x.norm(2, 5),
        lambda lib, x: x.all(2),
        lambda lib, x: x.any(-3),
        lambda lib, x: x.softmax(2),
        lambda lib, x: lib.log_softmax(x, -3),
        lambda lib, x: lib.logsumexp(x, 2),
        lambda lib, x: x.sum((0, 0)),
        lambda lib, x: x.var((0, -2)),
        lambda lib, x: x.all((1, 1)),
        lambda lib, x: x.prod((0, 1)),
        lambda lib, x: x.prod([0, 1]),
        lambda lib, x: x.prod(keepdim=True),
        lambda lib, x: x.max((0, 1)),
        lambda lib, x: x.min([0, 1]),
        lambda lib, x: x.max(1.5),
        lambda lib, x: x.max(keepdim=True),
        lambda lib, x: x.argmax((0,)),
        lambda lib, x: x.softmax(None),
        lambda lib, x: x.softmax(1.5),
        lambda lib, x: lib.logsumexp(x, None),
        lambda lib, x: lib.logsumexp(x, ()),
        lambda lib, x: x.norm("abc"),
    ],
    "0d": [
        lambda lib, x: x.max(1),
        lambda lib, x: x.sum(-2),
        lambda lib, x: x.softmax(1),
        lambda lib, x: x.argmax(1),
        lambda lib, x: x.prod(-2),
    ],
    "empty": [
        lambda lib, x: x.max(),
        lambda lib, x: x.min(),
        lambda lib, x: x.max(1),
        lambda lib, x: lib.min(x, -1),
        lambda lib, x: x.argmax(),
        lambda lib, x: x.argmin(-1),
        lambda lib, x: x.norm(INF),
        lambda lib, x: x.norm(-INF, -1),
        lambda lib, x: x.norm(INF, (0, 1)),
    ],
    "int": [
        lambda lib, x: x.mean(),
        lambda lib, x: x.var(),
        lambda lib, x: x.std(0),
        lambda lib, x: x.norm(),
        lambda lib, x: x.softmax(1),
        lambda lib, x: x.softmax(0),
        lambda lib, x: lib.log_softmax(x, -1),
        lambda lib, x: lib.log_softmax(x, 0),
    ],
    "bool": [
        lambda lib, x: x.argmax(),
        lambda lib, x: x.argmin(0),
        lambda lib, x: x.mean(),
        lambda lib, x: x.var(),
        lambda lib, x: x.norm(),
        lambda lib, x: x.softmax(-1),
    ],
}
ERROR_INPUTS = {
    "2d": (np.ones((2, 3)), "float32"),
    "0d": (np.array(3.0), "float32"),
    "empty": (np.zeros((2, 0)), "float32"),
    "int": (np.ones((2, 3)), "int64"),
    "bool": (np.ones((2, 3)) > 0, "bool"),
}


@pytest.mark.parametrize(
    "kind,index", [(kind, i) for kind, calls in ERROR_CASES.items() for i in range(len(calls))]
)
def test_errors_match_torch(kind, index):
    values, dtype = ERROR_INPUTS[kind]
    ours_x, theirs_x = pair(values, dtype)
    outcome, ours, theirs = run_both(ERROR_CASES[kind][index], ours_x, theirs_x)
    assert outcome == "error", "PyTorch raises here, so the case tests nothing"
    assert_same_error(ours, theirs)


def test_dim_out_of_range_message():
    x = mt.ones(2, 3)
    with pytest.raises(IndexError) as error:
        x.max(2)
    assert str(error.value) == (
        "Dimension out of range (expected to be in range of [-2, 1], but got 2)"
    )


def test_unbiased_with_correction_is_a_type_error_as_in_torch():
    # PyTorch's message lists its overloads (which depend on how the call was
    # written); minitensor says the same thing in one line. The type agrees.
    for lib in (torch, mt):
        with pytest.raises(TypeError, match="invalid combination of arguments"):
            lib.ones(3).var(0, True, correction=1)


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, x: x.var(correction=3),
        lambda lib, x: x.std(dim=0, correction=4),
        lambda lib, x: x[0].var(),
        lambda lib, x: x[:0].std(),
    ],
)
def test_no_degrees_of_freedom_warns_like_torch(call):
    ours_x, theirs_x = pair([1.0, 2.0, 3.0], "float32")
    messages = []
    for lib, x in ((torch, theirs_x), (mt, ours_x)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call(lib, x)
        assert [w.category for w in caught] == [UserWarning]
        messages.append(str(caught[0].message))
    theirs, ours = messages
    assert theirs.startswith(ours + " (Triggered internally")


def test_enough_degrees_of_freedom_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mt.tensor([1.0, 2.0, 3.0]).var(correction=2)
        mt.tensor([1.0, 2.0, 3.0]).std()


def test_truth_tests_and_argmax_are_not_differentiable():
    x = mt.tensor([[1.0, 0.0], [2.0, 3.0]], requires_grad=True)
    for out in (x.all(), x.any(1), x.argmax(), x.argmin(0, True), x.max(1).indices):
        assert not out.requires_grad and out.grad_fn is None


def test_saved_indices_modified_in_place_fail_like_torch():
    results = []
    for lib in (torch, mt):
        x = lib.tensor([[1.0, 5.0], [7.0, 2.0]], requires_grad=True)
        values, indices = x.max(1)
        indices.add_(0)  # any in-place change bumps the version PyTorch saved
        with pytest.raises(RuntimeError) as error:
            values.sum().backward()
        results.append(str(error.value))
    assert "modified by an inplace operation" in results[0]
    assert "modified by an inplace operation" in results[1]


# --------------------------------------------------------------------------
# The GPU stand-in computes the same values and gradients as the CPU
# --------------------------------------------------------------------------


@pytest.fixture
def standin_gpu():
    """ "cuda": the stand-in, or the real GPU under make test-gpu (see tests/oracle.py)."""
    with gpu():
        yield


@pytest.mark.parametrize("name", list(OPS))
def test_standin_gpu_matches_cpu(standin_gpu, name):
    call, kind = OPS[name]
    rng = np.random.default_rng(10)
    for shape in [(), (2, 3, 4)]:
        values = values_for(shape, rng)
        cases = [(values, "float64"), (np.round(values * 3), "int64"), (values > 0, "bool")]
        for dim in dims_for(shape, kind):
            for keepdim in (False, True):
                for data, dtype in cases:
                    results = []
                    for device in ("cpu", "cuda"):
                        x = mt.tensor(data, dtype=getattr(mt, dtype), device=device)
                        x.requires_grad_(dtype == "float64")
                        try:
                            with warnings.catch_warnings():
                                warnings.simplefilter("ignore")
                                result = call(mt, x, dim, keepdim)
                        except Exception as error:
                            results.append((type(error), str(error)))
                            continue
                        out = output(result)
                        assert out.device == x.device
                        if out.requires_grad:
                            upstream = np.linspace(-1, 1, max(out.numel(), 1))
                            upstream = upstream[: out.numel()].reshape(tuple(out.shape))
                            out.backward(mt.tensor(upstream, dtype=out.dtype, device=device))
                        grad = None if x.grad is None else host(x.grad)
                        indices = getattr(result, "indices", None)
                        results.append(
                            (out.dtype, host(out), grad, None if indices is None else host(indices))
                        )
                    cpu, gpu = results
                    assert len(cpu) == len(gpu) and cpu[0] == gpu[0]
                    for a, b in zip(cpu[1:], gpu[1:]):
                        if isinstance(a, np.ndarray):
                            # Bit for bit on the stand-in; a few ulps on a real GPU.
                            close = gpu_tolerance(a.dtype) if a.dtype.kind == "f" else {}
                            np.testing.assert_allclose(b, a, **close, equal_nan=True)
                        else:
                            assert a == b


def test_standin_gpu_second_derivatives_and_prod_zeros(standin_gpu):
    values = np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 1.0]])
    results = []
    for device in ("cpu", "cuda"):
        x = mt.tensor(values, dtype=mt.float64, device=device, requires_grad=True)
        out = x.prod(1).sum() + x.softmax(0).norm() + mt.logsumexp(x, (0, 1)) + x.std()
        (first,) = mt.autograd.grad(out, x, create_graph=True)
        (second,) = mt.autograd.grad((first * first).sum(), x)
        results.append((host(first), host(second)))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-12)
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-12)
