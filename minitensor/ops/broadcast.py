"""Broadcasting, and its mirror image in backward: summing gradients back.

Broadcasting lets ``a + b`` combine a (3, 4) tensor with a (4,) tensor by
repeating ``b`` along a new leading dimension. The chain rule then says the
gradient for ``b`` is the *sum* of the gradient over the repeated copies.
`sum_to` is that sum, and every backward that broadcast its inputs calls it
(one helper, one rule).
"""

from __future__ import annotations


def broadcast_shapes(*shapes) -> tuple[int, ...]:
    """The shape of the result of broadcasting tensors of these shapes.

    Shapes are aligned at their last dimension; two sizes match if they are
    equal or one of them is 1. Otherwise it is PyTorch's error.
    """
    if len(shapes) == 2 and (shapes[0] == shapes[1] or not shapes[1]):
        return tuple(shapes[0])  # the common cases, decided quickly: same shape, or a 0-d other
    if all(shape == shapes[0] for shape in shapes):  # nothing to broadcast
        return tuple(shapes[0]) if shapes else ()
    result: tuple[int, ...] = ()
    for shape in shapes:
        result = _broadcast_pair(result, tuple(shape))
    return result


def _broadcast_pair(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    ndim = max(len(a), len(b))
    out = []
    for i in range(ndim):  # i counts dimensions of the result, from the left
        size_a = a[i - ndim + len(a)] if i - ndim + len(a) >= 0 else 1
        size_b = b[i - ndim + len(b)] if i - ndim + len(b) >= 0 else 1
        if size_a != size_b and size_a != 1 and size_b != 1:
            raise RuntimeError(
                f"The size of tensor a ({size_a}) must match the size of tensor b ({size_b}) "
                f"at non-singleton dimension {i}"
            )
        out.append(size_b if size_a == 1 else size_a)
    return tuple(out)


def is_expandable_to(shape, target) -> bool:
    """True if a tensor of ``shape`` broadcasts to ``target`` (so a gradient of
    shape ``target`` can be summed back to ``shape``)."""
    if len(shape) > len(target):
        return False
    return all(s == 1 or s == t for s, t in zip(reversed(shape), reversed(target)))


def sum_to(grad, shape):
    """Sum ``grad`` over the dimensions that broadcasting added or stretched.

    Args:
        grad: a gradient with the broadcast shape.
        shape: the shape of the input it belongs to.
    Returns:
        A tensor of ``shape``: leading extra dimensions summed away, and
        dimensions where the input had size 1 summed with keepdim.
    """
    if grad._array.shape == tuple(shape):
        return grad
    extra = grad.ndim - len(shape)
    dims = list(range(extra))  # dimensions the input did not have
    dims += [extra + i for i, s in enumerate(shape) if s == 1 and grad.shape[extra + i] != 1]
    out = grad.sum(dim=tuple(dims), keepdim=True) if dims else grad
    return out.reshape(tuple(shape))
