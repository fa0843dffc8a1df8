"""What starts runs: two jobs, the daily schedule and two sensors (what ops rely on).

`daily_ingest` lands yesterday's GitHub and Jira changes (`ingest_job`); when that run
succeeds, `refresh_after_ingest` rebuilds everything downstream (`refresh_job`). A new,
edited or deleted minutes file starts the same refresh through `notes_folder_sensor`.
"""

import hashlib
import os
from datetime import UTC, timedelta

from dagster import (
    AssetSelection,
    DagsterRunStatus,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SkipReason,
    define_asset_job,
    run_status_sensor,
    schedule,
    sensor,
)

from pipelines.config import load_workspace
from pipelines.defs.ingest import API_SOURCES
from pipelines.sources.notes import changes

# Daily: land yesterday's GitHub and Jira changes (partitioning comes from the assets).
ingest_job = define_asset_job(
    "ingest_job", selection=API_SOURCES, description="Land the day's GitHub and Jira changes."
)

# Then refresh everything downstream: notes, directory, dbt, NLP, snapshot, report.
refresh_job = define_asset_job(
    "refresh_job",
    selection=AssetSelection.all() - API_SOURCES,
    description="Parse notes and directory, build dbt, annotate, publish, report.",
)


@schedule(
    job=ingest_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Europe/Paris",
    default_status=DefaultScheduleStatus.RUNNING,
    name="daily_ingest",
)
def daily_schedule(context: ScheduleEvaluationContext):
    """06:00 Paris time: land yesterday's UTC day, complete by then (1-2 h after midnight UTC)."""
    yesterday = context.scheduled_execution_time.astimezone(UTC).date() - timedelta(days=1)
    return RunRequest(run_key=yesterday.isoformat(), partition_key=yesterday.isoformat())


@run_status_sensor(
    run_status=DagsterRunStatus.SUCCESS,
    monitored_jobs=[ingest_job],
    request_job=refresh_job,
    default_status=DefaultSensorStatus.RUNNING,
    name="refresh_after_ingest",
)
def refresh_after_ingest(context):
    """When the daily ingestion succeeds, rebuild everything downstream."""
    return RunRequest(run_key=f"after-{context.dagster_run.run_id}")


@sensor(job=refresh_job, minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING)
def notes_folder_sensor(context: SensorEvaluationContext):
    """A new, edited or deleted file in the notes folder triggers a refresh at once."""
    root = os.environ.get("SILO_WORKSPACE")
    if not root:
        return SkipReason("SILO_WORKSPACE is not set")
    ws = load_workspace(root)
    if ws.notes is None:
        return SkipReason("no notes folder configured in silo.yml")
    changed, cursor = changes(context.cursor, ws)
    context.update_cursor(cursor)
    if not changed:
        return SkipReason("no change in the notes folder")
    # one run per distinct folder state (the cursor maps every file to its hash)
    run_key = hashlib.sha1(cursor.encode()).hexdigest()
    return RunRequest(run_key=run_key, tags={"silo/changed_notes": str(len(changed))})
