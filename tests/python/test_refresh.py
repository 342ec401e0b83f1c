"""`custseg refresh`: write-audit-publish on real builds.

One published database is refreshed again and again in this module (its tests run in order,
on one worker): a first refresh publishes landing zone A; refreshes are then killed with
SIGKILL during validation, mid-build, during the audit and just before publish (the published
file must stay the same bytes and readable, no dbt process may outlive the refresh); a second
refresh started while one runs is refused; a refresh of landing zone B then publishes while a
reader process queries the published marts in a loop (it must never error, and every answer
must come from one run: each mart's row count equals what `ops.published_marts` of the same
file records for its run id, and A and B differ); a project with a failing data test is
audited and not published. The Parquet export is read with pyarrow.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import PROJECT_DIR

from custseg.generate import generate
from custseg.refresh import EXIT_AUDIT_FAILED, EXIT_LOCKED, EXIT_PUBLISHED, read_journal

CUSTSEG = str(Path(sys.executable).parent / "custseg")


class Home:
    """Two landing zones and the published database with its refresh and export folders."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.raw_a, self.raw_b = root / "raw_a", root / "raw_b"
        self.database = root / "bi" / "warehouse.duckdb"
        self.work = root / "bi" / "warehouse.refresh"
        self.exports = root / "bi" / "exports"
        self.database.parent.mkdir(parents=True)

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DUCKDB_PATH": str(self.database),
            "GX_DOCS_DIR": str(self.root / "gx_docs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    def start(self, raw: Path, *args: str, **extra: str) -> subprocess.Popen:
        return subprocess.Popen(
            [CUSTSEG, "refresh", "--raw-dir", str(raw), *args],
            env=self.env(**extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )

    def run(self, raw: Path, *args: str, **extra: str) -> tuple[int, str, dict]:
        done = subprocess.run(
            [CUSTSEG, "refresh", "--raw-dir", str(raw), *args],
            env=self.env(**extra),
            capture_output=True,
            text=True,
        )
        lines = done.stdout.strip().splitlines()
        return done.returncode, done.stdout + done.stderr, json.loads(lines[-1]) if lines else {}

    def digest(self) -> str:
        return hashlib.sha256(self.database.read_bytes()).hexdigest()


def published_answer(database: Path) -> tuple[str, dict[str, int], dict[str, int]]:
    """(run id, row count per mart by the manifest, row count per mart counted), in one
    connection: what a BI reader sees."""
    with duckdb.connect(str(database), read_only=True) as con:
        manifest = con.execute(
            "select run_id, table_name, row_count from ops.published_marts"
        ).fetchall()
        counted = {
            name: con.execute(f'select count(*) from marts."{name}"').fetchone()[0]
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
    run_ids = {run_id for run_id, _, _ in manifest}
    assert len(run_ids) == 1, run_ids
    return run_ids.pop(), {name: rows for _, name, rows in manifest}, counted


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("refresh"))
    generate(home.raw_a, customers=120, seed=3)
    generate(home.raw_b, customers=160, seed=4)
    return home


@pytest.fixture(scope="module")
def first(home: Home) -> dict:
    code, output, result = home.run(home.raw_a, "--keep-exports", "2")
    assert code == EXIT_PUBLISHED, output[-6000:]
    return result


def test_a_refresh_publishes_every_mart_with_its_manifest_and_parquet_export(
    home: Home, first: dict
) -> None:
    assert first["status"] == "published" and first["published"] is True
    assert first["files_taken"] >= 10 and first["rows_per_source"]["orders"] > 100
    assert first["tests_passed"] > 100 and first["tests_failed"] == 0
    run_id, manifest, counted = published_answer(home.database)
    assert run_id == first["run_id"]
    assert manifest == counted and counted["customers"] > 100
    with duckdb.connect(str(home.database), read_only=True) as con:
        logged = con.execute(
            "select status, is_published, tests_passed, files_taken, rows_per_source->>'orders'"
            " from ops.refresh_runs where run_id = ?",
            [run_id],
        ).fetchone()
    assert logged == (
        "published",
        True,
        first["tests_passed"],
        first["files_taken"],
        str(first["rows_per_source"]["orders"]),
    )
    # The export, read without DuckDB: every mart, with the manifest's rows and columns.
    latest = home.exports / "latest"
    assert latest.resolve() == (home.exports / "runs" / run_id).resolve()
    assert (home.exports / "LATEST").read_text().strip() == run_id
    exported = json.loads((latest / "manifest.json").read_text())
    assert exported["run_id"] == run_id and exported["as_of_date"]
    assert {t["name"]: t["rows"] for t in exported["tables"]} == counted
    assert "vegaEmbed" in (latest / "report.html").read_text()  # the run's segment report
    for table in exported["tables"]:
        parquet = pq.read_table(latest / table["file"])
        assert parquet.num_rows == table["rows"], table["name"]
        assert parquet.column_names == [c["name"] for c in table["columns"]], table["name"]
    assert not (home.work / "shadow").exists() or not any((home.work / "shadow").iterdir())


def _wait_for(child: subprocess.Popen, wanted, seen: list[str], limit: float = 600) -> None:
    """Read the refresh's output until a line satisfies `wanted` (or fail)."""
    deadline = time.monotonic() + limit
    assert child.stdout is not None
    for line in child.stdout:
        seen.append(line)
        if wanted(line, seen):
            return
        if time.monotonic() > deadline:
            break
    pytest.fail("the refresh never reached the point: " + "".join(seen[-40:]))


def _run_id(seen: list[str]) -> str:
    """The run id a refresh announces in its first line of its own."""
    return next(m.group(1) for line in seen if (m := re.match(r"refresh (\S+): ", line)))


def _dbt_processes(shadow_text: str) -> list[int]:
    """Processes whose command line or environment names a shadow (dbt children)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            text = (proc / "cmdline").read_bytes() + (proc / "environ").read_bytes()
        except OSError:
            continue
        if shadow_text.encode() in text:
            found.append(int(proc.name))
    return found


def _models_done(line: str, seen: list[str]) -> bool:
    return sum(" OK created " in s for s in seen) >= 60


def _tests_running(line: str, seen: list[str]) -> bool:
    audit = [i for i, s in enumerate(seen) if s.startswith("[3/5]")]
    return bool(audit) and sum(" PASS " in s for s in seen[audit[0] :]) >= 20


KILL_POINTS = {
    "validation": (lambda line, seen: "orders" in line and "batch" in line, {}),
    "mid-build": (_models_done, {}),
    "audit": (_tests_running, {}),
    "before publish": (
        lambda line, seen: "paused before publish" in line,
        {"CUSTSEG_REFRESH_PAUSE": "publish:300"},
    ),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_refresh_killed_leaves_the_published_data_unchanged(
    home: Home, first: dict, point: str
) -> None:
    wanted, extra = KILL_POINTS[point]
    before = home.digest()
    # landing zone B replaces A: its files are other files under the same names, which an
    # incremental run refuses (a processed file changed), so B is rebuilt with --full-refresh
    args = ("--full-refresh",) if point == "validation" else ("--skip-validation", "--full-refresh")
    child = home.start(home.raw_b, *args, **extra)
    seen: list[str] = []
    _wait_for(child, wanted, seen)
    if point == "validation":
        # a second refresh while this one runs is refused at once, naming the running one
        running = _run_id(seen)
        code, output, result = home.run(home.raw_a)
        assert code == EXIT_LOCKED, output
        assert result["status"] == "locked" and f"refresh {running}" in result["message"]
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    shadow = str(home.work / "shadow" / _run_id(seen))
    deadline = time.monotonic() + 30
    while _dbt_processes(shadow) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _dbt_processes(shadow), "a dbt process outlived the killed refresh"
    assert home.digest() == before, f"killed {point}: the published file changed"
    run_id, manifest, counted = published_answer(home.database)
    assert run_id == first["run_id"] and manifest == counted
    assert os.readlink(home.exports / "latest") == f"runs/{first['run_id']}"


READER = """
import json, sys, time, duckdb
database, stop, out = sys.argv[1:4]
with open(out, "w") as log:
    while True:
        try:
            with duckdb.connect(database, read_only=True) as con:
                manifest = dict(((r, t), n) for r, t, n in con.execute(
                    "select run_id, table_name, row_count from ops.published_marts").fetchall())
                names = [n for (n,) in con.execute("select table_name from "
                    "information_schema.tables where table_schema = 'marts'").fetchall()]
                counted = {n: con.execute(f'select count(*) from marts."{n}"').fetchone()[0]
                    for n in names}
            runs = sorted({r for r, _ in manifest})
            ok = len(runs) == 1 and {t: n for (_, t), n in manifest.items()} == counted
            log.write(json.dumps({"runs": runs, "ok": ok, "customers": counted.get("customers")}))
        except Exception as error:
            log.write(json.dumps({"error": repr(error)}))
        log.write("\\n"); log.flush()
        if __import__("os").path.exists(stop):
            break
        time.sleep(0.05)
"""


def test_readers_are_never_blocked_and_see_one_run(home: Home, first: dict) -> None:
    stop, answers = home.root / "stop-reader", home.root / "reader.jsonl"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(home.database), str(stop), str(answers)]
    )
    try:
        code, output, result = home.run(
            home.raw_b, "--skip-validation", "--full-refresh", "--keep-exports", "2"
        )
    finally:
        stop.touch()
        reader.wait(timeout=120)
    assert code == EXIT_PUBLISHED, output[-6000:]
    seen = [json.loads(line) for line in answers.read_text().splitlines()]
    errors = [answer for answer in seen if "error" in answer]
    assert not errors, errors[:3]
    assert all(answer["ok"] for answer in seen), [a for a in seen if not a["ok"]][:3]
    runs = [answer["runs"][0] for answer in seen]
    assert runs[0] == first["run_id"] and runs[-1] == result["run_id"], (runs[0], runs[-1])
    assert len(seen) > 20  # the reader kept querying during the whole refresh
    customers = {answer["runs"][0]: answer["customers"] for answer in seen}
    assert customers[first["run_id"]] != customers[result["run_id"]]  # A and B differ
    # the run log: the four killed runs are interrupted, the refused one locked
    statuses = [record["status"] for record in read_journal(home.work / "runs.jsonl")]
    assert statuses.count("interrupted") == 4 and statuses.count("locked") == 1, statuses
    assert statuses[-1] == "published"
    with duckdb.connect(str(home.database), read_only=True) as con:
        logged = con.execute("select count(*) from ops.refresh_runs").fetchone()[0]
    assert logged == len(statuses)
    # exports: two run folders kept, the latest the new run
    assert sorted(p.name for p in (home.exports / "runs").iterdir()) == sorted(
        [first["run_id"], result["run_id"]]
    )
    assert os.readlink(home.exports / "latest") == f"runs/{result['run_id']}"


def test_a_failing_data_test_is_not_published(home: Home, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(
        PROJECT_DIR,
        project,
        ignore=shutil.ignore_patterns(".*", "target", "logs", "*.duckdb", "sample_data", "spark*"),
    )
    (project / "tests" / "assert_injected_failure.sql").write_text(
        "-- a data test that fails: one row\nselect 1 as customers_missing\n"
    )
    before = home.digest()
    code, output, result = home.run(
        home.raw_b, "--skip-validation", "--full-refresh", "--project-dir", str(project)
    )
    assert code == EXIT_AUDIT_FAILED, output[-6000:]
    assert result["status"] == "audit_failed" and result["published"] is False
    assert result["failed_tests"] == ["test.customer_segments.assert_injected_failure"]
    assert "assert_injected_failure" in result["message"]
    assert home.digest() == before
    logged = read_journal(home.work / "runs.jsonl")[-1]
    assert logged["failed_tests"] == result["failed_tests"]
