# The two commands in the README: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test install install-dev system-deps lint bench clean

# Install the runtime into .venv and start the app on the embedded SQLite database.
run: install
	$(BIN)/streamlit run app.py --server.port $(PORT)

# Install everything (system packages for the browser and PostgreSQL tests included) and run the whole suite.
test: system-deps install-dev
	$(BIN)/python -m pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt

# Debian/Ubuntu packages the tests need: Chromium (browser tests, chart export) and PostgreSQL
# (storage tests against a real server). Installed only when missing; uses sudo when not root.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
		echo "Installing system packages:$$missing"; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: install-dev
	for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache tests/browser/screenshots
