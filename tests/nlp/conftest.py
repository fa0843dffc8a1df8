"""Shared fixtures: the heavy French pipeline is loaded once per test session."""

import pytest


@pytest.fixture(scope="session")
def fr_full():
    from nlp.pipeline import full_pipeline

    return full_pipeline("fr")


@pytest.fixture(scope="session")
def en_full():
    from nlp.pipeline import full_pipeline

    return full_pipeline("en")
