#!/usr/bin/env bash
# The whole test suite: Python lint (ruff), SQL lint (sqlfluff, dbt templater), the project's
# conventions (dbt-bouncer), then pytest, which generates landing zones and runs real dbt builds
# (dbt data and unit tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
echo "== ruff"
.venv/bin/ruff check custseg tests scripts
.venv/bin/ruff format --check custseg tests scripts
echo "== sqlfluff (dbt templater) on models/, macros are linted through the models that use them"
lint_dir=$(mktemp -d)
trap 'rm -rf "$lint_dir"' EXIT
# The dbt templater compiles the models against a database holding the seeds.
.venv/bin/custseg generate --out "$lint_dir/raw" --customers 200 --seed 1 >/dev/null 2>&1
if ! seeded=$(RAW_DIR="$lint_dir/raw" DUCKDB_PATH="$lint_dir/lint.duckdb" \
    .venv/bin/dbt seed --profiles-dir . --target-path "$lint_dir/target" --log-path "$lint_dir/logs" 2>&1); then
    echo "$seeded"
    exit 1
fi
RAW_DIR="$lint_dir/raw" DUCKDB_PATH="$lint_dir/lint.duckdb" \
    .venv/bin/sqlfluff lint models analyses --processes 2 --disable-progress-bar
echo "== dbt-bouncer: project conventions (dbt-bouncer.yml) on dbt's manifest"
# dbt parse writes the manifest (no database needed); dbt-bouncer reads it from the `target`
# folder beside its config file, so a copy of the config goes next to the temporary target.
if ! parsed=$(RAW_DIR="$lint_dir/raw" DUCKDB_PATH="$lint_dir/lint.duckdb" \
    .venv/bin/dbt parse --profiles-dir . --target-path "$lint_dir/target" --log-path "$lint_dir/logs" 2>&1); then
    echo "$parsed"
    exit 1
fi
cp dbt-bouncer.yml "$lint_dir/dbt-bouncer.yml"
COLUMNS="${COLUMNS:-200}" .venv/bin/dbt-bouncer run --config-file "$lint_dir/dbt-bouncer.yml" --show-all-failures
echo "== pytest (on ${PYTEST_WORKERS:-2} workers; PYTEST_WORKERS=0 runs in one process)"
# The tests of one module stay on one worker (loadscope), so a module's fixtures are built once;
# the session's sample build is built once for both workers (tests/python/conftest.py). Modules
# are handed out in collection order (the longest first, conftest.py), not by test count.
.venv/bin/python -m pytest tests/python -n "${PYTEST_WORKERS:-2}" --dist loadscope \
    --no-loadscope-reorder --durations=12 "$@"
