"""Worked solutions for notebook 07 (training a network).

07.1: ``nn.Linear(n_in, n_out)`` holds a weight matrix of n_out x n_in numbers and
n_out biases. ``Linear(64, 32)``: 64 * 32 + 32 = 2080. ``ReLU`` has nothing to
learn. ``Linear(32, 10)``: 32 * 10 + 10 = 330. In all 2080 + 330 = 2410.

07.2: the loss is (1/3) * sum of max(0, 1 - y_i s_i). Work out the margins:
point 1: 1 - (1)(0.3) = 0.7 > 0, so its term is 1 - s_1, slope -1;
point 2: 1 - (-1)(-2.0) = -1 < 0, so its term is 0 there, slope 0 (it is
already past the margin and asks for nothing);
point 3: 1 - (-1)(0.5) = 1.5 > 0, so its term is 1 + s_3, slope +1.
Divide by 3 for the mean: [-1/3, 0, 1/3]. The gradient pushes s_1 up (class +1)
and s_3 down (class -1), exactly what a training step needs.

07.3: softmax of [2, 0, 0]: p_0 = e^2 / (e^2 + 1 + 1) = 7.389 / 9.389 = 0.787.
The loss is -log(0.787) = 0.2395 (the same as log(1 + 2 e^-2)).

07.4: the step never clears the gradients. ``backward()`` adds into ``.grad``,
so from the second step on ``opt.step()`` uses the sum of this batch's gradient
and of every earlier one. Clear them before ``backward()`` (or right after
``step()``): one added line, ``opt.zero_grad()``. (Clearing them *between*
``backward()`` and ``step()`` is the other classic slip: then the step finds
no gradient at all, and the weights never move.)
"""

from minitensor.nn import functional as F


def train_step(model, opt, xb, yb):
    loss = F.mse_loss(model(xb), yb)
    opt.zero_grad()  # the missing line: forget the previous step's gradients
    loss.backward()
    opt.step()
    return loss


SOLUTIONS = {
    "07.1": 2410,
    "07.2": [-1 / 3, 0.0, 1 / 3],
    "07.3": 0.2395,
    "07.4": train_step,
}
