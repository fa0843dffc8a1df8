"""The notes-folder sensor asks for a refresh when a minutes file appears, changes or goes."""

from dagster import DagsterInstance, RunRequest, SkipReason, build_sensor_context

from pipelines.defs.automation import notes_folder_sensor

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


def evaluate(cursor):
    with DagsterInstance.ephemeral() as instance:
        context = build_sensor_context(cursor=cursor, instance=instance)
        result = notes_folder_sensor(context)
        return result, context.cursor


def test_new_edited_and_deleted_files_trigger_a_refresh(tmp_path, monkeypatch):
    (tmp_path / "silo.yml").write_text(SILO_YML)
    notes = tmp_path / "notes"
    notes.mkdir()
    monkeypatch.setenv("SILO_WORKSPACE", str(tmp_path))

    minutes = notes / "2026-03-02-comex.md"
    minutes.write_text(MINUTES)
    first, cursor = evaluate(None)
    assert isinstance(first, RunRequest)

    unchanged, cursor = evaluate(cursor)
    assert isinstance(unchanged, SkipReason)

    minutes.write_text(MINUTES.replace("Postgres", "MySQL"))
    edited, edited_cursor = evaluate(cursor)
    assert isinstance(edited, RunRequest)
    assert edited.run_key != first.run_key  # one run per distinct folder state
    cursor = edited_cursor

    minutes.unlink()
    deleted, _ = evaluate(cursor)
    assert isinstance(deleted, RunRequest)


def test_without_a_workspace_the_sensor_skips_with_a_reason(monkeypatch):
    monkeypatch.delenv("SILO_WORKSPACE", raising=False)
    result, _ = evaluate(None)
    assert isinstance(result, SkipReason) and "SILO_WORKSPACE" in result.skip_message


def test_daily_schedule_lands_yesterday_utc_at_six_paris_time():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from dagster import build_schedule_context

    from pipelines.defs.automation import daily_schedule

    assert daily_schedule.execution_timezone == "Europe/Paris"
    assert daily_schedule.cron_schedule == "0 6 * * *"
    # 06:00 in Paris on 2 March (winter) is 05:00 UTC: yesterday's UTC day is 1 March
    when = datetime(2026, 3, 2, 6, 0, tzinfo=ZoneInfo("Europe/Paris"))
    request = daily_schedule(build_schedule_context(scheduled_execution_time=when))
    assert request.partition_key == "2026-03-01"
