"""Great Expectations checks that guard the landing zone before ``dbt build``.

Each contract source (declared in models/staging/_raw__sources.yml, read by
:mod:`custseg.contract`; reference: docs/raw_sources.md) is read with DuckDB, which also casts
the checked columns the way staging does, and streamed in batches of ``batch_rows`` rows. Each
batch is validated by the source's GX checkpoint over a pandas dataframe asset, so a file of tens
of millions of rows validates in bounded memory. The suite of a source is derived from its
declaration by :func:`suite_spec`. A source fails when any of its batches fails, when its newest
timestamp is stale, or when a check made before GX fails (the file cannot be read, or none of the
identifier columns exists). The landing zone passes when every present source passes and every
required source (``orders``) is present. See docs/data_quality.md.

GX's SQL datasource is deliberately not used: on DuckDB it marks every expectation failed.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from custseg import contract, landing, ledger
from custseg.contract import Contract, Source

if TYPE_CHECKING:  # pragma: no cover - imports for type checkers only
    import duckdb
    import pandas as pd

# --------------------------------------------------------------------------------------------------
# Suites, derived from the contract
# --------------------------------------------------------------------------------------------------
#
# One spec per contract source (custseg/contract.py reads models/staging/_raw__sources.yml).
# Keys of a spec:
#   required    columns that must exist; each also gets a not-null check (the keys)
#   one_of      groups of columns of which at least one must exist (checked before GX)
#   numbers     column -> (min, max) inclusive, None for an open end; cast to a finite double
#               into `<column>__num`
#   timestamps  timestamp and date columns; cast to UTC into `<column>__ts`, expected between
#               1900-01-01 and the reference time plus FUTURE_TOLERANCE
#   booleans    columns cast into `<column>__bool` (true/false/t/f/1/0/yes/no/y/n)
#   codes       column -> allowed values; trimmed and case-folded into `<column>__code`
#   upper       the coded columns compared in upper case (the others in lower case)
#   freshness   candidate main timestamp columns, first present one wins; its newest value that
#               is not in the future must be within `freshness_days` of the reference time
# A typed column also gets `<column>__unparsed` (its text when present but not castable) and the
# check that it is mostly null. Every value check has `mostly` (see `batch_mostly`).


def suite_spec(source: Source) -> dict[str, Any]:
    """The suite spec of one contract source: every number column (with the range of its
    check, or its meta.gx_range), timestamp, date and boolean column, every coded column."""
    columns = source.columns
    spec: dict[str, Any] = {
        "required": source.required_columns,
        "one_of": (source.required_one_of,) if source.required_one_of else (),
        "numbers": {c.name: c.gx_range or (None, None) for c in columns if c.is_number},
        "timestamps": tuple(c.name for c in columns if c.is_temporal),
        "booleans": tuple(c.name for c in columns if c.is_boolean),
        "codes": {c.name: c.values for c in columns if c.values is not None},
        "upper": frozenset(c.name for c in columns if c.values is not None and c.upper),
        "freshness": source.freshness_columns,
    }
    return spec


def suites(declared: Contract | None = None) -> dict[str, dict[str, Any]]:
    """{source: suite spec} for every source of `declared` (default: the project's contract)."""
    declared = declared or contract.default()
    return {source.name: suite_spec(source) for source in declared.sources}


DEFAULT_BATCH_ROWS = 500_000
DEFAULT_MOSTLY = 0.95
DEFAULT_FRESHNESS_DAYS = 3650
FUTURE_TOLERANCE = timedelta(days=1)
EARLIEST_TIMESTAMP = datetime(1900, 1, 1, tzinfo=timezone.utc)
DOCS_SITE = "landing_zone"
SMALL_BATCH_BAD_VALUES = 5
NULL_CHECKS = ("expect_column_values_to_be_null", "expect_column_values_to_not_be_null")
GC_BATCH_ROWS = 50_000  # a full garbage collection (~0.3 s) after each batch at least this big


# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------


NO_NEW_FILES = "no new files, skipped"


@dataclass
class SourceResult:
    """Outcome of one source: `status` is "passed", "failed", "missing, skipped" or
    NO_NEW_FILES (every file of the source was taken by an earlier run)."""

    source: str
    file: str | None
    status: str
    batches: int = 0
    rows: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def success(self) -> bool:
        return self.status != "failed"


@dataclass
class ValidationReport:
    """Outcome of :func:`validate_landing_zone`; `success` is the landing zone's verdict."""

    success: bool
    sources: list[SourceResult]
    docs_index: Path
    reference_time: datetime
    mostly: float
    seconds: float = 0.0

    def source(self, name: str) -> SourceResult:
        for result in self.sources:
            if result.source == name:
                return result
        raise KeyError(name)

    def summary_lines(self) -> list[str]:
        lines = [
            f"landing zone: {'PASSED' if self.success else 'FAILED'} "
            f"(mostly={self.mostly:g}, reference time {self.reference_time:%Y-%m-%dT%H:%M:%SZ}, "
            f"{self.seconds:.1f}s)"
        ]
        for r in self.sources:
            if r.status in ("missing, skipped", NO_NEW_FILES):
                lines.append(f"  {r.source:<18} {r.status}")
                continue
            where = f"  {r.file}" if r.file else ""
            lines.append(
                f"  {r.source:<18} {r.status.upper():<6} {r.rows:>11,} rows "
                f"{r.batches:>4} batch(es) {r.seconds:7.1f}s{where}"
            )
            lines.extend(f"      - {failure}" for failure in r.failures)
        lines.append(f"Data Docs: {self.docs_index}")
        return lines


# --------------------------------------------------------------------------------------------------
# Reading the landing zone
# --------------------------------------------------------------------------------------------------


def open_source(
    con: duckdb.DuckDBPyConnection, delivery: landing.Delivery, required: bool, raw_dir: Path
) -> tuple[str, int, list[str]]:
    """Register a delivery in `con` as dbt's run start does (custseg.landing): the view
    raw.<source> of its rows, header names trimmed and in lower case, lines DuckDB cannot parse
    left out and collected in raw.landing_rejected_lines. Returns the view, the number of those
    lines and the problems that stop dbt's run too (a required source without rows, a file
    whose lines mostly cannot be read)."""
    view = f"raw.{delivery.source}"
    for statement in landing.load_statements(delivery, raw_dir):
        con.execute(statement)
    if not delivery.is_csv:  # CSV headers are already trimmed and lower-cased
        described = con.execute(f"describe select * from {view}").fetchall()
        renamed = ", ".join(
            f"{_quote(row[0])} as {_quote(row[0].strip().lower())}" for row in described
        )
        view = f"raw.{delivery.source}__named"
        con.execute(f"create view {view} as select {renamed} from raw.{delivery.source}")
    (unreadable,) = con.execute(
        f"select count(*) from {landing.REJECTED_LINES} where source = ?", [delivery.source]
    ).fetchone()
    problems = [
        row[0] for row in con.execute(landing.problems_sql(delivery, view, required)).fetchall()
    ]
    return view, unreadable, problems


def source_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    con.execute(f"describe select * from {table}")
    return [row[0] for row in con.fetchall() if row[0] != "landing_file"]


def _quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def select_list(
    spec: dict[str, Any], columns: list[str], settings: landing.Settings | None = None
) -> str:
    """The columns of a batch: the required raw columns, plus typed copies cast in DuckDB the way
    staging casts them (`try_cast`, timestamps in UTC; see macros/try_cast_*.sql): `<c>__num`
    (finite double), `<c>__ts` (timestamptz), `<c>__bool`, and `<c>__code` (trimmed,
    case-folded text). `<c>__unparsed` holds the raw text of a value that is present but does
    not cast (else null), so Data Docs show the offending values. `settings` say how the files
    write numbers and dates (landing.Settings: the dbt vars the base models read)."""
    settings = settings or landing.Settings()
    present = set(columns)
    required = set(spec.get("required", ()))
    parts = [_quote(c) for c in columns if c in required]
    casts: dict[str, tuple[str, str]] = {}
    for column in spec.get("numbers", {}):
        number = f"try_cast({settings.number_text_sql(_quote(column))} as double)"
        casts[column] = ("__num", f"case when isfinite({number}) then {number} end")
    for column in spec.get("timestamps", ()):
        casts[column] = ("__ts", settings.timestamp_sql(_quote(column)))
    for column in spec.get("booleans", ()):
        casts[column] = ("__bool", f"try_cast(trim(cast({_quote(column)} as varchar)) as boolean)")
    for column, (suffix, expression) in casts.items():
        if column in present:
            parts.append(f"{expression} as {_quote(column + suffix)}")
            parts.append(
                f"case when {_quote(column)} is not null and {expression} is null "
                f"then cast({_quote(column)} as varchar) end as {_quote(column + '__unparsed')}"
            )
    for column in spec.get("codes", {}):
        if column in present:
            fold = "upper" if column in spec.get("upper", ()) else "lower"
            text = f"{fold}(trim(cast({_quote(column)} as varchar)))"
            parts.append(f"{text} as {_quote(column + '__code')}")
    return ", ".join(parts) if parts else "*"


def stream_batches(
    con: duckdb.DuckDBPyConnection,
    table: str,
    batch_rows: int,
    select: str = "*",
) -> Iterator[pd.DataFrame]:
    """Yield `select ... from` a source as dataframes of exactly `batch_rows` rows (the last may
    be shorter), streamed from DuckDB a few vectors at a time so memory stays bounded. Each
    frame's index is the row number in the file."""
    import pandas as pd

    vectors = max(1, min(-(-batch_rows // 2048), 64))
    con.execute(f"select {select} from {table}")
    pending: list[pd.DataFrame] = []
    pending_rows = 0
    start = 0
    while True:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas 3 deprecation noise from inside duckdb
            chunk = con.fetch_df_chunk(vectors)
        if len(chunk) == 0:
            break
        pending.append(chunk)
        pending_rows += len(chunk)
        while pending_rows >= batch_rows:
            frame = pending[0] if len(pending) == 1 else pd.concat(pending, ignore_index=True)
            batch = frame.iloc[:batch_rows].reset_index(drop=True)
            rest = frame.iloc[batch_rows:].reset_index(drop=True)
            batch.index = pd.RangeIndex(start, start + len(batch))
            start += len(batch)
            pending, pending_rows = ([rest] if len(rest) else []), len(rest)
            del frame
            yield batch
    if pending_rows:
        frame = pending[0] if len(pending) == 1 else pd.concat(pending, ignore_index=True)
        frame.index = pd.RangeIndex(start, start + len(frame))
        yield frame


def empty_batch(con: duckdb.DuckDBPyConnection, table: str, select: str = "*") -> pd.DataFrame:
    """The typed, zero-row frame of a source (to check the schema of a header-only file)."""
    con.execute(f"select {select} from {table} limit 0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return con.fetch_df()


# --------------------------------------------------------------------------------------------------
# Expectations
# --------------------------------------------------------------------------------------------------


def build_expectations(
    spec: dict[str, Any],
    columns: list[str],
    reference_time: datetime,
) -> list[Any]:
    """Expectations of one batch suite, for the columns the file has (a missing optional column
    is fine; a missing required column fails `expect_column_to_exist`).

    Each `mostly` is a suite parameter named after its column, which every checkpoint run sets
    (see `mostly_parameters`)."""
    import great_expectations.expectations as gxe

    present = set(columns)
    required = spec.get("required", ())
    latest = reference_time + FUTURE_TOLERANCE
    out: list[Any] = []

    def meta(check: str, group: str) -> dict[str, str]:
        return {"check": check, "group": group}

    for column in required:
        out.append(
            gxe.ExpectColumnToExist(
                column=column, meta=meta(f"required column '{column}' exists", "schema")
            )
        )

    for column in required:
        if column in present:
            out.append(
                gxe.ExpectColumnValuesToNotBeNull(
                    column=column,
                    mostly=_mostly(column),
                    meta=meta(f"{column} is not null", "keys"),
                )
            )
    kinds = {
        **{c: "a number" for c in spec.get("numbers", {})},
        **{c: "an ISO-8601 timestamp" for c in spec.get("timestamps", ())},
        **{c: "a boolean" for c in spec.get("booleans", ())},
    }
    for column, kind in kinds.items():
        if column in present:
            out.append(
                gxe.ExpectColumnValuesToBeNull(
                    column=f"{column}__unparsed",
                    mostly=_mostly(f"{column}__unparsed"),
                    meta=meta(f"{column} parses as {kind}", "ranges"),
                )
            )

    for column, (low, high) in spec.get("numbers", {}).items():
        if column in present and (low is not None or high is not None):
            bounds = _bounds_text(low, high)
            out.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column=f"{column}__num",
                    min_value=low,
                    max_value=high,
                    mostly=_mostly(f"{column}__num"),
                    meta=meta(f"{column} is {bounds}", "ranges"),
                )
            )
    for column in spec.get("timestamps", ()):
        if column in present:
            out.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column=f"{column}__ts",
                    min_value=EARLIEST_TIMESTAMP,
                    max_value=latest,
                    mostly=_mostly(f"{column}__ts"),
                    meta=meta(
                        f"{column} is between {EARLIEST_TIMESTAMP:%Y-%m-%d} and "
                        f"{latest:%Y-%m-%dT%H:%MZ} (not in the future)",
                        "ranges",
                    ),
                )
            )
    out.extend(_code_expectations(spec, present))
    return out


def _code_expectations(spec: dict[str, Any], present: set[str]) -> list[Any]:
    """The allowed values of the coded columns the file has (group `allowed_values`)."""
    import great_expectations.expectations as gxe

    out: list[Any] = []
    for column, allowed in spec.get("codes", {}).items():
        if column in present:
            shown = ", ".join(allowed) if len(allowed) <= 12 else f"{len(allowed)} ISO codes"
            out.append(
                gxe.ExpectColumnValuesToBeInSet(
                    column=f"{column}__code",
                    value_set=list(allowed),
                    mostly=_mostly(f"{column}__code"),
                    meta={"check": f"{column} is one of {shown}", "group": "allowed_values"},
                )
            )
    return out


def _mostly(column: str) -> dict[str, str]:
    return {"$PARAMETER": f"mostly__{column}"}


def mostly_parameters(expectations: list[Any], frame: pd.DataFrame, mostly: float) -> dict:
    """The `mostly` of each check of a batch (suite parameters): `batch_mostly` over the values
    the check judges: all rows for the null checks, the non-null values for the others."""
    out: dict[str, float] = {}
    for expectation in expectations:
        parameter = getattr(expectation, "mostly", None)
        if not isinstance(parameter, dict):
            continue
        column = expectation.column
        if expectation.expectation_type in NULL_CHECKS or column not in frame.columns:
            judged = len(frame)
        else:
            judged = int(frame[column].count())
        out[parameter["$PARAMETER"]] = batch_mostly(mostly, judged)
    return out


def batch_mostly(mostly: float, rows: int) -> float:
    """The `mostly` a check over `rows` values is held to: `mostly`, loosened so that a check
    over few values (a 50-row products file, a column only business customers fill) may always
    have SMALL_BATCH_BAD_VALUES unexpected values, which a 1-2% dirt rate reaches by chance.
    `mostly=1` stays strict."""
    if mostly >= 1 or rows <= 0:
        return mostly
    return max(0.0, min(mostly, 1 - SMALL_BATCH_BAD_VALUES / rows))


def _bounds_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}"
    return f">= {low:g}" if low is not None else f"<= {high:g}"


def freshness_column(spec: dict[str, Any], columns: list[str]) -> str | None:
    return next((c for c in spec.get("freshness", ()) if c in columns), None)


# --------------------------------------------------------------------------------------------------
# Great Expectations plumbing
# --------------------------------------------------------------------------------------------------


def _quiet_gx() -> None:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)


class _GxRunner:
    """One ephemeral GX context (in-memory stores) whose Data Docs site writes to docs_dir."""

    def __init__(self, docs_dir: Path) -> None:
        _quiet_gx()
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self.gx = gx
        self.docs_dir = docs_dir
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
            data_docs_sites={
                DOCS_SITE: {
                    "class_name": "SiteBuilder",
                    "show_how_to_buttons": False,
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(docs_dir),
                    },
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                }
            },
        )
        self.context = gx.get_context(mode="ephemeral", project_config=config)
        self.datasource = self.context.data_sources.add_pandas(name="landing_zone")

    def checkpoint(self, name: str, expectations: list[Any]) -> Any:
        """A checkpoint that validates one dataframe batch against `expectations`.

        It has no UpdateDataDocsAction: that action re-renders the site (and recompiles every
        Jinja template) after each batch, ~0.5 s a batch. `build_docs` renders all batch
        results in one pass at the end of the run instead."""
        gx = self.gx
        asset = self.datasource.add_dataframe_asset(name=name)
        batch_definition = asset.add_batch_definition_whole_dataframe(name=f"{name}__batch")
        suite = self.context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
        )
        return self.context.checkpoints.add(
            gx.Checkpoint(
                name=name,
                validation_definitions=[definition],
                actions=[],
                result_format="BASIC",  # SUMMARY's value counts cost ~40% more time
            )
        )

    def run(
        self,
        checkpoint: Any,
        frame: pd.DataFrame,
        run_name: str,
        run_time: datetime,
        parameters: dict[str, float] | None = None,
    ) -> Any:
        from great_expectations.core.run_identifier import RunIdentifier

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = checkpoint.run(
                batch_parameters={"dataframe": frame},
                expectation_parameters=parameters or {},
                run_id=RunIdentifier(run_name=run_name, run_time=run_time),
            )
        return next(iter(result.run_results.values()))

    def build_docs(self) -> Path:
        """Render every validation result of this run (and the suites) into the docs site."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.context.build_data_docs(site_names=[DOCS_SITE])
        return self.docs_dir / "index.html"


class _Failures:
    """Failed expectations of a source, merged across batches."""

    def __init__(self) -> None:
        self.by_check: dict[str, dict[str, Any]] = {}
        self.other: list[str] = []

    def add(self, label: str, validation_result: Any) -> None:
        for item in validation_result.results:
            if item.success:
                continue
            config = item.expectation_config
            check = (config.meta or {}).get("check") or f"{config.type} {config.kwargs}"
            entry = self.by_check.setdefault(check, {"where": [], "detail": ""})
            entry["where"].append(label)
            entry["detail"] = _failure_detail(item, entry["detail"])

    def lines(self) -> list[str]:
        out = list(self.other)
        for check, entry in self.by_check.items():
            where = entry["where"]
            shown = ", ".join(where[:5]) + (f" and {len(where) - 5} more" if len(where) > 5 else "")
            detail = f": {entry['detail']}" if entry["detail"] else ""
            out.append(f"{check} FAILED in {shown}{detail}")
        return out


def _show(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else repr(value)


def _failure_detail(item: Any, previous: str) -> str:
    """A short human reason; keeps the worst unexpected share seen across batches."""
    info = item.exception_info or {}
    if info.get("raised_exception"):
        return f"error: {str(info.get('exception_message', '')).splitlines()[0][:160]}"
    result = item.result or {}
    config = item.expectation_config
    if config.type == "expect_column_to_exist":
        return "column is missing"
    if "unexpected_percent" in result and result["unexpected_percent"] is not None:
        pct = float(result["unexpected_percent"])
        mostly = config.kwargs.get("mostly", 1.0)
        values = [
            v for v in (result.get("partial_unexpected_list") or []) if v is not None and v == v
        ]
        shown = list(dict.fromkeys(_show(v) for v in values))[:3]
        sample = ", ".join(shown)
        allowed = 100 * (1 - mostly)
        text = f"{pct:.1f}% unexpected (at most {allowed:.1f}% allowed)"
        if sample:
            text += f", e.g. {sample}"
        if previous.startswith(tuple("0123456789")):
            previous_pct = float(previous.split("%", 1)[0])
            if previous_pct > pct:
                return previous
        return text
    if "observed_value" in result:
        return f"observed {result['observed_value']}"
    return previous


# --------------------------------------------------------------------------------------------------
# The checkpoint
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Settings:
    reference: datetime
    run_time: datetime
    freshness_days: int
    batch_rows: int
    mostly: float
    say: Callable[[str], None]
    raw_dir: Path


def validate_landing_zone(
    raw_dir: Path,
    docs_dir: Path,
    reference_time: datetime | None = None,
    freshness_days: int = DEFAULT_FRESHNESS_DAYS,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    mostly: float = DEFAULT_MOSTLY,
    *,
    progress: Callable[[str], None] | None = None,
    dbt_vars: dict[str, Any] | None = None,
    taken: Mapping[str, Iterable[str]] | None = None,
) -> ValidationReport:
    """Validate every contract source under `raw_dir`; write Data Docs to `docs_dir`.

    `reference_time` (default: now, UTC; a naive value is UTC) anchors the freshness and
    not-in-the-future checks. `progress`, when given, receives one line per batch. `dbt_vars`
    override the vars of dbt_project.yml the code lists come from, as `dbt --vars` does.
    `taken` names, per source, the files (paths relative to `raw_dir`, as the delivery ledger
    holds them) that earlier runs took: only the other files are validated, and a source
    without other files is NO_NEW_FILES. A required source must have rows in its first
    delivery only.
    """
    import duckdb

    if batch_rows < 1:
        raise ValueError("batch_rows must be >= 1")
    if not 0 < mostly <= 1:
        raise ValueError("mostly must be in (0, 1]")
    started = time.perf_counter()
    raw_dir, docs_dir = Path(raw_dir), Path(docs_dir)
    reference = _as_utc(reference_time or datetime.now(timezone.utc))
    run_time = datetime.now(timezone.utc)
    say = progress or (lambda line: None)
    contract_ = contract.load(dbt_vars=dbt_vars) if dbt_vars else contract.default()
    required_sources = contract_.required_sources

    docs_dir.mkdir(parents=True, exist_ok=True)
    runner = _GxRunner(docs_dir.resolve())
    results: list[SourceResult] = []
    # a database file of its own, so that loading a large source spills to disk
    scratch = tempfile.TemporaryDirectory(prefix="custseg-validate-")
    con = duckdb.connect(str(Path(scratch.name) / "landing.duckdb"))
    try:
        reading = landing_settings(dbt_vars)
        for statement in landing.rejected_lines_table_sql():
            con.execute(statement)
        for source, spec in suites(contract_).items():
            try:
                delivery = landing.find(raw_dir, source, reading)
            except landing.LandingError as error:
                results.append(SourceResult(source, None, "failed", failures=[str(error)]))
                say(f"{source:<18} UNREADABLE: {error}")
                continue
            if delivery is None:
                status = "failed" if source in required_sources else "missing, skipped"
                failures = ["required source is missing"] if source in required_sources else []
                results.append(SourceResult(source, None, status, failures=failures))
                say(f"{source:<18} {'MISSING (required)' if failures else 'missing, skipped'}")
                continue
            held = set((taken or {}).get(source, ()))
            new = delivery.only(
                path for path in delivery.files if ledger.relative_path(path, raw_dir) not in held
            )
            if new is None:
                results.append(SourceResult(source, str(delivery.path), NO_NEW_FILES))
                say(f"{source:<18} {NO_NEW_FILES} ({len(delivery.files)} taken by earlier runs)")
                continue
            required = source in required_sources and len(new.files) == len(delivery.files)
            settings = _Settings(
                reference, run_time, freshness_days, batch_rows, mostly, say, raw_dir
            )
            results.append(_validate_source(runner, con, spec, new, required, settings, reading))
    finally:
        con.close()
        scratch.cleanup()
    index = runner.build_docs()
    return ValidationReport(
        success=all(r.success for r in results),
        sources=results,
        docs_index=index,
        reference_time=reference,
        mostly=mostly,
        seconds=time.perf_counter() - started,
    )


def landing_settings(dbt_vars: dict[str, Any] | None = None) -> landing.Settings:
    """How the landing files are written: the vars of dbt_project.yml, overridden by
    `dbt_vars` as `dbt --vars` does."""
    return landing.Settings.from_vars({**contract.project_vars(), **(dbt_vars or {})})


def _missing_identifier_columns(spec: dict[str, Any], columns: list[str]) -> list[str]:
    return [
        f"none of the identifier columns {', '.join(group)} exists (at least one required)"
        for group in spec.get("one_of", ())
        if not any(c in columns for c in group)
    ]


def _validate_source(  # noqa: PLR0913
    runner: _GxRunner,
    con: duckdb.DuckDBPyConnection,
    spec: dict[str, Any],
    delivery: landing.Delivery,
    required: bool,
    settings: _Settings,
    reading: landing.Settings,
) -> SourceResult:
    import duckdb

    say, run_time, source = settings.say, settings.run_time, delivery.source
    started = time.perf_counter()
    result = SourceResult(source, str(delivery.path), "passed")
    failures = _Failures()
    try:
        table, unreadable, problems = open_source(con, delivery, required, settings.raw_dir)
        columns = source_columns(con, table)
    except duckdb.Error as error:
        return _unreadable(result, error, started, say)
    failures.other.extend(problems + _missing_identifier_columns(spec, columns))
    if unreadable:
        say(f"{source:<18} {unreadable:,} unreadable lines (dbt quarantines them)")

    expectations = build_expectations(spec, columns, settings.reference)
    checkpoint = runner.checkpoint(source, expectations)
    select = select_list(spec, columns, reading)
    ts_column = freshness_column(spec, columns)
    latest_allowed = settings.reference + FUTURE_TOLERANCE
    newest: list[Any] = []  # per batch, the newest main timestamp that is not in the future
    batch_ok = True
    try:
        batches = stream_batches(con, table, settings.batch_rows, select)
        for number, frame in enumerate(batches, start=1):
            t0 = time.perf_counter()
            if ts_column:
                moments = frame[f"{ts_column}__ts"]
                newest.append(moments[moments <= latest_allowed].max())
            parameters = mostly_parameters(expectations, frame, settings.mostly)
            run_name = f"{source}-batch-{number:05d}"
            outcome = runner.run(checkpoint, frame, run_name, run_time, parameters)
            result.batches, result.rows = number, result.rows + len(frame)
            batch_ok &= bool(outcome.success)
            if not outcome.success:
                failures.add(f"batch {number}", outcome)
            say(
                f"{source:<18} batch {number:>4} {len(frame):>9,} rows  "
                f"{'pass' if outcome.success else 'FAIL'}  {time.perf_counter() - t0:6.2f}s"
            )
            rows = len(frame)
            del frame, outcome
            if rows >= GC_BATCH_ROWS:  # GX holds a batch in reference cycles: free it now
                gc.collect()
        if result.batches == 0:  # header only: still check the schema
            empty = empty_batch(con, table, select)
            parameters = mostly_parameters(expectations, empty, settings.mostly)
            outcome = runner.run(checkpoint, empty, f"{source}-batch-00001", run_time, parameters)
            batch_ok &= bool(outcome.success)
            if not outcome.success:
                failures.add("empty file", outcome)
            say(f"{source:<18} empty file  {'pass' if outcome.success else 'FAIL'}")
    except duckdb.Error as error:
        return _unreadable(result, error, started, say)

    fresh_ok = True
    if ts_column:
        fresh_ok = _check_freshness(runner, source, ts_column, newest, settings, failures)
        say(f"{source:<18} freshness of {ts_column}  {'pass' if fresh_ok else 'FAIL'}")

    result.failures = failures.lines()
    passed = batch_ok and fresh_ok and not failures.other
    result.status = "passed" if passed else "failed"
    result.seconds = time.perf_counter() - started
    return result


def _check_freshness(
    runner: _GxRunner,
    source: str,
    column: str,
    newest: list[Any],
    settings: _Settings,
    failures: _Failures,
) -> bool:
    """Validate the newest timestamp of the whole file (the max over the batch maxima).

    Future-dated values are left out: a few are normal dirt (the range check with `mostly`
    judges them), and one stray 2099 must not make a stale file look fresh."""
    import great_expectations.expectations as gxe
    import pandas as pd

    freshness_days = settings.freshness_days
    oldest_allowed = settings.reference - timedelta(days=freshness_days)
    latest_allowed = settings.reference + FUTURE_TOLERANCE
    check = (
        f"newest {column} (not in the future) is on or after {oldest_allowed:%Y-%m-%d} "
        f"(freshness {freshness_days} days)"
    )
    expectation = gxe.ExpectColumnMaxToBeBetween(
        column=f"{column}__newest",
        min_value=oldest_allowed,
        max_value=latest_allowed,
        meta={"check": check, "group": "freshness"},
    )
    values = pd.to_datetime(pd.Series(newest, dtype="object"), utc=True).dropna()
    if values.empty:
        failures.other.append(f"{check} FAILED: no parseable {column} that is not in the future")
        return False
    frame = pd.DataFrame({f"{column}__newest": values.reset_index(drop=True)})
    checkpoint = runner.checkpoint(f"{source}__freshness", [expectation])
    outcome = runner.run(checkpoint, frame, f"{source}-freshness", settings.run_time)
    if not outcome.success:
        failures.add("file", outcome)
    return bool(outcome.success)


def _unreadable(
    result: SourceResult, error: Exception, started: float, say: Callable[[str], None]
) -> SourceResult:
    message = str(error).strip().splitlines()[0][:200]
    result.status = "failed"
    result.failures = [f"could not be read: {message}"]
    result.seconds = time.perf_counter() - started
    say(f"{result.source:<18} UNREADABLE: {message}")
    return result


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------


def default_docs_dir() -> Path:
    """`GX_DOCS_DIR`, else `gx_data_docs/` at the repository root (else the working directory)."""
    if os.environ.get("GX_DOCS_DIR"):
        return Path(os.environ["GX_DOCS_DIR"])
    repo = Path(__file__).resolve().parents[1]
    base = repo if (repo / "dbt_project.yml").exists() or (repo / ".git").exists() else Path.cwd()
    return base / "gx_data_docs"


def _parse_time(text: str) -> datetime:
    try:
        return _as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 time: {text!r}") from error


def _parse_mostly(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError("--mostly must be in (0, 1]")
    return value


def _parse_positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be >= 1")
    return value


def _parse_vars(text: str) -> dict[str, Any]:
    try:
        return contract.parse_vars(text)
    except (ValueError, yaml.YAMLError) as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def register(subparsers: Any) -> None:
    """Add the `validate` subcommand to an argparse subparsers object."""
    parser = subparsers.add_parser(
        "validate",
        help="validate the landing zone with Great Expectations before dbt build",
        description=(
            "Run the Great Expectations checkpoint of every landing-zone source, write Data "
            "Docs, and exit 1 when the landing zone fails."
        ),
    )
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=Path(os.environ.get("RAW_DIR", "sample_data")),
        help="landing zone directory (default: $RAW_DIR, else sample_data)",
    )
    parser.add_argument(
        "--docs-dir",
        type=Path,
        default=None,
        help="Data Docs output folder (default: $GX_DOCS_DIR, else gx_data_docs/ at the repo root)",
    )
    parser.add_argument(
        "--reference-time",
        type=_parse_time,
        default=None,
        help="ISO-8601 time that freshness and future checks compare with (default: now, UTC)",
    )
    parser.add_argument(
        "--freshness-days",
        type=_parse_positive,
        default=DEFAULT_FRESHNESS_DAYS,
        help=f"newest main timestamp must be this recent (default: {DEFAULT_FRESHNESS_DAYS})",
    )
    parser.add_argument(
        "--mostly",
        type=_parse_mostly,
        default=DEFAULT_MOSTLY,
        help=f"share of values each value check needs to pass (default: {DEFAULT_MOSTLY})",
    )
    parser.add_argument(
        "--batch-rows",
        type=_parse_positive,
        default=DEFAULT_BATCH_ROWS,
        help=f"rows per validated batch (default: {DEFAULT_BATCH_ROWS:,})",
    )
    parser.add_argument(
        "--vars",
        type=_parse_vars,
        default=None,
        help="dbt vars overriding dbt_project.yml's code lists, as for dbt (a YAML mapping)",
    )
    parser.set_defaults(func=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    """Entry point of `custseg validate`: 0 when the landing zone passes, 1 when it fails."""
    docs_dir = args.docs_dir or default_docs_dir()
    print(f"validating {args.raw_dir} (batches of {args.batch_rows:,} rows)", flush=True)
    report = validate_landing_zone(
        raw_dir=args.raw_dir,
        docs_dir=docs_dir,
        reference_time=args.reference_time,
        freshness_days=args.freshness_days,
        batch_rows=args.batch_rows,
        mostly=args.mostly,
        progress=lambda line: print(line, flush=True),
        dbt_vars=args.vars,
    )
    print()
    for line in report.summary_lines():
        print(line)
    return 0 if report.success else 1
