"""autograd.gradcheck: finite differences against backward, with PyTorch's messages."""

import sys

import numpy as np
import pytest
import torch

import minitensor as mt
from minitensor.autograd.gradcheck import GradcheckError, gradcheck
from tests.oracle import device_fixture  # noqa: F401 (a fixture)


def _inputs(lib, device="cpu"):
    x = np.array([0.5, -1.0, 2.0])
    y = np.array([[1.5, -1.0, 2.0], [0.3, 0.2, 0.1]])
    if lib is torch:
        return (torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True))
    return (
        mt.tensor(x, device=device, requires_grad=True),
        mt.tensor(y, device=device, requires_grad=True),
    )


@pytest.mark.parametrize(
    "fn",
    [
        lambda a, b: a * b,
        lambda a, b: (a * b).sigmoid().sum(),
        lambda a, b: b @ a,
        lambda a, b: (a.exp(), b.tanh()),  # several outputs
        lambda a, b: a > 0,  # an output without gradient
    ],
)
def test_correct_gradients_pass(fn, device):
    assert gradcheck(fn, _inputs(mt, device)) is True


def _wrong_square(lib):
    class WrongSquare(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * x  # forgot the factor 2

    return WrongSquare


def test_wrong_gradient_fails_with_torch_message():
    with pytest.raises(GradcheckError) as ours:
        gradcheck(_wrong_square(mt).apply, _inputs(mt)[:1])
    with pytest.raises(sys.modules["torch.autograd.gradcheck"].GradcheckError) as theirs:
        torch.autograd.gradcheck(_wrong_square(torch).apply, _inputs(torch)[:1])
    assert str(ours.value) == str(theirs.value).replace("torch.", "minitensor.")
    assert isinstance(ours.value, RuntimeError)
    assert gradcheck(_wrong_square(mt).apply, _inputs(mt)[:1], raise_exception=False) is False


def test_second_input_is_named_in_the_message():
    class WrongSecond(mt.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b.sum()

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 0 + 1, None  # wrong for a, and b gets nothing

    a, b = _inputs(mt)
    with pytest.raises(GradcheckError, match=r"^Jacobian mismatch for output 0 with respect to"):
        gradcheck(WrongSecond.apply, (a, b))


def test_tolerances_and_eps_are_used():
    x = mt.tensor([1.0, 2.0], dtype=mt.float64, requires_grad=True)

    class SlightlyOff(mt.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 3

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * 3.01

    with pytest.raises(GradcheckError):
        gradcheck(SlightlyOff.apply, (x,))
    assert gradcheck(SlightlyOff.apply, (x,), rtol=1e-2)
    assert gradcheck(SlightlyOff.apply, (x,), atol=0.02, rtol=0)
    assert gradcheck(lambda a: a**3, (x,), eps=1e-3, atol=1e-4)


def test_bad_inputs_like_torch():
    with pytest.raises(ValueError, match=r"^gradcheck expects at least one input tensor to"):
        gradcheck(lambda a: a * 2, (mt.ones(2, dtype=mt.float64),))
    with pytest.warns(UserWarning, match=r"^Input #0 requires gradient and is not a double"):
        gradcheck(lambda a: a * 2, (mt.ones(2, requires_grad=True),), eps=1e-2, atol=1e-2)
    single = mt.tensor([1.0], dtype=mt.float64, requires_grad=True)
    assert gradcheck(lambda a: a.sin(), single)  # one tensor, not a tuple


def test_an_input_without_elements_has_an_empty_jacobian():
    """cat([x, empty]): the empty input's Jacobian has no rows, and gradcheck passes, as torch's."""
    args = [((2, 3), (0, 3)), ((2, 3), (0,))]
    for shapes in args:
        ours = [mt.ones(*s, dtype=mt.float64, requires_grad=True) for s in shapes]
        theirs = [torch.ones(*s, dtype=torch.float64, requires_grad=True) for s in shapes]
        assert mt.autograd.gradcheck(lambda a, b: mt.cat([a, b]), ours)
        assert torch.autograd.gradcheck(lambda a, b: torch.cat([a, b]), theirs)
