"""The fault matrix (issue 15): every test here is marked `reliability` and bounded in time.

Bound: a SIGALRM per test (`CASE_SECONDS`, more for the tests that run the pipeline, set
with `@pytest.mark.reliability(seconds=...)`); subprocesses get their own `timeout=`."""

from __future__ import annotations

import signal

import pytest

CASE_SECONDS = 120


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/reliability/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.reliability)


@pytest.fixture(autouse=True)
def _bounded(request):
    marks = [m for m in request.node.iter_markers("reliability") if "seconds" in m.kwargs]
    seconds = marks[0].kwargs["seconds"] if marks else CASE_SECONDS

    def expired(signum, frame):
        raise TimeoutError(f"{request.node.name} ran past its {seconds} s bound")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
