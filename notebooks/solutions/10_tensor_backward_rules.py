"""Worked solutions for notebook 10 (tensor backward rules).

10.1  (x + b) * 2 has slope 2 for every element. b (1, 3) is broadcast to the
      4 rows of x, so each b_j is used 4 times and receives 4 contributions
      of 2: b.grad = [[8., 8., 8.]], of b's shape (1, 3). (x's values do not
      matter: the sum and the broadcast only copy gradients.)

10.2  The shapes decide: dx must be (n, k) like x, from G (n, m) and W (k, m):
      G @ W.T. dW must be (k, m) like W, from x (n, k) and G (n, m): x.T @ G,
      which also sums over the n examples. (For square matrices a transposed
      formula has the right shape and the wrong numbers: the check tests a
      3 x 3 case for that.)

10.3  A broadcast (a) adds dimensions on the left and (b) stretches size-1
      dimensions. Undo (a) by summing over the extra leading dimensions, then
      (b) by summing with keepdim=True over each dimension where the target
      has size 1. A shape () target ends up as the sum of everything.
"""


def matmul_backward(x, W, G):
    """dL/dx and dL/dW for y = x @ W, given G = dL/dy."""
    return G @ W.T, x.T @ G


def sum_to_shape(grad, shape):
    """grad, summed back to ``shape`` (the inverse of broadcasting)."""
    shape = tuple(shape)
    extra = grad.dim() - len(shape)
    if extra > 0:
        grad = grad.sum(dim=tuple(range(extra)))
    for dim, size in enumerate(shape):
        if size == 1 and grad.shape[dim] != 1:
            grad = grad.sum(dim=dim, keepdim=True)
    return grad


SOLUTIONS = {
    "10.1": [[8.0, 8.0, 8.0]],
    "10.2": matmul_backward,
    "10.3": sum_to_shape,
}
