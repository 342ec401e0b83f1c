"""`custseg report`: the HTML page renders offline in headless Chromium, every section has a
chart with marks, and the figures it shows are the marts'.

The sample build has one run; a copy gets a second run 30 days later (the as_of_date models
only, one `dbt run`), so that the movement section has two runs to compare.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR, BuiltProject, run_dbt

from custseg.report import queries, write_report

AS_OF_MODELS = (
    "path:models/intermediate/attributes path:models/marts/attributes "
    "path:models/intermediate/segments path:models/marts/segments "
    "state_segment_membership_runs state_segment_attribute_snapshots"
)
SECTIONS = ("overview", "segments", "rfm", "movement", "profiles", "quality")
MARKS = "svg g[class*='mark-'] path, svg g[class*='mark-'] line, svg g[class*='mark-'] text"


def _query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory, sample_build: BuiltProject) -> Path:
    """A copy of the sample build with a second run 30 days after the first."""
    assert sample_build.build.returncode == 0, sample_build.build.output[-3000:]
    base = tmp_path_factory.mktemp("report")
    # same file name: DuckDB names the catalog after the file and views refer to it
    database = base / sample_build.database.name
    shutil.copy(sample_build.database, database)
    (first,) = _query(database, "select max(as_of_date) from marts.segment_summary")[0]
    later = first + timedelta(days=30)
    second = run_dbt(
        ["run", "-s", *AS_OF_MODELS.split(), "--vars", f"{{as_of_date: '{later}'}}"],
        sample_build.raw_dir,
        database,
        base,
    )
    assert second.returncode == 0, second.output[-3000:]
    return database


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from custseg.report.browser import launch

    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


def _open(browser, html: Path):
    """The report in a new page; every request other than the file is recorded and aborted."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    url = html.resolve().as_uri()

    def route(request_route) -> None:
        if request_route.request.url == url or request_route.request.url.startswith("data:"):
            request_route.continue_()
        else:
            requests.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, errors, requests


def _marks(page, selector: str) -> int:
    return page.eval_on_selector_all(
        selector, f'nodes => nodes.map(n => n.querySelectorAll("{MARKS}").length)'
    )


def _wait_for_charts(page) -> None:
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('.chart')]
            .filter(div => div.offsetParent !== null)
            .every(div => div.querySelectorAll("{MARKS}").length > 0)""",
        timeout=30_000,
    )


def _figure(page, name: str) -> str:
    return page.inner_text(f"[data-figure='{name}']")


def test_report_renders_offline_with_the_marts_figures(two_runs: Path, tmp_path: Path, browser):
    html = write_report(two_runs, tmp_path / "out")
    assert html == tmp_path / "out" / "report.html"
    data = json.loads((tmp_path / "out" / "report.json").read_text())
    assert len(data["runs"]) == 2

    page, errors, requests = _open(browser, html)
    _wait_for_charts(page)
    assert errors == []
    assert requests == []
    for section in SECTIONS:
        counts = _marks(page, f"#{section} .chart")
        assert counts and max(counts) > 0, f"no chart with marks in section {section}"
    visible = page.eval_on_selector_all(
        ".chart", "nodes => nodes.filter(n => n.offsetParent !== null).length"
    )
    assert visible >= 10
    page.set_viewport_size({"width": 800, "height": 900})  # a narrow laptop window
    page.wait_for_timeout(500)
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    page.set_viewport_size({"width": 1366, "height": 900})

    # five figures against the marts they come from
    active = ", ".join(
        f"'{stage.removeprefix('lifecycle_')}'" for stage in queries.ACTIVE_LIFECYCLE_SEGMENTS
    )
    customers, active_customers, revenue = _query(
        two_runs,
        "select count(*), count(*) filter (where lifecycle_stage in (" + active + ")), "
        "sum(lifetime_net_revenue) from marts.customer_attributes",
    )[0]
    assert _figure(page, "customers") == f"{customers:,}"
    assert _figure(page, "active_customers") == f"{active_customers:,}"
    assert _figure(page, "net_revenue") == f"{revenue:,.0f}"
    source, raw_rows = _query(
        two_runs,
        "select source, raw_rows from marts.source_reconciliation where is_delivered "
        "order by raw_rows desc, source limit 1",
    )[0]
    first_source = page.locator("#quality table tbody tr").first.locator("td")
    assert first_source.nth(0).inner_text() == source
    assert first_source.nth(1).inner_text() == f"{raw_rows:,}"
    name, members = _query(
        two_runs,
        "select catalog.segment_name, count(*) from marts.segment_memberships as memberships "
        "inner join marts.segment_catalog as catalog using (segment_key) "
        "where memberships.family = 'rfm' group by 1 order by 2 desc, 1 limit 1",
    )[0]
    row = page.locator("#segments-rfm tbody tr").filter(
        has=page.get_by_role("cell", name=name, exact=True)
    )
    assert row.locator("td").nth(1).inner_text() == f"{members:,}"

    # another segment's profile renders when chosen
    chooser = page.locator("#profile-select")
    second_option = chooser.locator("option").nth(1).get_attribute("value")
    chooser.select_option(second_option)
    _wait_for_charts(page)
    shown = _marks(page, f".profile[data-segment='{second_option}'] .chart")
    assert shown and shown[0] > 0
    assert errors == [] and requests == []
    page.close()


def test_report_of_a_single_run_says_so(sample_build: BuiltProject, tmp_path: Path):
    """`custseg report --out DIR` on the one-run sample build: written, and the page says that
    movement needs a second run."""
    env = {**os.environ, "DUCKDB_PATH": str(sample_build.database)}
    out = tmp_path / "single"
    done = subprocess.run(
        [sys.executable, "-m", "custseg", "report", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert str(out / "report.html") in done.stdout
    text = (out / "report.html").read_text()
    assert "Only one run is recorded" in text
    assert "<script src" not in text and "<link" not in text
    assert json.loads((out / "report.json").read_text())["previous_as_of_date"] is None


def test_run_writes_the_report_after_the_summary(
    sample_build: BuiltProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    """`custseg run` ends with the summary, then the report's path (dbt itself left out)."""
    from custseg import cli

    monkeypatch.setenv("DUCKDB_PATH", str(sample_build.database))
    monkeypatch.setenv("CUSTSEG_REPORT_DIR", str(tmp_path / "run"))
    monkeypatch.setattr(cli, "run_dbt", lambda *args, **kwargs: 0)
    with pytest.raises(SystemExit) as done:
        cli.main(["run", "--raw-dir", str(sample_build.raw_dir), "--skip-validation"])
    assert done.value.code == 0
    printed = capsys.readouterr().out
    assert f"Report: {tmp_path / 'run' / 'report.html'}" in printed
    assert printed.index("[4/4] Summary") < printed.index("Report: ")
    assert (tmp_path / "run" / "report.json").exists()
