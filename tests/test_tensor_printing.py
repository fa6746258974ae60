"""repr of tensors made every way, against PyTorch's repr of the same tensor.

minitensor/printing.py has its own tests of the layout (tests/test_printing.py);
these check that Tensor feeds it right: dtype, device, requires_grad and
grad_fn suffixes, Parameters, 0-d, empty and big tensors.
"""

import numpy as np
import pytest
import torch

import minitensor as mt

CASES = [
    "L.tensor(1)",
    "L.tensor(1.)",
    "L.tensor(True)",
    "L.tensor([1, 2, 3])",
    "L.tensor([1., 2.5, -3.])",
    "L.tensor([[1, 2], [3, 4]])",
    "L.tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])",
    "L.tensor([1., 1e10])",
    "L.tensor([0.0001, 123.5])",
    "L.tensor([1, 2], dtype=L.int32)",
    "L.tensor([1, 2], dtype=L.uint8)",
    "L.tensor([1, 2], dtype=L.int16)",
    "L.tensor([1.5], dtype=L.float16)",
    "L.tensor([1.5], dtype=L.float64)",
    "L.tensor([True, False])",
    "L.tensor([])",
    "L.tensor([[]])",
    "L.zeros(0, 3)",
    "L.tensor([float('nan'), float('inf'), -float('inf')])",
    "L.Tensor([[1, 2, 3], [4, 5, 6]])",
    "L.Tensor([2.0]).double()",
    "L.FloatTensor([1, 2])",
    "L.DoubleTensor([1, 2])",
    "L.LongTensor([1, 2])",
    "L.IntTensor([1, 2])",
    "L.BoolTensor([1, 0])",
    "L.from_numpy(np.array([[1, 1], [3, 3.]]))",
    "L.from_numpy(np.arange(6, dtype=np.int32).reshape(2, 3))",
    "L.zeros(2, 3)",
    "L.ones(2, dtype=L.int64)",
    "L.full((2, 2), 7.)",
    "L.arange(5)",
    "L.arange(0, 1, 0.25)",
    "L.linspace(0, 1, 5)",
    "L.eye(3)",
    "L.arange(2000.)",
    "L.arange(1200).reshape(30, 40)",
    "L.tensor([1., 2.], requires_grad=True)",
    "L.ones(2, 2, requires_grad=True)",
    "L.tensor(3., requires_grad=True)",
    "L.tensor([1., 2.], requires_grad=True) * 2",
    "L.tensor([1., 2.], requires_grad=True) + 1",
    "1 - L.tensor([1., 2.], requires_grad=True)",
    "L.tensor([1., 2.], requires_grad=True).exp()",
    "L.tensor([1., 2.], requires_grad=True).sum()",
    "L.tensor([1., 2.], requires_grad=True).mean()",
    "L.tensor([1., 2.], requires_grad=True).double()",
    "L.tensor([1., 2.], dtype=L.float64, requires_grad=True) * 2",
    "L.tensor([1., 2.], requires_grad=True).detach()",
    "L.tensor([1., 2.], requires_grad=True).data",
    "L.tensor([1., 2.], requires_grad=True).clone()",
    "L.ones(2, 3, requires_grad=True) @ L.ones(3, 2)",
    "L.ones(3, requires_grad=True) @ L.ones(3, 2)",
    "L.ones(4, 2, 3, requires_grad=True) @ L.ones(3, 2)",
    "L.nn.Parameter(L.ones(2))",
    "L.nn.Parameter(L.ones(2), requires_grad=False)",
    "L.tensor([1., 2.]).requires_grad_()",
    "L.tensor([[1.5, -2.25], [3., 4.]], requires_grad=True).tanh()",
]


@pytest.mark.parametrize("code", CASES)
def test_repr_matches_torch(code):
    ours = eval(code, {"L": mt, "np": np})
    theirs = eval(code, {"L": torch, "np": np})
    assert repr(ours) == repr(theirs).replace("torch.", "minitensor.")
    assert str(ours) == str(theirs).replace("torch.", "minitensor.")


def test_grad_fn_and_node_reprs():
    x = mt.tensor([1.0], requires_grad=True)
    y = x * 2
    assert repr(y.grad_fn).startswith("<MulBackward0 object at 0x")
    assert repr(y.grad_fn.next_functions[0][0]).startswith("<AccumulateGrad object at 0x")
    assert y.grad_fn.next_functions[1] == (None, 0)


def test_format_of_zero_d_tensors():
    t, r = mt.tensor(2.5), torch.tensor(2.5)
    assert f"{t:.2f}" == f"{r:.2f}" and f"{t}" == f"{r}"


def test_shapes_print_like_torch():
    assert repr(mt.ones(2, 3).shape) == "minitensor.Size([2, 3])"
    assert repr(mt.tensor(1).shape) == "minitensor.Size([])"
    assert mt.ones(2, 3).shape == (2, 3) and mt.ones(2, 3).size(1) == 3
