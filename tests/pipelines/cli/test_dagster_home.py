"""The CLI respects an operator's DAGSTER_HOME: its dagster.yaml is never rewritten; a
dagster.yaml (telemetry off) is created only where none exists."""

import os

import pytest

from pipelines.cli.runner import DAGSTER_YAML, prepare_environment
from pipelines.config import load_workspace

POSTGRES_YAML = b"""storage:
  postgres:
    postgres_db: {hostname: db.internal, username: dagster, db_name: dagster, port: 5432}
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
"""


@pytest.fixture
def ws(tmp_path, no_pipeline_env):
    root = tmp_path / "acme"
    root.mkdir()
    (root / "silo.yml").write_text("workspace: acme\nstart_date: 2026-01-05\n")
    return load_workspace(root)


def test_an_existing_dagster_home_keeps_its_dagster_yaml_byte_for_byte(ws, tmp_path, monkeypatch):
    home = tmp_path / "ops-home"
    home.mkdir()
    (home / "dagster.yaml").write_bytes(POSTGRES_YAML)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    assert prepare_environment(ws) == home
    assert (home / "dagster.yaml").read_bytes() == POSTGRES_YAML
    assert os.environ["DAGSTER_HOME"] == str(home)
    assert not (ws.root / ".dagster").exists()


def test_a_dagster_home_without_dagster_yaml_gets_one_with_telemetry_off(ws, tmp_path, monkeypatch):
    home = tmp_path / "fresh-home"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    prepare_environment(ws)
    assert (home / "dagster.yaml").read_text() == DAGSTER_YAML
    assert "enabled: false" in DAGSTER_YAML


def test_without_dagster_home_the_workspace_home_is_created_once_then_kept(ws):
    home = prepare_environment(ws)
    assert home == ws.root / ".dagster"
    assert (home / "dagster.yaml").read_text() == DAGSTER_YAML
    (home / "dagster.yaml").write_bytes(POSTGRES_YAML)  # the operator edits it
    prepare_environment(ws)
    assert (home / "dagster.yaml").read_bytes() == POSTGRES_YAML


def test_a_cli_run_refuses_while_a_run_of_the_workspace_is_in_progress(ws):
    """GIVEN the daemon running a job of workspace 'acme' WHEN `silo run` starts on the same
    instance THEN it refuses in one line instead of fighting for DuckDB's single writer."""
    from dagster import DagsterInstance, DagsterRun, DagsterRunStatus

    from pipelines.cli.runner import WorkspaceBusy, refuse_if_running

    with DagsterInstance.ephemeral() as instance:
        refuse_if_running(instance, ws)  # nothing running
        instance.add_run(
            DagsterRun(
                job_name="refresh_job",
                run_id="0f0e0d0c-0000-4000-8000-000000000001",
                status=DagsterRunStatus.STARTED,
                tags={"dagster/code_location": "acme"},
            )
        )
        with pytest.raises(WorkspaceBusy, match="in progress"):
            refuse_if_running(instance, ws)
