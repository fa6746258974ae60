"""Worked solutions for notebook 04 (autograd with tensors).

04.1: In ``y = w * x * x + b`` only ``w`` and ``b`` require grad; ``x`` is a
constant. So y = (x*x) w + b and dy/dw = x*x = 3 * 3 = 9. ``w.grad`` is
``tensor(9.)``. (And dy/db = 1.)

04.2: ``x``, ``w`` and ``b`` were made by you, so they are leaves, even ``x``,
which does not require grad. ``y`` was computed from tensors that require grad,
so it has a ``grad_fn`` and is not a leaf.

04.3: The last operation that made ``y`` is ``+ b``, so ``y.grad_fn`` is an
``AddBackward0``. Its ``next_functions`` lead to the ``MulBackward0`` of
``(w * x) * x`` and to ``b``'s ``AccumulateGrad``.

04.4: ``mt.Tensor([0.1])`` rounds 0.1 to the nearest float32,
0.100000001490116119384765625. ``.double()`` widens that number to float64
without changing it, so ``.item()`` gives 0.10000000149011612, not 0.1 (which
is the nearest *float64* to one tenth). The same rounding made the E1 numbers
of the notebook differ from notebook 01's.

04.5: ``X.requires_grad_()`` would change the caller's tensor (and leave a
``.grad`` on it that the next call adds to). A copy that requires grad,
``X.detach().clone().requires_grad_()``, is a new leaf of its own: its
``.grad`` after ``backward()`` is (1 - tanh(X @ w + b)**2)[:, None] * w, one row
per example, as in the notebook's batch.
"""

SOLUTIONS = {
    "04.1": 9.0,
    "04.2": {"x", "w", "b"},
    "04.3": "AddBackward0",
    "04.4": 0.10000000149011612,
}


def input_gradients(X, w, b):
    """d/dX of sum(tanh(X @ w + b)), by autograd, on a copy of X."""
    import minitensor as mt

    Xg = X.detach().clone().requires_grad_()
    mt.tanh(Xg @ w + b).sum().backward()
    return Xg.grad


SOLUTIONS["04.5"] = input_gradients
