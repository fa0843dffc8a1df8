"""Fixtures shared by the pipeline tests."""

import pytest


@pytest.fixture
def no_pipeline_env(monkeypatch):
    """DAGSTER_HOME and SILO_WORKSPACE unset for the test, and whatever the runner sets in
    them (it points both at the workspace) restored afterwards."""
    for name in ("DAGSTER_HOME", "SILO_WORKSPACE"):
        monkeypatch.setenv(name, "unset")  # so monkeypatch restores the value it had
        monkeypatch.delenv(name)
