"""The live client over real HTTP against a GitHub look-alike on 127.0.0.1: pagination,
incremental windows, and every fault the real API throws. For each fault: records landed ==
records served, no duplicates, no gaps."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

import pytest
from github_fake_server import Fault
from github_helpers import START, TOKEN, TOKEN_ENV, landed, live_client, make_workspace
from github_synthetic import all_keys, make_repo

from pipelines.landing import Window
from pipelines.sources.github import (
    GitHubAuthError,
    GitHubNotFoundError,
    GitHubUnavailableError,
    RetryPolicy,
    ingest,
)

REPO = "acme/web"
WHOLE = Window.for_days(START.date(), (START + timedelta(days=2)).date())  # the 3 fixture days


@pytest.fixture
def served(fake):
    data = make_repo(REPO, START, days=3, items_per_day=20)
    fake.repos[REPO] = data
    return data


def assert_complete(ws, data):
    """Every record of the repository landed exactly once."""
    expected = all_keys(REPO, data)
    for entity, key in (("issues", "item_id"), ("comments", "comment_id"), ("events", "event_id")):
        keys = [row[key] for row in landed(ws, entity)]
        dupes = [k for k, n in Counter(keys).items() if n > 1]
        assert not dupes, f"{entity}: duplicates {dupes[:3]}"
        if entity == "events":
            got = set(keys)
            assert expected["events"] <= got
            crossed = {
                r["item_id"] for r in landed(ws, "events") if r["event"] == "cross-referenced"
            }
            assert crossed == expected["cross_referenced_items"]
            assert len(got) == len(expected["events"]) + len(crossed)
        else:
            assert set(keys) == expected[entity], entity


def test_whole_period_lands_everything_through_many_pages(fake, served, tmp_path, token):
    ws = make_workspace(tmp_path, repos=[REPO], bots=["ci-runner"], per_page=10)
    client = live_client(fake)
    counts = ingest(ws, WHOLE, client=client)
    assert_complete(ws, served)
    assert counts["issues"] == 60
    assert fake.hits_for("/issues?") >= 6  # 60 issues at 10 a page: Link headers followed
    assert client.requests == len(fake.hits)  # every HTTP request is counted
    issues = {r["number"]: r for r in landed(ws, "issues")}
    assert issues[10]["author_is_bot"] is True  # dependabot[bot]
    assert issues[11]["author_login"] is None  # deleted account
    assert issues[3]["is_pull_request"] is False  # null-URL pull_request trap
    merged = [p["number"] for p in served.pulls if p["merged_at"]]
    assert merged and all(issues[n]["merged_by_login"] == "alice" for n in merged)
    assert all(issues[n]["merged_at"] is not None for n in merged)
    assert issues[2]["is_draft"] is True


FAULTS = [
    pytest.param(Fault("/issues?", "5xx", times=3, skip=1, status=502), id="burst-of-502"),
    pytest.param(Fault("/pulls?", "5xx", times=2, status=503), id="503-on-pulls"),
    pytest.param(Fault("/issues/comments", "drop", skip=2), id="connection-dropped-mid-page"),
    pytest.param(Fault("/issues/events", "truncate", skip=1), id="truncated-json"),
    pytest.param(Fault("/timeline", "truncate", skip=5, times=2), id="truncated-timeline"),
    pytest.param(Fault("/pulls/comments", "rate_429", reset_in=1), id="429-rate-limit"),
    pytest.param(Fault("/issues?", "rate_primary", skip=2, reset_in=1), id="403-primary"),
    pytest.param(Fault("/reviews", "rate_secondary", skip=3, reset_in=1), id="403-secondary"),
]


@pytest.mark.parametrize("fault", FAULTS)
def test_faults_are_survived_without_gap_or_duplicate(fault, fake, served, tmp_path, token):
    fake.faults.append(fault)
    ws = make_workspace(tmp_path, repos=[REPO], per_page=10)
    client = live_client(fake)
    ingest(ws, WHOLE, client=client)
    assert fault.times == 0, "the fault was never triggered"
    assert_complete(ws, served)


def test_rate_limit_waits_until_reset_and_logs_one_line(fake, served, tmp_path, token, caplog):
    fake.faults.append(Fault("/issues/events", "rate_primary", reset_in=1))
    client = live_client(fake, policy=RetryPolicy(max_wait_seconds=5))
    log = logging.getLogger("test.github")
    with caplog.at_level(logging.WARNING, logger="test.github"):
        ingest(make_workspace(tmp_path, repos=[REPO]), WHOLE, client=client, log=log)
    waits = [r.getMessage() for r in caplog.records if "rate limit" in r.getMessage()]
    assert len(waits) == 1 and "primary" in waits[0] and "waiting" in waits[0]
    assert 1.0 <= client.rate_limit_waits[0] <= 3.5  # reset is 1-2 s ahead, +1 s margin
    assert TOKEN not in caplog.text


def test_rate_limit_wait_is_capped(fake, served, tmp_path, token, caplog):
    fake.faults.append(Fault("/pulls?", "rate_429", reset_in=3600))
    client = live_client(fake, policy=RetryPolicy(max_wait_seconds=0.2))
    with caplog.at_level(logging.WARNING):
        ingest(make_workspace(tmp_path, repos=[REPO]), WHOLE, client=client)
    assert client.rate_limit_waits == [0.2]
    assert "capped from" in caplog.text


def test_daily_window_stops_paging_past_its_end(fake, served, tmp_path, token):
    """Issues come oldest first: a window on day 1 must not read the pages of days 2-3."""
    ws = make_workspace(tmp_path, repos=[REPO], per_page=5, overlap_minutes=0)
    client = live_client(fake, per_page=5)
    day1 = Window.for_days(START.date(), START.date())
    counts = ingest(ws, day1, client=client)
    in_day1 = sum(WHOLE.start <= _ts(i["updated_at"]) < day1.end for i in served.issues)
    assert counts["issues"] == in_day1
    assert fake.hits_for("/issues?") == in_day1 // 5 + 1  # the page that crosses the end


def test_consecutive_daily_windows_leave_no_gap(fake, served, tmp_path, token):
    ws = make_workspace(tmp_path, repos=[REPO], per_page=10)
    for day in WHOLE.days():  # daily runs, with the default 60-minute overlap
        ingest(ws, Window.for_days(day, day), client=live_client(fake))
    expected = all_keys(REPO, served)
    assert {r["item_id"] for r in landed(ws, "issues")} == expected["issues"]
    assert {r["comment_id"] for r in landed(ws, "comments")} == expected["comments"]
    assert expected["events"] <= {r["event_id"] for r in landed(ws, "events")}


def test_org_repositories_are_discovered(fake, tmp_path, token):
    fake.repos["acme/api"] = make_repo("acme/api", START, days=1, items_per_day=4, seed=1)
    fake.repos["acme/ops"] = make_repo("acme/ops", START, days=1, items_per_day=3, seed=2)
    fake.orgs["acme"] = ["acme/api", "acme/ops"]
    ws = make_workspace(tmp_path, orgs=["acme"], repos=["acme/api"])
    ingest(ws, Window.for_days(START.date(), START.date()), client=live_client(fake))
    assert Counter(r["repo"] for r in landed(ws, "issues")) == {"acme/api": 4, "acme/ops": 3}


def test_anonymous_client_works_without_a_token(fake, served, tmp_path, monkeypatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    ws = make_workspace(tmp_path, repos=[REPO], base_url=fake.base_url, per_page=100)
    from pipelines.sources.github import LiveGitHubClient

    client = LiveGitHubClient.from_config(ws.github, seconds_between_requests=None)
    assert ingest(ws, WHOLE, client=client)["issues"] == 60


@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        (Fault("/issues?", "401"), GitHubAuthError, ["401", TOKEN_ENV]),
        (Fault("/issues?", "403"), GitHubAuthError, ["403", TOKEN_ENV, "acme/web"]),
        (Fault("/issues/events", "404"), GitHubNotFoundError, ["404", "acme/web", TOKEN_ENV]),
    ],
)
def test_fatal_answers_fail_fast_with_an_actionable_message(
    fault, error, words, fake, served, tmp_path, token
):
    fake.faults.append(fault)
    ws = make_workspace(tmp_path, repos=[REPO])
    client = live_client(fake)
    with pytest.raises(error) as caught:
        ingest(ws, WHOLE, client=client)
    for word in words:
        assert word in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert fake.hits_for(fault.match) == 1  # no retry on a fatal answer
    assert not (ws.raw_dir / "github").exists()  # nothing landed for the window


def test_unknown_repository_names_it(fake, tmp_path, token):
    ws = make_workspace(tmp_path, repos=["acme/missing"])
    with pytest.raises(GitHubNotFoundError, match="acme/missing"):
        ingest(ws, WHOLE, client=live_client(fake))


def test_crash_mid_window_keeps_the_previous_files_and_a_rerun_completes(
    fake, served, tmp_path, token
):
    ws = make_workspace(tmp_path, repos=[REPO], per_page=10)
    ingest(ws, WHOLE, client=live_client(fake))
    before = {r["item_id"]: r["title"] for r in landed(ws, "issues")}
    served.issues[0]["title"] = "Renamed"
    fake.faults.append(Fault("/timeline", "5xx", times=50, skip=10))  # outlasts the retries
    with pytest.raises(GitHubUnavailableError, match="failed 6 times"):
        ingest(ws, WHOLE, client=live_client(fake))
    assert {r["item_id"]: r["title"] for r in landed(ws, "issues")} == before
    fake.faults.clear()
    ingest(ws, WHOLE, client=live_client(fake))
    titles = {r["number"]: r["title"] for r in landed(ws, "issues")}
    assert titles[served.issues[0]["number"]] == "Renamed"
    assert_complete(ws, served)


def _ts(text):
    from pipelines.sources.github.parse import parse_ts

    return parse_ts(text)
