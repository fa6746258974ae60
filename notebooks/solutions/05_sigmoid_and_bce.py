"""Worked solutions for notebook 05 (sigmoid and binary cross-entropy).

05.1: The score does not depend on the label: z = 1.1 * 2.2 + 0 = 2.42 and
a = sigmoid(2.42) = 1 / (1 + e^-2.42) = 0.91834. With y = 0,
dloss/dz = a - y = 0.91834. It is positive and large: the model says "yes"
with 92% confidence for an example labelled "no", so the gradient pushes z
down hard (a step against the gradient lowers z).

05.2: dloss/dw1 = dloss/dz * dz/dw1 = (a - y) * x1 = 0.91834 * 1.1 = 1.01017.
Check with ``mt.autograd.grad(F.binary_cross_entropy(a, mt.tensor([0.0])), w1)``.

05.3: With y = 1 the loss is -log(a) = -log(0.5) = log 2 = 0.69315. With
y = 0 it is -log(1 - a) = -log(0.5), the same: a model that answers 0.5
always pays log 2 per example. That is the loss to expect at the very start
of training a binary classifier.

05.4: (-y/a + (1 - y)/(1 - a)) * a(1 - a) simplifies to a - y, so the
function is ``mt.sigmoid(z) - y``. Computing the two factors separately
also works for moderate scores, but at z = 40 in float32, sigmoid(z) is
exactly 1.0 and (1 - y)/(1 - a) is 0/0: nan. The simplified form never
divides.
"""

import math


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


SOLUTIONS = {
    "05.1": _sigmoid(1.1 * 2.2) - 0.0,
    "05.2": (_sigmoid(1.1 * 2.2) - 0.0) * 1.1,
    "05.3": math.log(2),
}


def dloss_dz(z, y):
    """Prediction minus label: the derivative of BCE(sigmoid(z), y) at each score."""
    import minitensor as mt

    return mt.sigmoid(z) - y


SOLUTIONS["05.4"] = dloss_dz
