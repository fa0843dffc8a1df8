"""The headline silo signals, read from the published snapshot; no Dagster import.

`read_signals` answers the product's questions in a few numbers (used by the CLI summary and
by the alert rules): field->COMEX latency of critical items, where decisions are really
taken versus their official owner, technical decisions taken with no tech person present,
and the trend of cross-side interaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from pipelines.config import DEFAULT_ALERT_RULES
from pipelines.publish.report import build_report
from pipelines.warehouse import fetch_dicts


@dataclass
class Signals:
    latency: dict[str, Any]
    arbitration: list[dict[str, Any]]
    tech_without_tech: list[dict[str, Any]]
    cross_side: dict[str, Any]
    unresolved_aliases: tuple[int, int] = (0, 0)  # (aliases, occurrences)
    alerts: list[str] = field(default_factory=list)


def read_signals(con: duckdb.DuckDBPyConnection, rules: dict[str, float] | None = None) -> Signals:
    """The signals and the alerts they raise under `rules` (default: DEFAULT_ALERT_RULES)."""
    rules = {**DEFAULT_ALERT_RULES, **(rules or {})}
    report = build_report(con)
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
                   max(domain_decisions) as decisions
            from fct_arbitration group by 1
        )
        select top.decision_domain, totals.decisions, totals.attributed, top.official_owner_role,
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
    unresolved = con.execute(
        "select count(*), coalesce(sum(occurrences), 0) from fct_unresolved_aliases"
    ).fetchone()
    weeks = fetch_dicts(con, "select * from fct_silo_weekly order by week_start")
    recent, before = weeks[-4:], weeks[-16:-4]

    def share(rows):
        total = sum(r["interactions"] for r in rows)
        return sum(r["cross_side_interactions"] for r in rows) / total if total else None

    cross = {"recent_share": share(recent), "previous_share": share(before), "weeks": len(weeks)}

    alerts = []
    if (
        critical["items"]
        and critical["share_never_arrived"] > rules["critical_never_arrived_share"]
    ):
        alerts.append(
            f"{critical['share_never_arrived']:.0%} of critical field items never reached COMEX "
            f"(threshold {rules['critical_never_arrived_share']:.0%})"
        )
    for row in arbitration:
        if row["attributed"] >= 5 and row["owner_share"] < rules["official_owner_min_share"]:
            alerts.append(
                f"{row['decision_domain']}: the official owner ({row['official_owner_role']}) "
                f"took {row['owner_share']:.0%} of decisions; {row['top_decider']} took "
                f"{row['top_share']:.0%}"
            )
    if len(tech_without_tech) > rules["tech_decisions_without_tech"]:
        alerts.append(
            f"{len(tech_without_tech)} technical decision(s) taken at COMEX "
            "with no tech person present"
        )
    if cross["recent_share"] is not None and cross["previous_share"]:
        drop = 1 - cross["recent_share"] / cross["previous_share"]
        cross["drop"] = drop
        if drop > rules["cross_side_drop"]:
            alerts.append(
                f"cross-side interaction fell {drop:.0%} over the last 4 weeks "
                f"({cross['previous_share']:.0%} -> {cross['recent_share']:.0%}): a growing silo"
            )
    return Signals(
        latency={"critical": critical, "all": everyone},
        arbitration=arbitration,
        tech_without_tech=tech_without_tech,
        cross_side=cross,
        unresolved_aliases=(int(unresolved[0]), int(unresolved[1])),
        alerts=alerts,
    )


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
        "Where decisions are really taken (taken decisions, by domain)",
    ]
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
    return "\n".join(lines)


def print_summary(ws) -> None:
    """Print the headline signals of a workspace from its published snapshot."""
    from pipelines.warehouse import connect_snapshot

    with connect_snapshot(ws.snapshot_path) as con:
        print()
        print(format_summary(read_signals(con, ws.alert_rules)))
