"""The delivery ledger: every landing file a run took, with its size, SHA-256, rows and run; a
later run appends only the files no run took before; a processed file that changed stops the
next run with a message naming it, and `--full-refresh` accepts it by rebuilding the ledger."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import run_dbt

from custseg.generate import generate

# the ledger and the base models it waits for, with the seeds they read; no tests
LEDGER = [
    "build",
    "--select",
    "+delivery_ledger",
    "--exclude-resource-type",
    "test",
    "--exclude-resource-type",
    "unit_test",
]


def ledger_rows(database: Path) -> dict[str, tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select file_path, source, file_size, content_sha256, rows_read, processed_by_run "
            "from marts.delivery_ledger"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def csv_rows(path: Path) -> int:
    with duckdb.connect() as con:
        query = f"select count(*) from read_csv('{path}', all_varchar = true, header = true)"
        return con.execute(query).fetchone()[0]


@pytest.fixture(scope="module")
def zone(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("ledger")
    raw = root / "raw"
    generate(raw, customers=200, seed=3, deliveries=3)
    held_back = root / "later"
    held_back.mkdir()
    last = sorted((raw / "orders").glob("*.csv"))[-1]
    shutil.move(last, held_back / last.name)
    first = run_dbt(LEDGER, raw, root / "warehouse.duckdb", root)
    assert first.returncode == 0, first.output
    return {"root": root, "raw": raw, "late": held_back / last.name, "first": first}


def test_the_ledger_lists_every_file_with_its_hash_and_rows(zone: dict) -> None:
    raw: Path = zone["raw"]
    ledger = ledger_rows(zone["root"] / "warehouse.duckdb")
    files = sorted(p for p in raw.glob("*/*.csv") if not p.parent.name.startswith("_"))
    assert sorted(ledger) == sorted(p.relative_to(raw).as_posix() for p in files)
    for path in files:
        source, size, sha, rows, _ = ledger[path.relative_to(raw).as_posix()]
        assert source == path.parent.name
        assert size == path.stat().st_size
        assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
        assert rows == csv_rows(path), path
    assert len({row[-1] for row in ledger.values()}) == 1  # one run took them all


def test_a_new_file_is_appended_and_a_changed_file_stops_the_run(zone: dict) -> None:
    root, raw, late = zone["root"], zone["raw"], zone["late"]
    database = root / "warehouse.duckdb"
    before = ledger_rows(database)
    shutil.move(late, raw / "orders" / late.name)
    second = run_dbt(LEDGER, raw, database, root)
    assert second.returncode == 0, second.output
    after = ledger_rows(database)
    added = set(after) - set(before)
    assert added == {f"orders/{late.name}"}
    assert {path: after[path] for path in before} == before  # earlier rows untouched
    assert after[f"orders/{late.name}"][-1] != next(iter(before.values()))[-1]

    changed = sorted((raw / "orders").glob("*.csv"))[0]
    text = changed.read_text()
    changed.write_text(text + text.splitlines()[-1] + "\n")  # a re-sent line appended
    stopped = run_dbt(LEDGER, raw, database, root)
    assert stopped.returncode != 0
    name = changed.relative_to(raw).as_posix()
    assert (
        f"{name} changed after it was processed (run {before[name][-1]} took it" in stopped.output
    )
    assert "--full-refresh" in stopped.output
    assert ledger_rows(database) == after  # nothing was built

    rebuilt = run_dbt([*LEDGER, "--full-refresh"], raw, database, root)
    assert rebuilt.returncode == 0, rebuilt.output
    final = ledger_rows(database)
    assert sorted(final) == sorted(after)
    assert final[name][2] == hashlib.sha256(changed.read_bytes()).hexdigest()
    assert final[name][3] == after[name][3] + 1


def test_the_base_models_guard_the_rows_they_hold(zone: dict) -> None:
    """A run that built a base model but not the ledger still catches a changed file (the base
    model keeps each file's hash); another mask_pii setting than the rows held stops a run."""
    root, raw = zone["root"], zone["raw"]
    database = root / "warehouse.duckdb"
    only_orders = ["run", "--select", "base_checked__orders"]
    extra = raw / "orders" / "9999-12-31_extra.csv"
    shutil.copy(sorted((raw / "orders").glob("*.csv"))[1], extra)
    assert run_dbt(only_orders, raw, database, root).returncode == 0
    assert "orders/9999-12-31_extra.csv" not in ledger_rows(database)  # the ledger lags
    text = extra.read_text()
    extra.write_text(text + text.splitlines()[-1] + "\n")
    stopped = run_dbt(LEDGER, raw, database, root)
    assert stopped.returncode != 0
    assert (
        "orders/9999-12-31_extra.csv changed after it was processed "
        "(base_checked__orders holds its rows" in stopped.output
    )
    extra.write_text(text)  # put back as it was: the run goes on
    masked = run_dbt([*only_orders, "--vars", "{mask_pii: true}"], raw, database, root)
    assert masked.returncode != 0
    assert "taken with var mask_pii off and the var is now on" in masked.output
