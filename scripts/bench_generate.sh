#!/usr/bin/env bash
# Wall time, CPU time (user + system) and peak memory of the synthetic landing-zone generator
# at 100k and 1M customers. On a shared machine wall time depends on the load; CPU time less so.
# Usage: scripts/bench_generate.sh [sizes...]   (default: 100000 1000000)
# Writes into a temporary folder (removed afterwards); needs GNU time at /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
FORMAT="${FORMAT:-csv}"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100000 1000000)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "nproc=$(nproc)  format=$FORMAT  python=$PYTHON"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %10s %10s %14s %10s\n' customers wall_s cpu_s peak_rss_mb out_mb
for n in "${sizes[@]}"; do
    out="$work/landing_$n"
    log="$work/time_$n.txt"
    /usr/bin/time -v "$PYTHON" -c "
import sys
from pathlib import Path
from custseg.generate import generate
generate(Path(sys.argv[1]), customers=int(sys.argv[2]), fmt=sys.argv[3])
" "$out" "$n" "$FORMAT" 2> "$log" >/dev/null
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' \
        | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    rss_kb=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$log")
    size_mb=$(du -sm "$out" | cut -f1)
    printf '%-12s %10.1f %10.1f %14.0f %10s\n' "$n" "$wall" "$cpu" "$((rss_kb / 1024))" "$size_mb"
    rm -rf "$out"
done
