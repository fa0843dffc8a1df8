"""The headline silo signals, read from the published snapshot; no Dagster import.

`read_signals` answers the product's questions in a few numbers (used by the CLI summary and
by the alert rules): field->COMEX latency of critical items, where decisions are really
taken versus their official owner, technical decisions taken with no tech person present,
and the trend of cross-side interaction; with the evidence behind each (the items and
decisions), which the alert rules (pipelines/publish/alerts.py) judge and quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from pipelines.config import AlertsConfig
from pipelines.publish.alerts import BREACHED, NOT_MEASURED, Evaluation, evaluate
from pipelines.publish.report import build_report
from pipelines.warehouse import fetch_dicts

RECENT_DECISIONS = 3  # decisions not taken by the official owner quoted per domain


@dataclass
class Signals:
    latency: dict[str, Any]
    arbitration: list[dict[str, Any]]
    tech_without_tech: list[dict[str, Any]]
    cross_side: dict[str, Any]
    unresolved_aliases: tuple[int, int] = (0, 0)  # (aliases, occurrences)
    stuck_critical: list[dict[str, Any]] = field(default_factory=list)
    monthly: list[dict[str, Any]] = field(default_factory=list)
    deciders: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by domain
    recent_decisions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    owner_share_by_month: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    comex_decisions: int = 0
    weekly: list[dict[str, Any]] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)

    @property
    def alerts(self) -> list[str]:
        """One line per breached rule."""
        return [e.title for e in self.evaluations if e.status == BREACHED]


def read_signals(
    con: duckdb.DuckDBPyConnection,
    config: AlertsConfig | None = None,
    sources: set[str] | None = None,
    report=None,
) -> Signals:
    """The signals and the rules judged on them (`config`: defaults when None; `sources`:
    the configured ones, all when None). `report`: an already built latency report."""
    config = config or AlertsConfig()
    report = report or build_report(con)
    critical = report.population("critical items").row()
    everyone = report.population("all field items").row()

    arbitration = fetch_dicts(
        con,
        """
        select decision_domain, decisions, taken_decisions, attributed_decisions,
               official_owner_role, official_owner_share, top_decider_person_id, top_decider_name,
               top_decider_share, is_top_decider_official_owner
        from fct_arbitration_by_domain
        order by taken_decisions desc, decision_domain
        """,
    )
    tech_without_tech = fetch_dicts(
        con,
        """
        select meeting_id, decided_at, decision_text from fct_decisions
        where is_tech_decision_without_tech
        order by decided_at, decision_id
        """,
    )
    deciders: dict[str, list[dict[str, Any]]] = {}
    for row in fetch_dicts(
        con,
        """
        select decision_domain, decider_id, decider_name, decisions,
               share_of_domain, is_official_owner
        from fct_arbitration order by decision_domain, decisions desc, decider_id
        """,
    ):
        deciders.setdefault(row.pop("decision_domain"), []).append(row)
    recent_by_domain: dict[str, list[dict[str, Any]]] = {}
    for row in fetch_dicts(
        con,
        """
        select decision_domain, decided_at, decided_by_name, decision_text from fct_decisions
        where decision_status = 'taken' and decided_by_person_id is not null
          and not coalesce(is_decided_by_official_owner, false)
        order by decision_domain, decided_at desc, decision_id
        """,
    ):
        recent = recent_by_domain.setdefault(row.pop("decision_domain"), [])
        if len(recent) < RECENT_DECISIONS:
            recent.append(row)
    by_month: dict[str, list[dict[str, Any]]] = {}
    for row in fetch_dicts(
        con,
        """
        select decision_domain, month_start, attributed_decisions, official_owner_share
        from fct_arbitration_monthly order by decision_domain, month_start
        """,
    ):
        by_month.setdefault(row.pop("decision_domain"), []).append(row)
    at_comex = fetch_dicts(
        con, "select taken_decisions from fct_meeting_decisions where meeting_level = 'comex'"
    )
    unresolved = fetch_dicts(con, "select occurrences from fct_unresolved_aliases")
    weeks = fetch_dicts(con, "select * from fct_silo_weekly order by week_start")
    trend = fetch_dicts(con, "select * from fct_cross_side_trend")
    explicit = report.population("critical items (explicit links only)").row()
    signals = Signals(
        latency={
            "critical": critical,
            "all": everyone,
            "critical_explicit": explicit,
            "above_field": [r for r in report.raised if not r["in_latency"]],
        },
        arbitration=arbitration,
        tech_without_tech=tech_without_tech,
        cross_side=trend[0],
        unresolved_aliases=(len(unresolved), sum(r["occurrences"] for r in unresolved)),
        stuck_critical=report.stuck,
        monthly=report.monthly,
        deciders=deciders,
        recent_decisions=recent_by_domain,
        owner_share_by_month=by_month,
        comex_decisions=at_comex[0]["taken_decisions"] if at_comex else 0,
        weekly=weeks,
    )
    signals.evaluations = evaluate(signals, config.rules, config.min_evidence, sources)
    return signals


def format_summary(s: Signals) -> str:
    c, a = s.latency["critical"], s.latency["all"]

    def days(v):
        return "n/a" if v is None else f"{v} days"

    def line(label, r):
        survival = (
            f"median {days(r['median_days'])} (Kaplan-Meier)"
            if r["median_days"] is not None
            else "fewer than half ever arrive"
        )
        return (
            f"  {label}: {r['reached_comex']}/{r['items']} arrived, {survival}; "
            f"those that arrived took {days(r['median_days_if_arrived'])} (median)"
        )

    lines = [
        "Field -> COMEX latency",
        line("critical items", c),
        line("all field items", a),
    ]
    if s.latency.get("critical_explicit"):
        lines.append(line("critical items, explicit links only", s.latency["critical_explicit"]))
    if s.latency.get("above_field"):
        counts = ", ".join(f"{r['items']} at {r['raised_level']}" for r in s.latency["above_field"])
        lines.append(f"  not in the latency (raised above the field): {counts}")
    lines.append("Where decisions are really taken (taken decisions, by domain)")
    for row in s.arbitration:
        lines.append(_domain_line(row))
    lines.append(
        f"Technical decisions at COMEX with no tech person present: {len(s.tech_without_tech)}"
    )
    cs = s.cross_side
    recent, previous = cs.get("recent_cross_side_share"), cs.get("previous_cross_side_share")
    if recent is not None and previous is not None:
        lines.append(
            f"Cross-side interaction: {previous:.0%} ({cs['previous_weeks']} weeks before) -> "
            f"{recent:.0%} (last {cs['recent_weeks']} weeks)"
        )
    aliases, occurrences = s.unresolved_aliases
    lines.append(
        f"Directory: {aliases} aliases ({occurrences} occurrences) in the evidence resolve to "
        "nobody; fix them from fct_unresolved_aliases"
        if aliases
        else "Directory: every author, attendee and named decider resolves to a person"
    )
    lines.append("Alerts" if s.alerts else "Alerts: none")
    lines.extend(f"  ! {alert}" for alert in s.alerts)
    unmeasured = [e for e in s.evaluations if e.status == NOT_MEASURED]
    if unmeasured:
        lines.append("Not measured (missing inputs or too little evidence)")
        lines.extend(f"  - {e.alert_id}: {e.title}" for e in unmeasured)
    return "\n".join(lines)


def _domain_line(row: dict[str, Any]) -> str:
    """One domain of fct_arbitration_by_domain, as the summary prints it."""
    head = (
        f"  {row['decision_domain']:<13} {row['taken_decisions']:>4} of {row['decisions']} "
        f"decisions taken ({row['attributed_decisions']} to a person)"
    )
    if row["top_decider_person_id"] is None:
        return f"{head}; nobody named"
    owner = (
        "official owner"
        if row["is_top_decider_official_owner"]
        else f"official owner: {row['official_owner_role'] or 'none declared'}"
    )
    share = row["official_owner_share"]
    return (
        f"{head}; most by {row['top_decider_name'] or row['top_decider_person_id']} "
        f"({row['top_decider_share']:.0%}, {owner}); "
        f"owner's share {'n/a' if share is None else format(share, '.0%')}"
    )


def print_summary(ws) -> None:
    """Print the headline signals of a workspace from its published snapshot."""
    from pipelines.warehouse import connect_snapshot

    with connect_snapshot(ws.snapshot_path) as con:
        print()
        print(format_summary(read_signals(con, ws.alerts, configured_sources(ws))))


def configured_sources(ws) -> set[str]:
    """The sources a workspace configures (rules whose inputs are missing are not measured)."""
    names = ("github", "jira", "notes", "directory")
    return {name for name in names if getattr(ws, name) is not None}
