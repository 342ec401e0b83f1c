"""dbt-bouncer's layer rules (dbt-bouncer.yml) on the project's parsed graph, edited here.

The manifest comes from `dbt parse` of the project. The graph "as rewired" is that manifest
without any edge from an intermediate model to a mart (the target layering); the tests add one
forbidden edge or model to it and expect dbt-bouncer to fail naming it, or allowed ones and
expect it to pass.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_DIR, run_dbt

BOUNCER = str(Path(sys.executable).parent / "dbt-bouncer")
PROJECT = "customer_segments"
LAYER_CHECK = "check_lineage_permitted_upstream_models"


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("parse")
    parsed = run_dbt(["parse"], work / "raw", work / "parse.duckdb", work)
    assert parsed.returncode == 0, parsed.output
    return json.loads((work / "target" / "manifest.json").read_text())


def model_id(name: str) -> str:
    return f"model.{PROJECT}.{name}"


def path_of(manifest: dict[str, Any], unique_id: str) -> str:
    return manifest["nodes"][unique_id]["original_file_path"]


def add_edge(manifest: dict[str, Any], child: str, parent: str) -> None:
    """`child` now reads `parent` (both model unique ids)."""
    manifest["nodes"][child]["depends_on"]["nodes"].append(parent)
    manifest["parent_map"].setdefault(child, []).append(parent)
    manifest["child_map"].setdefault(parent, []).append(child)


def remove_edge(manifest: dict[str, Any], child: str, parent: str) -> None:
    manifest["nodes"][child]["depends_on"]["nodes"].remove(parent)
    manifest["parent_map"][child].remove(parent)
    manifest["child_map"][parent].remove(child)


def add_model(manifest: dict[str, Any], path: str, parents: list[str]) -> str:
    """A new model at `path` (models/<layer>/.../<name>.sql) reading the `parents` models."""
    name = Path(path).stem
    unique_id = model_id(name)
    node = copy.deepcopy(manifest["nodes"][model_id("int_as_of_date")])
    node.update(
        unique_id=unique_id,
        name=name,
        alias=name,
        path=path.removeprefix("models/"),
        original_file_path=path,
        fqn=[PROJECT, *Path(path).with_suffix("").parts[1:]],
    )
    node["depends_on"]["nodes"] = []
    manifest["nodes"][unique_id] = node
    manifest["parent_map"][unique_id] = []
    manifest["child_map"][unique_id] = []
    for parent in parents:
        add_edge(manifest, unique_id, model_id(parent))
    # The copied model's tests are not attached to the new one: give it a uniqueness test.
    test_id = f"test.{PROJECT}.unique_{name}_id"
    test = next(
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and (node.get("test_metadata") or {}).get("name") == "unique"
    )
    manifest["nodes"][test_id] = {
        **copy.deepcopy(test),
        "unique_id": test_id,
        "name": f"unique_{name}_id",
        "attached_node": unique_id,
        "depends_on": {"macros": [], "nodes": [unique_id]},
    }
    manifest["child_map"][unique_id].append(test_id)
    manifest["parent_map"][test_id] = [unique_id]
    return unique_id


@pytest.fixture(scope="module")
def rewired(manifest: dict[str, Any]) -> dict[str, Any]:
    """The graph with every read of a mart by an intermediate model removed."""
    graph = copy.deepcopy(manifest)
    for unique_id, node in graph["nodes"].items():
        if node["resource_type"] != "model" or not path_of(graph, unique_id).startswith(
            "models/intermediate/"
        ):
            continue
        for parent in list(node["depends_on"]["nodes"]):
            if parent.startswith("model.") and path_of(graph, parent).startswith("models/marts/"):
                remove_edge(graph, unique_id, parent)
    return graph


def bouncer(graph: dict[str, Any], work: Path, *checks: str) -> tuple[int, list[dict[str, Any]]]:
    """Run dbt-bouncer with the project's config on `graph`: exit code and failed checks."""
    (work / "target").mkdir(parents=True, exist_ok=True)
    (work / "target" / "manifest.json").write_text(json.dumps(graph))
    shutil.copy(PROJECT_DIR / "dbt-bouncer.yml", work / "dbt-bouncer.yml")
    report = work / "bouncer.json"
    command = [
        BOUNCER,
        "run",
        "--config-file",
        str(work / "dbt-bouncer.yml"),
        "--output-file",
        str(report),
        "--output-only-failures",
    ]
    if checks:
        command += ["--check", ",".join(checks)]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True)
    assert report.exists(), done.stdout + done.stderr
    return done.returncode, json.loads(report.read_text())


def test_the_layer_rule_reports_exactly_the_intermediate_models_that_read_a_mart(
    manifest: dict[str, Any], rewired: dict[str, Any], tmp_path: Path
) -> None:
    """What the rule reports on the project as it is: exactly the intermediate->mart edges."""
    code, failures = bouncer(manifest, tmp_path, LAYER_CHECK)
    edges = {
        (node["name"], manifest["nodes"][parent]["name"])
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        and path_of(manifest, unique_id).startswith("models/intermediate/")
        for parent in node["depends_on"]["nodes"]
        if parent.startswith("model.") and path_of(manifest, parent).startswith("models/marts/")
    }
    reported = {failure["unique_id"].split(".")[-1] for failure in failures}
    assert reported == {child for child, _ in edges}
    assert code == (1 if edges else 0)
    for child, parent in edges:
        message = next(f["failure_message"] for f in failures if f["unique_id"] == model_id(child))
        assert f"`{child}`" in message and f"'{parent}'" in message


def test_the_rewired_project_meets_every_convention(
    rewired: dict[str, Any], tmp_path: Path
) -> None:
    code, failures = bouncer(rewired, tmp_path)
    assert (code, failures) == (0, [])


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        ("models/intermediate/int_bad.sql", "customers"),  # a new intermediate model
        ("int_as_of_date", "segment_catalog"),  # an existing one
        ("models/state/state_run_log.sql", "segment_memberships"),  # state from a mart
        ("stg_crm__customers", "int_records_keyed"),  # staging reads downstream
        ("customers", "stg_crm__customers"),  # a mart reads staging
        ("quarantined_rows", "stg_crm__customers"),  # data quality reads base_ models only
        ("segment_summary", "customers"),  # a mart reads another mart
    ],
)
def test_a_read_across_the_layers_fails_naming_the_model(
    rewired: dict[str, Any], tmp_path: Path, child: str, parent: str
) -> None:
    graph = copy.deepcopy(rewired)
    if child.startswith("models/"):
        child_id = add_model(graph, child, [parent])
    else:
        child_id = model_id(child)
        add_edge(graph, child_id, model_id(parent))
    code, failures = bouncer(graph, tmp_path)
    assert code == 1
    assert [(f["check_run_id"].split(":")[0], f["unique_id"]) for f in failures] == [
        (LAYER_CHECK, child_id)
    ]
    assert f"['{parent}']" in failures[0]["failure_message"]


def test_reads_the_layering_allows_pass(rewired: dict[str, Any], tmp_path: Path) -> None:
    """State from staging and intermediate; intermediate and marts from state; an audience view
    from audience_members."""
    graph = copy.deepcopy(rewired)
    registry = add_model(
        graph, "models/state/state_key_registry.sql", ["int_records_keyed", "stg_crm__customers"]
    )
    add_edge(graph, model_id("int_records_resolved"), registry)
    add_edge(graph, model_id("identity_changes"), registry)
    add_model(graph, "models/marts/segments/audiences/audience_x.sql", ["audience_members"])
    add_edge(graph, model_id("source_reconciliation"), model_id("base_raw__orders"))
    code, failures = bouncer(graph, tmp_path, LAYER_CHECK, "check_model_directories")
    assert (code, failures) == (0, [])


def test_a_model_outside_the_layers_or_misnamed_fails(
    rewired: dict[str, Any], tmp_path: Path
) -> None:
    graph = copy.deepcopy(rewired)
    outside = add_model(graph, "models/reporting/int_report.sql", ["int_as_of_date"])
    misnamed = add_model(graph, "models/intermediate/customer_report.sql", ["int_as_of_date"])
    code, failures = bouncer(graph, tmp_path)
    assert code == 1
    assert sorted((f["check_run_id"].split(":")[0], f["unique_id"]) for f in failures) == [
        ("check_model_directories", outside),
        ("check_model_names", misnamed),
    ]
