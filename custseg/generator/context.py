"""What every generator step shares: the random stream, the calendar and the writer.

None of it carries data from one step to the next: a step gets the data it needs as
arguments and returns what later steps need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from custseg.generator.calendar import Calendar
from custseg.generator.io import Arrays, DirtLog, DirtSpec, Sink, inject


@dataclass(frozen=True)
class Source:
    """How one source is written: columns (name, SQL text expression) and its record key."""

    name: str
    columns: Sequence[tuple[str, str]]
    key_column: str
    key_expr: str
    parts: int = 1
    timed_arrival: bool = False  # the arrival times are epoch seconds (deliveries.py)


@dataclass(frozen=True)
class Context:
    """The run's single random stream, its calendar and its output sink."""

    rng: np.random.Generator
    cal: Calendar
    sink: Sink

    def finish_source(
        self,
        source: Source,
        base: Arrays,
        arrival: np.ndarray,
        specs: Sequence[DirtSpec],
        masks: dict[str, np.ndarray],
        log: DirtLog | None = None,
        used: np.ndarray | None = None,
    ) -> None:
        """Inject `specs` into the base rows, write the source and list its dirt."""
        log = DirtLog() if log is None else log
        masks = {"all": np.ones(len(arrival), bool), **masks}
        names = [c for c, _ in source.columns]
        final = inject(self.rng, base, arrival, specs, masks, names, source.key_column, log, used)
        self.sink.write(source.name, final, source.columns, source.parts, source.timed_arrival)
        self.sink.dirt(source.name, base, log, source.key_expr)
