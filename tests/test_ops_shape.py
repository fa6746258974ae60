"""Shape operations against PyTorch (the oracle) and finite differences (gradcheck).

Every case runs the same function on ``torch`` and on ``minitensor`` with the
same float64 inputs, then compares values, dtypes, ``grad_fn`` names and the
gradients for a random upstream gradient. The same cases run on the GPU
stand-in and must give the CPU's numbers.
"""

import warnings

import numpy as np
import pytest
import torch

import minitensor as mt
from minitensor.autograd import gradcheck
from minitensor.ops import shape as shape_ops
from tests.oracle import gpu


def _outputs(result):
    return tuple(result) if isinstance(result, (tuple, list)) else (result,)


def _grad_fn_name(t):
    return None if t.grad_fn is None else t.grad_fn.name().removeprefix("torch::autograd::")


def _inputs(shapes, seed):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s) for s in shapes], rng


def run_mt(fn, arrays, rng_seed, device="cpu"):
    """Values and input gradients of ``fn`` in minitensor, for a random upstream gradient."""
    inputs = [mt.tensor(a, requires_grad=True, device=device) for a in arrays]
    outs = _outputs(fn(mt, *inputs))
    rng = np.random.default_rng(rng_seed)
    upstream = [rng.standard_normal(tuple(o.shape)) for o in outs]
    loss = sum((o * mt.tensor(g, device=device)).sum() for o, g in zip(outs, upstream))
    loss.backward()
    return outs, [t.grad for t in inputs]


def run_torch(fn, arrays, rng_seed):
    inputs = [torch.tensor(a, requires_grad=True) for a in arrays]
    outs = _outputs(fn(torch, *inputs))
    rng = np.random.default_rng(rng_seed)
    upstream = [rng.standard_normal(tuple(o.shape)) for o in outs]
    loss = sum((o * torch.tensor(g)).sum() for o, g in zip(outs, upstream))
    loss.backward()
    return outs, [t.grad for t in inputs]


def host(t):
    return t.detach().cpu().numpy()


# (id, function of (library, *inputs), input shapes)
CASES = [
    ("view", lambda lib, a: a.view(4, 3), [(3, 4)]),
    ("view_tuple_infer", lambda lib, a: a.view((2, -1)), [(3, 4)]),
    ("view_0d", lambda lib, a: a.view(1, 1), [()]),
    ("view_of_transposed", lambda lib, a: a.t().view(2, 2, 3), [(3, 4)]),
    ("view_split_last_dim", lambda lib, a: a.transpose(0, 1).view(3, 2, 2, 2), [(2, 3, 4)]),
    ("view_as", lambda lib, a, b: a.view_as(b), [(3, 4), (6, 2)]),
    ("reshape_view", lambda lib, a: a.reshape(2, 6), [(3, 4)]),
    ("reshape_same", lambda lib, a: a.reshape(3, 4), [(3, 4)]),
    ("reshape_copy", lambda lib, a: a.t().reshape(-1), [(3, 4)]),
    ("reshape_alias", lambda lib, a: a.t().reshape(4, 3), [(3, 4)]),
    ("reshape_function", lambda lib, a: lib.reshape(a, (12,)), [(3, 4)]),
    ("flatten", lambda lib, a: a.flatten(), [(2, 3, 4)]),
    ("flatten_middle", lambda lib, a: a.flatten(1), [(2, 3, 4)]),
    ("flatten_range", lambda lib, a: a.flatten(0, 1), [(2, 3, 4)]),
    ("flatten_0d", lambda lib, a: a.flatten(), [()]),
    ("flatten_noncontiguous", lambda lib, a: a.t().flatten(), [(3, 4)]),
    ("flatten_function", lambda lib, a: lib.flatten(a, -2), [(2, 3, 4)]),
    ("transpose", lambda lib, a: a.transpose(0, 2), [(2, 3, 4)]),
    ("transpose_negative", lambda lib, a: a.transpose(-1, 0), [(3, 4)]),
    ("transpose_same_dim", lambda lib, a: a.transpose(1, 1), [(3, 4)]),
    ("transpose_1d", lambda lib, a: a.transpose(0, 0), [(4,)]),
    ("transpose_0d", lambda lib, a: a.transpose(0, -1), [()]),
    ("permute", lambda lib, a: a.permute(2, 0, 1), [(2, 3, 4)]),
    ("permute_tuple", lambda lib, a: a.permute((1, 0, 2)), [(2, 3, 4)]),
    ("permute_negative", lambda lib, a: lib.permute(a, (-1, 0)), [(3, 4)]),
    ("t", lambda lib, a: a.t(), [(3, 4)]),
    ("t_1d", lambda lib, a: a.t(), [(4,)]),
    ("t_0d", lambda lib, a: lib.t(a), [()]),
    ("T", lambda lib, a: a.T, [(3, 4)]),
    ("mT", lambda lib, a: a.mT, [(2, 3, 4)]),
    ("mT_2d", lambda lib, a: a.mT, [(3, 4)]),
    ("unsqueeze", lambda lib, a: a.unsqueeze(1), [(3, 4)]),
    ("unsqueeze_end", lambda lib, a: a.unsqueeze(-1), [(3, 4)]),
    ("unsqueeze_0d", lambda lib, a: lib.unsqueeze(a, 0), [()]),
    ("squeeze_all", lambda lib, a: a.squeeze(), [(1, 3, 1, 4)]),
    ("squeeze_dim", lambda lib, a: a.squeeze(2), [(1, 3, 1, 4)]),
    ("squeeze_dim_not_one", lambda lib, a: a.squeeze(1), [(1, 3, 1, 4)]),
    ("squeeze_dims", lambda lib, a: a.squeeze((0, 1, 2)), [(1, 3, 1, 4)]),
    ("squeeze_negative", lambda lib, a: lib.squeeze(a, -2), [(1, 3, 1, 4)]),
    ("squeeze_0d", lambda lib, a: a.squeeze(), [()]),
    ("unsqueeze_squeeze", lambda lib, a: a.unsqueeze(0).squeeze(), [(3, 4)]),
    ("expand", lambda lib, a: a.expand(3, 4), [(3, 1)]),
    ("expand_new_dims", lambda lib, a: a.expand(2, 3, 4), [(4,)]),
    ("expand_minus_one", lambda lib, a: a.expand(2, -1, 5), [(3, 1)]),
    ("expand_tuple", lambda lib, a: a.expand((2, 3)), [(1, 3)]),
    ("expand_0d", lambda lib, a: a.expand(3), [()]),
    ("expand_as", lambda lib, a, b: a.expand_as(b), [(1, 4), (3, 4)]),
    ("repeat", lambda lib, a: a.repeat(2, 1), [(2, 3)]),
    ("repeat_more_dims", lambda lib, a: a.repeat(2, 1, 3), [(2, 3)]),
    ("repeat_tuple", lambda lib, a: a.repeat((2, 2)), [(2, 3)]),
    ("repeat_zero", lambda lib, a: a.repeat(0, 1), [(2, 3)]),
    ("repeat_ones", lambda lib, a: a.repeat(1, 1), [(2, 3)]),
    ("repeat_0d", lambda lib, a: a.repeat(3), [()]),
    ("cat", lambda lib, a, b: lib.cat([a, b]), [(2, 3), (4, 3)]),
    ("cat_dim1", lambda lib, a, b: lib.cat((a, b), dim=1), [(2, 3), (2, 1)]),
    ("cat_negative_dim", lambda lib, a, b, c: lib.cat([a, b, c], -1), [(2, 1), (2, 2), (2, 3)]),
    ("cat_one", lambda lib, a: lib.cat([a]), [(2, 3)]),
    ("cat_same_twice", lambda lib, a: lib.cat([a, a], 0), [(2, 3)]),
    ("cat_legacy_empty", lambda lib, a, b: lib.cat([a, b]), [(2, 3), (0,)]),
    ("cat_legacy_empty_dim1", lambda lib, a, b: lib.cat([b, a], 1), [(2, 3), (0,)]),
    ("cat_empty_dim", lambda lib, a, b: lib.cat([a, b], 1), [(2, 3), (2, 0)]),
    ("stack", lambda lib, a, b: lib.stack([a, b]), [(2, 3), (2, 3)]),
    ("stack_last", lambda lib, a, b: lib.stack((a, b), 2), [(2, 3), (2, 3)]),
    ("stack_negative", lambda lib, a, b: lib.stack([a, b], dim=-2), [(2, 3), (2, 3)]),
    ("stack_0d", lambda lib, a, b: lib.stack([a, b]), [(), ()]),
    ("stack_one", lambda lib, a: lib.stack([a]), [(3,)]),
    ("split", lambda lib, a: a.split(2), [(5, 4)]),
    ("split_sizes", lambda lib, a: a.split([1, 4]), [(5, 4)]),
    ("split_dim1", lambda lib, a: a.split(3, 1), [(5, 4)]),
    ("split_bigger_than_size", lambda lib, a: a.split(10), [(5, 4)]),
    ("split_function", lambda lib, a: lib.split(a, [2, 2], dim=1), [(5, 4)]),
    ("split_zero_size_piece", lambda lib, a: a.split([0, 5]), [(5, 4)]),
    ("chunk", lambda lib, a: a.chunk(2), [(5, 4)]),
    ("chunk_three", lambda lib, a: a.chunk(3), [(5, 4)]),
    ("chunk_more_than_size", lambda lib, a: a.chunk(6), [(5, 4)]),
    ("chunk_fewer_pieces", lambda lib, a: a.chunk(4), [(5, 4)]),
    ("chunk_dim1", lambda lib, a: lib.chunk(a, 2, 1), [(5, 4)]),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize(("name", "fn", "shapes"), CASES, ids=IDS)
def test_shape_op_matches_torch(name, fn, shapes):
    arrays, _ = _inputs(shapes, seed=len(name))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # .T on a non-matrix warns in both
        m_outs, m_grads = run_mt(fn, arrays, rng_seed=1)
        t_outs, t_grads = run_torch(fn, arrays, rng_seed=1)
    assert len(m_outs) == len(t_outs)
    for m, t in zip(m_outs, t_outs):
        assert tuple(m.shape) == tuple(t.shape)
        assert m.dtype.name == str(t.dtype).removeprefix("torch.")
        np.testing.assert_array_equal(host(m), t.detach().numpy())
        assert _grad_fn_name(m) == _grad_fn_name(t)
    for m, t in zip(m_grads, t_grads):
        assert (m is None) == (t is None)  # an input used only for its shape gets none
        if t is not None:
            np.testing.assert_allclose(host(m), t.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("name", "fn", "shapes"), CASES, ids=IDS)
def test_shape_op_gradient_matches_finite_differences(name, fn, shapes):
    # The whole Jacobian of every output against central differences. Shape ops
    # only move numbers, so the differences are exact up to rounding: tight tolerances.
    arrays, _ = _inputs(shapes, seed=len(name) + 7)
    inputs = [mt.tensor(a, requires_grad=True) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # .T on a non-matrix warns
        assert gradcheck(lambda *xs: fn(mt, *xs), inputs, atol=1e-7, rtol=1e-7)


@pytest.fixture
def standin_gpu():
    """ "cuda": the stand-in, or the real GPU under make test-gpu (see tests/oracle.py)."""
    with gpu():
        yield "cuda"


@pytest.mark.parametrize(("name", "fn", "shapes"), CASES, ids=IDS)
def test_shape_op_on_gpu_standin_matches_cpu(name, fn, shapes, standin_gpu):
    arrays, _ = _inputs(shapes, seed=len(name))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cpu_outs, cpu_grads = run_mt(fn, arrays, rng_seed=1)
        gpu_outs, gpu_grads = run_mt(fn, arrays, rng_seed=1, device=standin_gpu)
    for c, g in zip(cpu_outs + tuple(cpu_grads), gpu_outs + tuple(gpu_grads)):
        if c is None:
            assert g is None
            continue
        assert g.device.type == "cuda"
        np.testing.assert_allclose(host(g), host(c), rtol=1e-12, atol=1e-12)


# --- dtypes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("dtypes", "op"),
    [
        (("float32", "int64"), "cat"),
        (("int64", "bool"), "cat"),
        (("float32", "float64"), "cat"),
        (("int32", "int64"), "cat"),
        (("uint8", "int8"), "cat"),
        (("float16", "int64"), "stack"),
        (("bool", "bool"), "stack"),
        (("int32", "float32"), "stack"),
    ],
)
def test_cat_and_stack_promote_dtypes_as_torch(dtypes, op):
    arrays = [np.arange(6).reshape(2, 3).astype(d) for d in dtypes]
    expected = getattr(torch, op)([torch.from_numpy(a) for a in arrays])
    got = getattr(mt, op)([mt.from_numpy(a) for a in arrays])
    assert got.dtype.name == str(expected.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(got.numpy(), expected.numpy())


def test_cat_gradient_comes_back_in_each_inputs_dtype():
    a = mt.ones(2, 2, dtype=mt.float32, requires_grad=True)
    b = mt.ones(1, 2, dtype=mt.float64, requires_grad=True)
    out = mt.cat([a, b])
    assert out.dtype == mt.float64
    out.sum().backward()
    assert a.grad.dtype == mt.float32 and b.grad.dtype == mt.float64


def test_shape_ops_keep_integer_dtypes():
    x = mt.arange(6).reshape(2, 3)
    for y in (x.t(), x.repeat(2, 1), x.unsqueeze(0), x.expand(2, 2, 3), x.split(1)[0]):
        assert y.dtype == mt.int64 and y.grad_fn is None


# --- views: memory and version counter ----------------------------------------

SHARING = [
    ("view", lambda lib, a: a.view(4, 3)),
    ("reshape_view", lambda lib, a: a.reshape(12)),
    ("reshape_alias", lambda lib, a: a.t().reshape(4, 3)),
    ("reshape_copy", lambda lib, a: a.t().reshape(12)),
    ("flatten", lambda lib, a: a.flatten()),
    ("flatten_noncontiguous", lambda lib, a: a.t().flatten()),
    ("transpose", lambda lib, a: a.transpose(0, 1)),
    ("permute", lambda lib, a: a.permute(1, 0)),
    ("t", lambda lib, a: a.t()),
    ("T", lambda lib, a: a.T),
    ("unsqueeze", lambda lib, a: a.unsqueeze(0)),
    ("squeeze", lambda lib, a: a.unsqueeze(1).squeeze(1)),
    ("expand", lambda lib, a: a.unsqueeze(0).expand(2, 3, 4)),
    ("repeat", lambda lib, a: a.repeat(1, 1)),
    ("cat", lambda lib, a: lib.cat([a])),
    ("stack", lambda lib, a: lib.stack([a])),
    ("split", lambda lib, a: a.split(2)[1]),
    ("split_sizes", lambda lib, a: a.split([1, 2])[1]),
    ("chunk", lambda lib, a: a.chunk(2, 1)[1]),
]


@pytest.mark.parametrize(("name", "fn"), SHARING, ids=[c[0] for c in SHARING])
def test_views_share_memory_and_version_where_torch_does(name, fn):
    t_base = torch.arange(12.0).reshape(3, 4)
    t_out = fn(torch, t_base)
    torch_shares = t_out.untyped_storage().data_ptr() == t_base.untyped_storage().data_ptr()

    base = mt.arange(12.0).reshape(3, 4)
    out = fn(mt, base)
    assert np.shares_memory(out._array, base._array) == torch_shares
    assert (out._version_counter is base._version_counter) == torch_shares
    assert (out._base is not None) == t_out._is_view()

    # A write into the base shows through a view (and bumps its version), not in a copy.
    before = out.numpy().copy()
    base.add_(100.0)
    t_base.add_(100.0)
    np.testing.assert_array_equal(out.numpy(), t_out.numpy())
    assert (out.numpy() != before).any() == torch_shares
    assert out._version == t_out._version


def test_view_of_view_points_to_the_first_base():
    x = mt.zeros(2, 3)
    y = x.view(3, 2).t()
    assert y._base is x and y._version_counter is x._version_counter


def test_reshape_is_a_view_exactly_when_torch_can_view():
    cases = [lambda a: a.t(), lambda a: a[:, ::2], lambda a: a.unsqueeze(1).expand(3, 2, 4)]
    shapes = [(12,), (2, 6), (6, 2), (4, 3), (3, 2, 2)]
    for prepare in cases:
        t_src = prepare(torch.arange(12.0).reshape(3, 4))
        m_src = prepare(mt.arange(12.0).reshape(3, 4))
        for shape in shapes:
            if t_src.numel() != int(np.prod(shape)):
                continue
            try:
                t_src.view(shape)
                torch_views = True
            except RuntimeError:
                torch_views = False
            assert shape_ops._can_view(m_src, shape) == torch_views, (shape, t_src.shape)
            out = m_src.reshape(shape)
            assert np.shares_memory(out._array, m_src._array) == torch_views
            np.testing.assert_array_equal(out.numpy(), t_src.reshape(shape).numpy())


def test_flatten_of_1d_returns_the_tensor_itself():
    x = mt.ones(4, requires_grad=True)
    assert x.flatten() is x
    m = mt.ones(3, 4)
    assert m.flatten(1, 1) is m and m.flatten(-1, 1) is m


def test_transpose_of_non_matrix_warns_as_torch():
    previous = torch.is_warn_always_enabled()
    torch.set_warn_always(True)  # PyTorch warns once per process unless told otherwise
    try:
        for shape in [(3,), (), (2, 3, 4)]:
            with warnings.catch_warnings(record=True) as torch_caught:
                warnings.simplefilter("always")
                _ = torch.zeros(shape).T
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                _ = mt.zeros(*shape).T
            # (PyTorch adds where in its C++ sources it warned.)
            expected = [str(w.message).split(" (Triggered internally")[0] for w in torch_caught]
            assert len(expected) == 1
            assert [str(w.message) for w in caught] == [expected[0].replace("torch", "minitensor")]
            assert [w.category for w in caught] == [UserWarning]
    finally:
        torch.set_warn_always(previous)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _ = mt.zeros(2, 3).T  # a matrix: no warning


def test_split_pieces_are_views_that_take_gradients_separately():
    x = mt.tensor(np.arange(10.0).reshape(5, 2), requires_grad=True)
    a, b = x.split([2, 3])
    (a.sum() * 2 + b.sum() * 3).backward()
    np.testing.assert_array_equal(x.grad.numpy()[:, 0], [2, 2, 3, 3, 3])
    assert a._base is x and b._base is x


def test_double_backward_through_shape_ops():
    # create_graph works because the backwards are tensor operations.
    def f(lib, x):
        y = lib.cat([x.t().reshape(-1), x.repeat(2, 1).flatten()])
        return (lib.stack([y, y * y]) ** 2).sum()

    x_np = np.random.default_rng(0).standard_normal((2, 3))
    xs = [mt.tensor(x_np, requires_grad=True), torch.tensor(x_np, requires_grad=True)]
    results = []
    for lib, x in zip((mt, torch), xs):
        (g,) = lib.autograd.grad(f(lib, x), x, create_graph=True)
        g.sum().backward()
        results.append((host(g) if lib is mt else g.detach().numpy(), host(x.grad)))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-12)


# --- errors -------------------------------------------------------------------

ERRORS = [
    ("view_noncontiguous", lambda lib: lib.zeros(3, 4).t().view(12)),
    ("view_bad_size", lambda lib: lib.zeros(3, 4).view(5, -1)),
    ("view_two_inferred", lambda lib: lib.zeros(3, 4).view(-1, -1)),
    ("view_negative", lambda lib: lib.zeros(3, 4).view(-2, 6)),
    ("view_zero_ambiguous", lambda lib: lib.zeros(0, 3).view(-1, 0)),
    ("reshape_bad", lambda lib: lib.zeros(2, 3).reshape(4, -1)),
    ("reshape_zero_ambiguous", lambda lib: lib.zeros(0, 3).reshape(0, -1)),
    ("reshape_nothing", lambda lib: lib.zeros(2, 3).reshape()),
    ("flatten_order", lambda lib: lib.zeros(2, 3).flatten(1, 0)),
    ("flatten_dim", lambda lib: lib.zeros(2, 3).flatten(2)),
    ("transpose_dim", lambda lib: lib.zeros(2, 3).transpose(0, 2)),
    ("permute_length", lambda lib: lib.zeros(2, 3).permute(0)),
    ("permute_duplicate", lambda lib: lib.zeros(2, 3).permute(0, 0)),
    ("permute_dim", lambda lib: lib.zeros(2, 3).permute(0, 5)),
    ("t_3d", lambda lib: lib.zeros(2, 3, 4).t()),
    ("unsqueeze_dim", lambda lib: lib.zeros(2, 3).unsqueeze(3)),
    ("unsqueeze_dim_0d", lambda lib: lib.zeros(()).unsqueeze(1)),
    ("squeeze_dim", lambda lib: lib.zeros(2, 3).squeeze(2)),
    ("expand_fewer", lambda lib: lib.zeros(2, 3).expand(3)),
    ("expand_mismatch", lambda lib: lib.zeros(4).expand(3)),
    ("expand_mismatch_2d", lambda lib: lib.zeros(2, 3).expand(2, 4)),
    ("expand_leading_minus_one", lambda lib: lib.zeros(4).expand(-1, 4)),
    ("repeat_fewer", lambda lib: lib.zeros(2, 3).repeat(2)),
    ("repeat_negative", lambda lib: lib.zeros(2, 3).repeat(-1, 1)),
    ("repeat_nothing", lambda lib: lib.zeros(2, 3).repeat()),
    ("cat_empty", lambda lib: lib.cat([])),
    ("cat_0d", lambda lib: lib.cat([lib.zeros(2), lib.zeros(())])),
    ("cat_ndim", lambda lib: lib.cat([lib.zeros(2, 3), lib.zeros(2, 3, 1)])),
    ("cat_sizes", lambda lib: lib.cat([lib.zeros(2, 3), lib.zeros(4, 3)], 1)),
    ("cat_sizes_dim0", lambda lib: lib.cat([lib.zeros(2, 2), lib.zeros(3, 3)])),
    ("cat_tensor", lambda lib: lib.cat(lib.zeros(2, 3))),
    ("cat_not_tensor", lambda lib: lib.cat([lib.zeros(2), 1])),
    ("cat_dim", lambda lib: lib.cat([lib.zeros(2, 3)], dim=2)),
    ("stack_empty", lambda lib: lib.stack([])),
    ("stack_unequal", lambda lib: lib.stack([lib.zeros(2, 3), lib.zeros(4, 3)])),
    ("stack_dim", lambda lib: lib.stack([lib.zeros(2, 3)], 3)),
    ("split_sum", lambda lib: lib.zeros(5, 4).split([1, 3])),
    ("split_negative_entry", lambda lib: lib.zeros(5, 4).split([-1, 6])),
    ("split_zero", lambda lib: lib.zeros(5, 4).split(0)),
    ("split_negative", lambda lib: lib.zeros(5, 4).split(-1)),
    ("split_0d", lambda lib: lib.zeros(()).split(1)),
    ("split_dim", lambda lib: lib.zeros(5, 4).split(2, 2)),
    ("chunk_zero", lambda lib: lib.zeros(5, 4).chunk(0)),
    ("chunk_0d", lambda lib: lib.zeros(()).chunk(1)),
]


@pytest.mark.parametrize(("name", "fn"), ERRORS, ids=[c[0] for c in ERRORS])
def test_errors_match_torch(name, fn):
    with pytest.raises(Exception) as expected:
        fn(torch)
    with pytest.raises(Exception) as got:
        fn(mt)
    assert got.type is expected.type
    assert str(got.value) == str(expected.value).replace("torch", "minitensor")


def test_mT_of_a_vector_is_torchs_error():
    with pytest.raises(RuntimeError) as expected:
        _ = torch.zeros(3).mT
    with pytest.raises(RuntimeError) as got:
        shape_ops.matrix_transpose(mt.zeros(3))
    assert str(got.value) == str(expected.value)


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib: lib.zeros(3, 4).view(2.0, 6),
        lambda lib: lib.zeros(3, 4).reshape((2.0, 6)),
        lambda lib: lib.zeros(3, 4).expand(2.5, 3, 4),
        lambda lib: lib.zeros(3, 4).repeat(2.0, 1),
        lambda lib: lib.zeros(3, 4).transpose(0.0, 1),
    ],
)
def test_non_integer_sizes_are_a_type_error(fn):
    # PyTorch's argument parser words these differently for each function; the type matches.
    with pytest.raises(TypeError):
        fn(torch)
    with pytest.raises(TypeError):
        fn(mt)


def test_integer_like_sizes_are_accepted():
    x = mt.zeros(3, 4)
    assert x.view(np.int64(4), mt.tensor(3)).shape == (4, 3)
