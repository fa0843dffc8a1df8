"""`ingest` end to end on a workspace: idempotence, re-runs, replay == live, quarantine."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pyarrow.parquet as pq
import pytest
from github_helpers import START, landed, landed_files, live_client, make_workspace, write_replay
from github_synthetic import all_keys, make_repo

from pipelines.landing import Window
from pipelines.sources.github import ENTITIES, GitHubNotFoundError, ReplayGitHubClient, ingest

REPO = "acme/web"
WHOLE = Window.for_days(START.date(), (START + timedelta(days=2)).date())
NOW = datetime(2026, 3, 4, 6, 0, tzinfo=UTC)


@pytest.fixture
def served(fake):
    data = make_repo(REPO, START, days=3, items_per_day=10)
    fake.repos[REPO] = data
    return data


def test_one_file_per_utc_day_per_entity_with_the_contract_schema(fake, served, tmp_path, token):
    ws = make_workspace(tmp_path, repos=[REPO])
    ingest(ws, WHOLE, client=live_client(fake), now=NOW)
    for entity, schema in ENTITIES.items():
        names = sorted(p.name for p in (ws.raw_dir / "github" / entity).glob("*.parquet"))
        assert names == ["2026-03-01.parquet", "2026-03-02.parquet", "2026-03-03.parquet"]
        table = pq.read_table(ws.raw_dir / "github" / entity / names[1])
        assert table.schema.equals(schema)
    for row in landed(ws, "issues"):  # bucketed by updated_at
        day = ws.raw_dir / "github" / "issues" / f"{row['updated_at'].date()}.parquet"
        assert row["item_id"] in pq.read_table(day).column("item_id").to_pylist()


def test_running_the_same_window_twice_leaves_identical_files(fake, served, tmp_path, token):
    ws = make_workspace(tmp_path, repos=[REPO])
    first = ingest(ws, WHOLE, client=live_client(fake), now=NOW)
    files = landed_files(ws)
    second = ingest(ws, WHOLE, client=live_client(fake), now=NOW)
    assert first == second
    assert landed_files(ws) == files


def test_rerun_after_data_changed_replaces_the_window(fake, served, tmp_path, token):
    ws = make_workspace(tmp_path, repos=[REPO])
    ingest(ws, WHOLE, client=live_client(fake), now=NOW)
    count = len(landed(ws, "issues"))
    target = served.issues[5]
    target["title"] = "Changed title"
    served.issue_comments.pop()  # deleted upstream: must vanish from the re-run window
    ingest(ws, WHOLE, client=live_client(fake), now=NOW)
    rows = landed(ws, "issues")
    assert len(rows) == count
    assert {r["number"]: r["title"] for r in rows}[target["number"]] == "Changed title"
    assert {r["comment_id"] for r in landed(ws, "comments")} == all_keys(REPO, served)["comments"]


def test_replay_layout_lands_exactly_what_live_lands(fake, served, tmp_path, token):
    live_ws = make_workspace(tmp_path / "live", repos=[REPO])
    ingest(live_ws, WHOLE, client=live_client(fake), now=NOW)
    write_replay(tmp_path / "ws" / "replay", REPO, served)
    replay_ws = make_workspace(tmp_path / "ws", repos=[REPO], mode="replay", replay_dir="replay")
    ingest(replay_ws, WHOLE, now=NOW)  # the client comes from silo.yml (mode: replay)
    assert landed_files(replay_ws) == landed_files(live_ws)


def test_replay_tolerates_missing_optional_files(tmp_path):
    data = make_repo(REPO, START, days=1, items_per_day=6)
    write_replay(tmp_path / "ws" / "replay", REPO, data)
    for name in ("pulls.json", "review_comments.json", "events.json"):
        (tmp_path / "ws" / "replay" / REPO / name).unlink()
    for folder in ("reviews", "timeline"):
        for path in (tmp_path / "ws" / "replay" / REPO / folder).iterdir():
            path.unlink()
    ws = make_workspace(tmp_path / "ws", repos=[REPO], mode="replay", replay_dir="replay")
    counts = ingest(ws, Window.for_days(START.date(), START.date()))
    assert counts["issues"] == 6 and counts["events"] == 0


def test_replay_of_an_unknown_repository_fails_naming_the_folder(tmp_path):
    (tmp_path / "ws" / "replay").mkdir(parents=True)
    ws = make_workspace(tmp_path / "ws", repos=["acme/nope"], mode="replay", replay_dir="replay")
    with pytest.raises(GitHubNotFoundError, match="acme/nope"):
        ingest(ws, WHOLE, client=ReplayGitHubClient(tmp_path / "ws" / "replay"))


def test_bad_payloads_are_quarantined_and_the_rest_lands(fake, served, tmp_path, token):
    good_comments = len(all_keys(REPO, served)["comments"])
    served.issue_comments.append(
        {
            "id": 42,
            "body": "orphan",
            "created_at": "2026-03-02T10:00:00Z",
            "updated_at": "2026-03-02T10:00:00Z",
        }
    )  # no issue URL at all
    served.events.append({"id": 43, "event": "labeled", "created_at": "2026-03-02T10:00:00Z"})
    ws = make_workspace(tmp_path, repos=[REPO])
    counts = ingest(ws, WHOLE, client=live_client(fake), now=NOW)
    bad = pq.read_table(ws.raw_dir / "github" / "quarantine" / "2026-03-01_2026-03-03.parquet")
    reasons = bad.column("reason").to_pylist()
    assert len(reasons) == 2
    assert any("no issue number" in r for r in reasons)
    assert any("labeled" in r and "number" in r for r in reasons)
    assert all("/repos/acme/web/" in loc for loc in bad.column("location").to_pylist())
    assert json.loads(bad.column("payload").to_pylist()[0])["id"] in (42, 43)
    assert counts["comments"] == good_comments
