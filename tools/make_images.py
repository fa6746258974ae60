"""Draw the pictures in images/ with the project's own code: ``make images``.

Each picture is a function here that returns a `minitensor.viz` drawing.
The SVG file records the SHA-256 of the DOT text it was drawn from, so
``tests/test_images.py`` can tell when the code would now draw something
different (run ``make images`` then). The stepper screenshot is not made
here: the browser tests take it in JupyterLab (``make screenshots``).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "images"


def tanh_neuron_graph():
    """The graph of example E1, the tanh neuron, after backward (README, notebook 01)."""
    from minitensor import Value, viz

    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    n = x1w1 + x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return viz.draw(o)


def bce_tensor_graph():
    """The tensor graph of example E5, sigmoid and binary cross-entropy, after backward."""
    import minitensor as mt
    import minitensor.nn.functional as F
    from minitensor import viz

    y = mt.tensor([1.0])
    x1 = mt.tensor([1.1])
    w1 = mt.tensor([2.2], requires_grad=True)
    b = mt.tensor([0.0], requires_grad=True)
    z = x1 * w1 + b
    a = mt.sigmoid(z)
    loss = F.binary_cross_entropy(a, y)
    loss.backward()
    return viz.draw(loss, names={"w1": w1, "b": b, "loss": loss})


PICTURES = {
    "graph.svg": tanh_neuron_graph,
    "tensor_graph.svg": bce_tensor_graph,
}


def source_hash(drawing) -> str:
    return hashlib.sha256(drawing.source.encode()).hexdigest()


def make(name: str) -> Path:
    drawing = PICTURES[name]()
    svg = drawing.svg()
    stamp = f"<!-- drawn by tools/make_images.py from DOT sha256 {source_hash(drawing)} -->\n"
    head, _, rest = svg.partition("\n")  # keep the <?xml ...?> line first
    path = IMAGES / name
    path.write_text(f"{head}\n{stamp}{rest}")
    return path


def main(argv: list[str]) -> None:
    IMAGES.mkdir(exist_ok=True)
    for name in argv or PICTURES:
        print(f"wrote {make(name).relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
