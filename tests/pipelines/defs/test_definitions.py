"""The Dagster code location loads and validates, and its wiring is what ops rely on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.config import load_workspace
from pipelines.defs.resources import prepare_dbt_manifest

ROOT = Path(__file__).resolve().parents[3]

ALL_SOURCES = """
workspace: full
start_date: 2026-01-05
sources:
  github: {mode: replay, replay_dir: replay/github, repos: [acme/web]}
  jira: {mode: replay, replay_dir: replay/jira, jql: project = X}
  notes: {folder: notes}
  directory: {file: directory.yml}
"""


@pytest.fixture
def defs(tmp_path):
    """The definitions of a workspace that configures every source."""
    prepare_dbt_manifest()
    from pipelines.definitions import build_definitions

    (tmp_path / "silo.yml").write_text(ALL_SOURCES)
    return build_definitions(load_workspace(tmp_path))


def validate(env: dict) -> subprocess.CompletedProcess:
    """`dagster definitions validate`: the code location loaded as Dagster loads it."""
    dagster = Path(sys.executable).with_name("dagster")
    return subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "pipelines.definitions"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_dagster_definitions_validate(tmp_path):
    prepare_dbt_manifest()
    env = {**os.environ, "SILO_WORKSPACE": str(tmp_path), "DAGSTER_HOME": str(tmp_path)}
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    (tmp_path / "silo.yml").write_text(ALL_SOURCES)
    result = validate(env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_process_that_loads_the_code_location_runs_the_pipeline_collector_policy():
    """Dagster's step processes and `silo run` import the module, then run assets: they do
    so with `pipelines/gcpolicy.py`'s thresholds, not Python's (700, 10, 10)."""
    prepare_dbt_manifest()
    from pipelines.gcpolicy import THRESHOLDS

    code = "import gc, pipelines.definitions; print(*gc.get_threshold())"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert tuple(int(n) for n in result.stdout.split()) == THRESHOLDS


def test_the_code_location_names_the_missing_workspace(tmp_path):
    """GIVEN SILO_WORKSPACE naming no folder WHEN Dagster loads the code location THEN it
    fails with our one-line reason, not deep inside Dagster."""
    prepare_dbt_manifest()
    env = {**os.environ, "SILO_WORKSPACE": str(tmp_path / "nope"), "DAGSTER_HOME": str(tmp_path)}
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    result = validate(env)
    assert result.returncode != 0
    assert "does not exist" in result.stdout + result.stderr


def test_asset_graph_names_sources_like_the_landing_and_dbt(defs):
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    for expected in (
        "github/issues",
        "jira/changelog",
        "notes/sections",
        "directory/people",
        "int_documents",
        "nlp/decisions",
        "fct_information_flow",
        "warehouse_snapshot",
        "cto_latency_report",
        "silo_alerts",
    ):
        assert expected in keys
    graph = defs.resolve_asset_graph()
    from dagster import AssetKey

    # the NLP step sits between the documents and the marts
    assert AssetKey("int_documents") in graph.get(AssetKey(["nlp", "decisions"])).parent_keys
    assert AssetKey(["nlp", "references"]) in graph.get(AssetKey("stg_nlp__references")).parent_keys
    checks = {key.name for key in graph.asset_check_keys}
    assert "silo_alert_rules" in checks
    # alerts are delivered after the report they link to, and say how delivery went
    alerts = graph.get(AssetKey("silo_alerts"))
    assert AssetKey("cto_latency_report") in alerts.parent_keys
    assert {k.name for k in graph.get_check_keys_for_assets({AssetKey("silo_alerts")})} == {
        "alert_deliveries"
    }
    names = {s.name for s in defs.schedules} | {s.name for s in defs.sensors}
    assert {"daily_ingest", "refresh_after_ingest", "notes_folder_sensor"} <= names


def test_dbt_models_are_grouped_by_their_folder(defs):
    from dagster import AssetKey

    graph = defs.resolve_asset_graph()
    assert graph.get(AssetKey("stg_github__issues")).group_name == "staging"
    assert graph.get(AssetKey("int_documents")).group_name == "intermediate"
    assert graph.get(AssetKey("fct_information_flow")).group_name == "marts"
    assert graph.get(AssetKey(["nlp", "decisions"])).group_name == "nlp"
    assert graph.get(AssetKey("warehouse_snapshot")).group_name == "publish"


def test_cli_stages_follow_the_asset_graph(defs):
    """GIVEN the definitions WHEN the CLI plans its stages THEN every asset runs once, after
    everything it depends on, and the windowed sources run apart (over the window)."""
    from pipelines.cli.runner import plan_stages

    ALL_ASSETS = list(defs.assets)
    stages = plan_stages(ALL_ASSETS)
    position = {key: i for i, stage in enumerate(stages) for key in stage.keys}
    every_key = {key for node in ALL_ASSETS for key in node.keys}
    assert set(position) == every_key
    assert sum(len(stage.keys) for stage in stages) == len(every_key)
    graph = defs.resolve_asset_graph()
    for key in every_key:
        for parent in graph.get(key).parent_keys:
            if parent in position and position[parent] != position[key]:
                assert position[parent] < position[key], (parent, key)
    windowed = {key for stage in stages if stage.windowed for key in stage.keys}
    assert {key.to_user_string().split("/")[0] for key in windowed} == {"github", "jira"}
    # the snapshot, the report read from it and the alert check: three depths of one group,
    # one stage (one Dagster run, which orders them)
    (publish,) = [stage for stage in stages if stage.label.startswith("publish:")]
    assert publish.nodes == ("warehouse_snapshot", "cto_latency_report", "silo_alerts")
    # the dbt builds and the NLP step between them stay apart
    assert [stage.nodes for stage in stages if "dbt" in stage.label or "nlp" in stage.label] == [
        ("dbt_before_nlp",),
        ("nlp__annotations_and_links",),
        ("dbt_after_nlp",),
    ]


def test_dbt_builds_into_the_workspace(tmp_path):
    from pipelines.defs.dbt import build_in

    first, second = build_in(tmp_path / "a"), build_in(tmp_path / "b")
    assert first["target_path"] == tmp_path / "a" / "dbt" / "target"
    # unit tests are left out of the daily builds (make test runs them)
    logs = str(tmp_path / "a" / "dbt" / "logs")
    assert first["args"] == ["build", "--exclude-resource-type", "unit_test", "--log-path", logs]
    assert first["target_path"] != second["target_path"]
