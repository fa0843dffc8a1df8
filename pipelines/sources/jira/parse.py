"""Pure parsers: one raw Jira issue payload (REST v2 shape) -> landing records.

No I/O here. The live and the replay clients both hand these functions the same dicts
(`GET /rest/api/2/search` or `/search/jql` results, or `GET /rest/api/2/issue/KEY` with
`expand=changelog`), so the demo proves the real path.

Shapes this module survives (all seen in real payloads):
- Cloud users (`accountId`, `accountType`) and Server/DC users (`name`/`key`, no accountId);
- histories with no `author` (changes made by Jira itself or an anonymous workflow);
- descriptions and comment bodies as wiki text (API v2) or as Atlassian Document Format
  (API v3, a JSON tree): both become plain text;
- sprints as objects (Cloud) or as `...Sprint@1a2b[id=1,name=Sprint 1,...]` strings (old Server).

A malformed issue, comment or history raises `ParseError`; the caller quarantines that record
and goes on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

SOURCE = "jira"
TS = pa.timestamp("us", tz="UTC")

ISSUES_SCHEMA = pa.schema(
    [
        ("item_id", pa.string()),
        ("issue_key", pa.string()),
        ("project_key", pa.string()),
        ("issue_type", pa.string()),
        ("summary", pa.string()),
        ("description", pa.string()),
        ("status", pa.string()),
        ("status_category", pa.string()),
        ("priority", pa.string()),
        ("resolution", pa.string()),
        ("reporter_account", pa.string()),
        ("reporter_name", pa.string()),
        ("reporter_email", pa.string()),
        ("reporter_is_bot", pa.bool_()),
        ("assignee_account", pa.string()),
        ("assignee_name", pa.string()),
        ("creator_account", pa.string()),
        ("labels", pa.string()),
        ("components", pa.string()),
        ("fix_versions", pa.string()),
        ("team", pa.string()),
        ("story_points", pa.float64()),
        ("sprint", pa.string()),
        ("owners", pa.string()),
        ("url", pa.string()),
        ("created_at", TS),
        ("updated_at", TS),
        ("resolved_at", TS),
        ("ingested_at", TS),
    ]
)

COMMENTS_SCHEMA = pa.schema(
    [
        ("comment_id", pa.string()),
        ("item_id", pa.string()),
        ("issue_key", pa.string()),
        ("author_account", pa.string()),
        ("author_name", pa.string()),
        ("author_email", pa.string()),
        ("author_is_bot", pa.bool_()),
        ("body", pa.string()),
        ("created_at", TS),
        ("updated_at", TS),
        ("ingested_at", TS),
    ]
)

CHANGELOG_SCHEMA = pa.schema(
    [
        ("change_id", pa.string()),
        ("item_id", pa.string()),
        ("issue_key", pa.string()),
        ("history_id", pa.string()),
        ("author_account", pa.string()),
        ("author_name", pa.string()),
        ("author_is_bot", pa.bool_()),
        ("field", pa.string()),
        ("field_id", pa.string()),
        ("from_value", pa.string()),
        ("from_string", pa.string()),
        ("to_value", pa.string()),
        ("to_string", pa.string()),
        ("changed_at", TS),
        ("ingested_at", TS),
    ]
)

ENTITIES: dict[str, pa.Schema] = {
    "issues": ISSUES_SCHEMA,
    "comments": COMMENTS_SCHEMA,
    "changelog": CHANGELOG_SCHEMA,
}

# System fields every search asks for (never `*all`); mapped custom fields are added to these.
SYSTEM_FIELDS: tuple[str, ...] = (
    "summary",
    "description",
    "issuetype",
    "project",
    "status",
    "priority",
    "resolution",
    "reporter",
    "assignee",
    "creator",
    "labels",
    "components",
    "fixVersions",
    "created",
    "updated",
    "resolutiondate",
    "comment",
)


class ParseError(ValueError):
    """A payload that cannot become a record; the message says which field and why."""


# --- custom fields -----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldMap:
    """Field ids of the custom fields named in `silo.yml` (`sources.jira.fields`).

    `owners` pairs each silo.yml name with its field id (None when the server has no such field).
    """

    team: str | None = None
    story_points: str | None = None
    sprint: str | None = None
    owners: tuple[tuple[str, str | None], ...] = ()

    def field_ids(self) -> list[str]:
        """The custom field ids to request, in a stable order, without duplicates."""
        ids = [self.team, self.story_points, self.sprint, *(fid for _, fid in self.owners)]
        return list(dict.fromkeys(fid for fid in ids if fid))


def resolve_fields(
    wanted: Mapping[str, Any], field_list: Iterable[Mapping[str, Any]]
) -> tuple[FieldMap, list[str]]:
    """Map the `silo.yml` field names to ids with the server's field list (`GET /field`).

    `wanted` is `sources.jira.fields`: `team`, `story_points`, `sprint` (field names, or ids
    such as `customfield_10016`) and `owners` (a list of user-type field names). Names match
    case-insensitively. Returns the map and human-readable warnings for names the server does
    not know (those columns stay empty rather than failing the run).
    """
    unknown = set(wanted) - {"team", "story_points", "sprint", "owners"}
    if unknown:
        raise ParseError(
            f"sources.jira.fields: unknown key(s) {sorted(unknown)}; "
            "allowed: team, story_points, sprint, owners"
        )
    by_id: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    for f in field_list:
        fid, name = f.get("id"), f.get("name")
        if isinstance(fid, str):
            by_id[fid.lower()] = fid
            if isinstance(name, str):
                by_name.setdefault(name.strip().lower(), []).append(fid)
    warnings: list[str] = []

    def lookup(label: str, name: Any) -> str | None:
        if name is None:
            return None
        if not isinstance(name, str) or not name.strip():
            raise ParseError(f"sources.jira.fields.{label}: expected a field name, got {name!r}")
        key = name.strip().lower()
        if key in by_id:
            return by_id[key]
        ids = by_name.get(key, [])
        if not ids:
            warnings.append(f"sources.jira.fields.{label}: no field named {name!r} on the server")
            return None
        if len(ids) > 1:
            warnings.append(
                f"sources.jira.fields.{label}: {len(ids)} fields named {name!r} ({ids}); "
                f"using {ids[0]} (write the id in silo.yml to choose)"
            )
        return ids[0]

    owners = wanted.get("owners") or []
    if not isinstance(owners, list):
        raise ParseError(f"sources.jira.fields.owners: expected a list of names, got {owners!r}")
    fmap = FieldMap(
        team=lookup("team", wanted.get("team")),
        story_points=lookup("story_points", wanted.get("story_points")),
        sprint=lookup("sprint", wanted.get("sprint")),
        owners=tuple((str(n), lookup(f"owners[{n!r}]", n)) for n in owners),
    )
    return fmap, warnings


def requested_fields(fmap: FieldMap) -> list[str]:
    """The explicit `fields=` list for searches: system fields plus mapped custom fields."""
    return [*SYSTEM_FIELDS, *fmap.field_ids()]


# --- small value parsers --------------------------------------------------------------------


def parse_time(value: Any, what: str) -> datetime | None:
    """A Jira timestamp (`2016-03-03T14:32:47.000+0000`) as an aware UTC datetime, or None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ParseError(f"{what}: expected a timestamp string, got {value!r}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ParseError(f"{what}: not a timestamp: {value!r}") from exc
    if moment.tzinfo is None:
        raise ParseError(f"{what}: timestamp without a UTC offset: {value!r}")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class User:
    """Who did something. `account` is the Cloud accountId, else the Server name, else key."""

    account: str | None = None
    name: str | None = None
    email: str | None = None
    is_bot: bool | None = None


def parse_user(obj: Any, bots: Iterable[str]) -> User:
    """A Jira user object (Cloud or Server) -> User; None (no author) -> an empty User."""
    if not isinstance(obj, Mapping):
        return User()
    account = obj.get("accountId") or obj.get("name") or obj.get("key")
    handles = {
        str(obj.get(k)).lower()
        for k in ("accountId", "name", "key", "displayName", "emailAddress")
        if obj.get(k)
    }
    is_bot = obj.get("accountType") == "app" or bool(handles & {b.lower() for b in bots})
    return User(account, obj.get("displayName"), obj.get("emailAddress"), is_bot)


def adf_text(node: Any) -> str:
    """Plain text of an Atlassian Document Format tree (API v3 bodies)."""
    if isinstance(node, list):
        return "".join(adf_text(n) for n in node)
    if not isinstance(node, Mapping):
        return ""
    kind = node.get("type")
    if kind == "text":
        return str(node.get("text", ""))
    if kind == "hardBreak":
        return "\n"
    if kind in ("mention", "emoji") and isinstance(node.get("attrs"), Mapping):
        return str(node["attrs"].get("text") or node["attrs"].get("shortName") or "")
    inner = adf_text(node.get("content", []))
    if kind in ("paragraph", "heading", "codeBlock", "blockquote", "listItem", "rule"):
        return inner.rstrip("\n") + "\n"
    return inner


def text(value: Any) -> str | None:
    """A body or description: wiki text as is, ADF flattened, None stays None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return adf_text(value).rstrip("\n")
    return str(value)


def _name(obj: Any, *keys: str) -> str | None:
    """The first non-empty of `keys` in a Jira object (status, priority, option...)."""
    if isinstance(obj, Mapping):
        for key in keys:
            if obj.get(key) not in (None, ""):
                return str(obj[key])
        return None
    return None if obj in (None, "") else str(obj)


def _names(values: Any, *keys: str) -> str:
    """A JSON list of the names of a list of Jira objects (components, versions) or strings."""
    out = [_name(v, *keys) for v in values or []]
    return json.dumps([v for v in out if v is not None], ensure_ascii=False)


_SPRINT_STRING = re.compile(r"[\[,]name=([^,\]]*)")


def sprint_name(value: Any) -> str | None:
    """The current sprint: the active one, else the last listed (objects or legacy strings)."""
    if value in (None, "", []):
        return None
    if isinstance(value, list):
        active = [v for v in value if isinstance(v, Mapping) and v.get("state") == "active"]
        return sprint_name(active[-1] if active else value[-1])
    if isinstance(value, Mapping):
        return _name(value, "name", "value")
    found = _SPRINT_STRING.search(str(value))
    return found.group(1) if found else str(value)


def team_name(value: Any) -> str | None:
    """A team field: Atlassian team object, select option, plain string or a list of those."""
    if isinstance(value, list):
        return team_name(value[0]) if value else None
    return _name(value, "name", "title", "value")


def number(value: Any) -> float | None:
    """Story points: a number, or a numeric string; anything else is None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def browse_url(raw: Mapping[str, Any], key: str) -> str | None:
    """`<site>/browse/KEY` from the issue's REST `self` link."""
    link = raw.get("self")
    if not isinstance(link, str) or "/rest/" not in link:
        return None
    return f"{link.split('/rest/', 1)[0]}/browse/{key}"


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


# --- records ----------------------------------------------------------------------------------


def issue_key(raw: Any) -> str:
    """The issue key, or ParseError when the payload is not an issue."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("fields"), Mapping):
        raise ParseError("not an issue object (no 'fields' mapping)")
    key = raw.get("key")
    if not isinstance(key, str) or "-" not in key:
        raise ParseError(f"issue without a valid 'key': {key!r}")
    return key


def issue_record(
    raw: Mapping[str, Any], fmap: FieldMap, bots: Iterable[str], ingested_at: datetime
) -> dict[str, Any]:
    """One `issues` record. Raises ParseError when the key or the timestamps are unusable."""
    key = issue_key(raw)
    f = raw["fields"]
    created = parse_time(f.get("created"), f"{key}: fields.created")
    updated = parse_time(f.get("updated"), f"{key}: fields.updated")
    if created is None or updated is None:
        raise ParseError(f"{key}: fields.created and fields.updated are required")
    reporter, assignee = parse_user(f.get("reporter"), bots), parse_user(f.get("assignee"), bots)
    project = f.get("project") if isinstance(f.get("project"), Mapping) else {}
    status = f.get("status") if isinstance(f.get("status"), Mapping) else {}
    owners = {}
    for label, fid in fmap.owners:
        value = f.get(fid) if fid else None
        if isinstance(value, list):
            value = value[0] if value else None
        owners[label] = parse_user(value, bots).account
    return {
        "item_id": f"jira:{key}",
        "issue_key": key,
        "project_key": project.get("key") or key.rsplit("-", 1)[0],
        "issue_type": _name(f.get("issuetype"), "name"),
        "summary": _str(f.get("summary")),
        "description": text(f.get("description")),
        "status": _name(status, "name"),
        "status_category": _name(status.get("statusCategory"), "key"),
        "priority": _name(f.get("priority"), "name"),
        "resolution": _name(f.get("resolution"), "name"),
        "reporter_account": reporter.account,
        "reporter_name": reporter.name,
        "reporter_email": reporter.email,
        "reporter_is_bot": reporter.is_bot,
        "assignee_account": assignee.account,
        "assignee_name": assignee.name,
        "creator_account": parse_user(f.get("creator"), bots).account,
        "labels": json.dumps([str(x) for x in f.get("labels") or []], ensure_ascii=False),
        "components": _names(f.get("components"), "name"),
        "fix_versions": _names(f.get("fixVersions"), "name"),
        "team": team_name(f.get(fmap.team)) if fmap.team else None,
        "story_points": number(f.get(fmap.story_points)) if fmap.story_points else None,
        "sprint": sprint_name(f.get(fmap.sprint)) if fmap.sprint else None,
        "owners": json.dumps(owners, ensure_ascii=False, sort_keys=True),
        "url": browse_url(raw, key),
        "created_at": created,
        "updated_at": updated,
        "resolved_at": parse_time(f.get("resolutiondate"), f"{key}: fields.resolutiondate"),
        "ingested_at": ingested_at,
    }


def embedded_comments(raw: Mapping[str, Any]) -> tuple[list[Any], int]:
    """(comments present in `fields.comment`, total the server says exist)."""
    block = raw.get("fields", {}).get("comment")
    if isinstance(block, list):  # some endpoints give the bare list
        return block, len(block)
    if not isinstance(block, Mapping):
        return [], 0
    present = block.get("comments") or []
    total = block.get("total")
    return present, total if isinstance(total, int) else len(present)


def embedded_histories(raw: Mapping[str, Any]) -> tuple[list[Any], int]:
    """(histories present in `changelog`, total the server says exist)."""
    block = raw.get("changelog")
    if not isinstance(block, Mapping):
        return [], 0
    present = block.get("histories") or []
    total = block.get("total")
    return present, total if isinstance(total, int) else len(present)


def comment_record(
    key: str, raw: Any, bots: Iterable[str], ingested_at: datetime
) -> dict[str, Any]:
    """One `comments` record for issue `key`. Raises ParseError without an id or timestamp."""
    if not isinstance(raw, Mapping) or raw.get("id") in (None, ""):
        raise ParseError(f"{key}: comment without an 'id'")
    cid = str(raw["id"])
    created = parse_time(raw.get("created"), f"{key}: comment {cid}: created")
    if created is None:
        raise ParseError(f"{key}: comment {cid}: 'created' is required")
    author = parse_user(raw.get("author"), bots)
    return {
        "comment_id": f"jira:{key}/comment/{cid}",
        "item_id": f"jira:{key}",
        "issue_key": key,
        "author_account": author.account,
        "author_name": author.name,
        "author_email": author.email,
        "author_is_bot": author.is_bot,
        "body": text(raw.get("body")),
        "created_at": created,
        "updated_at": parse_time(raw.get("updated"), f"{key}: comment {cid}: updated") or created,
        "ingested_at": ingested_at,
    }


def stable_history_id(raw: Mapping[str, Any]) -> str:
    """An id for a history without one, the same on every run: a hash of when and what."""
    content = json.dumps(
        {"created": raw.get("created"), "items": raw.get("items")}, sort_keys=True, default=str
    )
    return "h" + hashlib.sha1(content.encode("utf-8")).hexdigest()[:12]


def history_records(
    key: str, raw: Any, bots: Iterable[str], ingested_at: datetime
) -> list[dict[str, Any]]:
    """The `changelog` records of one history: one per changed item, numbered from 1.

    A history with no author (a change made by Jira itself) keeps null author columns. A
    history with no id (seen in real payloads) gets a stable one: `h` + a hash of its content.
    Raises ParseError without a `created` timestamp.
    """
    if not isinstance(raw, Mapping):
        raise ParseError(f"{key}: history is not an object")
    hid = str(raw["id"]) if raw.get("id") not in (None, "") else stable_history_id(raw)
    changed = parse_time(raw.get("created"), f"{key}: history {hid}: created")
    if changed is None:
        raise ParseError(f"{key}: history {hid}: 'created' is required")
    author = parse_user(raw.get("author"), bots)
    out = []
    for n, item in enumerate(raw.get("items") or [], start=1):
        if not isinstance(item, Mapping):
            raise ParseError(f"{key}: history {hid}: item {n} is not an object")
        out.append(
            {
                "change_id": f"jira:{key}/history/{hid}/{n}",
                "item_id": f"jira:{key}",
                "issue_key": key,
                "history_id": hid,
                "author_account": author.account,
                "author_name": author.name,
                "author_is_bot": author.is_bot,
                "field": _str(item.get("field")),
                "field_id": _str(item.get("fieldId")),
                "from_value": _str(item.get("from")),
                "from_string": _str(item.get("fromString")),
                "to_value": _str(item.get("to")),
                "to_string": _str(item.get("toString")),
                "changed_at": changed,
                "ingested_at": ingested_at,
            }
        )
    return out
