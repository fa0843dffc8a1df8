"""`silo run` and a killed run: the run a dead `silo run` left STARTED is marked failed at
the next start; a run of a live process is left alone."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from dagster import AssetKey, DagsterInstance, DagsterRunStatus, asset, materialize

from pipelines.cli import runner

# A `silo run`-like process (its runs tagged as the runner tags them) killed inside a step.
CHILD = textwrap.dedent(
    """
    import os
    from dagster import DagsterInstance, asset, materialize
    from pipelines.cli.runner import run_tags

    @asset
    def dies():
        os._exit(9)

    materialize([dies], instance=DagsterInstance.get(), tags=run_tags())
    """
)


def test_a_run_left_started_by_a_killed_process_is_failed_at_the_next_start(tmp_path, monkeypatch):
    home = tmp_path / ".dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text(runner.DAGSTER_YAML)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True)
    assert done.returncode == 9, done.stderr
    with DagsterInstance.get() as instance:
        (killed,) = instance.get_runs()
        assert killed.status == DagsterRunStatus.STARTED
        assert runner.fail_abandoned_runs(instance) == [killed.run_id]
        assert instance.get_run_by_id(killed.run_id).status == DagsterRunStatus.FAILURE
        assert runner.fail_abandoned_runs(instance) == []


def test_a_stage_is_left_out_only_where_dagster_already_shows_its_assets():
    @asset
    def shown():
        return 1

    keys = [AssetKey("shown")]
    assert runner.shown_in(DagsterInstance.ephemeral(), keys)  # keeps nothing to show
    with DagsterInstance.local_temp() as instance:
        assert not runner.shown_in(instance, keys)  # a new home: materialized once first
        assert materialize([shown], instance=instance).success
        assert runner.shown_in(instance, keys)
        assert not runner.shown_in(instance, [*keys, AssetKey("never")])
