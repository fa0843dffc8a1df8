"""GitHub clients: one interface, a live implementation (PyGithub over HTTP) and a replay one
(JSON files in the layout of pipelines/sources/README.md). Both yield raw payload dicts,
exactly as the REST API returns them; `parse.py` turns them into records.

Live client design (why not PyGithub's objects and `GithubRetry`):
- Pages are fetched with PyGithub's `Requester.requestJsonAndCheck` and `Link` headers are
  followed here. The JSON of each page is used as is, so no attribute access can trigger a
  lazy completion (N+1 requests), and every HTTP request is counted (`client.requests`).
- PyGithub's own retry is switched off (`retry=None`) and `_get` retries instead, per page:
  urllib3's retry cannot see failures while the body is read (a connection dropped mid-page,
  a truncated JSON body) and waits on rate limits without a cap. One place decides:
    * 403/429 rate limits (primary: `X-RateLimit-Remaining: 0`; secondary: `Retry-After` or
      GitHub's message): wait `Retry-After`, else until `X-RateLimit-Reset`, capped at
      `RetryPolicy.max_wait_seconds`; one log line says how long;
    * 5xx, timeouts, connection errors, truncated or non-JSON bodies: exponential backoff,
      at most `RetryPolicy.max_attempts` attempts;
    * 401, 403 (not a rate limit), 404 and other 4xx: fail at once with a message naming the
      token environment variable or the repository.
"""

from __future__ import annotations

import bisect
import http.client
import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import requests
import urllib3
from github import Auth, Github, GithubException
from github.Requester import Requester

from pipelines.atomic import read_json_object, write_json
from pipelines.config import GitHubConfig

from .parse import parse_ts

LOG = logging.getLogger(__name__)


class GitHubError(RuntimeError):
    """GitHub ingestion cannot go on; the message says what to fix."""


class GitHubAuthError(GitHubError):
    """401, or 403 that is not a rate limit: the credentials are wrong or too weak."""


class GitHubNotFoundError(GitHubError):
    """404: the repository (or organisation) does not exist or the token cannot see it."""


class GitHubUnavailableError(GitHubError):
    """Transient failures or rate limits outlasted the retry budget."""


class GitHubClient(Protocol):
    """What `ingest` needs from GitHub. Every method yields raw REST payload dicts.

    Orders matter: the caller stops paging as soon as it is past the window.
    """

    requests: int  # HTTP requests made (live) or files read (replay)

    def org_repos(self, org: str) -> Iterator[dict]: ...  # GET /orgs/{org}/repos
    def issues(self, repo: str, since: datetime) -> Iterator[dict]: ...  # updated asc
    def pulls(self, repo: str) -> Iterator[dict]: ...  # updated desc
    def pull(self, repo: str, number: int) -> dict: ...
    def issue_comments(self, repo: str, since: datetime) -> Iterator[dict]: ...  # updated asc
    def review_comments(self, repo: str, since: datetime) -> Iterator[dict]: ...  # updated asc
    def reviews(self, repo: str, number: int) -> Iterator[dict]: ...
    def issue_events(self, repo: str) -> Iterator[dict]: ...  # created desc
    def timeline(self, repo: str, number: int) -> Iterator[dict]: ...
    def location(self, repo: str, what: str) -> str: ...  # URL or file, for quarantine


def iso(moment: datetime) -> str:
    """A UTC timestamp in the form GitHub's `since` parameter expects."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds on retries and waits. Tests shrink the delays; production keeps the defaults."""

    max_attempts: int = 6  # per request, transient errors (5xx, resets, truncated bodies)
    backoff_seconds: float = 1.0  # first backoff, doubled each time
    max_backoff_seconds: float = 60.0
    max_wait_seconds: float = 900.0  # cap on one rate-limit wait (15 min)
    max_rate_limit_waits: int = 8  # per request
    secondary_wait_seconds: float = 60.0  # secondary limit with no header: GitHub says >= 1 min


_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="next"')

# Failures while sending a request or reading its body that a retry may cure.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    ConnectionError,
    TimeoutError,
    ValueError,  # json.JSONDecodeError: a truncated body
)


def next_link(headers: dict[str, Any]) -> str | None:
    """The `rel="next"` URL of a `Link` header, if any."""
    match = _NEXT_LINK.search(headers.get("link") or "")
    return match.group(1) if match else None


class LiveGitHubClient:
    """GitHub REST (github.com or Enterprise via `base_url`) through PyGithub's requester."""

    def __init__(
        self,
        base_url: str = "https://api.github.com",
        token: str | None = None,
        *,
        token_env: str = "GITHUB_TOKEN",
        per_page: int = 100,
        seconds_between_requests: float | None = 0.25,
        timeout: float = 30,
        policy: RetryPolicy | None = None,
        log: Any = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ):
        self.base_url = base_url.rstrip("/")
        self.token_env = token_env
        self.has_token = bool(token)
        self.per_page = min(max(per_page, 1), 100)
        self.policy = policy or RetryPolicy()
        self.log = log or LOG
        self.sleep, self.clock = sleep, clock
        self.requests = 0
        self.rate_limit_waits: list[float] = []
        self._gh = Github(
            auth=Auth.Token(token) if token else None,
            base_url=self.base_url,
            timeout=timeout,
            retry=None,  # retries are ours, see the module docstring
            seconds_between_requests=seconds_between_requests,
            per_page=self.per_page,
        )
        self._requester: Requester = self._gh.requester

    @classmethod
    def from_config(cls, cfg: GitHubConfig, log: Any = None, **kwargs) -> LiveGitHubClient:
        return cls(
            cfg.base_url,
            cfg.token(),
            token_env=cfg.token_env,
            per_page=cfg.per_page,
            log=log,
            **kwargs,
        )

    def location(self, repo: str, what: str) -> str:
        return f"{self.base_url}/repos/{repo}/{what}"

    # --- one request, with the retry rules -------------------------------------------------

    def _get(self, url: str, params: dict[str, Any] | None, subject: str) -> tuple[dict, Any]:
        """GET one page; return (headers, json). `subject` names the repository or org."""
        attempts = waits = 0
        while True:
            self.requests += 1
            attempts += 1
            try:
                headers, data = self._requester.requestJsonAndCheck("GET", url, parameters=params)
                if data is None:
                    raise ValueError("empty body")
                return headers, data
            except GithubException as exc:
                delay = self._rate_limit_delay(exc)
                if delay is not None:
                    waits += 1
                    if waits > self.policy.max_rate_limit_waits:
                        raise GitHubUnavailableError(
                            f"GitHub rate limit still exhausted after {waits - 1} waits on GET "
                            f"{url}; run again later or set a token in ${self.token_env}"
                        ) from exc
                    self._wait(delay, url, exc)
                    continue
                if exc.status is not None and (exc.status >= 500 or exc.status == 408):
                    reason = f"HTTP {exc.status}"
                else:
                    raise self._fatal(exc, url, subject) from exc
            except TRANSIENT_ERRORS as exc:
                reason = f"{type(exc).__name__}: {str(exc)[:120]}"
            if attempts >= self.policy.max_attempts:
                raise GitHubUnavailableError(
                    f"GET {url} failed {attempts} times (last: {reason}); GitHub or the network "
                    "is unavailable, run the partition again later"
                )
            backoff = min(
                self.policy.backoff_seconds * 2 ** (attempts - 1), self.policy.max_backoff_seconds
            )
            self.log.warning(
                "GitHub GET %s: %s; retry %d/%d in %.1f s",
                url,
                reason,
                attempts,
                self.policy.max_attempts - 1,
                backoff,
            )
            self.sleep(backoff)

    def _rate_limit_delay(self, exc: GithubException) -> float | None:
        """Seconds to wait if `exc` is a rate limit (primary or secondary), else None."""
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        message = (exc.data or {}).get("message", "") if isinstance(exc.data, dict) else ""
        remaining = headers.get("x-ratelimit-remaining")
        retry_after = headers.get("retry-after")
        limited = exc.status == 429 or (
            exc.status == 403
            and (remaining == "0" or retry_after is not None or Requester.isRateLimitError(message))
        )
        if not limited:
            return None
        if retry_after is not None:
            try:
                return max(float(retry_after), 0.0)
            except ValueError:
                pass
        reset = headers.get("x-ratelimit-reset")
        if remaining == "0" and reset:
            try:
                return max(float(reset) - self.clock(), 0.0) + 1.0  # +1 s: reset is rounded
            except ValueError:
                pass
        return self.policy.secondary_wait_seconds

    def _wait(self, delay: float, url: str, exc: GithubException) -> None:
        capped = min(delay, self.policy.max_wait_seconds)
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        kind = "primary" if headers.get("x-ratelimit-remaining") == "0" else "secondary"
        note = f" (capped from {delay:.0f} s)" if capped < delay else ""
        self.log.warning(
            "GitHub %s rate limit (HTTP %s) on GET %s: waiting %.1f s%s",
            kind,
            exc.status,
            url,
            capped,
            note,
        )
        self.rate_limit_waits.append(capped)
        self.sleep(capped)

    def _fatal(self, exc: GithubException, url: str, subject: str) -> GitHubError:
        message = exc.data.get("message") if isinstance(exc.data, dict) else None
        said = f" (GitHub said: {message})" if message else ""
        token = (
            f"the token in ${self.token_env}"
            if self.has_token
            else f"no token (${self.token_env} is unset)"
        )
        if exc.status == 401:
            return GitHubAuthError(
                f"GitHub rejected the credentials (HTTP 401) on GET {url}{said}: check {token}; "
                "it may be expired or revoked"
            )
        if exc.status == 403:
            return GitHubAuthError(
                f"GitHub refused access to {subject} (HTTP 403) on GET {url}{said}: {token} lacks "
                "read access (needs repo or public_repo scope, or SSO authorisation for the org)"
            )
        if exc.status == 404:
            return GitHubNotFoundError(
                f"GitHub answered 404 for {subject} on GET {url}{said}: check the name in silo.yml "
                f"(sources.github.repos/orgs) and that {token} can see it (private repositories "
                "answer 404 to tokens without access)"
            )
        return GitHubError(f"GitHub answered HTTP {exc.status} on GET {url}{said}")

    def probe(self, path: str, subject: str) -> dict:
        """GET one object (`/repos/o/r`, `/orgs/o`): the pre-flight's one cheap request."""
        return self._get(path, None, subject)[1]

    # --- paging --------------------------------------------------------------------------

    def _paged(self, path: str, params: dict[str, Any], subject: str) -> Iterator[dict]:
        """Yield the items of every page, following `Link: rel="next"` lazily: a caller
        that stops iterating stops the requests."""
        url: str | None = path
        query: dict[str, Any] | None = {**params, "per_page": self.per_page}
        while url:
            headers, data = self._get(url, query, subject)
            if not isinstance(data, list):
                raise GitHubError(f"GET {url}: expected a JSON list, got {type(data).__name__}")
            yield from data
            url, query = next_link(headers), None  # the next URL carries the query

    def org_repos(self, org: str) -> Iterator[dict]:
        return self._paged(f"/orgs/{org}/repos", {"type": "all"}, f"organisation '{org}'")

    def issues(self, repo: str, since: datetime) -> Iterator[dict]:
        params = {"state": "all", "since": iso(since), "sort": "updated", "direction": "asc"}
        return self._paged(f"/repos/{repo}/issues", params, f"repository '{repo}'")

    def pulls(self, repo: str) -> Iterator[dict]:
        params = {"state": "all", "sort": "updated", "direction": "desc"}
        return self._paged(f"/repos/{repo}/pulls", params, f"repository '{repo}'")

    def _per_item(self, repo: str, number: int, pages: Iterator[dict]) -> Iterator[dict]:
        """Per-item endpoints: a 404 means the item moved or vanished after it was listed
        (transferred, deleted); warn and carry on, as the repository itself answered."""
        try:
            yield from pages
        except GitHubNotFoundError:
            self.log.warning("GitHub %s#%d answered 404 (moved or deleted); skipped", repo, number)

    def pull(self, repo: str, number: int) -> dict:
        """One PR (has `merged_by`); {} if it answers 404 (see `_per_item`)."""
        got = list(
            self._per_item(repo, number, self._single(f"/repos/{repo}/pulls/{number}", repo))
        )
        return got[0] if got else {}

    def _single(self, path: str, repo: str) -> Iterator[dict]:
        yield self._get(path, None, f"repository '{repo}'")[1]

    def issue_comments(self, repo: str, since: datetime) -> Iterator[dict]:
        params = {"since": iso(since), "sort": "updated", "direction": "asc"}
        return self._paged(f"/repos/{repo}/issues/comments", params, f"repository '{repo}'")

    def review_comments(self, repo: str, since: datetime) -> Iterator[dict]:
        params = {"since": iso(since), "sort": "updated", "direction": "asc"}
        return self._paged(f"/repos/{repo}/pulls/comments", params, f"repository '{repo}'")

    def reviews(self, repo: str, number: int) -> Iterator[dict]:
        path = f"/repos/{repo}/pulls/{number}/reviews"
        return self._per_item(repo, number, self._paged(path, {}, f"repository '{repo}'"))

    def issue_events(self, repo: str) -> Iterator[dict]:
        return self._paged(f"/repos/{repo}/issues/events", {}, f"repository '{repo}'")

    def timeline(self, repo: str, number: int) -> Iterator[dict]:
        path = f"/repos/{repo}/issues/{number}/timeline"
        return self._per_item(repo, number, self._paged(path, {}, f"repository '{repo}'"))


class ReplayGitHubClient:
    """Reads the replay layout (one folder per repository) and answers like the API would:
    the same `since` filters and sort orders, so `ingest` cannot tell it from live.

    Missing optional files (no reviews, no timeline for an item) read as empty lists; a
    missing repository folder fails like a 404. `requests` counts the answers given.

    With an `index_dir` (the workspace's state), each list answered by time (issues,
    comments, pulls, events) has an index there, as a server keeps its own: the byte span
    of every item in time order. A one-day window then reads that day's items, not a year
    of JSON, while the replay file's size and modification time are those recorded.
    """

    def __init__(self, replay_dir: Path, index_dir: Path | None = None):
        self.root = Path(replay_dir)
        self.index_dir = Path(index_dir) if index_dir else None
        self.requests = 0

    @classmethod
    def from_config(cls, cfg: GitHubConfig, index_dir: Path | None = None) -> ReplayGitHubClient:
        if cfg.replay_dir is None:
            raise GitHubError("sources.github.replay_dir is required in replay mode")
        return cls(cfg.replay_dir, index_dir)

    def location(self, repo: str, what: str) -> str:
        return str(self.root / repo / what)

    def _repo_dir(self, repo: str) -> Path:
        folder = self.root / repo
        if not folder.is_dir():
            raise GitHubNotFoundError(
                f"replay folder {folder} not found for repository '{repo}' "
                "(check sources.github.replay_dir and sources.github.repos in silo.yml)"
            )
        return folder

    def _load(self, repo: str, name: str) -> list[dict]:
        path = self._repo_dir(repo) / name
        if not path.is_file():
            return []
        self.requests += 1
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise GitHubError(f"{path}: unreadable replay file: {exc}") from exc
        if isinstance(data, dict):  # tolerate a single object where a list is expected
            data = [data]
        if not isinstance(data, list):
            raise GitHubError(f"{path}: expected a JSON list, got {type(data).__name__}")
        return [item for item in data if isinstance(item, dict)]

    @staticmethod
    def _ts(item: dict, key: str) -> datetime:
        try:
            return parse_ts(item.get(key)) or datetime.min.replace(tzinfo=UTC)
        except ValueError:
            return datetime.min.replace(tzinfo=UTC)

    def _ordered(self, repo: str, name: str, key: str) -> tuple[Path, list[float], list[list[int]]]:
        """The replay file, with the byte span of each of its items in `key` order (stable)
        and each item's time (epoch seconds; none or unreadable: first), from the index when
        it is still that of the file, else read anew (the file is parsed item by item, no
        item kept: the index is the times and spans only, not a copy)."""
        assert self.index_dir is not None
        source = self._repo_dir(repo) / name
        meta_path = self.index_dir / repo / f"{name}.{key}.json"
        stat = source.stat() if source.is_file() else None
        state = [stat.st_size, stat.st_mtime_ns] if stat else None
        meta = read_json_object(meta_path)
        if meta.get("source") == state and "times" in meta:
            return source, meta["times"], meta["spans"]
        floor = datetime.min.replace(tzinfo=UTC)
        found = []  # (time, position in the file, span)
        for position, (item, span) in enumerate(self._items_with_spans(source)):
            moment = self._ts(item, key)
            found.append((-1e18 if moment == floor else moment.timestamp(), position, span))
        found.sort(key=lambda f: (f[0], f[1]))
        write_json(meta_path, {"source": state, "times": [f[0] for f in found],
                               "spans": [f[2] for f in found]})  # fmt: skip
        return source, [f[0] for f in found], [f[2] for f in found]

    @staticmethod
    def _items_with_spans(path: Path) -> Iterator[tuple[dict, list[int]]]:
        """Each object of the JSON list in `path` with its [start, end) byte span (a file
        holding one object: that object); nothing when the file is absent."""
        if not path.is_file():
            return
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
            decoder, at = json.JSONDecoder(), 0
            ascii_only = text.isascii()
            byte_at, char_at = 0, 0

            def to_bytes(index: int) -> int:  # a character index as a byte offset
                nonlocal byte_at, char_at
                if ascii_only:
                    return index
                byte_at += len(text[char_at:index].encode("utf-8"))
                char_at = index
                return byte_at

            while at < len(text) and text[at].isspace():
                at += 1
            if text[at : at + 1] != "[":  # one object, as `_load` tolerates
                item = json.loads(text)
                if isinstance(item, dict):
                    yield item, [0, len(raw)]
                return
            at += 1
            while True:
                while at < len(text) and text[at] in " \t\r\n,":
                    at += 1
                if at >= len(text) or text[at] == "]":
                    return
                item, end = decoder.raw_decode(text, at)
                if isinstance(item, dict):
                    yield item, [to_bytes(at), to_bytes(end)]
                at = end
        except (OSError, ValueError) as exc:
            raise GitHubError(f"{path}: unreadable replay file: {exc}") from exc

    def _from(self, repo: str, name: str, key: str, since: datetime) -> Iterator[dict]:
        """The items whose `key` time is at or after `since`, in time order (as reading the
        whole file and sorting it)."""
        if self.index_dir is None:
            return self._since_asc_by(self._load(repo, name), key, since)
        self.requests += 1
        path, times, spans = self._ordered(repo, name, key)
        return self._read_spans(path, spans[bisect.bisect_left(times, since.timestamp()) :])

    def _newest_first(self, repo: str, name: str, key: str) -> Iterator[dict]:
        """The items newest first, items of one time in file order (as `sorted(...,
        reverse=True)`), read lazily: a caller that stops at its window reads little."""
        if self.index_dir is None:
            items = self._load(repo, name)
            return iter(sorted(items, key=lambda i: self._ts(i, key), reverse=True))
        self.requests += 1
        path, times, spans = self._ordered(repo, name, key)
        order = []
        end = len(times)
        while end > 0:
            first = bisect.bisect_left(times, times[end - 1], 0, end)
            order += spans[first:end]
            end = first
        return self._read_spans(path, order)

    @staticmethod
    def _read_spans(path: Path, spans: list[list[int]]) -> Iterator[dict]:
        """The items at these byte spans of `path`, in that order, read as they are asked."""
        if not spans:
            return iter(())

        def read() -> Iterator[dict]:
            with open(path, "rb") as handle:
                for start, end in spans:
                    handle.seek(start)
                    yield json.loads(handle.read(end - start))

        return read()

    def _since_asc_by(self, items: list[dict], key: str, since: datetime) -> Iterator[dict]:
        kept = [i for i in items if self._ts(i, key) >= since]
        return iter(sorted(kept, key=lambda i: self._ts(i, key)))

    def org_repos(self, org: str) -> Iterator[dict]:
        folder = self.root / org
        if not folder.is_dir():
            raise GitHubNotFoundError(f"replay folder {folder} not found for organisation '{org}'")
        for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
            yield {"full_name": f"{org}/{sub.name}", "name": sub.name, "archived": False}

    def issues(self, repo: str, since: datetime) -> Iterator[dict]:
        return self._from(repo, "issues.json", "updated_at", since)

    def pulls(self, repo: str) -> Iterator[dict]:
        return self._newest_first(repo, "pulls.json", "updated_at")

    def pull(self, repo: str, number: int) -> dict:
        """The PR from pulls.json; {} when absent (the issue's own `pull_request` object
        then supplies merged_at, and draft stays unknown)."""
        for item in self._load(repo, "pulls.json"):
            if item.get("number") == number:
                return item
        return {}

    def issue_comments(self, repo: str, since: datetime) -> Iterator[dict]:
        return self._from(repo, "issue_comments.json", "updated_at", since)

    def review_comments(self, repo: str, since: datetime) -> Iterator[dict]:
        return self._from(repo, "review_comments.json", "updated_at", since)

    def reviews(self, repo: str, number: int) -> Iterator[dict]:
        return iter(self._load(repo, f"reviews/{number}.json"))

    def issue_events(self, repo: str) -> Iterator[dict]:
        return self._newest_first(repo, "events.json", "created_at")

    def timeline(self, repo: str, number: int) -> Iterator[dict]:
        return iter(self._load(repo, f"timeline/{number}.json"))


def make_client(cfg: GitHubConfig, log: Any = None, index_dir: Path | None = None) -> GitHubClient:
    """The client `silo.yml` asks for (`sources.github.mode`); a replay keeps its indexes in
    `index_dir` when given (the workspace's state)."""
    if cfg.mode == "replay":
        return ReplayGitHubClient.from_config(cfg, index_dir)
    return LiveGitHubClient.from_config(cfg, log=log)
