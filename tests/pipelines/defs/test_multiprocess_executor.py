"""Scheduled runs execute as the daemon executes them: Dagster's default executor starts each
step in its own process, independent assets side by side (the scale-out path of README's
"Outgrowing one machine"; `silo run` uses the in-process executor instead).

The daily `ingest_job` lands one day of the demo through `dagster job execute` on a real
instance, with the code location loaded from `SILO_WORKSPACE` as the code server loads it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import yaml

from pipelines.cli.runner import DAGSTER_YAML
from pipelines.config import load_workspace
from pipelines.defs.ingest import landing_run_config, raw_assets, window_assets

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[3]
DAY = date(2026, 3, 3)  # a Tuesday of the demo's period: GitHub and Jira both have changes


def test_the_daily_ingest_lands_each_source_in_its_own_process_side_by_side(tmp_path, monkeypatch):
    root, home = tmp_path / "ws", tmp_path / "home"
    subprocess.run(
        [BIN / "silo", "demo", "--workspace", root, "--generate-only"],
        check=True,
        capture_output=True,
    )
    home.mkdir()
    (home / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")
    ws = load_workspace(root)
    config = landing_run_config(window_assets(raw_assets(ws)), DAY, DAY)
    # two at once whatever the machine's core count (the default is one per core)
    config["execution"] = {"config": {"multiprocess": {"max_concurrent": 2}}}
    (tmp_path / "run.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {**os.environ, "SILO_WORKSPACE": str(root), "DAGSTER_HOME": str(home)}
    command = [BIN / "dagster", "job", "execute", "-m", "pipelines.definitions"]
    done = subprocess.run(
        [*command, "-j", "ingest_job", "-c", tmp_path / "run.yaml"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    from dagster import DagsterInstance, DagsterRunStatus

    monkeypatch.setenv("DAGSTER_HOME", str(home))  # its event log is under DAGSTER_HOME
    with DagsterInstance.get() as instance:
        [run] = instance.get_runs()
        assert run.status == DagsterRunStatus.SUCCESS
        assert run.tags["silo/workspace"] == "demo"
        events = [e for e in instance.all_logs(run.run_id) if e.dagster_event is not None]
    kinds = [(e.dagster_event.event_type_value, e.step_key, e.dagster_event.pid) for e in events]
    started = {step: pid for kind, step, pid in kinds if kind == "STEP_START"}
    assert set(started) == {"github__raw", "jira__raw"}
    # the run's process launches the workers; each step runs in a process of its own
    [run_pid] = {pid for kind, _, pid in kinds if kind == "STEP_WORKER_STARTING"}
    assert len(set(started.values())) == 2 and run_pid not in started.values()
    # both workers launched before either step finished: side by side, not one after the other
    order = [(kind, step) for kind, step, _ in kinds]
    first_done = min(i for i, (kind, _) in enumerate(order) if kind == "STEP_SUCCESS")
    launched = {step for kind, step in order[:first_done] if kind == "STEP_WORKER_STARTING"}
    assert launched == {"github__raw", "jira__raw"}
    for landed in ("github/issues", "github/comments", "jira/issues", "jira/comments"):
        assert (root / "raw" / landed / f"{DAY}.parquet").exists(), landed
