# The two commands: `make run` (the portal on the embedded default) and `make test` (the whole suite).
# Both start from a fresh clone with only Python 3.11+ installed: they create .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Runs on SQLite with Celery tasks in-process, all eight plans loaded (plus demo values, marked
# 演示数据; `manage.py load_demo --remove` takes them out), at http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_plans
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py create_demo_users
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP) lint
	$(BIN)/python -m pytest

# ruff: lint and formatting, as configured in pyproject.toml. `make test` runs it first.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Refresh the pins after changing pyproject.toml.
lock:
	rm -rf /tmp/portal-lock-venv && $(PYTHON) -m venv /tmp/portal-lock-venv
	/tmp/portal-lock-venv/bin/pip install --quiet -e ".[test]"
	/tmp/portal-lock-venv/bin/pip freeze --exclude-editable | grep -v "^-e" > requirements.lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
