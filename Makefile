# Quick start: `make demo` runs procflow on the shipped example data, `make test` runs the checks.
# Both create .venv with python3 on first use; nothing else needs to be installed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PY_PATHS := src tests benchmarks conftest.py

.PHONY: coverage demo test lint types unit package bench bench-bulk bench-dask bench-goals screenshots clients clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/procflow demo
	$(BIN)/procflow report examples/dossiers-2025.csv --from 2025-01-01 --to 2025-06-30 --by field --format csv
	$(BIN)/procflow report examples/dossiers-2025.csv --from 2025-01-01 --to 2025-12-31 --by field -o out/report-2025.xlsx
	$(BIN)/procflow report examples/dossiers-2025.csv --from 2025-01-01 --to 2025-12-31 -o out/outcomes-2025.png
	$(BIN)/procflow audit examples/dossiers-2025.csv | tail -n 4
	$(BIN)/procflow form receipt examples/forms/cfs-late.json -o out/forms/receipt.docx
	$(BIN)/procflow form receipt examples/forms/cfs-late.json -o out/forms/receipt.html
	$(BIN)/procflow form supplement examples/forms/supplement.json -o out/forms/supplement.docx
	$(BIN)/procflow form refusal examples/forms/refusal.json -o out/forms/refusal.docx
	$(BIN)/procflow form apology examples/forms/cfs-late.json -o out/forms/apology.docx
	$(BIN)/procflow form control examples/forms/cfs-late.json -o out/forms/control.docx
	$(BIN)/procflow form control examples/forms/cfs-late.json -o out/forms/control.html
	$(BIN)/procflow form register examples/dossiers.json -o out/forms/register.docx
	$(BIN)/procflow form ii06a examples/dossiers-2025.csv --from 2025-01-01 --to 2025-06-30 --by procedure --agency "UBND phường Hoàn Kiếm" -o out/forms/ii06a.xlsx
	$(BIN)/procflow iso-review examples/dossiers-2025.csv --period 2025H1 --agency "UBND phường Hoàn Kiếm" -o out/forms/iso-review.xlsx

test: lint types unit package

lint: $(STAMP)
	$(BIN)/ruff check $(PY_PATHS)
	$(BIN)/ruff format --check $(PY_PATHS)

types: $(STAMP)
	$(BIN)/mypy

# The tests, with branch coverage: below fail_under (pyproject.toml, 90 %) make test fails.
unit: $(STAMP)
	$(BIN)/pytest -q --cov --cov-report=term src tests docs README.md

# The sdist and the wheel, checked by twine, installed into a new venv outside the repository.
package: $(STAMP)
	.ci/package $(BIN)/python

# Screenshots of the web page's views for docs/ (needs chromium: apt-get install chromium).
screenshots: $(STAMP)
	PROCFLOW_SCREENSHOTS=docs/images $(BIN)/pytest -q tests/server/test_browser.py

# The OpenAPI document and the TypeScript types generated from it (needs node and npm).
clients: $(STAMP)
	$(BIN)/procflow serve --openapi > docs/clients/openapi.json
	npx --yes openapi-typescript@7.13.0 docs/clients/openapi.json --default-non-nullable false -o docs/clients/procflow.d.ts

# Branch coverage of src/procflow over the whole suite (slow: tracing every line).
coverage: $(STAMP)
	$(BIN)/pytest -q --cov --cov-report=term src tests docs README.md

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_calendar.py

bench-bulk: $(STAMP)
	$(BIN)/python benchmarks/bench_bulk.py

# classify_dask on 1 and 2 local worker processes beside one process (docs/performance.md).
bench-dask: $(STAMP)
	$(BIN)/python benchmarks/bench_dask.py

bench-goals: $(STAMP)
	$(BIN)/python benchmarks/bench_goals.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
