"""Synthetic landing zone: every source of the raw contract, with ground truth and dirt.

`generate()` writes `<out_dir>/<source>.csv|.parquet|/part-XXXX.parquet` for the 12 sources of
the landing-zone contract (models/staging/_raw__sources.yml, docs/raw_sources.md), plus
`_truth/identity.csv` (which person each record belongs to),
`_truth/dirt.csv` (every injected defect) and `_truth/manifest.json`. Everything is drawn from
one `np.random.default_rng(seed)` stream with vectorised numpy; DuckDB formats and writes the
text. The same arguments always give the same bytes; the wall clock is never read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

from custseg import contract
from custseg.generator.calendar import Calendar
from custseg.generator.catalog import build_catalog, write_catalog
from custseg.generator.context import Context
from custseg.generator.crm import build_crm
from custseg.generator.deliveries import Deliveries
from custseg.generator.feedback import build_surveys, build_tickets
from custseg.generator.io import Sink
from custseg.generator.marketing import build_leads, build_touches
from custseg.generator.orders import build_orders
from custseg.generator.people import build_people
from custseg.generator.privacy import build_privacy
from custseg.generator.web import build_web

# The landing-zone contract's sources (models/staging/_raw__sources.yml), in its order.
SOURCES = contract.source_names()


def generate(
    out_dir: Path,
    customers: int = 2000,
    seed: int = 42,
    fmt: str = "csv",
    end_date: date = date(2026, 9, 30),
    years: int = 3,
    orders_per_customer: float = 4.0,
    *,
    progress: Callable[[str, int], None] | None = None,
    deliveries: int = 0,
) -> dict[str, int]:
    """Write the synthetic landing zone into `out_dir`; return rows written per source. With
    `deliveries`, every source is a folder: a history file and one file per day for the last
    `deliveries` days (custseg/generator/deliveries.py); the rows are the same."""
    if customers < 10:
        raise ValueError("customers must be at least 10")
    if orders_per_customer < 1:
        raise ValueError("orders_per_customer must be at least 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_previous_output(out_dir)
    cal = Calendar(end_date, years)
    daily = Deliveries(end_date, deliveries) if deliveries > 0 else None
    ctx = Context(np.random.default_rng(seed), cal, Sink(out_dir, fmt, progress, daily))
    prospects = max(3, round(customers * 0.15))
    superseded = _run_steps(ctx, customers, prospects, orders_per_customer)
    ctx.sink.finish()
    manifest = {
        "generator": "custseg.generate",
        "seed": seed,
        "customers": customers,
        "prospects": prospects,
        "end_date": end_date.isoformat(),
        "start_date": cal.start.isoformat(),
        "years": years,
        "orders_per_customer": orders_per_customer,
        "format": fmt,
        "rows": {name: ctx.sink.rows[name] for name in SOURCES},
        "superseded_rows": superseded,
        "dirt_rows": ctx.sink.dirt_rows,
        "conventions": {
            "timestamps": "ISO-8601; 'Z' or '+HH:00' offset, or no offset (UTC)",
            "booleans": "true/false",
            "missing": "empty field (CSV) / null (Parquet)",
        },
    }
    if daily is not None:
        manifest["deliveries"] = {
            "days": deliveries,
            "first_day": daily.first_day.isoformat(),
            "last_day": end_date.isoformat(),
            "files": ctx.sink.delivery_files,
        }
    (out_dir / "_truth" / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return {name: ctx.sink.rows[name] for name in SOURCES}


def _run_steps(
    ctx: Context, customers: int, prospects: int, orders_per_customer: float
) -> dict[str, int]:
    """Every step in the order of the random stream; each gets what it reads as arguments.
    Returns the superseded (older version) rows per versioned source."""
    people = build_people(ctx.rng, customers, prospects, ctx.cal)
    catalog = build_catalog(ctx.rng, ctx.cal)
    write_catalog(ctx, catalog)
    crm = build_crm(ctx, people)
    orders = build_orders(ctx, people, crm, catalog, orders_per_customer)
    web = build_web(ctx, people, crm, catalog, orders)
    build_surveys(ctx, people, crm)
    build_tickets(ctx, people, crm)
    leads = build_leads(ctx, people, crm, web)
    build_touches(ctx, people, crm, leads)
    build_privacy(ctx, people, crm)
    return {"crm_customers": crm.superseded, "orders": orders.superseded}


def _remove_previous_output(out_dir: Path) -> None:
    """A previous run in another format must not linger."""
    for name in SOURCES:
        for stale in (out_dir / f"{name}.csv", out_dir / f"{name}.parquet"):
            stale.unlink(missing_ok=True)
        if (out_dir / name).is_dir():
            for part in [*(out_dir / name).glob("*.parquet"), *(out_dir / name).glob("*.csv")]:
                part.unlink()
            (out_dir / name).rmdir()
