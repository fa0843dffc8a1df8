"""Pure parsers: one GitHub REST payload (a dict) in, one contract record (a dict) out.

No I/O and no clock here: the caller passes a `ParseContext` (repository, bot names, the
ingestion timestamp). The live and the replay clients feed the same payloads to these
functions, so the demo exercises exactly the code that reads the real API.

A payload that cannot become a record (no number, no timestamp, ...) raises `ParseError`
with the reason; the caller quarantines it and carries on.

Traps handled (all seen in real payloads, see /work/shared/corpus/README.md):
- old plain-issue payloads carry a `pull_request` object whose URLs are all null: NOT a PR;
- timeline items without `id` (cross-referenced, committed, ...): a stable content hash;
- deleted accounts: `user`/`actor` null (kept as a null login) or the `ghost` user;
- old payloads with a single `assignee` and no `assignees`, labels as plain strings.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")

ISSUES_SCHEMA = pa.schema(
    [
        ("item_id", pa.string()),
        ("repo", pa.string()),
        ("number", pa.int64()),
        ("is_pull_request", pa.bool_()),
        ("title", pa.string()),
        ("body", pa.string()),
        ("state", pa.string()),
        ("state_reason", pa.string()),
        ("author_login", pa.string()),
        ("author_is_bot", pa.bool_()),
        ("assignees", pa.string()),
        ("labels", pa.string()),
        ("milestone", pa.string()),
        ("html_url", pa.string()),
        ("created_at", TS),
        ("updated_at", TS),
        ("closed_at", TS),
        ("merged_at", TS),
        ("merged_by_login", pa.string()),
        ("is_draft", pa.bool_()),
        ("ingested_at", TS),
    ]
)

COMMENTS_SCHEMA = pa.schema(
    [
        ("comment_id", pa.string()),
        ("item_id", pa.string()),
        ("repo", pa.string()),
        ("number", pa.int64()),
        ("kind", pa.string()),
        ("author_login", pa.string()),
        ("author_is_bot", pa.bool_()),
        ("body", pa.string()),
        ("review_state", pa.string()),
        ("html_url", pa.string()),
        ("created_at", TS),
        ("updated_at", TS),
        ("ingested_at", TS),
    ]
)

EVENTS_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("item_id", pa.string()),
        ("repo", pa.string()),
        ("number", pa.int64()),
        ("event", pa.string()),
        ("actor_login", pa.string()),
        ("actor_is_bot", pa.bool_()),
        ("label", pa.string()),
        ("milestone", pa.string()),
        ("state_reason", pa.string()),
        ("source_item_id", pa.string()),
        ("created_at", TS),
        ("ingested_at", TS),
    ]
)

ENTITIES: dict[str, pa.Schema] = {
    "issues": ISSUES_SCHEMA,
    "comments": COMMENTS_SCHEMA,
    "events": EVENTS_SCHEMA,
}

# The column each entity is bucketed by (one Parquet file per UTC day of this column).
TIME_COLUMNS = {"issues": "updated_at", "comments": "updated_at", "events": "created_at"}

# Timeline entries that are not issue events: comments, reviews and commits are other
# entities (or out of scope), and they carry no `created_at` of their own.
TIMELINE_NON_EVENTS = frozenset(
    {"commented", "reviewed", "committed", "line-commented", "commit-commented"}
)


class ParseError(ValueError):
    """A payload that cannot become a record; the message is the quarantine reason."""


@dataclass(frozen=True)
class ParseContext:
    """What every parser needs besides the payload."""

    repo: str  # "owner/name"
    bots: frozenset[str] = frozenset()  # extra bot logins, lower case (silo.yml `bots`)
    ingested_at: datetime | None = None

    @classmethod
    def build(cls, repo: str, bots, ingested_at: datetime) -> ParseContext:
        return cls(repo, frozenset(b.lower() for b in bots), ingested_at)


# --- small helpers ---------------------------------------------------------------------


def parse_ts(value: Any) -> datetime | None:
    """GitHub ISO-8601 text ('2012-05-19T10:38:23Z', or with an offset) -> aware UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ParseError(f"not an ISO-8601 timestamp: {value!r}") from exc
    else:
        raise ParseError(f"not a timestamp: {value!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def login_of(user: Any) -> str | None:
    """The login of a user object; None for a deleted account serialised as null."""
    if isinstance(user, Mapping):
        login = user.get("login")
        return login if isinstance(login, str) and login else None
    return None


def is_bot(user: Any, bots: frozenset[str] = frozenset()) -> bool:
    """A bot: a `[bot]` login, `type == "Bot"`, or a login listed in silo.yml `bots`."""
    if not isinstance(user, Mapping):
        return False
    login = login_of(user) or ""
    return (
        login.lower().endswith("[bot]")
        or user.get("type") == "Bot"
        or (bool(login) and login.lower() in bots)
    )


def item_id(repo: str, number: int) -> str:
    return f"github:{repo}#{number}"


def is_pull_request(issue: Mapping[str, Any]) -> bool:
    """True for a PR in the issues list. Old plain issues carry `pull_request` with null URLs."""
    pr = issue.get("pull_request")
    return isinstance(pr, Mapping) and any(
        pr.get(key) for key in ("url", "html_url", "diff_url", "patch_url")
    )


_NUMBER_IN_URL = re.compile(r"/(?:issues|pulls|pull)/(\d+)(?:$|[/?#])")
_REPO_IN_URL = re.compile(r"/repos/([^/]+/[^/]+)/|github\.com/([^/]+/[^/]+)/(?:issues|pull)/")


def number_from_url(*urls: Any) -> int | None:
    """The issue or PR number in the first URL that has one (`.../issues/123`, `/pulls/7`)."""
    for url in urls:
        if isinstance(url, str):
            match = _NUMBER_IN_URL.search(url)
            if match:
                return int(match.group(1))
    return None


def _number(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.isdigit():
            return int(value)
        raise ParseError(f"{what}: missing or non-integer number: {value!r}")
    return value


def _required_ts(payload: Mapping[str, Any], key: str, what: str) -> datetime:
    moment = parse_ts(payload.get(key))
    if moment is None:
        raise ParseError(f"{what}: missing {key}")
    return moment


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _json_list(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False)


def _label_name(label: Any) -> str | None:
    if isinstance(label, Mapping):
        return _text(label.get("name"))
    return label if isinstance(label, str) else None


def _milestone_title(milestone: Any) -> str | None:
    return _text(milestone.get("title")) if isinstance(milestone, Mapping) else None


# --- issues and PRs --------------------------------------------------------------------


def parse_issue(
    issue: Mapping[str, Any],
    ctx: ParseContext,
    pull: Mapping[str, Any] | None = None,
    merged_by: str | None = None,
) -> dict[str, Any]:
    """An issues-list payload (plus, for a PR, its pulls payload) -> an `issues` record.

    `pull` supplies merged_at, draft and (single-PR payloads only) merged_by; `merged_by` is
    the actor of the PR's `merged` event when the caller found one.
    """
    number = _number(issue.get("number"), "issue")
    what = f"issue {ctx.repo}#{number}"
    pr = is_pull_request(issue)
    assignees = issue.get("assignees")
    if not isinstance(assignees, list):
        single = issue.get("assignee")
        assignees = [single] if single else []
    merged_at = is_draft = None
    if pr:
        pr_obj = issue.get("pull_request") or {}
        merged_at = parse_ts((pull or {}).get("merged_at") or pr_obj.get("merged_at"))
        draft = (pull or {}).get("draft", issue.get("draft"))
        is_draft = bool(draft) if draft is not None else None
        merged_by = merged_by or login_of((pull or {}).get("merged_by"))
    else:
        is_draft, merged_by = False, None
    user = issue.get("user")
    return {
        "item_id": item_id(ctx.repo, number),
        "repo": ctx.repo,
        "number": number,
        "is_pull_request": pr,
        "title": _text(issue.get("title")),
        "body": _text(issue.get("body")),
        "state": _text(issue.get("state")),
        "state_reason": _text(issue.get("state_reason")),
        "author_login": login_of(user),
        "author_is_bot": is_bot(user, ctx.bots),
        "assignees": _json_list([x for x in map(login_of, assignees) if x]),
        "labels": _json_list([x for x in map(_label_name, issue.get("labels") or []) if x]),
        "milestone": _milestone_title(issue.get("milestone")),
        "html_url": _text(issue.get("html_url")),
        "created_at": parse_ts(issue.get("created_at")),
        "updated_at": _required_ts(issue, "updated_at", what),
        "closed_at": parse_ts(issue.get("closed_at")),
        "merged_at": merged_at,
        "merged_by_login": merged_by if pr else None,
        "is_draft": is_draft,
        "ingested_at": ctx.ingested_at,
    }


# --- comments, reviews, review comments --------------------------------------------------


def _comment(
    ctx: ParseContext,
    kind: str,
    number: int,
    payload: Mapping[str, Any],
    created_at: datetime | None,
    updated_at: datetime,
    review_state: str | None = None,
) -> dict[str, Any]:
    cid = payload.get("id")
    if cid is None or cid == "":
        raise ParseError(f"{kind} on {ctx.repo}#{number}: missing id")
    user = payload.get("user")
    return {
        "comment_id": f"{item_id(ctx.repo, number)}/{kind}/{cid}",
        "item_id": item_id(ctx.repo, number),
        "repo": ctx.repo,
        "number": number,
        "kind": kind,
        "author_login": login_of(user),
        "author_is_bot": is_bot(user, ctx.bots),
        "body": _text(payload.get("body")),
        "review_state": review_state,
        "html_url": _text(payload.get("html_url")),
        "created_at": created_at,
        "updated_at": updated_at,
        "ingested_at": ctx.ingested_at,
    }


def parse_issue_comment(
    payload: Mapping[str, Any], ctx: ParseContext, numbers_by_id: Mapping[int, int] | None = None
) -> dict[str, Any]:
    """A `GET /repos/{o}/{r}/issues/comments` item -> a `comments` record (issue_comment).

    The number comes from `html_url` (`.../issues/12#issuecomment-...`), else `issue_url`.
    Trap: 2012-era payloads have no `html_url` and their `issue_url` ends with the issue's
    *id*, not its number; `numbers_by_id` (issue id -> number, from the issues fetched with
    the comments) translates it.
    """
    number = number_from_url(payload.get("html_url"))
    if number is None:
        number = number_from_url(payload.get("issue_url"))
        if number is not None and numbers_by_id:
            number = numbers_by_id.get(number, number)
    if number is None:
        raise ParseError(f"issue comment {payload.get('id')!r}: no issue number in its URLs")
    what = f"issue comment {payload.get('id')!r}"
    updated = _required_ts(payload, "updated_at", what)
    return _comment(
        ctx, "issue_comment", number, payload, parse_ts(payload.get("created_at")), updated
    )


def parse_review_comment(payload: Mapping[str, Any], ctx: ParseContext) -> dict[str, Any]:
    """A `GET /repos/{o}/{r}/pulls/comments` item -> a `comments` record (review_comment)."""
    links = payload.get("_links") if isinstance(payload.get("_links"), Mapping) else {}
    pr_link = links.get("pull_request") if isinstance(links.get("pull_request"), Mapping) else {}
    number = number_from_url(
        payload.get("pull_request_url"), payload.get("html_url"), pr_link.get("href")
    )
    if number is None:
        raise ParseError(f"review comment {payload.get('id')!r}: no PR number in its URLs")
    what = f"review comment {payload.get('id')!r}"
    updated = _required_ts(payload, "updated_at", what)
    return _comment(
        ctx, "review_comment", number, payload, parse_ts(payload.get("created_at")), updated
    )


def parse_review(payload: Mapping[str, Any], ctx: ParseContext, number: int | None = None):
    """A `GET /repos/{o}/{r}/pulls/{n}/reviews` item -> a `comments` record (review).

    Reviews have only `submitted_at`: it is both created_at and updated_at. A pending
    review (not submitted, visible only to its author) has none and raises ParseError.
    """
    if number is None:
        number = number_from_url(payload.get("pull_request_url"), payload.get("html_url"))
    if number is None:
        raise ParseError(f"review {payload.get('id')!r}: no PR number")
    submitted = _required_ts(payload, "submitted_at", f"review {payload.get('id')!r}")
    return _comment(
        ctx, "review", number, payload, submitted, submitted, _text(payload.get("state"))
    )


# --- events --------------------------------------------------------------------------------


def _source_item_id(event: Mapping[str, Any]) -> str | None:
    """For cross-referenced: the item that mentions this one, as `github:owner/repo#n`."""
    source = event.get("source")
    issue = source.get("issue") if isinstance(source, Mapping) else None
    if not isinstance(issue, Mapping) or issue.get("number") is None:
        return None
    repo_obj = issue.get("repository")
    full = repo_obj.get("full_name") if isinstance(repo_obj, Mapping) else None
    if not full:
        for url in (issue.get("repository_url"), issue.get("url"), issue.get("html_url")):
            match = _REPO_IN_URL.search(url + "/") if isinstance(url, str) else None
            if match:
                full = match.group(1) or match.group(2)
                break
    return item_id(full, issue["number"]) if full else None


def stable_event_key(event: Mapping[str, Any]) -> str:
    """A content hash for timeline items that have no `id` (same payload -> same key)."""
    source = event.get("source") if isinstance(event.get("source"), Mapping) else {}
    issue = source.get("issue") if isinstance(source.get("issue"), Mapping) else {}
    basis = {
        "event": event.get("event"),
        "created_at": event.get("created_at"),
        "actor": login_of(event.get("actor")),
        "source": issue.get("url") or issue.get("html_url") or issue.get("number"),
        "label": _label_name(event.get("label")),
        "commit": event.get("commit_id") or event.get("sha"),
    }
    digest = hashlib.sha1(json.dumps(basis, sort_keys=True, default=str).encode()).hexdigest()
    return f"h{digest[:20]}"


def parse_event(
    payload: Mapping[str, Any], ctx: ParseContext, number: int | None = None
) -> dict[str, Any]:
    """An issue event or a timeline event -> an `events` record.

    Repo-wide events (`/issues/events`) carry their `issue`; per-item timelines do not, so
    the caller passes `number`.
    """
    kind = payload.get("event")
    if not isinstance(kind, str) or not kind:
        raise ParseError(f"event {payload.get('id')!r}: no event type")
    if number is None:
        issue = payload.get("issue")
        number = issue.get("number") if isinstance(issue, Mapping) else None
        if number is None:
            number = number_from_url(payload.get("issue_url"))
    number = _number(number, f"{kind} event {payload.get('id')!r}")
    created = _required_ts(payload, "created_at", f"{kind} event on {ctx.repo}#{number}")
    eid = payload.get("id")
    key = str(eid) if eid not in (None, "") else stable_event_key(payload)
    actor = payload.get("actor")
    return {
        "event_id": f"{item_id(ctx.repo, number)}/event/{key}",
        "item_id": item_id(ctx.repo, number),
        "repo": ctx.repo,
        "number": number,
        "event": kind,
        "actor_login": login_of(actor),
        "actor_is_bot": is_bot(actor, ctx.bots),
        "label": _label_name(payload.get("label")),
        "milestone": _milestone_title(payload.get("milestone")),
        "state_reason": _text(payload.get("state_reason")),
        "source_item_id": _source_item_id(payload) if kind == "cross-referenced" else None,
        "created_at": created,
        "ingested_at": ctx.ingested_at,
    }


def parse_timeline_item(
    payload: Mapping[str, Any], ctx: ParseContext, number: int
) -> dict[str, Any] | None:
    """A `GET /repos/{o}/{r}/issues/{n}/timeline` item -> an `events` record, or None for
    entries that are not events (comments, reviews, commits: other entities or out of scope)."""
    if payload.get("event") in TIMELINE_NON_EVENTS:
        return None
    return parse_event(payload, ctx, number)
