"""Checks for the exercises of notebook 02 (inside backward()).

Each check works out the right answer itself from the question's numbers.
"""

import math

from exercises import Exercise, close

# 02.1: c = a * a + a at a = 4. The product sends a twice (once per factor),
# the sum sends 1: dc/da = a + a + 1.
_A1 = 4.0
_DC_DA = _A1 + _A1 + 1.0

# 02.2: b = a + a + a has three contributions of 1 (db/da = 3); two backward()
# calls without zero_grad add them twice.
_TWICE = 2 * (1.0 + 1.0 + 1.0)

# 02.3: the buggy pass on out = (a * a) * a at a = 2. In topological order it
# processes out (sets p.grad = 1 * a and a.grad = 1 * p), then p = a * a, which
# sets a.grad twice, both times to p.grad * a. The last assignment wins.
_A3 = 2.0
_P_GRAD = 1.0 * _A3
_BUGGY = _P_GRAD * _A3


EXERCISES = {
    "02.1": Exercise(
        question="dc/da for c = a * a + a at a = 4",
        is_right=close(_DC_DA),
        hint="Three contributions reach a: two from the product (each the other factor's "
        "value, a) and one from the sum (1). Add them.",
    ),
    "02.2": Exercise(
        question="a.grad after b = a + a + a and two backward() calls",
        is_right=close(_TWICE),
        hint="One backward() gives db/da = 1 + 1 + 1; the second one adds the same again.",
    ),
    "02.3": Exercise(
        question="a.grad from buggy_backward for c = (a * a) * a at a = 2",
        is_right=close(_BUGGY),
        hint="Follow the topological order: the outer product first (it SETS a.grad to "
        "a * a), then the inner a * a, which SETS a.grad twice more. Only the last "
        "assignment survives.",
    ),
}


def _graphs():
    """(description, root, {name: node}) for small Value graphs, freshly built."""
    from minitensor import Value

    a = Value(1.5)
    yield "the chain y = (a * 2) * 3", (a * 2) * 3, {"a": a}
    a = Value(3.0)
    yield "c = a * a at a = 3", a * a, {"a": a}
    a = Value(3.0)
    yield "b = a + a at a = 3", a + a, {"a": a}
    a = Value(2.0)
    yield "c = (a * a) * a at a = 2", (a * a) * a, {"a": a}
    a = Value(5.0)
    yield "a graph that is only the leaf a", a, {"a": a}
    x1, w1, x2, w2 = Value(2.0), Value(-3.0), Value(0.0), Value(1.0)
    b = Value(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    yield "the tanh neuron", o, {"x1": x1, "w1": w1, "x2": x2, "w2": w2, "b": b}


def _diagnose_my_backward(my_backward) -> str | None:
    from exercises.feedback import not_a_function

    problem = not_a_function(my_backward, "my_backward")
    if problem:
        return problem
    expected = []
    for _, root, leaves in _graphs():
        root.backward()
        expected.append({name: leaf.grad for name, leaf in leaves.items()})
    for (what, root, leaves), want in zip(_graphs(), expected):
        try:
            my_backward(root)
        except Exception as error:
            return f"for {what} it raised {type(error).__name__}: {error}"
        if not math.isclose(root.grad, 1.0):
            return f"for {what}, the output's grad is {root.grad}: it must be 1 (d out / d out)."
        for name, leaf in leaves.items():
            if math.isclose(leaf.grad, want[name], rel_tol=1e-9, abs_tol=1e-12):
                continue
            said = f"for {what}, {name}.grad is {leaf.grad:.6g} instead of {want[name]:.6g}"
            if leaf.grad == 0.0 and want[name] != 0.0:
                return (
                    f"{said}. Does every node get processed after all of its users? "
                    "topological_order puts the output first."
                )
            if what.startswith(("c = a * a", "b = a + a", "c = (a")):
                return f"{said}: a node used twice receives two contributions. Are both kept?"
            return said + "."
        my_backward(root)  # a second pass on the same graph must give the same numbers
        for name, leaf in leaves.items():
            if not math.isclose(leaf.grad, want[name], rel_tol=1e-9, abs_tol=1e-12):
                return (
                    f"for {what}, a second call gives {name}.grad = {leaf.grad:.6g}: every "
                    "gradient must start again from 0."
                )
    return None


EXERCISES["02.4"] = Exercise(
    question="a correct backward pass my_backward(root) for Value graphs",
    diagnose=_diagnose_my_backward,
    hint="Three ideas from this notebook: every .grad from 0 and the root's 1; the nodes in "
    "topological order; and each parent receives node.grad times its local derivative, "
    "added to what it already has.",
)
