"""The `custseg generate` subcommand: options, progress lines and the row-count table."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from custseg.generator import pipeline
from custseg.generator.pipeline import generate


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `generate` subcommand."""
    parser = subparsers.add_parser(
        "generate",
        help="write a synthetic landing zone (all raw sources, ground truth, injected dirt)",
        description=pipeline.__doc__,
    )
    parser.add_argument("--out", type=Path, default=Path("sample_data"), help="output folder")
    parser.add_argument("--customers", type=int, default=2000, help="number of customers")
    parser.add_argument("--seed", type=int, default=42, help="random seed (same seed, same bytes)")
    parser.add_argument(
        "--format", dest="fmt", choices=("csv", "parquet", "parquet-folder"), default="csv"
    )
    parser.add_argument(
        "--end-date",
        type=date.fromisoformat,
        default=date(2026, 9, 30),
        help="last day of the generated history (YYYY-MM-DD)",
    )
    parser.add_argument("--years", type=int, default=3, help="years of history")
    parser.add_argument("--orders-per-customer", type=float, default=4.0)
    parser.add_argument(
        "--deliveries",
        type=int,
        default=0,
        help="write each source as a folder: a history file and one file a day for the last N "
        "days (csv or parquet)",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    started = time.perf_counter()

    def progress(name: str, rows: int) -> None:
        elapsed = time.perf_counter() - started
        print(f"[{elapsed:7.1f}s] wrote {name} ({rows:,} rows)", file=sys.stderr, flush=True)

    rows = generate(
        args.out,
        customers=args.customers,
        seed=args.seed,
        fmt=args.fmt,
        end_date=args.end_date,
        years=args.years,
        orders_per_customer=args.orders_per_customer,
        progress=progress,
        deliveries=args.deliveries,
    )
    width = max(len(name) for name in rows)
    for name, count in rows.items():
        print(f"{name:<{width}}  {count:>12,}")
    total = time.perf_counter() - started
    print(f"{'total':<{width}}  {sum(rows.values()):>12,} rows in {total:.1f}s -> {args.out}")
    return 0
