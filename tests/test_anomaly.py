"""Anomaly detection: the forward line of a failing backward, and NaN checks, as PyTorch."""

import warnings

import pytest
import torch

import minitensor as mt
from minitensor.autograd import detect_anomaly, is_anomaly_enabled, set_detect_anomaly


def _run(lib, anomaly):
    """sqrt of a negative number: its backward returns NaN."""
    with anomaly():
        x = lib.tensor([-1.0], requires_grad=True)
        y = x.sqrt().sum()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pytest.raises(RuntimeError) as error:
                y.backward()
    return str(error.value), [str(w.message) for w in caught]


def test_nan_in_backward_is_an_error_with_pytorchs_message():
    message, warned = _run(mt, lambda: set_detect_anomaly(True))
    expected, _ = _run(torch, lambda: torch.autograd.set_detect_anomaly(True))
    assert message == expected
    assert warned and warned[0].startswith(
        "Error detected in SqrtBackward0. Traceback of forward call that caused the error:"
    )
    assert "test_anomaly.py" in warned[0]  # the student's line, not minitensor's


def test_error_in_backward_names_the_forward_line():
    with detect_anomaly():
        x = mt.ones(2, requires_grad=True)
        y = x * 2
        z = y * y  # saves y
        y.add_(1)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pytest.raises(RuntimeError, match="modified by an inplace operation"):
                z.sum().backward()
    (warning,) = [str(w.message) for w in caught]
    assert warning.startswith("Error detected in MulBackward0.")
    assert "z = y * y" in warning


def test_modes_switch_back():
    assert not is_anomaly_enabled()
    with set_detect_anomaly(True):
        assert is_anomaly_enabled()
    assert not is_anomaly_enabled()

    @detect_anomaly()
    def inside():
        return is_anomaly_enabled()

    assert inside() and not is_anomaly_enabled()


def test_without_anomaly_mode_nan_passes_silently_as_in_pytorch():
    x = mt.tensor([-1.0], requires_grad=True)
    x.sqrt().sum().backward()
    assert x.grad.isnan().item() if hasattr(x.grad, "isnan") else x.grad.item() != x.grad.item()
