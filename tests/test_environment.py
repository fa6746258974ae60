"""The conda/Binder environment and pyproject.toml name the same packages."""

import re
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent

# pip name -> conda-forge name, where they differ.
CONDA_NAME = {"graphviz": "python-graphviz", "torch": "pytorch-cpu"}
# Extras that conda users do not get from environment.yml on purpose.
NOT_IN_CONDA = {"micrograd", "cupy-cuda12x"}  # benchmarks only; a GPU (see the README)


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~ ]", requirement.strip(), maxsplit=1)[0].lower()


def _pyproject_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in ("notebook", "test"):
        reqs += project["optional-dependencies"][extra]
    return reqs


def _environment_entries():
    conda, pip = [], []
    section = None  # nothing before the `dependencies:` key counts
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.split("#")[0].strip()
        if stripped == "dependencies:":
            section = conda
        elif section is None:
            continue
        elif stripped == "- pip:":
            section = pip
        elif stripped.startswith("- ") and stripped != "- pip":
            section.append(stripped[2:].strip())
    return conda, pip


def test_environment_yml_names_every_pyproject_dependency():
    conda, pip = _environment_entries()
    conda_names = {_name(e) for e in conda}
    pip_names = {_name(e) for e in pip}
    missing = []
    for req in _pyproject_requirements():
        name = _name(req)
        if name in NOT_IN_CONDA:
            continue
        if CONDA_NAME.get(name, name) not in conda_names and name not in pip_names:
            missing.append(name)
    assert missing == []


def test_environment_yml_names_nothing_more():
    conda, pip = _environment_entries()
    known = {CONDA_NAME.get(_name(r), _name(r)) for r in _pyproject_requirements()}
    known |= {_name(r) for r in _pyproject_requirements()}
    # python, pip, the package itself, and the system graphviz that python-graphviz draws with.
    known |= {"python", "pip", "-e", "graphviz"}
    extra = [e for e in conda + pip if _name(e) not in known]
    assert extra == []


def test_environment_yml_installs_minitensor_itself():
    _, pip = _environment_entries()
    assert "-e ." in pip


def test_pyproject_and_conda_agree_on_pinned_torch():
    conda, _ = _environment_entries()
    (torch_req,) = [r for r in _pyproject_requirements() if _name(r) == "torch"]
    (conda_torch,) = [e for e in conda if _name(e) == "pytorch-cpu"]
    assert torch_req.split("==")[1] == conda_torch.split("=")[-1]
