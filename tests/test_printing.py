"""Compare minitensor.printing with PyTorch's own tensor repr (the oracle)."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from minitensor.printing import (
    PRINT_OPTS,
    PrintOptions,
    format_tensor,
    get_printoptions,
    set_printoptions,
)

FLOAT_DTYPES = ["float16", "float32", "float64"]
INT_DTYPES = ["int8", "int16", "int32", "int64", "uint8"]
ALL_DTYPES = FLOAT_DTYPES + INT_DTYPES + ["bool"]


def torch_repr(arr, requires_grad=False, grad_fn=False, parameter=False):
    """PyTorch's repr of ``arr``, spelled with 'minitensor' instead of 'torch'."""
    t = torch.from_numpy(np.array(arr, copy=True))
    if parameter:
        t = torch.nn.Parameter(t, requires_grad=requires_grad)
    elif grad_fn:
        t = t.requires_grad_() * 1
    elif requires_grad:
        t.requires_grad_()
    return repr(t).replace("torch.", "minitensor.")


def ours(arr, **kwargs):
    return format_tensor(arr, dtype_name=str(arr.dtype), **kwargs)


@pytest.fixture(autouse=True)
def restore_print_options():
    """Every test leaves both libraries with default options, even on failure."""
    torch.set_printoptions(profile="default")
    set_printoptions(profile="default")
    try:
        yield
    finally:
        torch.set_printoptions(profile="default")
        set_printoptions(profile="default")


# --------------------------------------------------------------------------
# The case table
# --------------------------------------------------------------------------


def _build_cases():
    rng = np.random.default_rng(0)
    cases = {}

    def add(name, arr):
        assert name not in cases, name
        cases[name] = arr

    empty_shapes = [(0,), (0, 3), (2, 0), (3, 0, 2), (1, 0, 0, 1)]
    for dt in ALL_DTYPES:
        # Shapes shared by every dtype, with values that fit every dtype.
        if dt == "bool":
            make = lambda shape: rng.random(shape) < 0.5  # noqa: E731
        elif dt == "uint8":
            make = lambda shape: rng.integers(0, 256, shape)  # noqa: E731
        else:
            make = lambda shape: rng.integers(-100, 100, shape)  # noqa: E731
        for shape in [(), (1,), (5,), (2, 3), (2, 3, 4), (2, 2, 2, 2), (3, 1, 2)]:
            add(f"{dt}-shape{shape}", np.asarray(make(shape)).astype(dt))
        for shape in empty_shapes:
            add(f"{dt}-empty{shape}", np.zeros(shape, dtype=dt))
        # Long rows that wrap, and tensors big enough to be summarised.
        add(f"{dt}-wrap", np.asarray(make((60,))).astype(dt))
        add(f"{dt}-wrap2d", np.asarray(make((3, 40))).astype(dt))
        add(f"{dt}-summ1001", np.asarray(make((1001,))).astype(dt))
        add(f"{dt}-summ2d", np.asarray(make((40, 50))).astype(dt))
        add(f"{dt}-summ3d", np.asarray(make((10, 10, 11))).astype(dt))
        add(f"{dt}-summ4d", np.asarray(make((6, 6, 6, 6))).astype(dt))
        add(f"{dt}-summ-wide", np.asarray(make((2, 600))).astype(dt))

    for dt in INT_DTYPES:
        info = np.iinfo(dt)
        add(f"{dt}-extremes", np.array([info.min, 0, info.max, 1], dtype=dt))

    float_values = {
        "small": [0.1, 0.2345678, 0.5],
        "ints": [1.0, 2.0, -3.0],
        "ints-2d": [[1.0, 20.0], [-300.0, 4.0]],
        "large": [1e5, 2e5, 12345.0],
        "wide-range": [1e-5, 1.0, 1e3],
        "ratio-1001": [1.0, 1001.0],
        "ratio-1000": [1.0, 1000.0],
        "ratio-1000.5": [1.0, 1000.5],
        "over-1e8": [1e9, 2.0],
        "tiny": [1e-5, 2e-5],
        "just-1e-4": [1e-4, 2e-4],
        "sci-1024": [102.4, 0.01],
        "int-sci": [1e10, 1.0],
        "nan-inf": [1.5, float("nan"), float("inf"), -float("inf"), -2.25],
        "nan-int": [float("nan"), 1.0, 100.0],
        "all-nan": [float("nan"), float("nan")],
        "all-inf": [float("inf"), -float("inf")],
        "all-zero": [0.0, 0.0, 0.0],
        "neg-zero": [-0.0, 0.0],
        "neg-zero-int": [-0.0, 1.0],
        "neg-zero-frac": [-0.0, 0.5],
        "negatives": [-1.5, 2.25, -0.125],
        "rounding": [0.00005, 1.23456, 2.5e-5],
        "half-even": [0.00015, 0.00025, 1.0],
        "mixed-2d": [[1e-3, -2.0, 3.5], [float("nan"), 0.0, 1e2]],
        "big-sci": [1e30, -1e-30, 3.0],
        "3d": [[[1.0, 2.5], [3.0, -4.0]], [[5.0, 6.0], [7.0, 8.125]]],
    }
    scalars = {
        "three": 3.0,
        "half": 0.5,
        "nan": float("nan"),
        "inf": float("inf"),
        "negzero": -0.0,
        "zero": 0.0,
        "big": 1e10,
        "tiny": 1e-10,
        "neg": -123.456,
    }
    for dt in FLOAT_DTYPES:
        for name, vals in float_values.items():
            with np.errstate(over="ignore"):
                add(f"{dt}-{name}", np.array(vals, dtype=dt))
        for name, val in scalars.items():
            with np.errstate(over="ignore"):
                add(f"{dt}-scalar-{name}", np.array(val, dtype=dt))
        add(f"{dt}-randn", rng.standard_normal((4, 5)).astype(dt))
        add(f"{dt}-randn-big", (rng.standard_normal((3, 4)) * 1e4).astype(dt))
        add(f"{dt}-linspace-wrap", np.linspace(0, 1, 30).astype(dt))
        add(f"{dt}-sci-wrap", (np.arange(25) * 1e-5).astype(dt))
        add(f"{dt}-randn-wrap2d", rng.standard_normal((3, 20)).astype(dt))
        add(f"{dt}-float-summ1001", rng.standard_normal(1001).astype(dt))
        add(f"{dt}-arange1001", np.arange(1001).astype(dt))
        add(f"{dt}-summ3d-randn", rng.standard_normal((10, 10, 11)).astype(dt))
        # A huge value hidden behind "..." must not switch on scientific mode.
        hidden = np.ones(2000, dtype=dt)
        hidden[500] = 1e4 if dt == "float16" else 1e20
        add(f"{dt}-hidden-outlier", hidden)
        shown = np.ones(2000, dtype=dt)
        shown[-1] = 1e4 if dt == "float16" else 1e20
        add(f"{dt}-shown-outlier", shown)

    # float16 specifics: its own rounding, largest value, subnormals, overflow.
    add("float16-values", np.array([0.1, 0.2, 1000.5, 65504.0], dtype=np.float16))
    add("float16-subnormal", np.array([1e-7, 1.0], dtype=np.float16))
    add("float16-max-min", np.array([65504.0, 6.1e-5], dtype=np.float16))
    # Suffix wrapping: rows whose last line ends close to the line width.
    for n in range(8, 14):
        add(f"float64-suffix-wrap-{n}", np.arange(n, dtype=np.float64) + 0.5)
    add("float32-nonfinite-only-2d", np.array([[np.nan, np.inf], [-np.inf, 0.0]], np.float32))
    return cases


CASES = _build_cases()
SMALL_CASES = {k: v for k, v in CASES.items() if v.size <= 64}
FLOAT_CASES = {k: v for k, v in CASES.items() if v.dtype.kind == "f"}


@pytest.mark.parametrize("arr", CASES.values(), ids=CASES.keys())
def test_matches_torch(arr):
    assert ours(arr) == torch_repr(arr)


@pytest.mark.parametrize("arr", FLOAT_CASES.values(), ids=FLOAT_CASES.keys())
def test_requires_grad(arr):
    assert ours(arr, requires_grad=True) == torch_repr(arr, requires_grad=True)


@pytest.mark.parametrize("arr", FLOAT_CASES.values(), ids=FLOAT_CASES.keys())
def test_grad_fn(arr):
    expected = torch_repr(arr, grad_fn=True)
    assert "grad_fn=<MulBackward0>" in expected
    got = ours(arr, requires_grad=True, grad_fn_name="MulBackward0")
    assert got == expected


@pytest.mark.parametrize("arr", SMALL_CASES.values(), ids=SMALL_CASES.keys())
def test_parameter(arr):
    requires_grad = arr.dtype.kind == "f"  # only float tensors may require grad
    expected = torch_repr(arr, requires_grad=requires_grad, parameter=True)
    assert expected.startswith("Parameter containing:\ntensor(")
    assert ours(arr, requires_grad=requires_grad, is_parameter=True) == expected


# --------------------------------------------------------------------------
# Device: no CUDA here, so insert the suffix where PyTorch would put it.
# --------------------------------------------------------------------------


def test_device_simple():
    arr = np.array([1.0, 2.0])
    assert ours(arr) == "tensor([1., 2.], dtype=minitensor.float64)"
    assert ours(arr, device="cuda:0") == (
        "tensor([1., 2.], device='cuda:0', dtype=minitensor.float64)"
    )
    assert ours(arr, device="cuda:0", requires_grad=True) == (
        "tensor([1., 2.], device='cuda:0', dtype=minitensor.float64, requires_grad=True)"
    )
    # The device comes first, before size= of an empty tensor.
    assert ours(np.zeros((0, 2), np.int64), device="cuda:1") == (
        "tensor([], device='cuda:1', size=(0, 2), dtype=minitensor.int64)"
    )


@pytest.mark.parametrize("arr", SMALL_CASES.values(), ids=SMALL_CASES.keys())
def test_device_inserted_like_torch(arr):
    # Where the device suffix goes only depends on the suffix list, so the
    # CPU repr tells us the answer as long as nothing wraps onto a new line.
    expected = torch_repr(arr)
    got = ours(arr, device="cuda:0")
    if "\n" not in expected and len(expected) + len(", device='cuda:0'") <= 76:
        if arr.ndim == 0:  # "tensor(1.5, dtype=...)": the value ends at ", " or ")"
            body_end = expected.index(", ") if ", " in expected else len(expected) - 1
        else:  # the value ends with its last bracket
            body_end = expected.rindex("]") + 1
        expected = expected[:body_end] + ", device='cuda:0'" + expected[body_end:]
        assert got == expected
    # In every case, ask PyTorch's own suffix routine with a device suffix.
    t = torch.from_numpy(np.array(arr, copy=True))
    suffixes = ["device='cuda:0'"]
    if arr.size == 0:
        if arr.ndim != 1:
            suffixes.append(f"size={tuple(arr.shape)}")
        if arr.dtype != np.float32:
            suffixes.append(f"dtype={t.dtype}")
    elif arr.dtype.name not in ("float32", "int64", "bool"):
        suffixes.append(f"dtype={t.dtype}")
    body = torch._tensor_str._tensor_str(t, len("tensor("))
    oracle = torch._tensor_str._add_suffixes("tensor(" + body, suffixes, len("tensor("), False)
    assert got == oracle.replace("torch.", "minitensor.")


def test_device_suffix_wraps():
    arr = np.arange(12, dtype=np.float64) + 0.5
    got = ours(arr, device="cuda:0", requires_grad=True)
    assert got == (
        "tensor([ 0.5000,  1.5000,  2.5000,  3.5000,  4.5000,  5.5000,  6.5000,  7.5000,\n"
        "         8.5000,  9.5000, 10.5000, 11.5000], device='cuda:0',\n"
        "       dtype=minitensor.float64, requires_grad=True)"
    )


def test_cpu_index_not_shown():
    assert ours(np.array([1, 2]), device="cpu") == "tensor([1, 2])"


# --------------------------------------------------------------------------
# Print options
# --------------------------------------------------------------------------

OPTION_SETS = {
    "precision2": dict(precision=2),
    "precision0": dict(precision=0),
    "sci-on": dict(sci_mode=True),
    "sci-off": dict(sci_mode=False),
    "linewidth40": dict(linewidth=40),
    "linewidth10": dict(linewidth=10),
    "threshold5": dict(threshold=5),
    "threshold5-edge1": dict(threshold=5, edgeitems=1),
    "edge1": dict(edgeitems=1),
    "edge0-threshold5": dict(edgeitems=0, threshold=5),
    "edge0": dict(edgeitems=0),
    "threshold0": dict(threshold=0),
    "short": dict(profile="short"),
    "full": dict(profile="full"),
    "full-precision6": dict(profile="full", precision=6),
    "mix": dict(precision=3, linewidth=50, threshold=20, edgeitems=2, sci_mode=False),
}
OPTION_CASES = {
    k: v
    for k, v in CASES.items()
    if v.size <= 64 or k.endswith(("summ3d", "summ4d", "summ1001", "hidden-outlier"))
}


@pytest.mark.parametrize("options", OPTION_SETS.values(), ids=OPTION_SETS.keys())
def test_print_options(options):
    torch.set_printoptions(**options)
    set_printoptions(**options)
    assert get_printoptions() == torch._tensor_str.get_printoptions()
    for name, arr in OPTION_CASES.items():
        assert ours(arr, requires_grad=False) == torch_repr(arr), name
        if arr.dtype.kind == "f":
            assert ours(arr, requires_grad=True) == torch_repr(arr, requires_grad=True), name


def test_set_printoptions_semantics():
    assert get_printoptions() == dict(
        precision=4, threshold=1000, edgeitems=3, linewidth=80, sci_mode=None
    )
    assert isinstance(PRINT_OPTS, PrintOptions)
    set_printoptions(precision=2, sci_mode=True)
    assert PRINT_OPTS.precision == 2 and PRINT_OPTS.sci_mode is True
    # sci_mode is reset by any call that does not pass it, as in PyTorch.
    set_printoptions(linewidth=40)
    assert PRINT_OPTS.sci_mode is None and PRINT_OPTS.precision == 2
    set_printoptions(profile="full")
    assert PRINT_OPTS.threshold == float("inf") and PRINT_OPTS.precision == 4
    assert PRINT_OPTS.linewidth == 80
    set_printoptions(profile="short", edgeitems=5)
    assert get_printoptions() == dict(
        precision=2, threshold=1000, edgeitems=5, linewidth=80, sci_mode=None
    )
    set_printoptions(**get_printoptions())  # round trip
    assert PRINT_OPTS.edgeitems == 5
    set_printoptions(profile="default")
    assert get_printoptions() == torch._tensor_str.get_printoptions()


def test_readme_examples():
    assert ours(np.array([1.12345], np.float32)) == "tensor([1.1235])"
    assert ours(np.array(102.4, np.float32)) == "tensor(102.4000)"
    assert ours(np.array([102.4, 0.01], np.float32)) == "tensor([1.0240e+02, 1.0000e-02])"
    assert ours(np.zeros((0, 3), np.float32)) == "tensor([], size=(0, 3))"
    assert ours(np.zeros((0,), np.int64)) == "tensor([], dtype=minitensor.int64)"
    set_printoptions(threshold=5)
    assert ours(np.arange(10)) == "tensor([0, 1, 2,  ..., 7, 8, 9])"


def test_unknown_dtype_rejected():
    with pytest.raises(ValueError):
        format_tensor(np.zeros(2), dtype_name="complex64")


def test_values_converted_to_dtype():
    # A float64 array printed as float16 shows float16's rounding.
    arr = np.array([0.1, 1000.3])
    assert format_tensor(arr, dtype_name="float16") == torch_repr(arr.astype(np.float16))


# --------------------------------------------------------------------------
# Random arrays
# --------------------------------------------------------------------------


def _elements(dtype):
    if dtype.kind == "f":
        return st.floats(width=dtype.itemsize * 8, allow_nan=True, allow_infinity=True)
    return None  # hypothesis' default for integers: the full range


_random_arrays = st.sampled_from(
    [np.dtype("float32"), np.dtype("float64"), np.dtype("int64"), np.dtype("float16")]
).flatmap(
    lambda dt: hnp.arrays(
        dt,
        hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=6),
        elements=_elements(dt),
    )
)


@settings(max_examples=400, deadline=None)
@given(arr=_random_arrays, requires_grad=st.booleans())
def test_random_arrays_match_torch(arr, requires_grad):
    requires_grad = requires_grad and arr.dtype.kind == "f"
    got = ours(arr, requires_grad=requires_grad)
    assert got == torch_repr(arr, requires_grad=requires_grad)


_options = st.fixed_dictionaries(
    {},
    optional={
        "precision": st.integers(0, 8),
        "threshold": st.integers(0, 60),
        "edgeitems": st.integers(0, 4),
        "linewidth": st.integers(10, 120),
        "sci_mode": st.sampled_from([None, True, False]),
    },
)


@settings(max_examples=300, deadline=None)
@given(arr=_random_arrays, options=_options)
def test_random_arrays_with_options(arr, options):
    try:
        torch.set_printoptions(**options)
        set_printoptions(**options)
        assert ours(arr) == torch_repr(arr)
    finally:
        torch.set_printoptions(profile="default")
        set_printoptions(profile="default")
