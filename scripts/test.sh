#!/usr/bin/env bash
# The whole test suite: Python lint (ruff), SQL lint (sqlfluff, dbt templater), the project's
# conventions (dbt-bouncer) and pytest, which generates landing zones and runs real dbt builds
# (dbt data and unit tests included). sqlfluff and dbt-bouncer run beside pytest, on the cores
# its dbt builds leave idle; their output is printed after pytest's. Exit code 0 when all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
echo "== ruff"
.venv/bin/ruff check custseg tests scripts
.venv/bin/ruff format --check custseg tests scripts
lint_dir=$(mktemp -d)
trap 'rm -rf "$lint_dir"' EXIT

sql_checks() {
    echo "== sqlfluff (dbt templater) on models/, macros are linted through the models that use them"
    # The dbt templater compiles the models against a database holding the seeds.
    .venv/bin/custseg generate --out "$lint_dir/raw" --customers 200 --seed 1 >/dev/null 2>&1
    export RAW_DIR="$lint_dir/raw" DUCKDB_PATH="$lint_dir/lint.duckdb"
    local dbt_dirs=(--profiles-dir . --target-path "$lint_dir/target" --log-path "$lint_dir/logs")
    .venv/bin/dbt seed "${dbt_dirs[@]}" >"$lint_dir/seed.log" 2>&1 || { cat "$lint_dir/seed.log"; return 1; }
    .venv/bin/sqlfluff lint models analyses --processes 2 --disable-progress-bar || return 1
    echo "== dbt-bouncer: project conventions (dbt-bouncer.yml) on dbt's manifest"
    # dbt parse writes the manifest (no database needed); dbt-bouncer reads it from the `target`
    # folder beside its config file, so a copy of the config goes next to the temporary target.
    .venv/bin/dbt parse "${dbt_dirs[@]}" >"$lint_dir/parse.log" 2>&1 || { cat "$lint_dir/parse.log"; return 1; }
    cp dbt-bouncer.yml "$lint_dir/dbt-bouncer.yml"
    COLUMNS="${COLUMNS:-200}" .venv/bin/dbt-bouncer run --config-file "$lint_dir/dbt-bouncer.yml" \
        --show-all-failures
}
echo "== sqlfluff and dbt-bouncer started beside pytest (their output follows pytest's)"
sql_checks >"$lint_dir/sql_checks.log" 2>&1 &
checks_pid=$!

echo "== pytest (on ${PYTEST_WORKERS:-2} workers; PYTEST_WORKERS=0 runs in one process)"
# The tests of one module stay on one worker (loadscope), so a module's fixtures are built once;
# the session's sample build is built once for both workers (tests/python/conftest.py). Modules
# are handed out in collection order (the longest first, conftest.py), not by test count.
pytest_code=0
.venv/bin/python -m pytest tests/python -n "${PYTEST_WORKERS:-2}" --dist loadscope \
    --no-loadscope-reorder --durations=12 "$@" || pytest_code=$?
checks_code=0
wait "$checks_pid" || checks_code=$?
cat "$lint_dir/sql_checks.log"
if [ "$checks_code" -ne 0 ]; then
    echo "sqlfluff or dbt-bouncer failed (exit code $checks_code): see above"
fi
if [ "$pytest_code" -ne 0 ] || [ "$checks_code" -ne 0 ]; then
    exit 1
fi
