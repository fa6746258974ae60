# The workbook's commands. The first two are the ones the README starts with:
#   make lab    open the workbook in JupyterLab
#   make test   run every test (lint, unit, property, notebooks, browser)
# Both create a virtual environment in .venv the first time.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --disable-pip-version-check -q -c requirements/constraints.txt
NOTEBOOKS := $(wildcard notebooks/[0-9]*.ipynb)
# Jupyter refuses to run as root (containers, cloud machines) unless told it may.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test test-dot test-classroom assignments lint bench notebooks images screenshots lock clean

$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "minitensor needs Python 3.11 or newer: make lab PYTHON=python3.11"'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q --upgrade pip

# Marker files record which extras are installed; they are redone when the
# dependencies change.
$(VENV)/.notebook: pyproject.toml requirements/constraints.txt lab-settings/overrides.json | $(PY)
	$(PIP) -e ".[notebook]"
	@# JupyterLab's settings for the workbook (no news pop-up): see lab-settings/README.md.
	install -D -m 644 lab-settings/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $@

$(VENV)/.test: pyproject.toml requirements/constraints.txt $(VENV)/.notebook
	$(PIP) -e ".[notebook,test,bench]"
	@touch $@

lab: $(VENV)/.notebook
	$(VENV)/bin/jupyter trust $(NOTEBOOKS)
	$(VENV)/bin/jupyter lab $(LAB_ARGS) notebooks/

test: $(VENV)/.test lint
	@# Matplotlib builds its font cache on first import and says so on stderr:
	@# do it here, not inside a notebook whose stored output nbval compares.
	$(PY) -c "import matplotlib.pyplot"
	$(PY) -m pytest --ignore=tests/classroom

# Teaching a class (deploy/TEACHING.md): nbgrader, JupyterHub and its proxy (Node.js).
# nbgrader's JupyterLab extensions stay off in this venv, so `make lab` looks as before.
$(VENV)/.classroom: pyproject.toml requirements/constraints.txt requirements/classroom.txt deploy/jupyterhub/package-lock.json $(VENV)/.notebook
	$(PIP) -c requirements/classroom.txt -e ".[notebook,classroom]"
	$(VENV)/bin/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader @jupyter-notebook/lab-extension
	for extension in formgrader validate_assignment assignment_list course_list; do \
	  $(VENV)/bin/jupyter server extension disable --sys-prefix nbgrader.server_extensions.$$extension; done
	npm ci --prefix deploy/jupyterhub --no-audit --no-fund
	@touch $@

# The nbgrader course, generated from the workbook into build/course/.
assignments: $(VENV)/.classroom
	$(PY) -m tools.make_assignments --generate

# nbgrader grading simulated students, and a real JupyterHub serving two in Chromium.
test-classroom: $(VENV)/.test $(VENV)/.classroom
	$(PY) -m pytest -p no:cacheprovider tests/classroom

# What the optional system Graphviz adds (its own renderer, PNG export): needs `dot`.
test-dot: $(VENV)/.test
	$(PY) -m pytest -m system_graphviz tests/test_system_graphviz.py

lint: $(VENV)/.test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# The device tests (marked "gpu" by tests/conftest.py) on the real GPU through CuPy
# instead of the CPU stand-in: pip install -e ".[gpu]" first. Fails without a GPU.
test-gpu: $(VENV)/.test
	@$(PY) -c "import sys, minitensor; sys.exit(0 if minitensor.cuda.is_available() else \
		'make test-gpu: no GPU (minitensor finds none through CuPy; see the README)')"
	MINITENSOR_TEST_GPU=cupy $(PY) -m pytest tests -p no:nbval -o addopts="-ra" -m gpu \
		--ignore=tests/browser

bench: $(VENV)/.test
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m benchmarks

# Rebuild every notebook from tools/notebook_sources/ and store a clean run's outputs.
notebooks: $(VENV)/.notebook
	$(PY) -m tools.build_notebooks

# Redraw the pictures in images/ from the project's own code.
images: $(VENV)/.notebook
	$(PY) -m tools.make_images

# Copy the screenshots the browser tests took into images/.
screenshots:
	$(PY) -m tools.copy_screenshots

lock: $(VENV)/.test
	$(VENV)/bin/pip freeze --exclude-editable | sed 's/+cpu$$//' > requirements/constraints.txt.new
	{ echo "# Exact versions for a reproducible environment (make lab / make test / make bench)."; \
	  echo "# Regenerate with: make lock"; cat requirements/constraints.txt.new; } > requirements/constraints.txt
	rm requirements/constraints.txt.new

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache test-artifacts
