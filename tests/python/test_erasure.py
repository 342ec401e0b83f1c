"""Erasure across runs: a customer who asks to be erased leaves every output, state included.

Run 1 is the session's sample build; the customer chosen is a member of segments, in the key
registry, in the run logs and has bad rows in quarantine. Run 2 adds an erasure request naming their
crm_id. After run 2 nothing of theirs is left: no row in any mart or state table carries their
customer_id, and no raw value in marts.quarantined_rows holds their e-mail or phone.

Run 2 also sets `as_of_date` and the attribute windows with `--vars`, as a user runs it, so
every unit test and data test must pass with those settings changed (unit tests pin the vars
they read: tests/python/test_unit_test_vars.py). The date is a later one: a build of the current
tables at a date before the latest run stops (tests/python/test_segments.py, the backfill).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import BuiltProject, run_dbt

SCHEMAS = ("marts", "state")


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where table_schema in {SCHEMAS} order by all"
    ).fetchall()


def rows_mentioning(database: Path, needles: list[str]) -> dict[str, int]:
    """Table -> number of rows in which any text column contains one of the needles."""
    found: dict[str, int] = {}
    with duckdb.connect(str(database), read_only=True) as con:
        for schema, table in _tables(con):
            columns = [
                name
                for name, data_type in con.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ?",
                    [schema, table],
                ).fetchall()
                if data_type in ("VARCHAR", "JSON")
            ]
            if not columns:
                continue
            condition = " or ".join(
                f'contains("{column}", ?)' for column in columns for _ in needles
            )
            params = [needle for _ in columns for needle in needles]
            count = con.execute(
                f'select count(*) from "{schema}"."{table}" where {condition}', params
            ).fetchone()[0]
            if count:
                found[f"{schema}.{table}"] = count
    return found


@pytest.fixture(scope="module")
def erased_run(tmp_path_factory: pytest.TempPathFactory, sample_build: BuiltProject) -> dict:
    """Run 1 is a copy of the session's sample build (conftest.sample_build); run 2 builds the
    copy again after the erasure request."""
    assert sample_build.build.returncode == 0, sample_build.build.output[-3000:]
    base = tmp_path_factory.mktemp("erasure")
    raw_dir = base / "raw"
    shutil.copytree(sample_build.raw_dir, raw_dir)
    # same file name: DuckDB names the catalog after the file and views refer to it
    database = base / sample_build.database.name
    shutil.copy(sample_build.database, database)
    with duckdb.connect(str(database), read_only=True) as con:
        # a CRM member with memberships and a quarantined row carrying their e-mail or phone,
        # whose e-mail and phone no other customer shares
        crm_id, customer_id, email, phone = con.execute(
            """
            select stg.crm_id, resolved.customer_id, customers.email, customers.phone
            from staging.stg_crm__customers as stg
            inner join intermediate.int_records_resolved as resolved
                on resolved.source = 'crm_customers' and resolved.record_key = stg.crm_id
            inner join marts.customers as customers
                on customers.customer_id = resolved.customer_id
            inner join marts.quarantined_rows as quarantined
                on contains(quarantined.raw_values, customers.email)
                or contains(quarantined.raw_values, customers.phone)
            where
                resolved.customer_id in (select customer_id from marts.segment_memberships)
                and not exists (
                    select 1
                    from marts.customer_identifiers as others
                    where
                        others.identifier_value in (customers.email, customers.phone)
                        and others.customer_id <> customers.customer_id
                )
            order by resolved.customer_id
            limit 1
            """
        ).fetchone()
    needles = [value for value in (customer_id, email, phone) if value]
    before = rows_mentioning(database, needles)
    with (raw_dir / "privacy_requests.csv").open("a", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            ["PR-ERASE-TEST", crm_id, "", "erasure", "2020-01-01T00:00:00Z"]
        )
    later_run = (
        '{as_of_date: "2031-06-30", rfm_window_days: 365, attr_short_window_days: 7, '
        "attr_long_window_days: 60}"
    )
    # the request is appended to a file run 1 processed: only --full-refresh accepts that (the
    # state models keep their history under it, so the purge of state is still tested)
    second = run_dbt(["build", "--full-refresh", "--vars", later_run], raw_dir, database, base)
    return {
        "database": database,
        "needles": needles,
        "before": before,
        "second": second,
        "customer_id": customer_id,
    }


def test_the_customer_was_everywhere_before(erased_run: dict) -> None:
    before = erased_run["before"]
    for table in (
        "marts.customers",
        "marts.segment_memberships",
        "marts.quarantined_rows",
        "state.state_customer_keys",
        "state.state_segment_membership_runs",
        "state.state_segment_attribute_snapshots",
    ):
        assert before.get(table, 0) > 0, (table, before)


def test_nothing_of_the_erased_customer_is_left(erased_run: dict) -> None:
    assert erased_run["second"].returncode == 0, erased_run["second"].output[-3000:]
    assert rows_mentioning(erased_run["database"], erased_run["needles"]) == {}


def test_their_quarantined_rows_stay_counted_without_values(erased_run: dict) -> None:
    with duckdb.connect(str(erased_run["database"]), read_only=True) as con:
        nulled = con.execute(
            "select count(*) from marts.quarantined_rows where raw_values is null"
        ).fetchone()[0]
        unbalanced = con.execute(
            "select count(*) from marts.source_reconciliation "
            "where raw_rows <> clean_rows + quarantined_rows + superseded_rows"
        ).fetchone()[0]
    assert nulled > 0
    assert unbalanced == 0
