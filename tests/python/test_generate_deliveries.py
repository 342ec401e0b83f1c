"""`custseg generate --deliveries N`: the same world as a history file and one file a day per
source. The rows of every source are exactly those of the single-file landing zone (both
ways, duplicates counted), the ground truth is byte for byte the same, every row sits in the
file of the day it arrived, later versions of an order and repeated deliveries of a row arrive
in later files than the first, an order line arrives with its order, some later records merge
two customers of the earlier files, some erasure and consent requests arrive after the person's
data, and the landing reader takes each source as a folder of CSV files in delivery order."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from custseg import contract, landing
from custseg.generate import generate

DAYS = 30
SEED = 3  # a world whose last 30 days hold late erasure requests


@pytest.fixture(scope="module")
def zones(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("deliveries")
    generate(root / "one", customers=1500, seed=SEED)
    generate(root / "daily", customers=1500, seed=SEED, deliveries=DAYS)
    return root / "one", root / "daily"


def _rows(con: duckdb.DuckDBPyConnection, files: str) -> str:
    return f"read_csv({files}, all_varchar = true, header = true, union_by_name = true)"


@pytest.mark.parametrize("source", contract.source_names())
def test_the_deliveries_hold_the_same_rows(zones: tuple[Path, Path], source: str) -> None:
    one, daily = zones
    con = duckdb.connect()
    single, split = _rows(con, f"'{one / source}.csv'"), _rows(con, f"'{daily / source}/*.csv'")
    for left, right in ((single, split), (split, single)):
        missing = con.execute(
            f"select count(*) from (select * from {left} except all select * from {right})"
        ).fetchone()[0]
        assert missing == 0, source
    assert not (daily / f"{source}.csv").exists()


def test_truth_is_the_same_and_the_manifest_lists_the_files(zones: tuple[Path, Path]) -> None:
    one, daily = zones
    for name in ("identity.csv", "dirt.csv"):
        assert (one / "_truth" / name).read_bytes() == (daily / "_truth" / name).read_bytes()
    manifest = json.loads((daily / "_truth" / "manifest.json").read_text())["deliveries"]
    assert manifest["days"] == DAYS and manifest["last_day"] == "2026-09-30"
    for source in contract.source_names():
        assert manifest["files"][source] == sorted(p.name for p in (daily / source).iterdir())
    assert len(manifest["files"]["orders"]) == DAYS + 1  # history and a file every day


def test_rows_arrive_on_their_day_and_late_versions_later(zones: tuple[Path, Path]) -> None:
    _, daily = zones
    con = duckdb.connect()
    orders = con.execute(
        "select order_id, updated_at, ordered_at, "
        "regexp_extract(filename, '([0-9-]{10})(_history)?\\.csv$', 1) as file_day, "
        "filename like '%_history.csv' as is_history "
        f"from read_csv('{daily}/orders/*.csv', all_varchar = true, filename = true)"
    ).fetchall()
    first_day = "2026-09-01"
    for _, updated_at, _, file_day, is_history in orders:
        if updated_at and updated_at[:10] >= first_day and not is_history:
            assert file_day >= updated_at[:10]  # never before the version's own time
    # a later version of an order, and a repeated delivery of the same version, arrive in a
    # later file than the first
    newer_later, repeated_later = con.execute(
        "with rows as (select order_id, updated_at, filename from "
        f"read_csv('{daily}/orders/*.csv', all_varchar = true, filename = true)) "
        "select count(*) filter (where older.updated_at < newer.updated_at), "
        "count(*) filter (where older.updated_at = newer.updated_at) "
        "from rows as older join rows as newer using (order_id) "
        "where older.filename < newer.filename"
    ).fetchone()
    assert newer_later > 0 and repeated_later > 0
    # order lines come in the file of their order's first version
    lines = con.execute(
        "with items as (select order_id, filename from "
        f"read_csv('{daily}/order_items/*.csv', all_varchar = true, filename = true)), "
        "first_order as (select order_id, min(filename) as filename from "
        f"read_csv('{daily}/orders/*.csv', all_varchar = true, filename = true) group by all) "
        "select count(*) filter (where replace(items.filename, 'order_items', 'orders') "
        "<> first_order.filename), count(*) from items join first_order using (order_id)"
    ).fetchone()
    assert lines[0] == 0 and lines[1] > 0


def test_the_landing_reader_takes_each_source_as_a_folder(zones: tuple[Path, Path]) -> None:
    _, daily = zones
    delivery = landing.find(daily, "orders")
    assert delivery is not None and delivery.form == "csv folder"
    assert [p.name for p in delivery.files][0].endswith("_history.csv")
    assert len(delivery.files) == DAYS + 1


def _day_files(con: duckdb.DuckDBPyConnection, folder: Path, columns: str) -> list[tuple]:
    """(file day or None for the history file, columns...) of every row of a source."""
    return con.execute(
        "select case when filename like '%_history.csv' then null else "
        "regexp_extract(filename, '([0-9-]{10})\\.csv$', 1) end as day, "
        f"{columns} from read_csv('{folder}/*.csv', all_varchar = true, filename = true)"
    ).fetchall()


def test_later_records_merge_customers_of_earlier_files(zones: tuple[Path, Path]) -> None:
    """Identifiers (crm_id, e-mail, phone, loyalty card) link the CRM and order records of the
    files delivered so far into groups; some record of a later day carries identifiers of two
    groups that no earlier file linked, so the day's run must merge two customers."""
    _, daily = zones
    con = duckdb.connect()
    identifiers = "lower(trim(crm_id)), lower(trim(email)), lower(trim(phone)), loyalty_card_id"
    records = [
        (day, [f"{kind}:{value}" for kind, value in zip("cept", values, strict=True) if value])
        for source in ("crm_customers", "orders")
        for day, *values in _day_files(con, daily / source, identifiers)
    ]
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            node = parent[node] = parent[parent[node]]
        return node

    def link(ids: list[str]) -> None:
        for other in ids[1:]:
            parent[find(other)] = find(ids[0])

    for day, ids in records:
        if day is None:
            link(ids)
    merging = 0
    for day in sorted({day for day, _ in records if day is not None}):
        todays = [ids for record_day, ids in records if record_day == day]
        merging += sum(len({find(i) for i in ids if i in parent}) > 1 for ids in todays)
        for ids in todays:
            link(ids)
    assert merging > 0


def test_erasure_and_consent_requests_arrive_after_the_persons_data(
    zones: tuple[Path, Path],
) -> None:
    _, daily = zones
    con = duckdb.connect()
    truth = dict(
        con.execute(
            f"select source || '/' || record_key, person_id from read_csv('{daily}/_truth/"
            "identity.csv', all_varchar = true)"
        ).fetchall()
    )
    earlier_people = {
        truth.get(f"{source}/{key}")
        for source, key_column in (("crm_customers", "crm_id"), ("orders", "order_id"))
        for day, key in _day_files(con, daily / source, key_column)
        if day is None
    }
    late = {"erasure": 0, "consent": 0}
    for day, request_id, request_type in _day_files(
        con, daily / "privacy_requests", "request_id, request_type"
    ):
        person = truth.get(f"privacy_requests/{request_id}")
        if day is not None and person in earlier_people and request_type:
            late["erasure" if request_type == "erasure" else "consent"] += 1
    assert late["erasure"] > 0 and late["consent"] > 0, late
