"""Backward formulas that are operations of their own: tanh, sigmoid and relu.

The backward of ``tanh`` could be written with three tensor operations,
``grad_output * (1 - y * y)``; here it is *one* operation, `TanhBackward`,
with its own forward (that formula, on arrays) and its own backward (the
formula's derivative). One operation is quicker than three, and it is what
PyTorch does: after ``create_graph=True`` the gradient's ``grad_fn`` is
``TanhBackwardBackward0`` in both libraries, and differentiating it again
(a third derivative) runs `TanhBackward.backward`.

Each takes the *output* y of the forward operation, which its Function
saved (``ctx.save_result()``), and the gradient arriving at it.
"""

from __future__ import annotations

from minitensor.autograd.function import Function
from minitensor.ops.operands import constant_zeros, promoted, xp_of


class TanhBackward(Function):
    """out = grad_output * (1 - y * y), for y = tanh(a): tanh's backward as one operation.

    ``d tanh(a)/da = 1 - tanh(a)**2``, written with the saved output y. One
    operation instead of three (y * y, 1 - ..., grad_output * ...) is quicker,
    and it is what PyTorch does: with ``create_graph=True`` the gradient's
    ``grad_fn`` is this node, ``TanhBackwardBackward0``, in both libraries.
    """

    node_name = "TanhBackwardBackward0"

    @staticmethod
    def forward(ctx, grad_output, y):
        ctx.save_for_backward(grad_output, y)
        g, t = promoted(grad_output, y)
        return g * (1 - t * t)

    @staticmethod
    def backward(ctx, grad):
        grad_output, y = ctx.saved_tensors
        # The operation is linear in grad_output (so the same formula again) and
        # d/dy [grad_output * (1 - y**2)] = -2 y grad_output.
        grad_g = TanhBackward.apply(grad, y) if ctx.needs_input_grad[0] else None
        grad_y = grad * -2 * y * grad_output if ctx.needs_input_grad[1] else None
        return grad_g, grad_y


class SigmoidBackward(Function):
    """out = grad_output * (1 - s) * s, for s = sigmoid(a): sigmoid's backward as one operation.

    ``d sigmoid(a)/da = sigmoid(a) (1 - sigmoid(a))``, written with the saved
    output s, in the order PyTorch's kernel multiplies (so rounded alike). As
    for `TanhBackward`, PyTorch also makes this one node: ``SigmoidBackwardBackward0``.
    """

    node_name = "SigmoidBackwardBackward0"

    @staticmethod
    def forward(ctx, grad_output, s):
        ctx.save_for_backward(grad_output, s)
        g, y = promoted(grad_output, s)
        return g * (1 - y) * y

    @staticmethod
    def backward(ctx, grad):
        grad_output, s = ctx.saved_tensors
        # Linear in grad_output; d/ds [grad_output * (s - s**2)] = grad_output * (1 - 2 s).
        grad_g = SigmoidBackward.apply(grad, s) if ctx.needs_input_grad[0] else None
        grad_s = grad * grad_output * (1 - 2 * s) if ctx.needs_input_grad[1] else None
        return grad_g, grad_s


class ReluBackward(Function):
    """out = grad_output where y > 0, else 0, for y = relu(a): relu's backward as one operation.

    ``d relu(a)/da`` is 0 where the output is <= 0 (also at a = 0, as in
    PyTorch) and 1 elsewhere; a nan output passes its gradient on. PyTorch
    calls this operation threshold_backward: ``ThresholdBackwardBackward0``.
    """

    node_name = "ThresholdBackwardBackward0"

    @staticmethod
    def forward(ctx, grad_output, y):
        ctx.save_for_backward(y)
        xp, g = xp_of(y), grad_output._array
        return xp.where(y._array <= 0, 0.0, g)  # (a Python 0.0 takes g's dtype)

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        # Linear in grad_output (the same mask again); flat in y: zeros, as in PyTorch.
        grad_g = ReluBackward.apply(grad, y) if ctx.needs_input_grad[0] else None
        grad_y = None
        if ctx.needs_input_grad[1]:
            grad_y = constant_zeros(grad)
        return grad_g, grad_y
