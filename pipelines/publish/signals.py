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
        with top as (
            select * from fct_arbitration where decider_rank = 1
            qualify row_number() over (partition by decision_domain order by decider_id) = 1
        ),
        owner as (
            select decision_domain, sum(share_of_domain) as owner_share
            from fct_arbitration where is_official_owner group by 1
        ),
        totals as (
            select decision_domain, sum(decisions) as attributed,
                   max(domain_decisions) as decisions,
                   max(official_owner_role) as official_owner_role
            from fct_arbitration group by 1
        )
        select top.decision_domain, totals.decisions, totals.attributed,
               totals.official_owner_role,
               top.decider_id as top_decider_id, top.decider_name as top_decider,
               top.share_of_domain as top_share, top.is_official_owner as top_is_owner,
               coalesce(owner.owner_share, 0) as owner_share
        from top
        join totals using (decision_domain)
        left join owner using (decision_domain)
        order by totals.decisions desc
        """,
    )
    tech_without_tech = fetch_dicts(
        con,
        """
        select meeting_id, decided_at, decision_text from fct_decisions
        where is_tech_decision_without_tech and meeting_level = 'comex'
        order by decided_at
        """,
    )
    deciders: dict[str, list[dict[str, Any]]] = {}
    for row in fetch_dicts(
        con,
        """
        select decision_domain, coalesce(decider_name, decider_id) as decider, decisions,
               share_of_domain as share, is_official_owner as is_owner
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
        qualify row_number() over (
            partition by decision_domain order by decided_at desc, decision_id) <= 3
        order by decision_domain, decided_at desc, decision_id
        """,
    ):
        recent_by_domain.setdefault(row.pop("decision_domain"), []).append(row)
    by_month: dict[str, list[dict[str, Any]]] = {}
    for row in fetch_dicts(
        con,
        """
        select decision_domain, strftime(date_trunc('month', decided_at), '%Y-%m') as month,
               count(*) as attributed,
               count(*) filter (where is_decided_by_official_owner) * 1.0 / count(*)
                   as owner_share
        from fct_decisions
        where decision_status = 'taken' and decided_by_person_id is not null
          and decided_at is not null
        group by all order by 1, 2
        """,
    ):
        by_month.setdefault(row.pop("decision_domain"), []).append(row)
    comex_decisions = con.execute(
        "select count(*) from fct_decisions where meeting_level = 'comex' "
        "and decision_status = 'taken'"
    ).fetchone()[0]
    unresolved = con.execute(
        "select count(*), coalesce(sum(occurrences), 0) from fct_unresolved_aliases"
    ).fetchone()
    weeks = fetch_dicts(con, "select * from fct_silo_weekly order by week_start")
    recent, before = weeks[-4:], weeks[-16:-4]

    cross = {"weeks": len(weeks)}
    for period, rows in (("recent", recent), ("previous", before)):
        crossed = sum(r["cross_side_interactions"] for r in rows)
        total = sum(r["interactions"] for r in rows)
        cross |= {
            f"{period}_cross": crossed,
            f"{period}_total": total,
            f"{period}_share": crossed / total if total else None,
        }
    explicit = report.population("critical items (explicit links only)")
    signals = Signals(
        latency={
            "critical": critical,
            "all": everyone,
            "critical_explicit": explicit.row() if explicit else None,
            "above_field": [r for r in report.raised if not r["in_latency"]],
        },
        arbitration=arbitration,
        tech_without_tech=tech_without_tech,
        cross_side=cross,
        unresolved_aliases=(int(unresolved[0]), int(unresolved[1])),
        stuck_critical=report.stuck,
        monthly=report.monthly,
        deciders=deciders,
        recent_decisions=recent_by_domain,
        owner_share_by_month=by_month,
        comex_decisions=int(comex_decisions),
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
        owner = (
            "official owner"
            if row["top_is_owner"]
            else f"official owner: {row['official_owner_role']}"
        )
        lines.append(
            f"  {row['decision_domain']:<13} {row['decisions']:>4} decisions "
            f"({row['attributed']} to a person); most by "
            f"{row['top_decider'] or row['top_decider_id']} ({row['top_share']:.0%}, {owner}); "
            f"owner's share {row['owner_share']:.0%}"
        )
    lines.append(
        f"Technical decisions at COMEX with no tech person present: {len(s.tech_without_tech)}"
    )
    cs = s.cross_side
    if cs.get("recent_share") is not None and cs.get("previous_share") is not None:
        lines.append(
            f"Cross-side interaction: {cs['previous_share']:.0%} (12 weeks before) -> "
            f"{cs['recent_share']:.0%} (last 4 weeks)"
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
