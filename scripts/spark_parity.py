"""Compare the marts of a Spark build, exported as Parquet, with the marts of a DuckDB build.

    python scripts/spark_parity.py DUCKDB_FILE EXPORT_DIR [--out FILE] [--float-decimals 6]
                                   [--ignore-column NAME ...] [--samples 3]

EXPORT_DIR is what `python -m custseg.spark_export --out EXPORT_DIR` wrote (one Parquet folder
per relation of Spark's `marts`, and relations.json). Each relation is loaded into the DuckDB
file --out (default: EXPORT_DIR/../spark_marts.duckdb), every column cast to the type the same
column has in DUCKDB_FILE (the contracts declare one type for both engines; a value that does
not cast keeps its Parquet type and shows as a type difference). Then scripts/compare_marts.py
compares the two files: one line per mart (rows, or the rows only on one side), the run-time
columns aside, DOUBLE columns rounded to --float-decimals (default 6; sums of doubles differ in
the last bits when two engines add in another order). Exit code 0 when every mart is equal,
1 on any difference, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare_marts  # noqa: E402

SCHEMA = "marts"


def duckdb_types(path: Path) -> dict[str, dict[str, str]]:
    """{relation: {column: type}} of the schema `marts` of a DuckDB file, lower-case names."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "select table_name, column_name, data_type from information_schema.columns"
            " where table_schema = ? order by table_name, ordinal_position",
            [SCHEMA],
        ).fetchall()
    finally:
        con.close()
    types: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        types.setdefault(table.lower(), {})[column.lower()] = data_type
    return types


def load_export(export_dir: Path, out: Path, types: dict[str, dict[str, str]]) -> int:
    """Write the exported relations into `out` (schema marts); the number loaded."""
    listed = json.loads((export_dir / "relations.json").read_text())
    out.unlink(missing_ok=True)
    con = duckdb.connect(str(out))
    con.execute(f"create schema {SCHEMA}")
    for relation in listed:
        name = relation["name"]
        files = "'" + str(export_dir / name / "*.parquet").replace("'", "''") + "'"
        parquet = f"read_parquet({files})"
        columns = [row[0] for row in con.execute(f"describe select * from {parquet}").fetchall()]
        wanted = types.get(name.lower(), {})
        items = []
        for column in columns:
            target = wanted.get(column.lower())
            quoted = compare_marts.quote(column)
            items.append(f"cast({quoted} as {target}) as {quoted}" if target else quoted)
        table = f"{SCHEMA}.{compare_marts.quote(name)}"
        try:
            con.execute(f"create table {table} as select {', '.join(items)} from {parquet}")
        except duckdb.Error:
            con.execute(f"create table {table} as select * from {parquet}")
    con.close()
    return len(listed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("duckdb_file", type=Path, help="the DuckDB build (reference)")
    parser.add_argument("export_dir", type=Path, help="the Parquet export of the Spark build")
    parser.add_argument("--out", type=Path, help="DuckDB file to load the export into")
    parser.add_argument("--float-decimals", type=int, default=6, metavar="N")
    parser.add_argument("--ignore-column", action="append", default=[], metavar="NAME")
    parser.add_argument("--samples", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.duckdb_file.is_file():
        print(f"error: {args.duckdb_file} is not a file")
        return 2
    if not (args.export_dir / "relations.json").is_file():
        print(f"error: {args.export_dir} holds no relations.json (run custseg.spark_export)")
        return 2
    out = args.out or args.export_dir.parent / "spark_marts.duckdb"
    load_export(args.export_dir, out, duckdb_types(args.duckdb_file))
    ignored = {name.lower() for name in args.ignore_column} | set(compare_marts.RUN_TIME_COLUMNS)
    return compare_marts.compare(
        args.duckdb_file, out, SCHEMA, ignored, max(args.samples, 0), args.float_decimals
    )


if __name__ == "__main__":
    sys.exit(main())
