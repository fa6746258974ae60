"""Indexing (``x[index]`` and ``x[index] = value``) against PyTorch and finite differences.

Each reading case runs on ``torch`` and ``minitensor`` with the same float64
input and compares values, the chain of ``grad_fn`` nodes, memory sharing,
and the gradient for a random upstream gradient; the GPU stand-in must give
the CPU's numbers. Writing cases compare the written values, the node names,
and the gradients of the old tensor and of the value.
"""

import contextlib
import warnings

import numpy as np
import pytest
import torch

import minitensor as mt
from minitensor.autograd import gradcheck
from tests.oracle import gpu

EPS = 1e-6  # the finite differences' step
MASK_ROWS = [True, False, True]
MASK_34 = np.array(
    [[True, False, True, False], [False, False, True, True], [True, True, False, False]]
)


def host(t):
    return t.detach().cpu().numpy()


def chain(t):
    """The grad_fn names from ``t`` back to its leaf, following first parents (as PyTorch)."""
    names, node = [], t.grad_fn
    while node is not None:
        names.append(node.name().rsplit("::", 1)[-1])  # (torch::autograd::AccumulateGrad)
        parents = [n for n, _ in node.next_functions if n is not None]
        node = parents[0] if parents else None
    return names


def read(lib, x, fn, device="cpu"):
    """y = fn(lib, x), then backward of sum(y * upstream) for a fixed random upstream."""
    y = fn(lib, x)
    upstream = np.random.default_rng(5).standard_normal(tuple(y.shape))
    g = torch.tensor(upstream) if lib is torch else mt.tensor(upstream, device=device)
    (y * g).sum().backward()
    return y


# (id, input shape, function of (library, x))
READS = [
    ("int", (3, 4), lambda lib, x: x[1]),
    ("negative_int", (3, 4), lambda lib, x: x[-1]),
    ("int_int", (3, 4), lambda lib, x: x[0, 1]),
    ("chained_ints", (3, 4), lambda lib, x: x[0][1]),
    ("vector_int", (4,), lambda lib, x: x[2]),
    ("slice", (3, 4), lambda lib, x: x[1:3]),
    ("slice_step", (5, 4), lambda lib, x: x[::2]),
    ("slice_step_start", (5, 4), lambda lib, x: x[1::3]),
    ("slice_negative_bounds", (3, 4), lambda lib, x: x[-2:]),
    ("slice_past_end", (3, 4), lambda lib, x: x[1:100]),
    ("slice_empty", (3, 4), lambda lib, x: x[2:1]),
    ("bare_full_slice", (3, 4), lambda lib, x: x[:]),
    ("full_slices", (3, 4), lambda lib, x: x[:, 0:4]),
    ("ellipsis", (3, 4), lambda lib, x: x[...]),
    ("ellipsis_int", (2, 3, 4), lambda lib, x: x[..., 1]),
    ("int_ellipsis_int", (2, 3, 4), lambda lib, x: x[1, ..., 2]),
    ("int_slice", (3, 4), lambda lib, x: x[0, 1:3]),
    ("slice_int", (3, 4), lambda lib, x: x[:, 1]),
    ("slice_slice", (3, 4), lambda lib, x: x[1:, ::2]),
    ("slice_of_slice", (4, 4), lambda lib, x: x[1:][::2, 1:3]),
    ("none", (3, 4), lambda lib, x: x[None]),
    ("none_middle", (3, 4), lambda lib, x: x[:, None]),
    ("none_int", (3, 4), lambda lib, x: x[None, 0]),
    ("int_none", (3, 4), lambda lib, x: x[0, None]),
    ("ellipsis_none", (3, 4), lambda lib, x: x[..., None]),
    ("none_none", (3, 4), lambda lib, x: x[None, :, None]),
    ("list", (3, 4), lambda lib, x: x[[0, 2]]),
    ("list_repeated", (3, 4), lambda lib, x: x[[0, 0, 2, 0]]),
    ("list_negative", (3, 4), lambda lib, x: x[[-1, 0]]),
    ("list_single", (3, 4), lambda lib, x: x[[1]]),
    ("list_empty", (3, 4), lambda lib, x: x[[]]),
    ("tensor", (3, 4), lambda lib, x: x[lib.tensor([2, 0])]),
    ("tensor_2d", (3, 4), lambda lib, x: x[lib.tensor([[0, 1], [1, 2]])]),
    ("tensor_int32", (3, 4), lambda lib, x: x[lib.tensor([1, 2], dtype=lib.int32)]),
    ("numpy_array", (3, 4), lambda lib, x: x[np.array([1, 1])]),
    ("two_lists", (3, 4), lambda lib, x: x[[0, 1], [1, 2]]),
    ("two_lists_repeated", (3, 4), lambda lib, x: x[[0, 0, 0], [1, 1, 2]]),
    ("broadcast_lists", (3, 4), lambda lib, x: x[[[0], [1]], [0, 1]]),
    ("slice_list", (3, 4), lambda lib, x: x[:, [0, 3, 0]]),
    ("slice_then_list", (3, 4), lambda lib, x: x[1:, [0, 1]]),
    ("list_slice_list", (2, 3, 4), lambda lib, x: x[[0, 1], :, [0, 1]]),
    ("int_slice_list", (2, 3, 4), lambda lib, x: x[0, :, [0, 1]]),
    ("slice_int_list", (2, 3, 4), lambda lib, x: x[:, 0, [0, 1]]),
    ("list_none_list", (2, 3, 4), lambda lib, x: x[[0, 1], None, [0, 1]]),
    ("slice_none_list", (2, 3, 4), lambda lib, x: x[1:, None, [0, 1]]),
    ("adjacent_lists_middle", (2, 3, 4), lambda lib, x: x[:, [0, 2], [1, 3]]),
    ("mask_from_values", (3, 4), lambda lib, x: x[x > 0]),
    ("mask_rows", (3, 4), lambda lib, x: x[lib.tensor(MASK_ROWS)]),
    ("mask_list", (3, 4), lambda lib, x: x[MASK_ROWS]),
    ("mask_full", (3, 4), lambda lib, x: x[lib.tensor(MASK_34)]),
    ("mask_cols", (3, 4), lambda lib, x: x[:, lib.tensor([True, False, True, False])]),
    ("mask_leading_dims", (2, 3, 4), lambda lib, x: x[x.sum(-1) > 0]),
    ("mask_and_list", (3, 4), lambda lib, x: x[lib.tensor(MASK_ROWS), [0, 3]]),
    ("mask_numpy", (3, 4), lambda lib, x: x[np.array(MASK_ROWS)]),
    ("true", (3, 4), lambda lib, x: x[True]),
    ("false", (3, 4), lambda lib, x: x[False]),
    ("false_int", (3, 4), lambda lib, x: x[False, 0]),
    ("bool_0d_tensor", (3, 4), lambda lib, x: x[lib.tensor(True)]),
    ("int_0d_tensor", (3, 4), lambda lib, x: x[lib.tensor(1)]),
    ("int_0d_tensor_with_list", (2, 3, 4), lambda lib, x: x[lib.tensor(1), [0, 1]]),
    ("numpy_int", (3, 4), lambda lib, x: x[np.int64(2), np.int32(1)]),
    ("scalar_none", (), lambda lib, x: x[None]),
    ("scalar_ellipsis", (), lambda lib, x: x[...]),
    ("scalar_mask", (), lambda lib, x: x[x > -10]),
    ("scalar_none_ellipsis", (), lambda lib, x: x[..., None]),
]
READ_IDS = [c[0] for c in READS]


def _input(shape, name):
    return np.random.default_rng(len(name)).standard_normal(shape)


@pytest.mark.parametrize(("name", "shape", "fn"), READS, ids=READ_IDS)
def test_getitem_matches_torch(name, shape, fn):
    data = _input(shape, name)
    tx, mx = torch.tensor(data, requires_grad=True), mt.tensor(data, requires_grad=True)
    ty, my = read(torch, tx, fn), read(mt, mx, fn)
    assert tuple(my.shape) == tuple(ty.shape)
    assert my.dtype == mt.float64
    np.testing.assert_array_equal(host(my), ty.detach().numpy())
    assert chain(my) == chain(ty)
    np.testing.assert_allclose(host(mx.grad), tx.grad.numpy(), rtol=1e-12, atol=0)


@pytest.mark.parametrize(("name", "shape", "fn"), READS, ids=READ_IDS)
def test_getitem_views_share_memory_where_torch_does(name, shape, fn):
    data = _input(shape, name)
    tx, mx = torch.tensor(data), mt.tensor(data)
    ty, my = fn(torch, tx), fn(mt, mx)
    torch_view = ty._is_view()
    assert (my._base is mx) == torch_view
    assert (my._version_counter is mx._version_counter) == torch_view
    if my.numel():
        assert np.shares_memory(my._array, mx._array) == torch_view
    mx.add_(1.0)
    tx.add_(1.0)
    np.testing.assert_array_equal(host(my), ty.numpy())  # views see the write, copies do not
    assert my._version == ty._version


@pytest.mark.parametrize(("name", "shape", "fn"), READS, ids=READ_IDS)
def test_getitem_gradient_matches_finite_differences(name, shape, fn):
    data = _input(shape, name)
    at_data = host(fn(mt, mt.tensor(data)))

    def f(x):
        y = fn(mt, x)
        # The mask of ``x > 0`` must not move with the perturbation: the elements read
        # at every point gradcheck measures are those read at the data. Moving one
        # element by EPS moves y by EPS at most; another mask would move it by far more.
        assert tuple(y.shape) == at_data.shape
        np.testing.assert_allclose(host(y), at_data, rtol=0, atol=2 * EPS)
        return y

    # Indexing only moves numbers: the differences are exact up to rounding.
    x = mt.tensor(data, requires_grad=True)
    assert gradcheck(f, (x,), eps=EPS, atol=1e-7, rtol=1e-7)


@pytest.fixture
def standin_gpu():
    """ "cuda": the stand-in, or the real GPU under make test-gpu (see tests/oracle.py)."""
    with gpu():
        yield "cuda"


@pytest.mark.parametrize(("name", "shape", "fn"), READS, ids=READ_IDS)
def test_getitem_on_gpu_standin_matches_cpu(name, shape, fn, standin_gpu):
    data = _input(shape, name)
    cx = mt.tensor(data, requires_grad=True)
    gx = mt.tensor(data, requires_grad=True, device=standin_gpu)
    cy, gy = read(mt, cx, fn), read(mt, gx, fn, device=standin_gpu)
    assert gy.device.type == "cuda" and gx.grad.device.type == "cuda"
    np.testing.assert_array_equal(host(gy), host(cy))
    np.testing.assert_allclose(host(gx.grad), host(cx.grad), rtol=1e-12)
    assert chain(gy) == chain(cy)


def test_repeated_indices_add_their_gradients():
    x = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2]].backward(mt.tensor([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 0.0, 3.0])
    m = mt.zeros(2, 2, requires_grad=True)
    m[[0, 0, 1, 0], [1, 1, 0, 1]].sum().backward()
    np.testing.assert_array_equal(m.grad.numpy(), [[0.0, 3.0], [1.0, 0.0]])


def test_getitem_keeps_integer_and_bool_dtypes():
    x = mt.arange(6).reshape(2, 3)
    assert x[0].dtype == mt.int64 and x[[1, 0]].dtype == mt.int64
    b = mt.tensor([True, False, True])
    np.testing.assert_array_equal(b[b].numpy(), [True, True])


def test_getitem_double_backward_matches_torch():
    data = np.random.default_rng(0).standard_normal((3, 4))
    results = []
    for lib in (torch, mt):
        x = lib.tensor(data, requires_grad=True)
        y = (x[[0, 0, 2], 1:] ** 3).sum() + (x[1] ** 2).sum() + (x[x > 0] ** 3).sum()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        (g * g).sum().backward()
        results.append((host(g), host(x.grad)))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-12)
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-12)


def test_nested_list_index_is_read_as_a_tuple_with_torchs_warning():
    data = np.arange(12.0).reshape(3, 4)
    with pytest.warns(UserWarning) as torch_caught:
        expected = torch.tensor(data)[[[0, 1], [1, 2]]]
    with pytest.warns(UserWarning) as caught:
        got = mt.tensor(data)[[[0, 1], [1, 2]]]
    np.testing.assert_array_equal(got.numpy(), expected.numpy())
    torch_message = str(torch_caught[0].message).split(" (Triggered internally")[0]
    assert str(caught[0].message) == torch_message.replace("torch.", "minitensor.")


# --- errors of reading ----------------------------------------------------------

READ_ERRORS = [
    ("int_out_of_bounds", (3,), lambda lib, x: x[5]),
    ("negative_out_of_bounds", (3,), lambda lib, x: x[-4]),
    ("second_dim_out_of_bounds", (3, 4), lambda lib, x: x[:, 7]),
    ("too_many", (3,), lambda lib, x: x[0, 0]),
    ("too_many_with_mask", (3, 4), lambda lib, x: x[1:, lib.ones(2, 3, dtype=lib.bool)]),
    ("mask_shape", (3,), lambda lib, x: x[lib.tensor([True, False])]),
    ("mask_shape_2d", (3, 4), lambda lib, x: x[lib.ones(3, 3, dtype=lib.bool)]),
    ("mask_shape_cols", (3, 4), lambda lib, x: x[:, lib.ones(3, dtype=lib.bool)]),
    ("float", (3,), lambda lib, x: x[1.5]),
    ("float_tensor", (3,), lambda lib, x: x[lib.tensor([1.0])]),
    ("float_0d_tensor", (3,), lambda lib, x: x[lib.tensor(1.5)]),
    ("int16_tensor", (3,), lambda lib, x: x[lib.tensor([1], dtype=lib.int16)]),
    ("string", (3,), lambda lib, x: x["a"]),
    ("dict", (3,), lambda lib, x: x[{}]),
    ("list_out_of_bounds", (3, 4), lambda lib, x: x[[5, 7]]),
    ("tensor_out_of_bounds", (3, 4), lambda lib, x: x[lib.tensor([0, -4])]),
    ("list_after_slice_out_of_bounds", (3, 4), lambda lib, x: x[1:, [7]]),
    ("third_list_out_of_bounds", (2, 3, 4), lambda lib, x: x[[0], [0], [-7]]),
    ("list_after_mask_out_of_bounds", (2, 3, 4), lambda lib, x: x[x.sum(-1) > -100, [9]]),
    ("0d_tensor_out_of_bounds", (3, 4), lambda lib, x: x[lib.tensor(5)]),
    ("broadcast", (3, 4), lambda lib, x: x[[0, 1], [0, 1, 2]]),
    ("negative_step", (3, 4), lambda lib, x: x[::-1]),
    ("zero_step", (3, 4), lambda lib, x: x[::0]),
    ("float_slice_bound", (3, 4), lambda lib, x: x[1.0:2]),
    ("scalar_int", (), lambda lib, x: x[0]),
    ("scalar_slice", (), lambda lib, x: x[0:1]),
    ("scalar_list", (), lambda lib, x: x[[0]]),
    ("scalar_too_many", (), lambda lib, x: x[:, None]),
]


@pytest.mark.filterwarnings("ignore:Using a non-tuple sequence")  # PyTorch, for x["a"]
@pytest.mark.parametrize(("name", "shape", "fn"), READ_ERRORS, ids=[c[0] for c in READ_ERRORS])
def test_getitem_errors_match_torch(name, shape, fn):
    data = np.zeros(shape)
    with pytest.raises(Exception) as expected:
        fn(torch, torch.tensor(data))
    with pytest.raises(Exception) as got:
        fn(mt, mt.tensor(data))
    assert got.type is expected.type
    assert str(got.value) == str(expected.value).replace("torch", "minitensor")


def test_uint8_index_is_a_mask_with_torchs_warning():
    data = np.arange(12.0).reshape(3, 4)
    mask = np.array([1, 0, 1], dtype=np.uint8)
    with pytest.warns(UserWarning, match="uint8 is now deprecated"):
        expected = torch.tensor(data)[torch.from_numpy(mask)]
    with pytest.warns(UserWarning, match="minitensor.uint8 is now deprecated"):
        got = mt.tensor(data)[mt.from_numpy(mask)]
    np.testing.assert_array_equal(got.numpy(), expected.numpy())


# --- writing: x[index] = value ----------------------------------------------------

# (id, index, value: a number, or the shape of a random value tensor)
WRITES = [
    ("int_number", 1, 5.0),
    ("int_tensor", 1, (4,)),
    ("int_0d_tensor", 1, ()),
    ("int_leading_one", 0, (1, 4)),
    ("int_broadcast_one", 2, (1,)),
    ("int_int", (0, 1), ()),
    ("slice_broadcast", slice(1, 3), (4,)),
    ("slice_same_shape", slice(0, 1), (1, 4)),
    ("slice_step_column", (slice(None, None, 2), slice(1, 2)), (2, 1)),
    ("none", None, (4,)),
    ("ellipsis_tensor", Ellipsis, (3, 4)),
    ("ellipsis_broadcast", Ellipsis, (4,)),
    ("ellipsis_number", Ellipsis, 1.5),
    ("bare_full_slice_number", slice(None), 2.0),
    ("bare_full_slice_tensor", slice(None), (3, 4)),
    ("full_slices_tensor", (slice(None), slice(None)), (4,)),
    ("list", [0, 2], (2, 4)),
    ("list_broadcast", [0, 2], (4,)),
    ("list_leading_ones", [0, 2], (1, 1, 4)),
    ("list_column", [0, 2], (2, 1)),
    ("list_repeated", [0, 0, 1, 0], (4, 4)),
    ("list_number", [2, 0], -1.0),
    ("mask_number", "mask34", 0.0),
    ("mask_values", "mask34", (6,)),
    ("mask_one_value", "mask34", (1,)),
    ("mask_rows", "mask_rows", (2, 4)),
    ("two_lists", ([0, 1], [1, 2]), (2,)),
    ("two_lists_repeated", ([0, 0], [1, 1]), (2,)),
    ("int_list", (0, [0, 1]), 1.0),
    ("int_list_tensor", (0, [0, 3]), (2,)),
    ("slice_list", (slice(1, None), [0, 1]), (2, 2)),
    ("cols", (slice(None), [0, 1]), (3, 1)),
    ("true", True, (4,)),
]
WRITE_IDS = [c[0] for c in WRITES]


def _index(lib, index):
    if index == "mask34":
        return lib.tensor(MASK_34)
    if index == "mask_rows":
        return lib.tensor(MASK_ROWS)
    return index


def _value(lib, value, name, requires_grad=False, device="cpu", dtype="float64"):
    if not isinstance(value, tuple):
        return value
    data = np.random.default_rng(len(name) + 1).standard_normal(value).astype(dtype)
    if lib is torch:
        return torch.tensor(data, requires_grad=requires_grad)
    return mt.tensor(data, requires_grad=requires_grad, device=device)


def write(lib, name, index, value, device="cpu"):
    """Write into a non-leaf y = a * 1 (a leaf), backward, return y, a, v."""
    data = np.random.default_rng(len(name)).standard_normal((3, 4))
    if lib is torch:
        a = torch.tensor(data, requires_grad=True)
    else:
        a = mt.tensor(data, requires_grad=True, device=device)
    v = _value(lib, value, name, requires_grad=True, device=device)
    y = a * 1.0
    y[_index(lib, index)] = v
    upstream = np.random.default_rng(9).standard_normal((3, 4))
    g = torch.tensor(upstream) if lib is torch else mt.tensor(upstream, device=device)
    (y * g).sum().backward()
    return y, a, v


@pytest.mark.parametrize(("name", "index", "value"), WRITES, ids=WRITE_IDS)
def test_setitem_values_match_torch(name, index, value):
    for dtype in ("float32", "float64", "int64"):
        data = np.arange(12).reshape(3, 4).astype(dtype)
        tx, mx = torch.from_numpy(data.copy()), mt.from_numpy(data.copy())
        # (an advanced index needs a value of x's dtype; a basic one converts it)
        tx[_index(torch, index)] = _value(torch, value, name, dtype=dtype)
        mx[_index(mt, index)] = _value(mt, value, name, dtype=dtype)
        assert mx.dtype.name == dtype
        np.testing.assert_array_equal(mx.numpy(), tx.numpy())
        assert mx._version == tx._version
        assert mx.grad_fn is None


@pytest.mark.parametrize(("name", "index", "value"), WRITES, ids=WRITE_IDS)
def test_setitem_gradients_and_nodes_match_torch(name, index, value):
    ty, ta, tv = write(torch, name, index, value)
    my, ma, mv = write(mt, name, index, value)
    np.testing.assert_array_equal(host(my), ty.detach().numpy())
    names = [n.name().removeprefix("torch::autograd::") if n else None for n in (ty.grad_fn,)]
    assert my.grad_fn.name() == names[0]
    assert [_name(n) for n, _ in my.grad_fn.next_functions] == [
        _name(n) for n, _ in ty.grad_fn.next_functions
    ]
    assert not my.is_leaf and my.requires_grad
    np.testing.assert_allclose(host(ma.grad), ta.grad.numpy(), rtol=1e-12)
    if isinstance(value, tuple):
        np.testing.assert_allclose(host(mv.grad), tv.grad.numpy(), rtol=1e-12)


def _name(node):
    return None if node is None else node.name().rsplit("::", 1)[-1]  # (torch::autograd::)


@pytest.mark.parametrize(("name", "index", "value"), WRITES, ids=WRITE_IDS)
def test_setitem_on_gpu_standin_matches_cpu(name, index, value, standin_gpu):
    cy, ca, cv = write(mt, name, index, value)
    gy, ga, gv = write(mt, name, index, value, device=standin_gpu)
    assert gy.device.type == "cuda"
    np.testing.assert_array_equal(host(gy), host(cy))
    np.testing.assert_allclose(host(ga.grad), host(ca.grad), rtol=1e-12)
    if isinstance(value, tuple):
        np.testing.assert_allclose(host(gv.grad), host(cv.grad), rtol=1e-12)


def test_setitem_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    a0, v0 = rng.standard_normal((3, 4)), rng.standard_normal(4)
    index = (slice(None, None, 2), slice(None))  # rows 0 and 2, v broadcast over them

    def f(a, v):
        y = a * a
        y[index] = v * 3
        return y

    a, v = mt.tensor(a0, requires_grad=True), mt.tensor(v0, requires_grad=True)
    assert gradcheck(f, (a, v), eps=EPS, atol=1e-6, rtol=1e-7)


def test_setitem_makes_a_tensor_that_needed_no_grad_part_of_the_graph():
    for lib in (torch, mt):
        x = lib.zeros(3)
        v = lib.tensor(2.0, requires_grad=True)
        x[1] = v * 3
        assert x.requires_grad and not x.is_leaf
        assert _name(x.grad_fn) == "CopySlices"
        x.sum().backward()
        assert v.grad.item() == 3.0


@pytest.mark.parametrize(
    "index", [0, slice(1, 3), None, [0], Ellipsis, slice(None), (slice(None), [1])]
)
def test_setitem_on_a_leaf_that_requires_grad_is_torchs_error(index):
    with pytest.raises(RuntimeError) as expected:
        torch.zeros(3, 2, requires_grad=True)[index] = 1.0
    with pytest.raises(RuntimeError) as got:
        mt.zeros(3, 2, requires_grad=True)[index] = 1.0
    assert str(got.value) == str(expected.value)


def test_setitem_on_a_leaf_under_no_grad_is_allowed():
    x = mt.zeros(3, requires_grad=True)
    with mt.no_grad():
        x[1] = 4.0
    np.testing.assert_array_equal(x.detach().numpy(), [0.0, 4.0, 0.0])
    assert x.is_leaf and x.grad_fn is None and x._version == 1


def test_setitem_writes_through_views_and_bumps_the_shared_version():
    base = mt.zeros(3, 4)
    row = base[1]
    col = base[:, 2]
    row[0] = 5.0
    base[[2], 2] = 7.0
    np.testing.assert_array_equal(base.numpy()[1], [5.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(col.numpy(), [0.0, 0.0, 7.0])
    assert base._version == row._version == col._version == 2


def test_setitem_after_save_for_backward_is_torchs_error():
    messages = []
    for lib in (torch, mt):
        a = lib.ones(3, requires_grad=True)
        y = a * 1
        z = y * y  # saves y
        y[[0]] = 2.0
        with pytest.raises(RuntimeError) as caught:
            z.sum().backward()
        messages.append(str(caught.value))
    assert messages[1] == messages[0].replace("torch", "minitensor")


def test_setitem_repeated_indices_keep_the_last_value_as_torch():
    for device in ("cpu", "cuda"):
        with gpu() if device == "cuda" else contextlib.nullcontext():
            x = mt.zeros(4, device=device)
            x[[1, 3, 1, 1]] = mt.tensor([1.0, 2.0, 3.0, 4.0], device=x.device)
            expected = torch.zeros(4)
            expected[[1, 3, 1, 1]] = torch.tensor([1.0, 2.0, 3.0, 4.0])
            np.testing.assert_array_equal(host(x), expected.numpy())


def test_setitem_into_bool_tensor():
    t, m = torch.zeros(2, 3, dtype=torch.bool), mt.zeros(2, 3, dtype=mt.bool)
    for x in (t, m):
        x[0] = 1.5
        x[[1, 1], [0, 2]] = True
    np.testing.assert_array_equal(m.numpy(), t.numpy())


SET_ERRORS = [
    ("basic_shape", 0, lambda lib: lib.ones(3)),
    ("basic_more_dims", 0, lambda lib: lib.ones(2, 4)),
    ("slice_shape", slice(None), lambda lib: lib.ones(2, 4)),
    ("advanced_shape", [0], lambda lib: lib.ones(2, 4)),
    ("advanced_mismatch", [0, 1], lambda lib: lib.ones(3, 4)),
    ("mask_values", "mask_rows", lambda lib: lib.ones(3)),
    ("string", 0, lambda lib: "a"),
    ("list", 0, lambda lib: [1, 2]),
    ("none", 0, lambda lib: None),
    ("out_of_bounds", 5, lambda lib: 1.0),
    ("list_out_of_bounds", [5], lambda lib: 1.0),
    ("advanced_dtype", [0], lambda lib: lib.ones(4, dtype=lib.float64)),
    ("mixed_dtype", (0, [1]), lambda lib: lib.ones(1, dtype=lib.int32)),
]


@pytest.mark.parametrize(("name", "index", "value"), SET_ERRORS, ids=[c[0] for c in SET_ERRORS])
def test_setitem_errors_match_torch(name, index, value):
    def run(lib):
        x = lib.zeros(3, 4)
        x[_index(lib, index)] = value(lib)

    with pytest.raises(Exception) as expected:
        run(torch)
    with pytest.raises(Exception) as got:
        run(mt)
    assert got.type is expected.type
    assert str(got.value) == str(expected.value).replace("torch", "minitensor")


def test_setitem_into_an_expanded_tensor_is_refused():
    # PyTorch writes through the shared memory silently here; minitensor refuses
    # (NumPy cannot write into broadcast memory) with PyTorch's message for this case.
    x = mt.zeros(3).expand(2, 3)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        x[0] = 1.0


def test_indexing_warnings_do_not_leak():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = mt.arange(12.0).reshape(3, 4)
        x[[0, 1]], x[0, [1]], x[x > 3], x[(0, 1)]


def test_setitem_with_a_bare_false_writes_nothing():
    for lib in (torch, mt):
        x = lib.zeros(2, 3)
        x[False] = lib.ones(3)
        assert x._version == 0 and not x.any()
