# Live updates in Python, four ways. `make` lists what you can do.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The venv is rebuilt only when requirements.txt changes.
VENV_READY := $(VENV)/.installed
NODE_READY := node_modules/.installed
# npm joins the set-up once the project has front-end packages (socket.io for websockets, Mermaid for the docs).
SETUP_PARTS := $(VENV_READY) $(if $(wildcard package.json),$(NODE_READY))

.PHONY: help setup run-polling run-longpoll run-ws run-sse run-all room reset test test-redis bench soak lint stop clean

help: ## Show this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

setup: $(SETUP_PARTS) ## Create .venv and install the pinned packages (safe to repeat)

$(VENV_READY): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (set PYTHON=python3.12, say)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(NODE_READY): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

run-polling: setup ## Serve the polling app on http://127.0.0.1:5001
	$(PY) -m shared.serve polling

run-longpoll: setup ## Serve the long polling app on http://127.0.0.1:5002
	$(PY) -m shared.serve long_polling

run-ws: setup ## Serve the websockets app on http://127.0.0.1:5003
	$(PY) -m shared.serve websockets

run-sse: setup ## Serve the Server-Sent Events app on http://127.0.0.1:5004
	$(PY) -m shared.serve sse

run-all: setup ## Serve all four apps on one Redis, and the race at http://127.0.0.1:5001/compare
	$(PY) -m shared.tools.run_all

room: setup ## Bring a simulated room to the apps run-all serves (PAGES=300 SECONDS=60 GAP=3): its cost per technique
	$(PY) -m bench.room $(if $(PAGES),--pages "$(PAGES)") $(if $(SECONDS),--seconds "$(SECONDS)") $(if $(GAP),--gap "$(GAP)")
reset: setup ## Start the board afresh while the apps run: cities, visits, history (BOARD_KEY_PREFIX only)
	$(PY) -m shared.tools.reset

test: setup ## Run the whole test suite
	$(PY) -m pytest

test-redis: setup ## Run the store and app tests again against Debian's redis-server (real Redis)
	.ci/test-redis

bench: setup ## Measure every technique, textbook and tuned paths, ~7 min (FULL=1, ONLY=a,b, TEXTBOOK=0|1)
	$(PY) -m bench $(if $(FULL),--full) $(if $(ONLY),--only $(ONLY))

soak: setup ## Every technique's pages on one Redis for ~60 s, with a Redis restart: losses, duplicates, memory
	$(PY) -m bench.soak

lint: setup ## Check the code with ruff (lint and format)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

stop: ## Stop the embedded Valkey server (its data stays in run/)
	@if [ -x $(PY) ]; then $(PY) -m shared.tools.embedded stop; else echo "nothing to stop"; fi

clean: stop ## Remove .venv, node_modules and run/ (the board's data too)
	rm -rf $(VENV) node_modules run .pytest_cache .ruff_cache
