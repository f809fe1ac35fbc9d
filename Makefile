# The two commands of the quick start are `make demo` and `make test`; both set up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint bench clean browser

setup: $(STAMP)

# Re-installs only when the project's dependencies change (idempotent).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# xgrammar without its triton requirement (its other requirements come with the local extra)
	$(BIN)/python -m pip install --quiet --no-deps 'xgrammar==0.2.9'
	touch $(STAMP)

demo: setup
	$(BIN)/judgeflow demo --out demo-output

test: setup browser
	$(BIN)/python -m pytest

# Headless Chromium for the web workbench's browser tests (Debian packages; sudo only when not root).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# A CJK font so that screenshots of the Chinese pages show their text.
browser:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null && test -d /usr/share/fonts/truetype/wqy || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium chromium-driver fonts-wqy-zenhei)

# mypy resolves `judgeflow.*` through a link named after the package (the repo root is the package).
TYPECHECK := $(VENV)/typecheck

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p $(TYPECHECK) && ln -sfn "$(CURDIR)" $(TYPECHECK)/judgeflow
	cd $(TYPECHECK) && MYPYPATH=. ../bin/mypy --config-file "$(CURDIR)/pyproject.toml" -p judgeflow

bench: setup
	$(BIN)/python -m judgeflow.app.bench

clean:
	rm -rf $(VENV) demo-output
