"""The notes-folder sensor asks for a refresh when a minutes file appears, changes or goes;
the daily schedule follows silo.yml's time zone and hour; jobs follow the configured sources."""

from datetime import datetime
from zoneinfo import ZoneInfo

from dagster import (
    DagsterInstance,
    RunRequest,
    SkipReason,
    build_schedule_context,
    build_sensor_context,
)

from pipelines.config import load_workspace
from pipelines.defs.automation import WORKSPACE_TAG, automation

SILO_YML = """
workspace: sensor-test
start_date: 2026-01-05
sources:
  notes: {folder: notes}
"""

MINUTES = """---
title: COMEX
date: 2026-03-02
type: comex
attendees: [Marie Dubois]
---
## Décisions
- Décision : on part sur Postgres.
"""


def by_name(items):
    return {item.name: item for item in items}


def notes_sensor(root):
    return by_name(automation(load_workspace(root), [])["sensors"])["notes_folder_sensor"]


def evaluate(sensor, cursor):
    with DagsterInstance.ephemeral() as instance:
        context = build_sensor_context(cursor=cursor, instance=instance)
        result = sensor(context)
        return result, context.cursor


def test_new_edited_and_deleted_files_trigger_a_refresh(tmp_path):
    (tmp_path / "silo.yml").write_text(SILO_YML)
    notes = tmp_path / "notes"
    notes.mkdir()
    sensor = notes_sensor(tmp_path)

    minutes = notes / "2026-03-02-comex.md"
    minutes.write_text(MINUTES)
    first, cursor = evaluate(sensor, None)
    assert isinstance(first, RunRequest)

    unchanged, cursor = evaluate(sensor, cursor)
    assert isinstance(unchanged, SkipReason)

    minutes.write_text(MINUTES.replace("Postgres", "MySQL"))
    edited, edited_cursor = evaluate(sensor, cursor)
    assert isinstance(edited, RunRequest)
    assert edited.run_key != first.run_key  # one run per distinct folder state
    cursor = edited_cursor

    minutes.unlink()
    deleted, _ = evaluate(sensor, cursor)
    assert isinstance(deleted, RunRequest)


def test_a_notes_only_workspace_has_no_ingestion_job_nor_schedule(tmp_path):
    (tmp_path / "silo.yml").write_text(SILO_YML)
    parts = automation(load_workspace(tmp_path), [])
    assert set(by_name(parts["jobs"])) == {"refresh_job"}
    assert parts["schedules"] == []
    assert set(by_name(parts["sensors"])) == {"notes_folder_sensor"}
    assert by_name(parts["jobs"])["refresh_job"].tags[WORKSPACE_TAG] == "sensor-test"


def schedule_of(tmp_path, extra: str):
    from pipelines.definitions import build_definitions
    from pipelines.defs.resources import prepare_dbt_manifest

    prepare_dbt_manifest()
    (tmp_path / "silo.yml").write_text(GITHUB_YML + extra)
    defs = build_definitions(load_workspace(tmp_path))
    return defs, by_name(defs.schedules)["daily_ingest"]


GITHUB_YML = """
workspace: sched
start_date: 2024-06-01
sources:
  github: {mode: replay, replay_dir: replay, repos: [acme/web]}
"""


def lands(request) -> tuple[str, str]:
    """The window a run request lands (the same for every API asset)."""
    windows = {(op["config"]["first_day"], op["config"]["last_day"])
               for op in request.run_config["ops"].values()}  # fmt: skip
    assert len(windows) == 1
    return windows.pop()


def test_daily_schedule_defaults_to_six_paris_time_and_lands_yesterday_utc(tmp_path):
    defs, schedule = schedule_of(tmp_path, "")
    assert schedule.execution_timezone == "Europe/Paris"
    assert schedule.cron_schedule == "0 6 * * *"
    # 06:00 in Paris on 2 March (winter) is 05:00 UTC: yesterday's UTC day is 1 March
    when = datetime(2026, 3, 2, 6, 0, tzinfo=ZoneInfo("Europe/Paris"))
    request = schedule(build_schedule_context(scheduled_execution_time=when))
    assert lands(request) == ("2026-03-01", "2026-03-01")
    job = defs.resolve_job_def("ingest_job")
    assert job.tags[WORKSPACE_TAG] == "sched"


def test_daily_schedule_follows_the_workspace_timezone_and_hour(tmp_path):
    _, schedule = schedule_of(tmp_path, "timezone: Asia/Tokyo\nschedule: {hour: 3, minute: 30}\n")
    assert schedule.execution_timezone == "Asia/Tokyo"
    assert schedule.cron_schedule == "30 3 * * *"
    # 03:30 in Tokyo on 2 March is 18:30 UTC on 1 March: the last complete UTC day is 28 Feb
    when = datetime(2026, 3, 2, 3, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    request = schedule(build_schedule_context(scheduled_execution_time=when))
    assert lands(request) == ("2026-02-28", "2026-02-28")
