"""When a step is skipped (pipelines/reruns.py): only when its input rows (or snapshot), code,
settings and its own output files are those of its last successful run."""

from __future__ import annotations

import os

import duckdb
import pytest

from pipelines import reruns
from pipelines.config import load_workspace


@pytest.fixture
def ws(tmp_path):
    (tmp_path / "silo.yml").write_text("workspace: t\nstart_date: 2026-01-05\n", encoding="utf-8")
    path = tmp_path / "warehouse" / "silo.duckdb"
    path.parent.mkdir(parents=True)
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table docs as select * from (values ('d1', 'Texte un'), ('d2', 'Texte deux'))"
            " as t (document_id, document_text)"
        )
    return load_workspace(tmp_path)


class Step:
    """A step writing one file, counting its runs; `fail` makes the next run crash mid-way."""

    def __init__(self, ws):
        self.ws, self.runs, self.fail = ws, 0, False
        self.output = ws.root / "nlp" / "out" / "current.parquet"

    def __call__(self):
        self.runs += 1
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.output.write_text(f"run {self.runs}", encoding="utf-8")
        if self.fail:
            raise RuntimeError("killed half-way")
        return {"rows": 2}

    def run(self, settings=None):
        print_ = reruns.fingerprint(self.ws, ["docs"], settings or {"threshold": 0.35})
        return reruns.run_unless_unchanged(self.ws, "step", print_, [self.output], self)


def edit(ws, sql):
    with duckdb.connect(str(ws.warehouse_path)) as con:
        con.execute(sql)


def test_a_second_run_on_the_same_inputs_is_skipped_with_the_recorded_counts(ws):
    step = Step(ws)
    assert step.run() == ({"rows": 2}, False)
    assert step.run() == ({"rows": 2}, True)
    assert step.runs == 1


@pytest.mark.parametrize(
    "change",
    [
        "update docs set document_text = 'Texte modifié' where document_id = 'd2'",
        "insert into docs values ('d3', 'Texte trois')",
        "delete from docs where document_id = 'd1'",
    ],
)
def test_a_changed_added_or_removed_row_runs_again(ws, change):
    step = Step(ws)
    step.run()
    edit(ws, change)
    assert step.run() == ({"rows": 2}, False)
    assert step.runs == 2


def test_rows_in_another_order_are_the_same_inputs(ws):
    step = Step(ws)
    step.run()
    edit(ws, "create or replace table docs as select * from docs order by document_id desc")
    assert step.run()[1] is True


def test_other_settings_or_other_code_run_again(ws, monkeypatch):
    step = Step(ws)
    step.run()
    assert step.run({"threshold": 0.5})[1] is False
    monkeypatch.setattr(reruns, "code_print", lambda: "a new lexicon")
    assert step.run({"threshold": 0.5})[1] is False
    assert step.runs == 3


def test_an_output_deleted_or_rewritten_since_runs_again(ws):
    step = Step(ws)
    step.run()
    step.output.unlink()
    assert step.run()[1] is False
    stat = step.output.stat()
    os.utime(step.output, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert step.run()[1] is False
    assert step.runs == 3


def test_a_run_that_crashed_half_way_runs_again(ws):
    step = Step(ws)
    step.run()
    edit(ws, "insert into docs values ('d3', 'Texte trois')")
    step.fail = True
    with pytest.raises(RuntimeError):
        step.run()
    edit(ws, "delete from docs where document_id = 'd3'")  # back to the recorded inputs
    step.fail = False
    assert step.run()[1] is False  # the half-written output is not taken for the last run


def test_the_code_print_covers_the_nlp_package_and_its_data():
    folders = {path.name for path in reruns.CODE_DIRS}
    assert folders == {"nlp", "annotation"}
    assert all(path.exists() for path in reruns.CODE_DIRS + reruns.PUBLISH_CODE)
    assert len(reruns.code_print()) == 64


def test_a_folder_prints_its_files_and_an_absent_path_prints_empty(tmp_path):
    folder = tmp_path / "people"
    folder.mkdir()
    (folder / "people.csv").write_text("id,name\nana,Ana\n", encoding="utf-8")
    before = reruns.file_print(folder)
    (folder / "people.csv").write_text("id,name\nana,Anna\n", encoding="utf-8")
    assert reruns.file_print(folder) != before
    assert reruns.file_print(tmp_path / "missing.yml") == ""
    assert reruns.file_print(None) == ""


def test_the_publish_print_follows_the_snapshot_its_settings_and_code(ws):
    ws.snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    ws.snapshot_path.write_bytes(b"snapshot one")
    first = reruns.snapshot_fingerprint(ws, {"timezone": "Europe/Paris"})
    assert reruns.snapshot_fingerprint(ws, {"timezone": "Europe/Paris"}) == first
    assert reruns.snapshot_fingerprint(ws, {"timezone": "UTC"}) != first
    stat = ws.snapshot_path.stat()  # a publish replaces the file: a new time, maybe same size
    os.utime(ws.snapshot_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert reruns.snapshot_fingerprint(ws, {"timezone": "Europe/Paris"}) != first
    names = {path.name for path in reruns.PUBLISH_CODE}
    assert names == {"publish", "publish.py", "alerts.py"}
    assert reruns.code_print(reruns.PUBLISH_CODE) != reruns.code_print()


def test_a_run_its_step_does_not_keep_is_not_recorded_and_runs_again(ws):
    step = Step(ws)
    print_ = reruns.fingerprint(ws, ["docs"], {})
    unfinished = {"rows": 2, "pending": 1}
    for _ in range(2):  # an alert still queued: each run tries again
        run = reruns.run_unless_unchanged(
            ws, "step", print_, [step.output], lambda: unfinished, keep=lambda c: not c["pending"]
        )
        assert run == (unfinished, False)
    described = reruns.Step("step", lambda w: print_, lambda w: [step.output])
    assert not described.is_current(ws)
    assert described.run(ws, step) == ({"rows": 2}, False) and described.is_current(ws)
    assert described.run(ws, step) == ({"rows": 2}, True) and step.runs == 1
