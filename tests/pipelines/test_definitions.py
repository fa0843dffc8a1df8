"""The Dagster code location loads and validates, and its wiring is what ops rely on."""

import os
import subprocess
import sys
from pathlib import Path

from pipelines.dbt import ensure_manifest

ROOT = Path(__file__).resolve().parents[2]


def test_dagster_definitions_validate(tmp_path):
    ensure_manifest()
    env = {**os.environ, "SILO_WORKSPACE": str(tmp_path), "DAGSTER_HOME": str(tmp_path)}
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    dagster = Path(sys.executable).with_name("dagster")
    result = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "pipelines.definitions"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_asset_graph_names_sources_like_the_landing_and_dbt():
    ensure_manifest()
    from pipelines.definitions import defs

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
    ):
        assert expected in keys
    graph = defs.resolve_asset_graph()
    from dagster import AssetKey

    # the NLP step sits between the documents and the marts
    assert AssetKey("int_documents") in graph.get(AssetKey(["nlp", "decisions"])).parent_keys
    assert AssetKey(["nlp", "references"]) in graph.get(AssetKey("stg_nlp__references")).parent_keys
    checks = {key.name for c in defs.asset_checks for key in c.check_keys}
    assert "silo_alert_rules" in checks
    names = {s.name for s in defs.schedules} | {s.name for s in defs.sensors}
    assert {"daily_ingest", "refresh_after_ingest", "notes_folder_sensor"} <= names
