"""Elementwise operations against PyTorch: values, dtypes, grad_fn names and gradients.

Every case runs on the CPU and on the GPU stand-in (the ``device`` fixture).
"""

import numpy as np
import pytest
import torch

import minitensor as mt
from minitensor.autograd.gradcheck import gradcheck
from tests.oracle import compare, device_fixture  # noqa: F401 (a fixture)

RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 4)).astype(np.float32)  # a matrix
ROW = RNG.standard_normal((4,)).astype(np.float32)  # broadcasts along rows
COL = RNG.standard_normal((3, 1)).astype(np.float64)  # broadcasts along columns, wider dtype
POS = (RNG.random((3, 4)) + 0.5).astype(np.float32)  # positive: log, sqrt, pow bases
INTS = RNG.integers(1, 5, (3, 4))  # int64
INT32 = RNG.integers(1, 5, (4,)).astype(np.int32)
MASK = RNG.random((3, 4)) > 0.5
SCALAR = np.array(1.5, dtype=np.float32)  # a 0-d tensor

OPERANDS = {
    "A": A,
    "ROW": ROW,
    "COL": COL,
    "POS": POS,
    "INTS": INTS,
    "INT32": INT32,
    "MASK": MASK,
    "SCALAR": SCALAR,
    "int": 2,
    "float": 2.5,
    "bool": True,
}

BINARY = {
    "add": lambda L, a, b: a + b,
    "sub": lambda L, a, b: a - b,
    "mul": lambda L, a, b: a * b,
    "truediv": lambda L, a, b: a / b,
    "pow": lambda L, a, b: a**b,
    "floordiv": lambda L, a, b: a // b,
    "mod": lambda L, a, b: a % b,
    "eq": lambda L, a, b: a == b,
    "lt": lambda L, a, b: a < b,
    "ge": lambda L, a, b: a >= b,
    "and": lambda L, a, b: a & b,
    "xor": lambda L, a, b: a ^ b,
}
PAIRS = [
    (x, y)
    for x in OPERANDS
    for y in OPERANDS
    if isinstance(OPERANDS[x], np.ndarray) or isinstance(OPERANDS[y], np.ndarray)
]


@pytest.mark.parametrize("op", BINARY)
def test_binary_operator_matches_torch(op, device):
    """Every operator with tensors and Python numbers on either side, broadcasting.

    One test per operator runs the whole table of operand pairs (fast), and
    reports every pair that differs.
    """
    failures = []
    for x, y in PAIRS:
        try:
            _compare_binary(op, x, y, device)
        except AssertionError as error:
            failures.append(f"{x} {op} {y}: {error}")
    assert not failures, "\n".join(failures)


def _compare_binary(op, x, y, device):
    fn, a, b = BINARY[op], OPERANDS[x], OPERANDS[y]
    if op == "pow" and (x == "bool" or (x, y) == ("MASK", "bool")):
        return  # PyTorch 2.13 fails an internal assert (or returns bool) for bool bases
    if op == "mod" and not isinstance(a, np.ndarray):
        # number % tensor has no derivative in PyTorch either (see the error tests).
        compare(fn, a, b, device=device, grad=False)
    elif op == "floordiv" and any(v.dtype.kind == "f" for v in (a, b) if hasattr(v, "dtype")):
        # PyTorch has no derivative for floor division: compare forward values only.
        compare(lambda L, p, q: fn(L, p, q).detach(), a, b, device=device)
    else:
        compare(fn, a, b, device=device)


FUNCTIONS = {
    "add_alpha": lambda L, a, b: L.add(a, b, alpha=2),
    "sub_alpha": lambda L, a, b: L.sub(a, b, alpha=0.5),
    "mul": lambda L, a, b: L.mul(a, b),
    "div": lambda L, a, b: L.div(a, b),
    "div_floor": lambda L, a, b: L.div(a, b, rounding_mode="floor"),
    "div_trunc": lambda L, a, b: L.div(a, b, rounding_mode="trunc"),
    "pow": lambda L, a, b: L.pow(a, b),
    "maximum": lambda L, a, b: L.maximum(a, b),
    "minimum": lambda L, a, b: L.minimum(a, b),
    "where": lambda L, a, b: L.where(a > 0, a, b),
    "logical_and": lambda L, a, b: L.logical_and(a, b),
    "logical_or": lambda L, a, b: L.logical_or(a, b),
}
TENSOR_PAIRS = [
    ("A", "ROW"),
    ("ROW", "A"),
    ("A", "COL"),
    ("COL", "POS"),
    ("A", "INTS"),
    ("INTS", "INT32"),
    ("SCALAR", "A"),
    ("MASK", "A"),
    ("INTS", "INTS"),
]


@pytest.mark.parametrize("op", FUNCTIONS)
@pytest.mark.parametrize(("x", "y"), TENSOR_PAIRS)
def test_binary_function_matches_torch(op, x, y, device):
    compare(FUNCTIONS[op], OPERANDS[x], OPERANDS[y], device=device)


UNARY = [
    "neg",
    "abs",
    "sign",
    "exp",
    "log",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "relu",
    "reciprocal",
    "square",
]


@pytest.mark.parametrize("op", UNARY)
@pytest.mark.parametrize("x", ["A", "POS", "COL", "INTS", "MASK", "SCALAR"])
def test_unary_method_matches_torch(op, x, device):
    compare(lambda L, a: getattr(a, op)(), OPERANDS[x], device=device)


# (minitensor.sign is not exported yet: the method form is tested above.)
@pytest.mark.parametrize("op", [u for u in UNARY if u not in ("square", "sign")])
def test_unary_function_matches_torch(op, device):
    compare(lambda L, a: getattr(L, op)(a), A, device=device)


SPECIAL_POINTS = {
    # Where PyTorch picks a convention: ties, kinks, zeros, infinities.
    "abs at 0": (lambda L, a: a.abs(), [0.0, -1.0, 2.0]),
    "abs at nan": (lambda L, a: a.abs(), [float("nan"), -0.0]),
    "sign": (lambda L, a: a.sign(), [float("nan"), -0.0, -2.0, 3.0]),
    "relu at 0": (lambda L, a: a.relu(), [0.0, -1.0, 2.0]),
    "clamp at bounds": (lambda L, a: a.clamp(0, 1), [0.0, -1.0, 1.0, 0.5]),
    "sqrt at 0": (lambda L, a: a.sqrt(), [0.0, 1.0, 4.0]),
    "log at 0 and -1": (lambda L, a: a.log(), [0.0, -1.0, 2.0]),
    "pow 0 ** 0": (lambda L, a: a**0, [0.0, 1.0, 2.0]),
    "pow 0 ** 2": (lambda L, a: a**2, [0.0, -1.0]),
    "pow 0 ** 0.5": (lambda L, a: a**0.5, [0.0, 4.0]),
    "rpow 0 ** a": (lambda L, a: 0**a, [0.0, 1.0, 2.0]),
    "sigmoid extremes": (lambda L, a: a.sigmoid(), [-100.0, 0.0, 100.0]),
    "tanh extremes": (lambda L, a: a.tanh(), [-100.0, 0.0, 100.0]),
    "exp overflow": (lambda L, a: a.exp(), [100.0, -100.0]),
    "div by zero": (lambda L, a: a / 0, [1.0, -1.0, 0.0]),
    "rdiv by zero": (lambda L, a: 1 / a, [1.0, -1.0, 0.0]),
    "mod negative": (lambda L, a: a % -1.5, [2.0, -2.0, 0.5]),
    "rmod": (lambda L, a: 5.0 % a, [2.0, -2.0, 0.5]),
    "clamp min > max": (lambda L, a: a.clamp(1.5, 0.5), [0.0, 1.0, 2.0]),
    "clamp min only": (lambda L, a: a.clamp(min=0.5), [0.0, 1.0]),
    "clamp max only": (lambda L, a: L.clamp(a, max=0.5), [0.0, 1.0]),
    "masked_fill": (lambda L, a: a.masked_fill(a > 0, 9.0), [0.5, -1.0]),
    "relu nan and zeros": (lambda L, a: a.relu(), [float("nan"), -0.0, 0.0, -1.0, 2.0]),
}


def test_relu_keeps_the_sign_of_zero_as_torch(device):
    values = np.array([float("nan"), -0.0, 0.0, -1.0, 2.0], dtype=np.float32)
    ours = mt.tensor(values, device=device).relu().cpu().numpy()
    theirs = torch.tensor(values).relu().numpy()
    np.testing.assert_array_equal(np.signbit(ours), np.signbit(theirs))
    np.testing.assert_array_equal(ours, theirs)  # nan where nan


@pytest.mark.parametrize("case", SPECIAL_POINTS)
def test_conventions_at_special_points(case, device):
    fn, values = SPECIAL_POINTS[case]
    if case == "rmod":  # number % tensor: no derivative in PyTorch (checked in the error tests)
        compare(lambda L, a: fn(L, a).detach(), np.array(values, dtype=np.float32), device=device)
        return
    compare(fn, np.array(values, dtype=np.float32), device=device)


@pytest.mark.parametrize("values", [([1.0, 2.0, 3.0], [1.0, 3.0, 2.0]), ([0.0, -1.0], [0.0, -1.0])])
@pytest.mark.parametrize("op", ["maximum", "minimum"])
def test_maximum_minimum_ties_split_the_gradient(values, op, device):
    a, b = (np.array(v, dtype=np.float32) for v in values)
    compare(lambda L, x, y: getattr(L, op)(x, y), a, b, device=device)


def test_pow_with_both_tensors_at_zero_base(device):
    base = np.array([0.0, 0.0, 2.0, 0.0], dtype=np.float64)
    exponent = np.array([0.0, 1.0, 0.0, 2.5], dtype=np.float64)
    compare(lambda L, a, b: a**b, base, exponent, device=device)


def test_integer_division_by_zero_is_an_error(device):
    compare(lambda L, a: a // 0, INTS, device=device)
    compare(lambda L, a: a % 0, INTS, device=device)
    compare(lambda L, a: L.div(a, 0, rounding_mode="trunc"), INTS, device=device)


@pytest.mark.parametrize(
    "fn",
    [
        lambda L, a: a.clamp(0.5, 1.5),  # int tensor, float bounds: a float result
        lambda L, a: a.clamp(2, 3),
        lambda L, a: a.masked_fill(a > 2, 1.5),  # the value is cast to the tensor's dtype
        lambda L, a: L.where(a > 2, 1.0, 0.0),
        lambda L, a: L.where(a > 2, a, 0.5),
        lambda L, a: ~a,
        lambda L, a: L.logical_not(a),
        lambda L, a: 3 & a,
        lambda L, a: a | 1,
        lambda L, a: -a,
    ],
)
def test_integer_inputs(fn, device):
    compare(fn, INTS, device=device)


def test_bool_rules():
    for fn in [
        lambda L, a: a + a,  # logical or
        lambda L, a: a * a,  # logical and
        lambda L, a: L.add(a, True, alpha=2),
        lambda L, a: -a,
        lambda L, a: a - a,
        lambda L, a: a - 1,
        lambda L, a: 1 - a,
        lambda L, a: a.abs(),
        lambda L, a: a.relu(),
        lambda L, a: a**a,
        lambda L, a: a // a,
        lambda L, a: a % a,
        lambda L, a: ~a,
        lambda L, a: a.exp(),
        lambda L, a: a / a,
    ]:
        compare(fn, MASK)


def test_gradients_accumulate_through_both_operands(device):
    """``a * a`` uses a twice: both contributions add up (micrograd's classic bug)."""
    compare(lambda L, a: a * a + a / (a + 3), A, device=device)


@pytest.mark.parametrize(
    "fn",
    [
        lambda a, b: a + b,
        lambda a, b: a - 2 * b,
        lambda a, b: a * b,
        lambda a, b: a / (b * b + 1),
        lambda a, b: (a * a + 1) ** b,
        lambda a, b: mt.maximum(a, b) + mt.minimum(a, b) * 2,
        lambda a, b: mt.where(a > b, a * b, a - b),
        lambda a, b: (a.tanh() + b.sigmoid()).exp(),
        lambda a, b: (a * a + 0.5).log() + (b * b + 0.1).sqrt() + b.sin() * a.cos(),
        lambda a, b: (a.abs() + 0.3).reciprocal() + b.relu() + (a * b).clamp(-0.5, 0.5),
        lambda a, b: 2**a + 3 / (b * b + 1) - (a * a + 2) % 1.5,
    ],
)
def test_gradcheck_float64(fn, device):
    a = mt.tensor(RNG.standard_normal((3, 4)), device=device, requires_grad=True)
    b = mt.tensor(RNG.standard_normal((4,)) + 0.1, device=device, requires_grad=True)
    assert gradcheck(fn, (a, b))


@pytest.mark.parametrize(
    ("fn", "name"),
    [
        (lambda a: a + 1, "AddBackward0"),
        (lambda a: 1 + a, "AddBackward0"),
        (lambda a: a - 1, "SubBackward0"),
        (lambda a: 1 - a, "RsubBackward1"),
        (lambda a: a * 2, "MulBackward0"),
        (lambda a: a / 2, "DivBackward0"),
        (lambda a: 2 / a, "MulBackward0"),
        (lambda a: a**2, "PowBackward0"),
        (lambda a: a**a, "PowBackward1"),
        (lambda a: 2**a, "PowBackward2"),
        (lambda a: a % 2, "RemainderBackward0"),
        (lambda a: a % a, "RemainderBackward1"),
        (lambda a: -a, "NegBackward0"),
        (lambda a: a.exp(), "ExpBackward0"),
        (lambda a: a.clamp(0, 1), "ClampBackward1"),
        (lambda a: mt.where(a > 0, a, 0.0), "WhereBackward0"),
        (lambda a: a.masked_fill(a > 0, 0.0), "MaskedFillBackward0"),
    ],
)
def test_grad_fn_names(fn, name):
    """Names read directly (compare() checks them too, for every case above)."""
    out = fn(mt.tensor([1.0, 2.0], requires_grad=True))
    assert out.grad_fn.name() == name
    assert repr(out.grad_fn).startswith(f"<{name} object at 0x")


def test_floor_divide_has_no_derivative():
    x = mt.tensor([1.0, 3.0], requires_grad=True)
    y = x // 2
    assert repr(y) == "tensor([0., 1.], grad_fn=<NotImplemented>)"
    with pytest.raises(
        RuntimeError, match=r"^derivative for aten::floor_divide is not implemented$"
    ):
        y.sum().backward()


def test_no_numpy_warnings_for_inf_and_nan(recwarn):
    x = mt.tensor([0.0, -1.0, 1.0])
    x.log(), x.sqrt(), 1 / x, x / x, x**-1, x.reciprocal()
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize(
    "fn",
    [
        lambda L, a: a + "a",
        lambda L, a: a * None,
        lambda L, a: "a" - a,
        lambda L, a: a ** "a",
        lambda L, a: a < None,
        lambda L, a: a == None,  # noqa: E711 (comparing with None is the point)
        lambda L, a: a != "a",
        lambda L, a: L.maximum(a, 2),
        lambda L, a: L.clamp(a),
        lambda L, a: L.div(a, 2, rounding_mode="round"),
        lambda L, a: a.masked_fill(a, 1.0),
        lambda L, a: L.where(a, a, a),
        lambda L, a: a.int().add(1, alpha=0.5),
        lambda L, a: a.long() ** -1,
        lambda L, a: a & a,
        lambda L, a: ~a,
        lambda L, a: a + L.ones(5),
    ],
)
def test_bad_operands_fail_as_in_torch(fn):
    compare(fn, A)


def test_operations_leave_numpy_error_settings_as_they_were():
    """Forward silences NumPy's float warnings only while it runs, even when it fails."""
    before = np.geterr()
    (mt.tensor([0.0, 1.0]).log() / 0).exp()
    with pytest.raises(RuntimeError):
        mt.ones(2) + mt.ones(3)
    assert np.geterr() == before
    with np.errstate(divide="raise"):  # the user's own NumPy settings still apply to NumPy
        with pytest.raises(FloatingPointError):
            np.log(np.zeros(1))
        mt.zeros(1).log()  # ... and not to minitensor


def test_a_number_is_wrapped_once_and_converted_once():
    """``x * 1.0001`` in a loop reuses one wrapped number and its float32 copy."""
    from minitensor.ops.operands import as_tensor_operand, cast

    x = mt.ones(2)
    number = as_tensor_operand(1.0001, x)
    assert as_tensor_operand(1.0001, x) is number
    assert number._wrapped_number and number.dtype == mt.float64  # it promotes as a number
    assert cast(number, mt.float32) is cast(number, mt.float32)
    assert cast(number, mt.float32).dtype == np.float32
    # Equal but different numbers are kept apart: -0.0 and 0.0, 1 and 1.0 and True.
    for a, b in [(-0.0, 0.0), (1, 1.0), (True, 1)]:
        assert as_tensor_operand(a, x) is not as_tensor_operand(b, x)
    assert np.signbit((x * -0.0).numpy()).all() and not np.signbit((x * 0.0).numpy()).any()
    assert (mt.ones(2, dtype=mt.int32) * True).dtype == mt.int32
    assert (mt.ones(2, dtype=mt.int32) * 1.5).dtype == mt.float32


@pytest.mark.parametrize(
    "op",
    [
        lambda x: x + 2.5,
        lambda x: 2.5 - x,
        lambda x: x * 2.5,
        lambda x: 2.5 / x,
        lambda x: x**2.5,
        lambda x: 2.5**x,
        lambda x: mt.where(x > 0, 2.5, x),
        lambda x: mt.where(x > 0, 2.5, 2.5),
        lambda x: x.clamp(-2.5, 2.5),
        lambda x: mt.maximum(x, mt.tensor(2.5)),
    ],
)
def test_changing_a_result_in_place_never_changes_a_kept_number(op):
    """The numbers kept for reuse (see as_tensor_operand) are never an operation's output."""
    x = mt.tensor([0.5, 1.0, 3.0])
    first = op(x).clone()
    op(x).mul_(0).add_(7)
    assert mt.equal(op(x), first)
