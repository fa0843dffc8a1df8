"""Alert delivery: the `silo_alerts` asset judges the rules on the snapshot and sends what
changed to the sinks named in silo.yml (pipelines/publish/alerts.py does the work).

Each run materializes the asset with the open alerts, what was sent and what failed; its
`alert_deliveries` check turns WARN while a sink fails, so ops see it in the UI, and the
message stays queued in `<workspace>/state/alerts.json` for the next run.
"""

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
from pipelines.defs.publish import cto_latency_report, publish_print
from pipelines.defs.resources import WorkspaceResource
from pipelines.publish.alerts import NOT_MEASURED, report_link, run_alerts, state_path
from pipelines.publish.report import markdown_table
from pipelines.publish.signals import configured_sources, read_signals
from pipelines.warehouse import connect_snapshot


# after the report, so the link in each message points to a page that shows the alert
@asset(
    group_name="publish",
    deps=[cto_latency_report],
    check_specs=[
        AssetCheckSpec(
            "alert_deliveries",
            asset="silo_alerts",
            description="Every alert message reached every sink (WARN while some wait)",
        )
    ],
)
def silo_alerts(context: AssetExecutionContext, workspace: WorkspaceResource) -> MaterializeResult:
    """Open silo alerts, sent once per breach and once on recovery to the configured sinks.

    Skipped while the snapshot, the alert settings and the alert state are those its last run
    left, and that run delivered everything (`pipelines/reruns.py`): judging the same
    snapshot again would open, close and send nothing."""
    ws = workspace.load()
    values, skipped = ALERTS.run(
        ws,
        lambda: _judge_and_send(context, ws),
        keep=lambda v: not v["failures"] and not v["pending"],  # else the next run retries
    )
    if skipped:
        context.log.info("alerts: snapshot, settings and alert state unchanged since the last run")
        values.update(opened=0, recovered=0, deliveries=0)  # this run did nothing
    return MaterializeResult(
        metadata={
            **{k: v for k, v in values.items() if k not in ("open", "not_measured", "errors")},
            "open": MetadataValue.md(values["open"]),
            "not_measured": MetadataValue.md(values["not_measured"]),
            "skipped_unchanged": skipped,
        },
        check_results=[
            AssetCheckResult(
                check_name="alert_deliveries",
                passed=not values["failures"] and not values["pending"],
                severity=AssetCheckSeverity.WARN,
                description="; ".join(values["errors"])
                or (
                    f"{values['pending']} message(s) queued"
                    if values["pending"]
                    else "all delivered"
                ),
                metadata={"failures": values["failures"], "pending": values["pending"]},
            )
        ],
    )


# the alert check's record: the snapshot and settings it judged, the alert state it left
ALERTS = reruns.Step("silo_alerts", publish_print, lambda ws: [state_path(ws.root)])


def _judge_and_send(context: AssetExecutionContext, ws) -> dict:
    """Judge the rules on the snapshot, send what changed; the values the asset shows."""
    with connect_snapshot(ws.snapshot_path) as con:
        signals = read_signals(con, ws.alerts, configured_sources(ws))
    run = run_alerts(
        state_path(ws.root),
        signals.evaluations,
        ws.alerts.sinks,
        workspace=ws.name,
        report_url=report_link(ws.alerts.report_url, ws.reports_dir),
        retries=ws.alerts.retries,
        backoff_seconds=ws.alerts.retry_backoff_seconds,
    )
    for message_id, sink in run.sent:
        context.log.info(f"alert {message_id} sent to {sink}")
    for sink, message_id, error in run.failures:
        context.log.warning(f"alert {message_id} not delivered to {sink}: {error} (kept queued)")
    return {
        "open_alerts": len(run.open),
        "opened": len(run.opened),
        "recovered": len(run.recovered),
        "deliveries": len(run.sent),
        "failures": len(run.failures),
        "pending": run.pending,
        "sinks": ", ".join(s.name for s in ws.alerts.sinks) or "none configured",
        "open": markdown_table(
            [
                {"alert": a["alert_id"], "since": a["opened_at"], "what": a["title"]}
                for a in run.open
            ]
        ),
        "not_measured": markdown_table(
            [
                {"rule": e.alert_id, "why": e.title}
                for e in signals.evaluations
                if e.status == NOT_MEASURED
            ]
        ),
        "errors": [f"{s}: {err}" for s, _, err in run.failures],
    }
