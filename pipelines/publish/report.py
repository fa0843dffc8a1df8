"""The CTO's latency report: how long field information takes to reach COMEX.

Reads the published warehouse snapshot (never the live warehouse), computes survival
estimates per population, and renders a standalone HTML page. No Dagster import: the
Dagster asset in `pipelines/defs/publish.py` only calls `build_report` and `render_html`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import duckdb
import numpy as np

from pipelines.publish.alerts import BREACHED, NOT_MEASURED
from pipelines.publish.survival import SurvivalEstimate, kaplan_meier_arrays
from pipelines.warehouse import fetch_dicts


@dataclass(frozen=True)
class Population:
    """One line of the report: a group of field items and its survival estimate.

    `median_days` is the Kaplan–Meier median (None while fewer than half have arrived);
    `median_days_if_arrived` is the plain median of those that did arrive, shown beside it.
    """

    label: str
    estimate: SurvivalEstimate
    arrived_hours: tuple[float, ...] = ()

    def row(self) -> dict[str, object]:
        e = self.estimate
        return {
            "population": self.label,
            "items": e.n,
            "reached_comex": e.events,
            "median_days": _days(e.median),
            "p75_days": _days(e.quantile(0.75)),
            "median_days_if_arrived": _days(_median(self.arrived_hours)),
            "share_never_arrived": round(e.share_never_arrived, 3),
        }


def _median(values: tuple[float, ...]) -> float | None:
    if not values:
        return None
    ordered, mid = sorted(values), len(values) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


@dataclass
class LatencyReport:
    as_of: datetime | None
    populations: list[Population]
    monthly: list[dict[str, object]]
    stuck: list[dict[str, object]]
    arrived: list[dict[str, object]] = field(default_factory=list)
    excluded: list[dict[str, object]] = field(default_factory=list)  # fct_data_quality
    raised: list[dict[str, object]] = field(default_factory=list)  # by level: who is counted

    def population(self, label: str) -> Population | None:
        return next((p for p in self.populations if p.label == label), None)


def _days(hours: float | None) -> float | None:
    return None if hours is None else round(hours / 24.0, 1)


def _population(label: str, hours: np.ndarray, arrived: np.ndarray) -> Population:
    """A population from its items' observed hours and whether each arrived."""
    estimate = kaplan_meier_arrays(hours, arrived)
    return Population(label, estimate, tuple(hours[arrived].tolist()))


def build_report(con: duckdb.DuckDBPyConnection, stuck_limit: int = 15) -> LatencyReport:
    """Compute the report on an open (read-only) connection: the survival estimates from the
    items' observed hours in `fct_information_flow`, the trend from `fct_latency_monthly`, who
    raised the items from `fct_items_by_raised_level`.

    The latency population is the items raised at field level (`in_latency_population`);
    items raised at management or COMEX level are counted in `raised`, not measured. COMEX
    arrival counts explicit and implicit links (explicit first, see the mart); the
    "(explicit links only)" populations ignore implicit links."""
    flow = "fct_information_flow"
    counted = "in_latency_population"
    as_of = con.execute(f"select max(as_of_at) from {flow}").fetchone()[0]

    def pairs(where: str, explicit: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The observed hours (items without any left out) and whether each arrived."""
        hours, reached = (
            ("observed_explicit_hours", "has_reached_comex_explicit")
            if explicit
            else ("observed_hours", "has_reached_comex")
        )
        columns = con.execute(
            f"""
            select cast({hours} as double) as hours, coalesce({reached}, false) as arrived
            from {flow} where {counted} and ({where}) and {hours} is not null
            """
        ).fetchnumpy()
        return np.asarray(columns["hours"]), np.asarray(columns["arrived"], dtype=np.bool_)

    populations = [
        _population("all field items", *pairs("true")),
        _population("critical items", *pairs("is_critical")),
        _population("non-critical items", *pairs("not is_critical")),
    ]
    for (side,) in con.execute(
        f"select distinct origin_side from {flow} "
        f"where origin_side is not null and {counted} order by 1"
    ).fetchall():
        populations.append(_population(f"raised by {side}", *pairs(f"origin_side = '{side}'")))
    populations += [
        _population("all field items (explicit links only)", *pairs("true", explicit=True)),
        _population("critical items (explicit links only)", *pairs("is_critical", True)),
    ]

    monthly = [
        {"month": row.pop("month_start").strftime("%Y-%m"), **row}
        for row in fetch_dicts(
            con,
            """
            select month_start, field_items, critical_items, reached_comex,
                   median_days_when_reached
            from fct_latency_monthly order by month_start
            """,
        )
    ]
    stuck = fetch_dicts(
        con,
        f"""
        select item_id, title, html_url, origin_team, field_at,
               round(observed_hours / 24.0, 1) as waiting_days
        from {flow}
        where {counted} and is_critical and not has_reached_comex
        order by observed_hours desc, item_id
        limit {int(stuck_limit)}
        """,
    )
    link = "comex_link_kind as link, round(comex_link_score, 2) as link_score,"
    arrived = fetch_dicts(
        con,
        f"""
        select item_id, title, is_critical, field_at, first_comex_at, {link}
               round(field_to_comex_hours / 24.0, 1) as days
        from {flow} where {counted} and has_reached_comex
        order by field_to_comex_hours desc, item_id
        """,
    )
    return LatencyReport(
        as_of=as_of,
        populations=populations,
        monthly=monthly,
        stuck=stuck,
        arrived=arrived,
        excluded=_excluded(con),
        raised=fetch_dicts(
            con,
            """
            select raised_level, in_latency, items, critical, reached_comex, via_implicit_link
            from fct_items_by_raised_level order by level_order
            """,
        ),
    )


def _excluded(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """What fct_data_quality says the flow left out, and why (none when the snapshot
    predates that mart)."""
    present = con.execute(
        "select count(*) from information_schema.tables where table_name = 'fct_data_quality'"
    ).fetchone()[0]
    if not present:
        return []
    return fetch_dicts(
        con,
        """
        select exclusion_reason as reason, excluded_rows as items,
               excluded_critical_rows as critical
        from fct_data_quality
        where mart = 'fct_information_flow' and excluded_rows > 0
        order by excluded_rows desc, exclusion_rule
        """,
    )


def markdown_table(rows: list[dict[str, object]]) -> str:
    """Rows as a Markdown table (for Dagster asset metadata); '—' for missing values."""
    if not rows:
        return "_None._"

    def cell(value: object) -> str:
        if value is None:
            return "—"
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        return str(value).replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(rows[0]) + " |"
    rule = "|" + "---|" * len(rows[0])
    body = ["| " + " | ".join(cell(v) for v in row.values()) + " |" for row in rows]
    return "\n".join([head, rule, *body])


_LINK_SCHEMES = ("http", "https")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


def safe_href(url: object) -> str | None:
    """`url` escaped for an `href` when it is an absolute http(s) URL, else None (shown as
    text). Browsers ignore tabs, newlines and leading spaces in a scheme (`java\tscript:`), so
    any control character or space refuses the link rather than being stripped."""
    if not isinstance(url, str) or not url or _CONTROL_OR_SPACE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINK_SCHEMES or not parts.netloc:
        return None
    return html.escape(url, quote=True)


def _table(rows: list[dict[str, object]], tz: ZoneInfo) -> str:
    """An HTML table; an `item_id` with an `html_url` becomes a link to its evidence."""
    if not rows:
        return "<p><em>None.</em></p>"

    def cell(value: object) -> str:
        if isinstance(value, datetime):
            value = value.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz).strftime("%Y-%m-%d %H:%M")
        if value is None:
            return "—"
        return html.escape(str(value))

    def cells(row: dict[str, object]) -> str:
        out = []
        for key, value in row.items():
            if key == "html_url":
                continue
            text = cell(value)
            href = safe_href(row.get("html_url")) if key == "item_id" else None
            if href is not None:  # any other scheme (javascript:, data:...) stays text
                text = f'<a href="{href}">{text}</a>'
            out.append(f"<td>{text}</td>")
        return "".join(out)

    head = "".join(f"<th>{html.escape(k)}</th>" for k in rows[0] if k != "html_url")
    body = "".join(f"<tr>{cells(r)}</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


CURVE_COLOURS = ("#c0392b", "#2c7fb8", "#7f8c8d")


def survival_svg(populations: list[Population], width: int = 640, height: int = 260) -> str:
    """An inline SVG step chart: share of items not yet at COMEX against days since raised
    (Kaplan–Meier), one curve per population. No script, no external asset."""
    curves = [p for p in populations if p.estimate.n]
    if not curves:
        return ""
    horizon = max((t for p in curves for t, _ in p.estimate.steps), default=24.0) / 24.0
    horizon = max(horizon * 1.05, 1.0)
    left, right, top, bottom = 48, 12, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(days: float) -> float:
        return left + plot_w * min(days, horizon) / horizon

    def y(share: float) -> float:
        return top + plot_h * (1.0 - share)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="Share of field items not yet at COMEX over time">',
        f'<line x1="{left}" y1="{y(0)}" x2="{width - right}" y2="{y(0)}" stroke="#999"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{y(0)}" stroke="#999"/>',
    ]
    for share in (0.0, 0.5, 1.0):
        parts.append(
            f'<text x="{left - 6}" y="{y(share) + 4:.1f}" font-size="11" text-anchor="end">'
            f"{share:.0%}</text>"
        )
    for days, anchor in ((0, "start"), (horizon / 2, "middle"), (horizon, "end")):
        parts.append(
            f'<text x="{x(days):.1f}" y="{height - 18}" font-size="11" text-anchor="{anchor}">'
            f"{days:.0f} d</text>"
        )
    parts.append(
        f'<text x="{left + plot_w / 2}" y="{height - 4}" font-size="11" text-anchor="middle">'
        "days since raised (share still waiting, Kaplan–Meier)</text>"
    )
    for index, population in enumerate(curves):
        colour = CURVE_COLOURS[index % len(CURVE_COLOURS)]
        points, share = [(x(0), y(1.0))], 1.0
        for hours, after in population.estimate.steps:
            points += [(x(hours / 24.0), y(share)), (x(hours / 24.0), y(after))]
            share = after
        points.append((x(horizon), y(share)))
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        parts.append(  # legend in the empty lower-left corner
            f'<text x="{left + 8}" y="{y(0) - 8 - 14 * index:.1f}" font-size="11" '
            f'fill="{colour}">{html.escape(population.label)} (n={population.estimate.n})</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _alerts_section(alerts: list | None) -> str:
    """Open alerts (the breached rules) with their evidence; then what is not measured."""
    if alerts is None:
        return ""
    breached = [a for a in alerts if a.status == BREACHED]
    unmeasured = [a for a in alerts if a.status == NOT_MEASURED]
    parts = ["<h2 id='alerts'>Open alerts</h2>"]
    if not breached:
        parts.append("<p>No rule is breached.</p>")
    for a in breached:
        evidence = "".join(f"<li>{html.escape(line)}</li>" for line in a.evidence)
        trend = f"<br><span class='note'>{html.escape(a.trend)}</span>" if a.trend else ""
        parts.append(
            f"<div class='alert' id='alert-{html.escape(a.alert_id)}'>"
            f"<strong>{html.escape(a.title)}</strong> "
            f"<span class='note'>({html.escape(a.alert_id)})</span>{trend}"
            f"<ul>{evidence}</ul></div>"
        )
    if unmeasured:
        items = "".join(
            f"<li>{html.escape(a.alert_id)}: {html.escape(a.title)}</li>" for a in unmeasured
        )
        parts.append(
            f"<p class='note'>Not measured (missing inputs or too little evidence):</p>"
            f"<ul class='note'>{items}</ul>"
        )
    return "\n".join(parts)


def render_html(
    report: LatencyReport,
    workspace: str,
    timezone: str = "Europe/Paris",
    alerts: list | None = None,
) -> str:
    """A standalone page (no external assets) the CTO can open or mail around; `alerts`: the
    rules as judged (pipelines/publish/alerts.py `Evaluation`s), breached ones shown first."""
    tz = ZoneInfo(timezone)
    curves = [p for p in report.populations if p.label in ("critical items", "non-critical items")]
    critical = report.population("critical items")
    headline = ""
    if critical:
        row = critical.row()
        median = (
            f"in a median of <strong>{row['median_days']} days</strong>"
            if row["median_days"] is not None
            else "<strong>less than half of the time</strong>"
        )
        headline = (
            f"<p class='headline'>Critical field items reach COMEX {median}; "
            f"<strong>{row['share_never_arrived']:.0%}</strong> have not arrived. Those that "
            f"arrived took a median of {row['median_days_if_arrived']} days.</p>"
        )
    as_of = (
        report.as_of.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")
        if report.as_of
        else "n/a"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Silo Signals — field to COMEX latency — {html.escape(workspace)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; }}
th {{ background: #f4f4f4; }}
.headline {{ font-size: 1.2rem; }}
.note {{ color: #666; font-size: 0.85rem; }}
.alert {{ border-left: 4px solid #c0392b; padding: 0.3rem 0.8rem; margin: 0.6rem 0; }}
</style></head><body>
<h1>Field → COMEX latency</h1>
<p class="note">Workspace <strong>{html.escape(workspace)}</strong>, data as of {as_of}.
Items that have not reached COMEX are censored, not dropped: medians are Kaplan–Meier
estimates, and the share never arrived is shown beside them.</p>
{headline}
{_alerts_section(alerts)}
<h2>Share still waiting, by days since raised</h2>
{survival_svg(curves)}
<h2>By population</h2>
{_table([p.row() for p in report.populations], tz)}
<h2>Trend by month raised</h2>
{_table(report.monthly, tz)}
<h2>Critical items still waiting (longest first)</h2>
{_table(report.stuck, tz)}
<h2>Items that reached COMEX</h2>
{_table(report.arrived, tz)}
<h2>Who raised the items</h2>
<p class="note">Only items raised at field level count in the field → COMEX latency; items
raised by a manager or a COMEX member start at their level and are counted here instead.
via_implicit_link: items whose first COMEX touchpoint is an implicit link (a minutes passage
discussing the item without citing it; see the "explicit links only" populations).</p>
{_table(report.raised, tz)}
<h2>Left out of these figures</h2>
<p class="note">Items no rule lets the flow measure (fct_data_quality), counted so that
nothing is dropped quietly.</p>
{_table(report.excluded, tz)}
</body></html>
"""
