"""Worked solutions for notebook 02 (inside backward()).

02.1  c = a * a + a. The product a * a has a as both inputs, and each gets
      "the other input's value" as local derivative: two contributions of a.
      The sum adds one contribution of 1. Total: dc/da = a + a + 1 = 2a + 1,
      which is 9 at a = 4 (the derivative of a**2 + a, as calculus says).

02.2  b = a + a + a is (a + a) + a: three contributions of 1, so one
      backward() gives a.grad = 3. A second backward() adds 3 more: 6.
      (Call b.zero_grad() in between to get 3 again.)

02.3  The graph is out = p * a with p = a * a. The topological order is
      out, p, a. At out: p.grad = 1 * a = 2 and a.grad = 1 * p = 4.
      At p: a.grad = p.grad * a = 4, then again a.grad = p.grad * a = 4.
      The buggy pass gives 4.0 instead of 3a**2 = 12: two of the three
      contributions (each 4) were overwritten.

02.4  buggy_backward with "=" replaced by "+=": every node's gradient starts
      from 0, the root's is 1, and in topological order each node adds
      node.grad * local to each parent. A node used twice (a in a * a) gets
      both contributions. (Walking the list in reverse, leaves first, would
      send gradients from nodes that have not received theirs yet: all 0.)
"""

SOLUTIONS = {
    "02.1": 2 * 4.0 + 1,
    "02.2": 6.0,
    "02.3": 4.0,
}


def my_backward(root):
    """buggy_backward with the bug fixed: contributions are added (+=)."""
    from minitensor.autograd.engine import topological_order

    order = topological_order([root])
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in order:
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += node.grad * local


SOLUTIONS["02.4"] = my_backward
