"""Project conventions that dbt-bouncer (dbt-bouncer.yml, run by scripts/test.sh) cannot check.

dbt-bouncer reads dbt's manifest: it checks that every model and every declared column has a
description, that every model has a uniqueness test, that marts have enforced contracts and typed
columns, that every macro has a description, and the permitted layers. Checked here, on the built
sample project (the session's `dbt build`): the columns as actually BUILT match the documented
ones (directly or through meta.columns_documented_in), the unique column of a primary key is
also not_null, and every macro's description holds an example.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pytest
from conftest import BuiltProject

PROJECT = "customer_segments"
# Adapter implementations of a dispatched macro: documented with the macro that dispatches.
DISPATCHED_PREFIXES = ("default__", "duckdb__", "spark__")


@pytest.fixture(scope="module")
def manifest(sample_build: BuiltProject) -> dict[str, Any]:
    """dbt's manifest of the sample build, read once for the module."""
    return json.loads((sample_build.work_dir / "target" / "manifest.json").read_text())


@pytest.fixture(scope="module")
def models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The project's models that are built (ephemeral ones are not), by unique id."""
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        and node["package_name"] == PROJECT
        and node["config"]["materialized"] != "ephemeral"
    }


def _inherited_column(
    models: dict[str, dict[str, Any]], node: dict[str, Any], column: str
) -> dict[str, Any] | None:
    """The documented column a model passes through from another model, if it says so.

    A model whose meta names `columns_documented_in` (and, optionally, the
    `documented_column_prefix` it adds) takes its undocumented columns from that model, which
    may in turn take them from another.
    """
    meta = node["config"].get("meta") or {}
    prefix = meta.get("documented_column_prefix", "")
    if not meta.get("columns_documented_in") or not column.startswith(prefix):
        return None
    source = models[f"model.{PROJECT}.{meta['columns_documented_in']}"]
    column = column.removeprefix(prefix)
    spec = {name.lower(): spec for name, spec in source["columns"].items()}.get(column)
    if spec and spec["description"].strip():
        return spec
    return _inherited_column(models, source, column)


def test_every_built_column_is_documented_and_every_documented_column_is_built(
    sample_build: BuiltProject, models: dict[str, dict[str, Any]]
) -> None:
    assert len(models) > 50, "the manifest lists fewer models than the project has"
    problems = []
    with duckdb.connect(str(sample_build.database), read_only=True) as con:
        for node in models.values():
            name = node["name"]
            built = {
                row[0].lower()
                for row in con.execute(
                    "select column_name from information_schema.columns"
                    " where table_schema = ? and table_name = ?",
                    [node["schema"], node["alias"]],
                ).fetchall()
            }
            if not built:
                problems.append(f"{name}: not found in the built database")
                continue
            documented = {column.lower() for column in node["columns"]}
            documented |= {
                column
                for column in built - documented
                if _inherited_column(models, node, column) is not None
            }
            problems += [f"{name}.{c}: built, not documented" for c in sorted(built - documented)]
            problems += [f"{name}.{c}: documented, not built" for c in sorted(documented - built)]
    assert not problems, "\n".join(problems)


def test_every_model_has_a_primary_key_test(
    manifest: dict[str, Any], models: dict[str, dict[str, Any]]
) -> None:
    """unique (or unique_latest_write) and not_null on one column, or
    segment_unique_combination (a composite key).

    dbt-bouncer's check_model_has_unique_test sees the uniqueness test; the pairing with
    not_null on the same column is checked here.
    """
    tests = _generic_tests(manifest)
    missing = []
    for unique_id, node in models.items():
        model_tests = tests.get(unique_id, [])
        unique = {
            column for name, column in model_tests if name in ("unique", "unique_latest_write")
        }
        not_null = {column for name, column in model_tests if name == "not_null"}
        composite = any(name == "segment_unique_combination" for name, _ in model_tests)
        if not (unique & not_null or composite):
            missing.append(f"{node['name']}: tests {sorted({name for name, _ in model_tests})}")
    assert not missing, "models without a primary-key test:\n" + "\n".join(missing)


def test_every_macro_is_documented_with_an_example(manifest: dict[str, Any]) -> None:
    macros = [
        macro
        for macro in manifest["macros"].values()
        if macro["package_name"] == PROJECT and not macro["name"].startswith(DISPATCHED_PREFIXES)
    ]
    assert len(macros) > 20, "the manifest lists fewer macros than the project has"
    undocumented = sorted(m["name"] for m in macros if "example" not in m["description"].lower())
    assert not undocumented, "macros without a description holding an example: " + ", ".join(
        undocumented
    )


def _generic_tests(manifest: dict[str, Any]) -> dict[str, set[tuple[str, str]]]:
    """{model id: {(test name, lower-case column)}} of the generic data tests."""
    tests: dict[str, set[tuple[str, str]]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and node.get("test_metadata"):
            column = (node.get("column_name") or "").lower()
            tests.setdefault(node.get("attached_node") or "", set()).add(
                (node["test_metadata"]["name"], column)
            )
    return tests


def test_every_not_null_constraint_is_also_a_data_test(
    manifest: dict[str, Any], models: dict[str, dict[str, Any]]
) -> None:
    """Spark's plain Parquet tables skip NOT NULL constraints: a not_null data test keeps the
    guarantee on every engine."""
    tests = _generic_tests(manifest)
    constrained = []
    for unique_id, node in models.items():
        columns = {
            column.lower()
            for constraint in node.get("constraints", [])
            if constraint["type"] == "not_null"
            for column in constraint.get("columns", [])
        }
        columns |= {
            name.lower()
            for name, spec in node["columns"].items()
            if any(c["type"] == "not_null" for c in spec.get("constraints", []))
        }
        constrained += [(unique_id, node["name"], column) for column in sorted(columns)]
    assert constrained, "no model declares a not_null constraint: the check reads the wrong key"
    missing = [
        f"{name}.{column}"
        for unique_id, name, column in constrained
        if ("not_null", column) not in tests.get(unique_id, set())
    ]
    assert not missing, "not_null constraints without a not_null data test: " + ", ".join(missing)


def test_declared_types_exist_on_every_engine(
    manifest: dict[str, Any], models: dict[str, dict[str, Any]]
) -> None:
    """A contract or seed type both DuckDB and Spark accept: `string`, not a bare `varchar`
    (Spark requires a length) or `text` (unknown to Spark)."""
    engine_specific = {"varchar", "text"}
    found = [
        f"model {node['name']}.{name}: {spec['data_type']}"
        for node in models.values()
        for name, spec in node["columns"].items()
        if (spec.get("data_type") or "").strip().lower() in engine_specific
    ]
    found += [
        f"seed {node['name']}.{name}: {data_type}"
        for node in manifest["nodes"].values()
        if node["resource_type"] == "seed" and node["package_name"] == PROJECT
        for name, data_type in (node["config"].get("column_types") or {}).items()
        if str(data_type).strip().lower() in engine_specific
    ]
    assert not found, "types Spark does not accept (use string): " + "; ".join(found)
