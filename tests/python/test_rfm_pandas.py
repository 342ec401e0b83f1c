"""Recompute the RFM mart with pandas from the staging / identity tables and compare every customer.

The session's sample build (conftest.sample_build) is compared customer by customer with the
pandas reference implementation in custseg/rfm_reference.py, which applies the definitions
documented in models/intermediate/attributes/_attributes__models.yml (docs/attributes.md)
independently of the SQL.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import BuiltProject

from custseg.rfm_reference import pandas_rfm, relation


@pytest.fixture(scope="module")
def rfm_database(sample_build: BuiltProject) -> Path:
    """The session's generated sample, built with `dbt build` (conftest.sample_build)."""
    assert sample_build.build.returncode == 0, sample_build.build.output[-3000:]
    return sample_build.database


def test_rfm_matches_pandas(rfm_database: Path) -> None:
    with duckdb.connect(str(rfm_database), read_only=True) as con:
        expected = pandas_rfm(con)
        rfm_mart = relation(con, "customer_rfm")
        actual = con.sql(
            f"select *, cast(monetary_net_revenue as double) as monetary from {rfm_mart}"
        ).df()
    assert len(actual) == len(expected) > 0
    merged = expected.merge(actual, on="customer_id", suffixes=("_pd", "_dbt"), validate="1:1")
    assert len(merged) == len(expected)
    assert (merged["as_of_date_pd"] == pd.to_datetime(merged["as_of_date_dbt"]).dt.date).all()
    for column in ("recency_days", "frequency_orders", "frequency_days"):
        left = merged[f"{column}_pd"].astype("Float64")
        right = merged[f"{column}_dbt"].astype("Float64")
        mismatched = merged[~((left == right).fillna(False) | (left.isna() & right.isna()))]
        assert mismatched.empty, (
            column,
            mismatched[["customer_id", f"{column}_pd", f"{column}_dbt"]],
        )
    money_gap = (merged["monetary_net_revenue_pd"] - merged["monetary"]).abs()
    assert money_gap.max() <= 0.011, merged.loc[money_gap.idxmax()]
    for column in ("r_score", "f_score", "m_score"):
        left = merged[f"{column}_pd"].astype("Float64")
        right = merged[f"{column}_dbt"].astype("Float64")
        same = (left == right).fillna(False) | (left.isna() & right.isna())
        assert same.all(), (
            column,
            merged.loc[~same, ["customer_id", f"{column}_pd", f"{column}_dbt"]],
        )
    assert (merged["rfm_segment_pd"] == merged["rfm_segment_dbt"]).all()
    scored = merged["r_score_dbt"].notna()
    assert scored.sum() > 0 and not math.isnan(merged.loc[scored, "m_score_dbt"].mean())
