"""Worked solutions for notebook 09 (autograd mistakes).

09.1: ``loss = 5 * w`` has d(loss)/dw = 5. Each ``backward()`` adds 5 into
``w.grad`` and nothing clears it, so after four passes ``w.grad`` is
5 + 5 + 5 + 5 = 20. (Each pass builds a new graph, so there is no "backward
twice" error: only the silent accumulation.)

09.2: The update must happen inside ``with mt.no_grad():`` so that autograd
does not try to record an in-place change of a leaf that requires grad. It
must stay in place (``-=``): ``w = w - lr * w.grad`` would only rebind the
function's local name, and the caller's tensor would not change. Then
``w.grad = None`` clears the gradient for the next step.

09.3: True. The derivative of e^x is e^x, so ``exp`` saves its *output* ``y``
for the backward pass (version 0). ``y.add_(1)`` changes ``y`` in place
(version 1), and the backward pass refuses to use it: "one of the variables
needed for gradient computation has been modified by an inplace operation".

09.4: ``w.detach()`` is a constant with the value 3, so for the gradient the
expression is c * w**2 with c = 3, and d/dw = 2 * c * w = 2 * 3 * 3 = 18.
Without the detach it would be d(w**3)/dw = 3 w**2 = 27.
"""

import minitensor as mt


def sgd_step(w, lr):
    """One step of gradient descent on the leaf ``w``, then clear its gradient."""
    with mt.no_grad():
        w -= lr * w.grad
    w.grad = None


SOLUTIONS = {
    "09.1": 20.0,
    "09.2": sgd_step,
    "09.3": True,
    "09.4": 18.0,
}
