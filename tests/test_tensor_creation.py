"""Making tensors, against PyTorch: every factory, dtype inference, bad input."""

import warnings

import numpy as np
import pytest
import torch

import minitensor as mt
from tests.oracle import assert_same_error, dtype_name, host

# Each case is evaluated with L = torch and L = minitensor; the results must agree
# in value, dtype and shape, or raise the same error.
DATA_CASES = [
    "L.tensor([1, 2])",
    "L.tensor([1.0])",
    "L.tensor(3)",
    "L.tensor(2.5)",
    "L.tensor(True)",
    "L.tensor([True, False])",
    "L.tensor([True, 2])",
    "L.tensor([1, 2.5])",
    "L.tensor([])",
    "L.tensor([[]])",
    "L.tensor([[1, 2], [3, 4]])",
    "L.tensor(((1, 2), [3, 4]))",
    "L.tensor(range(3))",
    "L.tensor([[[1., 2], [3, 4]], [[5, 6], [7, 8]]])",
    "L.tensor(np.float64(2.0))",
    "L.tensor(np.int32(2))",
    "L.tensor([np.float64(2.0)])",
    "L.tensor([np.float32(1), 2.0])",
    "L.tensor([np.int32(1), 2])",
    "L.tensor(np.bool_(True))",
    "L.tensor([np.float32(1), np.float64(2)])",
    "L.tensor([np.int8(1), np.uint8(2)])",
    "L.tensor([np.float16(1), 2])",
    "L.tensor(np.array(2.0))",
    "L.tensor(np.array([1, 2]))",
    "L.tensor(np.array([1, 2], dtype=np.int16))",
    "L.tensor([L.tensor(1.), L.tensor(2.)])",
    "L.tensor([[L.tensor(1.), 2], [3, 4]])",
    "L.tensor([L.tensor(1, dtype=L.int32), 2])",
    "L.tensor([float('nan'), float('inf')])",
    "L.tensor(3.7, dtype=L.int32)",
    "L.tensor([1, 2], dtype=float)",
    "L.tensor([1, 2], dtype=int)",
    "L.tensor([0, 2], dtype=bool)",
    "L.tensor([1, 2], dtype=L.float16)",
    "L.tensor(-1, dtype=L.uint8)",
    "L.tensor(-2**63)",
    "L.tensor(2**63, dtype=L.float32)",
    "L.tensor(1e300, dtype=L.float32)",
    "L.as_tensor([1, 2])",
    "L.as_tensor([1, 2], dtype=L.float64)",
    "L.Tensor([1, 2])",
    "L.Tensor([[1, 2], [3, 4]])",
    "L.Tensor(np.array([1, 2]))",
    "L.Tensor([True])",
    "L.Tensor(L.tensor([1, 2]))",
    "L.Tensor()",
    "L.Tensor(2, 3).zero_()",
    "L.Tensor((2, 3)) * 0",
    "L.Tensor([])",
    "L.FloatTensor([1, 2])",
    "L.FloatTensor(2).zero_()",  # (PyTorch leaves the memory uninitialised: nan * 0 is nan)
    "L.DoubleTensor([1, 2])",
    "L.DoubleTensor(2, 2).zero_()",
    "L.LongTensor([1.5, 2])",
    "L.IntTensor([1, 2])",
    "L.BoolTensor([1, 0])",
]
FACTORY_CASES = [
    "L.zeros(2, 3)",
    "L.zeros((2, 3))",
    "L.zeros([2, 3])",
    "L.zeros(2, dtype=L.int32)",
    "L.zeros(())",
    "L.zeros(0)",
    "L.ones(2, 3)",
    "L.ones(2, dtype=L.bool)",
    "L.ones(2, dtype=L.float64)",
    "L.empty(2, 3).zero_()",
    "L.full((2,), 3)",
    "L.full((2,), 3.0)",
    "L.full((2,), True)",
    "L.full((2, 2), 7, dtype=L.float32)",
    "L.full((), 1.5)",
    "L.arange(5)",
    "L.arange(5.0)",
    "L.arange(1, 2.5, 0.5)",
    "L.arange(0, 1, 0.1)",
    "L.arange(10, 0, -3)",
    "L.arange(0, 10, 3, dtype=L.float32)",
    "L.arange(np.int64(3))",
    "L.linspace(0, 1, 5)",
    "L.linspace(-1, 1, 4, dtype=L.float64)",
    "L.linspace(0, 10, 3, dtype=L.int64)",
    "L.linspace(0, 1, 1)",
    "L.linspace(0, 1, 0)",
    "L.eye(3)",
    "L.eye(2, 3, dtype=L.int64)",
    "L.eye(0)",
    "L.zeros_like(L.tensor([1, 2]))",
    "L.ones_like(L.tensor([1., 2.]), dtype=L.float64)",
    "L.full_like(L.tensor([1, 2]), 2.7)",
    "L.full_like(L.tensor([1., 2.]), 2)",
    "L.empty_like(L.tensor([1, 2])).zero_()",
    "L.zeros_like(L.tensor(1.5))",
]
BAD_CASES = [
    "L.tensor([[1, 2], [3]])",
    "L.tensor([[1], [3, 4]])",
    "L.tensor([[[1, 2]], [[3]]])",
    "L.tensor([1, [2]])",
    "L.tensor([1.0, [2.0]])",
    "L.tensor([True, [1]])",
    "L.tensor([[1, 2], 3])",
    "L.tensor('abc')",
    "L.tensor(['a'])",
    "L.tensor([1, 'a'])",
    "L.tensor([[1, 2], [3, 'a']])",
    "L.tensor(b'ab')",
    "L.tensor(None)",
    "L.tensor([None])",
    "L.tensor([1, None])",
    "L.tensor({'a': 1})",
    "L.tensor({1, 2})",
    "L.tensor(object())",
    "L.tensor(np.array(['a']))",
    "L.tensor(np.array([1, 'a'], dtype=object))",
    "L.tensor([float('nan')], dtype=L.int64)",
    "L.tensor(float('inf'), dtype=L.int32)",
    "L.tensor(2**63)",
    "L.tensor([1, 2**63])",
    "L.tensor(300, dtype=L.uint8)",
    "L.tensor([1, 300], dtype=L.int8)",
    "L.tensor([1, 2], dtype='float32')",
    "L.tensor([1, 2], dtype=np.float32)",
    "L.tensor([L.tensor([1., 2.]), L.tensor([3., 4.])])",
    "L.tensor([L.tensor([1, 2]), L.tensor([3, 4])])",
    "L.tensor([1, 2], requires_grad=True)",
    "L.zeros(2, dtype=L.int64, requires_grad=True)",
    "L.from_numpy([1, 2])",
    "L.from_numpy(np.array(['a']))",
    "L.from_numpy(np.array([1, 'a'], dtype=object))",
    "L.zeros(-1)",
    "L.zeros(2, -1)",
    "L.ones(-1)",
    "L.randn(-1)",
    "L.rand(-2)",
    "L.empty(-1)",
    "L.full((-1,), 2)",
    "L.zeros(2.5)",
    "L.zeros(2, 2.5)",
    "L.zeros((2, 2.5))",
    "L.ones(2.5)",
    "L.randn(2, 'a')",
    "L.zeros(True)",
    "L.zeros([2, None])",
    "L.full(2, 3)",
    "L.full((2,), 'a')",
    "L.arange(0, 5, -1)",
    "L.arange(5, 0)",
    "L.arange(0, 5, 0)",
    "L.linspace(0, 1, -1)",
    "L.eye(-1)",
    "L.randint(5, 2, (3,))",
    "L.Tensor([[1], [2, 3]])",
    "L.Tensor('a')",
    "L.Tensor(2.5)",
    "L.Tensor(-1)",
    "L.FloatTensor(-1)",
    "L.LongTensor('a')",
    "L.FloatTensor(2.5)",
    "L.zeros(2, device='cuda:x')",
    "L.tensor([1, 2]).item()",
    "len(L.tensor(1))",
    "L.ones(2, 3).size(2)",
]


def _evaluate(code, lib):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tensor(tensor) warns: tested separately
        try:
            return eval(code, {"L": lib, "np": np})
        except Exception as error:
            return error


@pytest.mark.parametrize("code", DATA_CASES + FACTORY_CASES + BAD_CASES)
def test_matches_torch(code):
    ours, theirs = _evaluate(code, mt), _evaluate(code, torch)
    if isinstance(theirs, Exception) or isinstance(ours, Exception):
        assert_same_error(ours, theirs)
        return
    if not isinstance(theirs, torch.Tensor):
        assert ours == theirs
        return
    assert dtype_name(ours.dtype) == dtype_name(theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(host(ours).astype(float), host(theirs).astype(float), rtol=1e-6)
    assert ours.requires_grad == theirs.requires_grad and ours.is_leaf


@pytest.mark.parametrize("factory", ["zeros", "ones", "empty", "rand", "randn"])
def test_float_factories_options(factory):
    make = getattr(mt, factory)
    t = make(2, 3, dtype=mt.float64, requires_grad=True)
    assert (t.shape, t.dtype, t.requires_grad, t.is_leaf) == ((2, 3), mt.float64, True, True)
    assert make(4).dtype == mt.float32 and make(4).device == mt.device("cpu")


def test_random_factories_are_seeded():
    mt.manual_seed(3)
    first = (mt.rand(3).tolist(), mt.randn(3).tolist(), mt.randint(0, 10, (3,)).tolist())
    mt.manual_seed(3)
    second = (mt.rand(3).tolist(), mt.randn(3).tolist(), mt.randint(0, 10, (3,)).tolist())
    assert first == second
    assert all(0 <= v < 1 for v in first[0]) and all(0 <= v < 10 for v in first[2])
    assert mt.randint(10, (2, 2)).dtype == mt.int64 and mt.randint(10, (2, 2)).shape == (2, 2)
    assert sorted(mt.randperm(5).tolist()) == [0, 1, 2, 3, 4]
    like = mt.randn_like(mt.zeros(2, dtype=mt.float64))
    assert like.dtype == mt.float64 and like.shape == (2,)
    assert mt.rand_like(mt.zeros(3)).shape == (3,)


def test_from_numpy_shares_memory_and_keeps_dtype():
    array = np.array([[1, 1], [3, 3.0]])
    t = mt.from_numpy(array)
    assert t.dtype == mt.float64
    array[0, 0] = 7
    assert t[0, 0].item() == 7.0
    back = t.numpy()
    back[1, 1] = 9
    assert array[1, 1] == 9 and t.tolist() == [[7.0, 1.0], [3.0, 9.0]]
    for dt in ["float16", "float32", "int8", "int16", "int32", "int64", "uint8", "bool"]:
        assert mt.from_numpy(np.zeros(2, dtype=dt)).dtype.name == dt
    assert mt.from_numpy(np.array(2.0)).shape == ()
    column = mt.from_numpy(np.ones((2, 2))[:, 0])  # a strided view is fine
    assert column.tolist() == [1.0, 1.0]


def test_tensor_copies_its_data():
    array = np.array([1.0, 2.0])
    t = mt.tensor(array)
    array[0] = 5
    assert t.tolist() == [1.0, 2.0]
    source = mt.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="To copy construct from a tensor, it is recommended"):
        copy = mt.tensor(source)
    assert not copy.requires_grad and copy.is_leaf


def test_as_tensor_shares_when_it_can():
    array = np.array([1.0, 2.0])
    t = mt.as_tensor(array)
    array[0] = 5
    assert t.tolist() == [5.0, 2.0]
    assert mt.as_tensor(t) is t


def test_legacy_tensor_constructor_aliases_a_tensor():
    source = mt.tensor([1, 2])
    alias = mt.Tensor(source)
    assert alias.dtype == mt.int64
    source.add_(1)
    assert alias.tolist() == [2, 3]


def test_e2_and_e3_shapes_and_dtypes():
    assert mt.Tensor([2.0]).dtype == mt.float32 and mt.Tensor([2.0]).double().dtype == mt.float64
    assert mt.tensor([1, 2, 3]).dtype == mt.int64
    assert mt.tensor([1.0, 2.0, 3.0]).to(mt.float32).dtype == mt.float32
    shapes = [
        mt.tensor(1).shape,
        mt.tensor([1, 2, 3]).shape,
        mt.tensor([[1, 2], [3, 4]]).shape,
        mt.tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]).shape,
    ]
    assert [repr(s) for s in shapes] == [
        "minitensor.Size([])",
        "minitensor.Size([3])",
        "minitensor.Size([2, 2])",
        "minitensor.Size([2, 2, 2])",
    ]
    t = mt.tensor([[1, 2], [3, 4]])
    assert t.reshape(4, 1).tolist() == [[1], [2], [3], [4]] == t.view(4, 1).tolist()
    assert t.T.tolist() == [[1, 3], [2, 4]]


@pytest.mark.parametrize(
    "make",
    [
        lambda L, g: L.rand(2, 3, generator=g),
        lambda L, g: L.randn(4, generator=g, dtype=L.float64),
        lambda L, g: L.randint(0, 10, (5,), generator=g),
        lambda L, g: L.randperm(6, generator=g),
    ],
)
def test_a_generator_is_its_own_reproducible_stream_as_in_torch(make):
    for lib in (mt, torch):
        g = lib.Generator().manual_seed(7)
        assert g.initial_seed() == 7
        first = make(lib, g).tolist()
        lib.manual_seed(123)  # the shared generator does not affect it...
        assert make(lib, g.manual_seed(7)).tolist() == first
        g.manual_seed(8)  # ...and another seed gives other numbers
        assert make(lib, g).tolist() != first
    assert mt.Generator().initial_seed() == torch.Generator().initial_seed()


def test_random_factories_refuse_a_foreign_generator():
    with pytest.raises(TypeError, match=r"minitensor\.Generator or None, got int"):
        mt.randn(2, generator=3)
    with pytest.raises(TypeError):  # (PyTorch's own message lists randn's signatures)
        torch.randn(2, generator=3)
