"""A dbt build is skipped only when it would redo the last complete run's (pipelines/builds.py)."""

from __future__ import annotations

import os

import pytest

from pipelines import builds
from pipelines.config import load_workspace

FINAL = "after"


@pytest.fixture
def ws(tmp_path):
    root = tmp_path / "ws"
    (root / "raw" / "jira" / "issues").mkdir(parents=True)
    (root / "raw" / "jira" / "issues" / "2026-03-01.parquet").write_bytes(b"day one")
    (root / "nlp" / "decisions").mkdir(parents=True)
    (root / "nlp" / "decisions" / "current.parquet").write_bytes(b"decisions")
    (root / "silo.yml").write_text("workspace: test\nstart_date: 2026-01-05\n")
    (root / "warehouse").mkdir()
    (root / "warehouse" / "silo.duckdb").write_bytes(b"warehouse")
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "models" / "a.sql").write_text("select 1")
    (project / "target").mkdir()
    return load_workspace(root), project


def _complete_run(ws, project):
    prints = {}
    for name, inputs in (("before", ("raw",)), ("after", ("raw", "nlp"))):
        prints[name] = builds.fingerprint(ws, project, inputs, ["build"])
        builds.forget(ws, name)
        ws.warehouse_path.write_bytes(ws.warehouse_path.read_bytes() + b"+")  # dbt wrote it
        builds.record(ws, name, prints[name])
    return prints


def test_nothing_changed_skips_both_builds(ws):
    ws, project = ws
    prints = _complete_run(ws, project)
    assert builds.unchanged(ws, "before", prints["before"], final=FINAL)
    assert builds.unchanged(ws, "after", prints["after"], final=FINAL)


def test_a_new_input_file_a_touched_one_or_a_project_edit_rebuild(ws):
    ws, project = ws
    prints = _complete_run(ws, project)
    day = ws.root / "raw" / "jira" / "issues" / "2026-03-01.parquet"
    changes = [
        lambda: (ws.root / "raw" / "jira" / "issues" / "2026-03-02.parquet").write_bytes(b"2"),
        lambda: os.utime(day, ns=(1, day.stat().st_mtime_ns + 1_000_000)),
        lambda: (project / "models" / "a.sql").write_text("select 2"),
    ]
    for change in changes:
        change()
        now = builds.fingerprint(ws, project, ("raw",), ["build"])
        assert now != prints["before"]
        prints["before"] = now
    # the dbt target folder is not an input
    (project / "target" / "run_results.json").write_text("{}")
    assert builds.fingerprint(ws, project, ("raw",), ["build"]) == prints["before"]
    # nlp/ is an input of the later build only
    (ws.root / "nlp" / "decisions" / "current.parquet").write_bytes(b"changed")
    assert builds.fingerprint(ws, project, ("raw",), ["build"]) == prints["before"]


def test_a_changed_warehouse_or_an_earlier_rebuild_rebuilds_what_follows(ws):
    ws, project = ws
    prints = _complete_run(ws, project)
    # the first build ran again (its inputs changed): the later one must follow it
    builds.forget(ws, "before")
    builds.record(ws, "before", "another")
    assert not builds.unchanged(ws, "after", prints["after"], final=FINAL)
    prints = _complete_run(ws, project)
    ws.warehouse_path.write_bytes(b"restored from a backup")
    assert not builds.unchanged(ws, "before", prints["before"], final=FINAL)
    ws.warehouse_path.unlink()
    assert not builds.unchanged(ws, "before", prints["before"], final=FINAL)


def test_a_failed_build_is_no_recorded_build(ws):
    ws, project = ws
    prints = _complete_run(ws, project)
    builds.forget(ws, "after")  # started, then failed: record never ran
    assert not builds.unchanged(ws, "after", prints["after"], final=FINAL)
    assert not builds.unchanged(ws, "before", prints["before"], final=FINAL)


def test_incremental_models_refresh_in_full_until_a_build_succeeds_with_this_project(ws):
    """GIVEN the project and directory a build last succeeded with, and every file it read
    still there WHEN it builds again THEN the incremental models update (no full refresh);
    a first build, a project edit, a failed build after it, a directory change, a landed
    file gone and a missing warehouse each rebuild them in full."""
    ws, project = ws
    (ws.root / "raw" / "directory" / "people").mkdir(parents=True)
    people = ws.root / "raw" / "directory" / "people" / "current.parquet"
    people.write_bytes(b"people")

    def succeed(build: str) -> tuple[str, list[str]]:
        prints = builds.prints(ws, project, ("raw",), ["build"])  # as the dbt assets do
        builds.forget(ws, build)
        builds.record(ws, build, prints.build, prints.refresh, prints.files)
        return prints.refresh, prints.files

    def full(build: str = "before") -> bool:
        prints = builds.prints(ws, project, ("raw",), ["build"])
        return builds.full_refresh(ws, build, prints.refresh, prints.files)

    assert full()  # nothing recorded yet
    succeed("before")
    assert not full()
    assert full("after")  # each build its own record
    # a new day landed: still incremental
    (ws.root / "raw" / "jira" / "issues" / "2026-03-02.parquet").write_bytes(b"day two")
    assert not full()
    (project / "models" / "a.sql").write_text("select 2")
    assert full()
    builds.forget(ws, "before")  # the full build started, then failed: still to do
    assert full()
    succeed("before")
    assert not full()
    people.write_bytes(b"people, one more")
    os.utime(people, ns=(1, people.stat().st_mtime_ns + 1_000_000))
    assert full()
    succeed("before")
    (ws.root / "raw" / "jira" / "issues" / "2026-03-01.parquet").unlink()
    assert full()
    succeed("before")
    assert not full()
    # a Markdown doc changes no row: the build runs again, incremental
    (project / "models" / "README.md").write_text("what the models hold")
    assert not full()
    assert (
        builds.prints(ws, project, ("raw",), ["build"]).build
        != builds._read(ws)["builds"]["before"]
    )
    ws.warehouse_path.unlink()
    assert full()
    # the command is part of it too
    assert builds.project_print(project, ["build", "--select", "x"]) != builds.project_print(
        project, ["build"]
    )
