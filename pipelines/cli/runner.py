"""Run the whole pipeline in-process, stage by stage, with a progress line per stage.

Used by `silo run` and `silo demo`. Each stage is a real Dagster materialization of the
same definitions ops schedule (so the runs show in `make ui`), with the in-process executor:
a fresh process per step would cost 3-4 s of imports each on a 2-core machine.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipelines.atomic import process_alive
from pipelines.config import Workspace
from pipelines.lock import WorkspaceBusy, locked_workspace
from pipelines.preflight import require_ready

# telemetry off; Dagster's SQLite event log with its connections kept between events
# (`pipelines/dagster_sqlite.py`), in the same files as Dagster's default
DAGSTER_YAML = """\
telemetry:
  enabled: false
event_log_storage:
  module: pipelines.dagster_sqlite
  class: KeptSqliteEventLogStorage
  config:
    base_dir: history/runs
"""


# Dagster's own console log is for the UI; the CLI shows one progress line per stage.
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


class StageFailed(RuntimeError):
    def __init__(self, label: str, messages: list[str]):
        super().__init__(f"stage failed: {label}\n" + "\n".join(messages))


def _failure_messages(result) -> list[str]:
    out = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            err = event.step_failure_data.error
            out.append(f"  {event.step_key}: {err.message.strip()}")
            cause = err.cause
            while cause is not None:
                out.append(f"    caused by: {cause.message.strip()}")
                cause = cause.cause
    return out


@dataclass(frozen=True)
class Stage:
    """Asset nodes that run together: same depth in the asset graph, windowed or not."""

    label: str
    keys: tuple  # AssetKey, every key of the stage's nodes
    windowed: bool  # API sources, landed over the run's window of days
    nodes: tuple[str, ...] = ()  # the nodes' names (`pipelines/defs/current.py`)


def plan_stages(assets_defs: list) -> list[Stage]:
    """The run order, read off the asset graph rather than restated: a node's depth is one
    more than its deepest upstream node's; nodes of one depth run as one stage, windowed
    ones (landed over the window) apart from the others, and consecutive depths of the same
    asset groups (the snapshot, the report built on it, the alerts) as one stage: one
    Dagster run, which orders them, rather than one run each (a run costs about 0.3 s
    before and after its work). Labels name groups and nodes."""
    from pipelines.defs.ingest import window_assets

    windowed = {id(node) for node in window_assets(assets_defs)}
    owner = {key: i for i, node in enumerate(assets_defs) for key in node.keys}
    upstream = {
        i: {owner[dep] for deps in node.asset_deps.values() for dep in deps if dep in owner} - {i}
        for i, node in enumerate(assets_defs)
    }
    depth: dict[int, int] = {}

    def depth_of(i: int) -> int:
        if i not in depth:
            depth[i] = 1 + max((depth_of(j) for j in upstream[i]), default=-1)
        return depth[i]

    batches: dict[tuple[int, bool], list[int]] = {}
    for i, node in enumerate(assets_defs):
        batches.setdefault((depth_of(i), id(node) not in windowed), []).append(i)
    merged: list[tuple[bool, list[str], list]] = []  # (windowed, groups, nodes) per stage
    for key in sorted(batches):
        nodes = [assets_defs[i] for i in batches[key]]
        groups = sorted({g for node in nodes for g in node.group_names_by_key.values()})
        windowed = not key[1]
        if merged and not windowed and not merged[-1][0] and merged[-1][1] == groups:
            merged[-1][2].extend(nodes)
        else:
            merged.append((windowed, groups, nodes))
    return [
        Stage(
            label=f"{', '.join(groups)}: {', '.join(node.node_def.name for node in nodes)}",
            keys=tuple(k for node in nodes for k in node.keys),
            windowed=windowed,
            nodes=tuple(node.node_def.name for node in nodes),
        )
        for windowed, groups, nodes in merged
    ]


@contextmanager
def progress(label: str, index: int, total: int, stream=sys.stdout) -> Iterator[dict]:
    """A one-line progress display with elapsed seconds; plain lines when not a terminal."""
    prefix = f"[{index}/{total}] {label}"
    start = time.monotonic()
    done = threading.Event()
    tty = stream.isatty()

    def tick():
        while not done.wait(0.5):
            stream.write(f"\r{prefix} ... {time.monotonic() - start:5.1f}s")
            stream.flush()

    ticker = threading.Thread(target=tick, daemon=True) if tty else None
    if ticker:
        ticker.start()
    else:
        stream.write(f"{prefix} ...\n")
        stream.flush()
    outcome = {"status": "done"}  # the caller may say what else happened ("unchanged")
    ok = False
    try:
        yield outcome
        ok = True
    finally:
        done.set()
        if ticker:
            ticker.join()
        status = outcome["status"] if ok else "FAILED"
        line = f"{prefix} ... {status} in {time.monotonic() - start:.1f}s"
        stream.write(("\r" if tty else "") + line + "\n")
        stream.flush()


def run_tags() -> dict[str, str]:
    """Tags on every run `silo run` starts: which process on which machine runs it."""
    return {"silo/host": socket.gethostname(), "silo/pid": str(os.getpid())}


def fail_abandoned_runs(instance) -> list[str]:
    """Mark failed the runs a `silo run` on this machine left STARTED when it was killed (its
    process is gone, so nothing will ever finish them); returns their ids. Runs of a live
    process, of another machine or launched from the UI (untagged) are left alone."""
    from dagster import DagsterRunStatus, RunsFilter

    started = instance.get_runs(
        filters=RunsFilter(
            statuses=[DagsterRunStatus.STARTED], tags={"silo/host": socket.gethostname()}
        )
    )
    failed = []
    for run in started:
        pid = run.tags.get("silo/pid", "")
        if pid.isdigit() and not process_alive(int(pid)):
            instance.report_run_failed(
                run, message=f"the silo run process {pid} ended without finishing this run"
            )
            failed.append(run.run_id)
    return failed


def prepare_environment(ws: Workspace) -> Path:
    """Point Dagster and dbt at the workspace. An existing DAGSTER_HOME (production: its
    dagster.yaml names PostgreSQL storage) is used as it is, its dagster.yaml never
    rewritten; without one, `<workspace>/.dagster` is the home, and a dagster.yaml (telemetry
    off) is created only where none exists. Returns the Dagster home."""
    os.environ["SILO_WORKSPACE"] = str(ws.root)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    home = Path(os.environ.get("DAGSTER_HOME") or ws.root / ".dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    try:
        with open(home / "dagster.yaml", "x", encoding="utf-8") as config:
            config.write(DAGSTER_YAML)
    except FileExistsError:
        pass  # the operator's file: left byte for byte as it is
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def refuse_if_running(instance, ws: Workspace) -> None:
    """Refuse to start while the instance has a run of this workspace in progress (the run
    queue serializes the daemon's runs; this covers `silo run` beside the daemon)."""
    from dagster import DagsterRunStatus, RunsFilter

    from pipelines.defs.automation import WORKSPACE_TAG

    busy = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
    for tag in (WORKSPACE_TAG, "dagster/code_location"):
        runs = instance.get_runs(filters=RunsFilter(statuses=busy, tags={tag: ws.name}), limit=1)
        if runs:
            raise WorkspaceBusy(
                f"run {runs[0].run_id} of workspace '{ws.name}' is in progress "
                f"(job {runs[0].job_name}); wait for it or stop it in the Dagster UI"
            )


@locked_workspace  # a second run of the same workspace is refused (pipelines/lock.py)
def run_pipeline(
    ws: Workspace,
    first_day: date,
    last_day: date,
    stream=None,
    *,
    keep_history: bool = True,
    only: int | None = None,
    meter=None,
) -> dict:
    """Materialize every asset: API sources over [first_day, last_day], then the rest.

    Progress goes to `stream` (stdout); what Dagster and dbt print goes to
    `<workspace>/logs/last-run.log`, and the full event log is in the Dagster UI.
    `keep_history=False` runs on an in-memory Dagster instance: same work, but the runs are
    not kept for `make ui`. The window lands as one materialization per asset (its rows by
    day in the metadata), not one per asset and day (pipelines/defs/ingest.py). The
    pre-flight (`silo check`) runs first and raises PreflightFailed naming every problem.

    `only` runs that stage alone (1-based, as the progress lines number them) and
    `meter(label)`, a context manager, wraps each stage (`make bench` measures each stage
    alone in its own process with both). Returns seconds per stage.
    """
    stream = stream or sys.stdout
    ws = require_ready(ws)
    prepare_environment(ws)
    log_path = ws.root / "logs" / "last-run.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    from pipelines.defs.resources import prepare_dbt_manifest

    prepare_dbt_manifest()
    from dagster import AssetSelection, DagsterInstance, materialize

    from pipelines.definitions import build_definitions
    from pipelines.defs.automation import run_tags as workspace_tags
    from pipelines.defs.current import stage_is_current
    from pipelines.defs.ingest import landing_run_config, window_assets

    defs = build_definitions(ws)
    assets = list(defs.assets)

    instance = DagsterInstance.get() if keep_history else DagsterInstance.ephemeral()
    fail_abandoned_runs(instance)  # a killed earlier run would show STARTED forever
    refuse_if_running(instance, ws)  # then a live run of this workspace blocks this one
    timings: dict[str, float] = {}
    # the history begins at start_date: an earlier --since lands from start_date
    first_day = max(first_day, ws.start_date)
    last_day = max(first_day, last_day)
    window = landing_run_config(window_assets(assets), first_day, last_day)
    window_tag = {"silo/window": f"{first_day}..{last_day}"}
    resources = defs.resources
    tags = {**workspace_tags(ws), **run_tags()}  # the run queue's key, then which process
    stages = plan_stages(assets)
    for index, stage in enumerate(stages, start=1):
        if only is not None and index != only:
            continue
        start = time.monotonic()
        with (
            progress(stage.label, index, len(stages), stream) as outcome,
            open(log_path, "w" if index == 1 else "a", encoding="utf-8") as log,
            redirect_stdout(log),
            redirect_stderr(log),
            meter(stage.label) if meter else nullcontext(),
        ):
            # every node would skip its work, and Dagster already shows each asset's last
            # materialization: no Dagster run at all (pipelines/defs/current.py)
            if (
                not stage.windowed
                and shown_in(instance, stage.keys)
                and stage_is_current(ws, stage.nodes)
            ):
                outcome["status"] = "unchanged, checked"
                timings[stage.label] = round(time.monotonic() - start, 1)
                continue
            result = materialize(
                assets,
                selection=AssetSelection.assets(*stage.keys),
                resources=resources,
                instance=instance,
                tags={**tags, **(window_tag if stage.windowed else {})},
                run_config={**QUIET, **(window if stage.windowed else {})},
                raise_on_error=False,
            )
            if not result.success:
                raise StageFailed(stage.label, _failure_messages(result) + [f"  log: {log_path}"])
        timings[stage.label] = round(time.monotonic() - start, 1)
    return timings


def shown_in(instance, keys) -> bool:
    """Whether the Dagster instance holds a materialization of every key, so a stage left
    out of this run still shows its last one (a new Dagster home, say PostgreSQL storage
    for production, gets each asset materialized once). An ephemeral instance keeps none:
    nothing to show."""
    if instance.is_ephemeral:
        return True
    latest = instance.get_latest_materialization_events(list(keys))
    return all(latest.get(key) is not None for key in keys)


def default_window(ws: Workspace, today: date) -> tuple[date, date]:
    """From the workspace's start date to yesterday."""
    from datetime import timedelta

    return ws.start_date, max(ws.start_date, today - timedelta(days=1))
