"""Time helpers for the demo: the period, working moments and the formats each API writes.

Every timestamp the generator produces is a UTC `datetime`. Activity happens on working days
(no week-ends, no French public holidays) between 08:30 and 18:30 Europe/Paris, so a moment's
Paris date and UTC date are always the same day and week boundaries are never ambiguous.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
TIMEZONE = "Europe/Paris"
START = date(2026, 1, 5)  # a Monday
END = date(2026, 6, 28)  # a Sunday: 25 whole weeks (Monday 2026-01-05 .. Sunday 2026-06-28)
WEEKS = 25
SILO_FROM = date(2026, 5, 18)  # first week of the planted silo (the last 6 weeks)
# French public holidays in the period (Easter Monday, 1 May, 8 May, Ascension, Whit Monday).
HOLIDAYS = frozenset(
    {date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 8), date(2026, 5, 14), date(2026, 5, 25)}
)


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def weeks() -> list[date]:
    """The Mondays of the 26 weeks of the period."""
    return [START + timedelta(weeks=n) for n in range(WEEKS)]


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


def next_working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def at_paris(day: date, hour: int, minute: int = 0) -> datetime:
    """The UTC moment of `day` at hour:minute Europe/Paris."""
    return datetime.combine(day, time(hour, minute), PARIS).astimezone(UTC)


def paris_day(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def working_moment(rng: random.Random, day: date) -> datetime:
    """A random minute between 08:30 and 18:30 Paris on `day` (assumed a working day)."""
    minutes = rng.randrange(8 * 60 + 30, 18 * 60 + 30)
    return at_paris(day, minutes // 60, minutes % 60).replace(second=rng.randrange(60))


def snap_back(moment: datetime) -> datetime:
    """The latest working moment at or before `moment` (used to place planted items)."""
    local = moment.astimezone(PARIS)
    day = local.date()
    if is_working_day(day):
        if local.time() > time(18, 30):
            return at_paris(day, 18, 10)
        if local.time() >= time(8, 30):
            return moment
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return at_paris(day, 17, 40)


def snap_forward(moment: datetime) -> datetime:
    """The earliest working moment at or after `moment`."""
    local = moment.astimezone(PARIS)
    day = local.date()
    if is_working_day(day):
        if local.time() < time(8, 30):
            return at_paris(day, 8, 45)
        if local.time() <= time(18, 30):
            return moment
    day = next_working_day(day + timedelta(days=1))
    return at_paris(day, 9, 20)


def period_end_utc() -> datetime:
    """The last instant of the period (Sunday 23:59:59 Paris)."""
    return at_paris(END, 23, 59).replace(second=59)


def github_ts(moment: datetime) -> str:
    """GitHub's format: `2026-02-03T09:12:00Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_z(moment: datetime | None) -> str | None:
    """ISO-8601 UTC with a `Z`, as truth.json writes timestamps."""
    return None if moment is None else github_ts(moment)


def jira_ts(moment: datetime) -> str:
    """Jira's format in the site time zone: `2026-02-03T10:12:00.000+0100`."""
    local = moment.astimezone(PARIS)
    return (
        local.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{local.microsecond // 1000:03d}"
        + (local.strftime("%z"))
    )
