"""Weight initialisation against PyTorch: the same distributions, gains, generators and errors.

The numbers themselves differ (each library has its own random generator),
so the tests compare what the functions promise: the spread and the range
of the values, computed from a large tensor filled by each library.
"""

import math
import warnings

import numpy as np
import pytest
import torch

import minitensor as mt

SHAPE = (300, 200)  # fan_in 200, fan_out 300

FILLS = {
    "uniform_": lambda init, t, g: init.uniform_(t, -0.5, 1.5, generator=g),
    "normal_": lambda init, t, g: init.normal_(t, 1.0, 0.3, generator=g),
    "kaiming_uniform_": lambda init, t, g: init.kaiming_uniform_(t, a=math.sqrt(5), generator=g),
    "kaiming_uniform_ fan_out relu": lambda init, t, g: init.kaiming_uniform_(
        t, mode="fan_out", nonlinearity="relu", generator=g
    ),
    "kaiming_normal_": lambda init, t, g: init.kaiming_normal_(t, generator=g),
    "kaiming_normal_ fan_out tanh": lambda init, t, g: init.kaiming_normal_(
        t, mode="fan_out", nonlinearity="tanh", generator=g
    ),
    "xavier_uniform_": lambda init, t, g: init.xavier_uniform_(t, gain=2.0, generator=g),
    "xavier_normal_": lambda init, t, g: init.xavier_normal_(t, generator=g),
}


def _fill(lib, name, generator=None):
    t = lib.empty(*SHAPE, dtype=lib.float64)
    out = FILLS[name](lib.nn.init, t, generator)
    assert out is t  # in place, and returned
    return t.numpy()


@pytest.mark.parametrize("name", FILLS)
def test_the_spread_and_range_match_torchs(name):
    ours, theirs = _fill(mt, name), _fill(torch, name)
    assert ours.mean() == pytest.approx(theirs.mean(), abs=0.02 * theirs.std() + 1e-3)
    assert ours.std() == pytest.approx(theirs.std(), rel=0.03)
    if "uniform" in name:  # both fill up to the same bounds
        assert ours.min() == pytest.approx(theirs.min(), rel=0.01)
        assert ours.max() == pytest.approx(theirs.max(), rel=0.01)


@pytest.mark.parametrize("name", FILLS)
def test_a_generator_makes_the_fill_reproducible_as_in_torch(name):
    for lib in (mt, torch):
        first = _fill(lib, name, lib.Generator().manual_seed(3))
        lib.manual_seed(99)  # the shared generator plays no part
        np.testing.assert_array_equal(_fill(lib, name, lib.Generator().manual_seed(3)), first)


@pytest.mark.parametrize(
    ("nonlinearity", "param"),
    [("linear", None), ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None),
     ("leaky_relu", 0.2), ("selu", None), ("conv2d", None)],
)  # fmt: skip
def test_calculate_gain_matches_torch(nonlinearity, param):
    ours = mt.nn.init.calculate_gain(nonlinearity, param)
    assert ours == torch.nn.init.calculate_gain(nonlinearity, param)


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.nn.init.kaiming_uniform_(lib.empty(3, 4), mode="fan_sideways"),
        lambda lib: lib.nn.init.kaiming_normal_(lib.empty(3, 4), mode="FAN_OUT"),
        lambda lib: lib.nn.init.xavier_normal_(lib.empty(3)),
        lambda lib: lib.nn.init.calculate_gain("softplus"),
    ],
)
def test_bad_arguments_fail_as_in_torch(call):
    outcomes = []
    for lib in (mt, torch):
        try:
            outcomes.append(("ok", tuple(call(lib).shape)))
        except Exception as error:
            outcomes.append((type(error).__name__, str(error)))
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_"])
def test_zero_element_tensors_are_left_alone_with_torchs_warning(name):
    messages = []
    for lib in (mt, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t = lib.empty(0, 3)
            assert getattr(lib.nn.init, name)(t) is t
        messages.append([str(w.message) for w in caught])
    assert messages[0] == messages[1] == ["Initializing zero-element tensors is a no-op"]
