"""The replay's indexes (state kept between runs): the same answers as reading the files,
and a later run that finds the files unchanged does not parse them again."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

from pipelines.sources.github.client import ReplayGitHubClient

REPO = "acme/app"
START = datetime(2026, 3, 1, tzinfo=UTC)


def _at(rng: random.Random) -> str | None:
    if rng.random() < 0.05:
        return None  # no time: first in time order, as the plain client sorts it
    return (START + timedelta(hours=rng.randrange(0, 24 * 20))).strftime("%Y-%m-%dT%H:%M:%SZ")


def _replay(tmp_path, seed: int = 3):
    rng = random.Random(seed)
    folder = tmp_path / "replay" / REPO
    folder.mkdir(parents=True)
    for name, key in (
        ("issues.json", "updated_at"),
        ("issue_comments.json", "updated_at"),
        ("review_comments.json", "updated_at"),
        ("pulls.json", "updated_at"),
        ("events.json", "created_at"),
    ):
        items = [{"id": n, "number": n, key: _at(rng), "body": f"é {n}"} for n in range(300)]
        (folder / name).write_text(json.dumps(items), encoding="utf-8")
    return tmp_path / "replay"


def _answers(client: ReplayGitHubClient, since: datetime) -> dict[str, list]:
    return {
        "issues": [i["id"] for i in client.issues(REPO, since)],
        "issue_comments": [i["id"] for i in client.issue_comments(REPO, since)],
        "review_comments": [i["id"] for i in client.review_comments(REPO, since)],
        "pulls": [i["id"] for i in client.pulls(REPO)],
        "events": [i["id"] for i in client.issue_events(REPO)],
    }


class _Counting(ReplayGitHubClient):
    parsed = 0  # replay files read whole, to answer or to index

    def _load(self, repo, name):
        _Counting.parsed += 1
        return super()._load(repo, name)

    @staticmethod
    def _items_with_spans(path):
        _Counting.parsed += 1
        return ReplayGitHubClient._items_with_spans(path)


def test_indexed_answers_are_the_files_answers_and_later_runs_parse_nothing(tmp_path):
    replay = _replay(tmp_path)
    index = tmp_path / "state" / "index"
    for since in (START - timedelta(days=1), START + timedelta(days=7), START + timedelta(days=30)):
        plain = _answers(ReplayGitHubClient(replay), since)
        assert _answers(_Counting(replay, index), since) == plain
    assert _Counting.parsed == 5  # each file indexed once, by the first run
    assert len(plain["pulls"]) == 300 and plain["issues"] == []


def test_a_replay_file_rewritten_is_indexed_again(tmp_path):
    replay = _replay(tmp_path)
    index = tmp_path / "state" / "index"
    since = START + timedelta(days=10)
    _answers(ReplayGitHubClient(replay, index), since)
    path = replay / REPO / "issues.json"
    items = json.loads(path.read_text(encoding="utf-8"))
    items.append({"id": 999, "number": 999, "updated_at": "2026-04-01T00:00:00Z"})
    path.write_text(json.dumps(items), encoding="utf-8")
    indexed = [i["id"] for i in ReplayGitHubClient(replay, index).issues(REPO, since)]
    assert indexed[-1] == 999
    assert indexed == [i["id"] for i in ReplayGitHubClient(replay).issues(REPO, since)]
