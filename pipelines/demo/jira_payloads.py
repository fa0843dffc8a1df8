"""Render Jira items as Jira Cloud's REST API v2 returns them, in the contract's replay layout.

`jira_files(org, items)` returns `{relative path: JSON value}`: `serverInfo.json`,
`field.json` and `issues/<KEY>.json` (`GET /rest/api/2/issue/KEY?expand=changelog` with
`fields.comment`). Users are Cloud users (`accountId`, `displayName`, `emailAddress`,
`accountType`); dates are in the site time zone (`2026-02-03T10:12:00.000+0100`).
Custom fields: Team (select), Story Points (number), Sprint (sprint objects), Rank and a
user-type Product Owner field.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from pipelines.demo.clock import END, START, at_paris, jira_ts
from pipelines.demo.model import Item
from pipelines.demo.org import Org, Person

SITE = "https://lumio.atlassian.net"
API = f"{SITE}/rest/api/2"
TEAM_FIELD = "customfield_10001"
RANK_FIELD = "customfield_10019"
SPRINT_FIELD = "customfield_10020"
STORY_POINTS_FIELD = "customfield_10028"
PRODUCT_OWNER_FIELD = "customfield_10050"
PROJECTS = {
    "PLAT": ("10000", "Plateforme"),
    "SUP": ("10001", "Support client"),
    "SALES": ("10002", "Demandes commerciales"),
}
ISSUE_TYPES = {
    "Story": ("10001", "Fonctionnalité exprimée du point de vue utilisateur."),
    "Bug": ("10004", "Un problème qui empêche le fonctionnement du produit."),
    "Task": ("10002", "Une tâche à réaliser."),
    "Incident": ("10005", "Une interruption ou dégradation du service."),
}
PRIORITY_IDS = {"Highest": "1", "High": "2", "Medium": "3", "Low": "4", "Lowest": "5"}
STATUSES = {  # name -> (id, category id, category key, colour, category name)
    "To Do": ("10000", 2, "new", "blue-gray", "To Do"),
    "Open": ("1", 2, "new", "blue-gray", "To Do"),
    "In Progress": ("3", 4, "indeterminate", "yellow", "In Progress"),
    "In Review": ("10003", 4, "indeterminate", "yellow", "In Progress"),
    "Done": ("10002", 3, "done", "green", "Done"),
    "Resolved": ("5", 3, "done", "green", "Done"),
}
RESOLUTIONS = {
    "Done": ("10000", "Le travail a été effectué."),
    "Won't Do": ("10001", "Ce ticket ne sera pas traité."),
}
TEAM_OPTIONS = {
    "Platform": "10100",
    "Web": "10101",
    "Mobile": "10102",
    "Data": "10103",
    "Product": "10104",
    "Support": "10105",
    "Sales": "10106",
}
VERSION_IDS = {
    v: str(10200 + n)
    for n, v in enumerate(["2026.02", "2026.03", "2026.04", "2026.05", "2026.06", "2026.07"])
}
CHANGE_FIELDS = {  # our field -> (field, fieldtype, fieldId)
    "status": ("status", "jira", "status"),
    "priority": ("priority", "jira", "priority"),
    "Rank": ("Rank", "custom", RANK_FIELD),
    "Fix Version": ("Fix Version", "jira", "fixVersions"),
    "assignee": ("assignee", "jira", "assignee"),
    "resolution": ("resolution", "jira", "resolution"),
}


def avatar_urls(seed: str) -> dict:
    base = f"https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/{seed}"
    return {size: f"{base}/{size.split('x')[0]}" for size in ("48x48", "24x24", "16x16", "32x32")}


def jira_user(p: Person) -> dict:
    """A Jira Cloud user object (apps have no e-mail address)."""
    out = {
        "self": f"{API}/user?accountId={quote(p.jira_account)}",
        "accountId": p.jira_account,
        "avatarUrls": avatar_urls(p.jira_account.split(":")[-1]),
        "displayName": p.name,
        "active": p.left is None,
        "timeZone": "Europe/Paris",
        "accountType": "app" if p.bot else "atlassian",
    }
    if not p.bot:
        out["emailAddress"] = p.email
    return out


def server_info() -> dict:
    return {
        "baseUrl": SITE,
        "displayUrl": SITE,
        "version": "1001.0.0-SNAPSHOT",
        "versionNumbers": [1001, 0, 0],
        "deploymentType": "Cloud",
        "buildNumber": 100292,
        "buildDate": "2026-06-26T00:00:00.000+0200",
        "serverTime": jira_ts(at_paris(END, 20)),
        "scmInfo": "3f1c9a6d2b7e4c0a8e5d1b9f6a2c7e4d0b8a5f3c",
        "serverTitle": "Jira",
        "defaultLocale": {"locale": "fr_FR"},
    }


def _field(fid: str, name: str, schema: dict, custom: bool, clause: list[str]) -> dict:
    out = {
        "id": fid,
        "key": fid,
        "name": name,
        "custom": custom,
        "orderable": True,
        "navigable": True,
        "searchable": True,
        "clauseNames": clause,
        "schema": schema,
    }
    if custom:
        out["untranslatedName"] = name
    return out


def fields_list() -> list[dict]:
    """`GET /rest/api/2/field`: system fields and the custom fields silo.yml names."""
    system = [
        ("summary", "Summary", {"type": "string", "system": "summary"}),
        ("description", "Description", {"type": "string", "system": "description"}),
        ("issuetype", "Issue Type", {"type": "issuetype", "system": "issuetype"}),
        ("status", "Status", {"type": "status", "system": "status"}),
        ("priority", "Priority", {"type": "priority", "system": "priority"}),
        ("resolution", "Resolution", {"type": "resolution", "system": "resolution"}),
        ("labels", "Labels", {"type": "array", "items": "string", "system": "labels"}),
        (
            "components",
            "Components",
            {"type": "array", "items": "component", "system": "components"},
        ),
        (
            "fixVersions",
            "Fix versions",
            {"type": "array", "items": "version", "system": "fixVersions"},
        ),
        ("reporter", "Reporter", {"type": "user", "system": "reporter"}),
        ("assignee", "Assignee", {"type": "user", "system": "assignee"}),
        ("creator", "Creator", {"type": "user", "system": "creator"}),
        ("created", "Created", {"type": "datetime", "system": "created"}),
        ("updated", "Updated", {"type": "datetime", "system": "updated"}),
        ("resolutiondate", "Resolved", {"type": "datetime", "system": "resolutiondate"}),
        ("comment", "Comment", {"type": "comments-page", "system": "comment"}),
        ("project", "Project", {"type": "project", "system": "project"}),
    ]
    out = [_field(fid, name, schema, False, [fid]) for fid, name, schema in system]
    custom = [
        (TEAM_FIELD, "Team", "option", "com.atlassian.jira.plugin.system.customfieldtypes:select"),
        (
            STORY_POINTS_FIELD,
            "Story Points",
            "number",
            "com.atlassian.jira.plugin.system.customfieldtypes:float",
        ),
        (SPRINT_FIELD, "Sprint", "array", "com.pyxis.greenhopper.jira:gh-sprint"),
        (RANK_FIELD, "Rank", "any", "com.pyxis.greenhopper.jira:gh-lexo-rank"),
        (
            PRODUCT_OWNER_FIELD,
            "Product Owner",
            "user",
            "com.atlassian.jira.plugin.system.customfieldtypes:userpicker",
        ),
    ]
    for fid, name, kind, plugin in custom:
        number = int(fid.split("_")[1])
        schema = {"type": kind, "custom": plugin, "customId": number}
        if kind == "array":
            schema["items"] = "json"
        out.append(_field(fid, name, schema, True, [f"cf[{number}]", name]))
    return out


def _status(name: str) -> dict:
    sid, cid, key, colour, cname = STATUSES[name]
    return {
        "self": f"{API}/status/{sid}",
        "description": "",
        "iconUrl": f"{SITE}/images/icons/statuses/generic.png",
        "name": name,
        "id": sid,
        "statusCategory": {
            "self": f"{API}/statuscategory/{cid}",
            "id": cid,
            "key": key,
            "colorName": colour,
            "name": cname,
        },
    }


def _sprint(number: int) -> dict:
    start = at_paris(START, 9)
    begin = start + timedelta(days=14 * (number - 1))
    end = begin + timedelta(days=14)
    closed = number <= 12
    out = {
        "id": 100 + number,
        "name": f"PLAT Sprint {number}",
        "state": "closed" if closed else "active",
        "boardId": 3,
        "goal": "",
        "startDate": begin.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "endDate": end.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }
    if closed:
        out["completeDate"] = end.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return out


class JiraRenderer:
    def __init__(self, org: Org, items: list[Item], projects: dict | None = None):
        self.org = org
        self.projects = projects or PROJECTS  # key -> (id, name); scale units add their own
        self.items = sorted(
            (i for i in items if i.source == "jira"), key=lambda i: (i.created, i.key)
        )
        self.issue_ids = {i.key: str(10000 + n) for n, i in enumerate(self.items)}
        self.next_comment = 10000
        self.next_history = 10000

    def _user(self, pid: str | None) -> dict | None:
        return jira_user(self.org.people[pid]) if pid else None

    def issue(self, item: Item) -> dict:
        iid = self.issue_ids[item.key]
        pid, pname = self.projects[item.container]
        tid, tdesc = ISSUE_TYPES[item.kind]
        comments = []
        for comment in item.comments:
            self.next_comment += 1
            cid = str(self.next_comment)
            comments.append(
                {
                    "self": f"{API}/issue/{iid}/comment/{cid}",
                    "id": cid,
                    "author": self._user(comment.author),
                    "body": comment.body,
                    "updateAuthor": self._user(comment.author),
                    "created": jira_ts(comment.at),
                    "updated": jira_ts(comment.at),
                    "jsdPublic": True,
                }
            )
        histories = []
        for change in item.changes:
            self.next_history += 1
            name, ftype, fid = CHANGE_FIELDS[change.field]
            histories.append(
                {
                    "id": str(self.next_history),
                    "author": self._user(change.author),
                    "created": jira_ts(change.at),
                    "items": [
                        {
                            "field": name,
                            "fieldtype": ftype,
                            "fieldId": fid,
                            **self._change_values(change),
                        }
                    ],
                }
            )
        fields = {
            "issuetype": {
                "self": f"{API}/issuetype/{tid}",
                "id": tid,
                "description": tdesc,
                "iconUrl": f"{SITE}/rest/api/2/universal_avatar/view/type/issuetype"
                f"/avatar/{tid}?size=medium",
                "name": item.kind,
                "subtask": False,
                "avatarId": int(tid),
                "hierarchyLevel": 0,
            },
            "project": {
                "self": f"{API}/project/{pid}",
                "id": pid,
                "key": item.container,
                "name": pname,
                "projectTypeKey": "software",
                "simplified": False,
                "avatarUrls": avatar_urls(f"project-{pid}"),
            },
            "summary": item.title,
            "description": item.body,
            "status": _status(item.status),
            "priority": {
                "self": f"{API}/priority/{PRIORITY_IDS[item.priority]}",
                "iconUrl": f"{SITE}/images/icons/priorities/{item.priority.lower()}.svg",
                "name": item.priority,
                "id": PRIORITY_IDS[item.priority],
            },
            "resolution": None,
            "resolutiondate": None,
            "created": jira_ts(item.created),
            "updated": jira_ts(item.last_activity()),
            "statuscategorychangedate": jira_ts(
                item.changes[-1].at if item.changes else item.created
            ),
            "reporter": self._user(item.author),
            "creator": self._user(item.author),
            "assignee": self._user(item.assignee),
            "labels": list(item.labels),
            "components": [
                {"self": f"{API}/component/{11000 + n}", "id": str(11000 + n), "name": name}
                for n, name in enumerate(item.components)
            ],
            "fixVersions": [
                {
                    "self": f"{API}/version/{VERSION_IDS[v]}",
                    "id": VERSION_IDS[v],
                    "description": "",
                    "name": v,
                    "archived": False,
                    "released": v < "2026.06",
                    "releaseDate": f"{v[:4]}-{v[5:]}-28",
                }
                for v in item.fix_versions
            ],
            "versions": [],
            "issuelinks": [],
            "subtasks": [],
            "environment": None,
            "duedate": None,
            "lastViewed": None,
            "attachment": [],
            "timetracking": {},
            "watches": {
                "self": f"{API}/issue/{item.key}/watchers",
                "watchCount": 1,
                "isWatching": False,
            },
            "votes": {"self": f"{API}/issue/{item.key}/votes", "votes": 0, "hasVoted": False},
            TEAM_FIELD: (
                {
                    "self": f"{API}/customFieldOption/{TEAM_OPTIONS[item.team]}",
                    "value": item.team,
                    "id": TEAM_OPTIONS[item.team],
                }
                if item.team in TEAM_OPTIONS
                else None
            ),
            STORY_POINTS_FIELD: item.story_points,
            SPRINT_FIELD: [_sprint(item.sprint)] if item.sprint else None,
            RANK_FIELD: f"0|i{int(iid) - 9000:05x}:",
            PRODUCT_OWNER_FIELD: self._user(item.product_owner),
            "comment": {
                "comments": comments,
                "self": f"{API}/issue/{iid}/comment",
                "maxResults": len(comments),
                "total": len(comments),
                "startAt": 0,
            },
            "worklog": {"startAt": 0, "maxResults": 20, "total": 0, "worklogs": []},
        }
        if item.closed_at:
            rid, rdesc = RESOLUTIONS[item.close_reason]
            fields["resolution"] = {
                "self": f"{API}/resolution/{rid}",
                "id": rid,
                "description": rdesc,
                "name": item.close_reason,
            }
            fields["resolutiondate"] = jira_ts(item.closed_at)
        return {
            "expand": "renderedFields,names,schema,operations,editmeta,changelog,"
            "versionedRepresentations",
            "id": iid,
            "self": f"{API}/issue/{iid}",
            "key": item.key,
            "fields": fields,
            "changelog": {
                "startAt": 0,
                "maxResults": len(histories),
                "total": len(histories),
                "histories": histories,
            },
        }

    def _change_values(self, change) -> dict:
        if change.field == "status":
            return {
                "from": STATUSES[change.from_value][0],
                "fromString": change.from_value,
                "to": STATUSES[change.to_value][0],
                "toString": change.to_value,
            }
        if change.field == "priority":
            return {
                "from": PRIORITY_IDS[change.from_value],
                "fromString": change.from_value,
                "to": PRIORITY_IDS[change.to_value],
                "toString": change.to_value,
            }
        if change.field == "Rank":
            return {"from": "", "fromString": "", "to": "", "toString": change.to_value}
        if change.field == "Fix Version":
            return {
                "from": None,
                "fromString": None,
                "to": VERSION_IDS[change.to_value],
                "toString": change.to_value,
            }
        if change.field == "assignee":
            person = self.org.people[change.to_value]
            return {
                "from": None,
                "fromString": None,
                "to": person.jira_account,
                "toString": person.name,
            }
        rid = RESOLUTIONS[change.to_value][0]
        return {"from": None, "fromString": None, "to": rid, "toString": change.to_value}


def jira_files(org: Org, items: list[Item]) -> dict[str, object]:
    """Every Jira replay file, keyed by its path relative to the Jira replay folder."""
    renderer = JiraRenderer(org, items)
    files: dict[str, object] = {"serverInfo.json": server_info(), "field.json": fields_list()}
    for item in renderer.items:
        files[f"issues/{item.key}.json"] = renderer.issue(item)
    return files
