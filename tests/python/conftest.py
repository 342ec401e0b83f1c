"""Shared fixtures: run dbt against a landing zone in an isolated database and target folder."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]  # the dbt project under test
DBT = str(Path(sys.executable).parent / "dbt")


@dataclass
class DbtRun:
    returncode: int
    output: str


def run_dbt(
    args: list[str],
    raw_dir: Path,
    database: Path,
    work_dir: Path,
    extra_env: dict[str, str] | None = None,
) -> DbtRun:
    """Run dbt in the project with its own landing zone, DuckDB file, target and log folders."""
    env = {
        **os.environ,
        "RAW_DIR": str(raw_dir),
        "DUCKDB_PATH": str(database),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **(extra_env or {}),
    }
    command = [
        DBT,
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
    done = subprocess.run(command, env=env, cwd=PROJECT_DIR, capture_output=True, text=True)
    return DbtRun(done.returncode, done.stdout + done.stderr)


@dataclass
class BuiltProject:
    raw_dir: Path
    database: Path
    work_dir: Path
    build: DbtRun


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    """One generated landing zone (1,500 customers) built once with `dbt build` for the session."""
    from custseg.generate import generate

    base = tmp_path_factory.mktemp("sample_build")
    raw_dir = base / "raw"
    generate(raw_dir, customers=1500, seed=7)
    database = base / "warehouse.duckdb"
    build = run_dbt(["build"], raw_dir, database, base)
    return BuiltProject(raw_dir, database, base, build)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Scheduling units for pytest-xdist (`--dist loadgroup`, as scripts/test.sh runs it): every
    test of the session's sample build on one worker, so the sample is built once; every other
    test with the rest of its module, so a module's fixtures are built once."""
    for item in items:
        group = "sample_build" if "sample_build" in item.fixturenames else item.module.__name__
        item.add_marker(pytest.mark.xdist_group(group))
