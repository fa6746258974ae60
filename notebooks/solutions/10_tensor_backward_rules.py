"""Worked solutions for notebook 10 (tensor backward rules).

10.1  (x + b) * 2 has slope 2 for every element. b (1, 3) is broadcast to the
      4 rows of x, so each b_j is used 4 times and receives 4 contributions
      of 2: b.grad = [[8., 8., 8.]], of b's shape (1, 3). (x's values do not
      matter: the sum and the broadcast only copy gradients.)

10.2  With J_ij = p_i (delta_ij - p_j), entry j of v^T J is
          sum_i v_i p_i (delta_ij - p_j) = p_j v_j - p_j sum_i v_i p_i
                                         = p_j (v_j - s),   s = sum_i p_i v_i.
      s is one number per softmax, the same for every j: the p-weighted
      average of v. In a batch each row is its own softmax, so s is a sum over
      the last dim, kept as a column (keepdim=True) so that it is subtracted
      from its own row. Two element-wise products and a sum: O(n) work and
      memory, where J would take n * n. (If v is the same everywhere, s equals
      that value and the answer is 0: shifting all logits leaves softmax as
      it is.)

10.3  x.mean(dim) averages shape[dim] elements, each with slope
      1 / shape[dim]. So every element of x along dim receives the gradient
      of its mean, divided by shape[dim]. grad has lost dimension dim:
      unsqueeze puts it back (size 1) in its place (a negative dim counts
      from the end, as in mean), and expand copies it along that dimension.
"""


def softmax_vjp(p, v):
    """v^T J for p = softmax(z) over the last dim, without building J."""
    s = (p * v).sum(dim=-1, keepdim=True)
    return p * (v - s)


def mean_backward(grad, shape, dim):
    """The gradient of x for x.mean(dim), given grad = dL/d(x.mean(dim))."""
    return grad.unsqueeze(dim).expand(shape) / shape[dim]


SOLUTIONS = {
    "10.1": [[8.0, 8.0, 8.0]],
    "10.2": softmax_vjp,
    "10.3": mean_backward,
}
