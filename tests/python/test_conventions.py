"""Project conventions, checked on the built sample project (the session's `dbt build`).

Every model is documented, column by column as it is actually built; every model has a
primary-key test; every mart has an enforced contract (typed columns); every macro is
documented with an example.
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


def test_every_model_and_every_built_column_is_documented(
    sample_build: BuiltProject, models: dict[str, dict[str, Any]]
) -> None:
    assert len(models) > 50, "the manifest lists fewer models than the project has"
    problems = []
    with duckdb.connect(str(sample_build.database), read_only=True) as con:
        for node in models.values():
            name = node["name"]
            if not node["description"].strip():
                problems.append(f"{name}: no description")
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
            documented = {column.lower(): spec for column, spec in node["columns"].items()}
            for column in sorted(built - documented.keys()):
                inherited = _inherited_column(models, node, column)
                if inherited:
                    documented[column] = inherited
            problems += [
                f"{name}.{c}: built, not documented" for c in sorted(built - documented.keys())
            ]
            problems += [
                f"{name}.{c}: documented, not built" for c in sorted(documented.keys() - built)
            ]
            problems += [
                f"{name}.{c}: empty description"
                for c, spec in sorted(documented.items())
                if not spec["description"].strip()
            ]
    assert not problems, "\n".join(problems)


def test_every_model_has_a_primary_key_test(
    manifest: dict[str, Any], models: dict[str, dict[str, Any]]
) -> None:
    """unique and not_null on one column, or segment_unique_combination (a composite key)."""
    tests: dict[str, list[tuple[str, str | None]]] = {}
    for node in manifest["nodes"].values():
        if (
            node["resource_type"] == "test"
            and node.get("test_metadata")
            and node.get("attached_node")
        ):
            tests.setdefault(node["attached_node"], []).append(
                (node["test_metadata"]["name"], node.get("column_name"))
            )
    missing = []
    for unique_id, node in models.items():
        model_tests = tests.get(unique_id, [])
        unique = {column for name, column in model_tests if name == "unique"}
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


def test_every_mart_has_an_enforced_contract(models: dict[str, dict[str, Any]]) -> None:
    """The public tables BI reads declare their column types (dbt contracts, enforced)."""
    marts = [
        node for node in models.values() if node["original_file_path"].startswith("models/marts/")
    ]
    assert len(marts) > 10, "the manifest lists fewer marts than the project has"
    uncontracted = sorted(
        node["name"] for node in marts if not (node["config"].get("contract") or {}).get("enforced")
    )
    assert not uncontracted, "marts without an enforced contract: " + ", ".join(uncontracted)
