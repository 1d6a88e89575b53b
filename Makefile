# Two commands do all the set-up on a fresh clone (Python 3.11+ only):
#   make site   create .venv, install, ingest the sample inbox, build the site into site/
#   make test   install test dependencies (incl. Debian's chromium) and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
INBOX  := examples/inbox

.PHONY: site test install browser lint typecheck golden eval names bench serve clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

site: $(STAMP)
	$(BIN)/briefings ingest $(INBOX) --briefings briefings
	$(BIN)/briefings build --strict

serve: $(STAMP)
	$(BIN)/briefings serve

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check build_tools quality tests

typecheck: $(STAMP)
	$(BIN)/mypy build_tools quality

test: $(STAMP) browser lint typecheck
	$(BIN)/pytest -q

# Rewrite the golden pages (tests/golden/docs/) after an intended change; review with git diff.
golden: $(STAMP)
	$(BIN)/python -m tests.golden --update

eval: $(STAMP)
	$(BIN)/python -m quality.eval ../shared/corpus

# Retrain the name finder (build_tools/data/names_crf.bin) on CoNLL-2003 train, c1/c2 chosen on dev;
# deterministic, about 8 minutes on two busy cores. Then: python -m quality.eval_tags ../shared, and
# make golden if tags changed.
names: $(STAMP)
	$(BIN)/python -m quality.train_names ../shared/labels/conll2003

# The scale benchmark (issue 14): 1,000 / 10,000 / 50,000 briefings into benchmarks/RESULTS.md.
# Hours at 50,000; one size: make bench BENCH_ARGS="--sizes 1000" (python -m quality.bench --help).
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python -m quality.bench $(BENCH_ARGS)

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
