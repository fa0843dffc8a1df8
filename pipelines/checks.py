"""Asset checks on the silo signals: each alert rule shows as a WARN check in Dagster.

dbt's own data and unit tests surface as checks through dagster-dbt; these add the product's
rules (pipelines/signals.py) on the published snapshot, so ops see a growing silo in the UI.
"""

from dagster import AssetCheckResult, AssetCheckSeverity, asset_check

from pipelines.assets.reports import warehouse_snapshot
from pipelines.resources import WorkspaceResource
from pipelines.signals import read_signals
from pipelines.warehouse import connect_snapshot


@asset_check(asset=warehouse_snapshot, description="Silo alert rules from silo.yml (or defaults)")
def silo_alert_rules(workspace: WorkspaceResource) -> AssetCheckResult:
    ws = workspace.load()
    with connect_snapshot(ws.snapshot_path) as con:
        signals = read_signals(con, ws.alert_rules)
    return AssetCheckResult(
        passed=not signals.alerts,
        severity=AssetCheckSeverity.WARN,
        description="; ".join(signals.alerts) or "no rule breached",
        metadata={
            "alerts": len(signals.alerts),
            "critical_share_never_arrived": signals.latency["critical"]["share_never_arrived"],
            "tech_decisions_without_tech": len(signals.tech_without_tech),
            "cross_side_share_last_4_weeks": signals.cross_side.get("recent_share"),
        },
    )
