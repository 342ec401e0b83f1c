"""Tests of the landing-zone contract (custseg.contract) and of what is derived from it.

Drift checks: the generated files (docs/raw_sources.md, macros/landing_sources.sql,
models/staging/base/_base__models.yml and the base models base_raw__<source>.sql) must equal
what their scripts write from
models/staging/_raw__sources.yml, and the generator must write exactly the contract's sources
and columns. Each check is also run against an edited copy of the declaration, to see it fail.
"""

from __future__ import annotations

import csv
import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from custseg import cli, contract
from custseg import generate as gen

REPO = Path(__file__).resolve().parents[2]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


STAGING_DOCS = _script("gen_staging_docs")
CONTRACT_DOCS = _script("gen_contract_docs")
BASE_MODELS = _script("gen_base_models")
GENERATED: dict[str, tuple[Callable[[contract.Contract], str], str]] = {
    "models/staging/base/_base__models.yml": (STAGING_DOCS.render, STAGING_DOCS.COMMAND),
    **{path: (render, CONTRACT_DOCS.COMMAND) for path, render in CONTRACT_DOCS.OUTPUTS.items()},
}


def _base_model(name: str) -> Callable[[contract.Contract], str]:
    return lambda landing: BASE_MODELS.render(landing.source(name))


def _checked_model(name: str) -> Callable[[contract.Contract], str]:
    return lambda landing: BASE_MODELS.render_checked(landing.source(name))


# The base models, two generated files per landing source (checked rows, rows with status).
GENERATED_MODELS: dict[str, tuple[Callable[[contract.Contract], str], str]] = {
    **{
        BASE_MODELS.model_path(name): (_base_model(name), BASE_MODELS.COMMAND)
        for name in contract.source_names()
    },
    **{
        BASE_MODELS.checked_path(name): (_checked_model(name), BASE_MODELS.COMMAND)
        for name in contract.source_names()
    },
}


def drift(relative: str, landing: contract.Contract, out_dir: Path) -> str | None:
    """Regenerate `relative` from `landing` into `out_dir`; a message when the committed file
    differs from it, else None."""
    render, command = {**GENERATED, **GENERATED_MODELS}[relative]
    fresh = out_dir / relative
    fresh.parent.mkdir(parents=True, exist_ok=True)
    fresh.write_text(render(landing), encoding="utf-8")
    committed = REPO / relative
    if committed.exists() and committed.read_text(encoding="utf-8") == fresh.read_text("utf-8"):
        return None
    declaration = (
        landing.path.relative_to(REPO) if landing.path.is_relative_to(REPO) else landing.path
    )
    return (
        f"{relative} is out of date with {declaration} (freshly generated: {fresh}); "
        f"run `{command}` and commit the result"
    )


def generator_mismatches(raw_dir: Path, landing: contract.Contract) -> list[str]:
    """How the generator's sources and the CSV headers it wrote differ from `landing`."""
    problems = []
    if tuple(gen.SOURCES) != landing.source_names:
        problems.append(f"generate.SOURCES {gen.SOURCES} != contract {landing.source_names}")
    for name in landing.source_names:
        path = raw_dir / f"{name}.csv"
        if not path.exists():
            problems.append(f"{name}: the generator wrote no {path.name}")
            continue
        with open(path, encoding="utf-8", newline="") as handle:
            header = tuple(next(csv.reader(handle)))
        if header != landing.source(name).column_names:
            problems.append(f"{name}: wrote {header}, contract {landing.source(name).column_names}")
    return problems


def edited_contract(tmp_path: Path, old: str, new: str) -> contract.Contract:
    """The project's contract with one text replacement in a copy of its declaration."""
    text = contract.CONTRACT_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    copy = tmp_path / contract.CONTRACT_FILE.name
    copy.write_text(text.replace(old, new), encoding="utf-8")
    return contract.load(copy)


@pytest.fixture(scope="module")
def tiny_landing_zone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny_landing")
    gen.generate(out, customers=10, seed=3)
    return out


# --------------------------------------------------------------------------------------------------
# Drift of the generated files and of the generator
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("relative", [*GENERATED, *GENERATED_MODELS])
def test_generated_file_is_up_to_date(relative, tmp_path):
    message = drift(relative, contract.default(), tmp_path)
    assert message is None, message


@pytest.mark.parametrize("relative", list(GENERATED))
def test_generated_file_drift_is_reported_with_the_command_to_run(relative, tmp_path):
    edited = edited_contract(
        tmp_path,
        '{name: store_name, data_type: text, description: "Store name."}',
        '{name: store_name, data_type: text, description: "Store name."}\n'
        "          - {name: store_size, data_type: decimal, meta: {check: money}, "
        'description: "Sales area in square metres."}',
    )
    if relative == "macros/landing_sources.sql":  # it shows only sources and staging models
        edited = edited_contract(
            tmp_path, "staging_model: stg_web__events", "staging_model: stg_web"
        )
    message = drift(relative, edited, tmp_path / "out")
    assert message is not None
    assert f"{relative} is out of date" in message
    assert f"run `{GENERATED[relative][1]}`" in message


def test_base_model_drift_is_reported_with_the_command_to_run(tmp_path):
    edited = edited_contract(
        tmp_path, 'meta: {check: latitude}, description: "Latitude in degrees."', "meta: {}"
    )
    relative = "models/staging/base/base_checked__stores.sql"
    message = drift(relative, edited, tmp_path / "out")
    assert message is not None
    assert f"{relative} is out of date" in message
    assert f"run `{BASE_MODELS.COMMAND}`" in message
    assert drift("models/staging/base/base_raw__orders.sql", edited, tmp_path / "out") is None


def test_every_base_model_is_generated():
    committed = {
        path.relative_to(REPO).as_posix()
        for pattern in ("base_raw__*.sql", "base_checked__*.sql")
        for path in (REPO / BASE_MODELS.MODELS_DIR).glob(pattern)
    }
    assert committed == set(GENERATED_MODELS), f"run `{BASE_MODELS.COMMAND}`"


def test_generator_writes_the_contract_sources_and_columns(tiny_landing_zone):
    assert gen.SOURCES == contract.source_names()
    problems = generator_mismatches(tiny_landing_zone, contract.default())
    assert not problems, "\n".join(problems)


def test_generator_drift_is_reported(tiny_landing_zone, tmp_path):
    edited = edited_contract(
        tmp_path,
        '{name: opened_at, data_type: date, description: "Opening date."}',
        '{name: opened_at, data_type: date, description: "Opening date."}\n'
        '          - {name: closed_at, data_type: date, description: "Closing date."}',
    )
    problems = generator_mismatches(tiny_landing_zone, edited)
    declared = edited.source("stores").column_names
    assert declared[-1] == "closed_at"
    assert problems == [f"stores: wrote {contract.columns('stores')}, contract {declared}"]


# --------------------------------------------------------------------------------------------------
# The contract module
# --------------------------------------------------------------------------------------------------


def test_contract_api():
    names = contract.source_names()
    assert names[:2] == ("crm_customers", "orders") and len(names) == 12
    assert contract.required_sources() == ("orders",)
    assert contract.columns("order_items") == (
        "order_id",
        "line_number",
        "product_id",
        "quantity",
        "unit_price",
        "discount_amount",
    )
    orders = contract.default().source("orders")
    assert orders.staging_model == "stg_commerce__orders"
    assert orders.required_columns == ("order_id", "ordered_at", "order_total")
    assert orders.required_one_of == ("crm_id", "email", "phone", "loyalty_card_id")
    status = orders.column("status")
    assert (status.data_type, status.check, status.level, status.required) == (
        "text",
        "code",
        "row",
        False,
    )
    assert status.values == tuple(contract.project_vars()["order_statuses"])
    assert status.values_from == "var order_statuses" and status.rules == ("unknown_status",)
    currency = contract.default().source("crm_customers").column("income_currency")
    assert currency.upper and currency.level == "value" and "VND" in currency.values
    assert currency.rules == ("unknown_currency",)
    with pytest.raises(KeyError, match="no column"):
        orders.column("nope")
    with pytest.raises(KeyError, match="no landing source"):
        contract.default().source("nope")


def test_vars_override_the_code_lists_like_dbt_vars():
    landing = contract.load(dbt_vars=contract.parse_vars("{order_statuses: [done, open]}"))
    assert landing.source("orders").column("status").values == ("done", "open")
    assert contract.default().source("orders").column("status").values[0] == "completed"
    with pytest.raises(ValueError, match="YAML mapping"):
        contract.parse_vars("[a, b]")


def test_run_hands_the_dbt_vars_to_the_checkpoint():
    assert cli.dbt_vars_from(["--", "--select", "staging+"]) is None
    assert cli.dbt_vars_from(["--vars", "{order_statuses: [done]}"]) == {"order_statuses": ["done"]}
    assert cli.dbt_vars_from(["--vars={as_of_date: '2025-01-01'}"]) == {"as_of_date": "2025-01-01"}


def test_every_source_has_its_base_and_staging_model():
    models = {path.stem for path in (REPO / "models" / "staging").rglob("*.sql")}
    for source in contract.default().sources:
        assert f"base_raw__{source.name}" in models, source.name
        assert source.staging_model in models, source.name


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("meta: {check: quantity}", "meta: {check: quantityy}", "meta.check 'quantityy'"),
        ("{name: gender, data_type: text,", "{name: gender, data_type: txt,", "data_type 'txt'"),
        (
            "required_columns: [store_id]",
            "required_columns: [store_key]",
            "stores: meta.required_columns names undeclared columns ['store_key']",
        ),
        ("values_var: order_statuses", "values_var: order_states", "'order_states' is not a var"),
        ("staging_model: stg_commerce__stores, ", "", "stores: meta.staging_model is missing"),
        ("check: score, min: 1, max: 5", "check: score", "check score needs meta.min"),
        ("key: [store_id], ", "", "stores: meta.key is missing"),
        ("key: [lead_id], ", "key: [lead], ", "leads: meta.key names undeclared columns ['lead']"),
        ("gx_range: [0, 30]", "gx_range: 30", "meta.gx_range must be [min, max]"),
        (
            "values_seed: currency_codes, values_column: currency_code, upper: true, rule",
            "rule",
            "check code needs meta.values_var or meta.values_seed",
        ),
    ],
)
def test_a_broken_declaration_is_refused_naming_the_problem(tmp_path, old, new, problem):
    with pytest.raises(contract.ContractError) as raised:
        edited_contract(tmp_path, old, new)
    assert problem in str(raised.value)
