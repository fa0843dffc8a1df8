"""The live client over real HTTP against a fake Jira Cloud and Server on 127.0.0.1.

Each test: GIVEN a fake holding complete issues (and maybe a fault), WHEN `ingest` runs for
one day, THEN every issue, comment and history lands exactly once, or the run fails with an
actionable message.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

import pytest
from jira_synthetic import DAY, FIELDS, expected_ids, landed, make_issues, workspace

from pipelines.landing import Window
from pipelines.sources import jira as source
from pipelines.sources.jira import JiraSourceError, LiveJiraClient, RetryPolicy

WINDOW = Window.for_days(DAY.date(), DAY.date())
DEPLOYMENTS = [("cloud", "Cloud"), ("server", "Server")]


def fast_retry(waits: list[float] | None = None) -> RetryPolicy:
    """Real sleeps but tiny backoff; server-asked waits (Retry-After) are honoured as is."""
    import time

    def sleep(seconds: float) -> None:
        if waits is not None:
            waits.append(seconds)
        time.sleep(seconds)

    return RetryPolicy(attempts=5, backoff=0.01, backoff_cap=0.05, wait_cap=5, sleep=sleep)


def run(tmp_path, fake, deployment, *, retry=None, page_size=7, jql="project = ABC", log=None):
    ws = workspace(
        tmp_path / "ws", url=fake.url, deployment=deployment, page_size=page_size, jql=jql
    )
    client = LiveJiraClient(ws.jira, retry=retry or fast_retry(), log=log)
    return ws, source.ingest(ws, WINDOW, client=client, log=log)


def assert_complete(ws, issues):
    """Landed ids == served ids, each exactly once."""
    want = expected_ids(issues)
    key = {"issues": "item_id", "comments": "comment_id", "changelog": "change_id"}
    for entity, ids in want.items():
        rows = [r[key[entity]] for r in landed(ws.raw_dir, entity)]
        dupes = [i for i, n in Counter(rows).items() if n > 1]
        assert not dupes, f"{entity}: duplicates {dupes[:5]}"
        assert set(rows) == ids, f"{entity}: missing {sorted(ids - set(rows))[:5]}"


@pytest.mark.parametrize("deployment,reported", DEPLOYMENTS)
def test_window_lands_every_record_once(tmp_path, fake_jira, credentials, deployment, reported):
    issues = make_issues(40, DAY, cloud=deployment == "cloud")
    fake = fake_jira(issues, deployment=reported, field_list=FIELDS, max_page=5)
    ws, counts = run(tmp_path, fake, deployment)
    assert counts["issues"] == 40
    assert_complete(ws, issues)
    if deployment == "cloud":
        assert fake.count("/rest/api/2/search/jql") >= 8
        assert fake.count("/rest/api/2/search") == fake.count("/rest/api/2/search/jql")
        assert fake.count("/changelog") > 0  # embedded changelogs were truncated
    else:
        assert fake.count("/rest/api/2/search/jql") == 0
        assert fake.count("/changelog") == 0  # Server: GET issue?expand=changelog instead
    assert fake.count("/comment") > 0


@pytest.mark.parametrize("deployment,reported", DEPLOYMENTS)
@pytest.mark.parametrize(
    "path,kind,times",
    [
        ("/search", "429", 1),
        ("/search", "502", 3),
        ("/comment", "503", 2),
        ("/search", "drop", 1),
        ("/comment", "drop", 1),
        ("/search", "truncate", 1),
        ("/field", "502", 2),
        ("/serverInfo", "drop", 1),
    ],
)
def test_transient_faults_lose_nothing(
    tmp_path, fake_jira, credentials, caplog, deployment, reported, path, kind, times
):
    issues = make_issues(25, DAY, cloud=deployment == "cloud")
    fake = fake_jira(issues, deployment=reported, field_list=FIELDS)
    fake.fail(path, kind, times)
    waits: list[float] = []
    with caplog.at_level(logging.WARNING, logger="silo.jira"):
        ws, counts = run(tmp_path, fake, deployment, retry=fast_retry(waits))
    assert counts["issues"] == 25
    assert_complete(ws, issues)
    assert len(waits) == times, "each fault is retried once, then the request succeeds"
    if kind == "429":
        assert waits == [1.0]  # the server's Retry-After, not a guess
        assert "waiting 1.0 s (Retry-After" in caplog.text


def test_rate_limit_reset_header_is_used_without_retry_after():
    from datetime import UTC, datetime

    from pipelines.sources.jira.client import wait_hint

    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert wait_hint({"X-RateLimit-Reset": "2026-03-02T10:00:30Z"}, now) == 30
    assert wait_hint({"Retry-After": "7"}, now) == 7
    assert wait_hint({"Retry-After": "Mon, 02 Mar 2026 10:01:00 GMT"}, now) == 60
    assert wait_hint({}, now) is None


def test_retries_are_bounded(tmp_path, fake_jira, credentials):
    fake = fake_jira(make_issues(3, DAY), field_list=FIELDS)
    fake.fail("/search/jql", "502", 50)
    with pytest.raises(source.JiraUnavailable, match="still failing after 5 attempts"):
        run(tmp_path, fake, "cloud")
    assert fake.count("/search/jql") == 5


def test_wrong_credentials_fail_fast_naming_the_variables(tmp_path, fake_jira, monkeypatch):
    fake = fake_jira(make_issues(3, DAY), field_list=FIELDS)
    monkeypatch.setenv("TEST_JIRA_EMAIL", "robot@acme.example")
    monkeypatch.setenv("TEST_JIRA_TOKEN", "wrong-token")
    with pytest.raises(JiraSourceError) as err:
        run(tmp_path, fake, "cloud")
    message = str(err.value)
    assert "HTTP 401" in message and "TEST_JIRA_EMAIL" in message and "TEST_JIRA_TOKEN" in message
    assert "wrong-token" not in message
    assert fake.count("/myself") == 1  # no retry on 401


def test_missing_token_is_reported_before_any_request(tmp_path, fake_jira, monkeypatch):
    fake = fake_jira(make_issues(1, DAY), deployment="Server")
    monkeypatch.delenv("TEST_JIRA_TOKEN", raising=False)
    ws = workspace(tmp_path / "ws", url=fake.url, deployment="server")
    with pytest.raises(JiraSourceError, match="TEST_JIRA_TOKEN .personal access token"):
        LiveJiraClient(ws.jira)
    assert fake.requests == []


def test_unknown_project_names_the_jql(tmp_path, fake_jira, credentials):
    fake = fake_jira(make_issues(3, DAY), field_list=FIELDS)
    with pytest.raises(JiraSourceError, match=r"HTTP 400.*project = NOPE.*does not exist"):
        run(tmp_path, fake, "cloud", jql="project = NOPE")


def test_not_found_is_fatal_and_actionable(tmp_path, fake_jira, credentials):
    issues = make_issues(5, DAY)
    fake = fake_jira(issues, field_list=FIELDS)
    fake.fail("/comment", "404", 1)
    with pytest.raises(JiraSourceError, match=r"HTTP 404.*check sources.jira.url"):
        run(tmp_path, fake, "cloud")
    assert fake.count("/comment") == 1


def test_cloud_never_calls_the_removed_search(tmp_path, fake_jira, credentials):
    fake = fake_jira(make_issues(10, DAY), field_list=FIELDS)
    run(tmp_path, fake, "cloud", page_size=3)
    assert [p for p, _ in fake.requests if p.endswith("/rest/api/2/search")] == []


def test_410_gone_says_to_use_cloud(tmp_path, fake_jira, credentials):
    fake = fake_jira(make_issues(3, DAY, cloud=False), deployment="Server", field_list=FIELDS)
    fake.fail("/rest/api/2/search", "410", 1)
    with pytest.raises(JiraSourceError, match="410 Gone.*deployment: cloud"):
        run(tmp_path, fake, "server")


def test_deployment_mismatch_is_explained(tmp_path, fake_jira, credentials):
    fake = fake_jira(make_issues(3, DAY), deployment="Cloud", field_list=FIELDS)
    with pytest.raises(JiraSourceError, match="reports deploymentType 'Cloud'.*deployment: server"):
        run(tmp_path, fake, "server")


def test_server_paging_survives_issues_updated_during_the_run(tmp_path, fake_jira, credentials):
    """An issue read on page 1 is edited mid-run: it leaves the window. A plain offset would
    then skip the issue that moved up into its place; re-anchored paging does not."""
    issues = make_issues(30, DAY, cloud=False)
    fake = fake_jira(issues, deployment="Server", field_list=FIELDS)

    def edit_after_first_page(jira, served):
        if jira.searches == 1:
            jira.touch("ABC-2", DAY + timedelta(days=1, hours=2))

    fake.after_search = edit_after_first_page
    ws, _ = run(tmp_path, fake, "server", page_size=5)
    assert_complete(ws, issues)


def test_crash_mid_window_keeps_old_files_and_rerun_completes(tmp_path, fake_jira, credentials):
    issues = make_issues(20, DAY)
    fake = fake_jira(issues, field_list=FIELDS)
    ws, _ = run(tmp_path, fake, "cloud")
    before = {p: p.read_bytes() for p in (ws.raw_dir / "jira").rglob("*.parquet")}

    class Crash(Exception):
        pass

    class CrashingClient(LiveJiraClient):
        def issues(self, window, fields):
            for n, raw in enumerate(super().issues(window, fields)):
                if n == 8:
                    raise Crash("killed mid-window")
                yield raw

    client = CrashingClient(ws.jira, retry=fast_retry())
    with pytest.raises(Crash):
        source.ingest(ws, WINDOW, client=client)
    after = {p: p.read_bytes() for p in (ws.raw_dir / "jira").rglob("*.parquet")}
    assert after == before, "a crashed run must not touch the landed files"
    source.ingest(ws, WINDOW, client=LiveJiraClient(ws.jira, retry=fast_retry()))
    assert_complete(ws, issues)


def test_request_count_is_the_minimum_the_page_sizes_allow(tmp_path, fake_jira, credentials):
    """Cloud, 40 issues, page size 7: 6 search pages; per issue one comment page when
    search embedded fewer than all comments, one changelog page likewise; 4 fixed calls."""
    issues = make_issues(40, DAY)
    fake = fake_jira(issues, field_list=FIELDS, embed_comments=2, embed_histories=2)
    run(tmp_path, fake, "cloud", page_size=7)
    truncated_c = sum(1 for i in issues if len(i["fields"]["comment"]["comments"]) > 2)
    truncated_h = sum(1 for i in issues if len(i["changelog"]["histories"]) > 2)
    assert fake.count("/search/jql") == 6
    assert fake.count("/comment") == truncated_c
    assert fake.count("/changelog") == truncated_h
    fixed = len(fake.requests) - 6 - truncated_c - truncated_h
    assert fixed == 4  # serverInfo, myself, field (ours) and field (the library's cache)
