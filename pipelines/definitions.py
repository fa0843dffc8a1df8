"""The one Dagster `Definitions` of Silo Signals (code location `pipelines.definitions`).

The workspace is named by the SILO_WORKSPACE environment variable, read when a run starts,
never at import. dbt's manifest must exist before import: `silo manifest` (run by make).
"""

from dagster import Definitions, EnvVar
from dagster_dbt import DbtCliResource

from pipelines.assets.dbt import dbt_after_nlp, dbt_before_nlp
from pipelines.assets.nlp import nlp_annotations
from pipelines.assets.raw import raw_assets
from pipelines.assets.reports import cto_latency_report, warehouse_snapshot
from pipelines.checks import silo_alert_rules
from pipelines.dbt import DBT_EXECUTABLE, PROJECT_DIR
from pipelines.jobs import (
    daily_schedule,
    ingest_job,
    notes_folder_sensor,
    refresh_after_ingest,
    refresh_job,
)
from pipelines.resources import WorkspaceResource

ALL_ASSETS = [
    *raw_assets,
    dbt_before_nlp,
    nlp_annotations,
    dbt_after_nlp,
    warehouse_snapshot,
    cto_latency_report,
]

defs = Definitions(
    assets=ALL_ASSETS,
    asset_checks=[silo_alert_rules],
    jobs=[ingest_job, refresh_job],
    schedules=[daily_schedule],
    sensors=[refresh_after_ingest, notes_folder_sensor],
    resources={
        "workspace": WorkspaceResource(root=EnvVar("SILO_WORKSPACE")),
        "dbt": DbtCliResource(
            project_dir=str(PROJECT_DIR),
            profiles_dir=str(PROJECT_DIR),
            dbt_executable=DBT_EXECUTABLE,
        ),
    },
)
