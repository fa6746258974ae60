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
"""

SOLUTIONS = {
    "04.1": 9.0,
    "04.2": {"x", "w", "b"},
    "04.3": "AddBackward0",
    "04.4": 0.10000000149011612,
}
