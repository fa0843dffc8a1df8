"""The fault matrix on the whole pipeline, `silo run` in subprocesses on a demo workspace
(seed 7, a 4-day window) with every bad input of `faults.py` planted:

- workspace A, clean run: finishes (exit 0), one line per quarantined item, every good
  meeting kept, no `*_env` secret in any file written, no raw script in the report;
- a re-run of A while `silo query` reads A's snapshot in a loop (every query answers) and a
  second `silo run` of A is refused by the lock (exit 5);
- workspace B, built at the same time as A: killed with SIGKILL (the whole process group)
  during landing, then during the NLP step, then during dbt, each time re-run; after the
  last re-run every table equals A's, no key lost or duplicated, and the snapshot was
  readable after every kill.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.config import load_workspace
from pipelines.demo.generator import generate
from tests.reliability.faults import (
    BAD_MINUTES,
    INJECTION,
    ODD_NAMES,
    marker_env,
    plant_bad_minutes,
    plant_bad_payloads,
)

SILO = str(Path(sys.executable).with_name("silo"))
DAYS = ("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05")
WINDOW = ["--since", DAYS[0], "--until", DAYS[-1]]
RUN_SECONDS = 900  # one subprocess run, on a loaded 2-core machine
SECRETS = ["GITHUB_TOKEN", "JIRA_EMAIL", "JIRA_API_TOKEN", "SILO_PSEUDONYM_SALT"]
VOLATILE = {"ingested_at", "parsed_at", "quarantined_at"}  # wall-clock of the run itself
STAGES = {
    "landing": "raw: github__raw",
    "nlp": "nlp: nlp__annotations_and_links",
    "dbt": "dbt_after_nlp",
}

pytestmark = pytest.mark.reliability(seconds=2400)


def _env() -> dict[str, str]:
    env = dict(os.environ, **marker_env(SECRETS))
    # each workspace keeps its own Dagster home: an inherited DAGSTER_HOME would be shared
    # (the runner respects an existing one), and two first runs would race on its schema
    env.pop("SILO_WORKSPACE", None)
    env.pop("DAGSTER_HOME", None)
    return env


def _workspace(root: Path) -> Path:
    generate(root, seed=7)
    plant_bad_minutes(root / "notes")
    plant_bad_payloads(root / "replay" / "github", DAYS)
    path = sorted((root / "notes").glob("2026-03-0*.md"))[0]  # a meeting title
    text = re.sub(r"(?m)^title: .*$", lambda m: f"title: {json.dumps(INJECTION)}",
                  path.read_text(encoding="utf-8"), count=1)  # fmt: skip
    path.write_text(text, encoding="utf-8")
    return root


def _start(root: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [SILO, "run", "-w", str(root), *WINDOW, *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_env(),
        start_new_session=True,  # its own process group: dbt dies with it on SIGKILL
    )  # fmt: skip


def _finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, _ = proc.communicate(timeout=RUN_SECONDS)
    return proc.returncode, out


def _kill_during(root: Path, stage: str) -> str:
    """Run, and SIGKILL the run's process group once `stage` has started; its output."""
    proc = _start(root)
    seen: list[str] = []
    deadline = time.monotonic() + RUN_SECONDS
    for line in proc.stdout:
        seen.append(line)
        if STAGES[stage] in line and line.rstrip().endswith("..."):
            time.sleep(1.5)  # into the stage's work (its start line is printed first)
            break
        assert time.monotonic() < deadline
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    out = "".join(seen)
    assert STAGES[stage] in out, out
    return out


def _snapshot_readable(root: Path) -> None:
    path = load_workspace(root).snapshot_path
    if path.exists():
        with duckdb.connect(str(path), read_only=True) as con:
            assert con.execute("select count(*) from information_schema.tables").fetchone()[0]


def _tables(root: Path) -> dict[str, list[tuple]]:
    """Every base table of the snapshot and every landed entity, rows sorted, without the
    columns that hold the run's own clock."""
    out: dict[str, list[tuple]] = {}
    snapshot = load_workspace(root).snapshot_path
    with duckdb.connect(str(snapshot), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_type = 'BASE TABLE'"
        ).fetchall()]  # fmt: skip
        for name in names:
            cols = [c[0] for c in con.execute(f'describe "{name}"').fetchall()]
            keep = ", ".join(f'"{c}"' for c in cols if c not in VOLATILE)
            rows = con.execute(f'select {keep} from "{name}"').fetchall()
            out[f"snapshot.{name}"] = sorted(rows, key=repr)
    for folder in sorted((root / "raw").glob("*/*")) + sorted((root / "nlp").glob("*")):
        files = [f for f in folder.glob("*.parquet") if not f.name.startswith(("_", "."))]
        rows = [
            tuple(v for k, v in row.items() if k not in VOLATILE)
            for f in files
            for row in pq.read_table(f).to_pylist()
        ]
        out[f"files.{folder.parent.name}/{folder.name}"] = sorted(rows, key=repr)
    return out


# landed entities and NLP tables whose first column is their key (the landing contract)
KEYED = ("files.github/", "files.jira/", "files.notes/", "files.directory/",
         "files.nlp/annotations", "files.nlp/decisions")  # fmt: skip


def _keys_unique(tables: dict[str, list[tuple]]) -> None:
    """Keys of landed files unique; warehouse keys are gated by dbt's unique tests (a
    failing one fails the run), and equality with the clean run checks every row's count."""
    for name, rows in tables.items():
        if not name.startswith(KEYED) or name.endswith("/quarantine") or not rows:
            continue
        keys = [row[0] for row in rows]
        assert len(keys) == len(set(keys)), f"{name}: duplicated keys"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    a = _workspace(tmp_path_factory.mktemp("clean"))
    b = _workspace(tmp_path_factory.mktemp("crashed"))
    clean = _start(a)  # A and B build at the same time: no shared file
    crash = {}
    for stage in ("landing", "nlp", "dbt"):  # kill each stage, then read what is published
        crash[stage] = _kill_during(b, stage)
        _snapshot_readable(b)
    clean_status, clean_out = _finish(clean)
    rerun_status, rerun_out = _finish(_start(b))
    return {"a": a, "b": b, "clean": (clean_status, clean_out), "crash": crash,
            "rerun": (rerun_status, rerun_out)}  # fmt: skip


def test_a_run_with_every_bad_input_finishes_and_lists_each_quarantined_item(runs):
    status, out = runs["clean"]
    assert status == 0, out
    quarantined = [line for line in out.splitlines() if line.startswith("quarantined ")]
    for name, reason in ((n, r) for n, (_, r) in BAD_MINUTES.items()):
        assert any(name in line and reason in line for line in quarantined), (name, out)
    assert any("notice nlp/nlp" in line and "chunks" in line for line in out.splitlines()), out
    with duckdb.connect(str(load_workspace(runs["a"]).snapshot_path), read_only=True) as con:
        files = {r[0] for r in con.execute("select file_path from stg_notes__meetings").fetchall()}
        bodies = con.execute("select max(length(body)) from stg_github__issues").fetchone()[0]
    good = {p.name for p in (runs["a"] / "notes").iterdir()} - set(BAD_MINUTES)
    assert {f.rsplit("/", 1)[-1] for f in files} == good  # every good meeting, odd names too
    assert set(ODD_NAMES) <= good
    assert bodies > 1_000_000  # the 10 MB body landed, and was annotated in chunks


def test_no_secret_in_any_file_the_product_writes(runs):
    markers = [m.encode() for m in marker_env(SECRETS).values()]
    for root in (runs["a"], runs["b"]):
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink():
                data = path.read_bytes()
                assert not any(m in data for m in markers), path


def test_no_script_from_the_inputs_reaches_the_report(runs):
    reports = list((runs["a"] / "reports").rglob("*.htm*"))
    assert reports
    for path in reports:
        html = path.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "onerror=alert" not in html.replace(" ", "")


def test_kill_9_during_each_stage_then_a_rerun_equals_a_clean_run(runs):
    status, out = runs["rerun"]
    assert status == 0, out
    clean, crashed = _tables(runs["a"]), _tables(runs["b"])
    assert set(crashed) == set(clean)
    lost = {n: len(set(clean[n]) - set(crashed[n])) for n in clean}
    extra = {n: len(crashed[n]) - len(clean[n]) for n in clean}
    assert not any(lost.values()), lost
    assert not any(extra.values()), extra
    for name in clean:
        assert crashed[name] == clean[name], name
    _keys_unique(clean)
    _keys_unique(crashed)
    assert set(runs["crash"]) == {"landing", "nlp", "dbt"}  # each killed inside its stage


def test_dbt_files_stay_in_each_workspace(runs):
    for root in (runs["a"], runs["b"]):
        assert (root / "dbt" / "target" / "run_results.json").exists()
        assert (root / "dbt" / "logs" / "dbt.log").exists()


def test_queries_answer_during_a_rerun_and_a_second_run_is_refused(runs):
    a = runs["a"]
    proc = _start(a)
    try:
        for line in proc.stdout:  # wait for the run to hold the lock
            if line.startswith("[1/"):
                break
        second = subprocess.run([SILO, "run", "-w", str(a), *WINDOW], capture_output=True,
                                text=True, env=_env(), timeout=RUN_SECONDS)  # fmt: skip
        assert second.returncode == 5, second.stdout + second.stderr
        assert "already being run" in second.stdout
        answered = 0
        while proc.poll() is None and answered < 20:
            query = subprocess.run(
                [SILO, "query", "-w", str(a), "select count(*) as n from fct_information_flow"],
                capture_output=True, text=True, env=_env(), timeout=RUN_SECONDS,
            )  # fmt: skip
            assert query.returncode == 0, query.stdout + query.stderr
            answered += 1
        assert answered
    finally:
        status, out = _finish(proc)
    assert status == 0, out


def test_published_files_follow_the_umask_and_state_stays_private(runs):
    mask = os.umask(0o022)
    os.umask(mask)
    ws = load_workspace(runs["a"])
    published = [ws.snapshot_path, *ws.reports_dir.glob("*.html")]
    published += list((runs["a"] / "raw" / "notes").rglob("*.parquet"))
    for path in published:
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask, path
    for path in (runs["a"] / "state").rglob("*.json"):
        assert path.stat().st_mode & 0o777 == 0o600, path
