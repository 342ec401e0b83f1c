"""Record versions: one row per version of a record, and older versions that arrive late.

CRM records and orders change over time. Every version is delivered as its own row; a few
older versions are delivered after the newest one (`superseded_version` in the dirt list).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from custseg.generator.io import Arrays, DirtLog, take


@dataclass(frozen=True)
class Versions:
    """Version rows of records that have `nver` versions each."""

    nver: np.ndarray  # versions per record
    rows: np.ndarray  # record of each version row
    v: np.ndarray  # version number of each row (0 = first)
    nv: np.ndarray  # versions of the row's record

    @property
    def superseded(self) -> int:
        """Rows that are not the newest version of their record."""
        return int(len(self.rows) - len(self.nver))


def expand(records: Arrays, nver: np.ndarray) -> tuple[Versions, Arrays]:
    """The version rows of `records` and their columns (copied from the record)."""
    rows = np.repeat(np.arange(len(nver)), nver)
    v = np.arange(len(rows)) - np.repeat(np.cumsum(nver) - nver, nver)
    return Versions(nver, rows, v, nver[rows]), take(records, rows)


def late_arrivals(
    rng: np.random.Generator, upd: np.ndarray, ver: Versions, share: float, max_delay: float
) -> tuple[np.ndarray, DirtLog, np.ndarray]:
    """Arrival times (the update time, or later for late older versions), the dirt log that
    lists the late rows, and the rows to keep free of other dirt (every multi-version row)."""
    arrival = upd.astype(np.float64)
    log = DirtLog()
    used = np.zeros(len(ver.rows), bool)
    used[ver.nv > 1] = True  # dirt only on single-version keys
    latest_row = np.cumsum(ver.nver)[ver.rows] - 1
    second_last = np.flatnonzero(ver.v == ver.nv - 2)
    k = min(len(second_last), max(3, round(share * len(second_last))))
    late = np.sort(rng.choice(second_last, k, replace=False)) if k else np.zeros(0, int)
    arrival[late] = upd[latest_row[late]] + rng.uniform(600, max_delay, k)
    log.add(late, "superseded_version", "", False)
    return arrival, log, used
