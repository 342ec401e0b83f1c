"""The report's charts as Vega-Lite specs, built with Vega-Altair from the report's records.

Each chart carries its data inline (no URL to fetch), a title, axis titles with units and
thousands separators in its labels and tooltips. Widths follow the page (``container``).
"""

from __future__ import annotations

import json

import altair as alt

from custseg.report.queries import Records

COUNT = ",.0f"  # 12,345
MONEY = ",.0f"  # reporting currency, whole units
SHARE = ".1%"
HEIGHT_PER_ROW = 22


def _data(rows: Records) -> alt.Data:
    return alt.Data(values=rows)


def _titled(chart: alt.TopLevelMixin, title: str, subtitle: str = "") -> dict:
    spec = chart.properties(title=alt.Title(title, subtitle=subtitle or alt.Undefined))
    return spec.to_dict()


def overview(rows: Records) -> dict:
    """Customers and active customers per recorded run, side by side."""
    labels = {"customers": "All customers", "active_customers": "Active (ordered within 180 days)"}
    chart = (
        alt.Chart(_data(rows))
        .transform_fold(list(labels), as_=["measure", "count"])
        .transform_calculate(series=f"{json.dumps(labels)}[datum.measure]")
        .mark_bar()
        .encode(
            x=alt.X("as_of_date:N", title="Run (as_of_date)", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("series:N"),
            y=alt.Y("count:Q", title="Customers (count)", axis=alt.Axis(format=COUNT)),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("as_of_date:N", title="Run"),
                alt.Tooltip("series:N", title="Measure"),
                alt.Tooltip("count:Q", title="Customers", format=COUNT),
            ],
        )
        .properties(width="container", height=240)
    )
    return _titled(chart, "Customers per run")


def segment_members(rows: Records) -> dict:
    """Members per segment at the latest run, grouped by family, largest first in a family."""
    order = [row["segment_label"] for row in rows]
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            y=alt.Y("segment_label:N", sort=order, title="Segment"),
            x=alt.X("members_count:Q", title="Members (customers)", axis=alt.Axis(format=COUNT)),
            color=alt.Color("family:N", title="Family", legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("segment_name:N", title="Segment"),
                alt.Tooltip("family:N", title="Family"),
                alt.Tooltip("members_count:Q", title="Members", format=COUNT),
                alt.Tooltip("share_of_customers:Q", title="Share of customers", format=SHARE),
                alt.Tooltip("net_revenue:Q", title="Net revenue", format=MONEY),
                alt.Tooltip("average_net_revenue:Q", title="Average value", format=",.2f"),
                alt.Tooltip("priority_rank:Q", title="Priority rank"),
            ],
        )
        .properties(width="container", height=HEIGHT_PER_ROW * max(len(rows), 1))
    )
    return _titled(chart, "Segment members at the latest run")


def sizes_over_runs(rows: Records, family: str) -> dict:
    """Members per run of one exclusive family's segments."""
    chart = (
        alt.Chart(_data([row for row in rows if row["family"] == family]))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "as_of_date:T", title="Run date (as_of_date)", axis=alt.Axis(format="%Y-%m-%d")
            ),
            y=alt.Y("members_count:Q", title="Members (customers)", axis=alt.Axis(format=COUNT)),
            color=alt.Color("segment_name:N", title="Segment"),
            tooltip=[
                alt.Tooltip("as_of_date:T", title="Run", format="%Y-%m-%d"),
                alt.Tooltip("segment_name:N", title="Segment"),
                alt.Tooltip("members_count:Q", title="Members", format=COUNT),
            ],
        )
        .properties(width="container", height=220)
    )
    return _titled(chart, f"Segment sizes over the runs: {family}")


def rfm_grid(rows: Records) -> dict:
    """The 5 x 5 recency x frequency heat map with customers, revenue and segment per cell."""
    base = alt.Chart(_data(rows)).encode(
        x=alt.X("f_score:O", title="Frequency score (1 = fewest orders, 5 = most)"),
        y=alt.Y("r_score:O", sort="descending", title="Recency score (5 = most recent)"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "customers:Q",
            title="Customers",
            scale=alt.Scale(scheme="blues"),
            legend=alt.Legend(format=COUNT),
        ),
        tooltip=[
            alt.Tooltip("r_score:O", title="Recency score"),
            alt.Tooltip("f_score:O", title="Frequency score"),
            alt.Tooltip("rfm_segment:N", title="Segment"),
            alt.Tooltip("customers:Q", title="Customers", format=COUNT),
            alt.Tooltip("net_revenue:Q", title="Net revenue (RFM window)", format=MONEY),
        ],
    )
    dark = max((row["customers"] for row in rows), default=0) * 0.6
    ink = alt.condition(f"datum.customers > {dark}", alt.value("white"), alt.value("black"))
    name = base.mark_text(dy=-14, fontSize=11, fontWeight="bold").encode(
        text="rfm_segment:N", color=ink
    )
    customers = base.mark_text(dy=2, fontSize=11).encode(
        text=alt.Text("customers:Q", format=COUNT), color=ink
    )
    revenue = base.mark_text(dy=16, fontSize=10).encode(
        text=alt.Text("net_revenue:Q", format=MONEY), color=ink
    )
    chart = alt.layer(cells, name, customers, revenue).properties(width="container", height=420)
    return _titled(
        chart,
        "RFM grid: customers per recency x frequency cell",
        "in each cell: segment, customers, net revenue over the RFM window",
    )


def transition_matrix(rows: Records, family: str) -> dict:
    """Where the customers of each segment at the previous run are at the latest run."""
    chart_rows = [row for row in rows if row["family"] == family]
    base = alt.Chart(_data(chart_rows)).encode(
        x=alt.X(
            "to_segment_key:N", title="Segment at the latest run", axis=alt.Axis(labelAngle=-40)
        ),
        y=alt.Y("from_segment_key:N", title="Segment at the previous run"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "share_of_from_segment:Q",
            title="Share of the row",
            scale=alt.Scale(scheme="oranges", domain=[0, 1]),
            legend=alt.Legend(format=".0%"),
        ),
        tooltip=[
            alt.Tooltip("from_segment_key:N", title="From"),
            alt.Tooltip("to_segment_key:N", title="To"),
            alt.Tooltip("customers_count:Q", title="Customers", format=COUNT),
            alt.Tooltip("share_of_from_segment:Q", title="Share of the from segment", format=SHARE),
        ],
    )
    labels = base.mark_text(fontSize=10).encode(
        text=alt.Text("customers_count:Q", format=COUNT),
        color=alt.condition(
            "datum.share_of_from_segment > 0.6", alt.value("white"), alt.value("black")
        ),
    )
    segments = {row["from_segment_key"] for row in chart_rows}
    height = 30 * max(len(segments), 1)
    chart = alt.layer(cells, labels).properties(width="container", height=height)
    return _titled(chart, f"Transition matrix: {family}", "customers per move (cell text)")


def segment_events(rows: Records) -> dict:
    """Customers who entered (right) and exited (left) each segment at the latest run."""
    order = [row["segment_key"] for row in rows]
    chart = (
        alt.Chart(_data(rows))
        .transform_calculate(exited_negative="-datum.exited")
        .transform_fold(["entered", "exited_negative"], as_=["event", "customers"])
        .transform_calculate(
            event="datum.event == 'entered' ? 'entered' : 'exited'",
            customers_abs="abs(datum.customers)",
        )
        .mark_bar()
        .encode(
            y=alt.Y("segment_key:N", sort=order, title="Segment"),
            x=alt.X(
                "customers:Q",
                title="Customers (exited left, entered right)",
                axis=alt.Axis(format=COUNT),
            ),
            color=alt.Color(
                "event:N",
                title="Event",
                scale=alt.Scale(domain=["entered", "exited"], range=["#2a9d8f", "#e76f51"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("segment_key:N", title="Segment"),
                alt.Tooltip("event:N", title="Event"),
                alt.Tooltip("customers_abs:Q", title="Customers", format=COUNT),
            ],
        )
        .properties(width="container", height=HEIGHT_PER_ROW * max(len(rows), 1))
    )
    return _titled(chart, "Entered and exited per segment at the latest run")


def profile(rows: Records, segment_name: str) -> dict:
    """Share of the segment's members with each attribute value against all customers."""
    labels = {"share_segment": segment_name, "share_all": "All customers"}
    order = [f"{row['attribute']} = {row['attribute_value']}" for row in rows]
    chart = (
        alt.Chart(_data(rows))
        .transform_calculate(label="datum.attribute + ' = ' + datum.attribute_value")
        .transform_fold(list(labels), as_=["measure", "share"])
        .transform_calculate(group=f"{json.dumps(labels)}[datum.measure]")
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=order, title="Attribute = value"),
            yOffset=alt.YOffset("group:N", sort=list(labels.values())),
            x=alt.X("share:Q", title="Share of customers (%)", axis=alt.Axis(format=".0%")),
            color=alt.Color(
                "group:N",
                title=None,
                sort=list(labels.values()),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Attribute"),
                alt.Tooltip("group:N", title="Who"),
                alt.Tooltip("share:Q", title="Share", format=SHARE),
                alt.Tooltip("lift:Q", title="Lift (segment / all)", format=".2f"),
            ],
        )
        .properties(width="container", height=34 * max(len(rows), 1))
    )
    return _titled(chart, f"Profile: {segment_name} against all customers")


def reconciliation(rows: Records) -> dict:
    """Raw rows per source split into clean, quarantined and superseded rows."""
    kinds = {
        "clean_rows": "clean",
        "quarantined_rows": "quarantined",
        "superseded_rows": "superseded",
    }
    order = [row["source"] for row in rows]
    chart = (
        alt.Chart(_data(rows))
        .transform_fold(list(kinds), as_=["kind", "rows"])
        .transform_calculate(kind=f"{json.dumps(kinds)}[datum.kind]")
        .mark_bar()
        .encode(
            y=alt.Y("source:N", sort=order, title="Landing source"),
            x=alt.X("rows:Q", title="Raw rows (count)", axis=alt.Axis(format=COUNT)),
            color=alt.Color(
                "kind:N",
                title="Row status",
                sort=list(kinds.values()),
                scale=alt.Scale(range=["#4c78a8", "#e45756", "#bab0ac"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("source:N", title="Source"),
                alt.Tooltip("kind:N", title="Status"),
                alt.Tooltip("rows:Q", title="Rows", format=COUNT),
                alt.Tooltip("raw_rows:Q", title="Raw rows", format=COUNT),
            ],
        )
        .properties(width="container", height=HEIGHT_PER_ROW * max(len(rows), 1))
    )
    return _titled(chart, "Row accounting per landing source")


def quarantine_rules(rows: Records) -> dict:
    """The most frequent quarantine rules: rejected rows and nulled values."""
    kinds = {"rejected_rows": "row rejected", "nulled_values": "value nulled"}
    order = [row["rule"] for row in rows]
    chart = (
        alt.Chart(_data(rows))
        .transform_fold(list(kinds), as_=["kind", "problems_of_kind"])
        .transform_calculate(kind=f"{json.dumps(kinds)}[datum.kind]")
        .mark_bar()
        .encode(
            y=alt.Y("rule:N", sort=order, title="Rule"),
            x=alt.X("problems_of_kind:Q", title="Problems (count)", axis=alt.Axis(format=COUNT)),
            color=alt.Color("kind:N", title="Outcome", legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("rule:N", title="Rule"),
                alt.Tooltip("kind:N", title="Outcome"),
                alt.Tooltip("problems_of_kind:Q", title="Problems", format=COUNT),
            ],
        )
        .properties(width="container", height=HEIGHT_PER_ROW * max(len(rows), 1))
    )
    return _titled(chart, "Most frequent quarantine rules")


def identity_changes(rows: Records) -> dict:
    """Customer key changes per run and type (records moved)."""
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            y=alt.Y("change_type:N", title="Change type"),
            yOffset=alt.YOffset("changed_at:N"),
            x=alt.X("records_count:Q", title="Records (count)", axis=alt.Axis(format=COUNT)),
            color=alt.Color(
                "changed_at:N", title="Run started at", legend=alt.Legend(orient="bottom")
            ),
            tooltip=[
                alt.Tooltip("changed_at:N", title="Run started at"),
                alt.Tooltip("change_type:N", title="Change"),
                alt.Tooltip("changes:Q", title="Changes", format=COUNT),
                alt.Tooltip("records_count:Q", title="Records", format=COUNT),
            ],
        )
        .properties(width="container", height=28 * max(len(rows), 1) + 20)
    )
    return _titled(chart, "Identity changes per run")
