"""Tests of the Great Expectations landing-zone checkpoint (custseg.quality).

Each test builds a small landing zone in tmp_path with pandas/DuckDB. The synthetic data is
normally dirty (about 1% bad values per checked column), as the contract says real data is.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from custseg import contract, landing, quality, refresh_steps
from custseg.generate import SOURCES

REFERENCE = datetime(2025, 1, 1, tzinfo=timezone.utc)
REPO = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------------------------------
# Synthetic landing zones
# --------------------------------------------------------------------------------------------------


def _iso(rng: np.random.Generator, n: int, days: int = 700) -> pd.Series:
    """ISO-8601 timestamps in the `days` before REFERENCE, mixed offsets."""
    seconds = rng.integers(3600, days * 86400, n)
    moments = pd.Timestamp(REFERENCE) - pd.to_timedelta(seconds, unit="s")
    text = pd.Series(moments.strftime("%Y-%m-%dT%H:%M:%S"))
    offsets = rng.choice(["Z", "+07:00", ""], n)
    return text + offsets


def codes(source: str, column: str) -> tuple[str, ...]:
    """The contract's code list of a coded column."""
    return contract.default().source(source).column(column).values


def _pick(rng: np.random.Generator, values: tuple[str, ...] | list[str], n: int) -> np.ndarray:
    return rng.choice(np.asarray(values, dtype=object), n)


def _money(rng: np.random.Generator, n: int, high: float = 500.0) -> pd.Series:
    return pd.Series(rng.uniform(1, high, n).round(2)).map("{:.2f}".format)


def _dirty(frame: pd.DataFrame, rng: np.random.Generator, share: float) -> pd.DataFrame:
    """Spoil `share` of the values of every column (junk text, or a blank)."""
    frame = frame.copy()
    for column in frame.columns:
        bad = rng.random(len(frame)) < share
        junk = rng.choice(np.asarray(["n/a", "??", "", "-1"], dtype=object), int(bad.sum()))
        frame.loc[bad, column] = junk
    return frame


def make_sources(
    customers: int = 200, seed: int = 7, dirt: float = 0.01
) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    n = customers
    crm_ids = np.array([f"C{i:06d}" for i in range(n)], dtype=object)
    crm = pd.DataFrame(
        {
            "crm_id": crm_ids,
            "updated_at": _iso(rng, n),
            "email": [f"User{i}@Example.com " for i in range(n)],
            "phone": [f"0912 {i:03d} {i % 1000:03d}" for i in range(n)],
            "first_name": _pick(rng, ["An", "Binh", "Chi", "Mai"], n),
            "birth_date": pd.Series(
                pd.to_datetime("1950-01-01") + pd.to_timedelta(rng.integers(0, 20000, n), "D")
            ).dt.strftime("%Y-%m-%d"),
            "gender": _pick(rng, ["F", "female", "Nữ", "m"], n),
            "children_count": rng.integers(0, 4, n).astype(str),
            "annual_income": _money(rng, n, 90000),
            "income_currency": _pick(rng, ["VND", "USD", "usd"], n),
            "country_code": _pick(rng, ["VN", "US", "sg"], n),
            "latitude": rng.uniform(-10, 20, n).round(4).astype(str),
            "longitude": rng.uniform(100, 110, n).round(4).astype(str),
            "urbanicity": _pick(rng, ["urban", "suburban", "rural"], n),
            "loyalty_card_id": [f"L{i:08d}" for i in range(n)],
            "signup_at": _iso(rng, n),
            "customer_type": _pick(rng, ["person", "business"], n),
            "marketing_opt_in": _pick(rng, ["true", "false", "1", "0"], n),
        }
    )
    n_orders = 5 * n
    orders = pd.DataFrame(
        {
            "order_id": [f"O{i:07d}" for i in range(n_orders)],
            "updated_at": _iso(rng, n_orders),
            "source_system": _pick(rng, codes("orders", "source_system"), n_orders),
            "crm_id": _pick(rng, crm_ids, n_orders),
            "email": None,
            "store_id": _pick(rng, [f"S{i}" for i in range(10)], n_orders),
            "ordered_at": _iso(rng, n_orders),
            "status": _pick(rng, ["completed", "Completed", "pending", "returned"], n_orders),
            "currency": _pick(rng, ["VND", "USD"], n_orders),
            "order_total": _money(rng, n_orders),
            "discount_amount": _money(rng, n_orders, 10),
            "shipping_amount": _money(rng, n_orders, 5),
            "tax_amount": _money(rng, n_orders, 20),
            "payment_method": _pick(rng, codes("orders", "payment_method"), n_orders),
        }
    )
    n_items = 2 * n_orders
    items = pd.DataFrame(
        {
            "order_id": np.repeat(orders["order_id"].to_numpy(), 2),
            "line_number": np.tile(["1", "2"], n_orders),
            "product_id": _pick(rng, [f"P{i}" for i in range(50)], n_items),
            "quantity": rng.integers(1, 4, n_items).astype(str),
            "unit_price": _money(rng, n_items, 100),
            "discount_amount": _money(rng, n_items, 5),
        }
    )
    products = pd.DataFrame(
        {
            "product_id": [f"P{i}" for i in range(50)],
            "product_name": [f"Product {i}" for i in range(50)],
            "list_price": _money(rng, 50, 100),
            "unit_cost": _money(rng, 50, 50),
            "is_eco_friendly": _pick(rng, ["true", "false"], 50),
            "launched_at": _iso(rng, 50, 2000).str[:10],
        }
    )
    stores = pd.DataFrame(
        {
            "store_id": [f"S{i}" for i in range(10)],
            "store_name": [f"Store {i}" for i in range(10)],
            "country_code": ["VN"] * 10,
            "latitude": ["10.7"] * 10,
            "longitude": ["106.6"] * 10,
            "opened_at": ["2019-05-01"] * 10,
        }
    )
    n_events = 3 * n
    events = pd.DataFrame(
        {
            "event_id": [f"E{i}" for i in range(n_events)],
            "anonymous_id": [f"A{i % 300}" for i in range(n_events)],
            "user_id": _pick(rng, crm_ids, n_events),
            "event_type": _pick(rng, codes("web_events", "event_type"), n_events),
            "occurred_at": _iso(rng, n_events),
            "received_at": _iso(rng, n_events),
            "platform": _pick(rng, codes("web_events", "platform"), n_events),
            "device_type": _pick(rng, codes("web_events", "device_type"), n_events),
        }
    )
    n_small = max(n // 2, 20)
    surveys = pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(n_small)],
            "crm_id": _pick(rng, crm_ids, n_small),
            "submitted_at": _iso(rng, n_small),
            "survey_type": _pick(rng, codes("survey_responses", "survey_type"), n_small),
            "question_key": _pick(rng, ["nps_score", "interest"], n_small),
            "answer_score": rng.integers(0, 11, n_small).astype(str),
        }
    )
    tickets = pd.DataFrame(
        {
            "ticket_id": [f"T{i}" for i in range(n_small)],
            "crm_id": _pick(rng, crm_ids, n_small),
            "created_at": _iso(rng, n_small),
            "category": _pick(rng, codes("support_tickets", "category"), n_small),
            "status": _pick(rng, ["open", "closed"], n_small),
            "satisfaction_score": rng.integers(1, 6, n_small).astype(str),
        }
    )
    touches = pd.DataFrame(
        {
            "touch_id": [f"M{i}" for i in range(n_small)],
            "crm_id": _pick(rng, crm_ids, n_small),
            "campaign_id": "K1",
            "channel": _pick(rng, codes("marketing_touches", "channel"), n_small),
            "sent_at": _iso(rng, n_small),
            "opened_at": _iso(rng, n_small),
        }
    )
    leads = pd.DataFrame(
        {
            "lead_id": [f"D{i}" for i in range(n_small)],
            "email": [f"lead{i}@example.com" for i in range(n_small)],
            "employee_count": rng.integers(1, 500, n_small).astype(str),
            "source": _pick(rng, codes("leads", "source"), n_small),
            "status": _pick(rng, codes("leads", "status"), n_small),
            "created_at": _iso(rng, n_small),
        }
    )
    privacy = pd.DataFrame(
        {
            "request_id": [f"Q{i}" for i in range(n_small)],
            "crm_id": _pick(rng, crm_ids, n_small),
            "request_type": _pick(rng, codes("privacy_requests", "request_type"), n_small),
            "requested_at": _iso(rng, n_small),
        }
    )
    days = pd.date_range("2023-01-01", "2024-12-31", freq="D").strftime("%Y-%m-%d")
    fx = pd.DataFrame(
        {
            "rate_date": np.repeat(days, 2),
            "currency": np.tile(["VND", "USD"], len(days)),
            "rate_to_reporting": np.tile(["0.000040", "1"], len(days)),
        }
    )
    sources = {
        "crm_customers": crm,
        "orders": orders,
        "order_items": items,
        "products": products,
        "stores": stores,
        "web_events": events,
        "survey_responses": surveys,
        "support_tickets": tickets,
        "marketing_touches": touches,
        "leads": leads,
        "privacy_requests": privacy,
        "fx_rates": fx,
    }
    return {name: _dirty(frame, rng, dirt) for name, frame in sources.items()}


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return path


def write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.register("frame", frame)
    con.execute(f"copy frame to '{path}' (format parquet)")
    con.close()
    return path


def validate(raw_dir: Path, tmp_path: Path, **kwargs) -> quality.ValidationReport:
    kwargs.setdefault("reference_time", REFERENCE)
    return quality.validate_landing_zone(raw_dir, tmp_path / "docs", **kwargs)


def failures_of(report: quality.ValidationReport, source: str) -> str:
    return "\n".join(report.source(source).failures)


@pytest.fixture(scope="module")
def sources() -> dict[str, pd.DataFrame]:
    return make_sources()


@pytest.fixture
def orders(sources: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return sources["orders"].copy()


# --------------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------------


def test_dirty_but_normal_landing_zone_passes_and_writes_data_docs(sources, tmp_path):
    raw = tmp_path / "raw"
    sources = dict(sources, orders=sources["orders"].copy())
    sources["orders"].loc[5, "ordered_at"] = "2099-12-31T23:59:59Z"  # a stray future date is dirt
    for name, frame in sources.items():
        if name == "web_events":
            write_parquet(frame, raw / f"{name}.parquet")
        else:
            write_csv(frame, raw / f"{name}.csv")
    write_csv(sources["orders"].head(3).assign(order_total="broken"), raw / "_truth" / "orders.csv")
    (raw / "README.txt").write_text("not a source")

    lines: list[str] = []
    report = validate(raw, tmp_path, progress=lines.append)

    assert report.success, "\n".join(report.summary_lines())
    assert [r.source for r in report.sources] == list(contract.source_names())
    assert all(r.status == "passed" for r in report.sources)
    assert report.source("orders").rows == len(sources["orders"])
    assert report.source("web_events").file.endswith("web_events.parquet")
    assert report.docs_index == (tmp_path / "docs" / "index.html").resolve()
    index = report.docs_index.read_text()
    assert "orders" in index and "orders-batch-00001" in index
    assert any(line.startswith("orders") and "batch" in line and "pass" in line for line in lines)
    assert report.summary_lines()[0].startswith("landing zone: PASSED")


def test_half_unparsable_order_total_fails(orders, tmp_path):
    orders.loc[orders.index % 2 == 0, "order_total"] = "twelve dollars"
    write_csv(orders, tmp_path / "raw" / "orders.csv")

    report = validate(tmp_path / "raw", tmp_path)

    assert not report.success
    assert report.source("orders").status == "failed"
    text = failures_of(report, "orders")
    assert "order_total parses as a number FAILED in batch 1" in text
    assert "'twelve dollars'" in text


def test_missing_order_total_column_fails_naming_it(orders, tmp_path):
    write_csv(orders.drop(columns=["order_total"]), tmp_path / "raw" / "orders.csv")

    report = validate(tmp_path / "raw", tmp_path)

    assert not report.success
    assert "required column 'order_total' exists FAILED" in failures_of(report, "orders")
    assert "column is missing" in failures_of(report, "orders")


def test_orders_without_any_identifier_column_fail(orders, tmp_path):
    identifiers = ["crm_id", "email", "phone", "loyalty_card_id"]
    write_csv(orders.drop(columns=["crm_id", "email"]), tmp_path / "raw" / "orders.csv")

    report = validate(tmp_path / "raw", tmp_path)

    assert not report.success
    assert f"none of the identifier columns {', '.join(identifiers)} exists" in failures_of(
        report, "orders"
    )


def test_file_of_the_wrong_schema_fails(sources, tmp_path):
    write_csv(sources["products"], tmp_path / "raw" / "orders.csv")

    report = validate(tmp_path / "raw", tmp_path)

    assert not report.success
    text = failures_of(report, "orders")
    for column in ("order_id", "ordered_at", "order_total"):
        assert f"required column '{column}' exists FAILED" in text


def test_missing_optional_sources_are_skipped_and_missing_orders_fails(orders, sources, tmp_path):
    write_csv(orders, tmp_path / "raw" / "orders.csv")
    report = validate(tmp_path / "raw", tmp_path)
    assert report.success, "\n".join(report.summary_lines())
    assert report.source("web_events").status == "missing, skipped"
    assert report.source("web_events").batches == 0
    assert any(
        "web_events" in line and "missing, skipped" in line for line in report.summary_lines()
    )

    write_csv(sources["stores"], tmp_path / "no_orders" / "stores.csv")
    report = validate(tmp_path / "no_orders", tmp_path)
    assert not report.success
    assert report.source("orders").status == "failed"
    assert report.source("orders").failures == ["required source is missing"]
    assert report.source("stores").status == "passed"


def test_parquet_folder_source_is_read(orders, tmp_path):
    half = len(orders) // 2
    write_parquet(orders.iloc[:half], tmp_path / "raw" / "orders" / "day=1.parquet")
    write_parquet(orders.iloc[half:], tmp_path / "raw" / "orders" / "day=2.parquet")

    report = validate(tmp_path / "raw", tmp_path)

    assert report.success, "\n".join(report.summary_lines())
    assert report.source("orders").rows == len(orders)
    assert report.source("orders").file == str(tmp_path / "raw" / "orders")


def test_only_files_not_taken_by_earlier_runs_are_validated(sources, tmp_path):
    """A refresh validates the new deliveries: taken files (the delivery ledger) are skipped,
    even a bad one, and a source with no new file is not read at all."""
    raw = tmp_path / "raw"
    orders = sources["orders"].copy()
    half = len(orders) // 2
    old = orders.iloc[:half].assign(order_total="twelve dollars")  # bad, but taken before
    write_csv(old, raw / "orders" / "2024-12-30.csv")
    write_csv(orders.iloc[half:], raw / "orders" / "2024-12-31.csv")
    for name, frame in sources.items():
        if name != "orders":
            write_csv(frame, raw / f"{name}.csv")
    taken = {name: [f"{name}.csv"] for name in sources if name != "orders"}

    everything = validate(raw, tmp_path / "all")
    assert not everything.success and "order_total" in failures_of(everything, "orders")

    report = validate(raw, tmp_path / "new", taken={**taken, "orders": ["orders/2024-12-30.csv"]})
    assert report.success, "\n".join(report.summary_lines())
    assert report.source("orders").status == "passed"
    assert report.source("orders").rows == len(orders) - half
    others = [r for r in report.sources if r.source != "orders"]
    assert {r.status for r in others} == {quality.NO_NEW_FILES} and not any(r.rows for r in others)
    assert any(quality.NO_NEW_FILES in line for line in report.summary_lines())


def test_the_refresh_reads_taken_files_from_the_published_ledger(tmp_path):
    database = tmp_path / "warehouse.duckdb"
    assert refresh_steps.taken_files(database) == {}
    with duckdb.connect(str(database)) as con:
        con.execute("create schema marts")
    assert refresh_steps.taken_files(database) == {}
    with duckdb.connect(str(database)) as con:
        con.execute(
            "create table marts.delivery_ledger as select * from (values "
            "('orders', 'orders/2026-09-02.csv'), ('orders', 'orders/2026-09-01.csv'), "
            "('stores', 'stores.csv')) as t(source, file_path)"
        )
    assert refresh_steps.taken_files(database) == {
        "orders": ["orders/2026-09-01.csv", "orders/2026-09-02.csv"],
        "stores": ["stores.csv"],
    }


def test_file_is_validated_in_batches_and_a_bad_second_batch_fails(orders, tmp_path):
    assert len(orders) == 1000
    write_csv(orders, tmp_path / "good" / "orders.csv")
    report = validate(tmp_path / "good", tmp_path, batch_rows=400)
    assert report.success, "\n".join(report.summary_lines())
    assert (report.source("orders").batches, report.source("orders").rows) == (3, 1000)

    future = (REFERENCE + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    orders.loc[400:799, "ordered_at"] = future  # the whole second batch lies in the future
    write_csv(orders, tmp_path / "bad" / "orders.csv")
    report = validate(tmp_path / "bad", tmp_path, batch_rows=400)

    assert not report.success
    text = failures_of(report, "orders")
    assert "ordered_at is between 1900-01-01 and" in text
    assert "FAILED in batch 2:" in text
    assert "batch 1" not in text and "batch 3" not in text


def test_stale_source_fails_freshness_even_with_a_stray_future_date(orders, tmp_path):
    orders.loc[5, "ordered_at"] = "2099-12-31T23:59:59Z"
    write_csv(orders, tmp_path / "raw" / "orders.csv")

    report = validate(tmp_path / "raw", tmp_path, reference_time=REFERENCE, freshness_days=1)

    assert not report.success
    assert "newest ordered_at (not in the future) is on or after 2024-12-31" in failures_of(
        report, "orders"
    )
    assert "FAILED in file" in failures_of(report, "orders")


def test_cli_validate_exit_codes(orders, tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="custseg")
    quality.register(parser.add_subparsers())
    write_csv(orders.head(300), tmp_path / "raw" / "orders.csv")
    common = ["--reference-time", "2025-01-01T00:00:00Z", "--docs-dir", str(tmp_path / "docs")]

    args = parser.parse_args(["validate", "--raw-dir", str(tmp_path / "raw"), *common])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "orders" in out and "batch    1" in out and "landing zone: PASSED" in out

    args = parser.parse_args(
        ["validate", "--raw-dir", str(tmp_path / "raw"), "--mostly", "1", *common]
    )
    assert args.func(args) == 1
    assert "landing zone: FAILED" in capsys.readouterr().out


def test_stream_batches_yields_exact_sizes_with_file_row_numbers(tmp_path):
    path = write_csv(pd.DataFrame({"x": [str(i) for i in range(5000)]}), tmp_path / "x.csv")
    con = duckdb.connect()
    delivery = landing.find(tmp_path, "x")
    assert delivery is not None and delivery.files == (path,)
    batches = list(quality.stream_batches(con, delivery.reader(), 1500))
    assert [len(b) for b in batches] == [1500, 1500, 1500, 500]
    assert batches[1].index[0] == 1500 and batches[1]["x"].iloc[0] == "1500"


def test_suites_cover_every_contract_source():
    assert list(quality.suites()) == list(contract.source_names())
    assert set(quality.suites()) == set(SOURCES)
    for spec in quality.suites().values():
        assert spec["required"]


def test_suites_take_their_ranges_and_freshness_from_the_contract():
    suites = quality.suites()
    numbers = {name: spec["numbers"] for name, spec in suites.items()}
    assert numbers["crm_customers"]["children_count"] == (0, 30)  # meta.gx_range over check count
    assert numbers["crm_customers"]["employee_count"] == (0, None)  # check count
    assert numbers["crm_customers"]["latitude"] == (-90, 90)
    assert numbers["order_items"]["line_number"] == (1, None)  # meta.gx_range, no check
    assert numbers["order_items"]["quantity"] == (1, None)
    assert numbers["survey_responses"]["answer_score"] == (0, 10)
    assert numbers["support_tickets"]["satisfaction_score"] == (1, 5)  # check score min..max
    assert numbers["fx_rates"]["rate_to_reporting"] == (0, None)
    assert suites["crm_customers"]["freshness"] == ("updated_at", "signup_at")
    assert suites["order_items"]["freshness"] == ()
    assert suites["orders"]["one_of"] == (("crm_id", "email", "phone", "loyalty_card_id"),)
    assert suites["crm_customers"]["upper"] == {"income_currency", "country_code"}
    assert suites["crm_customers"]["booleans"] == ("marketing_opt_in",)
    assert set(suites["orders"]["timestamps"]) == {"ordered_at", "updated_at"}
    assert suites["orders"]["codes"]["status"] == tuple(contract.project_vars()["order_statuses"])


def test_code_lists_follow_vars_overrides(orders, tmp_path):
    write_csv(orders, tmp_path / "raw" / "orders.csv")
    report = validate(tmp_path / "raw", tmp_path, dbt_vars={"order_statuses": ["completed"]})
    assert not report.success
    assert "status is one of completed FAILED" in failures_of(report, "orders")


@pytest.mark.parametrize(
    ("seed", "source", "column"),
    [
        ("currency_codes.csv", "fx_rates", "currency"),
        ("country_codes.csv", "stores", "country_code"),
    ],
)
def test_iso_code_lists_are_read_from_the_seeds(seed, source, column):
    path = REPO / "seeds" / seed
    seeded = duckdb.sql(f"select * from read_csv('{path}', all_varchar = true)").fetchall()
    assert set(codes(source, column)) == {row[0] for row in seeded}
    assert len(codes(source, column)) > 100


def test_small_batches_may_have_a_few_bad_values_but_mostly_one_stays_strict():
    assert quality.batch_mostly(0.95, 1_000_000) == 0.95
    assert quality.batch_mostly(0.95, 50) == pytest.approx(0.90)
    assert quality.batch_mostly(0.95, 4) == 0.0
    assert quality.batch_mostly(1.0, 50) == 1.0


def test_mostly_parameters_count_the_values_each_check_judges():
    frame = pd.DataFrame({"a": ["x"] * 1000, "b__num": [1.0] * 50 + [None] * 950})
    expectations = quality.build_expectations(
        {"required": ("a",), "numbers": {"b": (0, None)}}, ["a", "b"], REFERENCE
    )
    parameters = quality.mostly_parameters(expectations, frame, 0.95)
    assert parameters["mostly__a"] == 0.95  # not-null check: judged over all 1000 rows
    assert parameters["mostly__b__num"] == pytest.approx(0.90)  # 50 values: 1 - 5/50
    assert parameters["mostly__b__unparsed"] == 0.95
