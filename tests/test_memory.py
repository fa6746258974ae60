"""Memory: backward frees what the graph saved, graphs need no garbage collector,
and a long training loop does not grow."""

import gc
import tracemalloc
import weakref

import numpy as np
import pytest

import minitensor as mt


def test_saved_tensors_are_released_after_backward():
    x = mt.ones(3, requires_grad=True)
    hidden = x * 2
    saved = weakref.ref(hidden)  # Mul keeps it for its backward
    loss = (hidden * hidden).sum()
    del hidden
    assert saved() is not None
    loss.backward()
    assert saved() is None
    with pytest.raises(RuntimeError, match=r"^Trying to backward through the graph a second time"):
        loss.backward()


def test_saved_outputs_are_released_after_backward():
    x = mt.ones(3, requires_grad=True)
    y = x.exp()  # Exp keeps its output's values
    values = weakref.ref(y._array)
    loss = y.sum()
    del y
    assert values() is not None
    loss.backward()
    assert values() is None


def test_retain_graph_keeps_them():
    x = mt.ones(3, requires_grad=True)
    hidden = x * 2
    saved = weakref.ref(hidden)
    loss = (hidden * hidden).sum()
    del hidden
    loss.backward(retain_graph=True)
    assert saved() is not None
    loss.backward()
    assert saved() is None and x.grad.tolist() == [16.0, 16.0, 16.0]


def test_graphs_are_freed_without_the_garbage_collector():
    """No reference cycles: dropping the output frees the whole graph at once."""
    gc.disable()
    try:
        x = mt.ones(3, requires_grad=True)
        y = (x * 2).tanh().exp().sigmoid().relu().sqrt()
        z = (y @ mt.ones(3, 2)).mean()
        node = weakref.ref(y.grad_fn)
        values = weakref.ref(y._array)
        del y, z
        assert node() is None and values() is None
        loss = (x.exp() * x).sum()
        loss.backward()
        node = weakref.ref(loss.grad_fn)
        del loss
        assert node() is None
    finally:
        gc.enable()


def test_training_loop_does_not_grow():
    """1,000 steps of a small MLP with manual SGD: memory stays flat."""
    rng = np.random.default_rng(0)
    x = mt.tensor(rng.standard_normal((16, 4)).astype(np.float32))
    target = mt.tensor(rng.standard_normal((16, 1)).astype(np.float32))
    w1 = mt.tensor(rng.standard_normal((4, 8)).astype(np.float32) * 0.5, requires_grad=True)
    b1 = mt.zeros(8, requires_grad=True)
    w2 = mt.tensor(rng.standard_normal((8, 1)).astype(np.float32) * 0.5, requires_grad=True)

    def step():
        prediction = (x @ w1 + b1).tanh() @ w2
        loss = ((prediction - target) ** 2).mean()
        loss.backward()
        with mt.no_grad():
            for p in (w1, b1, w2):
                p -= 0.05 * p.grad
                p.grad = None
        return loss.item()

    # 500 steps untraced (tracing slows Python ~4x), then 500 traced: anything a
    # step leaves behind would be counted 500 times.
    first_loss = step()
    for _ in range(499):
        step()
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        for _ in range(500):
            last_loss = step()
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert last_loss < first_loss  # it trains
    assert after - before < 50_000, f"memory grew by {after - before} bytes"
