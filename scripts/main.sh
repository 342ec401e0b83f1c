#!/usr/bin/env bash
# The main job end to end on the embedded default (DuckDB): set up .venv, generate a sample
# landing zone unless RAW_DIR is set, validate it with Great Expectations, dbt build, summary.
# Arguments are passed to `custseg run` (e.g. --customers 100000, --raw-dir DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/custseg run "$@"
