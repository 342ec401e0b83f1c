"""scripts/compare_marts.py on two small DuckDB files made here (no dbt build)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR
from conftest import load_script as conftest_load_script

SCRIPT = PROJECT_DIR / "scripts" / "compare_marts.py"

# Statements run in both files: the relations that are the same on both sides.
COMMON = """
create schema marts;
create schema staging;
create table marts.customers as
    select * from (values ('c1', 'Ann', 10.5), ('c2', 'Bob', 3.25)) as t(customer_id, name, spend);
create view marts.big_spenders as select customer_id from marts.customers where spend > 5;
create table marts.empty_mart (customer_id varchar, segment_key varchar);
create table staging.stg_only as select 1 as id;
"""

# Only the first file (before) ...
BEFORE = """
create table marts.orders as
    select * from (values ('o1', 'c1', 100), ('o2', 'c2', 50)) as t(order_id, customer_id, amount);
create table marts.memberships as
    select * from (values ('c1', 'vip'), ('c1', 'vip'), ('c2', 'new'))
        as t(customer_id, segment_key);
create table marts.retired_mart as select 1 as id;
create table marts.typed as select cast(7 as integer) as n, 'x' as label;
create table marts.quarantine as
    select 'q1' as quarantine_id, timestamp '2024-01-01 10:00:00' as detected_at, 'a' as note;
create table marts.spells as
    select 'c1' as customer_id, date '2024-01-01' as valid_from, null::date as valid_to;
"""

# ... and the second (after): one changed row, one duplicate fewer, a table gone and a new one,
# a type change, other run times and notes, a spell starting another day.
AFTER = """
create table marts.orders as
    select * from (values ('o1', 'c1', 100), ('o2', 'c2', 55)) as t(order_id, customer_id, amount);
create table marts.memberships as
    select * from (values ('c2', 'new'), ('c1', 'vip')) as t(customer_id, segment_key);
create table marts.new_mart as select 1 as id;
create table marts.typed as select cast(7 as bigint) as n, 'x' as label;
create table marts.quarantine as
    select 'q1' as quarantine_id, timestamp '2024-06-30 23:00:00' as detected_at, 'b' as note;
create table marts.spells as
    select 'c1' as customer_id, date '2024-01-02' as valid_from, null::date as valid_to;
"""


def load_script():  # noqa: ANN201
    return conftest_load_script("compare_marts")


def make_database(path: Path, *scripts: str) -> Path:
    with duckdb.connect(str(path)) as con:
        for script in scripts:
            con.execute(script)
    return path


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("compare_marts")
    before = make_database(folder / "before.duckdb", COMMON, BEFORE)
    after = make_database(folder / "after.duckdb", COMMON, AFTER)
    return before, after


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, dict[str, str], str]:
    """Exit code, the verdict line of each relation by name, and the whole report."""
    code = load_script().main([str(arg) for arg in args])
    report = capsys.readouterr().out
    lines = {}
    for line in report.splitlines():
        name, _, rest = line.partition("  ")
        if rest.strip().startswith(("identical", "DIFFERENT")):
            lines[name.strip()] = rest.strip()
    return code, lines, report


def test_a_build_compared_with_itself_is_identical(
    databases: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before, _ = databases
    code, lines, report = run(capsys, before, before)
    assert code == 0, report
    assert lines["customers"] == "identical  2 rows"
    assert lines["big_spenders"] == "identical  1 rows"  # views are compared too
    assert lines["empty_mart"] == "identical  0 rows"
    assert "stg_only" not in lines  # only the marts schema
    assert report.splitlines()[-1] == "IDENTICAL: 9 relations in marts, 9 identical, 0 different"


def test_every_kind_of_difference_is_reported_and_fails(
    databases: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = databases
    code, lines, report = run(capsys, before, after, "--ignore-column", "note")
    assert code == 1, report
    assert lines["customers"] == "identical  2 rows"
    assert lines["big_spenders"] == "identical  1 rows"
    assert lines["orders"] == "DIFFERENT  only-before 1, only-after 1"
    assert "  only-before: order_id='o2', customer_id='c2', amount=50" in report
    assert "  only-after: order_id='o2', customer_id='c2', amount=55" in report
    # Multiset semantics: ('c1', 'vip') twice before, once after.
    assert lines["memberships"] == "DIFFERENT  only-before 1, only-after 0"
    assert "  only-before: customer_id='c1', segment_key='vip'" in report
    assert lines["retired_mart"] == "DIFFERENT  only in before"
    assert lines["new_mart"] == "DIFFERENT  only in after"
    # Same values, another type: a difference of the columns, not of the rows.
    assert lines["typed"] == "DIFFERENT  only-before 0, only-after 0; column n INTEGER -> BIGINT"
    # detected_at (a run time, ignored by default) and note (--ignore-column) differ: no verdict.
    assert lines["quarantine"] == "identical  1 rows"
    # A date derived from the data is compared.
    assert lines["spells"] == "DIFFERENT  only-before 1, only-after 1"
    assert report.splitlines()[-1] == "DIFFERENT: 10 relations in marts, 4 identical, 6 different"


def test_ignored_columns_can_be_compared_or_limited_to_one_table(
    databases: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = databases
    _, lines, _ = run(capsys, before, after)
    assert lines["quarantine"] == "DIFFERENT  only-before 1, only-after 1"  # note differs
    _, lines, _ = run(capsys, before, after, "--ignore-column", "quarantine.note")
    assert lines["quarantine"] == "identical  1 rows"
    _, lines, report = run(capsys, before, after, "--ignore-column", "note", "--compare-run-times")
    assert lines["quarantine"] == "DIFFERENT  only-before 1, only-after 1"
    assert "detected_at=datetime.datetime(2024, 6, 30, 23, 0)" in report
    _, lines, _ = run(capsys, before, after, "--ignore-column", "spells.valid_from")
    assert lines["spells"] == "identical  1 rows"


def test_a_column_on_one_side_only_is_a_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = make_database(tmp_path / "b.duckdb", "create schema marts", COMMON.split(";")[2])
    after = make_database(
        tmp_path / "a.duckdb",
        "create schema marts",
        COMMON.split(";")[2],
        "alter table marts.customers add column tier varchar",
    )
    code, lines, report = run(capsys, before, after)
    assert code == 1, report
    assert lines["customers"] == "DIFFERENT  only-before 0, only-after 0; column tier only after"
    code, lines, report = run(capsys, before, after, "--ignore-column", "tier")
    assert (code, lines["customers"]) == (0, "identical  2 rows"), report


def test_the_command_line_exit_codes(databases: tuple[Path, Path], tmp_path: Path) -> None:
    before, after = databases

    def exit_code(*args: str | Path) -> int:
        done = subprocess.run(
            [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True
        )
        return done.returncode

    assert exit_code(before, before) == 0
    assert exit_code(before, after) == 1
    assert exit_code(before, tmp_path / "missing.duckdb") == 2
    assert exit_code(before, after, "--schema", "no_such_schema") == 2
