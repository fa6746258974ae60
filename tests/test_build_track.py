"""The "build it yourself" checkers (notebooks 20-22): right code passes, typical
mistakes fail with feedback that names the mistake, and nothing gives the solution away.

Each wrong implementation below is a slip students really make: forgetting to
accumulate, a missing ``* out.grad``, a transposed matmul gradient, a gradient
not summed over the broadcast axis, a recursive topological sort on a deep
graph, a sign error.
"""

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
sys.path.insert(0, str(NOTEBOOKS))

from exercises import check  # noqa: E402

from tests.notebook_code import defined_in_notebook  # noqa: E402


def _solutions(name):
    path = NOTEBOOKS / "solutions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _feedback(capsys, exercise_id, answer):
    """check()'s verdict and the text it printed."""
    verdict = check(exercise_id, answer)
    return verdict, capsys.readouterr().out


# --- 20: a Value and its backward -------------------------------------------------------------

VALUE = _solutions("20_build_value")
Good = VALUE.Value


def _with(**methods):
    """The worked Value class with some methods replaced by wrong ones."""
    return type("Student", (Good,), methods)


def _op(make_backward, data, op):
    """A one-input operation whose _backward is made by ``make_backward(self, out)``."""

    def method(self):
        out = type(self)(data(self.data), (self,), op)
        out._backward = make_backward(self, out)
        return out

    return method


def _mul(grads):
    """A multiplication whose _backward does ``grads(self, other, out)``."""

    def __mul__(self, other):
        other = other if isinstance(other, Good) else type(self)(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def _backward():
            grads(self, other, out)

        out._backward = _backward
        return out

    return __mul__


def _assigns(self, other, out):
    self.grad = other.data * out.grad
    other.grad = self.data * out.grad


def _no_upstream(self, other, out):
    self.grad += other.data
    other.grad += self.data


def _own_factor(self, other, out):
    self.grad += self.data * out.grad
    other.grad += other.data * out.grad


@pytest.mark.parametrize(
    ("grads", "named"),
    [
        (_assigns, "used twice: did you assign (=) instead of add (+=)?"),
        (_no_upstream, "Multiply it by out.grad"),
        (_own_factor, "the *other* factor"),
    ],
)
def test_mul_mistakes_are_named(capsys, grads, named):
    cls = _with(__mul__=_mul(grads), __rmul__=_mul(grads))
    verdict, text = _feedback(capsys, "20.1", cls)
    assert verdict is False and named in text


@pytest.mark.parametrize(
    ("exercise_id", "name", "wrong", "named"),
    [
        (
            "20.2",
            "tanh",
            lambda self, out: (
                lambda: setattr(self, "grad", self.grad + (1 - self.data**2) * out.grad)
            ),
            "1 - x**2",
        ),
        (
            "20.2",
            "tanh",
            lambda self, out: lambda: setattr(self, "grad", self.grad + (1 - out.data**2)),
            "Multiply it by out.grad",
        ),
        (
            "20.2",
            "tanh",
            lambda self, out: (
                lambda: setattr(self, "grad", self.grad - (1 - out.data**2) * out.grad)
            ),
            "sign",
        ),
        (
            "20.3",
            "exp",
            lambda self, out: lambda: setattr(self, "grad", self.grad + self.data * out.grad),
            "e**x itself",
        ),
        (
            "20.3",
            "exp",
            lambda self, out: lambda: setattr(self, "grad", out.data * out.grad),
            "use += instead of =",
        ),
    ],
)
def test_unary_mistakes_are_named(capsys, exercise_id, name, wrong, named):
    forward = {"tanh": math.tanh, "exp": math.exp}[name]
    cls = _with(**{name: _op(wrong, forward, name)})
    verdict, text = _feedback(capsys, exercise_id, cls)
    assert verdict is False and named in text


def _pow(local):
    def __pow__(self, k):
        out = type(self)(self.data**k, (self,), f"**{k}")

        def _backward():
            self.grad += local(self.data, k) * out.grad

        out._backward = _backward
        return out

    return __pow__


@pytest.mark.parametrize(
    ("local", "named"),
    [
        (lambda x, k: k * x**k, "drops by one"),
        (lambda x, k: x ** (k - 1), "without the factor k"),
        (lambda x, k: (k - 1) * x ** (k - 1), "expected"),
    ],
)
def test_pow_mistakes_are_named(capsys, local, named):
    verdict, text = _feedback(capsys, "20.4", _with(__pow__=_pow(local)))
    assert verdict is False and named in text


def _backward(*, remember_visited=True, reverse=True, seed=True):
    """A recursive backward() (micrograd's), or one with a typical slip switched on."""

    def backward(self):
        order, visited = [], set()

        def visit(node):
            if remember_visited and node in visited:
                return
            visited.add(node)
            for child in node._prev:
                visit(child)
            order.append(node)

        visit(self)
        if seed:
            self.grad = 1.0
        for node in reversed(order) if reverse else order:
            node._backward()

    return backward


_recursive_backward = _backward()
_unreversed_backward = _backward(reverse=False)  # inputs first: their grads are incomplete
_unvisited_backward = _backward(remember_visited=False)  # a node reached twice runs twice
_unseeded_backward = _backward(seed=False)  # no d(out)/d(out) = 1


@pytest.mark.parametrize(
    ("backward", "named"),
    [
        (_unreversed_backward, "reverse topological order"),
        (_unvisited_backward, "ran more than once"),
        (_unseeded_backward, "self.grad = 1.0"),
    ],
)
def test_backward_mistakes_are_named(capsys, backward, named):
    verdict, text = _feedback(capsys, "20.5", _with(backward=backward))
    assert verdict is False and named in text


def test_recursive_backward_passes_but_is_told_its_depth(capsys):
    cls = _with(backward=_recursive_backward)
    assert check("20.5", cls) is True
    verdict, text = _feedback(capsys, "20.6", cls)
    assert verdict is False
    assert "gets through a chain of 100 nodes but fails at 1,000 with a RecursionError" in text
    assert sys.getrecursionlimit() >= 1000  # the check put the limit back


def _train(zero, sign):
    def train(w, b, points, lr, steps):
        w = [Good(v) for v in w]
        b = Good(b)
        losses = []
        for _ in range(steps):
            loss = Good(0.0)
            for x, y in points:
                out = (w[0] * x[0] + w[1] * x[1] + b).tanh()
                loss = loss + (out - y) ** 2
            if zero:
                for p in [*w, b]:
                    p.grad = 0.0
            loss.backward()
            for p in [*w, b]:
                p.data += sign * lr * p.grad
            losses.append(loss.data)
        return w, b, losses

    return train


@pytest.mark.parametrize(
    ("zero", "sign", "named"),
    [(False, -1.0, "never resets the gradients"), (True, 1.0, "against the gradient")],
)
def test_training_loop_mistakes_are_named(capsys, zero, sign, named):
    verdict, text = _feedback(capsys, "20.7", _train(zero, sign))
    assert verdict is False and named in text


def test_the_training_loop_agrees_with_minitensor(capsys):
    """The worked loop's result is checked against minitensor's Value, computed by the checker."""
    assert check("20.7", _train(True, -1.0)) is True


def test_untouched_gaps_are_not_answered_yet(capsys):
    def gap(*args, **kwargs):
        raise NotImplementedError()

    for exercise_id, answer in [("20.1", _with(__mul__=gap)), ("20.7", gap), ("21.1", gap)]:
        assert check(exercise_id, answer) is None
        assert "not answered yet" in capsys.readouterr().out


def test_feedback_never_prints_the_solution(capsys):
    """The messages name mistakes, never the code: no worked line appears in them."""
    for exercise_id, cls in [
        ("20.1", _with(__mul__=_mul(_assigns), __rmul__=_mul(_assigns))),
        ("20.5", _with(backward=_unreversed_backward)),
    ]:
        check(exercise_id, cls)
    text = capsys.readouterr().out
    assert "other.data * out.grad" not in text
    assert "for node in reversed(order)" not in text


# --- 21: tensor backward rules --------------------------------------------------------------

TENSOR = _solutions("21_build_tensor_backward")


@pytest.mark.parametrize(
    ("wrong", "named"),
    [
        (lambda g, s: g.mean(axis=tuple(range(g.ndim - len(s)))), "the mean, not the sum"),
        (lambda g, s: g.sum(axis=0), "keepdims=True"),
        (lambda g, s: g.sum(axis=tuple(range(g.ndim - len(s)))), "Axis 0 has size 1"),
        (lambda g, s: g, "has shape (4, 3), expected (3,)"),
    ],
)
def test_sum_to_shape_mistakes_are_named(capsys, wrong, named):
    verdict, text = _feedback(capsys, "21.1", wrong)
    assert verdict is False and named in text


@pytest.mark.parametrize(
    ("wrong", "named"),
    [
        (lambda g, a, b: (g * b, g * a), "sum it back over the axes that broadcasting stretched"),
        (
            lambda g, a, b: (np.broadcast_to(b, g.shape) * 1.0, a * np.ones_like(g)),
            "multiply it by the gradient that arrived from above",
        ),
        (lambda g, a, b: (-g * b, -g * a), "wrong sign"),
        (lambda g, a, b: (g * a, g * b), "uses its own factor"),
    ],
)
def test_mul_backward_mistakes_are_named(capsys, wrong, named):
    verdict, text = _feedback(capsys, "21.2", wrong)
    assert verdict is False and named in text


@pytest.mark.parametrize(
    ("wrong", "named"),
    [
        (lambda G, A, B: (G @ B.T, G.T @ A), "the gradient has the shape of the parameter"),
        (lambda G, A, B: (B @ G.T, A.T @ G), "the gradient has the shape of the parameter"),
        (
            lambda G, A, B: (np.ones_like(G) @ B.T, A.T @ np.ones_like(G)),
            "if G were all ones",
        ),
    ],
)
def test_matmul_backward_mistakes_are_named(capsys, wrong, named):
    verdict, text = _feedback(capsys, "21.3", wrong)
    assert verdict is False and named in text


def test_a_transposed_gradient_of_square_matrices_is_caught(capsys):
    """When A, B and G are square the shapes match; the check still sees the transpose."""
    from exercises.ex21 import EXERCISES

    def transposed_when_square(G, A, B):
        grad_B = A.T @ G
        return G @ B.T, grad_B.T if grad_B.shape[0] == grad_B.shape[1] else grad_B

    message = EXERCISES["21.3"].verdict(transposed_when_square)
    assert "transpose of the right answer" in message


def _notebook_tensor_class(**functions):
    """The Tensor class exactly as notebook 21 defines it, running the given functions."""
    return defined_in_notebook("21_build_tensor_backward", "Tensor", {"np": np, **functions})


def test_the_notebooks_tensor_engine_runs_right_rules(capsys):
    rules = {name: getattr(TENSOR, name) for name in ("sum_to_shape", "mul_backward")}
    cls = _notebook_tensor_class(**rules, matmul_backward=TENSOR.matmul_backward)
    assert check("21.4", cls) is True


def test_the_tensor_engine_with_a_wrong_rule_is_caught(capsys):
    """21.4 runs the student's functions: a mistake in one shows up there too."""
    rules = {name: getattr(TENSOR, name) for name in ("sum_to_shape", "mul_backward")}
    cls = _notebook_tensor_class(
        **rules, matmul_backward=lambda G, A, B: (G @ B.T, np.zeros_like(B))
    )
    verdict, text = _feedback(capsys, "21.4", cls)
    assert verdict is False and "w.grad is" in text


# --- 22: a Function of your own -------------------------------------------------------------

FUNCTION = _solutions("22_build_function")


def _softplus_with(forward=None, backward=None):
    """The worked Softplus with its forward or backward replaced."""
    methods = {}
    if forward is not None:
        methods["forward"] = staticmethod(forward)
    if backward is not None:
        methods["backward"] = staticmethod(backward)
    return type("StudentSoftplus", (FUNCTION.Softplus,), methods)


def _saved(ctx):
    (x,) = ctx.saved_tensors
    return x


def _naive_forward(ctx, x):
    ctx.save_for_backward(x)
    return (x.exp() + 1).log()


@pytest.mark.parametrize(
    ("function", "named"),
    [
        (_softplus_with(forward=_naive_forward), "overflows"),
        (
            _softplus_with(backward=lambda ctx, g: _saved(ctx).sigmoid()),
            "multiply it by grad_output",
        ),
        (_softplus_with(backward=lambda ctx, g: g * _saved(ctx).exp()), "through the log"),
        (_softplus_with(backward=lambda ctx, g: -g * _saved(ctx).sigmoid()), "sign is wrong"),
    ],
)
def test_softplus_mistakes_are_named(capsys, function, named):
    with np.errstate(all="ignore"):
        verdict, text = _feedback(capsys, "22.1", function)
    assert verdict is False and named in text


def test_the_softplus_check_agrees_with_torch():
    """The checker's expectations (NumPy's logaddexp, the sigmoid) against torch itself."""
    import torch

    import minitensor as mt

    x = [-1000.0, -3.0, -0.5, 0.0, 0.5, 3.0, 1000.0]
    theirs = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    torch.nn.functional.softplus(theirs).sum().backward()
    ours = mt.tensor(x, dtype=mt.float64, requires_grad=True)
    out = FUNCTION.Softplus.apply(ours)
    out.sum().backward()
    np.testing.assert_allclose(out.detach().numpy(), torch.nn.functional.softplus(theirs).detach())
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy())


def test_a_layer_with_parameters_is_refused(capsys):
    import minitensor as mt

    class Weighted(mt.nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = mt.nn.Parameter(mt.ones(1))

        def forward(self, x):
            return FUNCTION.Softplus.apply(x) * self.scale

    verdict, text = _feedback(capsys, "22.2", Weighted)
    assert verdict is False and "no parameters" in text
