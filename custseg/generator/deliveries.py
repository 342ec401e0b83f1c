"""Daily deliveries: the same landing zone as one folder per source, a history file and one
file per day for the last N days (`custseg generate --deliveries N`).

A row goes to the file of the day it arrived: for sources whose rows carry an arrival time
(CRM versions, orders, web events: late older versions and repeated deliveries arrive after the
row they repeat) that time; otherwise the source's version column, else its event-time column
(the contract's meta), the rate date of an fx rate, or the first delivery of its order for an
order line. Rows of earlier days, reference data without a date (products, stores) and rows
whose date cannot be read go to the history file; rows dated after the last day (future
timestamps) arrive on the last day. Files are named so that they sort in delivery order:
`<day before the first>_history.<ext>`, then `<YYYY-MM-DD>.<ext>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from custseg import contract

# Sources whose rows belong to a row of another source: (parent source, join column).
PARENTS = {"order_items": ("orders", "order_id")}


@dataclass(frozen=True)
class Deliveries:
    """The delivery days: `days` days ending on `last_day`."""

    last_day: date
    days: int

    @property
    def first_day(self) -> date:
        return self.last_day - timedelta(days=self.days - 1)

    @property
    def history_name(self) -> str:
        return f"{self.first_day - timedelta(days=1)}_history"


def _day_expression(name: str, timed_arrival: bool) -> str:
    """The delivery day of a written row, from its arrival time or its text columns."""
    if timed_arrival:
        return "cast(to_timestamp(_arrival) as date)"
    source = contract.default().source(name)
    column = source.version_column or source.event_time_column
    if column:
        return f"try_cast(substr({column}, 1, 10) as date)"
    if "rate_date" in source.column_names:
        return "try_cast(rate_date as date)"
    return "cast(null as date)"


def write(  # noqa: PLR0913
    con: Any,
    name: str,
    data: dict[str, Any],
    select_list: str,
    folder: Path,
    fmt: str,
    deliveries: Deliveries,
    timed_arrival: bool,
) -> list[str]:
    """Write one source's rows (`data`, turned into text by `select_list`) as delivery files
    into `folder`; returns the file names written."""
    src = data  # noqa: F841  (DuckDB replacement scan reads the local `src`)
    day = _day_expression(name, timed_arrival)
    con.execute(
        f"create or replace temp table _delivery_{name} as select *, {day} as _day "
        f"from (select {select_list}, _arrival from src)"
    )
    if name in PARENTS:
        parent, column = PARENTS[name]
        con.execute(
            f"update _delivery_{name} as child set _day = parent._day from ("
            f"select {column}, min(_day) as _day from _delivery_{parent} group by {column}"
            f") as parent where child.{column} = parent.{column}"
        )
    first, last = deliveries.first_day.isoformat(), deliveries.last_day.isoformat()
    bucket = (
        f"case when _day is null or _day < date '{first}' then '{deliveries.history_name}' "
        f"when _day > date '{last}' then '{last}' else cast(_day as varchar) end"
    )
    names = [
        row[0]
        for row in con.execute(
            f"select distinct {bucket} as bucket from _delivery_{name} order by bucket"
        ).fetchall()
    ]
    columns = ", ".join(contract.columns(name))
    options = "format csv, header true" if fmt == "csv" else "format parquet, compression zstd"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name in names:
        target = str(folder / f"{file_name}.{fmt}").replace("'", "''")
        con.execute(
            f"copy (select {columns} from _delivery_{name} where {bucket} = '{file_name}') "
            f"to '{target}' ({options})"
        )
        written.append(f"{file_name}.{fmt}")
    return written
