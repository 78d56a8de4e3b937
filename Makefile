# The two commands a new machine needs:
#   make run    install into .venv and run Tidtam on SQLite (nothing to configure)
#   make test   install into .venv and run the whole test suite (SQLite and PostgreSQL)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test corpus install lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	scripts/run.sh

test: install
	scripts/ensure-postgres.sh
	$(BIN)/pytest $(PYTEST_ARGS)

# The real documents beside the repository (../shared/seeds), when present: what each import yields.
CORPUS ?= ../shared/seeds
corpus: install
	$(BIN)/python -m devkit.corpus $(CORPUS)

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
