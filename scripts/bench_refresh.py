"""Benchmark of a scheduled refresh: the scan floor, a full build and a refresh after one more day.

    .venv/bin/python scripts/bench_refresh.py [--customers 20000] [--days 30] [--work-dir DIR]

Generates a landing zone of daily deliveries (`custseg generate --deliveries DAYS`), then, in
one run on this machine:

* scan floor: every landing file of the full build read once, one DuckDB table per source (one
  plain DuckDB process, `read_csv` of a source's files as text columns, nothing else);
* full build: `dbt build --full-refresh` (models, seeds and every test) on the history and all
  days but the last;
* refresh: the last day delivered, then `dbt build` (incremental: only the new files are read).

Each step prints its wall time, its peak resident memory (`/usr/bin/time -v`) and the landing
rows it read (the delivery ledger's rows of the run); the end prints the ratios the targets are
stated in (refresh / full build, full build / scan floor) and one JSON line of every figure,
with each dbt step's node seconds by resource type and its slowest nodes (from dbt's
run_results.json, kept as run_results_<step>.json in the work folder).
DUCKDB_MEMORY_LIMIT is passed to dbt (for example 4GB: DuckDB spills beyond it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT_DIR), str(PROJECT_DIR / "scripts")]

from bench_attributes import measured  # noqa: E402  (wall s, peak MiB, stdout; exits on failure)

from custseg import replay  # noqa: E402

SCAN_FLOOR = """
import json, sys, duckdb
database, listing = sys.argv[1:3]
con = duckdb.connect(database)
rows = 0
for source, paths in json.loads(open(listing).read()).items():
    files = ", ".join("'" + path.replace("'", "''") + "'" for path in paths)
    con.execute(f"create table {source} as select * from read_csv([{files}], "
                "all_varchar = true, header = true, union_by_name = true)")
    rows += con.execute(f"select count(*) from {source}").fetchone()[0]
print(rows)
"""


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rows_per_run(database: Path) -> list[int]:
    """Landing rows each run read, in run order (the delivery ledger)."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select sum(rows_read + lines_rejected) from marts.delivery_ledger "
            "group by processed_by_run order by min(processed_at)"
        ).fetchall()
    return [int(count) for (count,) in rows]


def node_seconds(work: Path, step: str) -> dict:
    """One dbt step's execution times from its run_results.json (kept in the work folder as
    run_results_<step>.json): the sum per resource type (model, test, unit_test, ...) and the
    ten slowest nodes. dbt runs two threads, so the sums exceed the wall time."""
    kept = work / f"run_results_{step}.json"
    shutil.copyfile(work / "target" / "run_results.json", kept)
    results = json.loads(kept.read_text())["results"]
    by_type: dict[str, float] = {}
    for result in results:
        kind = result["unique_id"].split(".")[0]
        by_type[kind] = by_type.get(kind, 0.0) + result["execution_time"]
    slowest = sorted(results, key=lambda result: -result["execution_time"])[:10]
    return {
        "by_type": {kind: round(seconds, 1) for kind, seconds in sorted(by_type.items())},
        "slowest": [
            [result["unique_id"].split(".", 2)[-1], round(result["execution_time"], 1)]
            for result in slowest
        ],
    }


def bench(customers: int, days: int, work: Path, seed: int) -> dict:
    delivered, landing = work / "delivered", work / "landing"
    database = work / "warehouse.duckdb"
    if not delivered.exists():
        say(f"generating {customers:,} customers with {days} daily deliveries")
        subprocess.run(
            [str(Path(sys.executable).with_name("custseg")), "generate", "--out", str(delivered),
             "--customers", str(customers), "--seed", str(seed), "--deliveries", str(days)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    shutil.rmtree(landing, ignore_errors=True)  # a reused work folder starts over
    database.unlink(missing_ok=True)
    all_days = replay.delivery_days(delivered)
    for day in all_days[:-1]:
        replay.deliver(delivered, landing, day)
    files = replay.delivery_files(landing)
    per_source: dict[str, list[str]] = {}
    for path in files:
        per_source.setdefault(path.parent.name, []).append(str(path))

    say(f"scan floor: {len(files)} files read once")
    listing = work / "files.json"
    listing.write_text(json.dumps(per_source))
    floor_db = work / "scan_floor.duckdb"
    floor_db.unlink(missing_ok=True)
    floor_wall, floor_peak, floor_out = measured(
        [sys.executable, "-c", SCAN_FLOOR, str(floor_db), str(listing)], dict(os.environ)
    )
    floor_rows = int(floor_out.strip().splitlines()[-1])
    floor_db.unlink()

    say(f"full build: dbt build --full-refresh on {len(all_days) - 1} deliveries")
    command, env = replay.dbt_command(["build", "--full-refresh"], landing, database, work)
    full_wall, full_peak, _ = measured(command, env)
    full_nodes = node_seconds(work, "full_build")

    say(f"refresh: dbt build after one more day ({all_days[-1]})")
    new = replay.deliver(delivered, landing, all_days[-1])
    command, env = replay.dbt_command(["build"], landing, database, work)
    refresh_wall, refresh_peak, _ = measured(command, env)
    refresh_nodes = node_seconds(work, "refresh")
    per_run = rows_per_run(database)
    return {
        "customers": customers,
        "days": days,
        "memory_limit": os.environ.get("DUCKDB_MEMORY_LIMIT", "80% (default)"),
        "files": len(files),
        "new_files": len(new),
        "scan_floor": {"seconds": round(floor_wall, 1), "peak_mib": round(floor_peak),
                       "rows_read": floor_rows},
        "full_build": {"seconds": round(full_wall, 1), "peak_mib": round(full_peak),
                       "rows_read": per_run[0], "node_seconds": full_nodes},
        "refresh": {"seconds": round(refresh_wall, 1), "peak_mib": round(refresh_peak),
                    "rows_read": per_run[-1] if len(per_run) > 1 else 0,
                    "node_seconds": refresh_nodes},
        "refresh_vs_full_build": round(refresh_wall / full_wall, 3),
        "full_build_vs_scan_floor": round(full_wall / floor_wall, 1),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=30, help="daily deliveries after the history")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work-dir", type=Path, help="kept; a generated landing zone is reused")
    args = parser.parse_args()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="custseg-bench-refresh-"))
    work.mkdir(parents=True, exist_ok=True)
    figures = bench(args.customers, args.days, work, args.seed)
    print(f"{'step':<12} {'wall s':>9} {'peak MiB':>9} {'rows read':>12}")
    for step in ("scan_floor", "full_build", "refresh"):
        f = figures[step]
        print(f"{step:<12} {f['seconds']:>9.1f} {f['peak_mib']:>9,} {f['rows_read']:>12,}")
    print(
        f"refresh / full build: {figures['refresh_vs_full_build']:.1%} (target <= 10%); "
        f"full build / scan floor: {figures['full_build_vs_scan_floor']}x (target <= 8x)"
    )
    print(json.dumps(figures))
    say(f"work folder: {work}")


if __name__ == "__main__":
    main()
