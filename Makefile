# `make` sets up on first use, then builds every publication into build/; `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?=
# `make JOBS=4` runs 4 worker processes (default: one per core).
# `make SCHEDULER=tcp://host:8786` writes on that Dask cluster instead (needs briefgen[dask]).
SCHEDULER ?=
JOBS_FLAG = $(strip $(if $(JOBS),--jobs $(JOBS)) $(if $(SCHEDULER),--scheduler $(SCHEDULER)))

.PHONY: all build validate test lint bench dist editions clean distclean visual-review visual-approve readme-images

all: build

# The virtualenv, with the pinned dependencies; redone when the pins or the package change.
$(STAMP): pyproject.toml requirements.lock scripts/system-deps.sh
	@PYTHON=$(PYTHON) scripts/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing briefgen and its pinned dependencies into $(VENV) ..."
	@$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $@

# briefgen's own modules compiled to bytecode, as pip does for an installed package (an editable
# install leaves it to the first import, which may not write it: PYTHONDONTWRITEBYTECODE).
BYTECODE = @$(BIN)/python -m compileall -q src/briefgen > /dev/null

build: $(STAMP)
	$(BYTECODE)
	@$(BIN)/briefgen build $(JOBS_FLAG)

# A dated zip of the final publications with a manifest; refuses drafts and says which.
dist: build
	@$(BIN)/briefgen dist

# One edition of every publication per client in content/clients/, "Prepared for" each.
editions: $(STAMP)
	@$(BIN)/briefgen build --edition all $(JOBS_FLAG)

validate: $(STAMP)
	@$(BIN)/briefgen validate

test: $(STAMP)
	@$(BIN)/python -m pytest

# Page images of the samples against tests/visual/approved/: visual-review writes
# build/visual/review.html (approved | new | difference of each changed page); visual-approve
# writes it too, then takes the new images as approved. Review the page before committing.
visual-review: $(STAMP)
	@$(BIN)/python -m tests.visual review

visual-approve: $(STAMP)
	@$(BIN)/python -m tests.visual approve

# A benchmark, not a test: a synthetic library of 200 briefs; writes build/bench/summary.json.
bench: $(STAMP)
	$(BYTECODE)
	@$(BIN)/python bench/bench.py

lint: $(STAMP)
	@$(BIN)/ruff check src tests bench && $(BIN)/ruff format --check src tests bench && $(BIN)/mypy

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV)

# The README's first-page image of each kind, from the samples in build/.
readme-images: build
	@for pair in market-brief:malaysia-smart-cities commentary:asean-smart-cities-5g-geopolitics \
	    city-profile:city-profile-kuala-lumpur; do \
	  pdftoppm -r 45 -png -f 1 -l 1 -singlefile build/$${pair#*:}.pdf docs/images/$${pair%%:*}; done
