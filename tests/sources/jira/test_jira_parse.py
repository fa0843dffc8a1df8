"""Pure functions of the Jira source: parsers, field mapping, JQL, record collection."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from jira_synthetic import DAY, FIELDS, make_issues

from pipelines.landing import Quarantine, Window
from pipelines.sources.jira import JiraSourceError, build_jql, collect, parse

NOW = datetime(2026, 3, 5, tzinfo=UTC)
FMAP, _ = parse.resolve_fields(
    {
        "team": "team",
        "story_points": "Story Points",
        "sprint": "customfield_10020",
        "owners": ["Product Owner", "Tech Lead"],
    },
    FIELDS,
)


def test_fields_resolve_by_name_case_insensitively_or_by_id():
    assert FMAP.team == "customfield_10001"
    assert FMAP.story_points == "customfield_10016"
    assert FMAP.sprint == "customfield_10020"
    assert FMAP.owners == (("Product Owner", "customfield_10100"), ("Tech Lead", None))


def test_unknown_and_ambiguous_field_names_warn():
    fields = [*FIELDS, {"id": "customfield_20000", "name": "Team"}]
    fmap, warnings = parse.resolve_fields({"team": "Team", "sprint": "Sprints"}, fields)
    assert fmap.team == "customfield_10001" and fmap.sprint is None
    assert any("2 fields named 'Team'" in w for w in warnings)
    assert any("no field named 'Sprints'" in w for w in warnings)


def test_unknown_field_key_is_an_error():
    with pytest.raises(parse.ParseError, match="unknown key.*'epic'"):
        parse.resolve_fields({"epic": "Epic Link"}, FIELDS)


def test_requested_fields_are_explicit_never_all():
    fields = parse.requested_fields(FMAP)
    assert "*all" not in fields and "comment" in fields and "updated" in fields
    assert fields[-4:] == [
        "customfield_10001",
        "customfield_10016",
        "customfield_10020",
        "customfield_10100",
    ]


@pytest.mark.parametrize(
    "obj,account,bot",
    [
        ({"accountId": "5b10", "accountType": "atlassian", "displayName": "Marie"}, "5b10", False),
        ({"accountId": "auto", "accountType": "app", "displayName": "Automation"}, "auto", True),
        ({"name": "jdoe", "key": "JIRAUSER1", "displayName": "J Doe"}, "jdoe", False),
        ({"key": "JIRAUSER2", "displayName": "Old"}, "JIRAUSER2", False),
        ({"name": "ci-robot", "displayName": "CI"}, "ci-robot", True),
    ],
)
def test_users_from_cloud_and_server(obj, account, bot):
    user = parse.parse_user(obj, ["CI-Robot"])
    assert (user.account, user.is_bot) == (account, bot)


def test_no_user_is_unknown_not_human():
    assert parse.parse_user(None, []) == parse.User(None, None, None, None)


def test_sprint_shapes():
    assert (
        parse.sprint_name(
            [
                {"name": "S1", "state": "closed"},
                {"name": "S2", "state": "active"},
                {"name": "S3", "state": "future"},
            ]
        )
        == "S2"
    )
    legacy = (
        "com.atlassian.greenhopper.service.sprint.Sprint@1f"
        "[id=4,rapidViewId=2,state=CLOSED,name=Sprint 7,startDate=2016]"
    )
    assert parse.sprint_name([legacy]) == "Sprint 7"
    assert parse.sprint_name(None) is None


def test_adf_bodies_become_text():
    adf = {
        "type": "doc",
        "version": 1,
        "content": [
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": "Client "},
                    {"type": "mention", "attrs": {"text": "@Marie"}},
                ],
            },
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": "line"},
                    {"type": "hardBreak"},
                    {"type": "text", "text": "two"},
                ],
            },
        ],
    }
    assert parse.text(adf) == "Client @Marie\nline\ntwo"
    assert parse.text("wiki *text*") == "wiki *text*"


def test_issue_record_maps_every_column():
    raw = make_issues(7, DAY)[6]  # ABC-7: reporter is the automation bot
    rec = parse.issue_record(raw, FMAP, ["Automation for Jira"], NOW)
    assert set(rec) == set(parse.ISSUES_SCHEMA.names)
    assert rec["item_id"] == "jira:ABC-7" and rec["project_key"] == "ABC"
    assert rec["reporter_is_bot"] is True and rec["assignee_account"] == "acc-8"
    assert rec["status_category"] == "indeterminate"
    assert (rec["team"], rec["story_points"], rec["sprint"]) == ("Payments", 7.0, "Sprint 2")
    assert json.loads(rec["owners"]) == {"Product Owner": "acc-99", "Tech Lead": None}
    assert json.loads(rec["components"]) == ["api"]
    assert rec["url"] == "http://jira.acme.example/browse/ABC-7"
    assert rec["updated_at"].tzinfo is not None and rec["updated_at"] > rec["created_at"]


def test_timestamps_with_offsets_become_utc():
    got = parse.parse_time("2015-12-02T07:39:15.000-0800", "x")
    assert got == datetime(2015, 12, 2, 15, 39, 15, tzinfo=UTC)
    with pytest.raises(parse.ParseError, match="without a UTC offset"):
        parse.parse_time("2001-10-10 17:50:07.0", "x")


def test_issue_without_updated_is_a_parse_error():
    raw = make_issues(1, DAY)[0]
    del raw["fields"]["updated"]
    with pytest.raises(parse.ParseError, match="ABC-1: fields.created and fields.updated"):
        parse.issue_record(raw, FMAP, [], NOW)


def test_history_items_numbered_and_authorless_history_kept():
    raw = {
        "id": "77",
        "created": "2026-03-02T10:00:00.000+0000",
        "items": [
            {"field": "status", "from": "1", "fromString": "Open", "to": "2", "toString": "Done"},
            {"field": "resolution", "toString": "Fixed"},
        ],
    }
    rows = parse.history_records("ABC-1", raw, [], NOW)
    assert [r["change_id"] for r in rows] == ["jira:ABC-1/history/77/1", "jira:ABC-1/history/77/2"]
    assert rows[0]["author_account"] is None and rows[0]["author_is_bot"] is None
    assert rows[1]["from_value"] is None and rows[1]["to_string"] == "Fixed"


def test_comment_without_id_is_rejected():
    with pytest.raises(parse.ParseError, match="ABC-1: comment without an 'id'"):
        parse.comment_record("ABC-1", {"body": "x"}, [], NOW)


def test_jql_dates_are_in_the_account_time_zone():
    jql = build_jql(
        "project = ABC",
        datetime(2026, 3, 1, 23, 0, 30, tzinfo=UTC),
        datetime(2026, 3, 2, 23, 0, 1, tzinfo=UTC),
        ZoneInfo("America/New_York"),
    )
    assert jql == (
        '(project = ABC) AND updated >= "2026/03/01 18:00" AND '
        'updated < "2026/03/02 18:01" ORDER BY updated ASC, key ASC'
    )


def test_jql_widens_outwards_across_the_autumn_dst_fold():
    paris = ZoneInfo("Europe/Paris")  # 2025-10-26: 02:00-03:00 local happens twice
    jql = build_jql(
        "project = ABC",
        datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
        datetime(2025, 10, 26, 1, 30, tzinfo=UTC),
        paris,
    )
    assert '>= "2025/10/26 01:30"' in jql and '< "2025/10/26 03:30"' in jql


def test_jql_with_order_by_is_refused():
    with pytest.raises(JiraSourceError, match="remove ORDER BY"):
        build_jql("project = ABC ORDER BY rank", NOW, NOW, UTC)


def test_collect_keeps_the_latest_version_and_skips_the_next_window():
    window = Window.for_days(DAY.date(), DAY.date())
    old, new = make_issues(2, DAY)[1], make_issues(2, DAY)[1]
    new["fields"]["updated"] = "2026-03-02T20:00:00.000+0000"
    new["fields"]["comment"]["comments"] = new["fields"]["comment"]["comments"][:1]
    late = make_issues(3, DAY)[2]
    late["fields"]["updated"] = "2026-03-03T00:00:00.000+0000"
    q = Quarantine("jira")
    records, updated = collect([new, old, late], FMAP, (), window, q, NOW)
    assert [r["issue_key"] for r in records["issues"]] == ["ABC-2"]
    assert records["issues"][0]["updated_at"] == datetime(2026, 3, 2, 20, tzinfo=UTC)
    assert len(records["comments"]) == 1  # the comments of the version kept
    assert updated == {"jira:ABC-2": datetime(2026, 3, 2, 20, tzinfo=UTC)}
    assert q.rows == []


def test_collect_quarantines_bad_records_and_keeps_the_rest():
    window = Window.for_days(DAY.date(), DAY.date())
    good, broken = make_issues(5, DAY)[4], make_issues(4, DAY)[3]
    del broken["fields"]["created"]
    good["fields"]["comment"]["comments"][0].pop("id")
    q = Quarantine("jira")
    records, _ = collect([broken, good, {"what": "no key"}], FMAP, (), window, q, NOW)
    assert [r["issue_key"] for r in records["issues"]] == ["ABC-5"]
    assert len(records["comments"]) == 4  # 5 comments, one without id
    reasons = sorted(r["reason"] for r in q.rows)
    assert len(reasons) == 3
    assert any("ABC-4" in r for r in reasons) and any(
        "comment without an 'id'" in r for r in reasons
    )


def test_history_without_id_gets_a_stable_id():
    raw = {"created": "2026-03-02T10:00:00.000+0000", "items": [{"field": "priority"}]}
    first = parse.history_records("ABC-1", raw, [], NOW)[0]["change_id"]
    assert first == parse.history_records("ABC-1", dict(raw), [], NOW)[0]["change_id"]
    other = {**raw, "items": [{"field": "status"}]}
    assert parse.history_records("ABC-1", other, [], NOW)[0]["change_id"] != first
