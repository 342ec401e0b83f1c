"""``custseg report``: one self-contained HTML report of the published marts, with its data as
JSON beside it.

``write_report(database, out_dir)`` opens the DuckDB file read-only, reads schema ``marts``,
and writes ``report.html`` (Vega-Altair charts, the Vega JavaScript inlined: it opens offline
and loads nothing) and ``report.json`` (every figure the page shows) into ``out_dir``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from custseg.report import page, sections

PROJECT_DIR = Path(__file__).resolve().parents[2]
HTML_NAME, JSON_NAME = "report.html", "report.json"


def default_out_dir() -> Path:
    """CUSTSEG_REPORT_DIR, else report/ in the project folder."""
    value = os.environ.get("CUSTSEG_REPORT_DIR")
    path = Path(value) if value else PROJECT_DIR / "report"
    return path if path.is_absolute() else PROJECT_DIR / path


def cache_dir() -> Path:
    """Where the JavaScript bundle is kept between runs: $XDG_CACHE_HOME/custseg (~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "custseg"


@functools.cache
def vega_javascript() -> str:
    """The vega, vega-lite and vega-embed bundle for Altair's Vega-Lite version (what Altair's
    ``inline=True`` HTML export embeds); it defines ``vegaEmbed``. vl-convert bundles it in
    several seconds, so it is kept in cache_dir(), one file per vl-convert and Vega-Lite
    version."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    vl_version = vl_version_for_vl_convert()
    cached = cache_dir() / f"vega-embed-bundle-{vl_convert.__version__}-{vl_version}.js"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    bundle = vl_convert.javascript_bundle(vl_version=vl_version)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        partial.write_text(bundle, encoding="utf-8")
        partial.replace(cached)
    except OSError:  # a read-only home: bundle every time
        pass
    return bundle


def write_report(database: Path, out_dir: Path) -> Path:
    """Write report.html and report.json of the marts in ``database`` into ``out_dir``;
    return the HTML file's path."""
    database, out_dir = Path(database), Path(out_dir)
    if not database.exists():
        raise FileNotFoundError(f"no database at {database}")
    with duckdb.connect(str(database), read_only=True) as con:
        data = sections.collect(con)
    written_at = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    specs: dict[str, dict] = {}
    parts = [(anchor, title, build(data, specs)) for anchor, title, build in sections.SECTIONS]
    html = page.document(
        "Customer segments report",
        f"As of {data['latest_as_of_date']}, from {database.name} (schema marts); "
        f"written {written_at}.",
        parts,
        specs,
        vega_javascript(),
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / HTML_NAME
    html_path.write_text(html, encoding="utf-8")
    payload = {"database": str(database), "written_at": written_at, **data}
    (out_dir / JSON_NAME).write_text(json.dumps(payload, indent=1), encoding="utf-8")
    return html_path


def cmd_report(args: argparse.Namespace) -> int:
    from custseg.cli import duckdb_path

    started = time.perf_counter()
    path = write_report(duckdb_path(), Path(args.out) if args.out else default_out_dir())
    size = path.stat().st_size
    print(
        f"Report: {path} ({size / 1e6:.1f} MB, data in {path.with_name(JSON_NAME).name}), "
        f"written in {time.perf_counter() - started:.1f}s"
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser(
        "report", help="write the HTML report of the marts (and its data as JSON)"
    )
    report.add_argument(
        "--out", help="folder to write into (default: CUSTSEG_REPORT_DIR, else report/)"
    )
    report.set_defaults(func=cmd_report)
