"""Incremental deliveries: a day-by-day replay whose runs read only the new landing files gives
the same marts, row by row, as the same replay rebuilding everything each day (--full-refresh),
with a late version of an order, a record that merges two customers and a late erasure in the
last delivery; and each run parses only the rows of its own delivery."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from conftest import load_script

from custseg import contract, replay
from custseg.generate import generate

NO_TESTS = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
# the segment history marts incremental too (opt-in var), in both replays
HISTORY_ON = ["--vars", "{segment_history_incremental: true}"]


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def late_deliveries(raw: Path, day: str) -> dict[str, str]:
    """Add to the last day: a later version of a history order (other status and total), an
    order carrying the crm_id of one CRM customer and the e-mail of another (a merge), an
    erasure request for a third CRM customer and a later version of a fourth with another
    e-mail. What was chosen, for the assertions."""
    history = sorted(raw.glob("orders/*_history.csv"))[0]
    rows = rows_of(history)
    once = Counter(row["order_id"] for row in rows)
    # an order delivered once whose every value is clean (the generator makes some dirty)
    orders = [
        row
        for row in rows
        if once[row["order_id"]] == 1
        and row["crm_id"]
        and row["status"] == "completed"
        and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", row["ordered_at"])
        and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", row["updated_at"])
        and re.fullmatch(r"\d+\.\d{2}", row["order_total"])
        and row["currency"] in ("VND", "USD")
    ]
    late = dict(orders[0], updated_at=f"{day}T10:00:00Z", status="refunded", order_total="1.00")
    crm = {}
    for row in rows_of(sorted(raw.glob("crm_customers/*_history.csv"))[0]):
        if row["email"] and "@" in row["email"] and row["crm_id"] != late["crm_id"]:
            crm.setdefault(row["crm_id"], row)
    first, second, erased, moved = list(crm.values())[:4]
    merging = dict(
        late,
        order_id="MERGE-0001",
        crm_id=first["crm_id"],
        email=second["email"],
        phone="",
        loyalty_card_id="",
        ordered_at=f"{day}T09:00:00Z",
        updated_at=f"{day}T09:00:00Z",
        status="completed",
    )
    write_rows(
        raw / "orders" / f"{day}.csv",
        [*rows_of(raw / "orders" / f"{day}.csv"), late, merging]
        if (raw / "orders" / f"{day}.csv").exists()
        else [late, merging],
    )
    # a later version of a CRM record with another e-mail: an edge of the identity graph goes
    crm_file = raw / "crm_customers" / f"{day}.csv"
    moved_version = dict(
        moved, updated_at=f"{day} 07:00:00", email=f"moved.{moved['crm_id'].lower()}@gmail.com"
    )
    write_rows(
        crm_file, [*rows_of(crm_file), moved_version] if crm_file.exists() else [moved_version]
    )
    requests = rows_of(sorted(raw.glob("privacy_requests/*_history.csv"))[0])
    erasure = {name: "" for name in requests[0]}
    erasure.update(
        request_id="PR-LATE-1",
        crm_id=erased["crm_id"],
        request_type="erasure",
        requested_at=f"{day}T08:00:00Z",
    )
    write_rows(raw / "privacy_requests" / f"{day}.csv", [erasure])
    return {
        "order_id": late["order_id"],
        "merged_crm_id": first["crm_id"],
        "merged_email": second["email"],
        "merged_other_crm_id": second["crm_id"],
        "erased_crm_id": erased["crm_id"],
        "erased_email": erased["email"].strip().lower(),
        "moved_crm_id": moved["crm_id"],
        "moved_email": moved_version["email"],
    }


def late_fx_rate(raw: Path, day: str) -> dict[str, str]:
    """Move the VND rate of the date with the most VND orders from the fx history to the last
    day: until then those orders convert at the previous day's rate, from the last day on at
    their own date's rate (a rate delivered late). The date and its orders, for the
    assertions."""
    orders = [
        row
        for row in rows_of(sorted(raw.glob("orders/*_history.csv"))[0])
        if row["currency"] == "VND" and re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", row["ordered_at"])
    ]
    dates = Counter(row["ordered_at"][:10] for row in orders)
    (rate_date, _), *_ = dates.most_common(1)
    history = sorted(raw.glob("fx_rates/*_history.csv"))[0]
    rates = rows_of(history)
    late = [row for row in rates if row["currency"] == "VND" and row["rate_date"] == rate_date]
    assert late, rate_date
    write_rows(history, [row for row in rates if row not in late])
    day_file = raw / "fx_rates" / f"{day}.csv"
    write_rows(day_file, [*(rows_of(day_file) if day_file.exists() else []), *late])
    return {
        "fx_date": rate_date,
        "fx_order_ids": sorted(
            {row["order_id"] for row in orders if row["ordered_at"][:10] == rate_date}
        ),
    }


@pytest.fixture(scope="module")
def replays(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("incremental")
    raw = root / "delivered"
    generate(raw, customers=120, seed=11, deliveries=2)
    days = replay.delivery_days(raw)
    chosen = {**late_deliveries(raw, days[-1]), **late_fx_rate(raw, days[-1])}
    incremental = replay.replay(raw, root / "incremental", ["build", *NO_TESTS, *HISTORY_ON])
    rebuilt = replay.replay(
        raw, root / "rebuilt", ["build", "--full-refresh", *NO_TESTS, *HISTORY_ON]
    )
    return {
        "root": root,
        "raw": raw,
        "days": days,
        "chosen": chosen,
        "incremental": incremental,
        "rebuilt": rebuilt,
    }


def query(database: str | Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def rows_apart(database: str | Path, rebuilt: str | Path, table: str, run_times: str) -> list[int]:
    """The rows of `table` (schema.name) in each replay that the other lacks (EXCEPT ALL, each
    way), the run-time columns `run_times` (comma-separated) left out."""
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute(f"attach '{rebuilt}' as rebuilt (read_only)")
        mine = f"select * exclude ({run_times}) from {table}"
        theirs = f"select * exclude ({run_times}) from rebuilt.{table}"
        return [
            con.execute(f"select count(*) from ({left} except all {right})").fetchone()[0]
            for left, right in ((mine, theirs), (theirs, mine))
        ]


def test_day_by_day_equals_rebuilding_every_day(replays: dict, capsys) -> None:
    compare = load_script("compare_marts")
    code = compare.compare(
        Path(replays["rebuilt"]["database"]),
        Path(replays["incremental"]["database"]),
        "marts",
        set(compare.RUN_TIME_COLUMNS),
        samples=3,
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "IDENTICAL" in printed
    assert len(replays["incremental"]["runs"]) == len(replays["days"]) >= 3


def test_each_run_parses_only_its_own_delivery(replays: dict) -> None:
    database = replays["incremental"]["database"]
    taken = query(
        database,
        "select processed_by_run, count(*), sum(rows_read) from marts.delivery_ledger "
        "group by processed_by_run",
    )
    assert len(taken) == len(replays["days"])  # one run per day took files
    landing = Path(replays["incremental"]["landing"])
    per_file = dict(
        query(
            database, "select dq_file_path, count(*) from staging.base_checked__orders group by 1"
        )
    )
    expected = {
        path.relative_to(landing).as_posix(): len(rows_of(path))
        for path in landing.glob("orders/*.csv")
    }
    assert per_file == expected  # every row once, none twice
    log = (Path(replays["root"]) / "incremental" / "logs" / "dbt.log").read_text()
    last_day = [line for line in log.splitlines() if "new files to read" in line][-1]
    files_today = replays["incremental"]["runs"][-1]["files"]
    assert f"{files_today} new files to read" in last_day


def test_late_version_merge_and_erasure_reach_the_marts(replays: dict) -> None:
    database, chosen = replays["incremental"]["database"], replays["chosen"]
    status = query(
        database,
        f"select status, order_total from staging.stg_commerce__orders "
        f"where order_id = '{chosen['order_id']}'",
    )
    assert [(s, float(t)) for s, t in status] == [("refunded", 1.0)]
    merged = query(
        database,
        "select count(distinct customer_id) from marts.customer_identifiers "
        f"where (identifier_type = 'crm_id' and identifier_value in "
        f"('{chosen['merged_crm_id']}', '{chosen['merged_other_crm_id']}'))",
    )
    assert merged == [(1,)]
    merges = query(
        database,
        "select count(*) from marts.identity_changes where change_type = 'merge' "
        "and changed_at = (select max(changed_at) from marts.identity_changes)",
    )
    assert merges[0][0] >= 1
    moved = query(
        database,
        "select count(distinct customer_id), count(distinct identifier_type) "
        "from marts.customer_identifiers "
        f"where (identifier_type = 'crm_id' and identifier_value = '{chosen['moved_crm_id']}') "
        f"or (identifier_type = 'email' and identifier_value = '{chosen['moved_email']}')",
    )
    assert moved == [(1, 2)]  # the new e-mail joined the customer of the crm_id
    erased = chosen["erased_crm_id"]
    for table, column in (
        ("customer_identifiers", "identifier_value"),
        ("customers", "email"),
    ):
        assert query(
            database,
            f"select count(*) from marts.{table} "
            f"where {column} in ('{erased}', '{chosen['erased_email']}')",
        ) == [(0,)]
    before = query(
        Path(replays["root"]) / "incremental" / "warehouse.duckdb",
        "select count(*) from staging.base_raw__crm_customers "
        f"where crm_id = '{erased}' and dq_status = 'clean'",
    )
    assert before == [(1,)]  # the person's data was delivered before the request


def test_base_models_rank_again_only_the_keys_of_new_files(replays: dict) -> None:
    """On DuckDB base_raw is incremental: the last run ranked the keys of its own files only,
    and what the table holds equals the rebuilt replay's table, row for row both ways."""
    database, rebuilt = replays["incremental"]["database"], replays["rebuilt"]["database"]
    last_file = f"orders/{replays['days'][-1]}.csv"
    (last_run,) = query(
        database,
        f"select processed_by_run from marts.delivery_ledger where file_path = '{last_file}'",
    )[0]
    ranked = {
        key
        for (key,) in query(
            database,
            "select order_id from staging.base_raw__orders "
            f"where dq_ranked_by_run = '{last_run}' and order_id is not null",
        )
    }
    delivered = {
        key
        for (key,) in query(
            database,
            "select order_id from staging.base_checked__orders "
            f"where dq_file_path = '{last_file}' and order_id is not null",
        )
    }
    (held,) = query(database, "select count(*) from staging.base_raw__orders")[0]
    assert ranked == delivered and 0 < len(ranked) < held
    for source in contract.source_names():
        table, run_times = f"staging.base_raw__{source}", "dq_ranked_by_run, dq_ranked_at"
        assert rows_apart(database, rebuilt, table, run_times) == [0, 0], source


def test_segment_history_derives_only_the_new_runs(replays: dict) -> None:
    """On DuckDB the marts derived from the run logs keep the runs they hold and derive the
    new one, here after a late erasure, whose rows the purge deleted. The transition counts are
    derived again: the second run found no pair of runs held, the last one counts for every
    run a person the erasure removed. (The equality test above shows both give the rebuilt
    marts; test_segments.py has a later run that keeps the transitions held.)"""
    log = (Path(replays["root"]) / "incremental" / "logs" / "dbt.log").read_text()
    said: dict[str, list[str]] = {}
    for line in log.splitlines():
        found = re.search(
            r"(int_segment_spells|segment_events|segment_transitions): "
            r"(derives the runs after|derived again from every run)",
            line,
        )
        if found:
            said.setdefault(found.group(1), []).append(found.group(2))
    kept = ["derives the runs after"] * (len(replays["days"]) - 1)  # every run but the first
    assert said["int_segment_spells"] == kept
    assert said["segment_events"] == kept
    assert said["segment_transitions"] == ["derived again from every run"] * len(kept)


def test_identity_labels_again_only_the_components_that_changed(replays: dict) -> None:
    """The identity graph's components are updated from the edges that changed: the last run
    was given the edges of the records int_identifiers_guarded derived again only, and
    labelled again the nodes of the merge, the moved e-mail and the other new records, a small
    part of the graph. (The equality test shows the result is the rebuilt one.)"""
    log = (Path(replays["root"]) / "incremental" / "logs" / "dbt.log").read_text()
    updates = re.findall(
        r"identity components int_identity_nodes_labelled: (\d+) records given, "
        r"(\d+) nodes of changed edges, (\d+) nodes labelled again",
        log,
    )
    assert len(updates) == len(replays["days"]) - 1  # every run after the first
    given, changed, labelled = map(int, updates[-1])
    (nodes, records) = query(
        replays["incremental"]["database"],
        "select count(*), count(case when node_id like 'r:%' then 1 end) "
        "from intermediate.int_identity_nodes_labelled",
    )[0]
    assert 0 < changed <= labelled < nodes / 2
    # only the edges of the records derived again were given and compared
    assert 0 < given < records / 2


def test_identity_derives_only_the_changed_records(replays: dict) -> None:
    """The identity graph's edges (int_identifiers_unioned, int_identifiers_guarded) are
    derived again only for the records the last run changed, with the holders of the values
    whose crm_id count they may have changed: the merging order is among them, most records
    are not; and both tables equal the rebuilt replay's, row for row both ways. So do the
    clusters, the keyed and resolved records and customer_identifiers, which also take in the
    records the key registry moved (the equality test compares the mart)."""
    database, rebuilt = replays["incremental"]["database"], replays["rebuilt"]["database"]
    for model in (
        "intermediate.int_identifiers_unioned",
        "intermediate.int_identifiers_guarded",
        "intermediate.int_records_clustered",
        "intermediate.int_records_keyed",
        "intermediate.int_records_resolved",
        "marts.customer_identifiers",
    ):
        derived = set(
            query(
                database,
                f"select distinct source, record_key from {model} "
                f"where computed_at = (select max(computed_at) from {model})",
            )
        )
        (records,) = query(
            database,
            f"select count(distinct (source, record_key)) from {model}",
        )[0]
        assert ("orders", "MERGE-0001") in derived, model
        assert len(derived) < records / 2, model
    for model in (
        "int_identifiers_unioned",
        "int_identifiers_guarded",
        "int_identity_nodes_labelled",
        "int_records_clustered",
        "int_records_keyed",
        "int_records_resolved",
    ):
        # run start times: when the row was derived, when the registry created the key
        run_times = "computed_at, key_created_at" if model == "int_records_keyed" else "computed_at"
        assert rows_apart(database, rebuilt, f"intermediate.{model}", run_times) == [0, 0], model


def test_orders_are_converted_again_only_when_they_changed(replays: dict) -> None:
    """int_orders_converted converts again only the orders the last run changed: the late
    version, the merging order and the orders of the date whose VND rate arrived late are
    among them (at that date's rate now), most orders are not; and the table equals the
    rebuilt replay's, row for row both ways."""
    database, rebuilt = replays["incremental"]["database"], replays["rebuilt"]["database"]
    chosen = replays["chosen"]
    model = "intermediate.int_orders_converted"
    derived = {
        order_id
        for (order_id,) in query(
            database,
            f"select order_id from {model} "
            f"where computed_at = (select max(computed_at) from {model})",
        )
    }
    (orders,) = query(database, f"select count(*) from {model}")[0]
    converted_fx = {
        order_id
        for (order_id,) in query(
            database,
            f"select order_id from {model} where currency = 'VND' "
            f"and order_date = date '{chosen['fx_date']}'",
        )
    }
    assert converted_fx and converted_fx <= set(chosen["fx_order_ids"])
    assert {chosen["order_id"], "MERGE-0001"} | converted_fx <= derived
    assert len(derived) < orders / 2
    # the rate as the model keeps it (decimal(18, 8) through its text), of the late date and of
    # the day before, which those orders held until the last run
    late_rate, previous_rate = (
        rate
        for (rate,) in query(
            database,
            "select cast(cast(rate_to_reporting as varchar) as decimal(18, 8)) "
            "from staging.stg_finance__fx_rates where currency = 'VND' and rate_date in "
            f"(date '{chosen['fx_date']}', date '{chosen['fx_date']}' - 1) order by rate_date desc",
        )
    )
    assert late_rate != previous_rate
    rates = query(
        database,
        f"select distinct fx_rate_to_reporting from {model} "
        f"where currency = 'VND' and order_date = date '{chosen['fx_date']}'",
    )
    assert rates == [(late_rate,)]
    assert rows_apart(database, rebuilt, model, "computed_at") == [0, 0]


def test_golden_record_derives_only_the_changed_customers(replays: dict) -> None:
    """Survivorship and the golden record are derived again only for the customers the last
    run changed (int_customer_changes): the merged customer and the customer whose CRM record
    moved e-mail are among them, most customers are not. (The equality test shows the tables
    equal the rebuilt ones.)"""
    database, chosen = replays["incremental"]["database"], replays["chosen"]
    last_changes = {
        customer
        for (customer,) in query(
            database,
            "select customer_id from intermediate.int_customer_changes "
            "where changed_at = (select max(changed_at) from intermediate.int_customer_changes)",
        )
    }
    derived: dict[str, set[str]] = {}
    for model in ("int_customer_attributes_survived", "int_customers_golden"):
        derived[model] = {
            customer
            for (customer,) in query(
                database,
                f"select distinct customer_id from intermediate.{model} "
                f"where computed_at = (select max(computed_at) from intermediate.{model})",
            )
        }
    (customers,) = query(database, "select count(*) from intermediate.int_customers_golden")[0]
    touched = {
        customer
        for (customer,) in query(
            database,
            "select customer_id from intermediate.int_records_resolved "
            "where source = 'crm_customers' and record_key in "
            f"('{chosen['merged_crm_id']}', '{chosen['moved_crm_id']}')",
        )
    }
    assert len(touched) == 2
    assert touched <= derived["int_customers_golden"] <= last_changes
    assert touched <= derived["int_customer_attributes_survived"] <= last_changes
    assert len(derived["int_customers_golden"]) < customers / 2
    # the log keeps only what a reader has not taken, the last run (identity_changes_prune)
    (runs_held,) = query(
        database, "select count(distinct changed_at) from intermediate.int_customer_changes"
    )[0]
    assert runs_held == 1


@pytest.mark.parametrize(
    ("model", "key_test"),
    [
        (
            "int_customer_attributes_survived",
            "unique_latest_write_int_customer_attributes_survived",
        ),
        ("int_identifiers_guarded", "segment_unique_combination_int_identifiers_guarded"),
    ],
)
def test_key_tests_of_incremental_models_check_the_latest_write(
    replays: dict, model: str, key_test: str
) -> None:
    """The key tests of the incremental tables (unique_latest_write on a column,
    segment_unique_combination with written_at on a combination) check the keys of the latest
    write against every row: a repeated row of an earlier run passes the daily test and fails
    with var test_every_run; a repeated row of the latest run fails the daily test."""
    work = Path(replays["root"]) / f"latest_write_{model}"
    work.mkdir()
    database = work / "warehouse.duckdb"
    shutil.copy(replays["incremental"]["database"], database)
    table = f"intermediate.{model}"

    def repeat_a_row(latest: bool) -> None:
        with duckdb.connect(str(database)) as con:
            (newest,) = con.execute(f"select max(computed_at) from {table}").fetchone()
            where = "=" if latest else "<"
            con.execute(
                f"insert into {table} select * from {table} where computed_at {where} ? limit 1",
                [newest],
            )

    def key_test_fails(*extra: str) -> bool:
        command, env = replay.dbt_command(
            ["test", "-s", model, *extra],
            Path(replays["incremental"]["landing"]),
            database,
            work,
        )
        done = subprocess.run(
            command, env=env, cwd=replay.PROJECT_DIR, capture_output=True, text=True
        )
        failed = any("FAIL" in line and key_test in line for line in done.stdout.splitlines())
        assert failed == (done.returncode != 0), done.stdout[-3000:]
        return failed

    assert not key_test_fails()
    repeat_a_row(latest=False)
    assert not key_test_fails()
    assert key_test_fails("--vars", "{test_every_run: true}")
    repeat_a_row(latest=True)
    assert key_test_fails()
