"""Measure API requests of one daily run against the fake Jira (numbers for README.md).

Run: `.venv/bin/python tests/sources/jira/measure_requests.py`. Not a test: it prints a table.
A "realistic" day: 150 issues updated, comments and histories skewed (most issues few, a
handful many), search embedding at most 20 comments and 40 histories per issue (our
assumption for Jira's caps). The minimum is what the page size allows with nothing truncated.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jira_fake_server import FakeJira  # noqa: E402
from jira_synthetic import DAY, FIELDS, make_issues, workspace  # noqa: E402

from pipelines.landing import Window  # noqa: E402
from pipelines.sources import jira as source  # noqa: E402
from pipelines.sources.jira import LiveJiraClient  # noqa: E402


def realistic(n: int, cloud: bool) -> list[dict]:
    issues = make_issues(n, DAY, cloud=cloud)
    for i, issue in enumerate(issues):
        comments = issue["fields"]["comment"]["comments"]
        histories = issue["changelog"]["histories"]
        extra_c = 30 if i % 25 == 0 else 0  # 4% of issues: long discussions
        extra_h = 60 if i % 12 == 0 else 0  # 8%: long histories
        for k in range(extra_c):
            comments.append(
                {**comments[0], "id": f"{issue['id']}9{k}"}
                if comments
                else {
                    "id": f"{issue['id']}9{k}",
                    "body": "x",
                    "created": issue["fields"]["created"],
                }
            )
        for k in range(extra_h):
            histories.append(
                {
                    "id": f"{issue['id']}8{k}",
                    "created": issue["fields"]["created"],
                    "items": [{"field": "status", "toString": "Done"}],
                }
            )
        issue["fields"]["comment"]["total"] = len(comments)
        issue["changelog"]["total"] = len(histories)
    return issues


def measure(deployment: str, n: int, page_size: int) -> dict:
    cloud = deployment == "cloud"
    fake = FakeJira(
        realistic(n, cloud),
        deployment="Cloud" if cloud else "Server",
        field_list=FIELDS,
        embed_comments=20,
        embed_histories=40,
    )
    fake.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            ws = workspace(Path(tmp), url=fake.url, deployment=deployment, page_size=page_size)
            began = time.perf_counter()
            counts = source.ingest(
                ws, Window.for_days(DAY.date(), DAY.date()), client=LiveJiraClient(ws.jira)
            )
            seconds = time.perf_counter() - began
    finally:
        fake.stop()
    search = fake.count("/search")
    return {
        "deployment": deployment,
        "issues": counts["issues"],
        "comments": counts["comments"],
        "changes": counts["changelog"],
        "page_size": page_size,
        "requests": len(fake.requests),
        "search": search,
        "comment_pages": fake.count("/comment"),
        "changelog_fetches": fake.count("/changelog")
        + fake.count("/issue/")
        - fake.count("/comment")
        - fake.count("/changelog"),
        "minimum": 4 + math.ceil(n / page_size),
        "seconds": round(seconds, 2),
    }


if __name__ == "__main__":
    os.environ.setdefault("TEST_JIRA_EMAIL", "robot@acme.example")
    os.environ.setdefault("TEST_JIRA_TOKEN", "s3cret-token")
    for deployment in ("cloud", "server"):
        for n, size in ((150, 100), (150, 50), (1000, 100)):
            print(measure(deployment, n, size))
