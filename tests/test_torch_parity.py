"""Small differences from PyTorch a user would see: grad_fn classes, Size, messages.

Every expected value here comes from running the same code in PyTorch.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import minitensor as mt
from minitensor.autograd.function import BackwardNode
from tests.oracle import device_fixture, gpu  # noqa: F401  (the "device" fixture)

# --------------------------------------------------------------------------
# type(t.grad_fn): one class per kind of node, named as PyTorch's
# --------------------------------------------------------------------------

NODE_CASES = {
    "mul": lambda lib, x: x * 2,
    "mul tensors": lambda lib, x: x * x,
    "add": lambda lib, x: x + 1,
    "sub": lambda lib, x: x - x,
    "div": lambda lib, x: x / 3,
    "neg": lambda lib, x: -x,
    "pow": lambda lib, x: x**3,
    "pow tensors": lambda lib, x: x**x,
    "rpow": lambda lib, x: 2**x,
    "tanh": lambda lib, x: x.tanh(),
    "exp": lambda lib, x: x.exp(),
    "log": lambda lib, x: x.log(),
    "relu": lambda lib, x: x.relu(),
    "sigmoid": lambda lib, x: x.sigmoid(),
    "sum": lambda lib, x: x.sum(),
    "sum dim": lambda lib, x: x.sum(0),
    "mean": lambda lib, x: x.mean(),
    "max": lambda lib, x: x.max(),
    "matmul": lambda lib, x: x @ x,
    "transpose": lambda lib, x: x.T,
    "reshape": lambda lib, x: x.reshape(-1),
    "view": lambda lib, x: x.view(4),
    "select": lambda lib, x: x[0],
    "slice": lambda lib, x: x[:, :1],
    "index": lambda lib, x: x[[0, 1]],
    "unsqueeze": lambda lib, x: x.unsqueeze(0),
    "clone": lambda lib, x: x.clone(),
    "softmax": lambda lib, x: x.softmax(0),
    "log_softmax": lambda lib, x: x.log_softmax(1),
    "cat": lambda lib, x: lib.cat([x, x]),
    "stack": lambda lib, x: lib.stack([x, x]),
    "where": lambda lib, x: lib.where(x > 0, x, 0.0),
    "abs": lambda lib, x: x.abs(),
    "clamp": lambda lib, x: x.clamp(0, 1),
    "var": lambda lib, x: x.var(),
    "cumsum": lambda lib, x: x.cumsum(0),
    "to double": lambda lib, x: x.double(),
    "expand": lambda lib, x: x[:1].expand(3, 2),
}


@pytest.mark.parametrize("name", NODE_CASES)
def test_grad_fn_is_an_instance_of_its_own_class_named_as_in_torch(name):
    fn = NODE_CASES[name]
    data = np.array([[0.5, 1.5], [2.0, 0.25]], dtype=np.float32)
    theirs = fn(torch, torch.tensor(data, requires_grad=True))
    ours = fn(mt, mt.tensor(data, requires_grad=True))
    assert type(ours.grad_fn).__name__ == type(theirs.grad_fn).__name__
    assert str(type(ours.grad_fn)) == str(type(theirs.grad_fn))  # <class 'MulBackward0'>
    assert isinstance(ours.grad_fn, BackwardNode)
    assert ours.grad_fn.name() == theirs.grad_fn.name()


def test_nodes_of_one_kind_share_one_class_and_keep_their_repr():
    x = mt.ones(2, requires_grad=True)
    a, b, c = x * 2, x * 3, x + 1
    assert type(a.grad_fn) is type(b.grad_fn) is not type(c.grad_fn)
    assert isinstance(c.grad_fn, BackwardNode)
    assert repr(a.grad_fn) == f"<MulBackward0 object at {hex(id(a.grad_fn))}>"


def test_a_custom_function_gets_a_class_named_after_it():
    def define(lib):
        class MyExp(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a.exp()

            @staticmethod
            def backward(ctx, grad_output):
                return grad_output

        return MyExp

    theirs = define(torch).apply(torch.ones(2, requires_grad=True)).grad_fn
    ours = define(mt).apply(mt.ones(2, requires_grad=True)).grad_fn
    assert type(ours).__name__ == type(theirs).__name__ == "MyExpBackward"
    their_class = str(type(theirs)).replace("torch.", "minitensor.")
    assert str(type(ours)) == their_class  # <class 'minitensor.autograd.function.MyExpBackward'>
    assert isinstance(ours, BackwardNode)
    assert repr(ours) == f"<minitensor.autograd.function.MyExpBackward object at {hex(id(ours))}>"


# --------------------------------------------------------------------------
# Size: slices, + and * stay Sizes
# --------------------------------------------------------------------------

SIZE_CASES = [
    "s[:2]", "s[1:]", "s[::-1]", "s[5:]", "s[0]", "s[-1]",
    "s + (1,)", "(1,) + s", "s + s", "s + ()", "s[:2] + s[2:]",
    "s * 2", "2 * s", "s * 0", "s * -1", "s * True",
    "s + [1]", "s + None", "s + (1.5,)", "(1.5,) + s", "s * 1.5",
    "s == (3, 4, 5)", "s[1:] == (4, 5)", "hash(s) == hash((3, 4, 5))", "s.count(3)", "s.index(4)",
    "s.numel()", "s[:0].numel()", "lib.Size([2, 3])", "lib.Size([np.int64(2)])",
    "lib.Size([lib.tensor(2)])", "lib.Size([1.5])", "lib.Size([1, 'a'])", "lib.Size()", "type(s)",
]  # fmt: skip
# (Not compared: [1] + s, whose message Python writes with the class's bare name, "Size".)


@pytest.mark.parametrize("expression", SIZE_CASES)
def test_size_behaves_as_torch_size(expression):
    def evaluate(lib):
        s = lib.zeros(3, 4, 5).shape
        try:
            value = eval(expression, {"lib": lib, "np": np, "s": s})
        except Exception as error:
            return f"{type(error).__name__}: {error}"
        return f"{type(value).__name__} {value!r}"

    assert evaluate(mt) == evaluate(torch).replace("torch.", "minitensor.")


def test_size_pickles_and_copies():
    import copy
    import pickle

    s = mt.zeros(2, 3).shape
    for other in (pickle.loads(pickle.dumps(s)), copy.deepcopy(s)):
        assert type(other) is mt.Size and other == (2, 3)


# --------------------------------------------------------------------------
# Indexing out of range names the index's position, as PyTorch does
# --------------------------------------------------------------------------

OUT_OF_RANGE = [
    "x[:, 3]", "x[:, -4]", "x[2]", "x[-3]", "x[..., 4]", "x[None, :, 3]", "x[0, 3]", "x[:, :, 4]",
    "x[0, 0, 4]", "x[None, None, 2]", "x[..., 3, 0]", "x[1, ..., 9]", "x[:, None, 5]", "x[0][3]",
    "x[:, 1:2, 7]", "x[lib.tensor(0), 5]", "x[:, lib.tensor(5)]", "x[:, [5]]", "x[True, 5]",
    "x[0, None, 4]", "x[[0], [5]]", "x[:, :, [9]]", "x[[0], :, [9]]", "x[:, [0, -4]]",
    "x[x[:, 0, 0] == 0, 5]", "x[..., [4]]", "x.__setitem__((slice(None), 3), 1.0)",
    "x.__setitem__((0, 5), 1.0)", "x.__setitem__((None, 0, 5), 1.0)",
    "x.__setitem__((slice(None), [5]), 1.0)",
]  # fmt: skip


@pytest.mark.parametrize("expression", OUT_OF_RANGE)
def test_index_out_of_range_names_the_dimension_as_torch(expression, device):
    def message(lib, device):
        x = lib.zeros(2, 3, 4, device=device)
        with pytest.raises(IndexError) as error:
            eval(expression, {"lib": lib, "x": x})
        return str(error.value)

    assert message(mt, device) == message(torch, "cpu")


# --------------------------------------------------------------------------
# Out of memory: PyTorch's RuntimeError, not NumPy's MemoryError
# --------------------------------------------------------------------------

HUGE = [
    "lib.zeros(10**12)", "lib.zeros(10**6, 10**6)", "lib.ones(10**12)", "lib.empty(10**12)",
    "lib.full((10**12,), 2.0)", "lib.randn(10**12)", "lib.rand(10**12)",
    "lib.zeros(10**12, dtype=lib.int8)", "lib.zeros(10**12, dtype=lib.float64)",
    "lib.arange(10**12)", "lib.linspace(0, 1, 10**12)", "lib.eye(10**6)",
    "lib.randint(0, 5, (10**12,))", "lib.randperm(10**12)", "lib.Tensor(10**12)",
    "lib.zeros(3).repeat(10**12)", "lib.zeros(10**6, 1) + lib.zeros(10**6)",
    "lib.zeros(2**62)", "lib.zeros(2**61)", "lib.zeros(2**31, 2**30)",
]  # fmt: skip


def _raised(expression: str, lib, **names) -> tuple[str, str]:
    try:
        eval(expression, {"lib": lib, **names})
    except Exception as error:
        return type(error).__name__, str(error)
    raise AssertionError(f"{expression} ran")


@pytest.mark.parametrize("expression", HUGE)
def test_a_huge_tensor_raises_torch_error_on_the_cpu(expression):
    assert _raised(expression, mt) == _raised(expression, torch)


def test_a_huge_tensor_on_the_gpu_is_cuda_out_of_memory():
    device = "cuda"
    with gpu(), pytest.raises(mt.OutOfMemoryError) as error:
        mt.zeros(10**12, device=device)
    assert isinstance(error.value, RuntimeError) and mt.cuda.OutOfMemoryError is mt.OutOfMemoryError
    # PyTorch rounds the request up to its allocator's 2 MiB blocks: 4000000737280 bytes.
    assert str(error.value).startswith(
        "CUDA out of memory. Tried to allocate 3725.29 GiB. GPU 0 has a total capacity of "
    )
    assert "is free. Of the allocated memory " in str(error.value)
    with gpu(), pytest.raises(mt.OutOfMemoryError):
        mt.zeros(3, device=device).repeat(10**12)


def test_gpu_sizes_are_printed_as_torch_allocator_prints_them():
    from minitensor.allocation import _cuda_block, format_size

    # c10/cuda/CUDACachingAllocator.cpp: format_size, and the block sizes it requests.
    assert [format_size(n) for n in (0, 1024, 1025, 2**20, 2**20 + 1, 2**30, 2**30 + 1)] == [
        "0 bytes", "1024 bytes", "1.00 KiB", "1024.00 KiB", "1.00 MiB", "1024.00 MiB", "1.00 GiB",
    ]  # fmt: skip
    assert [_cuda_block(n) for n in (1, 2**20, 2**20 + 1, 10 * 2**20, 10 * 2**20 + 1)] == [
        2 * 2**20, 2 * 2**20, 20 * 2**20, 10 * 2**20, 12 * 2**20,
    ]  # fmt: skip
