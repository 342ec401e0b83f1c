"""Command line of the project: generate a landing zone, validate it, build, summarise.

``custseg run`` is the main job end to end: a sample landing zone (unless RAW_DIR or --raw-dir
points at real data), the Great Expectations checkpoint, ``dbt build``, a short summary and the
HTML report (``custseg report``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from custseg import contract, generate, quality, refresh
from custseg import report as html_report

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_SAMPLE_DIR = PROJECT_DIR / "sample_data"
DEFAULT_CUSTOMERS = 5000


def duckdb_path() -> Path:
    """The DuckDB file dbt writes: DUCKDB_PATH, else customer_segments.duckdb in the project."""
    value = os.environ.get("DUCKDB_PATH")
    path = Path(value) if value else PROJECT_DIR / "customer_segments.duckdb"
    return path if path.is_absolute() else (PROJECT_DIR / path)


def raw_dir_from(args_value: str | None) -> Path:
    """The landing zone: --raw-dir, else the RAW_DIR environment variable, else the sample."""
    value = args_value or os.environ.get("RAW_DIR")
    return Path(value).resolve() if value else DEFAULT_SAMPLE_DIR


def sample_end_time(raw_dir: Path):
    """The end of a generated sample (its manifest), so freshness is judged against it."""
    import json
    from datetime import datetime, timezone

    manifest = raw_dir / "_truth" / "manifest.json"
    if not manifest.exists():
        return None
    end_date = json.loads(manifest.read_text()).get("end_date")
    if not end_date:
        return None
    moment = datetime.fromisoformat(str(end_date))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def dbt_executable() -> str:
    """The dbt script installed beside this interpreter (falls back to `dbt` on PATH)."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(command: list[str], raw_dir: Path, extra_env: dict[str, str] | None = None) -> int:
    """Run one dbt command in the project with the landing zone and database set; stream output."""
    database = duckdb_path()
    database.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "RAW_DIR": str(raw_dir),
        "DUCKDB_PATH": str(database),
        **(extra_env or {}),
    }
    full = [dbt_executable(), *command, "--project-dir", str(PROJECT_DIR)]
    full += ["--profiles-dir", str(PROJECT_DIR)]
    print(f"$ dbt {' '.join(command)}  (RAW_DIR={raw_dir}, DUCKDB_PATH={database})", flush=True)
    return subprocess.call(full, env=env, cwd=PROJECT_DIR)


def summary_lines(database: Path) -> list[str]:
    """What the build produced: every public table with its rows, and the input reconciliation."""
    import duckdb

    if not database.exists():
        return [f"no database at {database}"]
    lines = [f"Database: {database}"]
    with duckdb.connect(str(database), read_only=True) as con:
        tables = con.execute(
            "select table_name, table_type from information_schema.tables "
            "where table_schema = 'marts' order by table_name"
        ).fetchall()
        lines.append(f"Public tables in schema marts ({len(tables)}):")
        for name, kind in tables:
            rows = con.execute(f'select count(*) from marts."{name}"').fetchone()[0]
            label = "view" if kind == "VIEW" else "table"
            lines.append(f"  {name:<40} {rows:>12,} rows ({label})")
        names = {name for name, _ in tables}
        if "source_reconciliation" in names:
            lines.append("Landing zone (raw = clean + quarantined + superseded):")
            lines.append(
                f"  {'source':<20} {'raw':>10} {'clean':>10} {'quarantined':>12} {'superseded':>11}"
            )
            for row in con.execute(
                "select source, raw_rows, clean_rows, quarantined_rows, superseded_rows "
                "from marts.source_reconciliation where is_delivered order by source"
            ).fetchall():
                lines.append(
                    f"  {row[0]:<20} {row[1]:>10,} {row[2]:>10,} {row[3]:>12,} {row[4]:>11,}"
                )
        if "quarantined_rows" in names:
            top = con.execute(
                "select rule, count(*) as n from marts.quarantined_rows "
                "group by rule order by n desc, rule limit 8"
            ).fetchall()
            if top:
                shown = ", ".join(f"{rule} {n:,}" for rule, n in top)
                lines.append(f"Most frequent quarantine rules: {shown}")
        if "segment_summary" in names:
            top = con.execute(
                "select segment_key, members_count from marts.segment_summary "
                "where as_of_date = (select max(as_of_date) from marts.segment_summary) "
                "order by members_count desc, segment_key limit 8"
            ).fetchall()
            if top:
                lines.append("Largest segments: " + ", ".join(f"{k} {n:,}" for k, n in top))
    return lines


def dbt_vars_from(dbt_args: list[str]) -> dict | None:
    """The `--vars` among the arguments for dbt, so that the checkpoint reads the code lists
    dbt will use."""
    for position, arg in enumerate(dbt_args):
        if arg == "--vars" and position + 1 < len(dbt_args):
            return contract.parse_vars(dbt_args[position + 1])
        if arg.startswith("--vars="):
            return contract.parse_vars(arg.split("=", 1)[1])
    return None


def cmd_build(args: argparse.Namespace) -> int:
    raw_dir = raw_dir_from(args.raw_dir)
    started = time.perf_counter()
    code = run_dbt(["build", *args.dbt_args], raw_dir)
    print(f"dbt build finished in {time.perf_counter() - started:.1f}s with exit code {code}")
    if code == 0:
        print("\n".join(summary_lines(duckdb_path())))
    return code


def cmd_summary(args: argparse.Namespace) -> int:
    print("\n".join(summary_lines(duckdb_path())))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Sample (when no landing zone is given), validate, build, summarise."""
    started = time.perf_counter()
    raw_dir = raw_dir_from(args.raw_dir)
    if not args.raw_dir and not os.environ.get("RAW_DIR"):
        if args.regenerate or not (raw_dir / "orders.csv").exists():
            print(f"[1/4] Generating a sample of {args.customers:,} customers", flush=True)
            counts = generate.generate(raw_dir, customers=args.customers, seed=args.seed)
            total = sum(counts.values())
            print(f"      wrote {total:,} rows in {len(counts)} sources to {raw_dir}")
        else:
            print(f"[1/4] Using the sample in {raw_dir} (--regenerate to remake it)")
    else:
        print(f"[1/4] Using the landing zone {raw_dir}")
    if args.skip_validation:
        print("[2/4] Input validation skipped (--skip-validation)")
    else:
        print("[2/4] Validating the landing zone with Great Expectations", flush=True)
        report = quality.validate_landing_zone(
            raw_dir,
            docs_dir=quality.default_docs_dir(),
            reference_time=args.reference_time or sample_end_time(raw_dir),
            progress=lambda line: print(f"      {line}", flush=True),
            dbt_vars=dbt_vars_from(args.dbt_args),
        )
        print("\n".join(report.summary_lines()))
        if not report.success:
            print("Input validation failed: nothing was built. See the Data Docs above.")
            return 1
    print("[3/4] dbt build", flush=True)
    code = run_dbt(["build", *args.dbt_args], raw_dir)
    if code != 0:
        print(f"dbt build failed (exit code {code}); see the dbt output above.")
        return code
    print("[4/4] Summary")
    print("\n".join(summary_lines(duckdb_path())))
    print(f"Report: {html_report.write_report(duckdb_path(), html_report.default_out_dir())}")
    print(f"Done in {time.perf_counter() - started:.1f}s.")
    return 0


def _reference_time(text: str):
    from datetime import datetime, timezone

    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="custseg",
        description="Customer segments: generate, validate and build the warehouse.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    generate.register(sub)
    quality.register(sub)
    refresh.register(sub)
    html_report.register(sub)

    run = sub.add_parser("run", help="the main job end to end: sample, validate, build, summary")
    run.add_argument("--raw-dir", help="landing zone (default: RAW_DIR, else a generated sample)")
    run.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS, help="sample size")
    run.add_argument("--seed", type=int, default=42, help="sample seed")
    run.add_argument("--regenerate", action="store_true", help="remake the sample")
    run.add_argument("--skip-validation", action="store_true", help="skip the GX checkpoint")
    run.add_argument(
        "--reference-time",
        type=_reference_time,
        default=None,
        help="freshness reference time (ISO-8601; default: the sample's end date or now)",
    )
    run.add_argument("dbt_args", nargs=argparse.REMAINDER, help="extra arguments for dbt build")
    run.set_defaults(func=cmd_run)

    build = sub.add_parser("build", help="dbt build on a landing zone, then the summary")
    build.add_argument("--raw-dir", help="landing zone (default: RAW_DIR, else sample_data)")
    build.add_argument("dbt_args", nargs=argparse.REMAINDER, help="extra arguments for dbt build")
    build.set_defaults(func=cmd_build)

    summary = sub.add_parser("summary", help="print what the last build produced")
    summary.set_defaults(func=cmd_summary)
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; the `--` that separates dbt's arguments is not passed on to dbt."""
    args = build_parser().parse_args(argv)
    if getattr(args, "dbt_args", None) and args.dbt_args[0] == "--":
        args.dbt_args = args.dbt_args[1:]
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sys.exit(args.func(args) or 0)


if __name__ == "__main__":
    main()
