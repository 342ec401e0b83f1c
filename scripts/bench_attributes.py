"""Benchmark the customer-attribute stage against a plain pandas and a single DuckDB RFM query.

For each --customers size: generate a landing zone (orders_per_customer orders on average), build
everything upstream of the attributes (staging, identity) once, then measure in separate
processes (wall time and peak RSS from /usr/bin/time -v):

* the prepared facts (PREPARED_FACTS: the converted orders, the grouped web events), built
  from scratch with `dbt run --full-refresh`; a daily run keeps them incrementally;
* the attribute stage, reading the prepared facts: `dbt run` of models/intermediate/attributes
  + models/marts/attributes, the prepared facts excluded;
* the project's RFM step: `dbt run --threads 1 --full-refresh` of its models alone
  (RFM_MODELS, every order converted, as the query below does), the sum of their execution
  times from dbt's run_results.json;
* the same RFM step's compiled SQL (int_order_date_fx_rates, int_orders_converted, then
  int_customer_rfm_scored, whose RFM intermediate is a view) run in a plain DuckDB process,
  like the query below: its own wall time and peak memory, without dbt's;
* a plain pandas RFM script and one hand-written DuckDB RFM query, both reading the same built
  tables (stg_commerce__orders, stg_finance__fx_rates, int_records_resolved, int_customers_golden);
* the fact-pass floor: the three passes over the large facts that any implementation of the stage
  makes (orders, order lines and web events, each joined to the identity map and grouped by
  customer with a few aggregates: FLOOR_QUERIES), one statement each in a plain DuckDB process,
  so that the stage can be read against the least work its inputs ask for;
* the stage's wall time over the single RFM query's (attribute_stage_vs_query), to read the stage
  against a reference query measured on other data or another machine;
* `targets`: each of the issue's targets (TARGETS, stated for 1M customers) with its value, its
  limit and whether this run met it, also summed up in the last progress line.

Usage:
    python scripts/bench_attributes.py --customers 100000 1000000 --orders-per-customer 10
    python scripts/bench_attributes.py --customers 1000000 --reuse --rfm-memory-limit 1500MB
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from custseg.rfm_reference import relation

PROJECT_DIR = Path(__file__).resolve().parents[1]
ATTRIBUTE_SELECTOR = ["path:models/intermediate/attributes", "path:models/marts/attributes"]
# The prepared facts: the customer-keyed facts kept incrementally upstream of the stage (the
# converted orders with their fx rates, the grouped web events). Built with the upstream models
# (and timed on their own, from scratch); the stage reads them.
PREPARED_FACTS = (
    "int_order_date_fx_rates",
    "int_orders_converted",
    "int_web_sessions_grouped",
    "int_web_product_views_grouped",
)
RFM_MODELS = (
    "int_as_of_date",
    "int_order_date_fx_rates",
    "int_orders_converted",
    "int_customer_rfm_aggregated",
    "int_customer_rfm_scored",
)
# The RFM step's one statement (its intermediates are views), compiled by dbt.
RFM_STATEMENT = "intermediate/attributes/int_customer_rfm_scored.sql"
RFM_WINDOW_DAYS = 730
# The targets (stated for 1M customers): (figure, comparison, limit, what it says).
TARGETS = (
    ("rfm_step_vs_query", "<=", 1.5, "the RFM step within 1.5x the single query"),
    ("pandas_vs_rfm_step", ">=", 4.0, "the RFM step at least 4x faster than pandas"),
    ("rfm_sql_peak_vs_pandas_peak", "<=", 1 / 3, "the RFM peak memory at most a third of pandas'"),
    ("attribute_stage_wall_s", "<", 60.0, "the whole attribute stage under a minute"),
    (
        "attribute_stage_vs_floor",
        "<=",
        3.0,
        "the stage, reading the prepared facts, within 3x the floor",
    ),
)
REPORTING_CURRENCY = "USD"

# One statement: fx at the latest rate on or before the order date, RFM values, tie-safe scores.
DUCKDB_RFM_QUERY = f"""
create temp table rfm as
with orders as (
    select o.order_id, r.customer_id, o.ordered_at, o.order_date, o.status,
        coalesce(o.currency, '{REPORTING_CURRENCY}') as currency, o.order_total
    from src.staging.stg_commerce__orders o
    join src.intermediate.int_records_resolved r
        on r.source = 'orders' and r.record_key = o.order_id
),
as_of as (
    select cast(greatest(
        (select max(ordered_at) from src.staging.stg_commerce__orders),
        coalesce((select max(occurred_at) from src.staging.stg_web__events), timestamp '1900-01-01')
    ) as date) as as_of_date
),
converted as (
    select o.*, coalesce(o.order_total * case when o.currency = '{REPORTING_CURRENCY}' then 1
        else fx.rate_to_reporting end, 0) as total
    from orders o
    asof left join src.staging.stg_finance__fx_rates fx
        on o.currency = fx.currency and o.order_date >= fx.rate_date
),
per_customer as (
    select c.customer_id,
        date_diff('day', max(case when v.status = 'completed' then v.order_date end),
            a.as_of_date) as recency_days,
        count(*) filter (where v.status = 'completed'
            and v.order_date > a.as_of_date - {RFM_WINDOW_DAYS}) as frequency_orders,
        greatest(coalesce(sum(v.total) filter (where v.status = 'completed'
            and v.order_date > a.as_of_date - {RFM_WINDOW_DAYS}), 0)
            - coalesce(sum(v.total) filter (where v.status in ('returned', 'refunded')
            and v.order_date > a.as_of_date - {RFM_WINDOW_DAYS}), 0), 0) as monetary
    from src.intermediate.int_customers_golden c
    cross join as_of a
    left join converted v on v.customer_id = c.customer_id and v.ordered_at < a.as_of_date + 1
    group by c.customer_id, a.as_of_date
)
select *,
    case when recency_days is not null then 1 + floor(5 * (rank() over (
        partition by recency_days is null order by recency_days desc) - 1)
        / count(*) over (partition by recency_days is null)) end as r_score,
    case when recency_days is not null then 1 + floor(5 * (rank() over (
        partition by recency_days is null order by frequency_orders) - 1)
        / count(*) over (partition by recency_days is null)) end as f_score,
    case when recency_days is not null then 1 + floor(5 * (rank() over (
        partition by recency_days is null order by monetary) - 1)
        / count(*) over (partition by recency_days is null)) end as m_score
from per_customer
"""


# The least work the stage's inputs ask for: each large fact read once, joined to the identity map
# and grouped by customer (and by category for the order lines), with a few aggregates and none
# of the stage's rules (no fx, windows, top values or tie policies).
FLOOR_QUERIES = {
    "orders": """
        select r.customer_id, count(*) as orders, max(o.ordered_at) as last_at,
            sum(o.order_total) as total
        from src.staging.stg_commerce__orders o
        join src.intermediate.int_records_resolved r
            on r.source = 'orders' and r.record_key = o.order_id
        group by r.customer_id
    """,
    "order_lines": """
        with completed as (
            select o.order_id, r.customer_id, o.ordered_at
            from src.staging.stg_commerce__orders o
            join src.intermediate.int_records_resolved r
                on r.source = 'orders' and r.record_key = o.order_id
            where o.status = 'completed'
        )
        select completed.customer_id, p.category, sum(i.quantity) as units,
            max(completed.ordered_at) as last_at
        from src.staging.stg_commerce__order_items i
        left join src.staging.stg_commerce__products p on p.product_id = i.product_id
        join completed on completed.order_id = i.order_id
        group by completed.customer_id, p.category
    """,
    "web_events": """
        with device_sessions as (
            select anonymous_id, session_id, count(*) as events, max(occurred_at) as last_at
            from src.staging.stg_web__events
            group by anonymous_id, session_id
        )
        select r.customer_id, count(*) as sessions, sum(events) as events, max(last_at) as last_at
        from device_sessions
        join src.intermediate.int_records_resolved r
            on r.source = 'web_events' and r.record_key = device_sessions.anonymous_id
        group by r.customer_id
    """,
}


def run_pandas_rfm(database: str) -> None:
    """The plain pandas RFM script, custseg/rfm_reference.py (measured in its own process)."""
    import duckdb

    from custseg.rfm_reference import pandas_rfm

    with duckdb.connect(database, read_only=True) as con:
        rfm = pandas_rfm(con)
    print(f"pandas rfm rows={len(rfm)} scored={int(rfm['r_score'].notna().sum())}")


def run_duckdb_rfm(database: str) -> None:
    """The single hand-written DuckDB RFM query (measured in its own process)."""
    import duckdb

    with duckdb.connect() as con:
        con.execute(f"attach '{database}' as src (read_only)")
        con.execute(DUCKDB_RFM_QUERY)
        rows, scored = con.execute("select count(*), count(r_score) from rfm").fetchall()[0]
    print(f"duckdb rfm rows={rows} scored={scored}")


def run_floor_passes(database: str) -> None:
    """The fact-pass floor (FLOOR_QUERIES), one after the other in one plain DuckDB process:
    prints each pass's seconds as JSON."""
    import duckdb

    seconds = {}
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{database}' as src (read_only)")
        for name, query in FLOOR_QUERIES.items():
            start = time.perf_counter()
            con.execute(f"create temp table floor_{name} as {query}")
            seconds[name] = round(time.perf_counter() - start, 2)
    print(json.dumps(seconds))


def run_project_rfm_sql(database: str, compiled_sql: str, memory_limit: str) -> None:
    """The project's RFM step in a plain DuckDB process: its tables built from orders
    (int_order_date_fx_rates and int_orders_converted as the full refresh compiled them, here
    into temp tables so that their cost counts), then the compiled int_customer_rfm_scored
    statement, which reads the built copies of those tables."""
    import duckdb

    models_dir = Path(compiled_sql).parents[2]
    fx_sql = models_dir / "intermediate" / "attributes" / "int_order_date_fx_rates.sql"
    with duckdb.connect(database, read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        if memory_limit:
            con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute(f"create temp table fx_rates as {fx_sql.read_text()}")
        converted_sql = fx_sql.with_name("int_orders_converted.sql")
        con.execute(f"create temp table orders_converted as {converted_sql.read_text()}")
        sql = Path(compiled_sql).read_text()
        con.execute(f"create temp table rfm as {sql}")
        rows, scored = con.execute("select count(*), count(r_score) from rfm").fetchall()[0]
    print(f"project rfm sql rows={rows} scored={scored}")


def rfm_row_counts(output: str) -> tuple[int, int]:
    """(rows, scored) from an RFM run's last line, e.g. `duckdb rfm rows=1500 scored=1200`."""
    found = re.search(r"rows=(\d+) scored=(\d+)", output.strip().splitlines()[-1])
    if not found:
        sys.exit(f"no RFM row counts in: {output[-500:]}")
    return int(found[1]), int(found[2])


def target_verdicts(figures: dict[str, float]) -> dict[str, dict]:
    """Each of TARGETS against the run's unrounded figures: value, limit and whether it is met."""
    checks = {"<=": operator.le, ">=": operator.ge, "<": operator.lt}
    return {
        figure: {
            "target": text,
            "value": round(figures[figure], 3),
            "limit": f"{comparison} {round(limit, 3)}",
            "met": checks[comparison](figures[figure], limit),
        }
        for figure, comparison, limit, text in TARGETS
    }


def progress(customers: int, message: str) -> None:
    """One progress line on stderr (stdout carries only the JSON results)."""
    stamp = time.strftime("%H:%M:%S")
    print(f"[{stamp}] {customers:,} customers: {message}", file=sys.stderr, flush=True)


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command under /usr/bin/time -v: wall seconds, peak RSS in MiB, stdout."""
    start = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-v", *command],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    peak_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)[1])
    return wall, peak_kib / 1024, result.stdout


def dbt(*args: str, target: Path, logs: Path) -> list[str]:
    executable = str(Path(sys.executable).with_name("dbt"))
    return [executable, *args, "--profiles-dir", ".", "--target-path", str(target),
            "--log-path", str(logs)]  # fmt: skip


def bench(
    customers: int,
    orders_per_customer: float,
    workdir: Path,
    fmt: str,
    reuse: bool,
    rfm_memory_limit: str,
) -> dict:
    from custseg.generate import generate

    size_dir = workdir / f"c{customers}"
    raw_dir, database = size_dir / "raw", size_dir / "bench.duckdb"
    target, logs = size_dir / "target", size_dir / "logs"
    env = {**os.environ, "DUCKDB_PATH": str(database), "RAW_DIR": str(raw_dir)}
    reused = reuse and (raw_dir / "_truth").exists() and database.exists()
    generate_seconds = upstream_seconds = upstream_mib = 0.0
    if not reused:
        database.unlink(missing_ok=True)
        progress(customers, f"generating the landing zone in {raw_dir}")
        start = time.perf_counter()
        generate(
            raw_dir, customers=customers, seed=42, fmt=fmt, orders_per_customer=orders_per_customer
        )
        generate_seconds = time.perf_counter() - start
        progress(
            customers,
            f"generated in {generate_seconds:.1f} s; building what the attributes read",
        )
        upstream_seconds, upstream_mib, _ = measured(
            dbt("build", "--resource-type", "model", "--resource-type", "seed",
                "-s", "+customer_attributes", "+customer_rfm", "--exclude", *ATTRIBUTE_SELECTOR,
                target=target, logs=logs),
            env,
        )  # fmt: skip
    progress(customers, "building the prepared facts from scratch")
    prepared_seconds, prepared_mib, _ = measured(
        dbt("run", "--full-refresh", "-s", *PREPARED_FACTS, target=target, logs=logs), env
    )
    # Parse first, untimed: the stage figure is then the same whether or not an earlier run
    # (for example the RFM step below, whose memory limit changes the profile) left dbt a
    # partial-parse cache it can use.
    progress(customers, "parsing the project, then timing the attribute stage")
    parse = dbt("parse", target=target, logs=logs)
    subprocess.run(parse, cwd=PROJECT_DIR, env=env, check=True, capture_output=True)
    stage_seconds, stage_mib, _ = measured(
        dbt(
            "run", "-s", *ATTRIBUTE_SELECTOR, "--exclude", *PREPARED_FACTS, target=target, logs=logs
        ),
        env,
    )
    run_results = json.loads((target / "run_results.json").read_text())
    node_seconds = {
        r["unique_id"].split(".")[-1]: r["execution_time"] for r in run_results["results"]
    }
    stage_sql_seconds = sum(node_seconds.values())
    progress(customers, f"attribute stage {stage_seconds:.1f} s; timing the RFM step alone")
    # The RFM step on its own (one dbt thread, so no other model shares the cores): the sum of
    # its models' execution times, like the single query measured alone below. --full-refresh:
    # it converts every order, as the query does.
    rfm_env = {**env, "DUCKDB_MEMORY_LIMIT": rfm_memory_limit} if rfm_memory_limit else env
    _, rfm_mib, _ = measured(
        dbt("run", "--threads", "1", "--full-refresh", "-s", *RFM_MODELS, target=target, logs=logs),
        rfm_env,
    )
    rfm_results = json.loads((target / "run_results.json").read_text())["results"]
    rfm_seconds = sum(
        r["execution_time"] for r in rfm_results if r["unique_id"].startswith("model.")
    )
    progress(
        customers, f"RFM step {rfm_seconds:.2f} s; timing its SQL, pandas, one query and the floor"
    )
    script = [sys.executable, str(Path(__file__).resolve())]
    compiled_rfm = next(
        target.glob("compiled/**/intermediate/attributes/int_customer_rfm_scored.sql")
    )
    rfm_sql_seconds, rfm_sql_mib, rfm_sql_out = measured(
        [*script, "--project-rfm-sql", str(database), str(compiled_rfm), rfm_memory_limit], env
    )
    pandas_seconds, pandas_mib, pandas_out = measured([*script, "--pandas-rfm", str(database)], env)
    duck_seconds, duck_mib, duck_out = measured([*script, "--duckdb-rfm", str(database)], env)
    # The three RFM implementations must describe the same customers, or their times do not
    # compare: same rows (customers) and same scored customers (with a completed purchase).
    rfm_counts = {
        name: rfm_row_counts(out)
        for name, out in (("project_sql", rfm_sql_out), ("pandas", pandas_out), ("query", duck_out))
    }
    if len(set(rfm_counts.values())) != 1:
        sys.exit(f"the RFM implementations disagree (rows, scored): {rfm_counts}")
    _, floor_mib, floor_out = measured([*script, "--floor-passes", str(database)], env)
    floor_seconds = json.loads(floor_out.strip().splitlines()[-1])
    floor_total = sum(floor_seconds.values())
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        orders = con.sql(f"select count(*) from {relation(con, 'stg_commerce__orders')}").fetchall()
    # the RFM comparisons, unrounded: rounded in the JSON, judged against TARGETS as they are
    rfm_ratios = {
        "rfm_step_vs_query": rfm_seconds / duck_seconds,
        "pandas_vs_rfm_step": pandas_seconds / rfm_seconds,
        "rfm_sql_peak_vs_pandas_peak": rfm_sql_mib / pandas_mib,
    }
    result = {
        "customers": customers,
        "orders": orders[0][0],
        "reused_upstream": reused,
        "rfm_memory_limit": rfm_memory_limit or "DuckDB default (80% of RAM)",
        "generate_s": round(generate_seconds, 1),
        "upstream_build_s": round(upstream_seconds, 1),
        "upstream_peak_mib": round(upstream_mib),
        "prepared_facts_s": round(prepared_seconds, 1),
        "prepared_facts_peak_mib": round(prepared_mib),
        "attribute_stage_wall_s": round(stage_seconds, 1),
        "attribute_stage_sql_s": round(stage_sql_seconds, 1),
        "attribute_stage_peak_mib": round(stage_mib),
        "project_rfm_step_s": round(rfm_seconds, 2),
        "project_rfm_step_peak_mib": round(rfm_mib),
        "project_rfm_sql_s": round(rfm_sql_seconds, 2),
        "project_rfm_sql_peak_mib": round(rfm_sql_mib),
        "pandas_rfm_s": round(pandas_seconds, 2),
        "pandas_rfm_peak_mib": round(pandas_mib),
        "duckdb_query_rfm_s": round(duck_seconds, 2),
        "duckdb_query_rfm_peak_mib": round(duck_mib),
        "rfm_rows_and_scored": list(rfm_counts["query"]),
        **{name: round(ratio, 2) for name, ratio in rfm_ratios.items()},
        "fact_pass_floor_s": floor_seconds,
        "fact_pass_floor_total_s": round(floor_total, 2),
        "fact_pass_floor_peak_mib": round(floor_mib),
        "attribute_stage_vs_floor": round(stage_seconds / floor_total, 2),
        "attribute_stage_vs_query": round(stage_seconds / duck_seconds, 1),
        "slowest_attribute_models": sorted(node_seconds.items(), key=lambda kv: -kv[1])[:5],
        "attribute_stage_models": sorted(node_seconds),
    }
    result["targets"] = target_verdicts(
        {
            **rfm_ratios,
            "attribute_stage_wall_s": stage_seconds,
            "attribute_stage_vs_floor": stage_seconds / floor_total,
        }
    )
    missed = [f"{v['target']} ({v['value']}, {v['limit']})" for v in result["targets"].values()
              if not v["met"]]  # fmt: skip
    progress(
        customers,
        f"{len(TARGETS) - len(missed)} of {len(TARGETS)} targets met"
        + (f"; missed: {'; '.join(missed)}" if missed else ""),
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[100_000])
    parser.add_argument("--orders-per-customer", type=float, default=10.0)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/custseg_bench_attributes"))
    parser.add_argument("--format", default="parquet", choices=["csv", "parquet"])
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the landing zone and upstream build of an earlier run in --workdir: "
        "measure the stage only",
    )
    parser.add_argument("--pandas-rfm", metavar="DATABASE", help=argparse.SUPPRESS)
    parser.add_argument("--duckdb-rfm", metavar="DATABASE", help=argparse.SUPPRESS)
    parser.add_argument(
        "--rfm-memory-limit",
        default="",
        help="DuckDB memory_limit for the project's RFM step runs (e.g. 1500MB; default: none)",
    )
    parser.add_argument("--project-rfm-sql", nargs=3, metavar="X", help=argparse.SUPPRESS)
    parser.add_argument("--floor-passes", metavar="DATABASE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pandas_rfm:
        run_pandas_rfm(args.pandas_rfm)
        return
    if args.duckdb_rfm:
        run_duckdb_rfm(args.duckdb_rfm)
        return
    if args.project_rfm_sql:
        run_project_rfm_sql(*args.project_rfm_sql)
        return
    if args.floor_passes:
        run_floor_passes(args.floor_passes)
        return
    if not Path("/usr/bin/time").exists():
        sys.exit("the benchmark needs GNU time at /usr/bin/time (Debian package `time`)")
    args.workdir.mkdir(parents=True, exist_ok=True)
    for customers in args.customers:
        result = bench(
            customers,
            args.orders_per_customer,
            args.workdir,
            args.format,
            args.reuse,
            args.rfm_memory_limit,
        )
        print(json.dumps(result, indent=2), flush=True)


if __name__ == "__main__":
    main()
