"""Compare the marts of two DuckDB builds: same tables, same columns and types, same rows.

    python scripts/compare_marts.py BEFORE.duckdb AFTER.duckdb [--schema marts]
                                    [--ignore-column NAME ...] [--compare-run-times]
                                    [--float-decimals N] [--samples 3]

Both files are opened read-only in one DuckDB connection (ATTACH). Every table and view of the
schema is listed on both sides; a relation found on one side only is a difference. For each
relation found on both sides the script compares the column names and types, then the rows both
ways with multiset semantics (EXCEPT ALL each way: a row present twice before and once after is
a difference). Column order does not matter; rows are matched on the columns both sides have.

Columns that hold the time of the run are ignored by default, since two builds never share it:
    detected_at          quarantined_rows, identity_oversize_clusters (the run's start time)
    changed_at           identity_changes (start time of the run that made the change)
    identity_change_id   identity_changes (its key begins with changed_at)
    processed_by_run     delivery_ledger (the dbt invocation id of the run that took the file)
    processed_at         delivery_ledger (that run's start time)
    computed_at          customer_identifiers (start time of the run that derived the row)
Dates derived from as_of_date (as_of_date, valid_from, valid_to, ...) are data and compared.
--ignore-column NAME ignores one more column in every relation, TABLE.NAME in one relation only
(repeatable); --compare-run-times compares the default columns too. Values are compared exactly;
--float-decimals N rounds DOUBLE/FLOAT columns first (sums of doubles may differ in the last bits
between two builds when DuckDB adds them in another order).

Output: one line per relation, `identical  N rows` or `DIFFERENT  only-before K, only-after M`
with the column differences, up to --samples differing rows of each side, then a summary line.
Exit code: 0 when everything is identical, 1 when anything differs, 2 on a usage error (a file
that does not exist, no relation in the schema on either side).

Example, the acceptance check of a refactoring (build main, then the branch, same raw data):
    python scripts/compare_marts.py /tmp/main.duckdb /tmp/branch.duckdb
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

RUN_TIME_COLUMNS = (
    "detected_at",
    "changed_at",
    "identity_change_id",
    "processed_by_run",
    "processed_at",
    "computed_at",
)
SIDES = ("before", "after")
CATALOGS = {"before": "compare_before", "after": "compare_after"}
COUNT_COLUMN = "compare_marts__differing_rows"
SAMPLE_WIDTH = 240
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")


def quote(identifier: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + identifier.replace('"', '""') + '"'


@dataclass
class Relation:
    name: str
    kind: str  # BASE TABLE | VIEW
    columns: dict[str, str]  # lower-case name -> data type, in ordinal order
    names: dict[str, str]  # lower-case name -> name as built


@dataclass
class Comparison:
    name: str
    rows: int = 0
    only_before: int = 0
    only_after: int = 0
    notes: list[str] = field(default_factory=list)  # differences other than rows
    samples: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not (self.only_before or self.only_after or self.notes)


def relations(con: duckdb.DuckDBPyConnection, side: str, schema: str) -> dict[str, Relation]:
    """The tables and views of `schema` in one attached file, by lower-case name."""
    catalog = CATALOGS[side]
    found: dict[str, Relation] = {}
    for name, kind in con.execute(
        "select table_name, table_type from information_schema.tables"
        " where table_catalog = ? and table_schema = ? order by table_name",
        [catalog, schema],
    ).fetchall():
        found[name.lower()] = Relation(name, kind, {}, {})
    for table, column, data_type in con.execute(
        "select table_name, column_name, data_type from information_schema.columns"
        " where table_catalog = ? and table_schema = ? order by table_name, ordinal_position",
        [catalog, schema],
    ).fetchall():
        relation = found.get(table.lower())
        if relation is not None:
            relation.columns[column.lower()] = data_type
            relation.names[column.lower()] = column
    return found


def is_ignored(table: str, column: str, ignored: set[str]) -> bool:
    return column in ignored or f"{table}.{column}" in ignored


def format_row(columns: list[str], row: tuple) -> str:
    text = ", ".join(f"{column}={value!r}" for column, value in zip(columns, row, strict=True))
    return text if len(text) <= SAMPLE_WIDTH else text[: SAMPLE_WIDTH - 3] + "..."


def column_changes(
    before: Relation, after: Relation, key: str, ignored: set[str]
) -> tuple[list[str], set[str], list[str]]:
    """The compared columns present on both sides, those whose type changed, and a note for
    every column only on one side or retyped."""
    columns = [c for c in before.columns if not is_ignored(key, c, ignored)]
    after_columns = [c for c in after.columns if not is_ignored(key, c, ignored)]
    common = [c for c in columns if c in after.columns]
    notes = [f"column {c} only before" for c in columns if c not in after.columns]
    notes += [f"column {c} only after" for c in after_columns if c not in before.columns]
    retyped = {c for c in common if before.columns[c] != after.columns[c]}
    notes += [
        f"column {c} {before.columns[c]} -> {after.columns[c]}"
        for c in sorted(retyped, key=common.index)
    ]
    return common, retyped, notes


def compare_relation(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    before: Relation,
    after: Relation,
    ignored: set[str],
    samples: int,
    float_decimals: int | None = None,
) -> Comparison:
    key = before.name.lower()
    result = Comparison(before.name)
    if before.kind != after.kind:
        # Same rows in a view or a table are the same data for its readers: a note, no verdict.
        result.samples.append(f"  note: {before.kind.lower()} before, {after.kind.lower()} after")
    common, retyped, notes = column_changes(before, after, key, ignored)
    result.notes += notes

    def select(side: str, relation: Relation) -> str:
        # A column whose type changed is compared as text, so that the row comparison can run.
        items = []
        for c in common:
            expression = quote(relation.names[c])
            if c in retyped:
                expression = f"cast({expression} as varchar)"
            elif float_decimals is not None and relation.columns[c] in FLOAT_TYPES:
                expression = f"round({expression}, {float_decimals})"
            items.append(f"{expression} as {quote(c)}")
        source = f"{quote(CATALOGS[side])}.{quote(schema)}.{quote(relation.name)}"
        return f"select {', '.join(items) or '1 as no_common_column'} from {source}"

    before_sql, after_sql = select("before", before), select("after", after)
    result.rows = con.execute(f"select count(*) from ({before_sql})").fetchone()[0]
    for label, first, second in (
        ("only-before", before_sql, after_sql),
        ("only-after", after_sql, before_sql),
    ):
        # One pass over the difference gives its size (window count) and the first sample rows.
        sample_rows = con.execute(
            f"select *, count(*) over () as {COUNT_COLUMN}"
            f" from ({first} except all {second}) limit {max(samples, 1)}"
        ).fetchall()
        differing = sample_rows[0][-1] if sample_rows else 0
        if label == "only-before":
            result.only_before = differing
        else:
            result.only_after = differing
        shown = common or ["no_common_column"]
        result.samples += [
            f"  {label}: {format_row(shown, row[:-1])}" for row in sample_rows[:samples]
        ]
    return result


def compare(
    before_path: Path,
    after_path: Path,
    schema: str,
    ignored: set[str],
    samples: int,
    float_decimals: int | None = None,
) -> int:
    """Print the comparison; 0 when identical, 1 when anything differs, 2 on a usage error."""
    for path in (before_path, after_path):
        if not path.is_file():
            print(f"error: {path} is not a file")
            return 2
    con = duckdb.connect()
    for side, path in zip(SIDES, (before_path, after_path), strict=True):
        literal = "'" + str(path).replace("'", "''") + "'"
        con.execute(f"attach {literal} as {quote(CATALOGS[side])} (read_only)")
    found = {side: relations(con, side, schema) for side in SIDES}
    names = sorted(found["before"].keys() | found["after"].keys())
    if not names:
        print(f"error: no table or view in schema {schema!r} of either file")
        return 2
    shown_ignored = ", ".join(sorted(ignored)) or "none"
    print(f"comparing schema {schema}: {before_path} (before) and {after_path} (after)")
    print(f"ignored columns: {shown_ignored}")
    width = max(len(name) for name in names)
    identical = different = 0
    for key in names:
        before, after = found["before"].get(key), found["after"].get(key)
        if before is None or after is None:
            different += 1
            side = "before" if after is None else "after"
            print(f"{key:<{width}}  DIFFERENT  only in {side}")
            continue
        result = compare_relation(con, schema, before, after, ignored, samples, float_decimals)
        if result.identical:
            identical += 1
            print(f"{key:<{width}}  identical  {result.rows} rows")
        else:
            different += 1
            line = f"only-before {result.only_before}, only-after {result.only_after}"
            print(f"{key:<{width}}  DIFFERENT  {'; '.join([line, *result.notes])}")
        for sample in result.samples:
            print(sample)
    verdict = "IDENTICAL" if not different else "DIFFERENT"
    print(
        f"{verdict}: {len(names)} relations in {schema}, {identical} identical, "
        f"{different} different"
    )
    return 0 if not different else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("before", type=Path, help="the DuckDB file of the reference build")
    parser.add_argument("after", type=Path, help="the DuckDB file of the build to check")
    parser.add_argument("--schema", default="marts", help="schema to compare (default: marts)")
    parser.add_argument(
        "--ignore-column",
        action="append",
        default=[],
        metavar="NAME",
        help="a column to leave out everywhere, or TABLE.NAME in one relation (repeatable)",
    )
    parser.add_argument(
        "--compare-run-times",
        action="store_true",
        help="compare the run-time columns too: " + ", ".join(RUN_TIME_COLUMNS),
    )
    parser.add_argument(
        "--samples", type=int, default=3, help="differing rows shown per side (default: 3)"
    )
    parser.add_argument(
        "--float-decimals",
        type=int,
        metavar="N",
        help="round DOUBLE/FLOAT columns to N decimals before comparing (default: exact)",
    )
    args = parser.parse_args(argv)
    ignored = {name.lower() for name in args.ignore_column}
    if not args.compare_run_times:
        ignored |= set(RUN_TIME_COLUMNS)
    return compare(
        args.before, args.after, args.schema, ignored, max(args.samples, 0), args.float_decimals
    )


if __name__ == "__main__":
    sys.exit(main())
