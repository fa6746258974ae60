"""Worked solutions for notebook 06 (the chain rule with tensors).

06.1  One path, z -> y -> x. z = y * y has dz/dy = 2y (y appears twice: two
      contributions of y). y = a * x has dy/dx = a. So dz/dx = 2y * a with
      y = 4 * 3 = 12: dz/dx = 2 * 12 * 4 = 96. (Check: z = a**2 x**2, whose
      derivative is 2 a**2 x = 96.)

06.2  dL/dd = -1. Through b: dd/db = w3 and db/da = w1, so -1 * 4 * 3 = -12.
      Through c: dd/dc = w4 and dc/da = w2, so -1 * 0.5 * (-2) = 1.
      dL/da = -12 + 1 = -11.

06.3  out = (x1**2 + x2**2 + x3**2 + x4**2) / 4, so d out/dx_i = 2 x_i / 4:
      [0.5, 1.0, 1.5, 2.0]. The mean contributes the 1/4, x**2 the 2 x_i.

06.4  y has 2 elements and x has 3: the Jacobian dy_i/dx_j is a 2 x 3 matrix
      (here it is W itself). Its shape is (2, 3). backward(v) with v of shape
      (2,) returns v @ W, of shape (3,), like x.

06.5  backward(v) with v = e_i (a 1 at position i) gives e_i^T J, row i of
      J. One forward and one backward per output; a fresh copy of x each
      time, because backward() adds into .grad (reusing one leaf without
      clearing its grad would give row 0, row 0 + row 1, ...). This is why
      nobody builds full Jacobians for training: n outputs cost n backward
      passes, while the gradient of a loss costs one.
"""

SOLUTIONS = {
    "06.1": 96.0,
    "06.2": -11.0,
    "06.3": [0.5, 1.0, 1.5, 2.0],
    "06.4": (2, 3),
}


def jacobian(f, x):
    """The Jacobian of f at x, one row (one vector-Jacobian product) per output."""
    import minitensor as mt

    rows = []
    n_outputs = f(x).numel()
    for i in range(n_outputs):
        xg = x.detach().clone().requires_grad_()  # a fresh leaf: its .grad starts empty
        y = f(xg)
        v = mt.zeros(n_outputs, dtype=y.dtype)
        v[i] = 1.0
        y.backward(v)
        rows.append(xg.grad)
    return mt.stack(rows)


SOLUTIONS["06.5"] = jacobian
