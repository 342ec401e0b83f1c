"""The delivery ledger: which landing files a run read, and the guard against a file that
changed after a run processed it.

Every run start lists the files of the landing zone with their size and SHA-256 in the table
`raw.landing_files` (on DuckDB the load plan of custseg.landing writes it, on Spark the loader
custseg.spark_landing). The model `delivery_ledger` keeps one row per file ever processed: the
first run that read it, its size, hash and rows. Before anything is built, the run start compares
the listing with the ledger (macro landing_changed_files): a processed file whose size or
content is no longer what the ledger holds stops the run with a message naming it.
`--full-refresh` rebuilds everything from the landing zone as it is now, the ledger included,
so it is the way to accept a changed file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

LISTING = "raw.landing_files"
CHUNK = 1 << 20
# files hashed at once: hashlib releases the GIL while it digests, so threads use every core
HASH_THREADS = max(1, min(8, os.cpu_count() or 1))
# the columns of LISTING, in order, with their (engine-neutral) types
COLUMNS = (
    ("source", "string"),
    ("file_path", "string"),
    ("file_size", "bigint"),
    ("content_sha256", "string"),
    ("rows_read", "bigint"),
    ("lines_rejected", "bigint"),
)


@dataclass(frozen=True)
class LandingFile:
    source: str
    file_path: str  # relative to the landing zone, `/`-separated: orders.csv, orders/2026-09-01.csv
    landing_file: str  # the path as the reader is given it
    file_size: int
    content_sha256: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def relative_path(path: Path, raw_dir: Path) -> str:
    """A file's path relative to the landing zone, with / (orders.csv, orders/2026-09-01.csv):
    what raw.<source>.landing_file, the listing and the ledger hold."""
    try:
        return path.relative_to(raw_dir).as_posix()
    except ValueError:
        return path.as_posix()


def describe(source: str, files: Iterable[Path], raw_dir: Path) -> list[LandingFile]:
    """The facts of one source's files (their size and content hash), in the files' order;
    the files are hashed on HASH_THREADS threads."""
    paths = list(files)
    with ThreadPoolExecutor(max_workers=HASH_THREADS) as pool:
        hashes = list(pool.map(sha256_of, paths))
    return [
        LandingFile(source, relative_path(path, raw_dir), str(path), path.stat().st_size, digest)
        for path, digest in zip(paths, hashes, strict=True)
    ]


def _literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def listing_sql(files: list[LandingFile], types: dict[str, str] | None = None) -> list[str]:
    """DuckDB statements that create LISTING with one row per file (rows still unknown)."""
    types = types or {"string": "varchar", "bigint": "bigint"}
    columns = ", ".join(f"{name} {types[kind]}" for name, kind in COLUMNS)
    statements = [f"create or replace table {LISTING} ({columns})"]
    for start in range(0, len(files), 500):
        rows = ", ".join(
            "("
            + ", ".join(
                _literal(value)
                for value in (
                    file.source,
                    file.file_path,
                    file.file_size,
                    file.content_sha256,
                    None,
                    None,
                )
            )
            + ")"
            for file in files[start : start + 500]
        )
        statements.append(f"insert into {LISTING} values {rows}")
    return statements


def counts_sql(source: str, table: str, rejected_lines: str, file_paths: Iterable[str]) -> str:
    """A DuckDB statement that fills rows_read and lines_rejected of the files of one source
    that this run read (after raw.<source> is loaded; a Parquet view has no rejected lines).
    Both tables name a file by its path relative to the landing zone; the files an earlier run
    took keep null."""
    paths = ", ".join(_literal(path) for path in file_paths)
    return (
        f"update {LISTING} set "
        "rows_read = coalesce((select count(*) from "
        f"{table} as loaded where loaded.landing_file = {LISTING}.file_path), 0), "
        "lines_rejected = coalesce((select count(*) from "
        f"{rejected_lines} as rejected where rejected.file_name = {LISTING}.file_path), 0) "
        f"where source = {_literal(source)} and file_path in ({paths})"
    )
