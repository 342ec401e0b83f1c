#!/usr/bin/env bash
# Build one landing zone on DuckDB and on Spark and compare every mart row by row, both ways
# (scripts/spark_parity.py). Exit code 0 when every mart is equal, 1 on any difference.
#   bash scripts/spark_parity.sh [RAW_DIR]
# Without RAW_DIR, a sample of PARITY_CUSTOMERS customers (default 200, seed 1) is generated.
#   PARITY_DIR            work folder: builds, Spark warehouse, export (default spark_parity/)
#   PARITY_DUCKDB         a DuckDB build of RAW_DIR to compare with instead of building one
#                         (copied into PARITY_DIR first; the file itself is not changed)
#   PARITY_BACKFILL_DAYS  when set, both engines then run a backfill (the selector
#                         `backfill`: the as_of_date models and the run logs, not the current
#                         tables) for the date that many days earlier
#   PARITY_DELIVERIES     when set (N days), the sample is generated as a history and N daily
#                         deliveries: both engines build all but the last day, then the last
#                         day is delivered and both build again (incremental runs that read
#                         only the new files); the marts of the second builds are compared
#   PARITY_DATA_TESTS     false: Spark builds models, seeds and unit tests but not the data
#                         tests (they hold on DuckDB, whose marts Spark's must equal)
#   PARITY_UNIT_TESTS     false: nor the unit tests (they hold on DuckDB; the suite's run)
#   DBT_THREADS           threads of the builds (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${PARITY_DIR:-$PWD/spark_parity}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
bash scripts/bootstrap.sh
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
failed() {
    grep -v " WARN \|^Setting default log level\|^To adjust logging level\|^Using Spark's default" \
        "$1" | tail -n 40
    echo "$2 failed (log: $1)"
    exit 1
}
raw="${1:-}"
if [ -z "$raw" ]; then
    if [ -n "${PARITY_DUCKDB:-}" ]; then
        echo "PARITY_DUCKDB needs the RAW_DIR it was built from as the argument"
        exit 2
    fi
    raw="$work/raw"
    rm -rf "$raw" "$work/delivered"
    if [ -n "${PARITY_DELIVERIES:-}" ]; then
        echo "== generating ${PARITY_CUSTOMERS:-200} customers, $PARITY_DELIVERIES daily deliveries"
        .venv/bin/custseg generate --out "$work/delivered" --customers "${PARITY_CUSTOMERS:-200}" \
            --seed 1 --deliveries "$PARITY_DELIVERIES" >"$work/generate.log" 2>&1 \
            || failed "$work/generate.log" "generate"
        # every delivery day but the last into the landing zone of the first builds
        .venv/bin/python -c "
import sys; from pathlib import Path; from custseg import replay
delivered, landing = Path(sys.argv[1]), Path(sys.argv[2])
for day in replay.delivery_days(delivered)[:-1]:
    replay.deliver(delivered, landing, day)" "$work/delivered" "$raw"
    else
        echo "== generating ${PARITY_CUSTOMERS:-200} customers into $raw"
        .venv/bin/custseg generate --out "$raw" --customers "${PARITY_CUSTOMERS:-200}" --seed 1 \
            >"$work/generate.log" 2>&1 || failed "$work/generate.log" "generate"
    fi
elif [ -n "${PARITY_DELIVERIES:-}" ]; then
    echo "PARITY_DELIVERIES generates its own sample: leave out RAW_DIR"
    exit 2
fi
raw="$(cd "$raw" && pwd)"
threads="${DBT_THREADS:-2}"

duckdb_dbt() {
    RAW_DIR="$raw" DUCKDB_PATH="$duckdb_file" .venv/bin/dbt "$@" --profiles-dir . \
        --threads "$threads" --target-path "$work/target-duckdb" --log-path "$work/logs-duckdb"
}
spark_dbt() {
    RAW_DIR="$raw" SPARK_WAREHOUSE="$work/spark" DBT_TARGET=spark .venv-spark/bin/dbt "$@" \
        --profiles-dir . --threads "$threads" --target-path "$work/target-spark" \
        --log-path "$work/logs-spark"
}

start=$SECONDS
if [ -n "${PARITY_DUCKDB:-}" ]; then
    # Same file name: DuckDB names the catalog after the file, and views refer to it.
    duckdb_file="$work/$(basename "$PARITY_DUCKDB")"
    echo "== DuckDB: the build $PARITY_DUCKDB (copied to $duckdb_file)"
    cp "$PARITY_DUCKDB" "$duckdb_file"
else
    duckdb_file="$work/duckdb.duckdb"
    echo "== DuckDB: dbt build ($duckdb_file)"
    rm -f "$duckdb_file"
    duckdb_dbt build >"$work/duckdb.log" 2>&1 || failed "$work/duckdb.log" "DuckDB build"
fi
duckdb_seconds=$((SECONDS - start))

excluded=()
[ "${PARITY_DATA_TESTS:-true}" = "false" ] && excluded+=("test_type:data")
[ "${PARITY_UNIT_TESTS:-true}" = "false" ] && excluded+=("test_type:unit")
spark_args=()
if [ ${#excluded[@]} -gt 0 ]; then
    spark_args=(--exclude "${excluded[@]}")
    echo "== Spark: scripts/spark.sh without ${excluded[*]} ($work/spark)"
else
    echo "== Spark: scripts/spark.sh ($work/spark)"
fi
rm -rf "$work/spark"
start=$SECONDS
RAW_DIR="$raw" SPARK_WAREHOUSE="$work/spark" bash scripts/spark.sh --threads "$threads" \
    --target-path "$work/target-spark" --log-path "$work/logs-spark" "${spark_args[@]}" \
    >"$work/spark.log" 2>&1 || failed "$work/spark.log" "Spark build"
spark_seconds=$((SECONDS - start))

if [ -n "${PARITY_DELIVERIES:-}" ]; then
    last=$(.venv/bin/python -c "
import sys; from pathlib import Path; from custseg import replay
delivered, landing = Path(sys.argv[1]), Path(sys.argv[2])
day = replay.delivery_days(delivered)[-1]
print(day, len(replay.deliver(delivered, landing, day)))" "$work/delivered" "$raw")
    echo "== second build on both engines after one more delivery (day, files: $last)"
    duckdb_excluded=()
    [ ${#excluded[@]} -gt 0 ] && duckdb_excluded=(--exclude "${excluded[@]}")
    start=$SECONDS
    duckdb_dbt build "${duckdb_excluded[@]}" >"$work/duckdb-delivery.log" 2>&1 \
        || failed "$work/duckdb-delivery.log" "DuckDB build of the new delivery"
    duckdb_seconds=$((duckdb_seconds + SECONDS - start))
    start=$SECONDS
    RAW_DIR="$raw" SPARK_WAREHOUSE="$work/spark" bash scripts/spark.sh --threads "$threads" \
        --target-path "$work/target-spark" --log-path "$work/logs-spark" "${spark_args[@]}" \
        >"$work/spark-delivery.log" 2>&1 || failed "$work/spark-delivery.log" "Spark build of the new delivery"
    spark_seconds=$((spark_seconds + SECONDS - start))
    grep -h "new files to read" "$work/duckdb-delivery.log" | tail -n 1 | sed 's/^.*Landing zone/DuckDB: landing zone/'
fi

if [ -n "${PARITY_BACKFILL_DAYS:-}" ]; then
    backfill=$(.venv/bin/python -c "
import datetime, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
day = con.execute('select max(as_of_date) from marts.segment_memberships').fetchone()[0]
print(day - datetime.timedelta(days=int(sys.argv[2])))" "$duckdb_file" "$PARITY_BACKFILL_DAYS")
    echo "== second run on both engines: the as_of_date models for $backfill"
    start=$SECONDS
    duckdb_dbt run --selector backfill --vars "{as_of_date: '$backfill'}" \
        >"$work/duckdb-backfill.log" 2>&1 || failed "$work/duckdb-backfill.log" "DuckDB backfill"
    duckdb_seconds=$((duckdb_seconds + SECONDS - start))
    start=$SECONDS
    spark_dbt run --selector backfill --vars "{as_of_date: '$backfill'}" \
        >"$work/spark-backfill.log" 2>&1 || failed "$work/spark-backfill.log" "Spark backfill"
    spark_seconds=$((spark_seconds + SECONDS - start))
fi

echo "== exporting Spark's marts to Parquet ($work/spark_export)"
SPARK_WAREHOUSE="$work/spark" .venv-spark/bin/python -m custseg.spark_export \
    --out "$work/spark_export" >"$work/export.log" 2>&1 || failed "$work/export.log" "export"
echo "== build time: DuckDB ${duckdb_seconds} s, Spark ${spark_seconds} s (Spark's landing load included)"
.venv/bin/python scripts/spark_parity.py "$duckdb_file" "$work/spark_export"
