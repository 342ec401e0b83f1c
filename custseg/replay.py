"""Replay a landing zone of daily deliveries (`custseg generate --deliveries N`) the way a
scheduler meets it: a build after each day, each seeing the files delivered up to that day.

    python -m custseg.replay --raw-dir DELIVERED --work-dir W [--as-of-date D] [-- dbt args]

Every source of DELIVERED is a folder of a history file and daily files named by their day
(`2026-08-31_history.csv`, `2026-09-01.csv`, ...). Day by day, the replay links the files of
that day into `W/landing/<source>/` and runs `dbt build` on `W/warehouse.duckdb`, so each run
takes exactly one new delivery (the history first). It prints one line per run and ends with
one JSON line: the days, and the seconds each run took.

The equality test (tests/python/test_incremental.py) compares the marts of an incremental
replay with those of a replay that runs `dbt build --full-refresh` every day
(scripts/compare_marts.py): the same sequence of runs, so the state tables (key registry, run
logs) see the same history on both sides.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
HISTORY_SUFFIX = "_history"


def day_of(path: Path) -> str:
    """The delivery day a file belongs to: its name without the extension (`2026-09-01`), the
    history file (`2026-08-31_history`) sorting before the first day."""
    return path.name.split(".", 1)[0]


def delivery_days(raw_dir: Path) -> list[str]:
    """Every delivery day of the landing zone, in delivery order (the history first)."""
    days = {day_of(path) for path in delivery_files(raw_dir)}
    return sorted(days, key=lambda day: (not day.endswith(HISTORY_SUFFIX), day))


def delivery_files(raw_dir: Path) -> list[Path]:
    """The files of the sources that are folders (the `_truth` folder aside)."""
    return sorted(
        path
        for folder in raw_dir.iterdir()
        if folder.is_dir() and not folder.name.startswith(("_", "."))
        for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(".")
    )


def deliver(raw_dir: Path, landing: Path, day: str) -> list[Path]:
    """Link the files of `day` into `landing` (same folder layout); the paths linked."""
    linked = []
    for path in delivery_files(raw_dir):
        if day_of(path) != day:
            continue
        target = landing / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            try:
                os.link(path, target)
            except OSError:  # another file system: copy
                shutil.copy2(path, target)
        linked.append(target)
    return linked


def dbt_command(
    args: Sequence[str], raw_dir: Path, database: Path, work_dir: Path
) -> tuple[list[str], dict[str, str]]:
    """The dbt command line and environment of one run on `raw_dir` and `database`."""
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt),
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    env = {
        **os.environ,
        "RAW_DIR": str(raw_dir),
        "DUCKDB_PATH": str(database),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    return command, env


def run_dbt(args: Sequence[str], raw_dir: Path, database: Path, work_dir: Path) -> None:
    """Run dbt; a failed run raises with dbt's output."""
    command, env = dbt_command(args, raw_dir, database, work_dir)
    done = subprocess.run(command, env=env, cwd=PROJECT_DIR, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"dbt {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def replay(
    raw_dir: Path,
    work_dir: Path,
    dbt_args: Sequence[str] = ("build",),
    days: int | None = None,
) -> dict:
    """Build the deliveries of `raw_dir` one day at a time in `work_dir`; a summary."""
    landing, database = work_dir / "landing", work_dir / "warehouse.duckdb"
    landing.mkdir(parents=True, exist_ok=True)
    all_days = delivery_days(raw_dir)
    if not all_days:
        raise ValueError(f"{raw_dir} holds no delivery folders (custseg generate --deliveries N)")
    runs = []
    for number, day in enumerate(all_days[: days or None], start=1):
        files = deliver(raw_dir, landing, day)
        started = time.perf_counter()
        run_dbt(dbt_args, landing, database, work_dir)
        seconds = round(time.perf_counter() - started, 1)
        runs.append({"day": day, "files": len(files), "seconds": seconds})
        print(f"[{number}/{len(all_days)}] {day}: {len(files)} files, dbt {seconds} s", flush=True)
    return {"database": str(database), "landing": str(landing), "runs": runs}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    dbt_args: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, dbt_args = argv[:at], argv[at + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, required=True, help="the delivered landing zone")
    parser.add_argument("--work-dir", type=Path, required=True, help="folder of the replay")
    parser.add_argument("--days", type=int, help="replay only the first N days (history = 1)")
    parser.add_argument("--as-of-date", help="pin the var as_of_date in every run")
    options = parser.parse_args(argv)
    args = dbt_args or ["build"]
    if options.as_of_date:
        args = [*args, "--vars", json.dumps({"as_of_date": options.as_of_date})]
    summary = replay(options.raw_dir, options.work_dir, args, options.days)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
