"""What the report shows, read from the published marts (schema ``marts``) of a DuckDB file.

Every function takes an open read-only connection and returns plain records (lists of dicts
with JSON-friendly values), so the page and its JSON file hold the same figures.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from typing import Any

import duckdb

Records = list[dict[str, Any]]

EXCLUSIVE_FAMILIES = ("rfm", "lifecycle", "value_tier")
# Lifecycle stages of a customer whose last completed order is at most 180 days old
# (customer_attributes.lifecycle_stage: at_risk and lapsed are older, prospects never bought).
ACTIVE_LIFECYCLE_SEGMENTS = (
    "lifecycle_new",
    "lifecycle_active",
    "lifecycle_loyal",
    "lifecycle_reactivated",
)
# Attributes a segment profile compares with all customers (customer_attributes columns).
PROFILE_ATTRIBUTES = (
    "age_band",
    "preferred_channel",
    "primary_device_type",
    "top_purchased_category",
    "nps_category",
    "region",
)
PROFILE_SEGMENTS = 8  # segments profiled: the best priority ranks of the latest run
PROFILE_ROWS = 8  # attribute values shown per segment: the largest differences in share


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def records(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> Records:
    """Rows of a query as dicts with JSON-friendly values (dates as ISO text, decimals as float)."""
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, map(_plain, row), strict=True)) for row in cursor.fetchall()]


def run_dates(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The recorded runs (as_of_date of segment_summary), oldest first."""
    rows = records(con, "select distinct as_of_date from marts.segment_summary order by 1")
    return [row["as_of_date"] for row in rows]


def overview(con: duckdb.DuckDBPyConnection) -> Records:
    """Customers, active customers and lifetime net revenue per run. Every customer is in
    exactly one lifecycle segment, so the lifecycle family's totals are the customer base."""
    active = ", ".join(f"'{key}'" for key in ACTIVE_LIFECYCLE_SEGMENTS)
    return records(
        con,
        f"""
        select
            as_of_date,
            sum(members_count) as customers,
            coalesce(sum(members_count) filter (where segment_key in ({active})), 0)
                as active_customers,
            sum(net_revenue) as net_revenue
        from marts.segment_summary
        where family = 'lifecycle'
        group by as_of_date
        order by as_of_date
        """,
    )


def last_run_started_at(con: duckdb.DuckDBPyConnection) -> str | None:
    """Start of the latest dbt run that left a trace in the marts (quarantine or identity)."""
    row = con.execute(
        "select greatest((select max(detected_at) from marts.quarantined_rows), "
        "(select max(changed_at) from marts.identity_changes))"
    ).fetchone()
    return _plain(row[0]) if row else None


def segments(con: duckdb.DuckDBPyConnection, as_of_date: str) -> Records:
    """Segment sizes and value at one run, by family and priority rank."""
    return records(
        con,
        """
        select
            segment_key,
            coalesce(segment_name, segment_key) as segment_name,
            family,
            members_count,
            share_of_customers,
            net_revenue,
            average_net_revenue,
            priority_rank,
            members_change
        from marts.segment_summary
        where as_of_date = ?
        order by family, priority_rank, segment_key
        """,
        [as_of_date],
    )


def segment_sizes_over_runs(con: duckdb.DuckDBPyConnection) -> Records:
    """Members per run of the exclusive families' segments."""
    families = ", ".join(f"'{family}'" for family in EXCLUSIVE_FAMILIES)
    return records(
        con,
        f"""
        select as_of_date, family, coalesce(segment_name, segment_key) as segment_name,
            members_count
        from marts.segment_summary
        where family in ({families})
        order by as_of_date, family, segment_name
        """,
    )


def rfm_grid(con: duckdb.DuckDBPyConnection) -> Records:
    """The recency x frequency grid of customer_rfm: customers, RFM-window revenue and the
    named segment per cell (the seed maps each (r, f) to one segment)."""
    return records(
        con,
        """
        select
            r_score,
            f_score,
            count(*) as customers,
            sum(monetary_net_revenue) as net_revenue,
            mode(rfm_segment) as rfm_segment
        from marts.customer_rfm
        where r_score is not null and f_score is not null
        group by r_score, f_score
        order by r_score, f_score
        """,
    )


def customers_without_rfm(con: duckdb.DuckDBPyConnection) -> int:
    """Customers outside the grid: no completed order, so no scores."""
    row = con.execute("select count(*) from marts.customer_rfm where r_score is null").fetchone()
    return int(row[0]) if row else 0


def transitions(con: duckdb.DuckDBPyConnection, from_date: str, to_date: str) -> Records:
    """The exclusive families' transition matrices between two consecutive runs."""
    return records(
        con,
        """
        select family, from_segment_key, to_segment_key, customers_count,
            share_of_from_segment, is_changed
        from marts.segment_transitions
        where from_as_of_date = ? and to_as_of_date = ?
        order by family, from_segment_key, to_segment_key
        """,
        [from_date, to_date],
    )


def segment_events(con: duckdb.DuckDBPyConnection, as_of_date: str) -> Records:
    """Customers that entered and exited each segment at one run."""
    return records(
        con,
        """
        select
            segment_key,
            family,
            count(*) filter (where event_type = 'entered') as entered,
            count(*) filter (where event_type = 'exited') as exited
        from marts.segment_events
        where as_of_date = ?
        group by segment_key, family
        order by family, segment_key
        """,
        [as_of_date],
    )


def profiles(con: duckdb.DuckDBPyConnection, segment_keys: list[str]) -> Records:
    """For each segment, the attribute values whose share among its members differs most from
    their share among all customers (customer_attributes joined to segment_memberships)."""
    if not segment_keys:
        return []
    columns = ", ".join(
        f"coalesce(cast({name} as string), 'unknown') as {name}" for name in PROFILE_ATTRIBUTES
    )
    keys = ", ".join("?" for _ in segment_keys)
    return records(
        con,
        f"""
        with attributes as (
            select customer_id, {columns} from marts.customer_attributes
        ),

        long as (
            unpivot attributes on {", ".join(PROFILE_ATTRIBUTES)}
            into name attribute value attribute_value
        ),

        everyone as (
            select attribute, attribute_value,
                count(*) / (select count(*) from attributes) as share_all
            from long
            group by attribute, attribute_value
        ),

        members as (
            select segment_key, customer_id
            from marts.segment_memberships
            where segment_key in ({keys})
        ),

        sizes as (
            select segment_key, count(*) as members_count from members group by segment_key
        ),

        member_shares as (
            select members.segment_key, long.attribute, long.attribute_value,
                count(*) / any_value(sizes.members_count) as share_segment
            from members
            inner join long on members.customer_id = long.customer_id
            inner join sizes on members.segment_key = sizes.segment_key
            group by members.segment_key, long.attribute, long.attribute_value
        ),

        compared as (
            select
                member_shares.segment_key,
                member_shares.attribute,
                member_shares.attribute_value,
                member_shares.share_segment,
                everyone.share_all,
                member_shares.share_segment - everyone.share_all as share_difference,
                member_shares.share_segment / everyone.share_all as lift,
                row_number() over (
                    partition by member_shares.segment_key
                    order by abs(member_shares.share_segment - everyone.share_all) desc,
                        member_shares.attribute, member_shares.attribute_value
                ) as difference_rank
            from member_shares
            inner join everyone
                on member_shares.attribute = everyone.attribute
                and member_shares.attribute_value = everyone.attribute_value
            where member_shares.attribute_value != 'unknown'
        )

        select segment_key, attribute, attribute_value, share_segment, share_all,
            share_difference, lift, difference_rank
        from compared
        where difference_rank <= {PROFILE_ROWS}
        order by segment_key, difference_rank
        """,
        segment_keys,
    )


def reconciliation(con: duckdb.DuckDBPyConnection) -> Records:
    """Rows per landing source: raw = clean + quarantined + superseded."""
    return records(
        con,
        """
        select source, raw_rows, clean_rows, quarantined_rows, superseded_rows, unreadable_lines
        from marts.source_reconciliation
        where is_delivered
        order by raw_rows desc, source
        """,
    )


def quarantine_rules(con: duckdb.DuckDBPyConnection, limit: int = 12) -> Records:
    """The most frequent quarantine rules, split into rejected rows and nulled values."""
    return records(
        con,
        f"""
        with by_rule as (
            select
                rule,
                count(*) filter (where is_row_rejected) as rejected_rows,
                count(*) filter (where not is_row_rejected) as nulled_values,
                count(*) as problems
            from marts.quarantined_rows
            group by rule
        )

        select rule, rejected_rows, nulled_values, problems
        from by_rule
        order by problems desc, rule
        limit {int(limit)}
        """,
    )


def identity_changes(con: duckdb.DuckDBPyConnection) -> Records:
    """Customer key changes per run and change type (records counted too)."""
    return records(
        con,
        """
        select
            changed_at,
            change_type,
            count(*) as changes,
            sum(record_count) as records_count
        from marts.identity_changes
        group by changed_at, change_type
        order by changed_at, change_type
        """,
    )


def oversize_clusters(con: duckdb.DuckDBPyConnection) -> Records:
    """Identity clusters above the size cap, largest first."""
    return records(
        con,
        """
        select oversize_cluster_id, record_count, customer_count,
            largest_customer_record_count, is_still_oversize
        from marts.identity_oversize_clusters
        order by record_count desc, oversize_cluster_id
        """,
    )
