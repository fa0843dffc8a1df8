"""What starts runs: two jobs, the daily schedule and two sensors (what ops rely on).

`daily_ingest` lands yesterday's GitHub and Jira changes (`ingest_job`) at `schedule.hour`
in the workspace's `timezone`; when that run succeeds, `refresh_after_ingest` rebuilds
everything downstream (`refresh_job`). A new, edited or deleted minutes file starts the same
refresh through `notes_folder_sensor`. Built per workspace by `automation(ws, api_assets)`
(pipelines/definitions.py says why); every run is tagged `silo/workspace: <name>`.
"""

import hashlib
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

from pipelines.config import Workspace, load_workspace
from pipelines.defs.ingest import landing_run_config
from pipelines.sources.notes import changes

# Every run of a workspace carries this tag; dagster.yaml's run queue allows one run per
# value (pipelines/defs/deploy), so two runs never write one workspace's DuckDB file at once.
WORKSPACE_TAG = "silo/workspace"


def run_tags(ws: Workspace) -> dict[str, str]:
    return {WORKSPACE_TAG: ws.name}


def ingest_job_for(ws: Workspace, api_assets: list):
    """Daily: land yesterday's GitHub and Jira changes (the window comes from the schedule)."""
    return define_asset_job(
        "ingest_job",
        selection=AssetSelection.assets(*api_assets),
        description="Land the day's GitHub and Jira changes.",
        tags=run_tags(ws),
    )


def refresh_job_for(ws: Workspace, api_assets: list):
    """Everything downstream: notes, directory, dbt, NLP, snapshot, report."""
    return define_asset_job(
        "refresh_job",
        selection=AssetSelection.all() - AssetSelection.assets(*api_assets),
        description="Parse notes and directory, build dbt, annotate, publish, report.",
        tags=run_tags(ws),
    )


def daily_schedule_for(ws: Workspace, ingest_job, api_assets: list):
    """At `schedule.hour`:`minute` (default 06:00) in the workspace's time zone, land the
    last complete UTC day: the day before the UTC date of the tick, whatever the zone."""

    @schedule(
        job=ingest_job,
        cron_schedule=f"{ws.schedule_minute} {ws.schedule_hour} * * *",
        execution_timezone=ws.timezone,
        default_status=DefaultScheduleStatus.RUNNING,
        name="daily_ingest",
    )
    def daily_ingest(context: ScheduleEvaluationContext):
        """Land yesterday's UTC day of GitHub and Jira changes."""
        yesterday = context.scheduled_execution_time.astimezone(UTC).date() - timedelta(days=1)
        return RunRequest(
            run_key=yesterday.isoformat(),
            run_config=landing_run_config(api_assets, yesterday, yesterday),
            tags={"silo/window": yesterday.isoformat()},
        )

    return daily_ingest


def refresh_after_ingest_for(ingest_job, refresh_job):
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

    return refresh_after_ingest


def automation(ws: Workspace, api_assets: list) -> dict[str, list]:
    """Jobs, schedules and sensors of a workspace: the daily ingestion exists only when
    GitHub or Jira is configured; the notes sensor only when a notes folder is."""
    refresh_job = refresh_job_for(ws, api_assets)
    jobs, schedules, sensors = [refresh_job], [], []
    if api_assets:
        ingest_job = ingest_job_for(ws, api_assets)
        jobs.append(ingest_job)
        schedules.append(daily_schedule_for(ws, ingest_job, api_assets))
        sensors.append(refresh_after_ingest_for(ingest_job, refresh_job))
    if ws.notes is not None:
        sensors.append(notes_folder_sensor_for(ws, refresh_job))
    return {"jobs": jobs, "schedules": schedules, "sensors": sensors}


def notes_folder_sensor_for(ws: Workspace, refresh_job):
    root = ws.root

    @sensor(
        job=refresh_job,
        minimum_interval_seconds=60,
        default_status=DefaultSensorStatus.RUNNING,
        name="notes_folder_sensor",
    )
    def notes_folder_sensor(context: SensorEvaluationContext):
        """A new, edited or deleted file in the notes folder triggers a refresh at once."""
        ws = load_workspace(root)  # re-read at each tick: silo.yml may have changed
        if ws.notes is None:
            return SkipReason("no notes folder configured in silo.yml")
        changed, cursor = changes(context.cursor, ws)
        context.update_cursor(cursor)
        if not changed:
            return SkipReason("no change in the notes folder")
        # one run per distinct folder state (the cursor maps every file to its hash)
        run_key = hashlib.sha1(cursor.encode()).hexdigest()
        return RunRequest(run_key=run_key, tags={"silo/changed_notes": str(len(changed))})

    return notes_folder_sensor
