"""Benchmark identity resolution: identifier rows per second and peak memory.

Generates a landing zone of --customers customers, builds the models up to
int_records_resolved with dbt (DuckDB), and prints, from dbt's run_results.json:
identifier rows (non-null identifier values on staging rows, the sum of evidence_count in
int_identifiers_unioned), graph edges and nodes, the time spent in the identity models
(models/intermediate/identity, connected components included), identifier rows per second of
that time, the end-to-end build time, and the peak resident memory of the dbt process.

    python scripts/bench_identity.py --customers 100000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
SELECTOR = ["+int_records_resolved"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work-dir", type=Path, help="folder for data and database (temp)")
    parser.add_argument("--project-dir", type=Path, default=REPO)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--database",
        type=Path,
        help="DuckDB file to build into (default: <work-dir>/bench.duckdb); with --identity-only, "
        "a database where staging was already built",
    )
    parser.add_argument(
        "--identity-only",
        action="store_true",
        help="reuse the database of a previous run in --work-dir: rebuild only the identity models",
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO))
    from custseg.generate import generate

    work = args.work_dir or Path(tempfile.mkdtemp(prefix="bench_identity_"))
    raw_dir, target = work / "raw", work / "target"
    database = args.database or work / "bench.duckdb"
    started = time.perf_counter()
    if not (raw_dir / "_truth").exists():
        generate(raw_dir, customers=args.customers, seed=args.seed)
    generated = time.perf_counter() - started
    print(f"generated {args.customers} customers in {generated:.1f}s ({raw_dir})")

    env = {
        **os.environ,
        "DUCKDB_PATH": str(database),
        "RAW_DIR": str(raw_dir),
        "DBT_THREADS": str(args.threads),
    }
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt), "build", "--profiles-dir", str(args.project_dir), "--project-dir",
        str(args.project_dir), "--target-path", str(target), "--log-path", str(target),
        "-s", *(["path:models/intermediate/identity"] if args.identity_only else SELECTOR),
        "--exclude-resource-type", "test",
        "--exclude-resource-type", "unit_test",
    ]  # fmt: skip
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    build_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if result.returncode != 0:
        print(result.stdout[-5000:], result.stderr[-2000:])
        return 1

    results = json.loads((target / "run_results.json").read_text())["results"]
    manifest = json.loads((target / "manifest.json").read_text())["nodes"]
    identity_seconds = {
        r["unique_id"].split(".")[-1]: r["execution_time"]
        for r in results
        if manifest.get(r["unique_id"], {})
        .get("original_file_path", "")
        .startswith("models/intermediate/identity/")
    }
    con = duckdb.connect(str(database), read_only=True)
    identifier_rows, edges = con.execute(
        "select sum(evidence_count), count(*) from intermediate.int_identifiers_unioned"
    ).fetchone()
    nodes = con.execute("select count(*) from intermediate.int_identity_nodes_labelled").fetchone()
    records, customers = con.execute(
        "select count(*), count(distinct customer_id) from intermediate.int_records_resolved"
    ).fetchone()
    con.close()

    total_identity = sum(identity_seconds.values())
    print(f"identifier rows          {identifier_rows:>14,}")
    print(f"graph edges              {edges:>14,}   nodes {nodes[0]:,}")
    print(f"records resolved         {records:>14,}   customers {customers:,}")
    for name, seconds in sorted(identity_seconds.items(), key=lambda item: -item[1]):
        print(f"  {name:<36} {seconds:8.2f}s")
    print(f"identity models time     {total_identity:>13.2f}s")
    print(f"identifier rows / s      {identifier_rows / total_identity:>14,.0f}")
    print(f"end-to-end dbt build     {build_seconds:>13.2f}s (staging included)")
    print(f"end-to-end rows / s      {identifier_rows / build_seconds:>14,.0f}")
    print(f"peak memory (dbt)        {peak_mb:>12,.0f} MB")
    if not args.keep and args.work_dir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
