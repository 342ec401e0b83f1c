"""The phases of one ``custseg refresh`` (custseg/refresh.py holds the lock, the run log and
the command line): validate, build into the shadow, audit, export, publish."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path
from typing import Any

import duckdb

from custseg import publish
from custseg import report as html_report
from custseg.refresh import (
    EXIT_AUDIT_FAILED,
    EXIT_BUILD_FAILED,
    EXIT_PUBLISH_FAILED,
    EXIT_PUBLISHED,
    EXIT_VALIDATION_FAILED,
    Paths,
    Run,
    landing_files,
    pause_at,
    read_journal,
    remove_old_shadows,
    run_dbt,
    test_results,
    write_ops_tables,
)


def refresh(args: argparse.Namespace, paths: Paths, run: Run) -> tuple[int, str]:
    """Run the phases; (exit code, message). Nothing is published unless every phase passed."""
    from custseg import cli, contract

    raw_dir = Path(run.raw_dir)
    dbt_vars = contract.parse_vars(args.vars) if args.vars else None
    project = Path(args.project_dir).resolve() if args.project_dir else cli.PROJECT_DIR
    print(f"refresh {run.run_id}: landing zone {raw_dir}, published database {paths.published}")
    earlier = [r for r in read_journal(paths.journal) if r["run_id"] != run.run_id]
    if earlier and earlier[-1]["status"] == "interrupted":
        print(f"      the previous refresh {earlier[-1]['run_id']} was interrupted")
    remove_old_shadows(paths, keep=run.run_id)
    try:
        publish.check_not_written_in_place(paths.published)
    except publish.PublishError as error:
        return EXIT_PUBLISH_FAILED, str(error)
    run.files = landing_files(raw_dir, dbt_vars)

    print("[1/5] Validating the landing zone with Great Expectations", flush=True)
    pause_at("validate")
    if args.skip_validation:
        print("      skipped (--skip-validation)")
    elif not validate(raw_dir, dbt_vars, run, None if args.full_refresh else paths.published):
        return EXIT_VALIDATION_FAILED, "validation failed: nothing was built (see the Data Docs)"

    shadow_dir = paths.shadow_dir(run.run_id)
    shadow = publish.make_shadow(paths.published, shadow_dir)
    print(f"[2/5] Building the shadow {shadow}", flush=True)
    pause_at("build")
    env = {
        **os.environ,
        "RAW_DIR": str(raw_dir),
        "DUCKDB_PATH": str(shadow),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    given_vars = ["--vars", args.vars] if args.vars else []
    build = ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
    build += given_vars + (["--full-refresh"] if args.full_refresh else [])
    code = run_dbt(build, env, paths, project)
    kept = f"the shadow stays in {shadow_dir} until the next refresh"
    if code != 0:
        return EXIT_BUILD_FAILED, f"dbt build failed (exit code {code}); {kept}"
    run.rows_per_source = rows_per_source(shadow)

    print("[3/5] Auditing the shadow: dbt data tests and unit tests", flush=True)
    pause_at("audit")
    (paths.dbt_target / "run_results.json").unlink(missing_ok=True)
    code = run_dbt(["test", *given_vars], env, paths, project)
    run.tests_passed, run.failed_tests = test_results(paths.dbt_target)
    run.tests_failed = len(run.failed_tests)
    if code != 0 or run.failed_tests:
        named = ", ".join(run.failed_tests) or f"dbt test exit code {code}"
        return EXIT_AUDIT_FAILED, f"audit failed, nothing published: {named}; {kept}"
    print(f"      {run.tests_passed} tests passed", flush=True)

    return export_and_publish(args, paths, run, shadow, earlier)


def export_and_publish(
    args: argparse.Namespace, paths: Paths, run: Run, shadow: Path, earlier: list[dict[str, Any]]
) -> tuple[int, str]:
    """Phases 4 and 5, on an audited shadow."""
    print(f"[4/5] Exporting the marts to Parquet for {paths.exports / 'runs' / run.run_id}")
    pause_at("export")
    with duckdb.connect(str(shadow)) as con:
        manifest = publication_manifest(con, run)
        published_run = Run(**{**run.record(), "status": "published", "published": True})
        published_run.ended_at = publish.utc_now().isoformat()
        write_ops_tables(con, published_run, earlier, manifest)
        exported = publish.export_parquet(con, paths.exports, manifest)
    print(f"      {len(manifest['tables'])} marts, manifest.json", flush=True)
    html_report.write_report(shadow, exported)  # report.html and report.json beside them

    print(f"[5/5] Publishing: {shadow} -> {paths.published}", flush=True)
    pause_at("publish")
    try:
        publish.publish(shadow, paths.published)
    except publish.PublishError as error:
        return EXIT_PUBLISH_FAILED, f"{error}; the shadow stays in {shadow.parent}"
    run.published = True
    run.export_dir = str(publish.complete_export(exported, run.run_id))
    publish.point_latest(paths.exports, run.run_id)
    pruned = publish.prune_exports(paths.exports, args.keep_exports)
    shutil.rmtree(shadow.parent, ignore_errors=True)
    print(f"      published; exports/latest -> runs/{run.run_id}; pruned: {len(pruned)}")
    print(f"Report: {Path(run.export_dir) / html_report.HTML_NAME}")
    return EXIT_PUBLISHED, "published"


def validate(
    raw_dir: Path, dbt_vars: dict[str, Any] | None, run: Run, published: Path | None
) -> bool:
    """The landing zone's checkpoint; with the `published` database, only the files its
    delivery ledger does not hold (a --full-refresh validates every file)."""
    from custseg import cli, quality

    report = quality.validate_landing_zone(
        raw_dir,
        docs_dir=quality.default_docs_dir(),
        reference_time=cli.sample_end_time(raw_dir),
        progress=lambda line: print(f"      {line}", flush=True),
        dbt_vars=dbt_vars,
        taken=taken_files(published) if published else None,
    )
    print("\n".join("      " + line for line in report.summary_lines()), flush=True)
    run.rows_per_source = {r.source: r.rows for r in report.sources if r.file}
    return report.success


def taken_files(database: Path) -> dict[str, list[str]]:
    """The landing files earlier runs took, per source (paths relative to the landing zone):
    the delivery ledger of the published database; none before the first publication."""
    if not database.exists():
        return {}
    with duckdb.connect(str(database), read_only=True) as con:
        (found,) = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'delivery_ledger'"
        ).fetchone()
        if not found:
            return {}
        taken: dict[str, list[str]] = {}
        for source, file_path in con.execute(
            "select source, file_path from marts.delivery_ledger order by file_path"
        ).fetchall():
            taken.setdefault(source, []).append(file_path)
        return taken


def rows_per_source(database: Path) -> dict[str, int]:
    """Landing rows per delivered source, from the shadow's row accounting."""
    with duckdb.connect(str(database), read_only=True) as con:
        return dict(
            con.execute(
                "select source, raw_rows from marts.source_reconciliation "
                "where is_delivered order by source"
            ).fetchall()
        )


def publication_manifest(con: duckdb.DuckDBPyConnection, run: Run) -> dict[str, Any]:
    """What the export's manifest.json and `ops.published_marts` say of this run."""
    as_of = con.execute("select max(as_of_date) from marts.customer_attributes").fetchone()[0]
    return {
        "run_id": run.run_id,
        "as_of_date": as_of.isoformat() if as_of else None,
        "started_at": run.started_at,
        "raw_dir": run.raw_dir,
        "tables": [table.__dict__ for table in publish.describe_marts(con)],
    }
