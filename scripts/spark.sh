#!/usr/bin/env bash
# The project on Apache Spark, in a local session: its own environment `.venv-spark` (dbt-spark
# and a pinned pyspark from requirements-spark.lock; Java 17 from Debian when missing), the landing
# zone loaded into Spark's `raw` tables (custseg/spark_landing.py), then `dbt build` on the `spark`
# target. Arguments go to `dbt build`.
#   RAW_DIR              landing zone (default: sample_data, generated when absent)
#   SPARK_WAREHOUSE      the session's tables and metastore (default: spark_warehouse/)
#   SPARK_DRIVER_MEMORY  the session's memory (default: 2g)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v java >/dev/null 2>&1; then
    echo "Installing Java 17 (Debian openjdk-17-jre-headless)"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
    $sudo_cmd apt-get update -qq
    $sudo_cmd apt-get install -y -qq openjdk-17-jre-headless
fi
if [ ! -x .venv-spark/bin/python ]; then
    echo "Creating .venv-spark with $(python3 --version)"
    python3 -m venv .venv-spark
fi
stamp=.venv-spark/.custseg-installed
want=$(cat requirements-spark.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing pinned Spark dependencies (requirements-spark.lock) into .venv-spark"
    .venv-spark/bin/python -m pip install --quiet --upgrade pip
    .venv-spark/bin/python -m pip install --quiet -r requirements-spark.lock
    .venv-spark/bin/python -m pip install --quiet --no-deps -e .
    echo "$want" > "$stamp"
fi
export RAW_DIR="${RAW_DIR:-sample_data}"
export SPARK_WAREHOUSE="${SPARK_WAREHOUSE:-$PWD/spark_warehouse}"
export SPARK_DRIVER_MEMORY="${SPARK_DRIVER_MEMORY:-2g}"
export DBT_TARGET=spark DBT_SEND_ANONYMOUS_USAGE_STATS=false
if [ ! -d "$RAW_DIR" ]; then
    bash scripts/bootstrap.sh
    .venv/bin/custseg generate --out "$RAW_DIR"
fi
echo "== loading $RAW_DIR into Spark's raw tables ($SPARK_WAREHOUSE)"
.venv-spark/bin/python -m custseg.spark_landing --raw-dir "$RAW_DIR"
echo "== dbt build on Spark"
.venv-spark/bin/dbt build --profiles-dir . "$@"
