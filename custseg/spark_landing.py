"""Load the landing zone into Spark's `raw` tables: the Spark counterpart of the DuckDB run-start
load (macros/raw_landing_zone.sql), with the same resolution of files (custseg.landing).

Run by scripts/spark.sh before `dbt build` on the `spark` target:
`python -m custseg.spark_landing --raw-dir DIR` (the session is the `spark` target's of
profiles.yml: SPARK_WAREHOUSE, SPARK_DRIVER_MEMORY). Each source becomes a Parquet
table `raw.<source>` of text columns named as the header says (trimmed, lower case); CSV lines
Spark cannot parse (its corrupt-record column) go to `raw.landing_rejected_lines`, which
models/staging/landing/base_landing__rejected_lines.sql reads.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from custseg import contract, landing, ledger

CORRUPT = "_corrupt_record"
REJECTED_COLUMNS = (
    "source",
    "file_name",
    "line_number",
    "rule",
    "column_name",
    "raw_line",
    "error_message",
)


def session_config() -> dict[str, str]:
    """The Spark parameters of the `spark` target in profiles.yml (rendered with the
    environment, as dbt renders it): the loader and dbt's session must share the warehouse and
    the metastore."""
    import jinja2
    import yaml

    def env_var(name: str, default: str | None = None) -> str:
        value = os.environ.get(name, default)
        if value is None:
            raise KeyError(f"environment variable {name} is not set")
        return value

    text = (contract.ROOT / "profiles.yml").read_text()
    profile = yaml.safe_load(jinja2.Template(text).render(env_var=env_var))
    parameters = profile["customer_segments"]["outputs"]["spark"]["server_side_parameters"]
    return {str(key): str(value) for key, value in parameters.items()}


def spark_session() -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("custseg-landing")
    for key, value in session_config().items():
        builder = builder.config(key, value)
    return builder.enableHiveSupport().getOrCreate()


def relative_file(raw_dir: Path) -> Any:
    """The column expression of a row's landing file relative to the landing zone (as
    custseg.landing writes it on DuckDB), from Spark's input_file_name (a file: URI)."""
    from pyspark.sql import functions as F

    local = F.url_decode(F.regexp_replace(F.input_file_name(), "^file:(//)?", ""))
    prefix = os.path.abspath(raw_dir) + "/"
    return F.regexp_replace(local, "^\\Q" + prefix + "\\E", "")


def load_source(spark: Any, delivery: landing.Delivery, raw_dir: Path) -> tuple[int, Any]:
    """Write raw.<source>; return its row count and the frame of its unparsable lines."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    table = f"raw.{delivery.source}"
    files = [str(path) for path in delivery.files]
    if not delivery.is_csv:
        frame = spark.read.option("mergeSchema", "true").parquet(*files)
        frame = frame.select([F.col(f"`{c}`").alias(c.strip().lower()) for c in frame.columns])
        frame = frame.withColumn("landing_file", relative_file(raw_dir))
        frame.write.mode("overwrite").format("parquet").saveAsTable(table)
        return spark.table(table).count(), None
    columns = delivery.csv_files[0].columns
    schema = StructType(
        [StructField(name, StringType()) for name in columns] + [StructField(CORRUPT, StringType())]
    )
    frame = (
        spark.read.schema(schema)
        .option("header", "true")
        .option("sep", delivery.settings.delimiter)
        .option("quote", '"')
        .option("escape", '"')
        .option("encoding", delivery.settings.encoding)
        .option("multiLine", "true")
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .csv(files)
        .withColumn("landing_file", relative_file(raw_dir))
        .cache()
    )
    good = frame.where(F.col(CORRUPT).isNull()).drop(CORRUPT)
    good.write.mode("overwrite").format("parquet").saveAsTable(table)
    bad = frame.where(F.col(CORRUPT).isNotNull()).select(
        F.lit(delivery.source).alias("source"),
        F.col("landing_file").alias("file_name"),
        F.lit(None).cast("bigint").alias("line_number"),
        F.lit(landing.DEFAULT_REJECT_RULE).alias("rule"),
        F.lit(None).cast("string").alias("column_name"),
        F.col(CORRUPT).alias("raw_line"),
        F.lit("Spark's CSV reader could not parse the line").alias("error_message"),
    )
    return spark.table(table).count(), bad


def load(spark: Any, raw_dir: Path, values: dict[str, Any] | None = None) -> dict[str, int]:
    """Load every contract source found in `raw_dir`; rows per source. Raises LandingError
    (every problem in one message) as the DuckDB run start does."""
    settings = landing.Settings.from_vars({**contract.project_vars(), **(values or {})})
    problems: list[str] = []
    deliveries = []
    for source in contract.default().sources:
        try:
            delivery = landing.find(raw_dir, source.name, settings)
        except landing.LandingError as error:
            problems.append(str(error))
            continue
        deliveries.append((source, delivery))
    if problems:
        raise landing.LandingError("; ".join(problems))
    spark.sql("create database if not exists raw")
    rows: dict[str, int] = {}
    rejected = []
    for source, delivery in deliveries:
        if delivery is None:
            spark.sql(f"drop table if exists raw.{source.name}")
            continue
        rows[source.name], bad = load_source(spark, delivery, raw_dir)
        if bad is not None:
            rejected.append(bad)
    schema = ", ".join(
        f"{name} {'bigint' if name == 'line_number' else 'string'}" for name in REJECTED_COLUMNS
    )
    lines = spark.createDataFrame([], schema)
    for frame in rejected:
        lines = lines.unionByName(frame)
    lines.write.mode("overwrite").format("parquet").saveAsTable(landing.REJECTED_LINES)
    write_listing(spark, raw_dir, [d for _, d in deliveries if d is not None])
    return rows


def write_listing(spark: Any, raw_dir: Path, deliveries: list[landing.Delivery]) -> None:
    """Write custseg.ledger.LISTING: every file with its size, hash and rows (after the load)."""
    read: dict[str, int] = {}
    rejected: dict[str, int] = {}
    for delivery in deliveries:
        for row in spark.table(f"raw.{delivery.source}").groupBy("landing_file").count().collect():
            read[row[0]] = row[1]
    for row in spark.table(landing.REJECTED_LINES).groupBy("file_name").count().collect():
        rejected[row[0]] = row[1]
    rows = [
        (
            file.source,
            file.file_path,
            file.file_size,
            file.content_sha256,
            read.get(file.file_path, 0),
            rejected.get(file.file_path, 0),
        )
        for delivery in deliveries
        for file in ledger.describe(delivery.source, delivery.files, raw_dir)
    ]
    schema = ", ".join(f"{name} {kind}" for name, kind in ledger.COLUMNS)
    frame = spark.createDataFrame(rows, schema)
    frame.write.mode("overwrite").format("parquet").saveAsTable(ledger.LISTING)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    spark = spark_session()
    try:
        rows = load(spark, args.raw_dir)
    except landing.LandingError as error:
        print(f"Landing zone does not meet the contract: {error}", file=sys.stderr)
        return 1
    finally:
        spark.stop()
    for name, count in rows.items():
        print(f"raw.{name:<20} {count:>10,} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
