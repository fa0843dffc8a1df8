"""Fetch one window of GitHub activity and land it: the incremental rule lives here.

For each repository (silo.yml `repos`, plus every repository of each org in `orgs`), with
`since` = window start - `overlap_minutes` and `end` = window end:
1. issues and PRs updated in [since, end) (`/issues`, since, updated ascending: stop at end);
2. for the PRs among them, merged_at/draft from `/pulls` (updated descending: stop below
   since, or once every PR of the window is found); a PR still missing is fetched alone;
3. issue events created in [since, end) (`/issues/events`, newest first: stop below since);
   merged_by comes from the `merged` event, else from the single-PR payload;
4. issue comments and review comments updated in [since, end) (repo-wide, since, ascending);
5. for each PR updated in the window, its reviews submitted before `end`;
6. for each item updated in the window, its timeline items created before `end` that have
   no `id` (cross-references exist nowhere else), and those with an id in [since, end)
   (duplicates of step 3 collapse on `event_id`).
Steps 5 and 6 take older reviews and cross-references too: reviews and timelines have no
`since`, and an item reviewed on day D then commented on day D+1 is not "updated" in window D
any more when D is backfilled after D+1. Re-landing them with the item leaves no gap whatever
the run order; they land on the window's first day and staging keeps one row per key.

Resumability: the whole window is fetched into memory first and written only when the fetch
completed (then atomically per day by `landing.write_window`). A crash mid-fetch writes
nothing, so a re-run starts the window again: no gap, no duplicate; a re-run replaces it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pipelines.config import GitHubConfig, Workspace
from pipelines.landing import Quarantine, Window, write_window

from .client import GitHubClient, GitHubError, make_client
from .parse import (
    ENTITIES,
    TIME_COLUMNS,
    ParseContext,
    ParseError,
    is_pull_request,
    login_of,
    parse_event,
    parse_issue,
    parse_issue_comment,
    parse_review,
    parse_review_comment,
    parse_timeline_item,
    parse_ts,
)

SOURCE = "github"
LOG = logging.getLogger(__name__)
KEYS = {entity: schema.names[0] for entity, schema in ENTITIES.items()}


@dataclass
class WindowData:
    """Everything fetched for one window: records per entity (keyed, de-duplicated) and the
    payloads that could not be parsed."""

    records: dict[str, dict[str, dict]] = field(
        default_factory=lambda: {entity: {} for entity in ENTITIES}
    )
    quarantine: Quarantine = field(default_factory=lambda: Quarantine(SOURCE))
    repos: list[str] = field(default_factory=list)

    def add(self, entity: str, record: dict) -> None:
        """Keep one record per key: the latest version (pages can repeat a moving item)."""
        key = record[KEYS[entity]]
        column = TIME_COLUMNS[entity]
        old = self.records[entity].get(key)
        if old is None or record[column] >= old[column]:
            self.records[entity][key] = record

    def rows(self, entity: str) -> list[dict]:
        """Records sorted by key, so the same data always gives the same file."""
        return [self.records[entity][k] for k in sorted(self.records[entity])]


def _ts_or_none(item: dict, key: str) -> datetime | None:
    try:
        return parse_ts(item.get(key))
    except ParseError:
        return None


def in_window_ascending(
    items: Iterable[dict], key: str, since: datetime, end: datetime
) -> Iterator[dict]:
    """Items of an oldest-first list with `key` in [since, end); stops reading at `end`.
    Items whose `key` is unreadable are passed on (the parser quarantines them)."""
    for item in items:
        moment = _ts_or_none(item, key)
        if moment is not None and moment >= end:
            return
        if moment is None or moment >= since:
            yield item


def in_window_descending(
    items: Iterable[dict], key: str, since: datetime, end: datetime
) -> Iterator[dict]:
    """Items of a newest-first list with `key` in [since, end); stops reading below `since`."""
    for item in items:
        moment = _ts_or_none(item, key)
        if moment is not None and moment < since:
            return
        if moment is None or moment < end:
            yield item


def resolve_repos(client: GitHubClient, cfg: GitHubConfig) -> list[str]:
    """`repos` then every repository of each org, de-duplicated, in a stable order."""
    seen: dict[str, None] = dict.fromkeys(cfg.repos)
    for org in cfg.orgs:
        for repo in client.org_repos(org):
            name = repo.get("full_name")
            if isinstance(name, str) and name.count("/") == 1:
                seen.setdefault(name, None)
    return list(seen)


class _RepoFetch:
    """Fetches one repository's window into a `WindowData`."""

    def __init__(self, client, repo, data, since, end, bots, ingested_at):
        self.client, self.repo, self.data = client, repo, data
        self.since, self.end = since, end
        self.ctx = ParseContext.build(repo, bots, ingested_at)

    def parse(self, entity: str, where: str, payload: dict, parser: Callable[..., Any], *args):
        """Parse one payload; quarantine it with the reason if it cannot become a record."""
        try:
            record = parser(payload, self.ctx, *args)
        except ParseError as exc:
            rid = payload.get("id") if isinstance(payload, dict) else None
            self.data.quarantine.add(
                self.client.location(self.repo, where),
                f"{entity}: {exc}",
                record_id=None if rid is None else f"github:{self.repo}/{where}/{rid}",
                payload=payload,
            )
            return None
        if record is not None:
            self.data.add(entity, record)
        return record

    def run(self) -> None:
        issues = list(
            in_window_ascending(
                self.client.issues(self.repo, self.since), "updated_at", self.since, self.end
            )
        )
        numbers = sorted({i["number"] for i in issues if isinstance(i.get("number"), int)})
        pr_numbers = {
            i["number"] for i in issues if is_pull_request(i) and isinstance(i.get("number"), int)
        }
        pulls = self.pulls(pr_numbers)
        merged_by = self.events()
        for issue in issues:
            number = issue.get("number")
            pull = pulls.get(number)
            if (
                pull
                and pull.get("merged_at")
                and not (merged_by.get(number) or login_of(pull.get("merged_by")))
            ):
                pull = self.client.pull(self.repo, number)  # merged before the window
            self.parse("issues", "issues", issue, parse_issue, pull, merged_by.get(number))
        ids = {i["id"]: i["number"] for i in issues if isinstance(i.get("id"), int)}
        for comment in in_window_ascending(
            self.client.issue_comments(self.repo, self.since), "updated_at", self.since, self.end
        ):
            self.parse("comments", "issues/comments", comment, parse_issue_comment, ids)
        for comment in in_window_ascending(
            self.client.review_comments(self.repo, self.since), "updated_at", self.since, self.end
        ):
            self.parse("comments", "pulls/comments", comment, parse_review_comment)
        for number in sorted(pr_numbers):
            for review in self.client.reviews(self.repo, number):
                submitted = _ts_or_none(review, "submitted_at")
                if submitted is None and review.get("state") == "PENDING":
                    continue  # a draft review only its author sees
                if submitted is None or submitted < self.end:  # older ones too: see docstring
                    self.parse("comments", f"pulls/{number}/reviews", review, parse_review, number)
        for number in numbers:
            for item in self.client.timeline(self.repo, number):
                if self.keep_timeline_item(item):
                    self.parse(
                        "events", f"issues/{number}/timeline", item, parse_timeline_item, number
                    )

    def keep_timeline_item(self, item: dict) -> bool:
        """Timeline items before the window end. Items with an `id` also come from
        `/issues/events`, which is complete for the window: keep only those in [since, end).
        Items without one (cross-references) exist only here: keep them whatever their age."""
        created = _ts_or_none(item, "created_at")
        if created is None:
            return True  # the parser skips non-events and quarantines broken events
        if item.get("id") in (None, ""):
            return created < self.end
        return self.since <= created < self.end

    def pulls(self, wanted: set[int]) -> dict[int, dict]:
        """PR payloads for the PR numbers of the window (merged_at, draft, merged_by)."""
        found: dict[int, dict] = {}
        if not wanted:
            return found
        for pull in in_window_descending(
            self.client.pulls(self.repo), "updated_at", self.since, self.end
        ):
            if pull.get("number") in wanted:
                found[pull["number"]] = pull
                if len(found) == len(wanted):
                    break
        for number in sorted(wanted - set(found)):  # updated_at of issue and PR can differ
            found[number] = self.client.pull(self.repo, number)
        return found

    def events(self) -> dict[int, str]:
        """Land issue events of the window; return {PR number: login of who merged it}."""
        merged_by: dict[int, str] = {}
        for event in in_window_descending(
            self.client.issue_events(self.repo), "created_at", self.since, self.end
        ):
            record = self.parse("events", "issues/events", event, parse_event)
            if record and record["event"] == "merged" and record["actor_login"]:
                merged_by.setdefault(record["number"], record["actor_login"])
        return merged_by


def fetch_window(
    client: GitHubClient,
    cfg: GitHubConfig,
    window: Window,
    *,
    now: datetime | None = None,
    log: Any = None,
) -> WindowData:
    """Fetch every repository's activity in `window` (+ overlap). Raises GitHubError subclasses
    on fatal API answers (bad token, unknown repository, retries exhausted)."""
    log = log or LOG
    ingested_at = now or datetime.now(UTC)
    since = window.with_overlap(cfg.overlap_minutes).start
    data = WindowData()
    data.repos = resolve_repos(client, cfg)
    for repo in data.repos:
        before = client.requests
        _RepoFetch(client, repo, data, since, window.end, cfg.bots, ingested_at).run()
        log.info(
            "github %s: fetched window %s..%s in %d request(s)",
            repo,
            since.isoformat(),
            window.end.isoformat(),
            client.requests - before,
        )
    return data


def quarantine_partition(window: Window) -> str:
    """The quarantine file of a window: its first day, or `first_last` for several days."""
    days = window.days()
    first, last = days[0].isoformat(), days[-1].isoformat()
    return first if first == last else f"{first}_{last}"


def ingest(
    ws: Workspace,
    window: Window,
    *,
    client: GitHubClient | None = None,
    log: Any = None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Fetch what changed in `window` (+ overlap) and land one Parquet file per UTC day per
    entity under `ws.raw_dir/github/`; bad payloads go to the window's quarantine file.
    Returns rows landed per entity. `now` fixes `ingested_at` (tests, reproducible runs)."""
    if ws.github is None:
        raise GitHubError(f"{ws.root}/silo.yml: no sources.github section; nothing to ingest")
    log = log or LOG
    client = client or make_client(ws.github, log, ws.root / "state" / SOURCE / "replay-index")
    data = fetch_window(client, ws.github, window, now=now, log=log)
    counts: dict[str, int] = {}
    for entity, schema in ENTITIES.items():
        per_day = write_window(
            ws.raw_dir, SOURCE, entity, window, data.rows(entity), schema, TIME_COLUMNS[entity]
        )
        counts[entity] = sum(per_day.values())
    bad = data.quarantine.write(ws.raw_dir, quarantine_partition(window))
    log.info(
        "github: landed %s for %d repo(s), %d quarantined, %d request(s)",
        counts,
        len(data.repos),
        bad,
        client.requests,
    )
    return counts
