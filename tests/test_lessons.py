"""The numbers the lessons claim, recomputed with minitensor and compared with PyTorch
(or with finite differences and closed formulas where PyTorch has nothing to say).

Each test names the notebook and the claim it checks.
"""

import math

import numpy as np
import pytest
import torch

import minitensor as mt
import minitensor.nn.functional as F
from tests.notebook_code import defined_in_notebook

# --- notebook 01: slopes and finite differences -----------------------------------------

_B = 6.8813735870195432


def _o_of_x1(x1):
    return np.tanh(x1 * -3.0 + 0.0 * 1.0 + _B)


def test_01_the_tangent_slope_is_torchs_gradient():
    x1 = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    torch.tanh(x1 * -3.0 + _B).backward()
    assert x1.grad.item() == pytest.approx(-1.5, rel=1e-12)


@pytest.mark.parametrize(
    ("dtype", "lowest", "highest"), [(np.float64, 1e-7, 1e-4), (np.float32, 1e-4, 1e-1)]
)
def test_01_the_v_of_finite_difference_errors_has_its_bottom_where_the_text_says(
    dtype, lowest, highest
):
    hs = np.logspace(-12, 0, 49)
    x = dtype(2.0)
    errors = []
    for step in hs.astype(dtype):
        estimate = float(_o_of_x1(x + step) - _o_of_x1(x - step)) / (2 * float(step))
        errors.append(abs(estimate + 1.5))
    best = hs[int(np.argmin(errors))]
    assert lowest <= best <= highest
    # The V: larger errors on both sides of the bottom.
    assert errors[0] > 100 * min(errors) and errors[-1] > 100 * min(errors)


def test_01_the_chord_slope_for_h_03():
    h = 0.3
    chord = (_o_of_x1(2.0 + h) - _o_of_x1(2.0 - h)) / (2 * h)
    assert chord == pytest.approx(-1.606, abs=5e-4)


# --- notebook 03: printing ---------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        1.0,
        [1.0, 2, 3, 4],
        [[1.0, 1], [2, 2], [3, 3]],
        [[[1.0, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]],
    ],
)
def test_03_float_tensors_print_as_pytorchs(data):
    assert str(mt.tensor(data)) == str(torch.tensor(data))


# --- notebook 05: sigmoid, tanh and BCE ---------------------------------------------------


def test_05_slopes_of_sigmoid_and_tanh_match_torch():
    grid = np.linspace(-6, 6, 241)
    for mt_f, torch_f in [(mt.sigmoid, torch.sigmoid), (mt.tanh, torch.tanh)]:
        z = mt.tensor(grid, requires_grad=True)
        mt_f(z).sum().backward()
        zt = torch.tensor(grid, requires_grad=True)
        torch_f(zt).sum().backward()
        np.testing.assert_allclose(z.grad.numpy(), zt.grad.numpy(), rtol=1e-6, atol=1e-9)


def test_05_sigmoid_slope_at_6_is_below_one_percent():
    z = torch.tensor(6.0, requires_grad=True)  # float32, as in the notebook
    torch.sigmoid(z).backward()
    z6 = mt.tensor(6.0, requires_grad=True)
    mt.sigmoid(z6).backward()
    assert z6.grad.item() == pytest.approx(z.grad.item(), rel=1e-6)
    assert z.grad.item() < 0.01 * 0.25


def test_05_bce_against_the_prediction_matches_torch():
    a = np.linspace(0.005, 0.995, 199)
    for label in [0.0, 1.0]:
        ours = F.binary_cross_entropy(
            mt.tensor(a), mt.full((199,), label, dtype=mt.float64), reduction="none"
        )
        theirs = torch.nn.functional.binary_cross_entropy(
            torch.tensor(a), torch.full((199,), label, dtype=torch.float64), reduction="none"
        )
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


# --- notebook 09: .data against detach() --------------------------------------------------


def test_09_a_change_through_data_gives_the_same_silent_zeros_as_torch():
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    s = mt.sigmoid(x)
    s.data.zero_()
    s.sum().backward()
    xt = torch.tensor([1.0, 2.0], requires_grad=True)
    st = torch.sigmoid(xt)
    st.data.zero_()
    st.sum().backward()
    assert x.grad.tolist() == xt.grad.tolist() == [0.0, 0.0]


def test_09_a_change_through_detach_raises_as_in_torch():
    xt = torch.tensor([1.0, 2.0], requires_grad=True)
    st = torch.sigmoid(xt)
    st.detach().zero_()
    with pytest.raises(RuntimeError) as theirs:
        st.sum().backward()
    x = mt.tensor([1.0, 2.0], requires_grad=True)
    s = mt.sigmoid(x)
    s.detach().zero_()
    with pytest.raises(RuntimeError) as ours:
        s.sum().backward()
    assert str(ours.value) == str(theirs.value).replace("torch", "minitensor")


def test_09_the_right_sigmoid_gradient_is_the_one_printed():
    xt = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.sigmoid(xt).sum().backward()
    np.testing.assert_allclose(xt.grad.numpy(), [0.1966, 0.1050], atol=5e-5)


# --- notebook 10: tensor backward rules ----------------------------------------------------


def _pair(shape, seed):
    values = np.random.default_rng(seed).normal(size=shape)
    return (
        mt.tensor(values, requires_grad=True),
        torch.tensor(values, requires_grad=True),
    )


def test_10_matmul_gradients_are_xT_G_and_G_WT_as_in_torch():
    x, xt = _pair((4, 3), 1)
    W, Wt = _pair((3, 2), 2)
    G = np.random.default_rng(3).normal(size=(4, 2))
    (x @ W).backward(mt.tensor(G))
    (xt @ Wt).backward(torch.tensor(G))
    np.testing.assert_allclose(W.grad.numpy(), Wt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(Wt.grad.numpy(), xt.detach().numpy().T @ G, rtol=1e-12)
    np.testing.assert_allclose(xt.grad.numpy(), G @ Wt.detach().numpy().T, rtol=1e-12)


@pytest.mark.parametrize("bias_shape", [(2,), (1, 2)])
def test_10_a_broadcast_bias_gets_the_batch_sum_as_in_torch(bias_shape):
    x = np.random.default_rng(4).normal(size=(4, 2))
    G = np.random.default_rng(5).normal(size=(4, 2))
    b = mt.zeros(bias_shape, dtype=mt.float64, requires_grad=True)
    (mt.tensor(x) + b).backward(mt.tensor(G))
    bt = torch.zeros(bias_shape, dtype=torch.float64, requires_grad=True)
    (torch.tensor(x) + bt).backward(torch.tensor(G))
    np.testing.assert_allclose(b.grad.numpy(), bt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(bt.grad.numpy().reshape(-1), G.sum(axis=0), rtol=1e-12)


def test_10_sum_mean_and_expand_gradients_match_torch():
    data = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    for reduce in ["sum", "mean"]:
        t = mt.tensor(data, requires_grad=True)
        getattr(t, reduce)().backward()
        tt = torch.tensor(data, requires_grad=True)
        getattr(tt, reduce)().backward()
        np.testing.assert_allclose(t.grad.numpy(), tt.grad.numpy())
    r = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    r.expand(4, 3).sum().backward()
    rt = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    rt.expand(4, 3).sum().backward()
    assert r.grad.tolist() == rt.grad.tolist() == [4.0, 4.0, 4.0]


def test_10_the_softmax_jacobian_and_its_vjp_match_torch():
    z = [1.0, 2.0, 0.5, -1.0, 3.0]
    rows = []
    for i in range(5):
        zi = mt.tensor(z, dtype=mt.float64, requires_grad=True)
        one_hot = mt.zeros(5, dtype=mt.float64)
        one_hot[i] = 1.0
        F.softmax(zi, dim=0).backward(one_hot)
        rows.append(zi.grad.numpy())
    ours = np.stack(rows)
    theirs = torch.autograd.functional.jacobian(
        lambda v: torch.softmax(v, dim=0), torch.tensor(z, dtype=torch.float64)
    ).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-14)
    assert np.count_nonzero(np.abs(theirs) > 1e-6) == 25  # not diagonal
    v = np.array([0.5, -1.0, 2.0, 0.0, 1.0])
    zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    torch.softmax(zt, dim=0).backward(torch.tensor(v))
    np.testing.assert_allclose(v @ ours, zt.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_10_the_bytes_of_a_1000x1000_matmul_jacobian():
    W = torch.zeros(1000, 1000)
    gradient_bytes = W.numel() * W.element_size()
    jacobian_bytes = (1000 * 1000) * W.numel() * W.element_size()
    assert gradient_bytes == 4_000_000
    assert jacobian_bytes == 4 * 10**12
    assert mt.zeros(1).element_size() == W.element_size()


# The checkers of exercises 10.2 (softmax_vjp) and 10.3 (mean_backward): the worked
# solutions pass, and typical wrong implementations fail with their mistake named.


def _ex10():
    """notebook 10's exercises (exercises/ex10.py) and worked solutions, as modules."""
    import importlib.util
    import sys
    from pathlib import Path

    notebooks = Path(__file__).resolve().parent.parent / "notebooks"
    if str(notebooks) not in sys.path:
        sys.path.insert(0, str(notebooks))
    from exercises import ex10

    path = notebooks / "solutions" / "10_tensor_backward_rules.py"
    spec = importlib.util.spec_from_file_location("solutions_10", path)
    solutions = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(solutions)
    return ex10, solutions


def _ex10_verdict(exercise_id, answer):
    ex10, _ = _ex10()
    return ex10.EXERCISES[exercise_id].verdict(answer)


@pytest.mark.parametrize("exercise_id", ["10.2", "10.3"])
def test_10_the_worked_solutions_pass_their_checks(exercise_id):
    _, solutions = _ex10()
    assert _ex10_verdict(exercise_id, solutions.SOLUTIONS[exercise_id]) is None


def test_10_the_softmax_vjp_solution_is_the_backward_of_torch():
    _, solutions = _ex10()
    z = np.random.default_rng(6).normal(size=(3, 4)) * 5
    v = np.random.default_rng(7).normal(size=(3, 4))
    zt = torch.tensor(z, requires_grad=True)
    torch.softmax(zt, dim=-1).backward(torch.tensor(v))
    p = F.softmax(mt.tensor(z), dim=-1)
    ours = solutions.softmax_vjp(p, mt.tensor(v))
    np.testing.assert_allclose(ours.numpy(), zt.grad.numpy(), rtol=1e-10, atol=1e-14)
    flat = solutions.softmax_vjp(p, mt.ones(3, 4, dtype=mt.float64) * 2.5)
    assert np.abs(flat.numpy()).max() < 1e-15  # v all equal: the answer is 0


@pytest.mark.parametrize(("shape", "dim"), [((4, 3), 0), ((2, 3, 4), -1), ((3, 1), 1)])
def test_10_the_mean_backward_solution_is_the_backward_of_torch(shape, dim):
    _, solutions = _ex10()
    xt = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
    grad = np.random.default_rng(8).normal(size=xt.mean(dim).shape)
    xt.mean(dim).backward(torch.tensor(grad))
    ours = solutions.mean_backward(mt.tensor(grad), shape, dim)
    np.testing.assert_allclose(ours.numpy(), xt.grad.numpy(), rtol=1e-12)


def _softmax_vjp_diagonal_only(p, v):
    return v * p * (1 - p)


def _softmax_vjp_no_subtraction(p, v):
    return p * v


def _softmax_vjp_lost_keepdim(p, v):
    return p * (v - (p * v).sum(dim=-1))


def _softmax_vjp_over_the_batch(p, v):
    return p * (v - (p * v).sum(dim=0, keepdim=True))


def _softmax_vjp_whole_batch(p, v):
    return p * (v - (p * v).sum())


def _softmax_vjp_wrong_sign(p, v):
    return p * ((p * v).sum(dim=-1, keepdim=True) - v)


def _softmax_vjp_the_jacobian(p, v):
    return mt.outer(p, v) if p.dim() == 1 else p


@pytest.mark.parametrize(
    ("wrong", "named"),
    [
        (_softmax_vjp_no_subtraction, "was never subtracted"),
        (_softmax_vjp_diagonal_only, "only the diagonal of the Jacobian"),
        (_softmax_vjp_lost_keepdim, "without keepdim=True"),
        (_softmax_vjp_over_the_batch, "over the batch, dim 0"),
        (_softmax_vjp_whole_batch, "runs over the whole batch"),
        (_softmax_vjp_wrong_sign, "wrong sign"),
        (_softmax_vjp_the_jacobian, "looks like a Jacobian"),
        (lambda p, v: None, "forget the return statement"),
        ("softmax_vjp", "your function softmax_vjp itself"),
    ],
)
def test_10_softmax_vjp_mistakes_are_named_without_the_solution(wrong, named):
    message = _ex10_verdict("10.2", wrong)
    assert message is not None and named in message
    assert "p * (v -" not in message and "(p * v).sum" not in message


def test_10_softmax_vjp_with_v_all_equal_must_give_zero():
    """A rule right on random v can still miss that shifting all logits changes nothing."""

    def leaks_a_constant(p, v):
        return p * (v - (p * v).sum(dim=-1, keepdim=True)) + (v.max() == v.min()) * p

    message = _ex10_verdict("10.2", leaks_a_constant)
    assert message is not None and "v all equal" in message and "the answer is 0" in message


def test_10_softmax_vjp_that_divides_by_p_is_caught_on_large_logits():
    def divides_by_p(p, v):
        return (p * v) / p * p - p * (p * v).sum(dim=-1, keepdim=True)

    message = _ex10_verdict("10.2", divides_by_p)
    assert message is not None and "large logits" in message and "nan or inf" in message


def _mean_backward_not_divided(grad, shape, dim):
    return grad.unsqueeze(dim).expand(shape)


def _mean_backward_divided_by_all(grad, shape, dim):
    return grad.unsqueeze(dim).expand(shape) / math.prod(shape)


def _mean_backward_broadcast_on_the_left(grad, shape, dim):
    return grad * mt.ones(shape, dtype=grad.dtype) / shape[dim]


def _mean_backward_list_insert(grad, shape, dim):
    # list.insert(-1, 1) puts the 1 *before* the last entry: right for dim >= 0 only.
    reshaped = list(grad.shape)
    reshaped.insert(dim, 1)
    return grad.reshape(reshaped).expand(shape) / shape[dim]


def _mean_backward_not_expanded(grad, shape, dim):
    return grad / shape[dim]


@pytest.mark.parametrize(
    ("wrong", "named"),
    [
        (_mean_backward_not_divided, "the whole upstream gradient"),
        (_mean_backward_divided_by_all, "the number of all elements"),
        (_mean_backward_broadcast_on_the_left, "went back in the wrong place"),
        (_mean_backward_list_insert, "went back in the wrong place"),
        (_mean_backward_not_expanded, "the reduced dimension is still missing"),
        (lambda grad, shape, dim: None, "forget the return statement"),
    ],
)
def test_10_mean_backward_mistakes_are_named_without_the_solution(wrong, named):
    message = _ex10_verdict("10.3", wrong)
    assert message is not None and named in message
    assert "unsqueeze" not in message and "expand(" not in message


# --- notebook 11: higher derivatives, Functions, freezing, control flow --------------------


def test_11_second_derivative_of_tanh_matches_torch_and_the_formula():
    x = mt.tensor(0.5, dtype=mt.float64, requires_grad=True)
    (d1,) = mt.autograd.grad(mt.tanh(x), x, create_graph=True)
    (d2,) = mt.autograd.grad(d1, x)
    xt = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    (t1,) = torch.autograd.grad(torch.tanh(xt), xt, create_graph=True)
    (t2,) = torch.autograd.grad(t1, xt)
    assert d2.item() == pytest.approx(t2.item(), rel=1e-12)
    t = math.tanh(0.5)
    assert t2.item() == pytest.approx(-2 * t * (1 - t**2), rel=1e-12)


def test_11_the_hessian_vector_product_matches_torch():
    def f(w):
        return (w**4).sum() / 4 + (w[0] - 2 * w[1]) ** 2

    w = mt.tensor([1.0, -2.0], dtype=mt.float64, requires_grad=True)
    v = mt.tensor([1.0, 0.5], dtype=mt.float64)
    (g,) = mt.autograd.grad(f(w), w, create_graph=True)
    (hv,) = mt.autograd.grad((g * v).sum(), w)
    _, theirs = torch.autograd.functional.hvp(
        f, torch.tensor([1.0, -2.0], dtype=torch.float64), torch.tensor([1.0, 0.5]).double()
    )
    np.testing.assert_allclose(hv.numpy(), theirs.numpy(), rtol=1e-12)
    assert hv.tolist() == [3.0, 6.0]


def test_11_newton_steps_match_torch():
    def newton_torch(x_value):
        x = torch.tensor(x_value, dtype=torch.float64, requires_grad=True)
        (slope,) = torch.autograd.grad(x**4 / 4 - 2 * x, x, create_graph=True)
        (curvature,) = torch.autograd.grad(slope, x)
        return x_value - slope.item() / curvature.item()

    def newton_ours(x_value):
        x = mt.tensor(x_value, dtype=mt.float64, requires_grad=True)
        (slope,) = mt.autograd.grad(x**4 / 4 - 2 * x, x, create_graph=True)
        (curvature,) = mt.autograd.grad(slope, x)
        return x_value - slope.item() / curvature.item()

    ours, theirs = 1.0, 1.0
    for step in range(4):
        ours, theirs = newton_ours(ours), newton_torch(theirs)
        assert ours == pytest.approx(theirs, rel=1e-14)
        if step == 0:
            assert theirs == pytest.approx(4 / 3, rel=1e-14)
    assert abs(theirs - 2 ** (1 / 3)) < 1e-9


def test_11_a_sigmoid_function_matches_torch_and_gradcheck_catches_a_broken_one():
    MySigmoid = defined_in_notebook("11_higher_order_and_custom_ops", "MySigmoid", {"mt": mt})

    class Broken(MySigmoid):
        @staticmethod
        def backward(ctx, grad_output):
            (out,) = ctx.saved_tensors
            return out * (1 - out)

    x = mt.tensor([-1.0, 0.0, 2.0], dtype=mt.float64, requires_grad=True)
    MySigmoid.apply(x).sum().backward()
    xt = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch.sigmoid(xt).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), rtol=1e-12)
    assert mt.autograd.gradcheck(MySigmoid.apply, (x,))
    times_3 = lambda t: Broken.apply(t) * 3  # noqa: E731
    assert not mt.autograd.gradcheck(times_3, (x,), raise_exception=False)


def test_11_a_frozen_layer_keeps_no_gradient_as_in_torch():
    nets = []
    for lib in (mt, torch):
        lib.manual_seed(0)
        net = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 1))
        net[0].requires_grad_(False)
        net(lib.randn(5, 3)).pow(2).mean().backward()
        nets.append([(p.requires_grad, p.grad is None) for p in net.parameters()])
    assert nets[0] == nets[1] == [(False, True), (False, True), (True, False), (True, False)]


@pytest.mark.parametrize(("start", "expected"), [(2.0, 80.0), (-1.0, 12.0)])
def test_11_gradients_through_if_and_for_match_torch(start, expected):
    def bumpy(x):
        y = x * x if x.item() > 0 else -3 * x
        for _ in range(3):
            y = y * x
        return y

    x = mt.tensor(start, dtype=mt.float64, requires_grad=True)
    bumpy(x).backward()
    xt = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    bumpy(xt).backward()
    assert x.grad.item() == xt.grad.item() == expected
