#!/usr/bin/env bash
# Wall time and peak memory of generating a landing zone and building the whole project on it.
# Usage: bash scripts/bench_pipeline.sh [CUSTOMERS ...]   (default: 100000 1000000)
# Prints one line per step and size: step, customers, wall seconds, peak RSS in MB.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh >/dev/null
work=${BENCH_DIR:-$(mktemp -d)}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
measure() {  # name customers command...
    local name=$1 n=$2; shift 2
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/$name-$n.log" 2>&1 || {
        echo "$name failed, see $work/$name-$n.log"; tail -20 "$work/$name-$n.log"; exit 1; }
    read -r wall kb < "$work/time.txt"
    printf '%-10s %10s customers  %8.1f s  %8.0f MB peak\n' "$name" "$n" "$wall" "$((kb / 1024))"
}
for n in "${sizes[@]}"; do
    raw="$work/raw-$n"
    measure generate "$n" .venv/bin/custseg generate --out "$raw" --customers "$n" --seed 1
    RAW_DIR="$raw" DUCKDB_PATH="$work/bench-$n.duckdb" DBT_SEND_ANONYMOUS_USAGE_STATS=false \
        measure "dbt-build" "$n" .venv/bin/dbt build --profiles-dir . \
        --target-path "$work/target" --log-path "$work/logs"
done
echo "logs and databases in $work"
