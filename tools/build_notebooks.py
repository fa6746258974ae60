"""Build the workbook's notebooks from their sources, and run them.

Each notebook is written as a plain Python file in "percent" format in
``tools/notebook_sources/`` (easy to review and diff)::

    # %% [markdown]
    # ## A title
    # A few lines of explanation.

    # %%
    x = minitensor.tensor([1.0, 2.0])

    # %% tags=["raises-exception"]
    x.backward()

``python -m tools.build_notebooks [NAMES...]`` turns each source into
``notebooks/<name>.ipynb``, executes it top to bottom in a fresh kernel (from
the notebooks folder, as JupyterLab would) and stores it with its outputs,
so nbval can compare a new run with them.

The widgets' state is stored too (in the notebook's metadata, as JupyterLab's
"Save Widget State" does), so that a notebook opened before it is run shows each
widget (a stepper, a progress bar) as it was at the end of the run, instead of
"Error displaying widget: model not found". Its model ids are renumbered so that
rebuilding a notebook does not change them.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tools" / "notebook_sources"
NOTEBOOKS = ROOT / "notebooks"

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
MAX_BYTES = 1_000_000  # a stored notebook stays small enough to review and download

_MARKER = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?: tags=(?P<tags>\[.*\]))?\s*$")


def parse_source(text: str) -> list[dict]:
    """The cells of a percent-format source: dicts with type, source and tags."""
    cells: list[dict] = []
    for line in text.splitlines():
        match = _MARKER.match(line)
        if match:
            cells.append(
                {
                    "type": "markdown" if match["markdown"] else "code",
                    "tags": json.loads(match["tags"]) if match["tags"] else [],
                    "lines": [],
                }
            )
        elif cells:
            cells[-1]["lines"].append(line)
        elif line.strip():
            raise ValueError(f"text before the first '# %%' marker: {line!r}")
    for cell in cells:
        lines = cell.pop("lines")
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if cell["type"] == "markdown":
            lines = [_uncomment(line) for line in lines]
        cell["source"] = "\n".join(lines)
    return cells


def _uncomment(line: str) -> str:
    if line == "#":
        return ""
    if not line.startswith("# "):
        raise ValueError(f"markdown lines must start with '# ': {line!r}")
    return line[2:]


def to_notebook(cells: list[dict]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    for cell in cells:
        if cell["type"] == "markdown":
            new = nbformat.v4.new_markdown_cell(cell["source"])
        else:
            new = nbformat.v4.new_code_cell(cell["source"])
        if cell["tags"]:
            new.metadata["tags"] = cell["tags"]
        nb.cells.append(new)
    return nb


def execute(nb: nbformat.NotebookNode) -> None:
    """Run every cell in a fresh kernel, from the notebooks folder."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        store_widget_state=True,
    )
    client.execute()


def _strip_ids(nb: nbformat.NotebookNode) -> None:
    """Stable cell ids (nbformat makes random ones), so rebuilding changes no line needlessly."""
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"


def _strip_machine_paths(nb: nbformat.NotebookNode) -> None:
    """Tracebacks of expected errors name files by full path: keep them relative."""
    prefix = str(ROOT) + "/"
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [line.replace(prefix, "") for line in output["traceback"]]


def _stable_widget_ids(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The same model ids in every build (the kernel makes random ones).

    Widgets are numbered in an order that does not depend on those ids: first
    the views the outputs show, in cell order, then the models each one
    refers to, breadth first (in the order of its state's sorted keys), and
    any left over by their state. Each gets an id made from the notebook's
    name and its number.
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    # (An id also appears as "IPY_MODEL_<id>", where the "_" before it is no word boundary.)
    model_id = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")
    outputs = json.dumps([cell.get("outputs", []) for cell in nb.cells])
    queue = [found for found in model_id.findall(outputs) if found in state]
    order: list[str] = []
    while queue:
        current = queue.pop(0)
        if current in order:
            continue
        order.append(current)
        refers_to = model_id.findall(json.dumps(state[current], sort_keys=True))
        queue += [found for found in refers_to if found in state and found != current]

    def content(key: str) -> str:
        return model_id.sub("", json.dumps(state[key], sort_keys=True))

    order += sorted((key for key in state if key not in order), key=content)
    new_ids = {
        old: hashlib.sha256(f"{name}/{number}".encode()).hexdigest()[:32]
        for number, old in enumerate(order)
    }
    text = model_id.sub(lambda m: new_ids.get(m[0], m[0]), nbformat.writes(nb))
    return nbformat.reads(text, as_version=4)


def _strip_timings(nb: nbformat.NotebookNode) -> None:
    """No execution timestamps: they would change every line they sit on at each build."""
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)


def build(name: str) -> Path:
    source = SOURCES / f"{name}.py"
    nb = to_notebook(parse_source(source.read_text()))
    _strip_ids(nb)
    execute(nb)
    _strip_machine_paths(nb)
    nb = _stable_widget_ids(nb, name)
    _strip_timings(nb)
    text = nbformat.writes(nb) + "\n"
    if len(text.encode()) > MAX_BYTES:
        raise RuntimeError(f"{name}.ipynb would be {len(text.encode()):,} bytes (> {MAX_BYTES:,})")
    target = NOTEBOOKS / f"{name}.ipynb"
    target.write_text(text)
    return target


def main(argv: list[str]) -> None:
    names = argv or sorted(p.stem for p in SOURCES.glob("[0-9]*.py"))
    for name in names:
        print(f"building {name} ...", flush=True)
        print(f"  wrote {build(name).relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
