# Self-documenting Makefile: `make help` lists the steps.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUN    := runs/seeds
# The seeds span 2017-2024 with one article per engagement: yearly periods.
RUN_ARGS := --manifest seeds/manifest.csv --period year

.DEFAULT_GOAL := help
NOTEBOOKS := $(sort $(wildcard notebooks/*.py))

.PHONY: help install run figures test lint notebooks report lab kernel lock clean

help: ## list the steps
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# pyproject.toml gives compatible ranges; constraints.txt the exact versions tested
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first: the pinned CPU build, before anything can pull a CUDA build
	$(BIN)/python -m pip install --quiet -c constraints.txt torch
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,html,notebooks,distributed,static]"
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the package with the exact tested versions

lock: install ## rewrite constraints.txt from the installed (tested) environment
	$(BIN)/python -m pip freeze --exclude-editable | sed -e 's/+cpu$$//' > constraints.txt

kernel: install ## register the project's Jupyter kernel (the notebooks use it)
	$(BIN)/research kernel

run: install ## fit topics on seeds/ into runs/seeds and regenerate figures/
	$(BIN)/research run seeds --out $(RUN) $(RUN_ARGS)
	$(BIN)/research figures $(RUN) --to figures

figures: install ## redraw figures/ from the tables of runs/seeds
	$(BIN)/research figures $(RUN) --to figures

test: install ## run the whole test suite (offline)
	$(BIN)/python -m pytest

notebooks: install ## sync notebooks/*.ipynb from their py:percent text form (no outputs)
	$(BIN)/jupytext --sync $(NOTEBOOKS)

report: run kernel ## execute every notebook on the seeds (papermill) and export HTML to reports/
	mkdir -p reports
	for nb in $(NOTEBOOKS:.py=.ipynb); do \
	  name=$$(basename $$nb .ipynb); \
	  (cd notebooks && ../$(BIN)/papermill --cwd . $$name.ipynb ../reports/$$name.ipynb \
	     -p corpus ../seeds -p run_dir ../$(RUN)) || exit 1; \
	  $(BIN)/jupyter nbconvert --to html reports/$$name.ipynb --output-dir reports || exit 1; \
	done
	@echo "HTML reports in reports/"

lab: kernel ## open JupyterLab on the project
	$(BIN)/jupyter lab --notebook-dir=.

lint: install ## ruff (style, numpydoc docstrings)
	$(BIN)/ruff check research tests benchmarks

clean: ## remove runs/ and reports/ (keeps .venv and the embedding cache)
	rm -rf runs reports
