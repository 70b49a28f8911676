# `make` sets up on first use, then builds every publication into build/; `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?=

.PHONY: all build validate test lint bench dist editions clean distclean

all: build

# The virtualenv, with the pinned dependencies; redone when the pins or the package change.
$(STAMP): pyproject.toml requirements.lock scripts/system-deps.sh
	@PYTHON=$(PYTHON) scripts/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing briefgen and its pinned dependencies into $(VENV) ..."
	@$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $@

build: $(STAMP)
	@$(BIN)/briefgen build

# A dated zip of the final publications with a manifest; refuses drafts and says which.
dist: build
	@$(BIN)/briefgen dist

# One edition of every publication per client in content/clients/, "Prepared for" each.
editions: $(STAMP)
	@$(BIN)/briefgen build --edition all

validate: $(STAMP)
	@$(BIN)/briefgen validate

test: $(STAMP)
	@$(BIN)/python -m pytest

# A benchmark, not a test: a synthetic library of 200 briefs; writes build/bench/summary.json.
bench: $(STAMP)
	@$(BIN)/python bench/bench.py

lint: $(STAMP)
	@$(BIN)/ruff check src tests bench && $(BIN)/ruff format --check src tests bench

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV)
