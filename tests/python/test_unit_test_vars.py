"""Every dbt unit test pins the vars its model reads, so a user's --vars cannot break the build.

A unit test's expected rows hold for the project's default settings. If the model (or a macro
it calls) reads a var the test does not pin in `overrides: vars:`, then `dbt build --vars
'{as_of_date: 1998-06-30}'` (a backfill, a fixed reporting date) makes the test fail. The build
with such vars set is tests/python/test_erasure.py's second run.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import BuiltProject

PROJECT = "customer_segments"
VAR_CALL = re.compile(r"""\bvar\(\s*['"]([A-Za-z0-9_]+)['"]""")


def vars_read(manifest: dict[str, Any], node: dict[str, Any], skipped: set[str]) -> set[str]:
    """The project vars a node's SQL reads, directly or through the project's macros it calls
    (transitively), leaving out the macros named in `skipped` (overridden by the test)."""
    found = set(VAR_CALL.findall(node.get("raw_code", "")))
    seen: set[str] = set()
    pending = list(node["depends_on"]["macros"])
    while pending:
        macro_id = pending.pop()
        macro = manifest["macros"].get(macro_id)
        if macro_id in seen or macro is None or macro["package_name"] != PROJECT:
            continue
        seen.add(macro_id)
        if macro["name"] in skipped:
            continue
        found |= set(VAR_CALL.findall(macro["macro_sql"]))
        pending.extend(macro["depends_on"]["macros"])
    return found


def unpinned_vars(manifest: dict[str, Any]) -> dict[str, list[str]]:
    """Unit test name -> the vars its model reads that the test does not pin."""
    models = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == PROJECT
    }
    missing: dict[str, list[str]] = {}
    for test in manifest["unit_tests"].values():
        overrides = test.get("overrides") or {}
        pinned = set((overrides.get("vars") or {}).keys())
        skipped = set((overrides.get("macros") or {}).keys())
        read = vars_read(manifest, models[test["model"]], skipped)
        if read - pinned:
            missing[test["name"]] = sorted(read - pinned)
    return missing


@pytest.fixture(scope="module")
def manifest(sample_build: BuiltProject) -> dict[str, Any]:
    return json.loads((sample_build.work_dir / "target" / "manifest.json").read_text())


def test_every_unit_test_pins_the_vars_its_model_reads(manifest: dict[str, Any]) -> None:
    assert manifest["unit_tests"], "the project has unit tests"
    assert unpinned_vars(manifest) == {}


def test_the_check_sees_a_var_read_through_a_macro(manifest: dict[str, Any]) -> None:
    """The check itself: a unit test with its pins removed is reported with the vars its model
    reads through macros (int_as_of_date reads as_of_date and the window vars)."""
    stripped = json.loads(json.dumps(manifest))
    for test in stripped["unit_tests"].values():
        test["overrides"] = None
    missing = unpinned_vars(stripped)
    assert "as_of_date" in missing["test_as_of_date_future_var"]
    assert "rfm_window_days" in missing["test_as_of_date_future_var"]
