"""A small Jira on 127.0.0.1 that answers like Jira Cloud or like Jira Server/DC.

It holds complete issues (every comment and history) and serves them the way the real APIs
do: search results carry only the first comments and histories with the real `total`, so the
client must fetch the rest per issue; Cloud pages search by `nextPageToken` and answers 410 on
the old `/rest/api/2/search`; Server pages by `startAt`, may cap the page size, and has no
`/issue/KEY/changelog`. JQL dates are read in the account's time zone, as Jira does.

Faults are queued with `fail(path_part, kind, times)` and consumed in order: `429` (with
`Retry-After: 1` and `X-RateLimit-*`), `502`, `503`, `drop` (headers and half the body, then
the connection closes), `truncate` (a complete HTTP answer whose JSON is cut), and any other
status code as a plain error.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

API = "/rest/api/2/"
STATUS_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def jira_time(moment: datetime) -> str:
    """A Jira REST timestamp: `2026-03-02T10:15:00.000+0000`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def _updated(issue: dict) -> datetime:
    return datetime.fromisoformat(issue["fields"]["updated"]).astimezone(UTC)


class FakeJira:
    """State and behaviour of the fake; `start()` serves it on a free loopback port."""

    def __init__(
        self,
        issues: list[dict],
        *,
        deployment: str = "Cloud",
        field_list: list[dict] | None = None,
        timezone: str = "Europe/Paris",
        email: str = "robot@acme.example",
        token: str = "s3cret-token",
        embed_comments: int = 2,
        embed_histories: int = 2,
        max_page: int = 1000,
        total_override: int | None = None,
        projects: set[str] | None = None,
        issue_overrides: dict[str, dict] | None = None,
        comment_pages: dict[str, list[dict]] | None = None,
    ):
        self.issues = {i["key"]: copy.deepcopy(i) for i in issues}
        self.deployment = deployment
        self.field_list = field_list or []
        self.tz = ZoneInfo(timezone)
        self.email, self.token = email, token
        self.embed_comments, self.embed_histories = embed_comments, embed_histories
        self.max_page, self.total_override = max_page, total_override
        self.projects = projects or {k.rsplit("-", 1)[0] for k in self.issues}
        self.issue_overrides = issue_overrides or {}  # KEY -> verbatim GET issue answer
        self.comment_pages = comment_pages or {}  # KEY -> verbatim comment pages
        self.faults: list[list] = []
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        self.after_search: Callable[[FakeJira, int], None] | None = None
        self.searches = 0
        self.lock = threading.Lock()
        self.url = ""
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle ---------------------------------------------------------------------
    def start(self) -> str:
        fake = self

        class Handler(_Handler):
            jira = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.url

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def fail(self, path_part: str, kind: str, times: int = 1) -> None:
        """Queue `times` faults of `kind` for the next requests whose path holds `path_part`."""
        self.faults.append([path_part, kind, times])

    def count(self, path_part: str) -> int:
        return sum(1 for path, _ in self.requests if path_part in path)

    # --- behaviour -----------------------------------------------------------------------
    def take_fault(self, path: str) -> str | None:
        with self.lock:
            for fault in self.faults:
                if fault[0] in path and fault[2] > 0:
                    fault[2] -= 1
                    return fault[1]
        return None

    def authorised(self, header: str | None) -> bool:
        if self.deployment == "Cloud":
            raw = f"{self.email}:{self.token}".encode()
            return header == "Basic " + base64.b64encode(raw).decode()
        return header == f"Bearer {self.token}"

    def route(self, path: str, q: dict[str, list[str]]) -> tuple[int, object]:
        """(status, JSON body) for one GET."""
        one = {k: v[0] for k, v in q.items()}
        rest = path[len(API) :] if path.startswith(API) else None
        if rest is None:
            return 404, {"errorMessages": ["no such resource"]}
        cloud = self.deployment == "Cloud"
        if rest == "serverInfo":
            return 200, {
                "baseUrl": self.url,
                "deploymentType": self.deployment,
                "version": "1001.0.0" if cloud else "9.12.2",
                "versionNumbers": [1001, 0, 0] if cloud else [9, 12, 2],
                "serverTime": jira_time(datetime.now(UTC)),
            }
        if rest == "myself":
            who = (
                {"accountId": "robot-1", "accountType": "atlassian"}
                if cloud
                else {"name": "robot", "key": "robot"}
            )
            return 200, {**who, "timeZone": str(self.tz)}
        if rest == "field":
            return 200, self.field_list
        if rest == "search/jql":
            return (
                self.search_cloud(one)
                if cloud
                else (404, {"errorMessages": ["null for uri: /rest/api/2/search/jql"]})
            )
        if rest == "search":
            if cloud:
                return 410, {
                    "errorMessages": [
                        "The requested API has been removed. Please migrate to the "
                        "/rest/api/3/search/jql API."
                    ]
                }
            return self.search_server(one)
        m = re.fullmatch(r"issue/([A-Z][A-Z0-9]*-\d+)(/comment|/changelog)?", rest)
        if not m or m.group(1) not in self.issues:
            return 404, {"errorMessages": ["Issue does not exist or you do not have permission"]}
        key, sub = m.group(1), m.group(2)
        issue = self.issues[key]
        start, size = int(one.get("startAt", 0)), min(int(one.get("maxResults", 50)), self.max_page)
        if sub == "/comment":
            if key in self.comment_pages:
                pages = self.comment_pages[key]
                return 200, next(
                    (p for p in pages if p["startAt"] == start),
                    {
                        "comments": [],
                        "startAt": start,
                        "maxResults": size,
                        "total": pages[0]["total"],
                    },
                )
            allc = issue["fields"].get("comment", {}).get("comments", [])
            return 200, {
                "comments": allc[start : start + size],
                "startAt": start,
                "maxResults": size,
                "total": len(allc),
            }
        if sub == "/changelog":
            if not cloud:
                return 404, {"errorMessages": ["null for uri"]}
            allh = issue.get("changelog", {}).get("histories", [])
            chunk = allh[start : start + size]
            return 200, {
                "values": chunk,
                "startAt": start,
                "maxResults": size,
                "total": len(allh),
                "isLast": start + len(chunk) >= len(allh),
            }
        if key in self.issue_overrides:
            return 200, self.issue_overrides[key]
        return 200, copy.deepcopy(issue)

    def matching(self, jql: str) -> tuple[int, object] | list[dict]:
        """Issues matching the JQL the client builds, sorted like `ORDER BY updated, key`."""
        m = re.fullmatch(
            r'\((.*)\) AND updated >= "([^"]+)" AND updated < "([^"]+)" '
            r"ORDER BY updated ASC, key ASC",
            jql,
        )
        if not m:
            return 400, {"errorMessages": [f"fake Jira cannot read this JQL: {jql}"]}
        base, lower, upper = m.groups()
        names = re.fullmatch(r"project\s*(?:=\s*(\w+)|in\s*\(([^)]*)\))", base.strip())
        if not names:
            return 400, {"errorMessages": [f"fake Jira cannot read this JQL: {base}"]}
        wanted = {p.strip() for p in (names.group(1) or names.group(2)).split(",")}
        for p in sorted(wanted - self.projects):
            return 400, {
                "errorMessages": [f"The value '{p}' does not exist for the field 'project'."]
            }
        lo, hi = (
            datetime.strptime(t, "%Y/%m/%d %H:%M").replace(tzinfo=self.tz) for t in (lower, upper)
        )
        found = [
            i
            for i in self.issues.values()
            if i["key"].rsplit("-", 1)[0] in wanted and lo <= _updated(i) < hi
        ]
        return sorted(found, key=lambda i: (_updated(i), i["key"]))

    def shaped(self, issue: dict, expand: str) -> dict:
        """An issue as search returns it: first comments and histories only, real totals."""
        out = copy.deepcopy(issue)
        block = out["fields"].get("comment")
        if isinstance(block, dict):
            allc = block.get("comments", [])
            out["fields"]["comment"] = {
                "comments": allc[: self.embed_comments],
                "startAt": 0,
                "maxResults": self.embed_comments,
                "total": block.get("total", len(allc)),
            }
        if "changelog" in out and "changelog" in expand:
            allh = out["changelog"].get("histories", [])
            out["changelog"] = {
                "histories": allh[: self.embed_histories],
                "startAt": 0,
                "maxResults": self.embed_histories,
                "total": out["changelog"].get("total", len(allh)),
            }
        else:
            out.pop("changelog", None)
        return out

    def search_cloud(self, q: dict[str, str]) -> tuple[int, object]:
        found = self.matching(q.get("jql", ""))
        if isinstance(found, tuple):
            return found
        start = int(q["nextPageToken"].removeprefix("tok-")) if q.get("nextPageToken") else 0
        size = min(int(q.get("maxResults", 50)), self.max_page)
        chunk = found[start : start + size]
        body: dict = {"issues": [self.shaped(i, q.get("expand", "")) for i in chunk]}
        if start + size < len(found):
            body["nextPageToken"] = f"tok-{start + size}"
        else:
            body["isLast"] = True
        self.after(len(chunk))  # after the page is built: edits show on later pages
        return 200, body

    def search_server(self, q: dict[str, str]) -> tuple[int, object]:
        found = self.matching(q.get("jql", ""))
        if isinstance(found, tuple):
            return found
        start, size = int(q.get("startAt", 0)), min(int(q.get("maxResults", 50)), self.max_page)
        chunk = found[start : start + size]
        total = self.total_override if self.total_override is not None else len(found)
        body = {
            "expand": "schema,names",
            "startAt": start,
            "maxResults": size,
            "total": total,
            "issues": [self.shaped(i, q.get("expand", "")) for i in chunk],
        }
        self.after(len(chunk))  # after the page is built: edits show on later pages
        return 200, body

    def after(self, served: int) -> None:
        self.searches += 1
        if self.after_search:
            self.after_search(self, served)

    def touch(self, key: str, when: datetime) -> None:
        """Simulate a user editing `key` at `when` (it moves in the search order)."""
        self.issues[key]["fields"]["updated"] = jira_time(when)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    jira: FakeJira

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        q = parse_qs(parts.query)
        self.jira.requests.append((parts.path, q))
        fault = self.jira.take_fault(parts.path)
        public = parts.path.endswith("/serverInfo")  # readable anonymously, as on real Jira
        if not public and not self.jira.authorised(self.headers.get("Authorization")):
            return self.send(401, {"errorMessages": ["You are not authenticated."]})
        if fault == "429":
            reset = jira_time(datetime.now(UTC) + timedelta(seconds=1))
            return self.send(
                429,
                {"errorMessages": ["Rate limit exceeded."]},
                {
                    "Retry-After": "1",
                    "X-RateLimit-Limit": "100",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": reset,
                },
            )
        if fault and fault.isdigit():
            return self.send(int(fault), {"errorMessages": [f"fake fault {fault}"]})
        status, body = self.jira.route(parts.path, q)
        data = json.dumps(body).encode()
        if fault == "drop":
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return None
        if fault == "truncate":
            data = data[: len(data) // 2]
        return self.send(status, data)

    def send(self, status: int, body, headers: dict[str, str] | None = None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status, STATUS_TEXT.get(status))
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
