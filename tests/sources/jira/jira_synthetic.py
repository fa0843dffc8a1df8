"""Small deterministic Jira payloads (REST v2 shapes) and a workspace to land them in.

Issues carry varied comment and history counts (some beyond what search embeds), Cloud users
(`accountId`, automation `accountType: app`) or Server users (`name`/`key` only), a history
with no author, custom fields for team, story points, sprint and a user-type owner field.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
from jira_fake_server import jira_time

from pipelines.config import load_workspace

FIELDS = [
    {"id": "summary", "name": "Summary", "custom": False, "clauseNames": ["summary"]},
    {"id": "updated", "name": "Updated", "custom": False, "clauseNames": ["updated"]},
    {
        "id": "customfield_10001",
        "name": "Team",
        "custom": True,
        "clauseNames": ["cf[10001]", "Team"],
        "schema": {"type": "team"},
    },
    {
        "id": "customfield_10016",
        "name": "Story Points",
        "custom": True,
        "clauseNames": ["cf[10016]", "Story Points"],
        "schema": {"type": "number"},
    },
    {
        "id": "customfield_10020",
        "name": "Sprint",
        "custom": True,
        "clauseNames": ["cf[10020]", "Sprint"],
        "schema": {"type": "array"},
    },
    {
        "id": "customfield_10100",
        "name": "Product Owner",
        "custom": True,
        "clauseNames": ["cf[10100]", "Product Owner"],
        "schema": {"type": "user"},
    },
]


def user(n: int, cloud: bool, *, bot: bool = False) -> dict:
    """A user object as Cloud (accountId) or Server (name/key) writes it."""
    if bot:
        return {"accountId": "auto-1", "accountType": "app", "displayName": "Automation for Jira"}
    if cloud:
        return {
            "accountId": f"acc-{n}",
            "accountType": "atlassian",
            "displayName": f"Person {n}",
            "emailAddress": f"p{n}@acme.example",
        }
    return {
        "name": f"user{n}",
        "key": f"JIRAUSER{n}",
        "displayName": f"Person {n}",
        "emailAddress": f"p{n}@acme.example",
    }


def make_issues(n: int, day: datetime, *, cloud: bool = True, project: str = "ABC") -> list[dict]:
    """`n` complete issues updated across `day` (UTC), oldest ABC-1."""
    out = []
    for i in range(1, n + 1):
        updated = day + timedelta(minutes=17 * i % (24 * 60), seconds=i % 60)
        created = updated - timedelta(days=3, hours=i)
        comments = [
            {
                "id": str(1000 * i + c),
                "self": f"http://x/rest/api/2/issue/{i}/comment/{c}",
                "author": user(i + c, cloud, bot=(c == 2 and i % 3 == 0)),
                "body": f"Comment {c} on {project}-{i}",
                "created": jira_time(created + timedelta(hours=c)),
                "updated": jira_time(created + timedelta(hours=c)),
            }
            for c in range(i % 6)
        ]
        histories = [
            {
                "id": str(50000 + 10 * i + h),
                "created": jira_time(created + timedelta(hours=h, minutes=5)),
                "items": [
                    {
                        "field": "status",
                        "fieldtype": "jira",
                        "from": "1",
                        "fromString": "To Do",
                        "to": "3",
                        "toString": "In Progress",
                    }
                ]
                + (
                    [
                        {
                            "field": "priority",
                            "fieldtype": "jira",
                            "from": "3",
                            "fromString": "Major",
                            "to": "2",
                            "toString": "Critical",
                        }
                    ]
                    if h % 2
                    else []
                ),
            }
            for h in range(i % 5)
        ]
        for h in histories:
            if h["id"].endswith("3"):
                continue  # a history written by Jira itself: no author
            h["author"] = user(i, cloud)
            if cloud:
                for item in h["items"]:
                    item["fieldId"] = item["field"]
        out.append(
            {
                "id": str(10000 + i),
                "key": f"{project}-{i}",
                "self": f"http://jira.acme.example/rest/api/2/issue/{10000 + i}",
                "fields": {
                    "summary": f"Issue {i}",
                    "description": f"Body of issue {i}",
                    "issuetype": {"name": "Bug" if i % 2 else "Story"},
                    "project": {"key": project, "name": "Acme"},
                    "status": {
                        "name": "In Progress",
                        "statusCategory": {"key": "indeterminate", "name": "In Progress"},
                    },
                    "priority": {"name": "Major"},
                    "resolution": None,
                    "reporter": user(i, cloud, bot=(i % 7 == 0)),
                    "assignee": user(i + 1, cloud),
                    "creator": user(i, cloud),
                    "labels": ["customer"] if i % 4 == 0 else [],
                    "components": [{"name": "api"}],
                    "fixVersions": [],
                    "created": jira_time(created),
                    "updated": jira_time(updated),
                    "resolutiondate": None,
                    "customfield_10001": {"id": "t1", "name": "Payments"} if cloud else "Payments",
                    "customfield_10016": float(i % 8),
                    "customfield_10020": [
                        {"id": 1, "name": "Sprint 1", "state": "closed"},
                        {"id": 2, "name": "Sprint 2", "state": "active"},
                    ],
                    "customfield_10100": user(99, cloud),
                    "comment": {
                        "comments": comments,
                        "startAt": 0,
                        "maxResults": len(comments),
                        "total": len(comments),
                    },
                },
                "changelog": {
                    "startAt": 0,
                    "maxResults": len(histories),
                    "total": len(histories),
                    "histories": histories,
                },
            }
        )
    return out


def workspace(
    root: Path,
    *,
    url: str = "",
    deployment: str = "cloud",
    mode: str = "live",
    replay_dir: str | None = None,
    page_size: int = 7,
    jql: str = "project = ABC",
    overlap: int = 0,
) -> object:
    """Write a silo.yml for the Jira source under `root` and load it."""
    lines = [
        "workspace: test",
        "timezone: Europe/Paris",
        "start_date: 2026-01-01",
        "sources:",
        "  jira:",
        f"    mode: {mode}",
        f"    deployment: {deployment}",
        f"    jql: '{jql}'",
        f"    page_size: {page_size}",
        f"    overlap_minutes: {overlap}",
        "    email_env: TEST_JIRA_EMAIL",
        "    token_env: TEST_JIRA_TOKEN",
        "    bots: ['Automation for Jira']",
        "    fields: {team: Team, story_points: Story Points, sprint: Sprint,"
        " owners: [Product Owner]}",
    ]
    if url:
        lines.append(f"    url: {url}")
    if replay_dir:
        lines.append(f"    replay_dir: {replay_dir}")
    root.mkdir(parents=True, exist_ok=True)
    (root / "silo.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_workspace(root)


DAY = datetime(2026, 3, 2, tzinfo=UTC)


def landed(raw_dir: Path, entity: str) -> list[dict]:
    """Every row landed for `entity` (all days), as dicts."""
    rows: list[dict] = []
    for path in sorted((Path(raw_dir) / "jira" / entity).glob("*.parquet")):
        rows.extend(pq.read_table(path).to_pylist())
    return rows


def expected_ids(issues: list[dict]) -> dict[str, set[str]]:
    """The ids a complete ingestion of `issues` must land, per entity."""
    out: dict[str, set[str]] = {"issues": set(), "comments": set(), "changelog": set()}
    for issue in issues:
        key = issue["key"]
        out["issues"].add(f"jira:{key}")
        for c in issue["fields"].get("comment", {}).get("comments", []):
            out["comments"].add(f"jira:{key}/comment/{c['id']}")
        for h in issue.get("changelog", {}).get("histories", []):
            for n, _ in enumerate(h["items"], start=1):
                out["changelog"].add(f"jira:{key}/history/{h['id']}/{n}")
    return out
