"""The refresh benchmark script, run end to end on a small landing zone of daily deliveries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import PROJECT_DIR

SCRIPT = PROJECT_DIR / "scripts" / "bench_refresh.py"


def within_rounding(ratio: float, numerator: dict, denominator: dict, ratio_step: float) -> bool:
    """ratio (rounded to ratio_step / 2) is numerator's seconds over denominator's, both
    rounded to 0.1."""
    top, bottom = numerator["seconds"], denominator["seconds"]
    lowest = (top - 0.05) / (bottom + 0.05) - ratio_step
    highest = (top + 0.05) / max(bottom - 0.05, 1e-9) + ratio_step
    return lowest <= ratio <= highest


def test_refresh_benchmark_measures_the_floor_the_full_build_and_one_more_day(
    tmp_path: Path,
) -> None:
    work = tmp_path / "work"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--customers", "150", "--days", "2", "--work-dir", str(work)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for step in ("scan floor", "full build", "refresh"):
        assert step in done.stderr, f"no progress line for {step!r}:\n{done.stderr}"
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    floor, full, refresh = figures["scan_floor"], figures["full_build"], figures["refresh"]
    for step in (floor, full, refresh):
        assert step["seconds"] > 0 and step["peak_mib"] > 0
    # The floor reads every file the full build reads; the refresh reads only the last day.
    delivered = work / "delivered"
    last_day = sorted(path.stem for path in delivered.glob("orders/*.csv"))[-1]
    assert figures["new_files"] == len(list(delivered.glob(f"*/{last_day}.csv")))
    assert floor["rows_read"] == full["rows_read"] > refresh["rows_read"] > 0
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        ledger = con.execute(
            "select processed_by_run, sum(rows_read + lines_rejected) from marts.delivery_ledger "
            "group by processed_by_run order by min(processed_at)"
        ).fetchall()
    assert [rows for _, rows in ledger] == [full["rows_read"], refresh["rows_read"]]
    # the ratios are of the printed steps: of unrounded seconds there, so here within what
    # rounding the seconds to 0.1 (and the ratios to 0.001 and 0.1) allows
    assert within_rounding(figures["refresh_vs_full_build"], refresh, full, 0.0005)
    assert within_rounding(figures["full_build_vs_scan_floor"], full, floor, 0.05)
    # each dbt step's node seconds, from its own run_results (kept in the work folder)
    for step, name in ((full, "full_build"), (refresh, "refresh")):
        kept = json.loads((work / f"run_results_{name}.json").read_text())["results"]
        assert step["node_seconds"]["by_type"]["model"] > 0
        assert step["node_seconds"]["by_type"]["test"] > 0
        assert len(step["node_seconds"]["slowest"]) == 10
        slowest_kept = max(result["execution_time"] for result in kept)
        assert step["node_seconds"]["slowest"][0][1] == round(slowest_kept, 1)
    assert "refresh / full build:" in done.stdout
