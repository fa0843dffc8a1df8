"""Pure parsers: payload dicts in, contract records out."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipelines.sources.github.parse import (
    ENTITIES,
    ParseContext,
    ParseError,
    is_bot,
    is_pull_request,
    parse_event,
    parse_issue,
    parse_issue_comment,
    parse_review,
    parse_review_comment,
    parse_timeline_item,
    parse_ts,
)

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
CTX = ParseContext.build("acme/web", ["Release-Robot"], NOW)
ALICE = {"login": "alice", "id": 1, "type": "User"}


def issue(**over):
    base = {
        "id": 99,
        "number": 12,
        "title": "Crash",
        "body": "b",
        "state": "open",
        "user": ALICE,
        "labels": [{"name": "bug"}],
        "assignees": [ALICE],
        "milestone": {"title": "v2"},
        "html_url": "https://github.com/acme/web/issues/12",
        "created_at": "2026-03-01T10:00:00Z",
        "updated_at": "2026-03-02T11:00:00Z",
        "closed_at": None,
    }
    return {**base, **over}


def test_old_plain_issue_with_null_pull_request_urls_is_not_a_pr():
    old = issue(pull_request={"html_url": None, "diff_url": None, "patch_url": None})
    assert not is_pull_request(old)
    record = parse_issue(old, CTX)
    assert record["is_pull_request"] is False
    assert record["is_draft"] is False and record["merged_at"] is None


def test_pr_takes_merged_at_draft_and_merger_from_its_pull_payload():
    pr = issue(pull_request={"url": "https://api.github.com/repos/acme/web/pulls/12"})
    pull = {
        "number": 12,
        "draft": True,
        "merged_at": "2026-03-02T09:00:00Z",
        "merged_by": {"login": "bob"},
    }
    record = parse_issue(pr, CTX, pull)
    assert record["is_pull_request"] is True
    assert record["is_draft"] is True
    assert record["merged_at"] == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert record["merged_by_login"] == "bob"
    assert (
        parse_issue(pr, CTX, {"merged_at": None}, merged_by="carol")["merged_by_login"] == "carol"
    )


def test_issue_record_matches_the_contract_columns_and_json_lists():
    record = parse_issue(issue(), CTX)
    assert list(record) == ENTITIES["issues"].names
    assert record["item_id"] == "github:acme/web#12"
    assert json.loads(record["labels"]) == ["bug"] and json.loads(record["assignees"]) == ["alice"]
    assert record["milestone"] == "v2" and record["ingested_at"] == NOW


def test_old_single_assignee_string_labels_and_deleted_author():
    record = parse_issue(
        issue(assignees=None, assignee={"login": "bob"}, labels=["v1"], user=None), CTX
    )
    assert json.loads(record["assignees"]) == ["bob"]
    assert json.loads(record["labels"]) == ["v1"]
    assert record["author_login"] is None and record["author_is_bot"] is False


def test_issue_without_updated_at_or_number_is_a_parse_error():
    with pytest.raises(ParseError, match="updated_at"):
        parse_issue(issue(updated_at=None), CTX)
    with pytest.raises(ParseError, match="number"):
        parse_issue(issue(number=None), CTX)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ({"login": "dependabot[bot]", "type": "Bot"}, True),
        ({"login": "renovate[bot]"}, True),
        ({"login": "mergify", "type": "Bot"}, True),
        ({"login": "release-robot", "type": "User"}, True),  # listed in silo.yml bots
        ({"login": "alice", "type": "User"}, False),
        ({"login": "ghost", "type": "User"}, False),
        (None, False),
    ],
)
def test_bots(user, expected):
    assert is_bot(user, CTX.bots) is expected


def test_issue_comment_number_from_html_url_and_old_issue_id_url():
    modern = {
        "id": 5,
        "user": ALICE,
        "body": "hi",
        "issue_url": "https://x/repos/acme/web/issues/12",
        "html_url": "https://github.com/acme/web/issues/12#issuecomment-5",
        "created_at": "2026-03-02T10:00:00Z",
        "updated_at": "2026-03-02T10:05:00Z",
    }
    record = parse_issue_comment(modern, CTX)
    assert record["comment_id"] == "github:acme/web#12/issue_comment/5"
    assert record["kind"] == "issue_comment" and record["number"] == 12
    # 2012 payloads: no html_url, issue_url ends with the issue *id*
    old = {k: v for k, v in modern.items() if k != "html_url"}
    old["issue_url"] = "https://api.github.com/repos/acme/web/issues/4141750"
    assert parse_issue_comment(old, CTX, {4141750: 7})["number"] == 7


def test_review_comment_number_from_pull_request_url_or_links():
    payload = {
        "id": 8,
        "user": ALICE,
        "body": "nit",
        "created_at": "2026-03-02T10:00:00Z",
        "updated_at": "2026-03-02T10:00:00Z",
        "_links": {"pull_request": {"href": "https://api.github.com/repos/acme/web/pulls/31"}},
    }
    record = parse_review_comment(payload, CTX)
    assert record["comment_id"] == "github:acme/web#31/review_comment/8"


def test_review_uses_submitted_at_and_state_and_pending_review_is_an_error():
    review = {
        "id": 3,
        "user": ALICE,
        "body": "",
        "state": "APPROVED",
        "submitted_at": "2026-03-02T12:00:00Z",
    }
    record = parse_review(review, CTX, 31)
    assert record["kind"] == "review" and record["review_state"] == "APPROVED"
    assert record["created_at"] == record["updated_at"] == datetime(2026, 3, 2, 12, tzinfo=UTC)
    with pytest.raises(ParseError, match="submitted_at"):
        parse_review({"id": 4, "state": "PENDING", "user": ALICE}, CTX, 31)


def test_repo_wide_event_takes_number_from_its_issue_and_keeps_state_reason():
    event = {
        "id": 77,
        "event": "closed",
        "actor": {"login": "bob"},
        "state_reason": "not_planned",
        "created_at": "2026-03-02T08:00:00Z",
        "issue": {"number": 12},
    }
    record = parse_event(event, CTX)
    assert record["event_id"] == "github:acme/web#12/event/77"
    assert record["state_reason"] == "not_planned" and record["actor_login"] == "bob"


def test_labeled_and_milestoned_events():
    at = "2026-03-02T08:00:00Z"
    labeled = {"id": 1, "event": "labeled", "label": {"name": "client"}, "created_at": at}
    milestoned = {"id": 2, "event": "milestoned", "milestone": {"title": "Q2"}, "created_at": at}
    assert parse_event(labeled, CTX, 12)["label"] == "client"
    assert parse_event(milestoned, CTX, 12)["milestone"] == "Q2"


CROSS = {
    "event": "cross-referenced",
    "created_at": "2018-02-03T18:09:23Z",
    "actor": {"login": "byohay", "type": "User"},
    "source": {
        "type": "issue",
        "issue": {
            "number": 701,
            "url": "https://api.github.com/repos/other/lib/issues/701",
            "repository": {"full_name": "other/lib"},
        },
    },
}


def test_timeline_cross_reference_without_id_gets_a_stable_hash_and_its_source():
    first = parse_timeline_item(CROSS, CTX, 31)
    again = parse_timeline_item(json.loads(json.dumps(CROSS)), CTX, 31)
    assert first["event_id"] == again["event_id"]
    assert first["event_id"].startswith("github:acme/web#31/event/h")
    assert first["source_item_id"] == "github:other/lib#701"
    other = dict(CROSS, created_at="2018-02-04T00:00:00Z")
    assert parse_timeline_item(other, CTX, 31)["event_id"] != first["event_id"]


def test_cross_reference_source_repo_from_its_url_when_repository_is_absent():
    source_issue = {"number": 5, "repository_url": "https://api.github.com/repos/x/y"}
    event = dict(CROSS, source={"type": "issue", "issue": source_issue})
    assert parse_timeline_item(event, CTX, 31)["source_item_id"] == "github:x/y#5"


def test_timeline_comments_reviews_and_commits_are_not_events():
    for kind in ("commented", "reviewed", "committed", "line-commented"):
        assert parse_timeline_item({"event": kind}, CTX, 31) is None


def test_event_without_created_at_or_type_is_a_parse_error():
    with pytest.raises(ParseError, match="created_at"):
        parse_timeline_item({"event": "labeled", "id": 1}, CTX, 31)
    with pytest.raises(ParseError, match="event type"):
        parse_event({"id": 1, "created_at": "2026-03-02T08:00:00Z"}, CTX, 31)


def test_timestamps_are_utc_whatever_the_offset():
    assert parse_ts("2026-03-02T10:00:00+02:00") == datetime(2026, 3, 2, 8, tzinfo=UTC)
    assert parse_ts(None) is None
    with pytest.raises(ParseError):
        parse_ts("yesterday")
