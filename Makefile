# The two commands a newcomer runs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
VENDOR := src/egov/static/vendor

.PHONY: run test install assets lint bench prod-check clean-data worker

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed assets

# Front-end packages from the npm registry with the committed lock file, copied into static files.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(VENDOR)/.copied: node_modules/.package-lock.json
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons $(VENDOR)/axe-core
	cp -r node_modules/bootstrap/dist/css node_modules/bootstrap/dist/js $(VENDOR)/bootstrap/
	cp -r node_modules/bootstrap-icons/font/* $(VENDOR)/bootstrap-icons/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe-core/
	touch $@

assets: $(VENDOR)/.copied

run: install
	@scripts/run.sh

worker: install
	$(BIN)/python manage.py run_worker

test: install
	@scripts/test.sh

lint: install
	$(BIN)/ruff check .

bench: install
	@QUICK=$(QUICK) ONLY=$(ONLY) scripts/bench.sh

prod-check: install
	@scripts/prod-check.sh
