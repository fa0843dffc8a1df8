"""Report assets: publish the warehouse snapshot, then the CTO's latency report."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from pipelines.atomic import write_text
from pipelines.privacy import Pseudonymiser
from pipelines.report.latency import build_report, markdown_table, render_html
from pipelines.resources import WorkspaceResource
from pipelines.warehouse import connect_snapshot, publish_snapshot

# the snapshot is published once every mart is built (dbt writes them in one build)
MARTS = (
    "fct_information_flow",
    "fct_decisions",
    "fct_arbitration",
    "fct_silo_weekly",
    "fct_unresolved_aliases",
)


@asset(group_name="reports", deps=[AssetKey(m) for m in MARTS])
def warehouse_snapshot(workspace: WorkspaceResource) -> MaterializeResult:
    """Read-only copy of the warehouse for consultants and reports, published atomically."""
    ws = workspace.load()
    path = publish_snapshot(ws.warehouse_path, ws.snapshot_path, Pseudonymiser.from_workspace(ws))
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(path)),
            "size_mb": round(path.stat().st_size / 2**20, 2),
        }
    )


@asset(group_name="reports", deps=[warehouse_snapshot])
def cto_latency_report(context: AssetExecutionContext, workspace: WorkspaceResource):
    """Field-to-COMEX latency: figures, trend, stuck critical items (HTML + UI metadata)."""
    ws = workspace.load()
    with connect_snapshot(ws.snapshot_path) as con:
        report = build_report(con)
    page = ws.reports_dir / "latency.html"
    write_text(page, render_html(report, ws.name, ws.timezone))
    critical = report.population("critical items").row()
    return MaterializeResult(
        metadata={
            "html": MetadataValue.path(str(page)),
            "critical_median_days": critical["median_days"],
            "critical_median_days_if_arrived": critical["median_days_if_arrived"],
            "critical_share_never_arrived": critical["share_never_arrived"],
            "populations": MetadataValue.md(markdown_table([p.row() for p in report.populations])),
            "trend_by_month": MetadataValue.md(markdown_table(report.monthly)),
            "stuck_critical_items": MetadataValue.md(markdown_table(report.stuck)),
        }
    )
