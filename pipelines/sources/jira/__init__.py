"""Jira source: issues, comments and changelog of the issues updated in a window.

`ingest(ws, window)` asks the client (live or replay, from `silo.yml`) for the issues updated
in the window plus `overlap_minutes` before it, parses them with `parse.py` and lands one
Parquet file per UTC day per entity, each record on the day of its issue's `updated_at`.
No Dagster here. See README.md for endpoints, request counts and configuration.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from pipelines.config import Workspace
from pipelines.landing import QUARANTINE_SCHEMA, Quarantine, Window, write_window
from pipelines.sources.jira import parse
from pipelines.sources.jira.client import (
    UNREADABLE,
    JiraClient,
    JiraSourceError,
    JiraUnavailable,
    LiveJiraClient,
    ReplayJiraClient,
    RetryPolicy,
    build_jql,
    make_client,
)
from pipelines.sources.jira.parse import ENTITIES

__all__ = [
    "ENTITIES",
    "JiraClient",
    "JiraSourceError",
    "JiraUnavailable",
    "LiveJiraClient",
    "ReplayJiraClient",
    "RetryPolicy",
    "build_jql",
    "collect",
    "ingest",
]

SOURCE = parse.SOURCE
_KEYS = {"issues": "item_id", "comments": "comment_id", "changelog": "change_id"}


def collect(
    issues: Any,
    fmap: parse.FieldMap,
    bots: tuple[str, ...],
    window: Window,
    quarantine: Quarantine,
    ingested_at: datetime,
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, datetime]]:
    """Parse raw issues into records per entity, keeping one version of each issue.

    An issue met twice (paging overlap) keeps its latest version and that version's comments
    and histories. Issues updated at or after `window.end` belong to the next window and are
    skipped. A bad issue, comment or history goes to `quarantine`, the rest still lands.
    Returns (records per entity sorted by key, issue updated_at per item_id).
    """
    latest: dict[str, tuple[dict, list[dict], list[dict]]] = {}
    for raw in issues:
        where = raw.get("self") if isinstance(raw, dict) else None
        if isinstance(raw, dict) and UNREADABLE in raw:  # a replay file that cannot be read
            quarantine.add(str(where), raw[UNREADABLE], record_id=f"jira:{raw['key']}",
                           payload=raw.get("text"))  # fmt: skip
            continue
        try:
            issue = parse.issue_record(raw, fmap, bots, ingested_at)
        except parse.ParseError as exc:
            key = raw.get("key") if isinstance(raw, dict) else None
            quarantine.add(
                str(where or "jira"), str(exc), record_id=key and f"jira:{key}", payload=raw
            )
            continue
        if issue["updated_at"] >= window.end:
            continue
        key, item_id = issue["issue_key"], issue["item_id"]
        if item_id in latest and latest[item_id][0]["updated_at"] > issue["updated_at"]:
            continue
        comments, histories = [], []
        for c in parse.embedded_comments(raw)[0]:
            try:
                comments.append(parse.comment_record(key, c, bots, ingested_at))
            except parse.ParseError as exc:
                quarantine.add(str(where), str(exc), record_id=item_id, payload=c)
        for h in parse.embedded_histories(raw)[0]:
            try:
                histories.extend(parse.history_records(key, h, bots, ingested_at))
            except parse.ParseError as exc:
                quarantine.add(str(where), str(exc), record_id=item_id, payload=h)
        latest[item_id] = (issue, comments, histories)

    records: dict[str, list[dict[str, Any]]] = {name: [] for name in ENTITIES}
    for issue, comments, histories in latest.values():
        records["issues"].append(issue)
        records["comments"].extend(comments)
        records["changelog"].extend(histories)
    for name, rows in records.items():
        unique = {row[_KEYS[name]]: row for row in rows}  # a comment listed twice lands once
        records[name] = [unique[k] for k in sorted(unique)]
    updated = {issue["item_id"]: issue["updated_at"] for issue, _, _ in latest.values()}
    return records, updated


# A long window (a first load, a backfill) lands in parts of this many days, one after the
# other: memory holds one part's issues, comments and changelog, not a year's (6.5 GB at
# the bench's large size when a year was held at once).
PART_DAYS = 14


def ingest(
    ws: Workspace,
    window: Window,
    *,
    client: JiraClient | None = None,
    log: logging.Logger | None = None,
) -> dict[str, int]:
    """Fetch the issues updated in `window` (+ overlap) and land them; rows per entity.

    Every day of the window is rewritten for each entity (and the quarantine), so a re-run
    replaces the window. The window is fetched and written in parts of `PART_DAYS` days,
    each whole before the next (only the first reaches back `overlap_minutes`: the others
    start where the previous one ended); a crash leaves the parts already written landed and
    the others as they were, and the re-run lands the window again.
    """
    log = log or logging.getLogger("silo.jira")
    cfg = ws.jira
    if cfg is None:
        raise JiraSourceError(f"{ws.root}/silo.yml has no 'sources.jira' section")
    client = client or make_client(cfg, log, ws.root / "state" / SOURCE / "replay-index.json")
    try:
        fmap, warnings = parse.resolve_fields(cfg.fields, client.field_list())
    except parse.ParseError as exc:
        raise JiraSourceError(f"{ws.root}/silo.yml: {exc}") from exc
    for warning in warnings:
        log.warning("jira: %s", warning)
    counts = dict.fromkeys(ENTITIES, 0)
    for number, part in enumerate(window.parts(PART_DAYS)):
        fetch = part.with_overlap(cfg.overlap_minutes) if number == 0 else part
        landed = _land(ws, part, fetch, client, fmap, log)
        for name in ENTITIES:
            counts[name] += landed[name]
    log.info("jira: window %s .. %s: landed %s", window.start, window.end, counts)
    return counts


def _land(
    ws: Workspace,
    window: Window,
    fetch: Window,
    client: JiraClient,
    fmap: parse.FieldMap,
    log: logging.Logger,
) -> dict[str, int]:
    """Fetch the issues updated in `fetch` and write `window`'s days; rows per entity."""
    cfg = ws.jira
    quarantine = Quarantine(SOURCE)
    raws = client.issues(fetch, parse.requested_fields(fmap))
    records, updated = collect(raws, fmap, cfg.bots, window, quarantine, datetime.now(UTC))

    counts: dict[str, int] = {}
    for name, schema in ENTITIES.items():
        written = write_window(
            ws.raw_dir,
            SOURCE,
            name,
            window,
            records[name],
            schema,
            "updated_at",
            day_of=lambda row: updated[row["item_id"]],
        )
        counts[name] = sum(written.values())
    write_window(
        ws.raw_dir,
        SOURCE,
        "quarantine",
        window,
        quarantine.rows,
        QUARANTINE_SCHEMA,
        "quarantined_at",
    )
    if quarantine.rows:
        log.warning(
            "jira: %d record(s) quarantined under %s/%s/quarantine",
            len(quarantine.rows),
            ws.raw_dir,
            SOURCE,
        )
    return counts
