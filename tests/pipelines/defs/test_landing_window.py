"""The window a GitHub or Jira run lands, from its run config (pipelines/defs/ingest.py)."""

from datetime import date

import pytest
from dagster import Failure

from pipelines.defs.ingest import LandingWindow, resolve_window

START, TODAY = date(2026, 1, 5), date(2026, 3, 10)


def days(config: LandingWindow) -> tuple[date, date]:
    window = resolve_window(config, START, TODAY)
    return window.days()[0], window.days()[-1]


def test_no_config_lands_yesterday_as_the_daily_schedule_does():
    assert days(LandingWindow()) == (date(2026, 3, 9), date(2026, 3, 9))


def test_a_first_day_alone_lands_up_to_yesterday():
    assert days(LandingWindow(first_day="2026-03-01")) == (date(2026, 3, 1), date(2026, 3, 9))


def test_a_window_reaching_before_start_date_starts_there():
    config = LandingWindow(first_day="2025-12-01", last_day="2026-01-06")
    assert days(config) == (START, date(2026, 1, 6))


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (LandingWindow(first_day="2026-03-05", last_day="2026-03-01"), "before first_day"),
        (LandingWindow(first_day="05/03/2026"), "expected YYYY-MM-DD"),
    ],
)
def test_a_wrong_window_is_refused_naming_it(config, message):
    with pytest.raises(Failure, match=message):
        resolve_window(config, START, TODAY)
