"""Jira clients: live (the `jira` library over HTTP) and replay (JSON files), one interface.

Both yield raw issue dicts exactly as the REST API v2 returns them, oldest update first, with
`fields.comment` and `changelog` completed (every comment and every history the server will
give), so the same parsers (`parse.py`) make the records.

Live endpoints (see README.md for request counts):
- `GET /rest/api/2/serverInfo` (by the library's constructor), `GET /rest/api/2/myself` (the
  account's time zone, in which Jira reads JQL dates), `GET /rest/api/2/field`;
- Cloud: `GET /rest/api/2/search/jql` paged by `nextPageToken` (`enhanced_search_issues`);
  the old Cloud `/rest/api/2/search` answers 410 Gone and is never called on Cloud;
- Server/DC: `GET /rest/api/2/search` paged by `startAt` (`search_issues`, one page a call);
- `GET /rest/api/2/issue/KEY/comment` pages when `fields.comment` is truncated;
- Cloud: `GET /rest/api/2/issue/KEY/changelog` pages when the embedded changelog is truncated;
  Server/DC (no such endpoint): `GET /rest/api/2/issue/KEY?expand=changelog`.

Faults: every request goes through `RetryPolicy.call`: 429/503 wait for `Retry-After` (or
`X-RateLimit-Reset`) with a cap, 5xx, timeouts, dropped connections and truncated JSON back
off and retry a bounded number of times; 400/401/403/404/410 fail at once with a message
naming the credential variables, the URL and the JQL. The library's own retry loop is
switched off (`max_retries=0`): it sleeps 10*2^n s on dropped connections and ignores 502.
"""

from __future__ import annotations

import bisect
import email.utils
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests

from pipelines.atomic import read_json_object, write_json
from pipelines.config import JiraConfig
from pipelines.landing import Window
from pipelines.sources.jira import parse

T = TypeVar("T")
LOG = logging.getLogger("silo.jira")


class JiraSourceError(RuntimeError):
    """Jira ingestion cannot go on; the message says what to fix."""


class JiraUnavailable(JiraSourceError):
    """Transient failures outlasted the retry budget."""


# --- the interface --------------------------------------------------------------------------


class JiraClient(Protocol):
    """What `ingest` needs from a Jira client, live or replay."""

    deployment: str  # "cloud" or "server"

    def field_list(self) -> list[dict[str, Any]]:
        """The server's fields, as `GET /rest/api/2/field` returns them."""
        ...

    def issues(self, window: Window, fields: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Raw issues updated in `window`, oldest first, comments and changelog complete."""
        ...


# --- retries ---------------------------------------------------------------------------------


def wait_hint(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds the server asks us to wait: `Retry-After` (seconds or HTTP date), else
    `X-RateLimit-Reset` (ISO 8601 or epoch seconds). None when the headers say nothing."""
    now = now or datetime.now(UTC)
    value = headers.get("Retry-After")
    if value:
        value = value.strip()
        if value.replace(".", "", 1).isdigit():
            return float(value)
        try:
            return max(0.0, (email.utils.parsedate_to_datetime(value) - now).total_seconds())
        except (TypeError, ValueError):
            pass
    reset = headers.get("X-RateLimit-Reset")
    if reset:
        reset = reset.strip()
        try:
            moment = (
                datetime.fromtimestamp(float(reset), UTC)
                if reset.replace(".", "", 1).isdigit()
                else datetime.fromisoformat(reset.replace("Z", "+00:00"))
            )
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return max(0.0, (moment - now).total_seconds())
    return None


@dataclass
class RetryPolicy:
    """How long and how often to retry one request.

    `attempts` bounds the tries per request; `backoff` doubles from its value up to
    `backoff_cap` for errors without a hint; a server-asked wait is capped at `wait_cap`.
    """

    attempts: int = 6
    backoff: float = 2.0
    backoff_cap: float = 60.0
    wait_cap: float = 300.0
    sleep: Callable[[float], None] = time.sleep
    context: dict[str, str] = field(default_factory=dict)  # names for error messages

    def call(self, what: str, fn: Callable[[], T], log: logging.Logger = LOG) -> T:
        """Run `fn` (one HTTP request) with retries; `what` names it in logs and errors."""
        from jira.exceptions import JIRAError

        for attempt in range(1, self.attempts + 1):
            try:
                return fn()
            except JIRAError as exc:
                status = exc.status_code or 0
                headers = exc.response.headers if exc.response is not None else {}
                if status in (429, 503):
                    hint = wait_hint(headers)
                    delay = min(self.wait_cap, hint if hint is not None else self._backoff(attempt))
                    reason = f"HTTP {status} (rate limited)" if status == 429 else f"HTTP {status}"
                    source = "Retry-After/X-RateLimit-Reset" if hint is not None else "backoff"
                elif status >= 500:
                    delay, reason, source = self._backoff(attempt), f"HTTP {status}", "backoff"
                else:
                    raise self.fatal(what, status, exc) from None
            except (requests.RequestException, ValueError) as exc:
                # dropped connection, timeout, chunked body cut short, truncated JSON
                kind = "truncated JSON" if isinstance(exc, ValueError) else type(exc).__name__
                delay, reason, source = self._backoff(attempt), kind, "backoff"
            if attempt == self.attempts:
                break
            log.warning(
                "jira: %s: %s; waiting %.1f s (%s), attempt %d/%d",
                what,
                reason,
                delay,
                source,
                attempt,
                self.attempts,
            )
            self.sleep(delay)
        raise JiraUnavailable(
            f"Jira: {what}: still failing after {self.attempts} attempts (last: {reason}); "
            f"re-run the same window later: it replaces what landed, nothing is lost"
        )

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_cap, self.backoff * 2 ** (attempt - 1))

    def fatal(self, what: str, status: int, exc: Exception) -> JiraSourceError:
        """An actionable error for a non-retryable answer."""
        c = self.context
        url = getattr(exc, "url", None) or c.get("url", "?")
        detail = (getattr(exc, "text", "") or "").strip()[:300]
        hint = {
            401: f"the credentials were rejected: check the environment variables "
            f"{c.get('credentials', 'named in sources.jira')}",
            403: f"the account in {c.get('credentials', 'sources.jira')} may not read this: "
            f"grant it 'Browse projects' on the projects of the JQL {c.get('jql', '')!r}",
            404: f"not found: check sources.jira.url ({c.get('url', '?')}) and that the "
            f"projects and issues of the JQL {c.get('jql', '')!r} exist and are visible",
            410: "410 Gone: this endpoint was removed (the old Jira Cloud search "
            "/rest/api/2/search): this site is Jira Cloud, set sources.jira.deployment: cloud",
            400: f"Jira rejected the request: check sources.jira.jql {c.get('jql', '')!r}",
        }.get(status, "unexpected answer")
        return JiraSourceError(f"Jira: {what}: HTTP {status} at {url}: {hint}. {detail}".strip())


# --- JQL ---------------------------------------------------------------------------------------


def _jql_time(moment: datetime, tz: tzinfo, widen: timedelta) -> str:
    """`moment` as a JQL date (minute precision) in the account's time zone `tz`.

    JQL reads dates in the time zone of the account's profile. When the local time is
    ambiguous (the autumn DST fold), Jira may read either instant: move by `widen` (one hour,
    outwards) so the query can only include more, never less; extra rows are filtered later.
    """
    local = moment.astimezone(tz)
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        local = (moment + widen).astimezone(tz)
    return local.strftime("%Y/%m/%d %H:%M")


def build_jql(base: str, start: datetime, end: datetime, tz: tzinfo) -> str:
    """`(<base>) AND updated >= "start" AND updated < "end" ORDER BY updated ASC, key ASC`.

    The start is floored and the end ceiled to the minute (JQL has no seconds), both in the
    account time zone `tz`; the caller drops issues updated at or after `end`.
    """
    if "order by" in base.lower():
        raise JiraSourceError(
            f"sources.jira.jql {base!r}: remove ORDER BY; the ingestion orders by update time"
        )
    start = start.replace(second=0, microsecond=0)
    if end.second or end.microsecond:
        end = end.replace(second=0, microsecond=0) + timedelta(minutes=1)
    lower = _jql_time(start, tz, timedelta(hours=-1))
    upper = _jql_time(end, tz, timedelta(hours=1))
    return (
        f'({base}) AND updated >= "{lower}" AND updated < "{upper}" ORDER BY updated ASC, key ASC'
    )


def _updated(raw: Mapping[str, Any]) -> datetime | None:
    try:
        return parse.parse_time(raw.get("fields", {}).get("updated"), "updated")
    except parse.ParseError:
        return None


# --- live ---------------------------------------------------------------------------------------


class LiveJiraClient:
    """Jira Cloud or Server/DC through the `jira` library (API v2, plain-text bodies)."""

    def __init__(
        self,
        cfg: JiraConfig,
        *,
        retry: RetryPolicy | None = None,
        log: logging.Logger | None = None,
        timeout: tuple[float, float] = (10.0, 60.0),
    ):
        from jira import JIRA

        self.cfg, self.log = cfg, log or LOG
        self.deployment = cfg.deployment
        self.page_size = cfg.page_size
        email_addr, token = cfg.credentials()
        if cfg.deployment == "cloud":
            needed = f"{cfg.email_env} and {cfg.token_env} (e-mail and API token, basic auth)"
            if not (email_addr and token):
                raise JiraSourceError(
                    f"Jira Cloud at {cfg.url}: set the environment variables {needed}"
                )
            auth: dict[str, Any] = {"basic_auth": (email_addr, token)}
        else:
            needed = f"{cfg.token_env} (personal access token, bearer auth)"
            if not token:
                raise JiraSourceError(
                    f"Jira Server at {cfg.url}: set the environment variable {needed}"
                )
            auth = {"token_auth": token}
        self.retry = retry or RetryPolicy()
        self.retry.context = {"url": cfg.url, "jql": cfg.jql, "credentials": needed}
        self._jira = self._call(
            "connect (GET serverInfo)",
            lambda: JIRA(
                server=cfg.url,
                options={"check_update": False},
                max_retries=0,  # retries are ours: see RetryPolicy
                timeout=timeout,
                logging=False,
                **auth,
            ),
        )
        reported = self._jira.deploymentType or "unknown"
        if (reported == "Cloud") != (cfg.deployment == "cloud"):
            raise JiraSourceError(
                f"Jira at {cfg.url} reports deploymentType {reported!r} but silo.yml says "
                f"sources.jira.deployment: {cfg.deployment}; fix silo.yml (cloud or server)"
            )
        self.timezone = self._account_timezone()

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        return self.retry.call(what, fn, self.log)

    def _account_timezone(self) -> tzinfo:
        """The account's profile time zone: the one Jira reads JQL dates in (UTC if unset)."""
        me = self._call("GET myself", self._jira.myself)
        name = me.get("timeZone") if isinstance(me, Mapping) else None
        try:
            return ZoneInfo(name) if name else UTC
        except (ZoneInfoNotFoundError, ValueError):
            self.log.warning("jira: unknown account time zone %r; JQL dates in UTC", name)
            return UTC

    def field_list(self) -> list[dict[str, Any]]:
        return self._call("GET field", self._jira.fields)

    def issues(self, window: Window, fields: Sequence[str]) -> Iterator[dict[str, Any]]:
        pages = self._cloud_pages if self.deployment == "cloud" else self._server_pages
        for raw in pages(window, list(fields)):
            yield self._complete(raw)

    def _search_page(
        self, what: str, search: Callable[..., Any], jql: str, fields: list[str], **paging: Any
    ) -> dict[str, Any]:
        """One search page as raw JSON, with the explicit fields and the changelog."""
        return self._call(
            what,
            partial(
                search,
                jql,
                maxResults=self.page_size,
                fields=list(fields),
                expand="changelog",
                json_result=True,
                **paging,
            ),
        )

    def _cloud_pages(self, window: Window, fields: list[str]) -> Iterator[dict[str, Any]]:
        """Token-paged `search/jql`: the token carries the position, no offsets to drift."""
        jql = build_jql(self.cfg.jql, window.start, window.end, self.timezone)
        token, n = None, 0
        while True:
            n += 1
            page = self._search_page(
                f"search page {n} (JQL {jql!r})",
                self._jira.enhanced_search_issues,
                jql,
                fields,
                nextPageToken=token,
            )
            yield from page.get("issues") or []
            token = page.get("nextPageToken")
            if not token or page.get("isLast"):
                return

    def _server_pages(self, window: Window, fields: list[str]) -> Iterator[dict[str, Any]]:
        """Offset-paged `search`, re-anchored on each page's last update time.

        A plain offset drifts when an issue already read is updated during the run (it leaves
        the window and every later issue moves up one place: one would be skipped). So each
        page restarts the query at the minute of the last issue read, skipping only the issues
        already read in that minute. Totals are advisory: an empty or short page ends the run.
        """
        lower, skip, n = window.start, 0, 0
        seen: dict[str, datetime] = {}
        while True:
            n += 1
            jql = build_jql(self.cfg.jql, lower, window.end, self.timezone)
            page = self._search_page(
                f"search page {n} (startAt {skip}, JQL {jql!r})",
                self._jira.search_issues,
                jql,
                fields,
                startAt=skip,
            )
            issues = page.get("issues") or []
            for raw in issues:
                key, moment = raw.get("key"), _updated(raw)
                if key in seen and moment is not None and seen[key] >= moment:
                    continue  # read on an earlier page, unchanged
                if key and moment is not None:
                    seen[key] = moment
                yield raw
            total, served = page.get("total"), page.get("maxResults") or self.page_size
            if (
                not issues
                or len(issues) < served
                or (isinstance(total, int) and skip + len(issues) >= total)
            ):
                return
            last = _updated(issues[-1])
            anchor = (
                last.astimezone(self.timezone).replace(second=0, microsecond=0) if last else None
            )
            if anchor is not None and anchor > lower:
                lower = anchor.astimezone(UTC)
                skip = sum(1 for m in seen.values() if m >= lower)
            else:
                skip += len(issues)

    def _pages(self, what: str, path: str, items_key: str) -> list[dict[str, Any]]:
        """Every item of an offset-paged per-issue endpoint (comments, changelog).

        Uses the library's JSON GET (its session, auth and base URL); the library has no
        public method that returns these pages with their totals.
        """
        out: list[dict[str, Any]] = []
        while True:
            params = {"startAt": len(out), "maxResults": self.page_size}
            page = self._call(
                f"{what} (startAt {len(out)})",
                partial(self._jira._get_json, path, params=params),
            )
            items = page.get(items_key) or []
            out.extend(items)
            total = page.get("total")
            if not items or page.get("isLast") or (isinstance(total, int) and len(out) >= total):
                return out

    def _complete(self, raw: dict[str, Any]) -> dict[str, Any]:
        """The issue with every comment and history, fetching the pages search left out."""
        key = raw.get("key")
        if not isinstance(key, str):
            return raw  # the parser quarantines it
        out = dict(raw)
        comments, total = parse.embedded_comments(raw)
        if total > len(comments):
            comments = self._pages(f"{key} comments", f"issue/{key}/comment", "comments")
            out["fields"] = {**raw["fields"], "comment": _block(comments, "comments")}
        histories, total = parse.embedded_histories(raw)
        if total > len(histories):
            if self.deployment == "cloud":
                histories = self._pages(f"{key} changelog", f"issue/{key}/changelog", "values")
            else:
                issue = self._call(
                    f"{key} changelog (GET issue?expand=changelog)",
                    lambda: self._jira.issue(key, fields="updated", expand="changelog"),
                )
                histories, _ = parse.embedded_histories(issue.raw)
            if len(histories) < total:
                self.log.warning(
                    "jira: %s: the server counts %d histories but returns %d; landing those %d",
                    key,
                    total,
                    len(histories),
                    len(histories),
                )
            out["changelog"] = _block(histories, "histories")
        return out


def _block(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """A complete embedded block (`fields.comment` or `changelog`) holding `items`."""
    return {key: items, "startAt": 0, "maxResults": len(items), "total": len(items)}


# --- replay -----------------------------------------------------------------------------------


UNREADABLE = "silo_unreadable"  # the reason, in the record a replay file that cannot be read


def unreadable(path: Path, reason: str, text: str) -> dict[str, Any]:
    """The stand-in for an issue file that cannot be read: `collect` quarantines it with
    `reason` (not as a malformed issue), the issue named by the file name, the text kept."""
    return {"self": str(path), "key": path.stem, UNREADABLE: reason, "text": text}


class ReplayJiraClient:
    """Reads the replay layout (`serverInfo.json`, `field.json`, `issues/<KEY>.json`).

    The files hold what the REST API returns, so the parsers cannot tell replay from live.
    """

    def __init__(self, folder: Path, index_file: Path | None = None):
        self.folder = Path(folder)
        info = self._load(self.folder / "serverInfo.json")
        self.deployment = "cloud" if info.get("deploymentType") == "Cloud" else "server"
        # (updated, key, file name) of every readable issue, oldest first, read on first use; the
        # files that cannot be used, each yielded once (`issues`)
        self._index: list[tuple[datetime, str, str]] | None = None
        self._broken: list[dict[str, Any]] = []
        # where the index is kept between runs, as a server keeps its own: a file whose size
        # and modification time are those recorded is not read again to be indexed
        self.index_file = index_file
        self.files_read = 0

    @staticmethod
    def _load(path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise JiraSourceError(
                f"Jira replay: {path} is missing (see sources/README.md)"
            ) from exc
        except json.JSONDecodeError as exc:
            raise JiraSourceError(f"Jira replay: {path}: not valid JSON: {exc}") from exc

    def field_list(self) -> list[dict[str, Any]]:
        path = self.folder / "field.json"
        return self._load(path) if path.exists() else []

    def _read(self, path: Path) -> tuple[Any, dict[str, Any] | None]:
        """(issue, None), or (None, the stand-in `unreadable` gives) for a file that is not
        JSON or cannot be read."""
        self.files_read += 1
        data = b""
        try:
            data = path.read_bytes()
            return json.loads(data.decode("utf-8")), None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            reason = (
                f"unreadable: {exc}"
                if isinstance(exc, OSError)
                else f"not valid JSON (file cut short or corrupt): {exc}"
            )
            return None, unreadable(path, reason, data.decode("utf-8", "replace"))

    def _build_index(self) -> list[tuple[datetime, str, str]]:
        """Every file read once, only its `updated` and key kept (a year of a 1,000-person
        Jira is GBs of JSON: the issues are read again when a window asks for them). With an
        `index_file`, the files unchanged since it was written are not read at all."""
        known = read_json_object(self.index_file) if self.index_file else {}
        kept: dict[str, list] = {}
        index = []
        folder = self.folder / "issues"
        with os.scandir(folder) as entries:
            files = sorted((e.name, e) for e in entries if e.name.endswith(".json"))
        for name, entry in files:
            stat = entry.stat()
            seen = known.get(name)
            if (
                isinstance(seen, list)
                and len(seen) == 4  # the index is ours, but a file cut short is not trusted
                and seen[0] == stat.st_size
                and seen[1] == stat.st_mtime_ns
            ):
                # the name, not a Path: a Path per file was half of a re-run's landing
                index.append((datetime.fromisoformat(seen[2]), seen[3], name))
                kept[name] = seen
                continue
            path = folder / name
            raw, broken = self._read(path)
            moment = _updated(raw) if isinstance(raw, dict) else None
            if broken is not None:
                self._broken.append(broken)
            elif moment is None:
                self._broken.append(raw if isinstance(raw, dict) else {"self": str(path)})
            else:
                key = str(raw.get("key"))
                index.append((moment, key, name))
                kept[name] = [stat.st_size, stat.st_mtime_ns, moment.isoformat(), key]
        if self.index_file and kept != known:
            write_json(self.index_file, kept)
        index.sort()  # by time, key, then file name: the names are unique, no tie is left
        return index

    def issues(self, window: Window, fields: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Issues whose `fields.updated` falls in the window, oldest first.

        Unreadable files and issues without a usable `updated` are yielded too (last, by the
        first call of this client only), so the parser quarantines them with their file name
        rather than losing them silently. A file changed since the index was read is read as
        it is now, and still yielded only when its `updated` falls in the window.
        """
        if self._index is None:
            self._index = self._build_index()
        moments = [moment for moment, _, _ in self._index]
        first = bisect.bisect_left(moments, window.start)
        last = bisect.bisect_left(moments, window.end)
        folder = self.folder / "issues"
        for _, _, name in self._index[first:last]:
            path = folder / name
            raw, broken = self._read(path)
            if broken is not None:
                yield broken
                continue
            moment = _updated(raw) if isinstance(raw, dict) else None
            if moment is None or window.start <= moment < window.end:
                yield raw if isinstance(raw, dict) else {"self": str(path)}
        broken, self._broken = self._broken, []
        yield from broken


def make_client(
    cfg: JiraConfig, log: logging.Logger | None = None, index_file: Path | None = None
) -> JiraClient:
    """The client `silo.yml` asks for (`sources.jira.mode`); a replay keeps its index of the
    issue files in `index_file` when given (the workspace's state)."""
    if cfg.mode == "replay":
        if cfg.replay_dir is None:
            raise JiraSourceError("sources.jira.replay_dir is required in replay mode")
        return ReplayJiraClient(cfg.replay_dir, index_file)
    return LiveJiraClient(cfg, log=log)
