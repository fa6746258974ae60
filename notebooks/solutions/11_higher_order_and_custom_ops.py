"""Worked solutions for notebook 11 (higher derivatives, custom Functions).

11.1  f = x tanh(x). Product rule: f' = tanh(x) + x (1 - tanh(x)^2).
      Again: f'' = (1 - tanh^2) + (1 - tanh^2) + x * d/dx(1 - tanh^2)
                 = 2 (1 - tanh^2) - 2 x tanh (1 - tanh^2).
      At x = 0, tanh(0) = 0: f''(0) = 2. (f is about x^2 near 0, whose second
      derivative is 2.)

11.2  Two passes: the gradient of f at a copy of w that requires grad, with
      create_graph=True so that it has a graph; then the gradient of the
      number (gradient * v).sum(), which is H v (H is symmetric). When the
      first gradient does not require grad (f is linear in w), it is a
      constant and H v = 0.

11.3  forward saves x and returns x ** 3; backward returns
      grad_output * 3 * x ** 2: the incoming gradient times the local
      derivative, as every backward rule of notebook 02.
"""

import minitensor as mt


def hvp(f, w, v):
    """The Hessian of f at w, times v, by two backward passes."""
    w = w.detach().clone().requires_grad_()
    (grad,) = mt.autograd.grad(f(w), w, create_graph=True)
    if not grad.requires_grad:  # f is linear: its gradient is a constant
        return mt.zeros_like(w)
    (product,) = mt.autograd.grad((grad * v).sum(), w)
    return product


class Cube(mt.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2


SOLUTIONS = {
    "11.1": 2.0,
    "11.2": hvp,
    "11.3": Cube,
}
