"""Real GitHub payloads (PyGithub's recorded exchanges, 2012-2023) served from 127.0.0.1
through the live client and the parsers: every trap of the corpus is handled."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from github_fake_server import RepoData
from github_helpers import live_client

from pipelines.config import GitHubConfig
from pipelines.landing import Window
from pipelines.sources.github import fetch_window

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"
RESPONSES = CORPUS / "github" / "pygithub_replay_responses.json"
REPO = "PyGithub/PyGithub"
BASE = f"https://api.github.com/repos/{REPO}"

pytestmark = pytest.mark.corpus


def _corpus_repo() -> RepoData:
    """Gather the recorded payloads into the lists the endpoints would serve."""
    if not RESPONSES.is_file():
        pytest.skip(f"real GitHub corpus absent: {RESPONSES} (see /work/shared/corpus/README.md)")
    data = RepoData()
    issues: dict[int, dict] = {}
    lists: dict[str, dict] = {
        "issue_comments": {},
        "review_comments": {},
        "pulls": {},
        "events": {},
    }
    for exchange in json.loads(RESPONSES.read_text(encoding="utf-8")):
        url, body = exchange["url"], exchange["body"]
        if exchange["method"] != "GET" or exchange["status"] != 200 or not url.startswith(BASE):
            continue
        path = url[len(BASE) :].split("?")[0]
        items = body if isinstance(body, list) else []
        if path == "/issues":
            issues.update({i["number"]: i for i in items})
        elif re.fullmatch(r"/issues/\d+", path):
            issues[body["number"]] = body
        elif re.fullmatch(r"/issues/events/\d+", path) and "issue" in body:
            issues.setdefault(body["issue"]["number"], body["issue"])
            lists["events"][body["id"]] = body
        elif path == "/issues/events":
            lists["events"].update({e["id"]: e for e in items})
        elif path == "/issues/comments":
            lists["issue_comments"].update({c["id"]: c for c in items})
        elif path == "/pulls/comments":
            lists["review_comments"].update({c["id"]: c for c in items})
        elif path == "/pulls":
            lists["pulls"].update({p["id"]: p for p in items})
        elif m := re.fullmatch(r"/pulls/(\d+)/reviews", path):
            data.reviews[int(m.group(1))] = items
        elif m := re.fullmatch(r"/issues/(\d+)/timeline", path):
            data.timelines[int(m.group(1))] = items
    data.issues = list(issues.values())
    data.issue_comments = list(lists["issue_comments"].values())
    data.review_comments = list(lists["review_comments"].values())
    data.pulls = list(lists["pulls"].values())
    data.events = list(lists["events"].values())
    return data


@pytest.fixture(scope="module")
def corpus_repo():
    return _corpus_repo()


@pytest.fixture
def fetched(fake, corpus_repo):
    fake.repos[REPO] = corpus_repo
    cfg = GitHubConfig(mode="live", repos=(REPO,), per_page=7)
    window = Window(datetime(2010, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
    client = live_client(fake, per_page=7)
    return fetch_window(client, cfg, window, now=datetime(2026, 3, 1, tzinfo=UTC)), corpus_repo


def test_every_served_payload_lands_or_is_quarantined_with_a_reason(fetched):
    data, repo = fetched
    reviews = [r for n, rs in repo.reviews.items() for r in rs if r.get("submitted_at")]
    served_prs = {i["number"] for i in repo.issues if (i.get("pull_request") or {}).get("url")}
    reviews_of_served = [
        r for n in served_prs for r in repo.reviews.get(n, []) if r.get("submitted_at")
    ]
    assert len(data.records["issues"]) == len(repo.issues)
    assert len(data.records["comments"]) == (
        len(repo.issue_comments) + len(repo.review_comments) + len(reviews_of_served)
    )
    assert reviews and reviews_of_served  # PR 538's reviews are reachable
    assert data.quarantine.rows == []


def test_old_issues_with_null_pull_request_urls_are_issues_not_prs(fetched):
    data, repo = fetched
    trap = [
        i["number"]
        for i in repo.issues
        if isinstance(i.get("pull_request"), dict) and not i["pull_request"].get("html_url")
    ]
    assert len(trap) >= 10
    issues = data.records["issues"]
    assert all(issues[f"github:{REPO}#{n}"]["is_pull_request"] is False for n in trap)
    assert issues[f"github:{REPO}#538"]["is_pull_request"] is True


def test_timeline_items_without_id_become_stable_cross_reference_events(fetched):
    data, repo = fetched
    events = data.records["events"]
    crossed = [e for e in events.values() if e["event"] == "cross-referenced"]
    timeline_28 = [i for i in repo.timelines[28] if i.get("event") == "cross-referenced"]
    assert len(crossed) == len(timeline_28) == 1  # item 28 is served; 31 is not in any issue list
    assert re.fullmatch(rf"github:{REPO}#28/event/h[0-9a-f]{{20}}", crossed[0]["event_id"])
    assert crossed[0]["source_item_id"].startswith("github:")
    kinds = {e["event"] for e in events.values()}
    assert {"closed", "labeled", "merged", "subscribed"} <= kinds
    assert not kinds & {"commented", "committed", "reviewed", "line-commented"}


def test_2012_comments_carrying_the_issue_id_map_to_the_issue_number(fetched):
    data, repo = fetched
    numbers = {i["number"] for i in repo.issues}
    ids = {i["id"]: i["number"] for i in repo.issues}
    mapped = [c for c in repo.issue_comments if int(c["issue_url"].rsplit("/", 1)[1]) in ids]
    assert mapped, "the corpus no longer has id-style issue_url comments"
    for comment in mapped:
        record = next(
            r
            for r in data.records["comments"].values()
            if r["comment_id"].endswith(f"/issue_comment/{comment['id']}")
        )
        assert record["number"] in numbers
