"""The report's six sections: each turns the collected records into HTML and chart specs."""

from __future__ import annotations

from html import escape
from typing import Any

from custseg.report import charts, queries
from custseg.report.page import card, chart_div, number, percent, signed, table

Data = dict[str, Any]
Specs = dict[str, dict]


def collect(con) -> Data:
    """Everything the page shows, as records (also written as the report's JSON)."""
    runs = queries.run_dates(con)
    if not runs:
        raise ValueError("marts.segment_summary holds no run: build the project first")
    latest, previous = runs[-1], (runs[-2] if len(runs) > 1 else None)
    segments = queries.segments(con, latest)
    names = [row["segment_name"] for row in segments]
    for row in segments:  # a display name two families share gets its family
        repeated = names.count(row["segment_name"]) > 1
        label = f"{row['segment_name']} ({row['family']})" if repeated else row["segment_name"]
        row["segment_label"] = label
    ranked = sorted(
        (row for row in segments if row["members_count"]), key=lambda row: row["priority_rank"]
    )
    profiled = [row["segment_key"] for row in ranked[: queries.PROFILE_SEGMENTS]]
    return {
        "runs": runs,
        "latest_as_of_date": latest,
        "previous_as_of_date": previous,
        "last_run_started_at": queries.last_run_started_at(con),
        "overview": queries.overview(con),
        "segments": segments,
        "segment_sizes_over_runs": queries.segment_sizes_over_runs(con),
        "rfm_grid": queries.rfm_grid(con),
        "customers_without_rfm_scores": queries.customers_without_rfm(con),
        "transitions": queries.transitions(con, previous, latest) if previous else [],
        "segment_events": queries.segment_events(con, latest) if previous else [],
        "profiled_segments": profiled,
        "profiles": queries.profiles(con, profiled),
        "source_reconciliation": queries.reconciliation(con),
        "quarantine_rules": queries.quarantine_rules(con),
        "identity_changes": queries.identity_changes(con),
        "identity_oversize_clusters": queries.oversize_clusters(con),
    }


def _one_run_note(data: Data) -> str:
    return (
        f'<p class="note">Only one run is recorded (as_of_date {escape(data["runs"][0])}): '
        "changes and movement between runs appear after the next run.</p>"
    )


def overview(data: Data, specs: Specs) -> str:
    by_date = {row["as_of_date"]: row for row in data["overview"]}
    now, before = by_date[data["latest_as_of_date"]], by_date.get(data["previous_as_of_date"])

    def change(field: str) -> str:
        if before is None:
            return "first recorded run"
        return f"{signed(now[field] - before[field])} since {before['as_of_date']}"

    cards = [
        card("Customers", number(now["customers"]), change("customers"), "customers"),
        card(
            "Active customers (ordered within 180 days)",
            number(now["active_customers"]),
            change("active_customers"),
            "active_customers",
        ),
        card(
            "Lifetime net revenue (reporting currency)",
            number(now["net_revenue"]),
            change("net_revenue"),
            "net_revenue",
        ),
        card(
            "As of date",
            data["latest_as_of_date"],
            f"previous run {before['as_of_date']}" if before else "the only recorded run",
            "as_of_date",
        ),
        card(
            "Last dbt run started (UTC)",
            (data["last_run_started_at"] or "-").replace("T", " ")[:19],
            f"{len(data['runs']):,} run(s) recorded",
            "run_started_at",
        ),
    ]
    specs["chart-overview"] = charts.overview(data["overview"])
    note = "" if before else _one_run_note(data)
    return (
        note
        + f'<div class="cards">{"".join(cards)}</div>\n'
        + chart_div(
            "chart-overview",
            "One pair of bars per recorded run: all customers in the customer base and those "
            "whose last completed order is at most 180 days old (lifecycle new, active, loyal, "
            "reactivated).",
        )
    )


def segment_sizes(data: Data, specs: Specs) -> str:
    rows = data["segments"]
    ordered = sorted(rows, key=lambda row: (row["family"], -row["members_count"]))
    specs["chart-segments"] = charts.segment_members(ordered)
    parts = [
        chart_div(
            "chart-segments",
            "One bar per segment at the latest run, grouped by family: its length is the number "
            "of members. In an exclusive family (rfm, lifecycle, value_tier) the bars add up to "
            "all customers; other families are tags that overlap.",
        )
    ]
    exclusive_first = sorted(
        {row["family"] for row in rows},
        key=lambda family: (family not in queries.EXCLUSIVE_FAMILIES, family),
    )
    headers = ["segment", "members", "share", "net revenue", "average value", "priority rank"]
    tables = []
    for family in exclusive_first:
        cells = [
            [
                row["segment_name"],
                number(row["members_count"]),
                percent(row["share_of_customers"]),
                number(row["net_revenue"]),
                number(row["average_net_revenue"], 2),
                row["priority_rank"],
                signed(row["members_change"]),
            ]
            for row in rows
            if row["family"] == family
        ]
        family_table = table([*headers, "change"], cells, set(range(1, 7)), f"segments-{family}")
        tables.append(f"<div><h3>{escape(family)}</h3>{family_table}</div>")
    parts.append(
        '<p class="how">Per family: net revenue and average value are the members\' lifetime net '
        "revenue (reporting currency); priority rank 1 = the best by size and value together; "
        "change = members since the previous run.</p>"
    )
    parts.append(f'<div class="grid2">{"".join(tables)}</div>')
    parts.append("<h3>Sizes over the recorded runs</h3>")
    if len(data["runs"]) < 2:
        parts.append(_one_run_note(data))
    grid = []
    for family in queries.EXCLUSIVE_FAMILIES:
        chart_id = f"chart-sizes-{family}"
        specs[chart_id] = charts.sizes_over_runs(data["segment_sizes_over_runs"], family)
        grid.append(
            "<div>"
            + chart_div(chart_id, "One line per segment: its members at each run (points).")
            + "</div>"
        )
    parts.append(f'<div class="grid2">{"".join(grid)}</div>')
    return "\n".join(parts)


def rfm_grid(data: Data, specs: Specs) -> str:
    specs["chart-rfm"] = charts.rfm_grid(data["rfm_grid"])
    outside = data["customers_without_rfm_scores"]
    return chart_div(
        "chart-rfm",
        "Rows are recency scores (5 = bought most recently), columns frequency scores (5 = most "
        "orders in the RFM window); the darker the cell, the more customers. Each cell names "
        "its RFM segment, then its customers and their net revenue over the RFM window. "
        f"{outside:,} customers without a completed order have no scores and are not in the grid.",
    )


def movement(data: Data, specs: Specs) -> str:
    if data["previous_as_of_date"] is None:
        return _one_run_note(data)
    parts = [
        f"<p>From the run of {escape(data['previous_as_of_date'])} to the run of "
        f"{escape(data['latest_as_of_date'])}. (none) = not in the customer base at that run.</p>"
    ]
    for family in queries.EXCLUSIVE_FAMILIES:
        chart_id = f"chart-transitions-{family}"
        specs[chart_id] = charts.transition_matrix(data["transitions"], family)
        parts.append(
            chart_div(
                chart_id,
                "Each row is a segment at the previous run; each cell counts its customers by "
                "their segment at the latest run, coloured by the share of the row. The diagonal "
                "is who stayed.",
            )
        )
    specs["chart-events"] = charts.segment_events(data["segment_events"])
    parts.append(
        chart_div(
            "chart-events",
            "For each segment, the customers who entered it at the latest run (right, green) and "
            "who left it (left, red).",
        )
    )
    return "\n".join(parts)


def _profile_words(segment_name: str, rows: list[dict]) -> str:
    def phrase(row: dict) -> str:
        return (
            f"{row['attribute']} = {row['attribute_value']} ({percent(row['share_segment'])} "
            f"against {percent(row['share_all'])}, {row['lift']:.1f} times as often)"
        )

    more = [phrase(row) for row in rows if row["share_difference"] > 0][:3]
    less = [phrase(row) for row in rows if row["share_difference"] < 0][:2]
    words = [f"Compared with all customers, members of {segment_name}"]
    if more:
        words.append(" are more often " + "; ".join(more))
    if less:
        words.append((" and" if more else "") + " are less often " + "; ".join(less))
    return escape("".join(words) + ".") if (more or less) else "No attribute stands out."


def profiles(data: Data, specs: Specs) -> str:
    names = {row["segment_key"]: row["segment_label"] for row in data["segments"]}
    keys = data["profiled_segments"]
    if not keys:
        return "<p>No segment has members at the latest run.</p>"
    options = "".join(
        f'<option value="{escape(key)}">{escape(names[key])}</option>' for key in keys
    )
    parts = [
        f"<p>The {len(keys)} segments with the best priority rank at the latest run, against all "
        "customers on age band, preferred channel, device, top category, NPS category and "
        'region. <label for="profile-select">Segment:</label> '
        f'<select id="profile-select">{options}</select></p>'
    ]
    for key in keys:
        rows = [row for row in data["profiles"] if row["segment_key"] == key]
        chart_id = f"chart-profile-{key}"
        specs[chart_id] = charts.profile(rows, names[key])
        parts.append(
            f'<div class="profile" data-segment="{escape(key)}">'
            f"<p>{_profile_words(names[key], rows)}</p>"
            + chart_div(
                chart_id,
                "For the attribute values whose share differs most between the segment and all "
                "customers: the share of the segment's members (first bar) and of all customers "
                "(second bar) with that value.",
                lazy=True,
            )
            + "</div>"
        )
    return "\n".join(parts)


def data_quality(data: Data, specs: Specs) -> str:
    recon = data["source_reconciliation"]
    specs["chart-reconciliation"] = charts.reconciliation(recon)
    specs["chart-rules"] = charts.quarantine_rules(data["quarantine_rules"])
    parts = [
        chart_div(
            "chart-reconciliation",
            "One bar per landing source; its length is the raw rows received, split into rows "
            "that reached staging (clean), rows kept aside with a reason (quarantined) and older "
            "versions replaced by a later one (superseded).",
        ),
        table(
            ["source", "raw", "clean", "quarantined", "superseded", "raw = sum"],
            [
                [
                    row["source"],
                    number(row["raw_rows"]),
                    number(row["clean_rows"]),
                    number(row["quarantined_rows"]),
                    number(row["superseded_rows"]),
                    "yes"
                    if row["raw_rows"]
                    == row["clean_rows"] + row["quarantined_rows"] + row["superseded_rows"]
                    else "NO",
                ]
                for row in recon
            ],
            numeric={1, 2, 3, 4},
        ),
        chart_div(
            "chart-rules",
            "The most frequent rules of marts.quarantined_rows: bar length = problems found, "
            "split into whole rows rejected and single values nulled.",
        ),
        "<h3>Identity: customers merged and split between runs</h3>",
    ]
    changes = data["identity_changes"]
    if changes:
        last = max(row["changed_at"] for row in changes)
        counted = {
            row["change_type"]: row["changes"] for row in changes if row["changed_at"] == last
        }
        parts.append(
            f"<p>At the latest run ({escape(last.replace('T', ' ')[:19])} UTC): "
            f"{number(counted.get('merge', 0))} merges (customers whose key was retired into an "
            f"older one), {number(counted.get('split', 0))} splits, "
            f"{number(counted.get('new_customer', 0))} new customers.</p>"
        )
        specs["chart-identity"] = charts.identity_changes(changes)
        parts.append(
            chart_div(
                "chart-identity",
                "Records whose customer key changed, per run and change type: new customers, "
                "records added to a customer, merges (a key retired into an older one) and splits.",
            )
        )
        parts.append(
            table(
                ["run started at (UTC)", "change type", "changes", "records"],
                [
                    [
                        row["changed_at"].replace("T", " ")[:19],
                        row["change_type"],
                        number(row["changes"]),
                        number(row["records_count"]),
                    ]
                    for row in changes
                ],
                numeric={2, 3},
            )
        )
    else:
        parts.append("<p>No identity change is recorded.</p>")
    clusters = data["identity_oversize_clusters"]
    parts.append("<h3>Oversize identity clusters</h3>")
    if clusters:
        parts.append(
            table(
                [
                    "cluster",
                    "records",
                    "customers after the split",
                    "largest customer",
                    "still oversize",
                ],
                [
                    [
                        row["oversize_cluster_id"],
                        number(row["record_count"]),
                        number(row["customer_count"]),
                        number(row["largest_customer_record_count"]),
                        "yes" if row["is_still_oversize"] else "no",
                    ]
                    for row in clusters
                ],
                numeric={1, 2, 3},
            )
        )
    else:
        parts.append("<p>None: no identity cluster is above the size cap.</p>")
    return "\n".join(parts)


SECTIONS = (
    ("overview", "1. Overview", overview),
    ("segments", "2. Segment sizes and value", segment_sizes),
    ("rfm", "3. RFM grid", rfm_grid),
    ("movement", "4. Movement between the last two runs", movement),
    ("profiles", "5. Segment profiles", profiles),
    ("quality", "6. Data quality and identity", data_quality),
)
