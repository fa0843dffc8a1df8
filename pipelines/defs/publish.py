"""Publish assets: the warehouse snapshot, the CTO's latency report, the silo alert check
(delivery of the alerts to people is `pipelines/defs/alerts.py`).

The snapshot waits for every mart; the report and the alert rules read the snapshot only.
dbt's own data and unit tests surface as checks through dagster-dbt; `silo_alert_rules`, a check
of the report asset judged on the signals the report already read, adds the product's rules
(pipelines/publish/signals.py) as a WARN check, so ops see a growing silo
in the UI.
"""

import dataclasses

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    MaterializeResult,
    MetadataValue,
    asset,
)

from pipelines import reruns
from pipelines.atomic import write_text
from pipelines.defs.dbt import dbt_after_nlp
from pipelines.defs.resources import WorkspaceResource
from pipelines.publish.privacy import Pseudonymiser
from pipelines.publish.report import build_report, markdown_table, render_html
from pipelines.publish.signals import configured_sources, read_signals
from pipelines.publish.snapshot import is_current, publish_snapshot
from pipelines.warehouse import connect_snapshot


def snapshot_record(ws):
    return ws.root / "state" / "snapshot.json"


def snapshot_current(ws) -> bool:
    """Whether the snapshot is already the clear copy of the warehouse as it is now."""
    if ws.directory is not None and ws.directory.pseudonymise:
        return False  # a pseudonymised snapshot is always written again (its salt is secret)
    return is_current(ws.warehouse_path, ws.snapshot_path, snapshot_record(ws))


# published once every model after the NLP step (the marts among them) is built
@asset(group_name="publish", deps=[dbt_after_nlp])
def warehouse_snapshot(workspace: WorkspaceResource) -> MaterializeResult:
    """Read-only copy of the warehouse for consultants and reports, published atomically."""
    ws = workspace.load()
    path = ws.snapshot_path
    copied = publish_snapshot(
        ws.warehouse_path, path, Pseudonymiser.from_workspace(ws), record=snapshot_record(ws)
    )
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(path)),
            "size_mb": round(path.stat().st_size / 2**20, 2),
            # False: the warehouse is the one the snapshot was copied from (nothing rebuilt)
            "copied": copied,
        }
    )


@asset(
    group_name="publish",
    deps=[warehouse_snapshot],
    check_specs=[
        AssetCheckSpec(
            "silo_alert_rules",
            asset="cto_latency_report",
            description="Silo alert rules from silo.yml (or defaults)",
        )
    ],
)
def cto_latency_report(context: AssetExecutionContext, workspace: WorkspaceResource):
    """Field-to-COMEX latency: figures, trend, stuck critical items (HTML + UI metadata).

    Skipped while the snapshot, the settings it reads and the page it wrote are those of its
    last run (`pipelines/reruns.py`): the report is a function of the snapshot (its "as of"
    is the data's, not the clock's), so a re-run with nothing new shows the recorded values."""
    ws = workspace.load()
    page = report_page(ws)
    values, skipped = REPORT.run(ws, lambda: _write_report(ws, page))
    if skipped:
        context.log.info("latency report: snapshot and settings unchanged since the last run")
    critical = values["critical"]
    return MaterializeResult(
        metadata={
            "html": MetadataValue.path(str(page)),
            "critical_median_days": critical["median_days"],
            "critical_median_days_if_arrived": critical["median_days_if_arrived"],
            "critical_share_never_arrived": critical["share_never_arrived"],
            "populations": MetadataValue.md(values["populations"]),
            "trend_by_month": MetadataValue.md(values["trend_by_month"]),
            "stuck_critical_items": MetadataValue.md(values["stuck_critical_items"]),
            "open_alerts": len(values["alerts"]),
            "skipped_unchanged": skipped,
        },
        # each breached rule shows as a WARN check, judged on the signals read with the report
        check_results=[
            AssetCheckResult(
                check_name="silo_alert_rules",
                passed=not values["alerts"],
                severity=AssetCheckSeverity.WARN,
                description="; ".join(values["alerts"]) or "no rule breached",
                metadata={
                    "alerts": len(values["alerts"]),
                    "critical_share_never_arrived": critical["share_never_arrived"],
                    "tech_decisions_without_tech": values["tech_decisions_without_tech"],
                    "cross_side_share_last_4_weeks": values["cross_side_share_last_4_weeks"],
                },
            )
        ],
    )


def report_page(ws):
    return ws.reports_dir / "latency.html"


def publish_print(ws) -> str:
    """The fingerprint of what the report and the alert check read (`pipelines/reruns.py`)."""
    return reruns.snapshot_fingerprint(ws, publish_settings(ws))


def publish_settings(ws) -> dict:
    """What the report and the alert rules read besides the snapshot."""
    return {
        "name": ws.name,
        "timezone": ws.timezone,
        "alerts": dataclasses.asdict(ws.alerts),
        "sources": sorted(configured_sources(ws)),
        "reports": str(ws.reports_dir),  # the alert messages link to the report there
    }


# the report's record: the snapshot and settings it read, the page it wrote
REPORT = reruns.Step("cto_latency_report", publish_print, lambda ws: [report_page(ws)])


def _write_report(ws, page) -> dict:
    """Build the report from the snapshot, write its page; the values the asset shows."""
    with connect_snapshot(ws.snapshot_path) as con:
        report = build_report(con)
        signals = read_signals(con, ws.alerts, configured_sources(ws), report=report)
    write_text(page, render_html(report, ws.name, ws.timezone, alerts=signals.evaluations))
    return {
        "critical": report.population("critical items").row(),
        "populations": markdown_table([p.row() for p in report.populations]),
        "trend_by_month": markdown_table(report.monthly),
        "stuck_critical_items": markdown_table(report.stuck),
        "alerts": list(signals.alerts),
        "tech_decisions_without_tech": len(signals.tech_without_tech),
        "cross_side_share_last_4_weeks": signals.cross_side["recent_cross_side_share"],
    }
