"""Fixtures for the GitHub source tests: a fake GitHub server and the token variable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The helper modules sit beside this file; this folder is not a package (a package named
# `github` would shadow PyGithub), so make them importable by the test modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from github_fake_server import FakeGitHub  # noqa: E402
from github_helpers import TOKEN, TOKEN_ENV  # noqa: E402


@pytest.fixture
def fake():
    with FakeGitHub() as server:
        yield server


@pytest.fixture
def token(monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    return TOKEN
