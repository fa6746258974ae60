"""The stored notebooks: built from their sources, run cleanly top to bottom, small.

nbval (run on notebooks/ by `make test`) checks that re-running each
notebook reproduces its stored outputs; these tests check the stored files
themselves.
"""

import json
import re
from pathlib import Path

import pytest

from tools.build_notebooks import SOURCES, parse_source

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


def _load(path):
    return json.loads(path.read_text())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_matches_its_source(path):
    source = SOURCES / f"{path.stem}.py"
    assert source.exists(), f"{path.name} has no source in tools/notebook_sources/"
    expected = parse_source(source.read_text())
    cells = _load(path)["cells"]
    assert [c["cell_type"] for c in cells] == [c["type"] for c in expected]
    assert ["".join(c["source"]) for c in cells] == [c["source"] for c in expected]
    assert [c.get("metadata", {}).get("tags", []) for c in cells] == [c["tags"] for c in expected]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_was_stored_from_one_clean_run(path):
    code = [c for c in _load(path)["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_outputs_are_clean(path):
    for cell in _load(path)["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":
                assert "raises-exception" in tags, f"unexpected error in {path.name}"
            if output.get("name") == "stderr":
                text = "".join(output["text"])
                # tqdm draws its text progress bar on stderr; nothing else may write there.
                assert "it/s]" in text or "s/it]" in text, f"stderr output in {path.name}: {text}"
    text = re.sub(r"\\u001b\[[0-9;]*m", "", path.read_text())  # colour codes in tracebacks
    assert not re.search(r"(?<![\w.])/(work|root|home|tmp)/", text), "a machine path is stored"
    assert path.stat().st_size < 1_000_000


def test_every_source_has_its_notebook():
    for source in SOURCES.glob("[0-9]*.py"):
        assert (ROOT / "notebooks" / f"{source.stem}.ipynb").exists(), source.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_widgets_are_whole(path):
    """Every widget an output shows, and every widget a stored widget refers to (its
    layout, style, children), is in the stored state: opened before running, the
    notebook draws each widget whole, not "model not found"."""
    nb = _load(path)
    state = nb["metadata"].get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})  # fmt: skip
    shown = re.findall(
        r'"model_id": "([0-9a-f]{32})"', json.dumps([c.get("outputs", []) for c in nb["cells"]])
    )
    referred = re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state))
    assert set(shown) <= set(state), "an output shows a widget that is not stored"
    assert set(referred) <= set(state), "a stored widget refers to one that is not stored"
    assert not nb["cells"] or all("execution" not in c.get("metadata", {}) for c in nb["cells"])
