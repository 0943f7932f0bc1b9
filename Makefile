# The two set-up commands: `make demo` (install, run parley on the bundled timeline, write out/) and
# `make test` (install, run the whole test suite). Both make .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT := out

.PHONY: demo test install clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

demo: install
	mkdir -p $(OUT)
	$(BIN)/parley validate
	$(BIN)/parley build --out $(OUT)/us-mexico-2025.ttl
	$(BIN)/parley view --out $(OUT)/us-mexico-2025.html
	$(BIN)/parley audit --format html --out $(OUT)/audit.html --chart $(OUT)/audit.png
	$(BIN)/parley audit --format md --out $(OUT)/audit.md
	$(BIN)/parley audit | head -n 20
	@echo "wrote $(OUT)/: us-mexico-2025.ttl (the graph), us-mexico-2025.html (the view), audit.html, audit.md, audit.png"

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis *.egg-info
