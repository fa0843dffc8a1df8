"""GitHub source: issues, PRs, comments, reviews and events of the configured repositories.

Public surface (see README.md in this folder and pipelines/sources/README.md):
- `ENTITIES`: entity name -> pyarrow schema (issues, comments, events);
- `ingest(ws, window, *, client=None, log=None, now=None) -> dict[str, int]`;
- `LiveGitHubClient`, `ReplayGitHubClient`, `make_client(cfg)`; errors `GitHubError` and
  subclasses. No Dagster import here.
"""

from .client import (
    GitHubAuthError,
    GitHubClient,
    GitHubError,
    GitHubNotFoundError,
    GitHubUnavailableError,
    LiveGitHubClient,
    ReplayGitHubClient,
    RetryPolicy,
    make_client,
)
from .ingest import fetch_window, ingest
from .parse import ENTITIES, TIME_COLUMNS

__all__ = [
    "ENTITIES",
    "TIME_COLUMNS",
    "GitHubAuthError",
    "GitHubClient",
    "GitHubError",
    "GitHubNotFoundError",
    "GitHubUnavailableError",
    "LiveGitHubClient",
    "ReplayGitHubClient",
    "RetryPolicy",
    "fetch_window",
    "ingest",
    "make_client",
]
