"""The report's HTML page: one self-contained file, the Vega JavaScript inlined.

The page loads nothing: the vega, vega-lite and vega-embed bundle (from vl-convert-python, the
same bundle Altair inlines with ``inline=True``) sits in one script element, every chart's
spec and data in another. Charts render as SVG; a segment profile renders when it is chosen.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

CSS = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --panel: #f5f7fa; --accent: #2f6fa3; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); line-height: 1.45; background: #fff; }
header, main { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 1.6rem; }
header p { margin: 0 0 10px; color: var(--muted); }
nav { display: flex; flex-wrap: wrap; gap: 6px 16px; padding-bottom: 10px; }
nav a { color: var(--accent); text-decoration: none; }
section { padding: 18px 0 8px; border-bottom: 1px solid var(--line); }
h2 { font-size: 1.3rem; margin: 0 0 8px; }
h3 { font-size: 1.05rem; margin: 16px 0 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px;
  padding: 10px 12px; }
.card .label { color: var(--muted); font-size: .85rem; }
.card .value { font-size: 1.45rem; font-weight: 600; }
.card .change { font-size: .85rem; color: var(--muted); }
.chart { width: 100%; margin: 10px 0 2px; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr));
  gap: 8px 24px; }
.how { color: var(--muted); font-size: .9rem; margin: 0 0 12px; }
.note { background: #fff8e1; border: 1px solid #f0d58c; border-radius: 6px; padding: 8px 12px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: .9rem; margin: 6px 0 14px; min-width: 60%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left;
  white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
select { font-size: 1rem; padding: 4px 6px; margin: 4px 0 8px; }
.profile { display: none; }
.profile.shown { display: block; }
@media (max-width: 720px) {
  .grid2 { grid-template-columns: 1fr; }
  header h1 { font-size: 1.3rem; }
}
"""

EMBED_SCRIPT = """
const reportSpecs = JSON.parse(document.getElementById("report-specs").textContent);
const embedded = new Set();
function embedChart(id) {
  if (embedded.has(id) || !reportSpecs[id]) return;
  embedded.add(id);
  vegaEmbed("#" + id, reportSpecs[id], {renderer: "svg", actions: false})
    .catch((error) => console.error(error));
}
function showProfile(key) {
  document.querySelectorAll(".profile").forEach((block) => {
    const shown = block.dataset.segment === key;
    block.classList.toggle("shown", shown);
    if (shown) embedChart(block.querySelector(".chart").id);
  });
}
document.querySelectorAll(".chart:not(.lazy)").forEach((div) => embedChart(div.id));
const chooser = document.getElementById("profile-select");
if (chooser) {
  chooser.addEventListener("change", () => showProfile(chooser.value));
  showProfile(chooser.value);
}
"""


def number(value: Any, digits: int = 0) -> str:
    """A number with thousands separators ('-' for none)."""
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def signed(value: Any, digits: int = 0) -> str:
    return "-" if value is None else f"{value:+,.{digits}f}"


def percent(value: Any) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def chart_div(chart_id: str, how_to_read: str, lazy: bool = False) -> str:
    """A chart's place on the page and the line that says how to read it."""
    kind = "chart lazy" if lazy else "chart"
    return (
        f'<div class="{kind}" id="{escape(chart_id)}" data-chart="{escape(chart_id)}"></div>\n'
        f'<p class="how">{escape(how_to_read)}</p>'
    )


def table(
    headers: list[str],
    rows: list[list[Any]],
    numeric: set[int] | None = None,
    table_id: str = "",
) -> str:
    """An HTML table; the columns in ``numeric`` are right-aligned (values already formatted)."""
    numeric = numeric or set()

    def cell(tag: str, position: int, value: Any) -> str:
        css = ' class="num"' if position in numeric else ""
        return f"<{tag}{css}>{escape(str(value))}</{tag}>"

    head = "".join(cell("th", i, name) for i, name in enumerate(headers))
    body = "\n".join(
        "<tr>" + "".join(cell("td", i, value) for i, value in enumerate(row)) + "</tr>"
        for row in rows
    )
    attribute = f' id="{escape(table_id)}"' if table_id else ""
    return (
        f'<div class="table-wrap"><table{attribute}>'
        f"<thead><tr>{head}</tr></thead>\n"
        f"<tbody>{body}</tbody></table></div>"
    )


def card(label: str, value: str, change: str, figure: str) -> str:
    return (
        f'<div class="card"><div class="label">{escape(label)}</div>'
        f'<div class="value" data-figure="{escape(figure)}">{escape(value)}</div>'
        f'<div class="change">{escape(change)}</div></div>'
    )


def _script_json(value: Any) -> str:
    """JSON safe inside a script element."""
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/")


def _script_text(javascript: str) -> str:
    """JavaScript safe inside a script element."""
    return javascript.replace("</script", "<\\/script")


def document(
    title: str,
    subtitle: str,
    sections: list[tuple[str, str, str]],
    specs: dict[str, dict],
    javascript: str,
) -> str:
    """The whole page: sections are (anchor, heading, inner HTML)."""
    links = " ".join(
        f'<a href="#{anchor}">{escape(heading)}</a>' for anchor, heading, _ in sections
    )
    body = "\n".join(
        f'<section id="{anchor}">\n<h2>{escape(heading)}</h2>\n{inner}\n</section>'
        for anchor, heading, inner in sections
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{CSS}</style>
<script>{_script_text(javascript)}</script>
</head>
<body>
<header>
<h1>{escape(title)}</h1>
<p>{escape(subtitle)}</p>
<nav>{links}</nav>
</header>
<main>
{body}
</main>
<script type="application/json" id="report-specs">{_script_json(specs)}</script>
<script>{EMBED_SCRIPT}</script>
</body>
</html>
"""
