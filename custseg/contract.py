"""The landing-zone contract, read from its one declaration: models/staging/_raw__sources.yml.

The dbt sources file declares every landing source: its columns, their types and checks, its
required columns, the staging model that holds its clean rows and the columns its freshness is
judged on. dbt reads it directly, scripts/gen_base_models.py writes the base models from it, and
Python code reads it here:

    from custseg import contract
    contract.source_names()               # ('crm_customers', 'orders', ...), in declared order
    contract.columns("orders")            # ('order_id', 'updated_at', ...), in declared order
    contract.required_sources()           # ('orders',)
    orders = contract.default().source("orders")
    orders.column("status").values        # ('completed', 'pending', ...): var order_statuses

Code lists stay dbt vars in dbt_project.yml, named by a column's `meta.values_var`, so that
`dbt --vars` overrides them; `load(dbt_vars=...)` applies the same overrides here. Lists kept in a
seed (`meta.values_seed`, `meta.values_column`) are read from the seed's CSV file.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONTRACT_FILE = ROOT / "models" / "staging" / "_raw__sources.yml"
PROJECT_FILE = ROOT / "dbt_project.yml"
SEEDS_DIR = ROOT / "seeds"
SOURCE_NAME = "raw"  # the dbt source that holds the landing tables

Range = tuple[float | None, float | None]


class ContractError(ValueError):
    """The declaration breaks a rule of the contract's own format."""


# What staging casts each declared data_type to.
DATA_TYPES: dict[str, str] = {
    "text": "text",
    "timestamp": "timestamp (UTC)",
    "date": "date",
    "decimal": "decimal(18, 4)",
    "integer": "bigint",
    "boolean": "boolean",
}
NUMBER_TYPES = frozenset({"decimal", "integer"})
TEMPORAL_TYPES = frozenset({"timestamp", "date"})


@dataclass(frozen=True)
class Check:
    """A value of `meta.check`: what staging does (scripts/gen_base_models.py), the rule a bad
    value breaks, whether it rejects the row or nulls the value, and the range the Great
    Expectations checkpoint holds a number to (unless the column sets `meta.gx_range`)."""

    does: str
    rules: tuple[str, ...]
    level: str
    gx_range: Range | None = None


CHECKS: dict[str, Check] = {
    "money": Check("a non-negative amount", ("negative_amount",), "row", (0, None)),
    "positive_money": Check(
        "an amount above 0 (the checkpoint accepts 0)", ("negative_amount",), "row", (0, None)
    ),
    "quantity": Check("a positive integer", ("invalid_quantity",), "row", (1, None)),
    "score": Check("a number from meta.min to meta.max", ("score_out_of_range",), "row"),
    "code": Check(
        "a value of its code list, compared in lower case (upper case with meta.upper)",
        ("unknown_<column>",),
        "row",
    ),
    "email": Check(
        "normalised (lower case, trimmed, no mailto:); a malformed or placeholder address "
        "(var placeholder_emails) is nulled",
        ("malformed_email", "placeholder_identifier"),
        "value",
    ),
    "phone": Check(
        "normalised to E.164 (country from meta.country_column, else var "
        "default_phone_country); a malformed or placeholder number (var placeholder_phones) is "
        "nulled",
        ("malformed_phone", "placeholder_identifier"),
        "value",
    ),
    "identifier": Check(
        "an id typed by people; placeholder text (var placeholder_texts) is nulled",
        ("placeholder_identifier",),
        "value",
    ),
    "country": Check(
        "an ISO-3166 alpha-2 code of seed country_codes, compared in upper case",
        ("unknown_country_code",),
        "value",
    ),
    "birth_date": Check(
        "a date from 1900-01-01 to the run date", ("implausible_birth_date",), "value"
    ),
    "latitude": Check("degrees within ±90", ("invalid_coordinates",), "value", (-90, 90)),
    "longitude": Check("degrees within ±180", ("invalid_coordinates",), "value", (-180, 180)),
    "count": Check("a non-negative integer", ("negative_count",), "value", (0, None)),
}
# The code list of check `country` (macro raw_is_unknown_country reads the same seed column).
COUNTRY_CODES = ("country_codes", "country_code")


@dataclass(frozen=True)
class Column:
    """One declared column of a landing source."""

    name: str
    data_type: str
    description: str
    required: bool
    meta: Mapping[str, Any]
    values: tuple[str, ...] | None = None  # allowed values of a coded column
    values_from: str | None = None  # where they are declared: "var <name>" or "seed <s>.<c>"

    @property
    def check(self) -> str | None:
        return self.meta.get("check")

    @property
    def is_number(self) -> bool:
        return self.data_type in NUMBER_TYPES

    @property
    def is_temporal(self) -> bool:
        return self.data_type in TEMPORAL_TYPES

    @property
    def is_boolean(self) -> bool:
        return self.data_type == "boolean"

    @property
    def upper(self) -> bool:
        """Whether codes are compared in upper case (else lower case)."""
        return self.check == "country" or bool(self.meta.get("upper"))

    @property
    def level(self) -> str | None:
        """`row` when a bad value quarantines the row, `value` when it only nulls the value."""
        if self.check is None:
            return None
        return self.meta.get("level", CHECKS[self.check].level)

    @property
    def rules(self) -> tuple[str, ...]:
        """The quarantine rules the column's check can report."""
        if self.check is None:
            return ()
        suffix = self.meta.get("rule_suffix", self.name)
        return tuple(rule.replace("<column>", suffix) for rule in CHECKS[self.check].rules)

    @property
    def gx_range(self) -> Range | None:
        """Inclusive bounds of a number in the GX checkpoint (None: an open end), or None."""
        if "gx_range" in self.meta:
            low, high = self.meta["gx_range"]
            return (low, high)
        if self.check == "score":
            return (self.meta["min"], self.meta["max"])
        return CHECKS[self.check].gx_range if self.check else None


@dataclass(frozen=True)
class Source:
    """One landing source (a dbt source table of source `raw`)."""

    name: str
    description: str
    staging_model: str
    required: bool  # the landing zone fails without it
    required_columns: tuple[str, ...]
    required_one_of: tuple[str, ...]  # at least one of these columns must exist
    required_one_of_values: tuple[str, ...]  # at least one of these values must be present
    freshness_columns: tuple[str, ...]  # GX freshness: the first of these the file has
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # the columns that identify a row (its versions share them)
    version_column: str | None = None  # the latest value wins among the rows of one key
    event_time_column: str | None = None  # a timestamp that may not lie in the future
    row_rules: tuple[tuple[str, str, str], ...] = ()  # (rule, SQL condition, column), last

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"source {self.name!r} has no column {name!r}")


@dataclass(frozen=True)
class Contract:
    """Every landing source, in declared order, and where they were read from."""

    sources: tuple[Source, ...]
    path: Path
    description: str

    @property
    def source_names(self) -> tuple[str, ...]:
        return tuple(source.name for source in self.sources)

    @property
    def required_sources(self) -> tuple[str, ...]:
        return tuple(source.name for source in self.sources if source.required)

    def source(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(f"no landing source {name!r} in {self.path}")


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------


def _read_yaml(path: Path) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


@functools.lru_cache(maxsize=8)
def _seed_values(path: Path, column: str) -> tuple[str, ...]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if column not in (reader.fieldnames or ()):
            raise ContractError(f"seed {path} has no column {column!r}")
        return tuple(row[column] for row in reader)


def project_vars(project_file: Path = PROJECT_FILE) -> dict[str, Any]:
    """The vars of dbt_project.yml with their default values."""
    return dict(_read_yaml(project_file).get("vars") or {})


def parse_vars(text: str) -> dict[str, Any]:
    """A `--vars` argument as dbt reads it: a YAML (or JSON) mapping."""
    value = yaml.safe_load(text)
    if not isinstance(value, dict):
        raise ValueError(f"--vars must be a YAML mapping, got {text!r}")
    return value


def load(
    path: Path = CONTRACT_FILE,
    project_file: Path = PROJECT_FILE,
    seeds_dir: Path = SEEDS_DIR,
    dbt_vars: Mapping[str, Any] | None = None,
) -> Contract:
    """Read and check the declaration at `path`; `dbt_vars` override the vars of
    dbt_project.yml (as `dbt --vars` does)."""
    path = Path(path)
    declared = _read_yaml(path) or {}
    raws = [s for s in declared.get("sources") or () if s.get("name") == SOURCE_NAME]
    if len(raws) != 1:
        raise ContractError(f"{path}: expected one source named {SOURCE_NAME!r}")
    settings = {**project_vars(project_file), **(dbt_vars or {})}
    reader = _Reader(path, settings, Path(seeds_dir))
    sources = tuple(reader.source(table) for table in raws[0].get("tables") or ())
    names = [source.name for source in sources]
    if len(set(names)) != len(names):
        raise ContractError(f"{path}: a source is declared twice")
    return Contract(sources, path, str(raws[0].get("description", "")).strip())


@functools.lru_cache(maxsize=1)
def default() -> Contract:
    """The project's contract with the default vars (read once)."""
    return load()


def source_names() -> tuple[str, ...]:
    """Every landing source, in declared order (what the generator writes)."""
    return default().source_names


def columns(source: str) -> tuple[str, ...]:
    """The declared columns of `source`, in order (the header the generator writes)."""
    return default().source(source).column_names


def required_sources() -> tuple[str, ...]:
    """The sources a landing zone cannot do without."""
    return default().required_sources


@dataclass(frozen=True)
class _Reader:
    path: Path
    settings: Mapping[str, Any]
    seeds_dir: Path

    def fail(self, where: str, problem: str) -> ContractError:
        return ContractError(f"{self.path}: {where}: {problem}")

    def source(self, table: Mapping[str, Any]) -> Source:
        name = table["name"]
        meta = table.get("meta") or {}
        columns = tuple(self.column(name, c, meta) for c in table.get("columns") or ())
        declared = [c.name for c in columns]
        if len(set(declared)) != len(declared):
            raise self.fail(name, "a column is declared twice")
        lists = {}
        for key in (
            "required_columns",
            "required_one_of",
            "required_one_of_values",
            "freshness_columns",
            "key",
        ):
            lists[key] = tuple(meta.get(key) or ())
            unknown = [c for c in lists[key] if c not in declared]
            if unknown:
                raise self.fail(name, f"meta.{key} names undeclared columns {unknown}")
        if not meta.get("staging_model"):
            raise self.fail(name, "meta.staging_model is missing")
        if not lists["key"]:
            raise self.fail(name, "meta.key is missing")
        for setting in ("version_column", "event_time_column"):
            if meta.get(setting) is not None and meta[setting] not in declared:
                raise self.fail(name, f"meta.{setting} names an undeclared column")
        rules = []
        for rule in meta.get("row_rules") or ():
            if rule.get("column") not in declared:
                problem = f"row rule {rule.get('rule')!r} needs `column`: a declared column"
                raise self.fail(name, problem)
            rules.append((rule["rule"], rule["when"], rule["column"]))
        return Source(
            name=name,
            description=str(table.get("description", "")).strip(),
            staging_model=meta["staging_model"],
            required=bool(meta.get("required_source", False)),
            columns=columns,
            version_column=meta.get("version_column"),
            event_time_column=meta.get("event_time_column"),
            row_rules=tuple(rules),
            **lists,
        )

    def column(self, source: str, spec: Mapping[str, Any], table_meta: Mapping) -> Column:
        where = f"{source}.{spec.get('name')}"
        meta = spec.get("meta") or {}
        data_type = spec.get("data_type")
        if data_type not in DATA_TYPES:
            raise self.fail(where, f"data_type {data_type!r} is not one of {list(DATA_TYPES)}")
        check = meta.get("check")
        if check is not None and check not in CHECKS:
            raise self.fail(where, f"meta.check {check!r} is not one of {list(CHECKS)}")
        if check == "score" and not {"min", "max"} <= set(meta):
            raise self.fail(where, "check score needs meta.min and meta.max")
        if "gx_range" in meta and not (
            isinstance(meta["gx_range"], list) and len(meta["gx_range"]) == 2
        ):
            raise self.fail(where, "meta.gx_range must be [min, max] (null for an open end)")
        values, values_from = self.code_list(where, check, meta)
        return Column(
            name=spec["name"],
            data_type=data_type,
            description=str(spec.get("description", "")).strip(),
            required=spec["name"] in (table_meta.get("required_columns") or ()),
            meta=meta,
            values=values,
            values_from=values_from,
        )

    def code_list(
        self, where: str, check: str | None, meta: Mapping[str, Any]
    ) -> tuple[tuple[str, ...] | None, str | None]:
        if check == "country":
            seed, column = COUNTRY_CODES
        elif check != "code":
            return None, None
        elif meta.get("values_var"):
            name = meta["values_var"]
            if name not in self.settings:
                raise self.fail(where, f"meta.values_var {name!r} is not a var of dbt_project.yml")
            value = self.settings[name]
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise self.fail(where, f"var {name!r} must be a list of strings")
            return tuple(value), f"var {name}"
        elif meta.get("values_seed") and meta.get("values_column"):
            seed, column = meta["values_seed"], meta["values_column"]
        else:
            raise self.fail(where, "check code needs meta.values_var or meta.values_seed")
        seed_file = self.seeds_dir / f"{seed}.csv"
        if not seed_file.is_file():
            raise self.fail(where, f"seed file {seed_file} does not exist")
        return _seed_values(seed_file, column), f"seed {seed}.{column}"
