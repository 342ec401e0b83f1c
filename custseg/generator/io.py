"""Writing side of the generator: dirt injection on column arrays and DuckDB output.

Every source is held as a dict of equally long numpy arrays (codes, numbers, canonical
strings). SQL select lists turn them into text columns; DuckDB writes CSV or Parquet.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np

from custseg import contract
from custseg.generator import deliveries
from custseg.generator.deliveries import Deliveries

Arrays = dict[str, np.ndarray]
MIN_DIRT_ROWS = 3


def take(data: Arrays, index: np.ndarray) -> Arrays:
    """Rows `index` of every column."""
    return {name: column[index] for name, column in data.items()}


def concat(parts: Sequence[Arrays]) -> Arrays:
    """Stack dicts that share the same columns."""
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


@dataclass(frozen=True)
class DirtSpec:
    """One kind of defect injected into one column of one source.

    kind: `value` (replace the column's text in place), `dup` (deliver the row twice),
    `nokey` (an extra copy of the row with its key column empty).
    """

    rule: str
    column: str
    values: tuple[str | None, ...]
    rate: float
    mask: str = "all"
    kind: str = "value"
    rejected: bool = True


MALFORMED_EMAILS = ("nguyen.an@@gmail", "an.nguyen gmail.com", "@yahoo.com")
MALFORMED_PHONES = ("12", "abc-phone", "+84 12", "0912\\345 678")


def malformed_contact(email_rate: float, phone_rate: float, mask: str) -> list[DirtSpec]:
    """Malformed emails and phones (value-level: the staging layer nulls them, keeps the row)."""
    return [
        DirtSpec("malformed_email", "email", MALFORMED_EMAILS, email_rate, mask, rejected=False),
        DirtSpec("malformed_phone", "phone", MALFORMED_PHONES, phone_rate, mask, rejected=False),
    ]


@dataclass
class DirtLog:
    """Injected defects of one source: base-row index, rule, column, row rejected."""

    rows: list[np.ndarray] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rejected: list[bool] = field(default_factory=list)

    def add(self, rows: np.ndarray, rule: str, column: str, rejected: bool) -> None:
        self.rows.append(rows.astype(np.int64))
        self.rules.append(rule)
        self.columns.append(column)
        self.rejected.append(rejected)

    def arrays(self) -> Arrays:
        sizes = [len(r) for r in self.rows]
        if not sizes:
            sizes, self.rows = [0], [np.zeros(0, np.int64)]
            self.rules, self.columns, self.rejected = [""], [""], [False]
        return {
            "row": np.concatenate(self.rows),
            "rule": np.repeat(np.array(self.rules, dtype=object), sizes),
            "col": np.repeat(np.array(self.columns, dtype=object), sizes),
            "rej": np.repeat(np.array(self.rejected, dtype=bool), sizes),
        }

    def count(self) -> int:
        return int(sum(len(r) for r in self.rows))


def inject(
    rng: np.random.Generator,
    base: Arrays,
    arrival: np.ndarray,
    specs: Sequence[DirtSpec],
    masks: dict[str, np.ndarray],
    columns: Sequence[str],
    key_column: str,
    log: DirtLog,
    used: np.ndarray | None = None,
) -> Arrays:
    """Apply `specs` (one defect per row), add copies, order rows by arrival.

    Returns the final rows with two extra columns: `dc` (index into `columns` of the
    overridden column, -1 for none) and `dv` (the raw text put there, None for empty).
    """
    n = len(arrival)
    used = np.zeros(n, bool) if used is None else used
    dc = np.full(n, -1, np.int16)
    dv = np.full(n, None, dtype=object)
    copy_rows: list[np.ndarray] = []
    copy_dc: list[np.ndarray] = []
    copy_arrival: list[np.ndarray] = []
    span = max(float(arrival.max() - arrival.min()), 1.0) if n else 1.0
    for spec in specs:
        candidates = np.flatnonzero(masks[spec.mask] & ~used)
        k = min(len(candidates), max(MIN_DIRT_ROWS, round(spec.rate * n)))
        if k == 0:
            continue
        rows = np.sort(rng.choice(candidates, k, replace=False))
        used[rows] = True
        if spec.kind == "value":
            dc[rows] = columns.index(spec.column)
            dv[rows] = rng.choice(np.array(spec.values, dtype=object), k)
            log.add(rows, spec.rule, spec.column, spec.rejected)
        elif spec.kind == "dup":
            copy_rows.append(rows)
            copy_dc.append(np.full(k, -1, np.int16))
            copy_arrival.append(arrival[rows] + rng.uniform(1.0, 3600.0, k) * span / 1e6)
            log.add(rows, spec.rule, "", True)
        else:  # nokey
            copy_rows.append(rows)
            copy_dc.append(np.full(k, columns.index(key_column), np.int16))
            copy_arrival.append(arrival.min() + rng.random(k) * span)
            log.add(rows, spec.rule, key_column, True)
    index = np.concatenate([np.arange(n), *copy_rows])
    order_key = np.concatenate([arrival.astype(np.float64), *copy_arrival])
    order = np.lexsort((np.arange(len(index)), order_key))
    final = take(base, index[order])
    all_dc = np.concatenate([dc, *copy_dc])
    all_dv = np.concatenate([dv, np.full(len(index) - n, None, dtype=object)])
    final["dc"] = all_dc[order]
    final["dv"] = all_dv[order]
    final["_arrival"] = order_key[order]  # what a delivery split reads (deliveries.py)
    return final


class Sink:
    """Writes sources, truth and dirt with one DuckDB connection."""

    def __init__(
        self,
        out_dir: Path,
        fmt: str,
        progress: Callable[[str, int], None] | None = None,
        deliveries: Deliveries | None = None,
    ) -> None:
        if fmt not in ("csv", "parquet", "parquet-folder"):
            raise ValueError(f"unknown format {fmt!r}: use csv, parquet or parquet-folder")
        if deliveries is not None and fmt == "parquet-folder":
            raise ValueError("deliveries are written as csv or parquet files, not parquet-folder")
        self.deliveries = deliveries
        self.delivery_files: dict[str, list[str]] = {}
        self.out_dir = out_dir
        self.fmt = fmt
        self.progress = progress
        self.truth_dir = out_dir / "_truth"
        self.parts_dir = self.truth_dir / "_parts"
        self.parts_dir.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect()
        self.con.execute("set preserve_insertion_order = true")
        self.con.execute("set enable_progress_bar = false")
        self.con.execute("set TimeZone = 'UTC'")
        self.truth_parts: list[Path] = []
        self.dirt_parts: list[Path] = []
        self.rows: dict[str, int] = {}
        self.dirt_rows: dict[str, int] = {}

    def _copy(self, select_sql: str, data: Arrays, target: Path, fmt: str) -> None:
        src = data  # noqa: F841  (DuckDB replacement scan reads the local `src`)
        options = "format csv, header true" if fmt == "csv" else "format parquet, compression zstd"
        path = str(target).replace("'", "''")
        self.con.execute(f"copy ({select_sql}) to '{path}' ({options})")

    def write(
        self,
        name: str,
        data: Arrays,
        columns: Sequence[tuple[str, str]],
        parts: int = 1,
        timed_arrival: bool = False,
    ) -> int:
        """Write one source. `columns`: (name, SQL text expression) over the arrays, one for
        every column the landing-zone contract declares for the source; the file's columns
        come in the contract's order."""
        overridden = set(np.unique(data["dc"]).tolist()) if "dc" in data else set()
        items = {}
        for i, (col, expr) in enumerate(columns):
            if i in overridden:
                expr = f"case when dc = {i} then dv else ({expr}) end"
            items[col] = f"({expr})::varchar as {col}"
        declared = contract.columns(name)
        if set(items) != set(declared):
            missing, extra = sorted(set(declared) - set(items)), sorted(set(items) - set(declared))
            raise ValueError(
                f"generator columns of {name} differ from the contract "
                f"(models/staging/_raw__sources.yml): missing {missing}, not declared {extra}"
            )
        select_list = ", ".join(items[col] for col in declared)
        sql = f"select {select_list} from src"
        n = len(next(iter(data.values())))
        if self.deliveries is not None:
            if "_arrival" not in data:
                data = {**data, "_arrival": np.zeros(n)}
            self.delivery_files[name] = deliveries.write(
                self.con,
                name,
                data,
                select_list,
                self.out_dir / name,
                self.fmt,
                self.deliveries,
                timed_arrival,
            )
        elif self.fmt == "csv":
            self._copy(sql, data, self.out_dir / f"{name}.csv", "csv")
        elif self.fmt == "parquet":
            self._copy(sql, data, self.out_dir / f"{name}.parquet", "parquet")
        else:
            folder = self.out_dir / name
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            bounds = np.linspace(0, n, max(parts, 1) + 1).astype(int)
            for part, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
                piece = {k: v[a:b] for k, v in data.items()}
                self._copy(sql, piece, folder / f"part-{part:04d}.parquet", "parquet")
        self.rows[name] = n
        if self.progress is not None:
            self.progress(name, n)
        return n

    def truth(self, source: str, data: Arrays, key_expr: str, person_expr: str) -> None:
        """Identity truth rows (source, record_key, person_id) of one source."""
        target = self.parts_dir / f"identity_{source}.csv"
        sql = (
            f"select '{source}' as source, ({key_expr})::varchar as record_key, "
            f"({person_expr})::varchar as person_id from src"
        )
        self._copy(sql, data, target, "csv")
        self.truth_parts.append(target)

    def dirt(self, source: str, base: Arrays, log: DirtLog, key_expr: str) -> None:
        """Dirt rows of one source; record keys computed from the base rows."""
        d = log.arrays()
        data = take(base, d["row"])
        data.update({"_rule": d["rule"], "_col": d["col"], "_rej": d["rej"]})
        target = self.parts_dir / f"dirt_{source}.csv"
        sql = (
            f"select '{source}' as source, "
            f"case when _rule = 'missing_key' then null else ({key_expr})::varchar end "
            "as record_key, _rule as rule, nullif(_col, '') as column_name, "
            "case when _rej then 'true' else 'false' end as is_row_rejected "
            "from src where _rule <> ''"
        )
        self._copy(sql, data, target, "csv")
        self.dirt_parts.append(target)
        self.dirt_rows[source] = log.count()

    def finish(self) -> None:
        """Concatenate the per-source truth and dirt parts into single CSV files."""
        for target, parts in (
            (self.truth_dir / "identity.csv", self.truth_parts),
            (self.truth_dir / "dirt.csv", self.dirt_parts),
        ):
            with open(target, "wb") as out:
                for i, part in enumerate(parts):
                    with open(part, "rb") as handle:
                        header = handle.readline()
                        if i == 0:
                            out.write(header)
                        shutil.copyfileobj(handle, out, 1 << 20)
        shutil.rmtree(self.parts_dir)
        self.con.close()
