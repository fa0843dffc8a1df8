"""Measure API requests of daily runs for the DEMO organisation (numbers for the closing note).

Run: `.venv/bin/python tests/sources/measure_demo_requests.py`. Not a test: it prints tables.
The demo's replay payloads are served by the same local fakes the HTTP tests use, and the
live clients (PyGithub, jira) ingest them day by day, as the daily schedule would. Minimum =
what the page sizes allow: one page per list endpoint (ceil(n / page size)) plus the
per-item calls the APIs impose (GitHub: reviews per PR and timeline per item updated that day;
Jira: the fixed serverInfo, field, myself and search calls, no truncated comment or
changelog page).
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "github"))
sys.path.insert(0, str(HERE / "jira"))

from github_fake_server import FakeGitHub, RepoData  # noqa: E402
from jira_fake_server import FakeJira  # noqa: E402

from pipelines.config import load_workspace  # noqa: E402
from pipelines.demo.generator import generate  # noqa: E402
from pipelines.landing import Window  # noqa: E402
from pipelines.sources import github, jira  # noqa: E402
from pipelines.sources.github.client import LiveGitHubClient  # noqa: E402
from pipelines.sources.jira import LiveJiraClient  # noqa: E402

DAYS = [date(2026, 3, 2) + timedelta(days=i) for i in range(14)]  # two busy weeks


def _load(path: Path, default):
    return json.loads(path.read_text()) if path.exists() else default


def github_repo(folder: Path) -> RepoData:
    numbered = lambda sub: {  # noqa: E731
        int(p.stem): json.loads(p.read_text()) for p in sorted((folder / sub).glob("*.json"))
    }
    return RepoData(
        issues=_load(folder / "issues.json", []),
        pulls=_load(folder / "pulls.json", []),
        issue_comments=_load(folder / "issue_comments.json", []),
        review_comments=_load(folder / "review_comments.json", []),
        reviews=numbered("reviews"),
        events=_load(folder / "events.json", []),
        timelines=numbered("timeline"),
    )


def write_workspace(root: Path, github_url: str | None, jira_url: str | None) -> Path:
    lines = ["workspace: measure", "start_date: 2026-01-05", "sources:"]
    if github_url:
        lines += [
            "  github:",
            "    mode: live",
            f"    base_url: {github_url}",
            "    repos: [lumio/platform, lumio/web-app, lumio/mobile]",
        ]
    if jira_url:
        lines += [
            "  jira:",
            "    mode: live",
            f"    url: {jira_url}",
            "    jql: project in (PLAT, SUP, SALES)",
            "    email_env: MEASURE_JIRA_EMAIL",
            "    token_env: MEASURE_JIRA_TOKEN",
            "    fields: {team: Team, story_points: Story Points, sprint: Sprint,"
            " owners: [Product Owner]}",
        ]
    (root / "silo.yml").write_text("\n".join(lines) + "\n")
    return root


def measure_github(demo: Path) -> list[dict]:
    rows = []
    with FakeGitHub() as fake, tempfile.TemporaryDirectory() as tmp:
        for repo in ("lumio/platform", "lumio/web-app", "lumio/mobile"):
            fake.repos[repo] = github_repo(demo / "replay" / "github" / repo)
        ws = load_workspace(write_workspace(Path(tmp), fake.base_url, None))
        for day in DAYS:
            before = len(fake.hits)
            client = LiveGitHubClient(fake.base_url, None, seconds_between_requests=None)
            counts = github.ingest(ws, Window.for_days(day, day), client=client)
            requests = len(fake.hits) - before
            rows.append({"day": day, "requests": requests, **counts})
    return rows


def measure_jira(demo: Path) -> list[dict]:
    issues = [
        json.loads(p.read_text())
        for p in sorted((demo / "replay" / "jira" / "issues").glob("*.json"))
    ]
    fields = _load(demo / "replay" / "jira" / "field.json", [])
    os.environ["MEASURE_JIRA_EMAIL"], os.environ["MEASURE_JIRA_TOKEN"] = "robot@x", "t0ken"
    fake = FakeJira(
        issues,
        deployment="Cloud",
        field_list=fields,
        email="robot@x",
        token="t0ken",
        embed_comments=20,
        embed_histories=40,
    )
    url = fake.start()
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            ws = load_workspace(write_workspace(Path(tmp), None, url))
            for day in DAYS:
                before = len(fake.requests)
                counts = jira.ingest(ws, Window.for_days(day, day), client=LiveJiraClient(ws.jira))
                requests = len(fake.requests) - before
                minimum = 4 + max(1, math.ceil(counts["issues"] / ws.jira.page_size))
                rows.append({"day": day, "requests": requests, "minimum": minimum, **counts})
    finally:
        fake.stop()
    return rows


def table(rows: list[dict]) -> str:
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(r[k]) for k in head) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo"
        generate(demo, seed=7)
        gh, jr = measure_github(demo), measure_jira(demo)
    print("## GitHub (3 repositories, per_page 100), one daily run per day\n")
    print(table(gh))
    print(f"\nmean {statistics.mean(r['requests'] for r in gh):.1f} requests per daily run")
    print("\n## Jira Cloud (page size 100), one daily run per day\n")
    print(table(jr))
    print(
        f"\nmean {statistics.mean(r['requests'] for r in jr):.1f} requests per daily run, "
        f"minimum {statistics.mean(r['minimum'] for r in jr):.1f}"
    )


if __name__ == "__main__":
    main()
