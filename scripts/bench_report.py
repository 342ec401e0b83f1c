"""Benchmark `custseg report`: the time to write the report of a 100,000-customer build and
the size of the files it writes.

Without --database it generates a landing zone of --customers customers in --work-dir and runs
`dbt build` into <work-dir>/bench.duckdb (about 2.5 minutes at 100k); a later run reuses that
database. With --database it uses an existing build. Prints figures; asserts nothing.

    python scripts/bench_report.py --customers 100000
    python scripts/bench_report.py --database /tmp/custseg_bench_report/bench.duckdb
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WORK_DIR = Path(tempfile.gettempdir()) / "custseg_bench_report"


def build(customers: int, seed: int, work: Path) -> Path:
    """A landing zone and a dbt build of it in ``work`` (skipped when already there)."""
    sys.path.insert(0, str(REPO))
    from custseg.generate import generate

    raw_dir, database = work / "raw", work / "bench.duckdb"
    if not (raw_dir / "_truth").exists():
        started = time.perf_counter()
        generate(raw_dir, customers=customers, seed=seed)
        print(f"generated {customers:,} customers in {time.perf_counter() - started:.1f}s")
    if not database.exists():
        env = {**os.environ, "RAW_DIR": str(raw_dir), "DUCKDB_PATH": str(database)}
        command = [str(Path(sys.executable).parent / "dbt"), "build", "--project-dir", str(REPO)]
        command += ["--profiles-dir", str(REPO), "--target-path", str(work / "target")]
        command += ["--log-path", str(work / "logs"), "--quiet"]
        started = time.perf_counter()
        subprocess.run(command, env=env, cwd=REPO, check=True)
        print(f"dbt build in {time.perf_counter() - started:.1f}s")
    return database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--database", type=Path, help="an existing build to report on")
    parser.add_argument("--out", type=Path, help="report folder (default: <work-dir>/report)")
    parser.add_argument("--repeat", type=int, default=3, help="reports written (best time shown)")
    args = parser.parse_args(argv)

    args.work_dir.mkdir(parents=True, exist_ok=True)
    database = args.database or build(args.customers, args.seed, args.work_dir)
    with duckdb.connect(str(database), read_only=True) as con:
        (customers,) = con.execute("select count(*) from marts.customer_attributes").fetchone()
        (runs,) = con.execute(
            "select count(distinct as_of_date) from marts.segment_summary"
        ).fetchone()

    sys.path.insert(0, str(REPO))
    from custseg import report

    out = args.out or args.work_dir / "report"
    # the first report bundles the Vega JavaScript into an empty cache, the others read it
    cold_cache = Path(tempfile.mkdtemp(prefix="custseg_bench_report_cache_"))
    os.environ["XDG_CACHE_HOME"] = str(cold_cache)
    report.vega_javascript.cache_clear()
    times = []
    for _ in range(args.repeat):
        report.vega_javascript.cache_clear()  # each report as in a new process
        started = time.perf_counter()
        html = report.write_report(database, out)
        times.append(time.perf_counter() - started)
    html_size = html.stat().st_size
    json_size = html.with_name(report.JSON_NAME).stat().st_size
    warm = times[1:] or times
    print(f"database: {database} ({customers:,} customers, {runs} run(s))")
    print(
        f"report written in {min(warm):.2f}s with the JavaScript bundle cached "
        f"(best of {len(warm)}; target under 10 s), {times[0]:.2f}s with an empty cache"
    )
    print(
        f"report.html {html_size / 1e6:.2f} MB, report.json {json_size / 1e6:.2f} MB "
        f"(target: html under 5 MB): {html}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
