"""What silo.yml configures is what runs: a history before 2025 lands from `start_date`, and a
notes-only workspace runs end to end without GitHub or Jira assets nor empty records."""

import io
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from dagster import AssetKey, DagsterEventType, DagsterInstance, materialize

from pipelines.config import load_workspace
from pipelines.defs.resources import prepare_dbt_manifest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sources" / "github"))
from github_helpers import write_replay  # noqa: E402
from github_synthetic import make_repo  # noqa: E402


def test_a_start_date_before_2025_lands_its_history_as_one_materialization_per_asset(tmp_path):
    """GIVEN start_date 2024-06-01 and GitHub activity in June 2024 WHEN the github asset lands
    a window reaching before start_date THEN the day files of 2024 land from start_date, and
    Dagster records one materialization per asset with the rows of each day."""
    prepare_dbt_manifest()
    from pipelines.definitions import build_definitions
    from pipelines.defs.ingest import landing_run_config

    write_replay(tmp_path / "replay", "acme/web", make_repo(start=datetime(2024, 6, 1, tzinfo=UTC)))
    (tmp_path / "silo.yml").write_text(
        "workspace: history\nstart_date: 2024-06-01\nsources:\n"
        "  github: {mode: replay, replay_dir: replay, repos: [acme/web]}\n"
    )
    defs = build_definitions(load_workspace(tmp_path))
    github = next(a for a in defs.assets if AssetKey(["github", "issues"]) in a.keys)
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            [github],
            resources=defs.resources,
            instance=instance,
            run_config=landing_run_config([github], date(2024, 5, 20), date(2024, 6, 4)),
        )
        assert result.success
        events = instance.get_records_for_run(
            result.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION
        ).records
    folder = tmp_path / "raw" / "github" / "issues"
    days = sorted(p.stem for p in folder.glob("2024-*.parquet"))
    assert days == [f"2024-06-0{d}" for d in range(1, 5)]  # nothing before start_date
    assert pq.read_table(folder / f"{days[0]}.parquet").num_rows
    # one event per asset for the four days, not one per asset and day
    assert len(events) == len(github.keys)
    issues = next(
        e.event_log_entry.asset_materialization
        for e in events
        if e.event_log_entry.asset_materialization.asset_key == AssetKey(["github", "issues"])
    )
    by_day = issues.metadata["rows_by_day"].value
    assert by_day == {day: pq.read_metadata(folder / f"{day}.parquet").num_rows for day in days}
    assert issues.metadata["rows_landed"].value == sum(by_day.values()) > 0


MINUTES = """---
title: COMEX
date: 2026-03-02
type: comex
attendees: [Jane Doe]
---
## Décisions
- Décision : on part sur Postgres pour la facturation.
"""


@pytest.mark.e2e
def test_a_notes_only_workspace_runs_without_github_or_jira(tmp_path, no_pipeline_env):
    """GIVEN a workspace made by `silo init` with one minutes file WHEN it runs THEN every
    stage succeeds, and no GitHub or Jira asset exists, runs or is recorded."""
    from pipelines.cli.runner import run_pipeline
    from pipelines.definitions import build_definitions
    from pipelines.workspaces import init_workspace

    root = tmp_path / "notes-only"
    init_workspace(root, None, "2026-01-05")
    (root / "notes" / "2026-03-02-comex.md").write_text(MINUTES)
    ws = load_workspace(root)
    keys = {k.to_user_string() for a in build_definitions(ws).assets for k in a.keys}
    assert not {k for k in keys if k.startswith(("github/", "jira/"))}

    run_pipeline(ws, date(2026, 1, 5), date(2026, 3, 3), stream=io.StringIO())

    assert (root / "warehouse" / "silo_snapshot.duckdb").is_file()
    assert (root / "reports" / "latency.html").is_file()
    with DagsterInstance.from_config(str(root / ".dagster")) as instance:
        materialized = {
            event.dagster_event.asset_key.to_user_string()
            for run in instance.get_runs()
            for event in instance.all_logs(
                run.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION
            )
        }
    assert "notes/meetings" in materialized and "warehouse_snapshot" in materialized
    assert not {k for k in materialized if k.startswith(("github/", "jira/"))}


@pytest.mark.e2e
def test_a_daily_run_updates_the_documents_incrementally_and_drops_deleted_minutes(
    tmp_path, no_pipeline_env
):
    """GIVEN a notes-only workspace built once (in full) WHEN a minutes file is deleted, another
    edited and the pipeline runs again THEN the dbt builds are incremental, the deleted
    meeting's sections are no documents any more and the edited section reads its new text:
    int_documents holds what a full rebuild would."""
    import duckdb

    from pipelines.cli.runner import run_pipeline
    from pipelines.workspaces import init_workspace

    root = tmp_path / "daily"
    init_workspace(root, None, "2026-01-05")
    body = root / "notes" / "comex"  # a folder per body (silo init made it)
    kept, dropped = body / "2026-03-02-comex.md", body / "2026-03-09-comex.md"
    kept.write_text(MINUTES)
    dropped.write_text(MINUTES.replace("2026-03-02", "2026-03-09"))
    ws = load_workspace(root)

    def last_build() -> str:
        import json

        results = json.loads((root / "dbt" / "target" / "run_results.json").read_text())
        return results["args"]["invocation_command"]

    def minutes_documents() -> dict[str, str]:
        with duckdb.connect(str(ws.warehouse_path), read_only=True) as con:
            rows = con.execute(
                "select document_id, document_text from int_documents "
                "where document_kind = 'minutes'"
            ).fetchall()
        return dict(rows)

    run_pipeline(ws, date(2026, 1, 5), date(2026, 3, 10), stream=io.StringIO())
    assert "--full-refresh" in last_build()  # the first build
    first = minutes_documents()
    assert any("2026-03-09" in doc for doc in first) and any("2026-03-02" in doc for doc in first)

    dropped.unlink()
    kept.write_text(MINUTES.replace("Postgres", "MySQL"))
    run_pipeline(ws, date(2026, 3, 11), date(2026, 3, 11), stream=io.StringIO())
    assert "--full-refresh" not in last_build()  # the daily run updated what changed
    now = minutes_documents()
    assert now and not any("2026-03-09" in doc for doc in now)
    assert all(
        "MySQL" in text and "Postgres" not in text for text in now.values() if "cision" in text
    )
