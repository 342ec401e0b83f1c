"""Write-audit-publish mechanics of ``custseg refresh``: the lock, the shadow database, the
Parquet export and the atomic publish.

The published database is one DuckDB file (DUCKDB_PATH). It is never written in place: a
refresh copies it to a shadow file of the same name in a folder of its own, builds and audits
the shadow, then moves it over the published file with one ``rename``. A reader that opens the
published path gets the whole previous run or the whole new one; a reader that holds the file
open keeps reading the previous run (its inode lives on) until it reconnects.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any


class Locked(RuntimeError):
    """Another refresh holds the lock; `holder` is what it wrote into the lock file."""

    def __init__(self, lock_file: Path, holder: dict[str, Any]) -> None:
        self.holder = holder
        if holder:
            who = (
                f"refresh {holder.get('run_id', '?')} (pid {holder.get('pid', '?')}, "
                f"started {holder.get('started_at', '?')}, landing zone {holder.get('raw_dir')})"
            )
        else:
            who = "a refresh that is starting"
        super().__init__(f"another refresh is running: {who}; lock file {lock_file}")


class RefreshLock:
    """An exclusive, non-blocking ``flock`` on a file in the refresh folder. The kernel
    releases it when the process ends, however it ends, so a killed refresh never leaves a
    stale lock. The holder's run id, pid and start time are written into the file so that a
    refused refresh can name the running one."""

    def __init__(self, lock_file: Path) -> None:
        self.lock_file = lock_file
        self._fd: int | None = None

    def acquire(self, holder: dict[str, Any]) -> None:
        self.lock_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 65536, 0).decode("utf-8", "replace")
            os.close(fd)
            try:
                known = json.loads(text) if text.strip() else {}
            except json.JSONDecodeError:
                known = {}
            raise Locked(self.lock_file, known) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def wal_of(database: Path) -> Path:
    """DuckDB's write-ahead log beside a database file."""
    return database.with_name(database.name + ".wal")


class PublishError(RuntimeError):
    """The shadow cannot be published (the published file is written in place, another file
    system, an unfinished write-ahead log)."""


def check_not_written_in_place(published: Path) -> None:
    """A write-ahead log beside the published file means a process writes it in place (a
    `dbt build` or `custseg run` on DUCKDB_PATH) or one was killed: a rename now would pair
    that log with the new file."""
    if wal_of(published).exists():
        raise PublishError(
            f"{wal_of(published)} exists: a process writes the published database in place "
            f"(dbt build or custseg run with DUCKDB_PATH={published}), or one was killed. Let "
            "it finish (or open the file once with DuckDB to replay the log), then refresh."
        )


def make_shadow(published: Path, shadow_dir: Path) -> Path:
    """A copy of the published database (state tables and all) in `shadow_dir`, under the
    published file's name: DuckDB names a database's catalog after its file, and dbt's views
    refer to that catalog, so the shadow must carry the name it is published under."""
    shadow_dir.mkdir(parents=True, exist_ok=True)
    shadow = shadow_dir / published.name
    if published.exists():
        shutil.copyfile(published, shadow)
    return shadow


def publish(shadow: Path, published: Path) -> None:
    """Move the audited shadow over the published file in one rename (atomic on one file
    system), then make the rename durable."""
    check_not_written_in_place(published)
    if wal_of(shadow).exists():
        raise PublishError(f"{wal_of(shadow)} exists: the shadow was not closed cleanly")
    try:
        os.replace(shadow, published)
    except OSError as error:
        raise PublishError(
            f"cannot move {shadow} over {published} ({error}); the refresh folder must be on "
            "the file system of the published database"
        ) from error
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@dataclass(frozen=True)
class ExportedTable:
    name: str
    kind: str  # table | view
    file: str
    rows: int
    columns: list[dict[str, str]]


def mart_relations(con: Any, schema: str = "marts") -> list[tuple[str, str]]:
    """(name, table|view) of every relation in the schema, by name."""
    return [
        (name, "view" if kind == "VIEW" else "table")
        for name, kind in con.execute(
            "select table_name, table_type from information_schema.tables "
            "where table_schema = ? order by table_name",
            [schema],
        ).fetchall()
    ]


def describe_marts(con: Any) -> list[ExportedTable]:
    """Every mart with its row count and columns (the publication manifest's tables)."""
    tables = []
    for name, kind in mart_relations(con):
        rows = con.execute(f'select count(*) from marts."{name}"').fetchone()[0]
        columns = [
            {"name": column, "type": data_type}
            for column, data_type in con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [name],
            ).fetchall()
        ]
        tables.append(ExportedTable(name, kind, f"{name}.parquet", int(rows), columns))
    return tables


def export_parquet(con: Any, export_root: Path, manifest: dict[str, Any]) -> Path:
    """One Parquet file per mart, with `manifest.json`, in `export_root/runs/.<run_id>.partial`
    (returned); `complete_export` gives it the run's name once the run is published, so a
    folder named after a run is always whole and always of a published run."""
    partial = export_root / "runs" / f".{manifest['run_id']}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for table in manifest["tables"]:
        target = str(partial / table["file"]).replace("'", "''")
        con.execute(
            f"copy (select * from marts.\"{table['name']}\") to '{target}' "
            "(format parquet, compression zstd)"
        )
    (partial / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    return partial


def complete_export(partial: Path, run_id: str) -> Path:
    """Rename a finished export folder to `runs/<run_id>`."""
    final = partial.parent / run_id
    os.replace(partial, final)
    return final


def point_latest(export_root: Path, run_id: str) -> Path:
    """Switch `export_root/latest` (a symbolic link to `runs/<run_id>`) in one rename, and
    write `LATEST` (the run id as text) for readers that do not follow links."""
    latest = export_root / "latest"
    staged = export_root / ".latest.new"
    if staged.is_symlink() or staged.exists():
        staged.unlink()
    staged.symlink_to(Path("runs") / run_id, target_is_directory=True)
    os.replace(staged, latest)
    text = export_root / ".LATEST.new"
    text.write_text(run_id + "\n")
    os.replace(text, export_root / "LATEST")
    return latest


def prune_exports(export_root: Path, keep: int) -> list[str]:
    """Remove the oldest run folders beyond `keep` (never the one `latest` points to) and
    leftovers of interrupted exports; returns the run ids removed."""
    runs = export_root / "runs"
    if not runs.is_dir():
        return []
    latest = export_root / "latest"
    current = os.readlink(latest).split("/")[-1] if latest.is_symlink() else None
    removed = []
    for leftover in runs.glob(".*.partial"):
        shutil.rmtree(leftover, ignore_errors=True)
    folders = sorted(p.name for p in runs.iterdir() if p.is_dir() and not p.name.startswith("."))
    for run_id in folders[: max(len(folders) - max(keep, 1), 0)]:
        if run_id != current:
            shutil.rmtree(runs / run_id, ignore_errors=True)
            removed.append(run_id)
    return removed


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
