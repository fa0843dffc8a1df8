# Silo Signals — every target sets itself up: a fresh clone needs only `make demo` / `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
WORKSPACE ?= data/demo
UI_PORT ?= 3000
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo test ui lint eval-nlp train bench bench-small clean manifest

# The venv is rebuilt when pyproject.toml changes; the stamp records a complete install.
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing Silo Signals and its pinned dependencies into $(VENV) ..."
	@$(BIN)/pip install --quiet --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	@set -o pipefail; $(BIN)/pip install --quiet -e '.[dev]' 2>&1 | { grep -v "^WARNING: Location" || true; }
	@touch $@

install: $(VENV)/.installed

# dagster-dbt needs dbt's manifest when the definitions are imported (`silo manifest` runs
# DbtProject's preparer; `dagster dev` prepares it by itself).
dbt_project/target/manifest.json: $(VENV)/.installed $(shell find dbt_project -name '*.sql' -o -name '*.yml' | grep -v '/target/')
	@$(BIN)/silo manifest

manifest: dbt_project/target/manifest.json

demo: install manifest
	$(BIN)/silo demo --workspace $(WORKSPACE)

# Test files are shared out to TEST_WORKERS processes (pytest-xdist), a whole file per
# worker so module fixtures (the demo run, PostgreSQL) are built once: the suite's long
# end-to-end files then run side by side. TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= 2
test: install manifest
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# The demo in the Dagster UI. Refuses a WORKSPACE that is not a demo (silo demo says why);
# an exported DAGSTER_HOME is used as it is (its dagster.yaml is never rewritten).
ui: install manifest
	$(BIN)/silo demo --workspace $(WORKSPACE) --generate-only
	PATH=$(abspath $(BIN)):$$PATH SILO_WORKSPACE=$(abspath $(WORKSPACE)) \
	  DAGSTER_HOME=$${DAGSTER_HOME:-$(abspath $(WORKSPACE))/.dagster} \
	  $(BIN)/dagster dev -m pipelines.definitions -h 127.0.0.1 -p $(UI_PORT)

lint: install
	$(BIN)/ruff check pipelines nlp tests
	$(BIN)/ruff format --check pipelines nlp tests

# Labelled sets written for the project (data/labels/README.md): regression tests of the
# rules, not accuracy. eval, holdout, test and final were tuned on (each but eval was blind
# for one measurement first); final2 is the blind set, never used for tuning.
eval-nlp: install
	@for set in eval holdout test final final2; do \
	  echo; echo "## data/labels/synthetic/$$set"; \
	  $(BIN)/python -m nlp.eval --set data/labels/synthetic/$$set || exit 1; \
	done
	@echo; echo "## Real minutes, leave one corpus out (the accuracy nlp/README.md quotes)"
	$(BIN)/python -m nlp.unit_eval

# The unit classifier shipped in nlp/models/units/, trained from every hand label
# (data/labels/minutes); deterministic, so a re-run on the same labels gives the same model.
train: install
	$(BIN)/python -m nlp.training.train

# Stage time, CPU and peak memory per stage at each size (pipelines/demo/scale.py), merged
# into bench/results.json and written to BENCHMARKS.md: `make bench SIZES=small,4x,16x`.
SIZES ?= large
bench: install manifest
	$(BIN)/python -m pipelines.cli.bench --sizes $(SIZES) --nlp-mix

# The same on the demo alone, in a few minutes (tests/e2e/test_bench_small.py runs its code).
bench-small: install manifest
	$(BIN)/python -m pipelines.cli.bench --sizes small

# Deletes WORKSPACE only when it is a demo (`workspace: demo` in its silo.yml) or empty:
# a client's workspace is never removed by a make target.
clean:
	@if [ -e "$(WORKSPACE)" ] && [ -n "$$(ls -A "$(WORKSPACE)" 2>/dev/null)" ] \
	  && ! grep -Eqs '^workspace:[[:space:]]*["'"'"']?demo["'"'"']?[[:space:]]*(#.*)?$$' "$(WORKSPACE)/silo.yml"; then \
	  echo "make clean: refusing to delete $(WORKSPACE): it is not a demo workspace (no 'workspace: demo' in its silo.yml)" >&2; \
	  exit 2; \
	fi
	rm -rf $(WORKSPACE) dbt_project/target dbt_project/logs .pytest_cache
