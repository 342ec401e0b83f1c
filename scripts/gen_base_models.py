"""Write the base models from the landing-zone declaration (run after editing it).

Two models per landing source. models/staging/base/base_checked__<source>.sql reads the source
and shows, column by column, how it is parsed and which rules apply, in the order they are
evaluated; it is incremental (each run parses only the rows of files it has not taken before).
models/staging/base/base_raw__<source>.sql ranks the versions of every row taken and gives each
its status (clean, quarantined, superseded). What
it does follows from models/staging/_raw__sources.yml (the columns' `data_type` and `meta.check`,
the table's `meta.key`, `meta.required_columns`, ...), so the models are generated from it:
`.venv/bin/python scripts/gen_base_models.py` rewrites both models of every source.

The generated SQL calls the column macros of macros/raw_base_columns.sql (parse and condition
macros) and the row macros of macros/raw_base_rows.sql (landing rows, raw values, versions).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from custseg import contract

ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = "models/staging/base"
COMMAND = ".venv/bin/python scripts/gen_base_models.py"
MAX_LINE = 110  # longer lines are wrapped (sqlfluff allows 120)
TYPE_RULES = {
    "timestamp": "unparsable_timestamp",
    "date": "unparsable_date",
    "decimal": "unparsable_number",
    "integer": "unparsable_number",
    "boolean": "unparsable_boolean",
}
PARSERS = {
    "timestamp": "raw_timestamp",
    "date": "raw_date",
    "integer": "raw_integer",
    "boolean": "raw_boolean",
}
# Value rules of a check that nulls a bad value: (condition macro, rule), in evaluation order.
SPECIAL_VALUE_RULES = {
    "email": (
        ("raw_is_placeholder_email", "placeholder_identifier"),
        ("raw_is_malformed_email", "malformed_email"),
    ),
    "phone": (
        ("raw_is_placeholder_phone", "placeholder_identifier"),
        ("raw_is_malformed_phone", "malformed_phone"),
    ),
    "identifier": (("raw_is_placeholder_identifier", "placeholder_identifier"),),
    "country": (("raw_is_unknown_country", "unknown_country_code"),),
}
# Range rules checked after them: condition template over the value, rule.
RANGE_VALUE_RULES = {
    "birth_date": ("{{{{ raw_is_implausible_birth_date('{name}') }}}}", "implausible_birth_date"),
    "latitude": ("abs({name}__value) > 90", "invalid_coordinates"),
    "longitude": ("abs({name}__value) > 180", "invalid_coordinates"),
    "count": ("{name}__value < 0", "negative_count"),
}
# Row rules of a check that quarantines the row: condition template, rule.
CHECK_ROW_RULES = {
    "money": ("{name}__value < 0", "negative_amount"),
    "positive_money": ("{name}__value <= 0", "negative_amount"),
    "quantity": ("{name}__value <= 0", "invalid_quantity"),
    "score": ("{name}__value not between {min} and {max}", "score_out_of_range"),
}


def model_path(source: str) -> str:
    """The base model of `source` (every row with its status), relative to the repository."""
    return f"{MODELS_DIR}/base_raw__{source}.sql"


def checked_path(source: str) -> str:
    """The checked model of `source` (incremental), relative to the repository."""
    return f"{MODELS_DIR}/base_checked__{source}.sql"


def _quote(value: str) -> str:
    return "'" + value + "'"


def _list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_quote(value) for value in values) + "]"


def _parse(column: contract.Column) -> str:
    """The expression that parses `<column>__text` into its value."""
    name, check = column.name, column.check
    if check == "email":
        return f"{{{{ raw_email('{name}') }}}}"
    if check == "phone":
        country = column.meta.get("country_column")
        argument = f", country_column='{country}'" if country else ""
        return f"{{{{ raw_phone('{name}'{argument}) }}}}"
    if check in ("code", "country"):
        argument = ", upper=true" if column.upper else ""
        return f"{{{{ raw_code('{name}'{argument}) }}}}"
    if column.data_type == "decimal":
        sql_type = column.meta.get("sql_type")
        argument = f", sql_type='{sql_type}'" if sql_type else ""
        return f"{{{{ raw_decimal('{name}'{argument}) }}}}"
    if column.data_type in PARSERS:
        return f"{{{{ {PARSERS[column.data_type]}('{name}') }}}}"
    return f"{name}__text"


def _known(column: contract.Column) -> str:
    """The `<column>__is_known` test of a coded column."""
    meta = column.meta
    if meta.get("values_var"):
        arguments = f"values_var='{meta['values_var']}'"
    else:
        arguments = f"values_seed='{meta['values_seed']}', values_column='{meta['values_column']}'"
    return f"{{{{ raw_code_is_known('{column.name}', {arguments}) }}}}"


def value_rules(source: contract.Source, column: contract.Column) -> list[tuple[str, str]]:
    """(condition, rule) of the column's value rules, in evaluation order; a value breaking one
    is nulled. Key and required columns have none (their rules reject the row)."""
    if column.name in source.required_columns or column.name in source.key:
        return []
    name, check = column.name, column.check
    rules: list[tuple[str, str]] = []
    if check in SPECIAL_VALUE_RULES:
        rules += [(f"{{{{ {m}('{name}') }}}}", rule) for m, rule in SPECIAL_VALUE_RULES[check]]
    elif check == "code" and column.level == "value":
        rules.append((f"{name}__text is not null and not {name}__is_known", column.rules[0]))
    elif column.data_type in TYPE_RULES:
        rules.append((f"{{{{ raw_is_unparsable('{name}') }}}}", TYPE_RULES[column.data_type]))
    if check in RANGE_VALUE_RULES:
        template, rule = RANGE_VALUE_RULES[check]
        rules.append((template.format(name=name), rule))
    return rules


def row_rules(source: contract.Source) -> list[tuple[str, str, str]]:
    """(condition, rule, column) of the source's row rules, in evaluation order (the first
    wins); column names the column(s) the rule judged, comma-separated."""
    rules = [(f"{name}__text is null", "missing_key", name) for name in source.key]
    rules += [
        (f"{name}__text is null", "missing_required_value", name)
        for name in source.required_columns
        if name not in source.key
    ]
    if source.required_one_of_values:
        parts = [f"{name}__text is null" for name in source.required_one_of_values]
        rules.append(
            (" and ".join(parts), "missing_identifier", ",".join(source.required_one_of_values))
        )
    rules += [
        (f"{{{{ raw_is_unparsable('{column.name}') }}}}", TYPE_RULES[column.data_type], column.name)
        for column in source.columns
        if column.required and column.data_type in TYPE_RULES
    ]
    for column in source.columns:
        if column.check in CHECK_ROW_RULES:
            template, rule = CHECK_ROW_RULES[column.check]
            rules.append((template.format(name=column.name, **column.meta), rule, column.name))
        elif column.check == "code" and column.level == "row":
            condition = f"{column.name}__text is not null and not {column.name}__is_known"
            rules.append((condition, column.rules[0], column.name))
    if source.event_time_column:
        rules.append(
            (
                f"{{{{ raw_is_in_future('{source.event_time_column}') }}}}",
                "future_timestamp",
                source.event_time_column,
            )
        )
    rules += [(condition, rule, column) for rule, condition, column in source.row_rules]
    return rules


def _case(rules: list[tuple[str, str]], alias: str, indent: str) -> list[str]:
    lines = [f"{indent}case"]
    for condition, rule in rules:
        line = f"{indent}    when {condition} then '{rule}'"
        if len(line) > MAX_LINE:
            line = f"{indent}    when {condition}\n{indent}        then '{rule}'"
        lines.append(line)
    return [*lines, f"{indent}end as {alias},"]


def _pii(source: contract.Source) -> dict[str, str]:
    kinds = {}
    for column in source.columns:
        kind = column.meta.get("pii") or (
            column.check if column.check in ("email", "phone") else None
        )
        if kind:
            kinds[column.name] = kind
    return kinds


def _intro(source: contract.Source) -> list[str]:
    facts = [f"key {', '.join(source.key)}"]
    if source.version_column:
        facts.append(f"the latest {source.version_column} of a key wins")
    else:
        facts.append("a key's extra rows are duplicate deliveries")
    if source.event_time_column:
        facts.append(f"{source.event_time_column} may not lie in the future")
    about = f"Landing source {source.name}: {'; '.join(facts)}."
    return [
        "-- Generated by scripts/gen_base_models.py from models/staging/_raw__sources.yml; "
        "edit the",
        f"-- contract and run `{COMMAND}`.",
        *[f"-- {line}" for line in textwrap.wrap(about, 96)],
    ]


def _checked(source: contract.Source) -> list[str]:
    lines = ["checked as (", "    select", "        *,"]
    for column in source.columns:
        if column.check == "code":
            line = f"        {_known(column)} as {column.name}__is_known,"
            if len(line) > MAX_LINE:
                line = line.replace("('", "(\n            '", 1).replace(") }}", "\n        ) }}")
            lines.append(line)
        rules = value_rules(source, column)
        if rules:
            lines += _case(rules, f"{column.name}__issue", "        ")
    lines.append("        -- Row rules: the first that holds quarantines the row.")
    rules = row_rules(source)
    indent = "        "
    lines += _case([(condition, rule) for condition, rule, _ in rules], "dq_check_rule", indent)
    lines.append(f"{indent}-- The column(s) the first broken row rule judged.")
    judged = [(condition, column) for condition, _, column in rules]
    lines += _case(judged, "dq_check_column", indent)
    lines[-1] = lines[-1].rstrip(",")
    return [*lines, "    from parsed", "),"]


def _final(source: contract.Source) -> list[str]:
    """The columns the checked model keeps: each value (nulled when a value rule broke) with its
    issue, then what ranking and quarantine need."""
    lines = ["final as (", "    select"]
    for column in source.columns:
        name = column.name
        if value_rules(source, column):
            lines.append(
                f"        case when {name}__issue is null then {name}__value end as {name},"
            )
            lines.append(f"        {name}__issue,")
        else:
            lines.append(f"        {name}__value as {name},")
    if source.version_column:
        lines.append(f"        {source.version_column}__value as dq_version,")
    lines += [
        f"        {{{{ raw_record_key({_list(source.key)}) }}}} as dq_record_key,",
        "        dq_check_rule,",
        "        dq_check_column,",
        "        dq_raw_values,",
        "        dq_row_hash,",
        "        dq_file_path,",
        "        dq_file_sha256,",
        "        {{ raw_pii_masked() }} as dq_pii_masked,",
        "        row_number() over (",
        "            partition by dq_file_path, dq_row_hash order by dq_row_hash",
        "        ) as dq_file_copy_number",
    ]
    return [*lines, "    from checked", ")"]


def _status_columns(source: contract.Source) -> list[str]:
    """The typed columns of the status model (what the checked model keeps of the source)."""
    names = []
    for column in source.columns:
        names.append(column.name)
        if value_rules(source, column):
            names.append(f"{column.name}__issue")
    return names


def _versioning(source: contract.Source) -> str:
    arguments = f"key={_list(source.key)}"
    if source.version_column:
        arguments += ", has_version=true"
    return arguments


def render_checked(source: contract.Source) -> str:
    """The text of the checked model of `source` (incremental: parse and check once)."""
    names = source.column_names
    pii = ", ".join(f"'{name}': '{kind}'" for name, kind in _pii(source).items())
    json_call = [
        "        {{ raw_values_json(",
        "            [",
        *[f"                '{name}'," for name in names],
        "            ],",
        *([f"            pii={{{pii}}},"] if pii else []),
        "        ) }} as dq_raw_values",
    ]
    lines = [
        *_intro(source),
        "-- Every landing row parsed and checked once: each run appends the rows of the files this",
        f"-- table does not hold yet; base_raw__{source.name} ranks versions and gives the status.",
        "{{ config(materialized='incremental', incremental_strategy='append', "
        "on_schema_change='fail') }}",
        "",
        "with",
        "",
        "source_rows as (",
        f"    {{{{ raw_source_rows('{source.name}', "
        "taken_from=(this if is_incremental() else none)) }}",
        "),",
        "",
        "trimmed as (",
        "    select",
        *[f"        nullif(trim({name}), '') as {name}__text," for name in names],
        "        dq_file_path,",
        "        dq_file_sha256,",
        *json_call,
        "    from source_rows",
        "),",
        "",
        "parsed as (",
        "    select",
        "        *,",
        *[f"        {_parse(column)} as {column.name}__value," for column in source.columns],
        "        {{ sha256_hex('dq_raw_values') }} as dq_row_hash",
        "    from trimmed",
        "),",
        "",
        *_checked(source),
        "",
        *_final(source),
        "",
        "select * from final",
    ]
    return "\n".join(lines) + "\n"


def render(source: contract.Source) -> str:
    """The text of the base model of `source`: every row taken, with its status."""
    lines = [
        *_intro(source),
        f"-- Every row base_checked__{source.name} holds, with its version rank and status. "
        "On DuckDB",
        "-- incremental: a run ranks again only the keys and raw rows of the new files.",
        f"{{{{ config(**raw_versions_config({_list(source.key)})) }}}}",
        "",
        "with",
        "",
        "checked as (",
        f"    {{{{ raw_versions_scope(ref('base_checked__{source.name}'), "
        f"{_list(source.key)}) }}}}",
        "),",
        "",
        "versions as (",
        f"    {{{{ raw_versions('checked', {_versioning(source)}) }}}}",
        "),",
        "",
        "final as (",
        "    select",
        *[f"        {name}," for name in _status_columns(source)],
        "        dq_file_path,",
        "        dq_row_hash,",
        f"        {{{{ raw_row_status({_versioning(source)}) }}}},",
        "        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as dq_ranked_by_run,",
        "        {{ raw_run_time() }} as dq_ranked_at",
        "    from versions",
        ")",
        "",
        "select * from final",
    ]
    return "\n".join(lines) + "\n"


def outputs(landing: contract.Contract) -> dict[str, str]:
    """{path relative to the repository: text} of every base model."""
    texts = {}
    for source in landing.sources:
        texts[checked_path(source.name)] = render_checked(source)
        texts[model_path(source.name)] = render(source)
    return texts


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        print(f"usage: {COMMAND}", file=sys.stderr)
        return 2
    for relative, text in outputs(contract.load()).items():
        (ROOT / relative).write_text(text, encoding="utf-8")
        print(f"wrote {relative}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
