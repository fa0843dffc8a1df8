"""The one Dagster `Definitions` of Silo Signals (code location `pipelines.definitions`).

Each stage's wiring lives in `pipelines/defs/`: ingest (raw landing, daily schedule), dbt
(staging, intermediate, marts), nlp, publish (snapshot, report, alert check), alerts (delivery
to Slack, webhooks, e-mail, files) and automation
(refresh job and sensors). The workspace is named by the SILO_WORKSPACE environment variable,
read when a run starts, never at import. dbt's manifest must exist before import: `dagster
dev` prepares it, and so does every `silo` command.
"""

from dagster import Definitions, EnvVar

from pipelines.defs.alerts import silo_alerts
from pipelines.defs.automation import (
    daily_schedule,
    ingest_job,
    notes_folder_sensor,
    refresh_after_ingest,
    refresh_job,
)
from pipelines.defs.dbt import dbt_after_nlp, dbt_before_nlp
from pipelines.defs.ingest import api_assets, file_assets
from pipelines.defs.nlp import nlp_annotations
from pipelines.defs.publish import cto_latency_report, silo_alert_rules, warehouse_snapshot
from pipelines.defs.resources import WorkspaceResource, dbt_resource

ALL_ASSETS = [
    *api_assets,
    *file_assets,
    dbt_before_nlp,
    nlp_annotations,
    dbt_after_nlp,
    warehouse_snapshot,
    cto_latency_report,
    silo_alerts,
]

defs = Definitions(
    assets=ALL_ASSETS,
    asset_checks=[silo_alert_rules],
    jobs=[ingest_job, refresh_job],
    schedules=[daily_schedule],
    sensors=[refresh_after_ingest, notes_folder_sensor],
    resources={
        "workspace": WorkspaceResource(root=EnvVar("SILO_WORKSPACE")),
        "dbt": dbt_resource(),
    },
)
