"""The attribute benchmark script, run end to end on a small landing zone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR

CUSTOMERS = 400


def test_attribute_benchmark_measures_the_project_and_its_rfm_comparisons_agree(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "scripts" / "bench_attributes.py"),
            "--customers",
            str(CUSTOMERS),
            "--workdir",
            str(tmp_path),
            "--rfm-memory-limit",
            "500MB",
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(done.stdout)
    for step in ("generating", "building", "attribute stage", "RFM step"):
        assert step in done.stderr, f"no progress line for {step!r}:\n{done.stderr}"
    assert result["customers"] == CUSTOMERS
    for figure in (
        "attribute_stage_wall_s",
        "project_rfm_step_s",
        "project_rfm_sql_s",
        "pandas_rfm_s",
        "duckdb_query_rfm_s",
        "fact_pass_floor_total_s",
    ):
        assert result[figure] > 0, figure
    # the printed ratio is of the unrounded times
    assert result["attribute_stage_vs_query"] == pytest.approx(
        result["attribute_stage_wall_s"] / result["duckdb_query_rfm_s"], rel=0.1
    )
    # The RFM row and scored counts that the three implementations agreed on are the project's.
    database = tmp_path / f"c{CUSTOMERS}" / "bench.duckdb"
    with duckdb.connect(str(database), read_only=True) as con:
        orders = con.execute("select count(*) from staging.stg_commerce__orders").fetchone()[0]
        rfm = con.execute("select count(*), count(r_score) from marts.customer_rfm").fetchone()
    assert result["orders"] == orders
    assert result["rfm_rows_and_scored"] == list(rfm)
    assert 0 < rfm[1] < rfm[0]
