"""Score identity resolution against the generator's ground truth.

Compares `int_records_resolved` (source, record_key, customer_id) with
`<raw-dir>/_truth/identity.csv` (source, record_key, person_id). Pairwise precision and recall
are computed set-based in DuckDB: the cluster x person contingency table gives the true
positive pairs as the sum of n*(n-1)/2 over its cells.

Scored records: truth records that reach identity resolution, i.e. that carry at least one clean
identifier in staging (`int_identifiers_unioned`). Truth records that do not are reported as
unlinkable and left out (with --strict they count as singletons): anonymous sales (no
identifier at all, which the contract says belong to no customer), rows quarantined in
staging, and rows whose identifiers were all malformed or placeholders. Records removed on
purpose by an erasure request (in `int_records_keyed`, not in `int_records_resolved`) are left
out too.

    python -m custseg.identity_accuracy --raw-dir DIR --duckdb PATH [--min-precision 0.995]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

SCORE_SQL = """
with
truth as (
    select
        cast(source as varchar) as source,
        cast(record_key as varchar) as record_key,
        cast(person_id as varchar) as person_id
    from read_csv(?, header = true, all_varchar = true)
),
resolved as (
    select source, record_key, customer_id from {resolved}
),
graph_records as (
    select source, record_key from {unioned} group by all
),
unlinkable as (
    select truth.source, truth.record_key
    from truth
    anti join graph_records using (source, record_key)
),
erased_records as (
    select keyed.source, keyed.record_key
    from {keyed} as keyed
    anti join resolved using (source, record_key)
),
scored as (
    select
        truth.source,
        truth.record_key,
        truth.person_id,
        coalesce(
            resolved.customer_id, 'singleton:' || truth.source || ':' || truth.record_key
        ) as cluster_id,
        resolved.customer_id is null as is_unresolved
    from truth
    left join resolved using (source, record_key)
    anti join erased_records using (source, record_key)
    where {strict} or not exists (
        select 1 from unlinkable
        where unlinkable.source = truth.source and unlinkable.record_key = truth.record_key
    )
),
cells as (
    select cluster_id, person_id, count(*) as n from scored group by all
),
clusters as (
    select cluster_id, count(*) as n, count(distinct person_id) as people
    from scored group by all
),
people as (
    select person_id, count(*) as n, count(distinct cluster_id) as clusters
    from scored group by all
),
merged_people as (
    select count(distinct cells.person_id) as merged_people
    from cells inner join clusters using (cluster_id)
    where clusters.people > 1
)
select
    (select count(*) from scored) as records,
    (select count(*) from scored where is_unresolved) as unresolved_records,
    (select count(*) from erased_records) as erased_records,
    (select count(*) from unlinkable) as unlinkable_records,
    (select count(*) from people) as people,
    (select count(*) from clusters) as clusters,
    (select coalesce(sum(n * (n - 1) / 2), 0) from cells) as true_positive_pairs,
    (select coalesce(sum(n * (n - 1) / 2), 0) from clusters) as predicted_pairs,
    (select coalesce(sum(n * (n - 1) / 2), 0) from people) as true_pairs,
    (select count(*) from people where clusters > 1) as split_people,
    (select merged_people from merged_people) as merged_people,
    (select count(*) from clusters where people > 1) as merged_clusters
"""


@dataclass(frozen=True)
class Accuracy:
    records: int
    unresolved_records: int
    erased_records: int
    unlinkable_records: int
    people: int
    clusters: int
    true_positive_pairs: int
    predicted_pairs: int
    true_pairs: int
    split_people: int
    merged_people: int
    merged_clusters: int

    @property
    def precision(self) -> float:
        return self.true_positive_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive_pairs / self.true_pairs if self.true_pairs else 1.0

    def report(self) -> str:
        return "\n".join(
            [
                f"records scored      {self.records:>10} (unresolved {self.unresolved_records},"
                f" erased and left out {self.erased_records})",
                f"unlinkable records  {self.unlinkable_records:>10}"
                " (no clean identifier in staging: anonymous sales, quarantined rows)",
                f"true people         {self.people:>10}",
                f"predicted clusters  {self.clusters:>10}",
                f"pairwise precision  {self.precision:>10.4f}"
                f" ({self.true_positive_pairs}/{self.predicted_pairs})",
                f"pairwise recall     {self.recall:>10.4f}"
                f" ({self.true_positive_pairs}/{self.true_pairs})",
                f"people split        {self.split_people:>10}",
                f"people merged       {self.merged_people:>10}"
                f" (in {self.merged_clusters} clusters holding several people)",
            ]
        )


def _relation(con: duckdb.DuckDBPyConnection, name: str) -> str:
    rows = con.execute(
        "select table_schema from information_schema.tables where table_name = ? "
        "order by table_schema",
        [name],
    ).fetchall()
    if not rows:
        raise SystemExit(f"{name} not found in the database: run dbt build first")
    return f'"{rows[0][0]}"."{name}"'


def score(raw_dir: Path, database: Path, strict: bool = False) -> Accuracy:
    """Pairwise accuracy of int_records_resolved in `database` against the truth file."""
    truth = raw_dir / "_truth" / "identity.csv"
    if not truth.exists():
        raise SystemExit(f"ground truth {truth} not found")
    con = duckdb.connect(str(database), read_only=True)
    try:
        sql = SCORE_SQL.format(
            resolved=_relation(con, "int_records_resolved"),
            keyed=_relation(con, "int_records_keyed"),
            unioned=_relation(con, "int_identifiers_unioned"),
            strict="true" if strict else "false",
        )
        row = con.execute(sql, [str(truth)]).fetchone()
    finally:
        con.close()
    assert row is not None
    return Accuracy(*(int(value) for value in row))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, required=True, help="landing zone with _truth/")
    parser.add_argument("--duckdb", type=Path, required=True, help="built DuckDB database")
    parser.add_argument("--min-precision", type=float, default=0.995)
    parser.add_argument("--min-recall", type=float, default=0.98)
    parser.add_argument(
        "--strict",
        action="store_true",
        help="score unlinkable truth records too (as singletons)",
    )
    args = parser.parse_args(argv)
    accuracy = score(args.raw_dir, args.duckdb, strict=args.strict)
    print(accuracy.report())
    failures = []
    if accuracy.precision < args.min_precision:
        failures.append(f"precision {accuracy.precision:.4f} < {args.min_precision}")
    if accuracy.recall < args.min_recall:
        failures.append(f"recall {accuracy.recall:.4f} < {args.min_recall}")
    if failures:
        print("FAIL: " + "; ".join(failures))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
