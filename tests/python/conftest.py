"""Shared fixtures: run dbt against a landing zone in an isolated database and target folder."""

from __future__ import annotations

import fcntl
import importlib.util
import json
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


def load_script(name: str):  # noqa: ANN201
    """Import scripts/<name>.py as module `name` (registered in sys.modules first: its
    dataclasses look their module up there)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, PROJECT_DIR / "scripts" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


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
def sample_build(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> BuiltProject:
    """One generated landing zone (1,500 customers) built once with `dbt build`, shared by the
    whole run: under pytest-xdist the first worker that needs it builds it in the run's common
    temporary folder while the others wait on a lock, then read it. Tests copy it before they
    change anything."""
    from custseg.generate import generate

    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":  # each worker has its own folder below the run's
        root = root.parent
    base = root / "sample_build"
    raw_dir, database = base / "raw", base / "warehouse.duckdb"
    with open(root / "sample_build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        outcome = base / "build.json"
        if not outcome.exists():
            base.mkdir(exist_ok=True)
            generate(raw_dir, customers=1500, seed=7)
            build = run_dbt(["build"], raw_dir, database, base)
            outcome.write_text(json.dumps({"returncode": build.returncode, "output": build.output}))
        done = json.loads(outcome.read_text())
    return BuiltProject(raw_dir, database, base, DbtRun(done["returncode"], done["output"]))


# The longest modules first, so that neither worker is left with one of them at the end.
LONGEST_FIRST = ("test_spark_parity", "test_refresh")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The Spark parity test first, then the refresh tests: they are the longest, and under
    pytest-xdist (loadscope, without reordering: scripts/test.sh) a module handed out last
    would leave the other worker idle while it runs."""
    rank = {name: position for position, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.module.__name__, len(rank)))
