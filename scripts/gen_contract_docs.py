"""Write the files derived from the landing-zone declaration (run after editing it).

`.venv/bin/python scripts/gen_contract_docs.py` rewrites, from models/staging/_raw__sources.yml
and the code-list vars of dbt_project.yml:
- docs/raw_sources.md, the contract's reference document;
- macros/landing_sources.sql, the {source: staging model} map the quarantine and reconciliation
  models loop over. It is a literal because dbt parses those models before it knows the
  sources (`graph.sources` is empty then), and the refs inside the loops must be seen at parse
  time.
tests/python/test_contract.py fails while a committed file differs from what this writes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from custseg import contract, quality

ROOT = Path(__file__).resolve().parents[1]
COMMAND = ".venv/bin/python scripts/gen_contract_docs.py"
DECLARATION = "models/staging/_raw__sources.yml"
UNPARSABLE = {
    "timestamp": "unparsable_timestamp",
    "date": "unparsable_date",
    "decimal": "unparsable_number",
    "integer": "unparsable_number",
    "boolean": "unparsable_boolean",
}
CHECKPOINT_TYPES = {
    "text": "",
    "timestamp": "parses as an ISO-8601 timestamp; within the timestamp range",
    "date": "parses as a date; within the timestamp range",
    "decimal": "parses as a number; within the column's range",
    "integer": "parses as a number; within the column's range",
    "boolean": "parses as a boolean (true/false/t/f/1/0/yes/no/y/n)",
}
SHOWN_VALUES = 12  # longer code lists are shown by their size


def _code(items: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"`{item}`" for item in items)


def _bounds(bounds: contract.Range | None) -> str:
    if bounds is None or bounds == (None, None):
        return ""
    low, high = bounds
    if low is not None and high is not None:
        return f"{low:g} to {high:g}"
    return f">= {low:g}" if low is not None else f"<= {high:g}"


def _values(column: contract.Column) -> str:
    values = column.values or ()
    if len(values) > SHOWN_VALUES:
        return f"{len(values)} codes"
    return _code(values)


def _check_cell(column: contract.Column) -> str:
    """What the contract checks on a column: its check, code list, rules and checkpoint range."""
    parts = []
    if column.check:
        text = f"`{column.check}`"
        if column.values is not None:
            kind, name = column.values_from.split(" ", 1)
            text += f" ({kind} `{name}`{', upper case' if column.upper else ''})"
        if column.check == "score":
            text += f" {column.meta['min']:g} to {column.meta['max']:g}"
        parts.append(text)
        rules = ", ".join(f"`{rule}`" for rule in column.rules)
        parts.append(f"{'row' if column.level == 'row' else 'value'}: {rules}")
    bounds = _bounds(column.gx_range) if column.is_number else ""
    if bounds:
        parts.append(f"checkpoint {bounds}")
    return "; ".join(parts)


def _source_section(source: contract.Source) -> list[str]:
    title = f"### {source.name}{' (required source)' if source.required else ''}"
    facts = [f"Required columns: {_code(source.required_columns)}."]
    if source.required_one_of:
        facts.append(f"At least one of these columns must exist: {_code(source.required_one_of)}.")
    if source.required_one_of_values:
        facts.append(
            "At least one of these values must be present, else the row is quarantined "
            f"(`missing_identifier`): {_code(source.required_one_of_values)}."
        )
    facts.append(f"Clean rows: `{source.staging_model}`; every row: `base_raw__{source.name}`.")
    if source.freshness_columns:
        candidates = ", else ".join(f"`{c}`" for c in source.freshness_columns)
        facts.append(f"Checkpoint freshness on: {candidates}.")
    lines = [title, "", source.description, "", " ".join(facts), ""]
    lines += ["| column | type | required | check | meaning |", "|---|---|---|---|---|"]
    for column in source.columns:
        required = "yes" if column.required else ""
        lines.append(
            f"| {column.name} | {column.data_type} | {required} | {_check_cell(column)} "
            f"| {column.description} |"
        )
    return [*lines, ""]


def _code_lists(landing: contract.Contract) -> list[str]:
    users: dict[str, list[str]] = {}
    values: dict[str, str] = {}
    for source in landing.sources:
        for column in source.columns:
            if column.values is not None:
                users.setdefault(column.values_from, []).append(f"{source.name}.{column.name}")
                values[column.values_from] = _values(column)
    lines = [
        "## Code lists",
        "",
        "A coded value outside its list breaks the column's rule. Lists named `var` are vars of "
        "`dbt_project.yml`, shown here with their default values; `dbt --vars` and "
        "`custseg validate --vars` override them. Lists named `seed` are a column of a file in "
        "`seeds/`.",
        "",
        "| list | used by | values |",
        "|---|---|---|",
    ]
    for origin, columns in users.items():
        kind, name = origin.split(" ", 1)
        lines.append(f"| {kind} `{name}` | {', '.join(columns)} | {values[origin]} |")
    return [*lines, ""]


def _types() -> list[str]:
    earliest = f"{quality.EARLIEST_TIMESTAMP:%Y-%m-%d}"
    tolerance = quality.FUTURE_TOLERANCE.total_seconds() / 3600
    lines = [
        "## Data types",
        "",
        "Staging casts every column to its type. A required value that does not cast quarantines "
        "the row; an optional one is nulled and its rule recorded in `<column>__issue`. The "
        f"checkpoint's timestamp range is {earliest} to the reference time plus {tolerance:g} "
        "hours.",
        "",
        "| type | staging casts to | rule when it does not cast | checkpoint |",
        "|---|---|---|---|",
    ]
    for name, cast in contract.DATA_TYPES.items():
        rule = f"`{UNPARSABLE[name]}`" if name in UNPARSABLE else ""
        lines.append(f"| {name} | {cast} | {rule} | {CHECKPOINT_TYPES[name]} |")
    return [*lines, ""]


def _checks() -> list[str]:
    lines = [
        "## Checks",
        "",
        "A column's `meta.check` (written out in its base model by scripts/gen_base_models.py). "
        "A `row` rule quarantines the row "
        "(`marts.quarantined_rows`); a `value` rule nulls the value and keeps the row (its rule "
        "is in `<column>__issue`; value rules are not applied to required columns). A check "
        "`code` is a row rule unless `meta.level` is `value`; `meta.rule_suffix` renames "
        "`unknown_<column>`. The checkpoint range applies to the Great Expectations checkpoint, "
        "unless a column sets `meta.gx_range`. Besides the checks, a row is quarantined when a "
        "required value is empty (`missing_key` for the key columns, else "
        "`missing_required_value`), when its event time lies more than var "
        "`future_tolerance_hours` in the future (`future_timestamp`), and when it repeats a "
        "delivered row (`duplicate_delivery`); an older version of a key is superseded.",
        "",
        "| check | staging | rules | level | checkpoint range |",
        "|---|---|---|---|---|",
    ]
    for name, check in contract.CHECKS.items():
        rules = ", ".join(f"`{rule}`" for rule in check.rules)
        bounds = _bounds(check.gx_range) or ("meta.min to meta.max" if name == "score" else "")
        lines.append(f"| {name} | {check.does} | {rules} | {check.level} | {bounds} |")
    return [*lines, ""]


def render_reference(landing: contract.Contract) -> str:
    """The text of docs/raw_sources.md."""
    summary = [
        "| source | required | required columns | clean rows in |",
        "|---|---|---|---|",
    ]
    for source in landing.sources:
        summary.append(
            f"| [{source.name}](#{source.name}) | {'yes' if source.required else ''} "
            f"| {', '.join(source.required_columns)} | `{source.staging_model}` |"
        )
    lines = [
        f"<!-- Generated by scripts/gen_contract_docs.py from {DECLARATION}: edit that file, "
        f"then run `{COMMAND}`. -->",
        "",
        "# Raw source contract (landing zone)",
        "",
        "The contract between the company's loaders and this project: the landing sources, their "
        "columns and types, what is required, and what counts as bad input. It is declared once, "
        f"in `{DECLARATION}`; dbt (the base models), the Great Expectations checkpoint "
        "(`custseg validate`) and the sample generator read it from there.",
        "",
        "## Rules",
        "",
        landing.description,
        "",
        "## Sources",
        "",
        *summary,
        "",
    ]
    for source in landing.sources:
        lines += _source_section(source)
    lines += _code_lists(landing) + _types() + _checks()
    return "\n".join(lines).rstrip("\n") + "\n"


def render_landing_sources(landing: contract.Contract) -> str:
    """The text of macros/landing_sources.sql."""
    entries = "\n".join(
        f"        '{source.name}': '{source.staging_model}'," for source in landing.sources
    )
    return (
        f"{{#- Generated by scripts/gen_contract_docs.py from {DECLARATION} "
        f"(meta.staging_model): run `{COMMAND}` after editing it. -#}}\n"
        "{% macro landing_sources() -%}\n"
        "    {#- Every source of the landing-zone contract and the staging model that holds its "
        "clean rows. -#}\n"
        "    {{ return({\n"
        f"{entries}\n"
        "    }) }}\n"
        "{%- endmacro %}\n"
    )


OUTPUTS: dict[str, Callable[[contract.Contract], str]] = {
    "docs/raw_sources.md": render_reference,
    "macros/landing_sources.sql": render_landing_sources,
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        print(f"usage: {COMMAND}", file=sys.stderr)
        return 2
    landing = contract.load()
    for relative, render in OUTPUTS.items():
        (ROOT / relative).write_text(render(landing), encoding="utf-8")
        print(f"wrote {relative}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
