# Shelfwise: `make run` serves the demo school, `make test` runs the suite on SQLite.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is a real (DEBUG off) server on this machine: a generated secret,
# cookies without the Secure flag because it is plain http on localhost.
RUN_ENV = SECRET_KEY="$$(cat var/secret_key)" DEBUG=false SECURE_COOKIES=false \
	ALLOWED_HOSTS=127.0.0.1,localhost

.PHONY: run test test-postgres lint format bench messages clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 not found: install it or run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	@chmod 600 var/secret_key

run: $(STAMP) var/secret_key
	$(RUN_ENV) $(BIN)/shelfwise migrate --noinput
	$(RUN_ENV) $(BIN)/shelfwise collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(BIN)/shelfwise demo
	$(RUN_ENV) $(BIN)/shelfwise serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/pytest

# The same suite on PostgreSQL (needs a server; DATABASE_URL points at it).
test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/shelfwise} $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) var/secret_key
	$(RUN_ENV) $(BIN)/shelfwise bench import --records 100000

messages: $(STAMP)
	DEBUG=true $(BIN)/shelfwise makemessages -l es -l ar --ignore=.venv --ignore=var --ignore=tests
	DEBUG=true $(BIN)/shelfwise compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
