"""Numbers and tensors written for people, shared by the pictures and the stepper's text.

A picture of a graph has room for a few characters per number, and a student
reads "-8.0" faster than "-7.999999523162842". Everything here is plain
Python plus NumPy on host copies of tensors, so it works for any device.
"""

from __future__ import annotations

import math

SMALL = 6  # tensors with at most this many elements are written out in full


def number(x) -> str:
    """A float with 6 significant digits that always looks like a float: -8.0, 0.707107, 1e-05."""
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return str(x)  # nan, inf, -inf
    text = f"{x:.6g}"
    if "e" not in text and "." not in text:
        text += ".0"
    return text


def factor(x) -> str:
    """`number`, in parentheses when negative, to sit after a multiplication sign."""
    text = number(x)
    return f"({text})" if text.startswith("-") else text


def shape_text(shape) -> str:
    """A shape as a tuple: ``(2, 3)``, ``(1,)``, ``()`` for a 0-d tensor."""
    return str(tuple(shape))


def dtype_text(dtype) -> str:
    """``float32`` rather than ``minitensor.float32`` (the picture is small)."""
    return str(dtype).removeprefix("minitensor.")


def tensor_type(tensor) -> str:
    """Shape and dtype, and the device if it is not the CPU: ``(2, 3) float32 cuda:0``."""
    text = f"{shape_text(tensor.shape)} {dtype_text(tensor.dtype)}"
    if tensor.device.type != "cpu":
        text += f" {tensor.device}"
    return text


def host_array(tensor):
    """A NumPy copy of a tensor's values (detached, on the CPU)."""
    return tensor.detach().cpu().numpy()


def _nested(values) -> str:
    """``[[1.0, 2.0], [3.0, 4.0]]`` from nested lists of numbers."""
    if isinstance(values, list):
        return "[" + ", ".join(_nested(v) for v in values) + "]"
    if isinstance(values, bool):
        return str(values)
    if isinstance(values, int):
        return str(values)
    return number(values)


def tensor_values(tensor) -> str:
    """A tensor's values if it is small, else a summary (mean, min, max) with its shape.

    >>> tensor_values(minitensor.tensor([1.0, -2.5]))
    '[1.0, -2.5]'
    """
    array = host_array(tensor)
    if array.size <= SMALL:
        return _nested(array.tolist())
    if array.dtype.kind == "b":
        return f"{shape_text(array.shape)}: {int(array.sum())} True"
    return (
        f"{shape_text(array.shape)}: mean {number(array.mean())}, "
        f"min {number(array.min())}, max {number(array.max())}"
    )


def scalar_value(grad) -> float | None:
    """The one number in a gradient (a float, or a tensor with one element), else None."""
    if isinstance(grad, (int, float)):
        return float(grad)
    if grad.numel() == 1:
        return float(host_array(grad).reshape(()))
    return None


def grad_text(grad) -> str:
    """A gradient for a label or a sentence: a float, or a tensor's values or summary."""
    if isinstance(grad, (int, float)):
        return number(grad)
    return tensor_values(grad)
