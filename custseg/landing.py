"""The landing zone: which files hold each source and how DuckDB reads them.

One module answers both readers, so they cannot disagree: dbt's `on-run-start`
(macros/raw_landing_zone.sql, through the DuckDB function that custseg/dbt_plugin.py registers)
and the Great Expectations checkpoint (custseg/quality.py).

A source is delivered in exactly one form: `<name>.csv`, `<name>.parquet`, or a folder
`<name>/` of `*.csv` or of `*.parquet` files. Two forms of one source are an error, as is a file
that cannot be a delivery at all (empty, another delimiter, another encoding, a header naming a
column twice). Lines of a CSV file that cannot be parsed do not stop anything: DuckDB's reader
keeps them aside (`store_rejects`) and they are quarantined with their file and line number.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from custseg import ledger

# What the contract expects unless the dbt vars say otherwise (dbt_project.yml, same names).
DEFAULT_DELIMITER = ","
DEFAULT_ENCODING = "utf-8"
# DuckDB's CSV reader knows these without extensions.
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-16": "utf-16", "latin-1": "latin-1"}
ENCODINGS.update({"latin1": "latin-1", "iso-8859-1": "latin-1"})
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
HEAD_BYTES = 1 << 16  # the header and the first rows are judged from the file's first 64 KiB
# The rejects of one file: above this share of its lines, the file as a whole is wrong.
MAX_MALFORMED_SHARE = 0.5
# The table that collects every landing line DuckDB could not parse (see `rejected_lines_sql`).
REJECTED_LINES = "raw.landing_rejected_lines"
# DuckDB's error types -> the quarantine rule of the line
REJECT_RULES = {
    "INVALID ENCODING": "invalid_encoding",
    "INVALID UNICODE": "invalid_encoding",
    "LINE SIZE OVER MAXIMUM": "line_too_long",
}
DEFAULT_REJECT_RULE = "malformed_line"  # too many or too few fields, an unterminated quote, ...


class LandingError(ValueError):
    """A landing file that cannot be read as a delivery: the message names it and the fix."""


@dataclass(frozen=True)
class Settings:
    """How the landing files are written: the dbt vars csv_delimiter, csv_encoding,
    decimal_separator, thousands_separator and date_order (defaults in dbt_project.yml)."""

    delimiter: str = DEFAULT_DELIMITER
    encoding: str = DEFAULT_ENCODING
    decimal_separator: str = "."
    thousands_separator: str = ""
    date_order: str = "iso"

    @classmethod
    def from_vars(cls, values: Mapping[str, Any]) -> Settings:
        delimiter = str(values.get("csv_delimiter", DEFAULT_DELIMITER))
        if delimiter in ("\\t", "tab"):
            delimiter = "\t"
        encoding = str(values.get("csv_encoding", DEFAULT_ENCODING)).strip().lower()
        if len(delimiter) != 1:
            raise LandingError(f"csv_delimiter must be one character, got {delimiter!r}")
        if encoding not in ENCODINGS:
            raise LandingError(
                f"csv_encoding {encoding!r} is not supported; use one of "
                + ", ".join(sorted(set(ENCODINGS.values())))
            )
        decimal = str(values.get("decimal_separator", "."))
        thousands = str(values.get("thousands_separator", "") or "")
        order = str(values.get("date_order", "iso")).strip().lower()
        if decimal not in (".", ","):
            raise LandingError(f"decimal_separator must be '.' or ',', got {decimal!r}")
        if thousands == decimal:
            raise LandingError("thousands_separator and decimal_separator must differ")
        if order not in ("iso", "dmy", "mdy"):
            raise LandingError(f"date_order must be iso, dmy or mdy, got {order!r}")
        return cls(delimiter, ENCODINGS[encoding], decimal, thousands, order)

    def number_text_sql(self, expression: str) -> str:
        """`expression` (a number as the files write it) rewritten with `.` as decimal point
        and no grouping; the same rewrite as the macro raw_number_text."""
        if self.thousands_separator:
            expression = f"replace({expression}, {_literal(self.thousands_separator)}, '')"
        if self.decimal_separator != ".":
            expression = f"replace({expression}, {_literal(self.decimal_separator)}, '.')"
        return expression

    def timestamp_sql(self, expression: str) -> str:
        """DuckDB: `expression` parsed as a timestamp with time zone, ISO-8601 or, with
        date_order dmy / mdy, day-first / month-first (macro raw_parse_temporal)."""
        iso = f"try_cast({expression} as timestamptz)"
        if self.date_order == "iso":
            return iso
        day_month = "%d{s}%m{s}%Y" if self.date_order == "dmy" else "%m{s}%d{s}%Y"
        formats = ", ".join(
            "'" + day_month.replace("{s}", separator) + time + "'"
            for separator in ("/", "-", ".")
            for time in ("", " %H:%M", " %H:%M:%S")
        )
        return f"coalesce({iso}, cast(try_strptime({expression}, [{formats}]) as timestamptz))"


@dataclass(frozen=True)
class CsvFile:
    path: Path
    columns: tuple[str, ...]  # the header's names, trimmed and lower-cased
    has_rows: bool


@dataclass(frozen=True)
class Delivery:
    """One source as found in the landing zone."""

    source: str
    form: str  # csv | parquet | csv folder | parquet folder
    path: Path  # the file or the folder
    files: tuple[Path, ...]
    settings: Settings = field(default_factory=Settings)
    csv_files: tuple[CsvFile, ...] = ()

    @property
    def is_csv(self) -> bool:
        return self.form.startswith("csv")

    @property
    def has_rows(self) -> bool | None:
        """False when every CSV file holds a header only; None when only a scan can tell."""
        return any(file.has_rows for file in self.csv_files) if self.is_csv else None

    def reader(self, rejects: str | None = None, file_column: str | None = None) -> str:
        """The DuckDB table expression of the source's rows (every column as text). With
        `rejects`, unparsable lines go to the temporary tables `<rejects>_<i>_errors` and
        `<rejects>_<i>_scans` (one pair per header layout); without, they are skipped. With
        `file_column`, a CSV row carries the path of its file in that column."""
        if not self.is_csv:
            files = ", ".join(_literal(path) for path in self.files)
            named = f", filename = {_literal(file_column)}" if file_column else ""
            return f"read_parquet([{files}], union_by_name = true{named})"
        groups: dict[tuple[str, ...], list[Path]] = {}
        for file in self.csv_files:
            groups.setdefault(file.columns, []).append(file.path)
        readers = [
            f"select * from {self._csv_reader(columns, paths, rejects, i, file_column)}"
            for i, (columns, paths) in enumerate(groups.items())
        ]
        if len(readers) == 1:
            return readers[0].removeprefix("select * from ")
        return "(" + " union all by name ".join(readers) + ")"

    def only(self, files: Iterable[Path]) -> Delivery | None:
        """The same delivery restricted to `files` (those not taken before); None if empty."""
        keep = set(files)
        if not keep:
            return None
        return replace(
            self,
            files=tuple(path for path in self.files if path in keep),
            csv_files=tuple(file for file in self.csv_files if file.path in keep),
        )

    def paths_sql(self, raw_dir: Path) -> str:
        """A DuckDB table `landing_paths(read_path, file_path)`: each file as the reader
        records it and as its path relative to the landing zone (what raw.<source> keeps)."""
        rows = ", ".join(
            f"({_literal(path)}, {_literal(ledger.relative_path(path, raw_dir))})"
            for path in self.files
        )
        return f"(values {rows}) as landing_paths(read_path, file_path)"

    def rejects_tables(self, rejects: str) -> list[tuple[str, str]]:
        """(errors table, scans table) of each header layout that `reader(rejects)` fills."""
        layouts = {file.columns for file in self.csv_files}
        return [(f"{rejects}_{i}_errors", f"{rejects}_{i}_scans") for i in range(len(layouts))]

    def _csv_reader(  # noqa: PLR0913
        self,
        columns: tuple[str, ...],
        paths: list[Path],
        rejects: str | None,
        index: int,
        file_column: str | None,
    ) -> str:
        files = ", ".join(_literal(path) for path in paths)
        types = ", ".join(f"{_literal(name)}: 'VARCHAR'" for name in columns)
        options = [
            "header = true",
            "auto_detect = false",
            f"delim = {_literal(self.settings.delimiter)}",
            "quote = '\"'",
            "escape = '\"'",
            f"encoding = {_literal(self.settings.encoding)}",
            f"columns = {{{types}}}",
            "null_padding = false",
        ]
        if file_column:
            options.append(f"filename = {_literal(file_column)}")
        if rejects:
            options += [
                "store_rejects = true",
                f"rejects_table = '{rejects}_{index}_errors'",
                f"rejects_scan = '{rejects}_{index}_scans'",
            ]
        else:
            options.append("ignore_errors = true")
        return f"read_csv([{files}], {', '.join(options)})"


def _literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _describe(path: Path, raw_dir: Path) -> str:
    try:
        return str(path.relative_to(raw_dir))
    except ValueError:
        return str(path)


def find(raw_dir: Path, source: str, settings: Settings | None = None) -> Delivery | None:
    """The delivery of one source, None when the landing zone has none; LandingError when the
    source is there in more than one form or a file of it cannot be a delivery."""
    settings = settings or Settings()
    candidates = {
        "csv": raw_dir / f"{source}.csv",
        "parquet": raw_dir / f"{source}.parquet",
    }
    forms: list[tuple[str, Path, tuple[Path, ...]]] = []
    for form, path in candidates.items():
        if path.is_file():
            forms.append((form, path, (path,)))
    folder = raw_dir / source
    if folder.is_dir():
        for kind in ("csv", "parquet"):
            files = tuple(sorted(folder.glob(f"*.{kind}")))
            if files:
                forms.append((f"{kind} folder", folder, files))
    if not forms:
        return None
    if len(forms) > 1:
        found = " and ".join(
            _describe(path, raw_dir) + ("/" if path.is_dir() else "") for _, path, _ in forms
        )
        raise LandingError(
            f"source '{source}' is delivered twice in {raw_dir}: {found}. Keep one of them "
            f"(one file {source}.csv or {source}.parquet, or one folder {source}/ of .csv or "
            ".parquet files) and move the other out of the landing zone."
        )
    form, path, files = forms[0]
    csv_files = tuple(read_header(file, settings) for file in files) if "csv" in form else ()
    return Delivery(source, form, path, files, settings, csv_files)


def read_header(path: Path, settings: Settings) -> CsvFile:
    """The header of a CSV file, or LandingError naming the file and what to change."""
    size = path.stat().st_size
    if size == 0:
        raise LandingError(
            f"{path} is empty (0 bytes): deliver the header line and the rows, or remove the file."
        )
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    _check_encoding(path, head, settings)
    text = head.decode(settings.encoding, errors="replace")
    text = text.removeprefix("\ufeff")
    header_line, _, rest = text.partition("\n")
    header_line = header_line.rstrip("\r")
    fields = next(csv.reader([header_line], delimiter=settings.delimiter, quotechar='"'), [])
    if len(fields) <= 1:
        _check_delimiter(path, header_line, settings)
    columns = tuple(name.strip().lower() for name in fields)
    _check_names(path, columns)
    has_rows = bool(rest.strip()) or size > len(head)
    return CsvFile(path, columns, has_rows)


def _check_encoding(path: Path, head: bytes, settings: Settings) -> None:
    wide = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:200]
    if wide and settings.encoding != "utf-16":
        raise LandingError(
            f"{path} is not {settings.encoding}: it looks like UTF-16 (a 'Unicode text' export). "
            "Save it as UTF-8 CSV, or set the var csv_encoding: utf-16."
        )
    first_line = head.split(b"\n", 1)[0]
    if settings.encoding == "utf-8":
        try:
            first_line.decode("utf-8")
        except UnicodeDecodeError:
            raise LandingError(
                f"{path}: its header line is not valid UTF-8. Save the file as UTF-8, or set "
                "the var csv_encoding (latin-1 for Latin-1 / Windows-1252 exports)."
            ) from None


def _check_delimiter(path: Path, header_line: str, settings: Settings) -> None:
    for candidate, name in DELIMITER_NAMES.items():
        if candidate == settings.delimiter:
            continue
        fields = next(csv.reader([header_line], delimiter=candidate, quotechar='"'), [])
        if len(fields) > 1:
            shown = "\\t" if candidate == "\t" else candidate
            raise LandingError(
                f"{path} is separated by {name}s ('{shown}'), not by the expected "
                f"{DELIMITER_NAMES.get(settings.delimiter, repr(settings.delimiter))} "
                f"({settings.delimiter!r}). Set the var csv_delimiter: '{shown}', or export "
                "the file with the expected delimiter."
            )


def _check_names(path: Path, columns: tuple[str, ...]) -> None:
    for position, name in enumerate(columns, start=1):
        if not name:
            raise LandingError(f"{path}: column {position} of the header has no name.")
    seen: dict[str, list[int]] = {}
    for position, name in enumerate(columns, start=1):
        seen.setdefault(name, []).append(position)
    repeated = {name: places for name, places in seen.items() if len(places) > 1}
    if repeated:
        detail = "; ".join(
            f"'{name}' is columns {', '.join(map(str, places))}"
            for name, places in repeated.items()
        )
        raise LandingError(
            f"{path}: the header names a column more than once ({detail}; names are compared "
            "trimmed and in lower case). Rename or remove the extra column."
        )


# --------------------------------------------------------------------------------------------------
# The load plan that dbt's on-run-start runs (and the checks it shares with the checkpoint)
# --------------------------------------------------------------------------------------------------


def rejected_lines_sql(delivery: Delivery, rejects: str, raw_dir: Path) -> str:
    """Select the lines `delivery.reader(rejects)` rejected, in the columns of REJECTED_LINES
    (file_name: the file's path relative to the landing zone)."""
    parts = []
    for errors, scans in delivery.rejects_tables(rejects):
        rule = " ".join(
            f"when '{error}' then '{rule}'" for error, rule in sorted(REJECT_RULES.items())
        )
        parts.append(
            f"select {_literal(delivery.source)} as source, "
            "coalesce(landing_paths.file_path, cast(scans.file_path as varchar)) as file_name, "
            "cast(errors.line as bigint) as line_number, "
            f"case cast(errors.error_type as varchar) {rule} "
            f"else '{DEFAULT_REJECT_RULE}' end as rule, "
            "cast(errors.column_name as varchar) as column_name, "
            "trim(cast(errors.csv_line as varchar), chr(13) || chr(10)) as raw_line, "
            "cast(errors.error_message as varchar) as error_message "
            f"from {errors} as errors inner join {scans} as scans "
            "on errors.scan_id = scans.scan_id and errors.file_id = scans.file_id "
            f"left join {delivery.paths_sql(raw_dir)} "
            "on cast(scans.file_path as varchar) = landing_paths.read_path"
        )
    # one row per line (the reader may report two errors for one line)
    return (
        "select * from (" + " union all ".join(parts) + ") as rejected qualify row_number() "
        "over (partition by file_name, line_number order by error_message) = 1"
    )


def problems_sql(delivery: Delivery, table: str, required: bool) -> str:
    """A query of the problems of a loaded source that stop the run (no rows when none): a
    required source without rows, a file whose lines mostly could not be read."""
    checks = []
    if required:
        held = "a header only" if delivery.is_csv else "no rows"
        message = (
            f"required source {delivery.source!r} has no rows ({delivery.path} holds {held}): "
            "deliver its rows"
        )
        checks.append(
            f"select {_literal(message)} as problem "
            f"from (select count(*) as n from {table}) as counted where n = 0 and not exists "
            f"(select 1 from {REJECTED_LINES} where source = {_literal(delivery.source)})"
        )
    if delivery.is_csv:
        hint = (
            "check the var csv_encoding (set to "
            + delivery.settings.encoding
            + ") and csv_delimiter, or repair the export"
        )
        checks.append(
            "select file_name || ': ' || cast(bad as varchar) || ' of ' || "
            "cast(bad + good as varchar) || ' lines could not be read (' || rules || '); "
            f"{hint}' as problem from ("
            "select rejected.file_name, count(*) as bad, "
            "string_agg(distinct rejected.rule, ', ' order by rejected.rule) as rules, "
            "max(coalesce(loaded.rows_read, 0)) as good "
            f"from {REJECTED_LINES} as rejected left join ("
            f"select landing_file, count(*) as rows_read from {table} group by landing_file"
            ") as loaded on rejected.file_name = loaded.landing_file "
            f"where rejected.source = {_literal(delivery.source)} "
            "group by rejected.file_name"
            f") as per_file where bad > {MAX_MALFORMED_SHARE} * (bad + good) and bad > 1"
        )
    if not checks:
        return "select cast(null as varchar) as problem where false"
    return " union all ".join(checks)


def load_statements(delivery: Delivery, raw_dir: Path) -> list[str]:
    """Create raw.<source> from a delivery: a CSV source is read once into a table (its rows
    carry in `landing_file` their file's path relative to the landing zone; the lines it
    cannot parse go to REJECTED_LINES), a Parquet source is a view."""
    table = f"raw.{delivery.source}"
    rejects = f"custseg_rejects_{delivery.source}" if delivery.is_csv else None
    reader = delivery.reader(rejects, file_column="landing_file")
    rows = (
        "select loaded.* exclude (landing_file), landing_paths.file_path as landing_file "
        f"from {reader} as loaded inner join {delivery.paths_sql(raw_dir)} "
        "on loaded.landing_file = landing_paths.read_path"
    )
    if rejects is None:
        return [f"create view {table} as {rows}"]
    return [
        f"create or replace table {table} as {rows}",
        f"insert into {REJECTED_LINES} {rejected_lines_sql(delivery, rejects, raw_dir)}",
    ]


def rejected_lines_table_sql() -> list[str]:
    """Create the (empty) table of rejected lines."""
    return [
        "create schema if not exists raw",
        f"create or replace table {REJECTED_LINES} (source varchar, file_name varchar, "
        "line_number bigint, rule varchar, column_name varchar, raw_line varchar, "
        "error_message varchar)",
    ]


def plan(
    raw_dir: str | Path,
    sources: Iterable[Mapping[str, Any]],
    values: Mapping,
    taken: Mapping[str, Iterable[str]] | None = None,
) -> dict:
    """What dbt's on-run-start runs on DuckDB, as JSON-ready data: `problems` (stop the run
    before anything is read), `statements` (create raw.<source> and collect rejected lines;
    the caller drops the raw.<source> relations of earlier runs first), `checks` (queries whose
    rows are problems), `found` (source -> form and path), `loaded` (the sources with files to
    read). The statements also list every file with its size and hash in
    custseg.ledger.LISTING.

    `taken` names, per source, the files (paths relative to the landing zone) that its base
    model already holds: they are listed but not read again, so raw.<source> holds only new
    deliveries, and a source without new files gets no raw.<source> at all."""
    raw_dir = Path(raw_dir)
    taken = taken or {}
    problems: list[str] = []
    statements = rejected_lines_table_sql()
    files: list[ledger.LandingFile] = []
    loads: list[str] = []
    checks: list[str] = []
    found: dict[str, str] = {}
    loaded: list[str] = []
    try:
        settings = Settings.from_vars(values)
    except LandingError as error:
        return {"problems": [str(error)], "statements": [], "checks": [], "found": {}, "loaded": []}
    for source in sources:
        name, table = source["name"], f"raw.{source['name']}"
        try:
            delivery = find(raw_dir, name, settings)
        except LandingError as error:
            problems.append(str(error))
            continue
        if delivery is None:
            continue
        found[name] = f"{delivery.form} {delivery.path}"
        described = ledger.describe(name, delivery.files, raw_dir)
        files += described
        held = set(taken.get(name, ()))
        fresh = [file for file in described if file.file_path not in held]
        new = delivery.only(Path(file.landing_file) for file in fresh)
        if new is None:
            continue
        loaded.append(name)
        loads += load_statements(new, raw_dir)
        paths = [file.file_path for file in fresh]
        loads.append(ledger.counts_sql(name, table, REJECTED_LINES, paths))
        # a required source must have rows on its first delivery, not in every new file
        first = len(new.files) == len(delivery.files)
        checks.append(problems_sql(new, table, bool(source.get("required")) and first))
    statements += ledger.listing_sql(files) + loads
    return {
        "problems": problems,
        "statements": statements,
        "checks": checks,
        "found": found,
        "loaded": loaded,
    }


def plan_json(raw_dir: str, sources_json: str, values_json: str, taken_json: str) -> str:
    """`plan` for the DuckDB function custseg_landing_plan (strings in, a JSON string out)."""
    return json.dumps(
        plan(raw_dir, json.loads(sources_json), json.loads(values_json), json.loads(taken_json))
    )
