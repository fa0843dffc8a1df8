"""Helpers shared by the GitHub source tests (workspaces, clients, landed files, replay)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import yaml
from github_fake_server import FakeGitHub, RepoData

from pipelines.config import load_workspace
from pipelines.sources.github import LiveGitHubClient, RetryPolicy

START = datetime(2026, 3, 1, tzinfo=UTC)
TOKEN_ENV = "SILO_TEST_GITHUB_TOKEN"
TOKEN = "ghp_test-secret-never-logged"
FAST = RetryPolicy(backoff_seconds=0.01, max_backoff_seconds=0.05, max_wait_seconds=1.5)


def make_workspace(root: Path, **github) -> object:
    """A workspace folder whose silo.yml has a `sources.github` section built from kwargs."""
    root.mkdir(parents=True, exist_ok=True)
    section = {"mode": "live", "token_env": TOKEN_ENV, "overlap_minutes": 60, **github}
    config = {"workspace": "test", "start_date": "2026-01-01", "sources": {"github": section}}
    (root / "silo.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return load_workspace(root)


def live_client(fake: FakeGitHub, per_page: int = 10, token: str | None = TOKEN, **kwargs):
    kwargs.setdefault("policy", FAST)
    return LiveGitHubClient(
        fake.base_url,
        token,
        token_env=TOKEN_ENV,
        per_page=per_page,
        seconds_between_requests=None,
        **kwargs,
    )


def landed(ws, entity: str) -> list[dict]:
    """All rows of an entity across its day files (the `_schema` file holds none)."""
    rows = []
    for path in sorted((ws.raw_dir / "github" / entity).glob("*.parquet")):
        rows.extend(pq.read_table(path).to_pylist())
    return rows


def landed_files(ws) -> dict[str, bytes]:
    base = ws.raw_dir / "github"
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*.parquet"))}


def write_replay(root: Path, repo: str, data: RepoData) -> None:
    """Write a RepoData in the replay layout of pipelines/sources/README.md."""
    folder = root / repo
    (folder / "reviews").mkdir(parents=True, exist_ok=True)
    (folder / "timeline").mkdir(parents=True, exist_ok=True)

    def dump(name, items):
        clean = [{k: v for k, v in i.items() if not k.startswith("fake_")} for i in items]
        (folder / name).write_text(json.dumps(clean), encoding="utf-8")

    dump("issues.json", data.issues)
    dump("pulls.json", data.pulls)
    dump("issue_comments.json", data.issue_comments)
    dump("review_comments.json", data.review_comments)
    dump("events.json", data.events)
    for number, items in data.reviews.items():
        dump(f"reviews/{number}.json", items)
    for number, items in data.timelines.items():
        dump(f"timeline/{number}.json", items)
