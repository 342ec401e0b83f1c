"""Bring your own data: what a landing file may look like, and what happens when it does not.

A line that cannot be parsed costs that line (quarantined with its file, line number and rule),
never the build; a file that cannot be a delivery at all stops the run with one message naming
the file and what to change. dbt (on-run-start) and the Great Expectations checkpoint read the
landing zone through the same module, custseg.landing, and report the same problems.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import duckdb
import pytest
from conftest import run_dbt

from custseg import landing, quality

ORDERS_HEADER = "order_id,ordered_at,order_total,email"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def orders(*rows: str, header: str = ORDERS_HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


def problems(raw_dir: Path, **values: object) -> list[str]:
    """The problems dbt's run start reports for a landing zone: custseg.landing's plan run in an
    in-memory DuckDB the way macros/raw_landing_zone.sql runs it."""
    sources = [{"name": name, "required": name == "orders"} for name in ("orders", "leads")]
    plan = landing.plan(raw_dir, sources, values)
    if plan["problems"]:
        return plan["problems"]
    with duckdb.connect() as con:
        for statement in plan["statements"]:
            con.execute(statement)
        return [row[0] for check in plan["checks"] for row in con.execute(check).fetchall()]


# --------------------------------------------------------------------------------------------------
# A file that cannot be a delivery: one message naming the file and the fix
# --------------------------------------------------------------------------------------------------

LATIN1_FILE = (
    ORDERS_HEADER + "\n" + "".join(f"O-{i},2025-01-0{i},1,é{i}@x.vn\n" for i in range(1, 8))
)

FILE_CASES = {
    "empty": (b"", ["orders.csv is empty (0 bytes)"]),
    "semicolons": (
        orders("O-1;2025-01-01;10;a@b.vn", header=ORDERS_HEADER.replace(",", ";")),
        ["orders.csv is separated by semicolons (';')", "csv_delimiter: ';'"],
    ),
    "tabs": (
        orders("O-1\t2025-01-01\t10\ta@b.vn", header=ORDERS_HEADER.replace(",", "\t")),
        ["orders.csv is separated by tabs ('\\t')", "csv_delimiter: '\\t'"],
    ),
    "utf16": (
        codecs.BOM_UTF16_LE + orders("O-1,2025-01-01,10,a@b.vn").encode("utf-16-le"),
        ["orders.csv is not utf-8: it looks like UTF-16", "csv_encoding: utf-16"],
    ),
    "latin1 file": (
        LATIN1_FILE.encode("latin-1"),
        ["orders.csv: 7 of 7 lines could not be read (invalid_encoding)", "csv_encoding"],
    ),
    "email twice": (
        orders("O-1,2025-01-01,10,a@b.vn,b@c.vn", header=ORDERS_HEADER + ", EMAIL"),
        ["orders.csv: the header names a column more than once ('email' is columns 4, 5"],
    ),
    "header only": (orders(), ["required source 'orders' has no rows", "holds a header only"]),
}


@pytest.mark.parametrize("case", FILE_CASES)
def test_a_file_that_cannot_be_a_delivery_is_named_with_the_fix(case: str, tmp_path: Path) -> None:
    content, expected = FILE_CASES[case]
    write(tmp_path / "orders.csv", content)
    found = problems(tmp_path)
    assert len(found) == 1, found
    for text in expected:
        assert text in found[0], found


def test_a_source_delivered_twice_is_an_error_naming_both(tmp_path: Path) -> None:
    write(tmp_path / "orders.csv", orders("O-1,2025-01-01,10,a@b.vn"))
    write(tmp_path / "orders" / "day-1.csv", orders("O-2,2025-01-02,10,a@b.vn"))
    (found,) = problems(tmp_path)
    assert "source 'orders' is delivered twice" in found
    assert "orders.csv and orders/" in found


def test_an_optional_header_only_source_is_no_error(tmp_path: Path) -> None:
    write(tmp_path / "orders.csv", orders("O-1,2025-01-01,10,a@b.vn"))
    write(tmp_path / "leads.csv", "lead_id,created_at\n")
    assert problems(tmp_path) == []


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"csv_delimiter": ";;"}, "csv_delimiter must be one character"),
        ({"csv_encoding": "ebcdic"}, "csv_encoding 'ebcdic' is not supported"),
        ({"decimal_separator": ",", "thousands_separator": ","}, "must differ"),
        ({"date_order": "ydm"}, "date_order must be iso, dmy or mdy"),
    ],
)
def test_a_bad_setting_is_refused(values: dict, message: str, tmp_path: Path) -> None:
    write(tmp_path / "orders.csv", orders("O-1,2025-01-01,10,a@b.vn"))
    (found,) = problems(tmp_path, **values)
    assert message in found


def test_dbt_and_the_checkpoint_stop_on_every_file_problem_at_once(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write(raw / "orders.csv", orders("O-1,2025-01-01,10,a@b.vn"))
    write(raw / "orders" / "day-1.csv", orders("O-2,2025-01-02,10,a@b.vn"))
    write(raw / "crm_customers.csv", b"")
    write(raw / "leads.csv", "lead_id;created_at\nL-1;2025-01-01\n")
    result = run_dbt(["build"], raw, tmp_path / "w.duckdb", tmp_path)
    assert result.returncode != 0
    output = " ".join(result.output.split())
    expected = [
        "source 'orders' is delivered twice",
        "crm_customers.csv is empty (0 bytes)",
        "leads.csv is separated by semicolons",
    ]
    for text in expected:
        assert text in output, result.output[-3000:]
    report = quality.validate_landing_zone(raw, tmp_path / "docs")
    assert not report.success
    failures = " ".join(line for source in report.sources for line in source.failures)
    for text in expected:
        assert text in failures, failures


def test_dbt_stops_on_a_required_source_without_rows(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write(raw / "orders.csv", orders())
    result = run_dbt(["build"], raw, tmp_path / "w.duckdb", tmp_path)
    assert result.returncode != 0
    assert "required source 'orders' has no rows" in result.output


# --------------------------------------------------------------------------------------------------
# Lines that cannot be parsed: quarantined with file, line and rule; the build goes on
# --------------------------------------------------------------------------------------------------

BIG_VALUE = "x" * 1_000_000


def bad_lines_zone(raw: Path) -> None:
    """orders.csv as a spreadsheet exports it (BOM, CRLF, header in another case with spaces)
    with one line of each kind of damage; order_items as a folder of two daily files."""
    lines = [
        " Order_ID , ORDERED_AT ,Order_Total,Email,payment_method",
        "O-1,2025-01-01,10,a@b.vn,card",  # line 2
        "O-2,2025-01-02,20,b@b.vn,card,EXTRA",  # line 3: one field too many
        'O-3,2025-01-03,30,"c@b.vn","card, then\ncash"',  # lines 4-5: quoted comma and newline
        "O-4,2025-01-04,40,d@b.vn",  # line 6: one field missing
        "O-5,2025-01-05,50,Nguy\xe9n@b.vn,card",  # line 7: a Latin-1 byte (é)
        "O-6,2025-01-06,60,'); drop table raw.orders; --,{{ var('x') }}",  # line 8
        f"O-7,2025-01-07,70,g@b.vn,{BIG_VALUE}",  # line 9: a 1 MB value
        'O-8,2025-01-08,80,"h@b.vn,card',  # line 10: unterminated quote
    ]
    body = "\r\n".join(lines) + "\r\n"
    data = codecs.BOM_UTF8 + body.encode("utf-8").replace("\xe9".encode(), b"\xe9")
    write(raw / "orders.csv", data)
    items = "order_id,line_number,product_id,quantity,unit_price\n"
    write(raw / "order_items" / "2025-01-01.csv", items + "O-1,1,P1,1,10\n")
    write(raw / "order_items" / "2025-01-02.csv", items + "O-2,1,P1,1,10\nO-3,1,P1\n")


@pytest.fixture(scope="module")
def bad_lines(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("bad_lines")
    raw = base / "raw"
    bad_lines_zone(raw)
    database = base / "w.duckdb"
    selection = "+source_reconciliation +quarantined_rows +assert_every_raw_row_is_accounted_for"
    result = run_dbt(
        ["build", "--select", *selection.split(), "--indirect-selection", "cautious"],
        raw,
        database,
        base,
    )
    return {"raw": raw, "database": database, "result": result, "base": base}


def test_bad_lines_are_quarantined_and_the_build_goes_on(bad_lines: dict) -> None:
    assert bad_lines["result"].returncode == 0, bad_lines["result"].output[-6000:]
    database = bad_lines["database"]
    unreadable = query(
        database,
        "select source, file_name, line_number, rule, raw_line from marts.quarantined_rows "
        "where file_name is not null order by 1, 2, 3",
    )
    raw = str(bad_lines["raw"]) + "/"
    # line_number counts CSV records (header = 1): the quoted newline of O-3 does not count
    assert [(s, f.removeprefix(raw), n, r, line[:4]) for s, f, n, r, line in unreadable] == [
        ("order_items", "order_items/2025-01-02.csv", 3, "malformed_line", "O-3,"),
        ("orders", "orders.csv", 3, "malformed_line", "O-2,"),
        ("orders", "orders.csv", 5, "malformed_line", "O-4,"),
        ("orders", "orders.csv", 6, "invalid_encoding", "O-5,"),
        ("orders", "orders.csv", 9, "malformed_line", "O-8,"),
    ]
    clean = query(database, "select order_id from staging.stg_commerce__orders")
    assert clean == [("O-1",)]  # O-3, O-6, O-7: parsed, then quarantined by a row rule
    parsed = query(
        database,
        "select record_key, rule, column_name, length(raw_values) > 1000000 "
        "from marts.quarantined_rows where source = 'orders' and file_name is null order by 1",
    )
    assert parsed == [
        ("O-3", "unknown_payment_method", "payment_method", False),
        ("O-6", "unknown_payment_method", "payment_method", False),
        ("O-7", "unknown_payment_method", "payment_method", True),
    ]
    payment = query(
        database, "select payment_method from staging.base_raw__orders where order_id = 'O-3'"
    )
    assert payment == [("card, then\ncash",)]  # a quoted comma and newline stay in the value


def test_malformed_lines_count_in_the_row_accounting(bad_lines: dict) -> None:
    assert bad_lines["result"].returncode == 0, bad_lines["result"].output[-6000:]
    rows = query(
        bad_lines["database"],
        "select source, raw_rows, clean_rows, quarantined_rows, superseded_rows, "
        "unreadable_lines from marts.source_reconciliation where source in ('orders', "
        "'order_items') order by source",
    )
    # order_items: 3 lines, one unparsable; orders: 8 records, 4 unparsable
    assert rows[0][0] == "order_items" and rows[0][1] == 3 and rows[0][5] == 1
    assert rows[1][0] == "orders" and rows[1][1] == 8 and rows[1][5] == 4
    for _, raw, clean, quarantined, superseded, _ in rows:
        assert raw == clean + quarantined + superseded
    assert "assert_every_raw_row_is_accounted_for" in bad_lines["result"].output


def test_every_row_rule_names_its_column(bad_lines: dict) -> None:
    assert bad_lines["result"].returncode == 0, bad_lines["result"].output[-6000:]
    rules = set(
        query(
            bad_lines["database"],
            "select record_key, rule, column_name from marts.quarantined_rows "
            "where is_row_rejected and file_name is null",
        )
    )
    assert ("O-7", "unknown_payment_method", "payment_method") in rules
    assert all(column for _, _, column in rules), rules


def test_the_checkpoint_reads_the_same_rows_and_reports_the_bad_lines(bad_lines: dict) -> None:
    lines: list[str] = []
    report = quality.validate_landing_zone(
        bad_lines["raw"], bad_lines["base"] / "docs", progress=lines.append
    )
    orders_result = report.source("orders")
    assert orders_result.rows == 4  # as dbt: 8 records, 4 unparsable
    # the header " Order_ID , ORDERED_AT ,Order_Total,Email" meets the contract, as in dbt
    assert orders_result.status == "passed", orders_result.failures
    assert "orders             4 unreadable lines (dbt quarantines them)" in lines
    assert report.source("order_items").rows == 2


# --------------------------------------------------------------------------------------------------
# Settings for common export formats
# --------------------------------------------------------------------------------------------------

EXPORT_SETTINGS = {
    "csv_delimiter": ";",
    "decimal_separator": ",",
    "thousands_separator": ".",
    "date_order": "dmy",
}


def test_export_settings_read_a_european_spreadsheet_export(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write(
        raw / "orders.csv",
        orders(
            "E-1;01/03/2025;1.234,50;a@b.vn",
            "E-2;13.03.2025 14:30;12,5;b@b.vn",
            "E-3;2025-03-20T08:00:00Z;7;c@b.vn",
            header=ORDERS_HEADER.replace(",", ";"),
        ),
    )
    database = tmp_path / "w.duckdb"
    result = run_dbt(
        [
            "build",
            "--select",
            "+stg_commerce__orders",
            "--indirect-selection",
            "cautious",
            "--vars",
            json.dumps(EXPORT_SETTINGS),
        ],
        raw,
        database,
        tmp_path,
    )
    assert result.returncode == 0, result.output[-6000:]
    got = query(
        database,
        "select order_id, order_total, strftime(ordered_at, '%Y-%m-%d %H:%M') "
        "from staging.stg_commerce__orders order by 1",
    )
    assert [(key, float(total), at) for key, total, at in got] == [
        ("E-1", 1234.5, "2025-03-01 00:00"),
        ("E-2", 12.5, "2025-03-13 14:30"),
        ("E-3", 7.0, "2025-03-20 08:00"),
    ]
    # the checkpoint parses with the same settings: every total and date is valid
    report = quality.validate_landing_zone(
        raw,
        tmp_path / "docs",
        dbt_vars=EXPORT_SETTINGS,
        reference_time=quality.datetime(2025, 3, 21, tzinfo=quality.timezone.utc),
        mostly=1.0,
    )
    assert report.source("orders").status == "passed", report.summary_lines()


def test_without_the_settings_those_values_are_unparsable(tmp_path: Path) -> None:
    settings = landing.Settings()
    european = landing.Settings.from_vars(EXPORT_SETTINGS)
    with duckdb.connect() as con:
        for text, number in [("1.234,50", 1234.5), ("12,5", 12.5)]:
            literal = f"'{text}'"
            plain = con.execute(f"select try_cast({settings.number_text_sql(literal)} as double)")
            assert plain.fetchone()[0] != number
            parsed = con.execute(f"select try_cast({european.number_text_sql(literal)} as double)")
            assert parsed.fetchone()[0] == number
        us_date = landing.Settings(date_order="mdy").timestamp_sql("'01/03/2025'")
        (us,) = con.execute(f"select {us_date}").fetchone()
        assert (us.month, us.day) == (1, 3)


def test_csv_encoding_reads_a_latin1_export(tmp_path: Path) -> None:
    write(tmp_path / "orders.csv", LATIN1_FILE.encode("latin-1"))
    assert problems(tmp_path, csv_encoding="latin-1") == []
    delivery = landing.find(tmp_path, "orders", landing.Settings(encoding="latin-1"))
    with duckdb.connect() as con:
        rows = con.execute(f"select email from {delivery.reader()}").fetchall()
    emails = [row[0] for row in rows]
    assert emails[0] == "é1@x.vn" and len(emails) == 7
