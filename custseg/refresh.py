"""``custseg refresh``: the command a scheduler runs. Write-audit-publish:

1. lock (a second refresh exits at once, naming the running one);
2. validate the landing zone with the Great Expectations checkpoint;
3. build into a shadow copy of the published database that no reader sees;
4. audit the shadow: every dbt data test and unit test (row accounting included);
5. export every mart to Parquet (one folder per run, a manifest, a `latest` link);
6. publish: the shadow replaces the published file in one rename.

Every run is recorded in the run log (a journal in the refresh folder, and `ops.refresh_runs`
in the published database) and ends with one JSON line on stdout. docs/refresh.md documents
the layout, the exit codes and how BI tools read the published data.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from custseg import publish

EXIT_PUBLISHED = 0
EXIT_BUILD_FAILED = 1
EXIT_VALIDATION_FAILED = 3
EXIT_AUDIT_FAILED = 4
EXIT_LOCKED = 5
EXIT_PUBLISH_FAILED = 6
STATUS_BY_EXIT = {
    EXIT_PUBLISHED: "published",
    EXIT_BUILD_FAILED: "build_failed",
    EXIT_VALIDATION_FAILED: "validation_failed",
    EXIT_AUDIT_FAILED: "audit_failed",
    EXIT_LOCKED: "locked",
    EXIT_PUBLISH_FAILED: "publish_failed",
}
PHASES = ("validate", "build", "audit", "export", "publish")
DEFAULT_KEEP_EXPORTS = 7


@dataclass
class Paths:
    published: Path  # DUCKDB_PATH: the database readers open
    work: Path  # lock, run journal, shadows
    exports: Path  # runs/<run_id>/, latest

    @property
    def lock(self) -> Path:
        return self.work / "refresh.lock"

    @property
    def journal(self) -> Path:
        return self.work / "runs.jsonl"

    def shadow_dir(self, run_id: str) -> Path:
        return self.work / "shadow" / run_id

    @property
    def dbt_target(self) -> Path:
        """dbt's target folder, kept across runs so that dbt parses only what changed."""
        return self.work / "target"


def paths_from(args: argparse.Namespace) -> Paths:
    from custseg import cli

    published = cli.duckdb_path()
    work = args.work_dir or os.environ.get("CUSTSEG_REFRESH_DIR")
    exports = args.export_dir or os.environ.get("CUSTSEG_EXPORT_DIR")
    return Paths(
        published,
        Path(work).resolve() if work else published.with_name(published.stem + ".refresh"),
        Path(exports).resolve() if exports else published.parent / "exports",
    )


@dataclass
class Run:
    """What the run log keeps of one refresh."""

    run_id: str
    started_at: str
    raw_dir: str
    database: str
    status: str = "running"
    exit_code: int | None = None
    ended_at: str | None = None
    published: bool = False
    message: str = ""
    files: list[dict[str, Any]] = field(default_factory=list)
    rows_per_source: dict[str, int] = field(default_factory=dict)
    tests_passed: int = 0
    tests_failed: int = 0
    failed_tests: list[str] = field(default_factory=list)
    export_dir: str | None = None

    def record(self) -> dict[str, Any]:
        return dict(self.__dict__)


def read_journal(journal: Path) -> list[dict[str, Any]]:
    """Every run in the journal, its last record winning; a run that started and never
    finished (killed) is `interrupted`."""
    runs: dict[str, dict[str, Any]] = {}
    if journal.exists():
        for line in journal.read_text().splitlines():
            if line.strip():
                record = json.loads(line)
                runs[record["run_id"]] = record
    for record in runs.values():
        if record.get("status") == "running":
            record["status"] = "interrupted"
    return sorted(runs.values(), key=lambda record: record["run_id"])


def append_journal(journal: Path, run: Run) -> None:
    """One record, in one write to a file opened for appending (whole lines, even beside a
    refused run's record)."""
    fd = os.open(journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (json.dumps(run.record(), default=str) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """dbt runs as a child that the kernel kills when the refresh dies (even by SIGKILL), so
    no orphan keeps writing a shadow."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def run_dbt(command: list[str], env: dict[str, str], paths: Paths, project: Path) -> int:
    """One dbt command on the shadow (DUCKDB_PATH in `env`), its output streamed with an
    indent."""
    from custseg import cli

    full = [cli.dbt_executable(), *command, "--project-dir", str(project)]
    full += ["--profiles-dir", str(project), "--target-path", str(paths.dbt_target)]
    full += ["--log-path", str(paths.work / "logs")]
    child = subprocess.Popen(
        full,
        env=env,
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        preexec_fn=_die_with_parent,  # noqa: PLW1509 - no threads run dbt here
    )
    assert child.stdout is not None
    for line in child.stdout:
        print("      " + line, end="", flush=True)
    return child.wait()


def test_results(target: Path) -> tuple[int, list[str]]:
    """(tests passed, names of tests failed or in error) from dbt's run_results.json."""
    if not (target / "run_results.json").exists():  # dbt stopped before running tests
        return 0, []
    results = json.loads((target / "run_results.json").read_text())["results"]
    passed = sum(1 for r in results if r["status"] in ("pass", "warn"))
    failed = sorted(r["unique_id"] for r in results if r["status"] in ("fail", "error"))
    return passed, failed


def landing_files(raw_dir: Path, dbt_vars: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Every landing file the run takes: source, path, size, modification time."""
    from custseg import contract, landing, quality

    settings = quality.landing_settings(dbt_vars)
    taken = []
    for source in contract.source_names():
        try:
            delivery = landing.find(raw_dir, source, settings)
        except landing.LandingError:
            continue  # the checkpoint and dbt name the problem
        for path in delivery.files if delivery else ():
            stat = path.stat()
            taken.append(
                {"source": source, "path": str(path), "bytes": stat.st_size, "mtime": stat.st_mtime}
            )
    return taken


def pause_at(phase: str) -> None:
    """CUSTSEG_REFRESH_PAUSE=<phase>:<seconds> holds the refresh at the start of a phase (the
    tests kill it there); unset in normal use."""
    wanted = os.environ.get("CUSTSEG_REFRESH_PAUSE", "")
    if wanted.split(":")[0] == phase:
        seconds = float(wanted.split(":")[1]) if ":" in wanted else 60.0
        print(f"      paused before {phase} for {seconds:g}s (CUSTSEG_REFRESH_PAUSE)", flush=True)
        time.sleep(seconds)


def write_ops_tables(con: Any, run: Run, earlier: list[dict[str, Any]], manifest: dict) -> None:
    """`ops.refresh_runs` (every run so far, this one as published) and `ops.published_marts`
    (this run's manifest) in the shadow, so readers of the published file see both."""
    con.execute("create schema if not exists ops")
    con.execute(
        "create or replace table ops.refresh_runs (run_id varchar primary key, "
        "started_at timestamptz, ended_at timestamptz, status varchar, exit_code integer, "
        "is_published boolean, raw_dir varchar, files_taken integer, landing_rows bigint, "
        "rows_per_source json, tests_passed integer, tests_failed integer, "
        "failed_tests varchar[], message varchar)"
    )
    for record in [*earlier, run.record()]:
        con.execute(
            "insert into ops.refresh_runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                record["run_id"],
                record["started_at"],
                record.get("ended_at"),
                record["status"],
                record.get("exit_code"),
                bool(record.get("published")),
                record.get("raw_dir"),
                len(record.get("files") or []),
                sum((record.get("rows_per_source") or {}).values()),
                json.dumps(record.get("rows_per_source") or {}),
                record.get("tests_passed") or 0,
                record.get("tests_failed") or 0,
                record.get("failed_tests") or [],
                record.get("message") or "",
            ],
        )
    con.execute(
        "create or replace table ops.published_marts (run_id varchar, as_of_date date, "
        "table_name varchar primary key, table_type varchar, row_count bigint, columns json)"
    )
    for table in manifest["tables"]:
        con.execute(
            "insert into ops.published_marts values (?, ?, ?, ?, ?, ?)",
            [
                manifest["run_id"],
                manifest["as_of_date"],
                table["name"],
                table["kind"],
                table["rows"],
                json.dumps(table["columns"]),
            ],
        )


def new_run_id() -> str:
    return publish.utc_now().strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


def register(subparsers: Any) -> None:
    refresh = subparsers.add_parser(
        "refresh",
        help="scheduled refresh: lock, validate, build a shadow, audit, export, publish",
        description=__doc__.split("\n\n")[0],
    )
    refresh.add_argument("--raw-dir", help="landing zone (default: RAW_DIR, else sample_data)")
    refresh.add_argument("--vars", help="dbt vars, as `dbt --vars` takes them")
    refresh.add_argument("--skip-validation", action="store_true", help="no GX checkpoint")
    refresh.add_argument("--full-refresh", action="store_true", help="dbt build --full-refresh")
    refresh.add_argument(
        "--work-dir", help="lock, run journal, shadows (CUSTSEG_REFRESH_DIR; <db>.refresh/)"
    )
    refresh.add_argument(
        "--export-dir", help="Parquet exports (CUSTSEG_EXPORT_DIR; exports/ beside the database)"
    )
    refresh.add_argument(
        "--keep-exports",
        type=int,
        default=int(os.environ.get("CUSTSEG_KEEP_EXPORTS", DEFAULT_KEEP_EXPORTS)),
        help=f"run folders of exports kept (CUSTSEG_KEEP_EXPORTS; {DEFAULT_KEEP_EXPORTS})",
    )
    refresh.add_argument(
        "--project-dir", help="the dbt project to build (default: this package's project)"
    )
    refresh.set_defaults(func=cmd_refresh)


def cmd_refresh(args: argparse.Namespace) -> int:
    from custseg import cli

    paths = paths_from(args)
    run = Run(
        run_id=new_run_id(),
        started_at=publish.utc_now().isoformat(),
        raw_dir=str(cli.raw_dir_from(args.raw_dir)),
        database=str(paths.published),
    )
    lock = publish.RefreshLock(paths.lock)
    try:
        lock.acquire({"run_id": run.run_id, "pid": os.getpid(), **run.record()})
    except publish.Locked as refused:
        print(f"refresh {run.run_id} refused: {refused}", flush=True)
        run.status, run.exit_code, run.message = "locked", EXIT_LOCKED, str(refused)
        run.ended_at = run.started_at
        append_journal(paths.journal, run)  # one O_APPEND write: safe beside the holder's
        print(json.dumps(summary(run)), flush=True)
        return EXIT_LOCKED
    try:
        from custseg import refresh_steps

        append_journal(paths.journal, run)  # a run killed from here on reads `interrupted`
        try:
            code, run.message = refresh_steps.refresh(args, paths, run)
        except Exception as error:  # recorded in the run log, then shown
            import traceback

            traceback.print_exc()
            code, run.message = EXIT_BUILD_FAILED, f"{type(error).__name__}: {error}"
        run.exit_code, run.status = code, STATUS_BY_EXIT[code]
        run.ended_at = publish.utc_now().isoformat()
        append_journal(paths.journal, run)
    finally:
        lock.release()
    print(json.dumps(summary(run)), flush=True)
    return code


def summary(run: Run) -> dict[str, Any]:
    """The one JSON line a refresh ends with."""
    record = run.record()
    record["files_taken"] = len(record.pop("files"))
    return record


def remove_old_shadows(paths: Paths, keep: str) -> None:
    """Shadows of earlier runs (killed or failed, kept for inspection until now)."""
    shadows = paths.work / "shadow"
    for folder in shadows.iterdir() if shadows.is_dir() else ():
        if folder.name != keep:
            shutil.rmtree(folder, ignore_errors=True)
