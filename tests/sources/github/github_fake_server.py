"""A small GitHub REST look-alike on 127.0.0.1, for tests of the live client.

It serves repositories held in memory (`RepoData`) with GitHub's behaviour where the client
depends on it: `per_page`/`page` pagination with absolute `Link` URLs on the server's host
and port, `since` filtering, `sort`/`direction`, `/api/v3` prefix (GitHub Enterprise), and
scripted faults (`Fault`): rate limits with reset headers, 5xx bursts, a connection dropped
mid-body, a truncated JSON body, 401/403/404.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass
class RepoData:
    """Payload lists of one repository, shaped as the REST API returns them."""

    issues: list[dict] = field(default_factory=list)
    pulls: list[dict] = field(default_factory=list)
    issue_comments: list[dict] = field(default_factory=list)
    review_comments: list[dict] = field(default_factory=list)
    reviews: dict[int, list[dict]] = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)
    timelines: dict[int, list[dict]] = field(default_factory=dict)


@dataclass
class Fault:
    """Answer the requests whose path+query contains `match` with a fault, `times` times,
    after letting `skip` matching requests through."""

    match: str
    kind: str  # rate_primary, rate_429, rate_secondary, 5xx, drop, truncate, 401, 403, 404
    times: int = 1
    skip: int = 0
    status: int = 502  # for kind 5xx
    reset_in: float = 1.0  # seconds until X-RateLimit-Reset / Retry-After


def _ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


class FakeGitHub:
    """Start with `with FakeGitHub() as gh:`; `gh.base_url` is what PyGithub needs."""

    PREFIX = "/api/v3"

    def __init__(self):
        self.repos: dict[str, RepoData] = {}
        self.orgs: dict[str, list[str]] = {}
        self.faults: list[Fault] = []
        self.hits: list[str] = []  # every request's path+query, in order
        self.served: list[str] = []  # requests answered 200
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle --------------------------------------------------------------------
    def __enter__(self) -> FakeGitHub:
        fake = self

        class Handler(_Handler):
            github = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.PREFIX}"

    def hits_for(self, fragment: str) -> int:
        return sum(fragment in hit for hit in self.hits)

    # --- routing ------------------------------------------------------------------------
    def take_fault(self, target: str) -> Fault | None:
        with self._lock:
            self.hits.append(target)
            for fault in self.faults:
                if fault.match in target and fault.times > 0:
                    if fault.skip > 0:
                        fault.skip -= 1
                        return None
                    fault.times -= 1
                    return fault
        return None

    def route(self, path: str, query: dict[str, str]) -> tuple[int, object]:
        """(status, payload) for a GET; lists are paginated by the handler."""
        parts = path.strip("/").split("/")
        if parts[:1] == ["orgs"] and len(parts) == 3 and parts[2] == "repos":
            if parts[1] not in self.orgs:
                return 404, {"message": "Not Found"}
            return 200, [
                {"full_name": name, "name": name.split("/")[1]} for name in self.orgs[parts[1]]
            ]
        if parts[:1] != ["repos"] or len(parts) < 4:
            return 404, {"message": "Not Found"}
        repo = self.repos.get(f"{parts[1]}/{parts[2]}")
        if repo is None:
            return 404, {"message": "Not Found"}
        rest = parts[3:]
        since = _ts(query.get("since"))
        if rest == ["issues"]:
            return 200, self._list(repo.issues, query, since, default_sort="created")
        if rest == ["pulls"]:
            return 200, self._list(repo.pulls, query, None, default_sort="created")
        if rest == ["issues", "comments"]:
            return 200, self._list(
                repo.issue_comments, query, since, default_sort="created", asc=True
            )
        if rest == ["pulls", "comments"]:
            return 200, self._list(
                repo.review_comments, query, since, default_sort="created", asc=True
            )
        if rest == ["issues", "events"]:
            return 200, sorted(repo.events, key=lambda e: e["created_at"], reverse=True)
        if len(rest) == 2 and rest[0] == "pulls" and rest[1].isdigit():
            for pull in repo.pulls:
                if pull["number"] == int(rest[1]):
                    plain = {k: v for k, v in pull.items() if not k.startswith("fake_")}
                    return 200, {**plain, "merged_by": pull.get("fake_merged_by")}
            return 404, {"message": "Not Found"}
        if len(rest) == 3 and rest[0] == "pulls" and rest[2] == "reviews":
            return 200, repo.reviews.get(int(rest[1]), [])
        if len(rest) == 3 and rest[0] == "issues" and rest[2] == "timeline":
            return 200, repo.timelines.get(int(rest[1]), [])
        return 404, {"message": "Not Found"}

    @staticmethod
    def _list(items, query, since, default_sort, asc=False):
        sort = query.get("sort", default_sort)
        key = "updated_at" if sort == "updated" else "created_at"
        direction = query.get("direction", "asc" if asc else "desc")
        kept = [i for i in items if since is None or _ts(i["updated_at"]) >= since]
        kept = sorted(kept, key=lambda i: (i[key], i.get("id", 0)), reverse=direction == "desc")
        return [{k: v for k, v in i.items() if not k.startswith("fake_")} for i in kept]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    github: FakeGitHub

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None, length=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _json(self, status: int, payload, headers=None):
        self._send(status, json.dumps(payload).encode(), headers)

    def do_GET(self):
        split = urlsplit(self.path)
        target = split.path + (f"?{split.query}" if split.query else "")
        fault = self.github.take_fault(target)
        if fault and self._fault(fault):
            return
        path = (
            split.path[len(FakeGitHub.PREFIX) :]
            if split.path.startswith(FakeGitHub.PREFIX)
            else split.path
        )
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        status, payload = self.github.route(path, query)
        headers = {
            "X-RateLimit-Remaining": "4999",
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
        }
        if status == 200 and isinstance(payload, list):
            per_page = int(query.get("per_page", 30))
            page = int(query.get("page", 1))
            chunk = payload[(page - 1) * per_page : page * per_page]
            if page * per_page < len(payload):
                nxt = urlencode({**query, "page": page + 1})
                headers["Link"] = (
                    f'<http://127.0.0.1:{self.github.port}{split.path}?{nxt}>; rel="next"'
                )
            payload = chunk
        if status == 200:
            with self.github._lock:
                self.github.served.append(target)
        body = json.dumps(payload).encode()
        if fault and fault.kind == "drop":  # announce the whole body, send half, hang up
            self.close_connection = True
            self._send(200, body[: len(body) // 2], headers, length=len(body))
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault and fault.kind == "truncate":  # a complete response whose JSON is cut short
            self._send(200, body[: max(len(body) // 2, 1)], headers)
            return
        self._send(status, body, headers)

    def _fault(self, fault: Fault) -> bool:
        """Answer with the fault; False for faults applied to a real answer (drop, truncate)."""
        reset = str(int(time.time() + fault.reset_in + 0.999))
        kind = fault.kind
        if kind == "rate_primary":
            self._json(
                403,
                {"message": "API rate limit exceeded for user ID 1."},
                {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
            )
        elif kind == "rate_429":
            self._json(
                429,
                {"message": "API rate limit exceeded"},
                {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
            )
        elif kind == "rate_secondary":
            self._json(
                403,
                {
                    "message": "You have exceeded a secondary rate limit. Please wait a "
                    "few minutes before you try again."
                },
                {"Retry-After": str(int(fault.reset_in)), "X-RateLimit-Remaining": "4000"},
            )
        elif kind == "5xx":
            self._send(fault.status, b"<html>Bad Gateway</html>")
        elif kind == "401":
            self._json(401, {"message": "Bad credentials"})
        elif kind == "403":
            self._json(
                403,
                {"message": "Resource not accessible by personal access token"},
                {"X-RateLimit-Remaining": "4990"},
            )
        elif kind == "404":
            self._json(404, {"message": "Not Found"})
        else:
            return False
        return True
