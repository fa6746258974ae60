"""Bad input gets PyTorch's exception type and message, checked against torch itself."""

import warnings

import numpy as np
import pytest
import torch

import minitensor as mt
from tests.oracle import assert_same_error
from tests.oracle import gpu as oracle_gpu

# The mistakes students make most with the tensor core, written once for both libraries:
# each runs in minitensor and in torch, and both must raise the same type with the same
# message (minitensor's names for torch's).
CORE = {
    "nonscalar_backward": "(L.ones(2, requires_grad=True) * 2).backward()",
    "backward_twice": "y = (x * x).sum(); y.backward(); y.backward()",
    "int_requires_grad": "L.tensor([1, 2], requires_grad=True)",
    "int_requires_grad_attr": "t = L.tensor([1, 2]); t.requires_grad = True",
    "numpy_requires_grad": "x.numpy()",
    "nonleaf_requires_grad_false": "(x * 2).requires_grad = False",
    "backward_no_grad_fn": "L.ones(2).sum().backward()",
    "matmul_shape": "L.ones(2, 3) @ L.ones(2, 3)",
    "broadcast": "L.ones(2, 3) + L.ones(2, 4)",
    "item_many": "L.ones(2).item()",
    "leaf_inplace": "x.add_(1)",
    "saved_modified": "x = x[:2] * 1; y = x * 1; z = y * y; y.mul_(2); z.sum().backward()",
    "grad_shape": "(x * 2).backward(L.ones(2))",
    "autograd_grad_unused": "L.autograd.grad((x * 2).sum(), L.ones(1, requires_grad=True))",
    "autograd_grad_twice": "y = (x * x).sum(); L.autograd.grad(y, x); L.autograd.grad(y, x)",
    "ragged": "L.tensor([[1, 2], [3]])",
    "str_data": "L.tensor('abc')",
    "from_numpy_obj": "L.from_numpy(np.array(['a', 'b']))",
    "mixed_dtype_matmul": "L.ones(2, 3) @ L.ones(3, 2, dtype=L.float64)",
    "view_bad": "L.ones(2, 3).view(4, 2)",
    "view_noncontig": "L.ones(2, 3).t().view(6)",
    "reshape_bad": "L.ones(2, 3).reshape(4, -1)",
    "sum_dim_oob": "L.ones(2, 3).sum(2)",
    "index_oob": "L.ones(3)[5]",
}


def _run(code, lib):
    env = {"L": lib, "np": np, "x": lib.tensor([1.0, 2.0, 3.0], requires_grad=True)}
    try:
        exec(code, env)
    except Exception as error:
        return error
    return None


@pytest.mark.parametrize("case", CORE)
def test_core_error_matches_torch(case):
    ours, theirs = _run(CORE[case], mt), _run(CORE[case], torch)
    assert theirs is not None, f"torch accepts {CORE[case]!r}: not an error case"
    assert_same_error(ours, theirs)


def test_nonleaf_grad_warning_matches_torch():
    with pytest.warns(UserWarning) as ours:
        assert (mt.ones(1, requires_grad=True) * 2).grad is None
    with pytest.warns(UserWarning) as theirs:
        assert (torch.ones(1, requires_grad=True) * 2).grad is None
    # torch adds where in its C++ sources the warning was raised: "(Triggered internally at ...)".
    torch_text = str(theirs[0].message).split(" (Triggered internally at")[0]
    assert str(ours[0].message) == torch_text


MORE = [
    # backward / grad arguments
    "(x * 2).sum().backward(L.ones(3))",
    "(x * 2).backward(L.ones(3, 1))",
    "L.autograd.grad((x * 2).sum(), L.ones(1))",
    "L.autograd.backward([(x * 2).sum(), x.sum()], [L.tensor(1.)])",
    "L.autograd.grad(L.ones(1), x)",
    # mixed dtypes that PyTorch refuses
    "L.ones(2, dtype=L.int64).add_(L.ones(2))",
    "L.tensor([1, 2]).mul_(1.5)",
    "L.ones(2, 3).mm(L.ones(3, 2, dtype=L.float64))",
    "L.dot(L.ones(2), L.ones(2, dtype=L.float64))",
    "L.where(L.ones(2), L.ones(2), L.zeros(2))",
    # bool tensors
    "-L.tensor([True])",
    "L.tensor([True]) - L.tensor([False])",
    "L.tensor([True]).abs()",
    "L.tensor([True]).relu()",
    # bad operands and arguments
    "L.ones(2) + 'a'",
    "L.ones(2) @ 3",
    "L.ones(2) ** None",
    "L.ones(2).clamp()",
    "L.div(L.ones(2), 2, rounding_mode='nearest')",
    "L.ones(2).masked_fill(L.ones(2), 0.)",
    "L.ones(2).masked_fill(L.tensor([True, False]), L.ones(2))",
    "L.tensor([1, 2]) // 0",
    "L.tensor([1, 2]) % 0",
    "2 % x; (2 % x).sum().backward()",
    "(x // 2).sum().backward()",
    "L.ones(2).add(1, alpha=0.5) if False else L.tensor([1]).add(1, alpha=0.5)",
    "~L.ones(2)",
    "L.ones(2) & L.ones(2)",
    "L.ones(2).grad = L.ones(3)",
    "x.grad = L.ones(3, dtype=L.float64)",
    "x.grad = 'a'",
    "bool(L.ones(2))",
    "float(L.ones(2))",
    "int(L.ones(2))",
    "L.ones(2)[L.ones(1)]" if False else "L.ones(2).__index__()",
    "iter(L.tensor(1.))",
    "L.ones(2, 3).size(2)",
    "x.retain_grad(); L.ones(1).retain_grad()",
]


@pytest.mark.parametrize("code", MORE)
def test_more_errors_match_torch(code):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = _run(code, mt), _run(code, torch)
    if theirs is None and ours is None:
        return
    assert_same_error(ours, theirs)


def test_unknown_device_type_names_the_known_ones():
    with pytest.raises(RuntimeError) as error:
        mt.ones(2).to("gpu:0")
    assert (
        str(error.value) == "Expected one of cpu, cuda device type at start of device string: gpu"
    )


def test_wrong_gradient_shape_from_a_function():
    class Bad(mt.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            return mt.ones(2, 2)

    with pytest.raises(RuntimeError) as error:
        Bad.apply(mt.ones(3, requires_grad=True)).sum().backward()
    assert str(error.value) == (
        "Function BadBackward returned an invalid gradient at index 0 - got [2, 2] but "
        "expected shape compatible with [3]"
    )


def test_mixed_devices_fail_clearly():
    with oracle_gpu():
        gpu, cpu = mt.ones(2, device="cuda"), mt.ones(2)
        for operation in (lambda: gpu + cpu, lambda: cpu * gpu, lambda: gpu @ cpu):
            with pytest.raises(RuntimeError) as error:
                operation()
            assert str(error.value) == (
                "Expected all tensors to be on the same device, but found at least two devices, "
                "cuda:0 and cpu!"
            )
        with pytest.raises(TypeError, match=r"^can't convert cuda:0 device type tensor to numpy"):
            gpu.numpy()
        with pytest.raises(RuntimeError, match=r"^attempting to assign a gradient with device"):
            mt.ones(2, requires_grad=True).grad = gpu
