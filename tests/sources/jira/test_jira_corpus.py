"""Real Jira payloads (../shared/corpus/jira) served by the fake, through the live client.

Traps these payloads carry: search totals far larger than the page (Apache, 4918 for 10),
changelog totals larger than the histories the server returns (Indeed: 7 for 5), a history
with no author and Server-style users on a Cloud site (go-jira), Server users with name/key
and no accountId (all but go-jira), comment pages whose totals and ids disagree (Perceval).
"""

from __future__ import annotations

import copy
import json
import logging
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from jira_synthetic import landed, workspace

from pipelines.landing import Window
from pipelines.sources import jira as source
from pipelines.sources.jira import LiveJiraClient, RetryPolicy

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "jira"
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real Jira corpus not found at {CORPUS}"),
]


def load(name: str):
    return json.loads((CORPUS / name).read_text(encoding="utf-8"))


def ingest_day(tmp_path, fake, deployment, day: date, page_size=100, **kw):
    ws = workspace(tmp_path / "ws", url=fake.url, deployment=deployment, page_size=page_size, **kw)
    client = LiveJiraClient(ws.jira, retry=RetryPolicy(attempts=3, backoff=0.01))
    counts = source.ingest(ws, Window.for_days(day, day), client=client)
    return ws, counts


def no_duplicates(ws, entity, key):
    ids = [r[key] for r in landed(ws.raw_dir, entity)]
    assert max(Counter(ids).values(), default=1) == 1
    return ids


def test_apache_search_total_far_larger_than_the_page(tmp_path, fake_jira, credentials):
    page = load("apache_lucene_search_fields_all_LUCENE-1_to_10.json")
    assert page["total"] == 4918 and len(page["issues"]) == 10
    fake = fake_jira(
        page["issues"],
        deployment="Server",
        total_override=page["total"],
        projects={"LUCENE"},
        embed_comments=100,
    )
    ws, counts = ingest_day(
        tmp_path, fake, "server", date(2011, 6, 2), page_size=10, jql="project = LUCENE"
    )
    assert counts["issues"] == 10
    want_comments = sum(i["fields"]["comment"]["total"] for i in page["issues"])
    assert counts["comments"] == want_comments
    assert 2 <= fake.count("/rest/api/2/search") <= 3, "stops at the empty page, not at 4918"
    issues = {r["issue_key"]: r for r in landed(ws.raw_dir, "issues")}
    lucene1 = issues["LUCENE-1"]
    assert (
        lucene1["reporter_account"] == "cutting"
        and lucene1["reporter_email"] == "cutting@apache.org"
    )
    assert lucene1["url"] == "https://issues.apache.org/jira/browse/LUCENE-1"
    assert json.loads(lucene1["components"]) == ["core/store"]
    comments = landed(ws.raw_dir, "comments")
    assert all(c["author_account"] for c in comments)  # Server users: name, no accountId


def test_indeed_changelog_total_larger_than_histories(tmp_path, fake_jira, credentials, caplog):
    issue = load("indeed_ENGPLANS-10_issue_expand_changelog.json")
    histories = issue["changelog"]["histories"]
    assert issue["changelog"]["total"] > len(histories)
    fake = fake_jira(
        [issue], deployment="Server", issue_overrides={"ENGPLANS-10": issue}, embed_histories=2
    )
    with caplog.at_level(logging.WARNING, logger="silo.jira"):
        ws, counts = ingest_day(
            tmp_path, fake, "server", date(2010, 3, 22), jql="project = ENGPLANS"
        )
    assert fake.count("/issue/ENGPLANS-10") == 1, "one full fetch, no loop chasing the total"
    assert counts["changelog"] == sum(len(h["items"]) for h in histories)
    assert "counts 7 histories but returns 5" in caplog.text
    ids = no_duplicates(ws, "changelog", "change_id")
    assert "jira:ENGPLANS-10/history/45131/3" in ids
    row = landed(ws.raw_dir, "issues")[0]
    assert row["status_category"] == "done" and row["reporter_account"] == "j"


def test_gojira_history_without_author(tmp_path, fake_jira, credentials):
    page = load("gojira_agile_issues_in_sprint_with_changelog.json")
    fake = fake_jira(page["issues"], deployment="Cloud")
    ws, counts = ingest_day(tmp_path, fake, "cloud", date(2016, 2, 1), jql="project = AR")
    assert counts == {"issues": 1, "comments": 0, "changelog": 2}
    changes = {r["field"]: r for r in landed(ws.raw_dir, "changelog")}
    assert changes["priority"]["author_account"] is None  # no author, and no id either:
    assert changes["priority"]["history_id"].startswith("h")  # a stable content hash
    assert changes["summary"]["author_account"] == "mister.morris@uservoice.com"
    issue = landed(ws.raw_dir, "issues")[0]
    assert issue["assignee_account"] == "mister.morris" and issue["summary"] is None


def test_perceval_pages_and_field_mapping(tmp_path, fake_jira, credentials):
    issues = [
        *load("perceval_jira_issues_page_1.json")["issues"],
        *load("perceval_jira_issues_page_2.json")["issues"],
    ]
    pages = [
        load("perceval_jira_comments_issue_page_1.json"),
        load("perceval_jira_comments_issue_page_2.json"),
    ]
    issues = copy.deepcopy(issues)
    # search says HELP-6043 has 3 comments and embeds none: the client must page them
    issues[0]["fields"]["comment"] = {"comments": [], "startAt": 0, "maxResults": 0, "total": 3}
    fields = load("perceval_jira_fields.json")
    fake = fake_jira(
        issues,
        deployment="Server",
        field_list=fields,
        comment_pages={"HELP-6043": pages},
        max_page=2,
    )
    ws, counts = ingest_day(
        tmp_path, fake, "server", date(2016, 3, 3), page_size=2, jql="project = HELP"
    )
    assert counts["issues"] == 3
    assert fake.count("/issue/HELP-6043/comment") == 2
    ids = no_duplicates(ws, "comments", "comment_id")
    assert sorted(ids) == ["jira:HELP-6043/comment/10022", "jira:HELP-6043/comment/10024"]
    assert all(r["reporter_account"] for r in landed(ws.raw_dir, "issues"))
