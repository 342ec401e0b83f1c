"""Checks of segments/catalog.yml that need no database (issue 17): every entry declares the
columns its rule reads (`reads`), keys are unique and well-formed, families are declared.

The build checks the same file again (macro segment_validate_catalog) and compiles every rule
over its declared columns; this test fails earlier and faster, e.g. in an editor or CI step
without dbt.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
CATALOG = PROJECT_DIR / "segments" / "catalog.yml"
KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
COLUMN = re.compile(r"^[a-z_][a-z0-9_]*$")
FAMILY_TYPES = ("exclusive", "overlapping")


def catalog_meta(path: Path = CATALOG) -> dict:
    """The catalog: {'families': {...}, 'segments': [...]} (the meta of model segment_catalog)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    model = next(m for m in document["models"] if m["name"] == "segment_catalog")
    return model["config"]["meta"]


def _mentions(rule: str, column: str) -> bool:
    """True when the column's name occurs in the rule as a whole word."""
    return re.search(rf"(?<![A-Za-z0-9_.]){re.escape(column)}(?![A-Za-z0-9_])", rule) is not None


def _entry_problems(label: str, entry: dict, families: dict) -> list[str]:
    """The problems of one entry's family, owner, priority, activatable and rule."""
    problems = []
    if entry.get("family") not in families:
        problems.append(f"{label}: unknown family {entry.get('family')!r}")
    if not entry.get("owner"):
        problems.append(f"{label}: owner is required")
    priority = entry.get("priority")
    if isinstance(priority, bool) or not isinstance(priority, int) or priority < 1:
        problems.append(f"{label}: priority must be a positive integer")
    if not isinstance(entry.get("activatable"), bool):
        problems.append(f"{label}: activatable must be true or false")
    rule = entry.get("rule")
    if not isinstance(rule, str) or not rule.strip():
        problems.append(f"{label}: rule is required")
    return problems


def _reads_problems(label: str, entry: dict) -> list[str]:
    """The problems of one entry's `reads`: present, lower-case names, once each, in the rule."""
    reads = entry.get("reads")
    rule = entry.get("rule") if isinstance(entry.get("rule"), str) else ""
    if not isinstance(reads, list) or not reads:
        return [f"{label}: reads (the columns the rule reads) is required"]
    problems = []
    for column in reads:
        if not isinstance(column, str) or not COLUMN.match(column):
            problems.append(f"{label}: reads: {column!r} is not a lower-case column name")
        elif reads.count(column) > 1:
            problems.append(f"{label}: reads lists {column} more than once")
        elif not _mentions(rule, column):
            problems.append(f"{label}: reads {column}, which the rule does not mention")
    return problems


def catalog_problems(families: dict, segments: list) -> list[str]:
    """Every problem of a catalog, each naming its family or segment."""
    problems = [
        f"family '{name}': type must be exclusive or overlapping"
        for name, config in families.items()
        if (config or {}).get("type") not in FAMILY_TYPES
    ]
    seen: set[str] = set()
    for index, entry in enumerate(segments, start=1):
        key = entry.get("key")
        label = f"segment '{key or '#' + str(index)}'"
        if not isinstance(key, str) or not KEY.match(key):
            problems.append(f"{label}: key must match {KEY.pattern}")
        elif key in seen:
            problems.append(f"{label}: duplicate key")
        seen.add(key)
        problems += _entry_problems(label, entry, families)
        problems += _reads_problems(label, entry)
    return sorted(set(problems))


def test_shipped_catalog_has_no_problem() -> None:
    meta = catalog_meta()
    assert len(meta["segments"]) >= 30
    assert catalog_problems(meta["families"], meta["segments"]) == []


def test_segments_passed_as_var_by_default_have_no_problem() -> None:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    extra = project["vars"].get("segment_extra_segments") or []
    assert catalog_problems(catalog_meta()["families"], extra) == []


GOOD = {
    "key": "young_women",
    "family": "demographic",
    "owner": "crm",
    "priority": 1,
    "rule": "gender = 'female' and age < 30",
    "reads": ["gender", "age"],
    "activatable": False,
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"reads": None}, "segment 'young_women': reads (the columns the rule reads) is required"),
        ({"reads": "gender"}, "segment 'young_women': reads (the columns"),
        ({"reads": []}, "segment 'young_women': reads (the columns"),
        ({"reads": ["gender", "gender", "age"]}, "reads lists gender more than once"),
        ({"reads": ["gender", "Age"]}, "reads: 'Age' is not a lower-case column name"),
        ({"reads": ["gender", "age", "city"]}, "reads city, which the rule does not mention"),
        ({"key": "Young women"}, "segment 'Young women': key must match"),
        ({"family": "astrology"}, "segment 'young_women': unknown family 'astrology'"),
        ({"priority": 0}, "priority must be a positive integer"),
        ({"activatable": "yes"}, "activatable must be true or false"),
        ({"owner": ""}, "owner is required"),
    ],
)
def test_a_bad_entry_is_reported_naming_the_segment(change: dict, problem: str) -> None:
    families = {"demographic": {"type": "overlapping"}}
    problems = catalog_problems(families, [{**GOOD, **change}])
    assert any(problem in p for p in problems), problems


def test_duplicate_keys_and_undeclared_family_types_are_reported() -> None:
    families = {"demographic": {"type": "overlapping"}, "odd": {"type": "sometimes"}}
    problems = catalog_problems(families, [GOOD, {**GOOD, "priority": 2}])
    assert "segment 'young_women': duplicate key" in problems
    assert "family 'odd': type must be exclusive or overlapping" in problems
    assert catalog_problems({"demographic": {"type": "overlapping"}}, [GOOD]) == []
