"""RFM recomputed in plain pandas: the project's reference implementation outside SQL.

The definitions are those of int_customer_rfm_aggregated / int_customer_rfm_scored
(docs/attributes.md). tests/python/test_rfm_pandas.py compares every customer of the built
customer_rfm with it; scripts/bench_attributes.py times it against the SQL.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

SEGMENT_MAP = Path(__file__).resolve().parents[1] / "seeds" / "rfm_segment_map.csv"
RFM_WINDOW_DAYS = 730
REPORTING_CURRENCY = "USD"
RETURN_STATUSES = ("returned", "refunded")


def quantile_score(values: pd.Series, ascending: bool) -> pd.Series:
    """1 + floor(5 * (rank - 1) / n) with rank = SQL rank() (ties share the lowest rank)."""
    ranks = values.rank(method="min", ascending=ascending)
    return (1 + np.floor(5 * (ranks - 1) / len(values))).astype("int64")


def relation(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """Schema-qualified name of a dbt model (each layer builds into its own schema)."""
    rows = con.execute(
        "select table_schema from information_schema.tables where table_name = ?", [name]
    ).fetchall()
    if not rows:
        raise LookupError(f"{name} was not built")
    return f"{rows[0][0]}.{name}"


def pandas_rfm(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """RFM of every customer of int_customers_golden, computed in pandas from the built staging
    and identity tables with the project's defaults (as_of_date unset, rfm_window_days 730,
    reporting currency USD)."""
    orders = con.sql(
        "select order_id, ordered_at, order_date, status, currency,"
        f" cast(order_total as double) as order_total from {relation(con, 'stg_commerce__orders')}"
    ).df()
    events = con.sql(
        f"select max(occurred_at) as latest_at from {relation(con, 'stg_web__events')}"
    ).df()
    rates = con.sql(
        "select rate_date, currency, cast(rate_to_reporting as double) as rate"
        f" from {relation(con, 'stg_finance__fx_rates')}"
    ).df()
    records = con.sql(
        f"select record_key as order_id, customer_id from {relation(con, 'int_records_resolved')}"
        " where source = 'orders'"
    ).df()
    customers = con.sql(f"select customer_id from {relation(con, 'int_customers_golden')}").df()
    segment_map = pd.read_csv(SEGMENT_MAP)

    # as_of_date: the latest ordered_at / occurred_at (var as_of_date unset)
    latest = max(orders["ordered_at"].max(), events["latest_at"].max())
    as_of = pd.Timestamp(latest).normalize()
    as_of_end = as_of + pd.Timedelta(days=1)
    window_start = as_of - pd.Timedelta(days=RFM_WINDOW_DAYS - 1)

    # fx: latest rate on or before the order date; the reporting currency converts at 1
    orders["currency"] = orders["currency"].fillna(REPORTING_CURRENCY)
    orders["order_date"] = pd.to_datetime(orders["order_date"])
    rates["rate_date"] = pd.to_datetime(rates["rate_date"])
    orders = pd.merge_asof(
        orders.sort_values("order_date"), rates.sort_values("rate_date"),
        left_on="order_date", right_on="rate_date", by="currency", direction="backward",
    )  # fmt: skip
    orders.loc[orders["currency"] == REPORTING_CURRENCY, "rate"] = 1.0
    orders["total"] = (orders["order_total"] * orders["rate"]).round(4).fillna(0.0)

    orders = orders.merge(records, on="order_id", how="inner")
    orders = orders[orders["ordered_at"] < as_of_end]
    completed = orders[orders["status"] == "completed"]
    in_window = orders[orders["order_date"] >= window_start]
    window_completed = in_window[in_window["status"] == "completed"]
    window_returned = in_window[in_window["status"].isin(RETURN_STATUSES)]

    rfm = customers.set_index("customer_id")
    rfm["last_purchase_date"] = completed.groupby("customer_id")["order_date"].max()
    rfm["recency_days"] = (as_of - rfm["last_purchase_date"]).dt.days
    rfm["frequency_orders"] = window_completed.groupby("customer_id").size()
    rfm["frequency_days"] = window_completed.groupby("customer_id")["order_date"].nunique()
    revenue = window_completed.groupby("customer_id")["total"].sum()
    returned = window_returned.groupby("customer_id")["total"].sum()
    rfm["frequency_orders"] = rfm["frequency_orders"].fillna(0).astype("int64")
    rfm["frequency_days"] = rfm["frequency_days"].fillna(0).astype("int64")
    net = revenue.reindex(rfm.index, fill_value=0.0) - returned.reindex(rfm.index, fill_value=0.0)
    rfm["monetary_net_revenue"] = net.clip(lower=0).round(2)

    scored = rfm[rfm["recency_days"].notna()].copy()
    scored["r_score"] = quantile_score(scored["recency_days"], ascending=False)
    scored["f_score"] = quantile_score(scored["frequency_orders"], ascending=True)
    scored["m_score"] = quantile_score(scored["monetary_net_revenue"], ascending=True)
    scored = scored.reset_index().merge(segment_map, on=["r_score", "f_score"], how="left")
    rfm = rfm.reset_index().merge(
        scored[["customer_id", "r_score", "f_score", "m_score", "rfm_segment"]],
        on="customer_id", how="left",
    )  # fmt: skip
    rfm["rfm_segment"] = rfm["rfm_segment"].fillna("No Purchases")
    rfm["as_of_date"] = as_of.date()
    return rfm
