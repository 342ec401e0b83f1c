"""Spark parity: the session's sample landing zone built on Spark (scripts/spark_parity.sh, in
its own environment .venv-spark: models and seeds) gives the same marts as its DuckDB build.
The data and unit tests (which pass on DuckDB in the suite) and the second run of the
incremental models (PARITY_BACKFILL_DAYS) are left to the script run by hand: together they
would add about six minutes to the suite. The compare step
(scripts/spark_parity.py) is also checked on its own, without Spark, on a difference it must
report."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import PROJECT_DIR, BuiltProject

SCRIPT = PROJECT_DIR / "scripts" / "spark_parity.py"


def test_spark_builds_the_same_marts_as_duckdb(sample_build: BuiltProject, tmp_path: Path) -> None:
    assert sample_build.build.returncode == 0, sample_build.build.output[-3000:]
    env = {
        **os.environ,
        "PARITY_DIR": str(tmp_path / "parity"),
        "PARITY_DUCKDB": str(sample_build.database),
        "PARITY_DATA_TESTS": "false",
        "PARITY_UNIT_TESTS": "false",
    }
    done = subprocess.run(
        ["bash", str(PROJECT_DIR / "scripts" / "spark_parity.sh"), str(sample_build.raw_dir)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    output = done.stdout + done.stderr
    print(output)  # the parity table and the build times, shown with -s or on failure
    assert done.returncode == 0, output[-8000:]
    with duckdb.connect(str(sample_build.database), read_only=True) as con:
        marts = {
            name.lower()
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
    identical = dict(re.findall(r"^(\w+)\s+identical\s+(\d+) rows$", done.stdout, re.MULTILINE))
    assert set(identical) == marts, "marts not reported identical: " + ", ".join(
        sorted(marts ^ set(identical))
    )
    # the compared marts hold data
    assert int(identical["customers"]) > 1000
    assert int(identical["segment_memberships"]) > 1000


def _export(folder: Path, tables: dict[str, str]) -> None:
    """A Parquet export as custseg.spark_export writes it, made with DuckDB."""
    con = duckdb.connect()
    listed = []
    for name, sql in tables.items():
        (folder / name).mkdir(parents=True)
        con.execute(f"copy ({sql}) to '{folder / name / 'part-0.parquet'}' (format parquet)")
        listed.append({"name": name, "kind": "table"})
    (folder / "relations.json").write_text(json.dumps(listed))


def test_the_compare_step_casts_to_the_duckdb_types_and_reports_a_difference(
    tmp_path: Path,
) -> None:
    reference = tmp_path / "duck.duckdb"
    with duckdb.connect(str(reference)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.customers as select * from (values"
            " ('c1', 10.50::decimal(18,2), 0.1::double), ('c2', 3.25, 0.2)) t(id, spend, share)"
        )
    same, other = tmp_path / "same", tmp_path / "other"
    # Spark writes decimals and doubles its own way; the loader casts to the reference types.
    _export(
        same,
        {
            "customers": "select * from (values ('c1', '10.5', 0.1000000001), ('c2', '3.25', 0.2))"
            " t(id, spend, share)"
        },
    )
    _export(
        other,
        {
            "customers": "select * from (values ('c1', '10.5', 0.1), ('c2', '3.26', 0.2))"
            " t(id, spend, share)"
        },
    )
    run = [sys.executable, str(SCRIPT), str(reference)]
    equal = subprocess.run([*run, str(same)], capture_output=True, text=True)
    assert equal.returncode == 0, equal.stdout + equal.stderr
    assert re.search(r"^customers\s+identical\s+2 rows$", equal.stdout, re.MULTILINE)
    different = subprocess.run([*run, str(other)], capture_output=True, text=True)
    assert different.returncode == 1, different.stdout + different.stderr
    assert "only-before 1, only-after 1" in different.stdout
    missing = subprocess.run([*run, str(tmp_path / "nowhere")], capture_output=True, text=True)
    assert missing.returncode == 2
