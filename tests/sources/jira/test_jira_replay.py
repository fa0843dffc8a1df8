"""Replay mode (the contract's file layout) and idempotence of `ingest`."""

from __future__ import annotations

import json
from datetime import timedelta

import pyarrow.parquet as pq
from jira_synthetic import DAY, FIELDS, expected_ids, landed, make_issues, workspace

from pipelines.landing import Window
from pipelines.sources import jira as source

WINDOW = Window.for_days(DAY.date(), (DAY + timedelta(days=1)).date())


def write_replay(folder, issues, deployment="Cloud"):
    (folder / "issues").mkdir(parents=True)
    (folder / "serverInfo.json").write_text(json.dumps({"deploymentType": deployment}))
    (folder / "field.json").write_text(json.dumps(FIELDS))
    for issue in issues:
        (folder / "issues" / f"{issue['key']}.json").write_text(json.dumps(issue))


def test_replay_lands_the_window_and_quarantines_unreadable_files(tmp_path):
    inside = make_issues(12, DAY) + make_issues(4, DAY + timedelta(days=1), project="XYZ")
    outside = make_issues(3, DAY - timedelta(days=5), project="OLD")
    write_replay(tmp_path / "ws" / "replay", inside + outside)
    (tmp_path / "ws" / "replay" / "issues" / "BAD-1.json").write_text('{"key": "BAD-1", "fie')
    ws = workspace(tmp_path / "ws", mode="replay", replay_dir="replay")
    counts = source.ingest(ws, WINDOW)
    want = expected_ids(inside)
    assert counts == {name: len(ids) for name, ids in want.items()}
    assert {r["item_id"] for r in landed(ws.raw_dir, "issues")} == want["issues"]
    assert {r["change_id"] for r in landed(ws.raw_dir, "changelog")} == want["changelog"]
    quarantined = landed(ws.raw_dir, "quarantine")
    assert len(quarantined) == 1 and "BAD-1.json" in quarantined[0]["location"]
    # each record sits in the file of its issue's day
    day2 = pq.read_table(ws.raw_dir / "jira" / "comments" / "2026-03-03.parquet").to_pylist()
    assert day2 and all(r["issue_key"].startswith("XYZ-") for r in day2)


def test_same_window_twice_gives_identical_files(tmp_path):
    write_replay(tmp_path / "ws" / "replay", make_issues(15, DAY))
    ws = workspace(tmp_path / "ws", mode="replay", replay_dir="replay")

    def snapshot():
        out = {}
        for path in sorted((ws.raw_dir / "jira").rglob("*.parquet")):
            table = pq.read_table(path)
            if "ingested_at" in table.column_names:  # the run's clock, by design
                table = table.drop_columns(["ingested_at"])
            out[path.relative_to(ws.raw_dir).as_posix()] = table
        return out

    first_counts, first = source.ingest(ws, WINDOW), snapshot()
    second_counts, second = source.ingest(ws, WINDOW), snapshot()
    assert first_counts == second_counts and first_counts["issues"] == 15
    assert list(first) == list(second)
    assert len(first) == 8  # 3 entities + quarantine, 2 days each
    for name in first:
        assert first[name].equals(second[name]), name


def test_rerun_after_an_issue_moves_day_leaves_no_duplicate(tmp_path):
    issues = make_issues(6, DAY)
    write_replay(tmp_path / "ws" / "replay", issues)
    ws = workspace(tmp_path / "ws", mode="replay", replay_dir="replay")
    source.ingest(ws, WINDOW)
    issues[0]["fields"]["updated"] = "2026-03-03T09:00:00.000+0000"
    (tmp_path / "ws" / "replay" / "issues" / "ABC-1.json").write_text(json.dumps(issues[0]))
    source.ingest(ws, WINDOW)
    keys = [r["item_id"] for r in landed(ws.raw_dir, "issues")]
    assert sorted(keys) == sorted(f"jira:ABC-{i}" for i in range(1, 7))


def test_a_truncated_issue_file_is_quarantined_with_its_true_reason(tmp_path):
    """GIVEN an issue file cut short (a copy interrupted) WHEN replayed THEN the quarantine
    says the JSON is truncated, names the issue from its file name, and keeps the text."""
    issues = make_issues(3, DAY)
    write_replay(tmp_path / "ws" / "replay", issues)
    cut = issues[0]["key"]
    path = tmp_path / "ws" / "replay" / "issues" / f"{cut}.json"
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    ws = workspace(tmp_path / "ws", mode="replay", replay_dir="replay")
    source.ingest(ws, WINDOW)
    (row,) = landed(ws.raw_dir, "quarantine")
    assert "not valid JSON" in row["reason"] and "fields" not in row["reason"]
    assert row["record_id"] == f"jira:{cut}" and row["location"].endswith(f"{cut}.json")
    assert row["payload"] and row["payload"] in text


def test_a_long_window_lands_in_parts_as_one_window_would(tmp_path, monkeypatch):
    """GIVEN issues over five days and one unreadable file WHEN the window lands in parts of
    two days THEN the same records land in the same day files as in one part, and the bad
    file is quarantined once."""
    issues = [
        issue
        for offset, project in enumerate(["AAA", "BBB", "CCC", "DDD", "EEE"])
        for issue in make_issues(3, DAY + timedelta(days=offset), project=project)
    ]
    window = Window.for_days(DAY.date(), (DAY + timedelta(days=4)).date())
    assert [len(p.days()) for p in window.parts(2)] == [2, 2, 1]

    def land(name: str, part_days: int) -> dict:
        write_replay(tmp_path / name / "replay", issues)
        (tmp_path / name / "replay" / "issues" / "BAD-1.json").write_text('{"key": "BA')
        ws = workspace(tmp_path / name, mode="replay", replay_dir="replay")
        monkeypatch.setattr(source, "PART_DAYS", part_days)
        counts = source.ingest(ws, window)
        files = {
            path.relative_to(ws.raw_dir).as_posix(): sorted(
                str(row.get("comment_id") or row.get("change_id") or row.get("item_id"))
                for row in pq.read_table(path).to_pylist()
            )
            for path in sorted((ws.raw_dir / "jira").rglob("2026-*.parquet"))
            if "quarantine" not in path.parts
        }
        return {"counts": counts, "files": files, "bad": landed(ws.raw_dir, "quarantine")}

    whole, parts = land("whole", 30), land("parts", 2)
    assert parts["counts"] == whole["counts"] and whole["counts"]["issues"] == 15
    assert parts["files"] == whole["files"] and len(whole["files"]) == 15  # 3 entities x 5 days
    assert len(parts["bad"]) == len(whole["bad"]) == 1


def test_the_replay_keeps_its_index_so_a_day_reads_only_that_days_files(tmp_path):
    """GIVEN a replay indexed once WHEN a later client asks for one day THEN it reads only
    that day's files; a file rewritten since is read again, with its new `updated`."""
    issues = make_issues(5, DAY) + make_issues(4, DAY + timedelta(days=1), project="XYZ")
    write_replay(tmp_path / "replay", issues)
    index = tmp_path / "state" / "index.json"
    day2 = Window.for_days((DAY + timedelta(days=1)).date(), (DAY + timedelta(days=1)).date())

    first = source.ReplayJiraClient(tmp_path / "replay", index)
    assert len(list(first.issues(day2, []))) == 4
    assert first.files_read == 9 + 4  # indexed every file, then read the day's

    second = source.ReplayJiraClient(tmp_path / "replay", index)
    assert [raw["key"] for raw in second.issues(day2, [])] == [f"XYZ-{i}" for i in range(1, 5)]
    assert second.files_read == 4

    moved = dict(
        issues[0], fields=dict(issues[0]["fields"], updated="2026-03-03T10:00:00.000+0000")
    )
    (tmp_path / "replay" / "issues" / f"{issues[0]['key']}.json").write_text(
        json.dumps(moved) + " "
    )
    third = source.ReplayJiraClient(tmp_path / "replay", index)
    assert issues[0]["key"] in [raw["key"] for raw in third.issues(day2, [])]
    assert third.files_read == 1 + 5
