"""Write every table and view of one Spark schema as Parquet, for reading outside Spark.

Run in the Spark environment after a build on the `spark` target (scripts/spark_parity.sh):
`python -m custseg.spark_export --out DIR [--schema marts]`. The session is the `spark`
target's (custseg.spark_landing.session_config). Each relation becomes a folder
`DIR/<relation>/` of Parquet files (timestamps as UTC microseconds), and `DIR/relations.json`
lists the relations with their kind (table or view).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from custseg.spark_landing import spark_session


def export(spark: Any, schema: str, out: Path) -> list[dict[str, Any]]:
    """Write each relation of `schema` under `out`; the list of what was written."""
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    written = []
    # SQL rather than spark.catalog.listTables, which fails to decode Hive views on pyspark 4.3
    names = sorted(row.tableName for row in spark.sql(f"show tables in `{schema}`").collect())
    views = {row.viewName for row in spark.sql(f"show views in `{schema}`").collect()}
    for position, name in enumerate(names, start=1):
        spark.table(f"`{schema}`.`{name}`").write.parquet(str(out / name))
        written.append({"name": name, "kind": "view" if name in views else "table"})
        print(f"[{position}/{len(names)}] {schema}.{name}", flush=True)
    (out / "relations.json").write_text(json.dumps(written, indent=2) + "\n")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to (re)write")
    parser.add_argument("--schema", default="marts", help="Spark schema (default: marts)")
    args = parser.parse_args(argv)
    spark = spark_session()
    try:
        if not spark.catalog.databaseExists(args.schema):
            print(f"error: Spark has no schema {args.schema!r}; build first", file=sys.stderr)
            return 2
        written = export(spark, args.schema, args.out)
    finally:
        spark.stop()
    if not written:
        print(f"error: schema {args.schema!r} holds no table or view", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
