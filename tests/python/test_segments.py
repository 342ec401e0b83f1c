"""End-to-end tests of the segments (issue 5): catalog validation, exclusive families, history
across two runs, a backfill that leaves the current tables, idempotent re-runs, consent-gated
audiences and PII masking.

One module-scoped fixture copies the project to a temporary folder, generates a small landing
zone and builds the segment models (and everything upstream) into one DuckDB file; the tests
then reuse that database. The mask_pii test rebuilds the marts and therefore runs last.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import BuiltProject

REPO = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
# Everything that depends on the as-of date: the attributes, the segments and their run logs.
AS_OF_MODELS = (
    "path:models/intermediate/attributes path:models/marts/attributes "
    "path:models/intermediate/segments path:models/marts/segments "
    "state_segment_membership_runs state_segment_attribute_snapshots"
)
# Tables that hold the latest as_of_date only (tag `current`); a backfill leaves them.
CURRENT_TABLES = ("customer_attributes", "customer_rfm", "segment_memberships", "audience_members")
SEGMENT_TABLES = (
    "segment_catalog",
    "segment_memberships",
    "segment_membership_runs",
    "segment_membership_history",
    "segment_events",
    "segment_transitions",
    "segment_summary",
    "audience_members",
)
IGNORED = shutil.ignore_patterns(
    ".venv", ".git", "target", "logs", "dbt_packages", "*.duckdb", "__pycache__", "sample_data"
)


@dataclass
class Project:
    root: Path
    raw_dir: Path
    database: Path

    def dbt(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DUCKDB_PATH": str(self.database), "RAW_DIR": str(self.raw_dir)}
        command = [
            DBT,
            *args,
            "--profiles-dir",
            str(self.root),
            "--project-dir",
            str(self.root),
            "--target-path",
            str(self.root / "target"),
            "--log-path",
            str(self.root / "logs"),
        ]
        result = subprocess.run(
            command, cwd=self.root, env=env, capture_output=True, text=True, check=False
        )
        if check and result.returncode != 0:
            pytest.fail(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}{result.stderr}")
        return result

    def query(self, sql: str) -> pd.DataFrame:
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.sql(sql).df()


def _table_rows(project: Project, table: str) -> pd.DataFrame:
    frame = project.query(f"select * from marts.{table}")
    frame = frame.astype(str)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, sample_build: BuiltProject) -> Project:
    """A copy of the session's built sample, then a backfill 30 days earlier (the backfill
    selector, as a user runs it): two runs in the segment log (current, backfill)."""
    assert sample_build.build.returncode == 0, sample_build.build.output[-3000:]
    base = tmp_path_factory.mktemp("segments")
    root = base / "project"
    shutil.copytree(REPO, root, ignore=IGNORED, symlinks=True)
    # same file name: DuckDB names the catalog after the file and views refer to it
    database = base / sample_build.database.name
    shutil.copy(sample_build.database, database)
    built = Project(root=root, raw_dir=sample_build.raw_dir, database=database)
    current = built.query("select max(as_of_date) as d from marts.segment_memberships")["d"][0]
    built.current_date = pd.Timestamp(current).date()  # type: ignore[attr-defined]
    built.previous_date = built.current_date - timedelta(days=30)  # type: ignore[attr-defined]
    built.before_backfill = {table: _table_rows(built, table) for table in CURRENT_TABLES}  # type: ignore[attr-defined]
    built.dbt("run", "--selector", "backfill", "--vars", f"{{as_of_date: '{built.previous_date}'}}")
    return built


def test_segment_data_and_unit_tests_pass(project: Project) -> None:
    result = project.dbt(
        "test",
        "-s",
        "path:models/marts/segments path:models/intermediate/segments path:tests/segments",
    )
    assert "ERROR=0" in result.stdout


def test_catalog_is_loaded_with_at_least_30_segments(project: Project) -> None:
    catalog = project.query("select * from marts.segment_catalog")
    assert len(catalog) >= 30
    assert catalog["segment_key"].is_unique
    assert {"rfm", "lifecycle", "value_tier"} <= set(
        catalog.loc[catalog["family_type"] == "exclusive", "family"]
    )
    assert (catalog["reason_columns"].str.len() > 0).all()


def _broken_run(project: Project, entries: list[str]) -> str:
    """Build the catalog with extra segments (YAML flow mappings): the build must fail; its
    output."""
    extra = "{segment_extra_segments: [" + ", ".join(entries) + "]}"
    # int_segment_catalog validates the catalog; segment_catalog is its thin public copy
    result = project.dbt(
        "run", "-s", "int_segment_catalog segment_catalog", "--vars", extra, check=False
    )
    assert result.returncode != 0
    return result.stdout + result.stderr


def _entry(key: str, rule: str, reads: str | None) -> str:
    declared = f"reads: {reads}, " if reads is not None else ""
    return (
        f"{{key: {key}, name: Broken, family: behavioral, owner: test, priority: 99, "
        f'rule: "{rule}", {declared}activatable: false}}'
    )


def test_catalog_problems_stop_the_build_naming_each_segment(project: Project) -> None:
    """Every problem of the catalog is listed in one error, each naming its segment: a declared
    column the attributes do not have, no declaration at all, a subquery. (Repeated columns and
    the other entry checks: test_segment_catalog_file.py.)"""
    output = _broken_run(
        project,
        [
            _entry("broken_unknown_x", "no_such_column > 1", "[no_such_column]"),
            _entry("broken_undeclared_x", "age > 1", None),
            _entry("broken_subquery_x", "age > (select 1)", "[age]"),
        ],
    )
    assert "segment 'broken_unknown_x': " in output
    assert "reads unknown column(s) no_such_column" in output
    assert "segment 'broken_undeclared_x': " in output and "reads is required" in output
    assert "segment 'broken_subquery_x': " in output and "no subqueries" in output


def test_rule_reading_an_undeclared_column_stops_the_build(project: Project) -> None:
    """The database's binder rejects a rule that reads a column its entry does not declare;
    the error names the segment (the database's error alone would not)."""
    output = _broken_run(
        project, [_entry("broken_segment_x", "gender = 'female' and age < 30", "[gender]")]
    )
    assert "segment 'broken_segment_x': " in output
    assert "cannot compile its rule" in output


def test_exclusive_families_cover_every_customer_exactly_once(project: Project) -> None:
    counts = project.query(
        """
        with families as (
            select family from marts.segment_catalog where family_type = 'exclusive'
            group by family
        ),
        expected as (
            select attributes.customer_id, families.family
            from intermediate.int_segment_attributes_enriched as attributes
            cross join families
        )
        select expected.customer_id, expected.family, count(memberships.segment_key) as n
        from expected
        left join marts.segment_memberships as memberships
            on expected.customer_id = memberships.customer_id
            and expected.family = memberships.family
        group by expected.customer_id, expected.family
        """
    )
    assert len(counts) > 0
    assert (counts["n"] == 1).all(), counts[counts["n"] != 1].head()


def test_two_runs_yield_matching_entered_and_exited_events(project: Project) -> None:
    current, previous = project.current_date, project.previous_date  # type: ignore[attr-defined]
    runs = project.query(
        "select as_of_date, customer_id, segment_key from marts.segment_membership_runs"
    )
    runs["as_of_date"] = pd.to_datetime(runs["as_of_date"]).dt.date
    assert set(runs["as_of_date"]) == {previous, current}
    before = set(
        map(tuple, runs.loc[runs.as_of_date == previous, ["customer_id", "segment_key"]].values)
    )
    after = set(
        map(tuple, runs.loc[runs.as_of_date == current, ["customer_id", "segment_key"]].values)
    )
    events = project.query(
        f"select customer_id, segment_key, event_type, cause from marts.segment_events "
        f"where as_of_date = date '{current}'"
    )
    entered = set(
        map(
            tuple, events.loc[events.event_type == "entered", ["customer_id", "segment_key"]].values
        )
    )
    exited = set(
        map(tuple, events.loc[events.event_type == "exited", ["customer_id", "segment_key"]].values)
    )
    assert entered == after - before
    assert exited == before - after
    assert events["cause"].notna().all()
    # history: every current membership has an open spell
    open_spells = project.query(
        "select count(*) as n from marts.segment_membership_history where is_current"
    )["n"][0]
    assert open_spells == len(after)
    transitions = project.query(
        f"select sum(customers_count) as n from marts.segment_transitions "
        f"where family = 'rfm' and to_as_of_date = date '{current}'"
    )["n"][0]
    assert transitions > 0


def test_backfill_leaves_the_current_tables(project: Project) -> None:
    """The backfill wrote the past date into the history but no current table changed; a build
    of a current table with a past as_of_date stops before anything runs, naming the selector."""
    for table in CURRENT_TABLES:
        after = _table_rows(project, table)
        pd.testing.assert_frame_equal(project.before_backfill[table], after, obj=table)  # type: ignore[attr-defined]
    assert str(project.current_date) in set(_table_rows(project, "customer_rfm")["as_of_date"])  # type: ignore[attr-defined]
    stopped = project.dbt(
        "run",
        "-s",
        "segment_memberships",
        "customer_rfm",
        "--vars",
        f"{{as_of_date: '{project.previous_date}'}}",  # type: ignore[attr-defined]
        check=False,
    )
    assert stopped.returncode != 0
    output = stopped.stdout + stopped.stderr
    assert f"before the latest run ({project.current_date})" in output  # type: ignore[attr-defined]
    assert "customer_rfm, segment_memberships" in output and "--selector backfill" in output
    for table in CURRENT_TABLES:
        pd.testing.assert_frame_equal(
            project.before_backfill[table],
            _table_rows(project, table),
            obj=table,  # type: ignore[attr-defined]
        )


def test_rerun_on_unchanged_data_changes_nothing(project: Project) -> None:
    before = {table: _table_rows(project, table) for table in SEGMENT_TABLES}
    project.dbt("run", "-s", AS_OF_MODELS)
    for table in SEGMENT_TABLES:
        pd.testing.assert_frame_equal(before[table], _table_rows(project, table), obj=table)


def _normalised_emails(frame: pd.DataFrame) -> pd.Series:
    emails = frame["email"].dropna().astype(str).str.strip().str.lower()
    return emails.str.replace("mailto:", "", regex=False).str.strip()


def _read_raw(raw_dir: Path, name: str) -> pd.DataFrame:
    path = raw_dir / f"{name}.csv"
    if path.exists():
        return pd.read_csv(path, dtype=str)
    parquet = raw_dir / f"{name}.parquet"
    if parquet.exists():
        return pd.read_parquet(parquet).astype(str)
    return pd.DataFrame(columns=["email", "request_type"])


def test_audiences_hold_no_unconsented_or_erased_people(project: Project) -> None:
    # consent from the current table: the fixture's backfill left the intermediate models
    # at the backfilled date
    audiences = project.query(
        """
        select audiences.*, attributes.has_marketing_consent, erased.customer_id as erased_id
        from marts.audience_members as audiences
        left join marts.customer_attributes as attributes
            on audiences.customer_id = attributes.customer_id
        left join intermediate.int_customers_erased as erased
            on audiences.customer_id = erased.customer_id
        """
    )
    assert len(audiences) > 0
    assert audiences["has_marketing_consent"].eq(True).all()
    assert audiences["erased_id"].isna().all()
    # against the raw privacy requests: no erased email, hashed in the customer-match format
    requests = _read_raw(project.raw_dir, "privacy_requests")
    erasures = requests[requests["request_type"].astype(str).str.strip().str.lower() == "erasure"]
    erased_hashes = {hashlib.sha256(e.encode()).hexdigest() for e in _normalised_emails(erasures)}
    assert not erased_hashes & set(audiences["email_sha256"].dropna())
    # no raw personal data: only hex digests
    for column in ("email_sha256", "phone_sha256"):
        assert audiences[column].dropna().str.fullmatch("[0-9a-f]{64}").all()
    views = project.query(
        "select table_name from information_schema.tables "
        "where table_schema = 'marts' and table_name like 'audience\\_%' escape '\\' "
        "and table_type = 'VIEW'"
    )
    activatable = project.query(
        "select count(*) as n from marts.segment_catalog where is_activatable"
    )
    assert len(views) == activatable["n"][0]


def test_reason_lists_the_rule_columns(project: Project) -> None:
    sample = project.query(
        """
        select memberships.reason, catalog.reason_columns
        from marts.segment_memberships as memberships
        inner join marts.segment_catalog as catalog
            on memberships.segment_key = catalog.segment_key
        limit 200
        """
    )
    for reason, columns in zip(sample["reason"], sample["reason_columns"], strict=True):
        for column in columns.split(","):
            assert f'"{column}"' in reason


HISTORY_MARTS = ("segment_membership_history", "segment_events", "segment_transitions")
# the models that keep them (segment_membership_history is a view of int_segment_spells)
HISTORY_KEPT = ("int_segment_spells", "segment_events", "segment_transitions")


def test_a_later_run_derives_its_own_run_only(project: Project) -> None:
    """A run a week after the latest keeps what the history marts hold and derives its own run
    only (on DuckDB, with var segment_history_incremental), and gives the tables that deriving
    every run again gives. The backfill and the re-run of the same date before it derived every
    run again. (Moves the latest run a week on: the tests after it do not depend on the date.)"""
    later = project.current_date + timedelta(days=7)  # type: ignore[attr-defined]
    result = project.dbt(
        "run",
        "-s",
        AS_OF_MODELS,
        "--vars",
        f"{{as_of_date: '{later}', segment_history_incremental: true}}",
    )
    for model in HISTORY_KEPT:
        assert f"{model}: derives the runs after {project.current_date}" in result.stdout, model  # type: ignore[attr-defined]
    kept = {table: _table_rows(project, table) for table in HISTORY_MARTS}
    assert str(later) in set(kept["segment_events"]["as_of_date"])
    project.dbt("run", "-s", *HISTORY_KEPT, "--full-refresh")
    for table in HISTORY_MARTS:
        pd.testing.assert_frame_equal(kept[table], _table_rows(project, table), obj=table)


def test_mask_pii_leaves_no_raw_email_or_phone_in_any_mart(project: Project) -> None:
    contacts = project.query(
        "select email, phone from intermediate.int_segment_attributes_enriched"
    )
    raw_values = set(contacts["email"].dropna()) | set(contacts["phone"].dropna())
    assert raw_values
    # the base models keep each bad row's raw values for quarantine: masked there too
    # the base models keep what they took: another mask_pii setting needs --full-refresh
    project.dbt(
        "run", "-s", "path:models/staging/base", "marts", "--full-refresh",
        "--vars", "{mask_pii: true}",
    )  # fmt: skip
    tables = project.query(
        "select table_name from information_schema.tables where table_schema = 'marts'"
    )["table_name"]
    offenders: dict[str, list[str]] = {}
    for table in tables:
        frame = project.query(f"select * from marts.{table}")
        for column in frame.columns:
            values = frame[column].dropna().astype(str)
            # whole values, and emails / E.164 phones inside texts such as JSON reasons
            found = set(values) | set(
                values.str.extractall(r"([^\s\",{}:]+@[^\s\",{}:]+|\+[0-9]{8,15})")[0]
            )
            if found & raw_values:
                offenders.setdefault(table, []).append(column)
    assert not offenders, f"marts holding raw email or phone with mask_pii on: {offenders}"


def test_audience_models_match_the_catalog(tmp_path: Path) -> None:
    """The generated audience models are up to date, and the check notices a catalog change."""
    import importlib.util

    script = Path(__file__).resolve().parents[2] / "scripts" / "gen_audience_models.py"
    spec = importlib.util.spec_from_file_location("gen_audience_models", script)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)  # type: ignore[union-attr]
    assert generator.stale_files() == []
    # a copy of the catalog with one more activatable segment makes the same files stale
    catalog = tmp_path / "catalog.yml"
    text = generator.CATALOG.read_text().replace("activatable: false", "activatable: true", 1)
    catalog.write_text(text)
    stale = generator.stale_files(generator.AUDIENCE_DIR, catalog)
    assert len(stale) == 2 and "_audiences__models.yml" in stale


def _repeat_a_run_log_row(project: Project, as_of_date: object) -> None:
    with duckdb.connect(str(project.database)) as connection:
        connection.execute(
            "insert into state.state_segment_membership_runs select * from "
            "state.state_segment_membership_runs where as_of_date = ? limit 1",
            [as_of_date],
        )


def _failed(output: str, test_name: str) -> bool:
    return any("FAIL" in line and test_name in line for line in output.splitlines())


def test_a_build_checks_the_run_log_keys_of_its_own_runs_only(project: Project) -> None:
    """The key test of the run log (run_date_column) checks the rows from the run's as_of_date
    on; with var test_every_run, every row. A repeated row of an earlier run passes the build
    and fails the test of every row; one of the run's own date fails the build."""
    run_date = project.query("select max(as_of_date) as d from intermediate.int_as_of_date")["d"][0]
    earlier = project.query(
        "select max(as_of_date) as d from state.state_segment_membership_runs "
        f"where as_of_date < date '{pd.Timestamp(run_date).date()}'"
    )["d"][0]
    assert not pd.isna(earlier)
    tests_of_the_log = ("--resource-type", "test", "-s", "state_segment_membership_runs")
    key_test = "segment_unique_combination_state_segment_membership_runs"
    try:
        _repeat_a_run_log_row(project, earlier)
        built = project.dbt("build", *tests_of_the_log, check=False)
        assert built.returncode == 0, built.stdout[-3000:]
        every_run = ("--vars", "{test_every_run: true}")
        tested = project.dbt("test", "-s", "state_segment_membership_runs", *every_run, check=False)
        assert tested.returncode != 0 and _failed(tested.stdout, key_test), tested.stdout[-3000:]
        _repeat_a_run_log_row(project, run_date)
        built = project.dbt("build", *tests_of_the_log, check=False)
        assert built.returncode != 0 and _failed(built.stdout, key_test), built.stdout[-3000:]
    finally:
        with duckdb.connect(str(project.database)) as connection:
            connection.execute(
                "delete from state.state_segment_membership_runs where rowid in ("
                "select rowid from (select rowid, row_number() over ("
                "partition by as_of_date, customer_id, segment_key order by rowid) as n "
                "from state.state_segment_membership_runs) where n > 1)"
            )
