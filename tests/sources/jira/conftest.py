"""Fixtures for the Jira source tests: a fake Jira server and helpers to read what landed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jira_fake_server import FakeJira  # noqa: E402


@pytest.fixture
def fake_jira():
    """A factory: `fake_jira(issues, deployment=..., ...)` starts a FakeJira, stopped after."""
    started: list[FakeJira] = []

    def make(issues, **kwargs) -> FakeJira:
        fake = FakeJira(issues, **kwargs)
        fake.start()
        started.append(fake)
        return fake

    yield make
    for fake in started:
        fake.stop()


@pytest.fixture
def credentials(monkeypatch):
    """The environment variables the test silo.yml names."""
    monkeypatch.setenv("TEST_JIRA_EMAIL", "robot@acme.example")
    monkeypatch.setenv("TEST_JIRA_TOKEN", "s3cret-token")
