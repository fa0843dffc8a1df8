"""Find a meeting date (and a start time) in French or English text.

Accepted forms, tried in this order on a piece of text:
- ISO `2026-03-02` (also `2026/03/02`, `2026_03_02`, and `20260302` in file names);
- written dates: `12 mars 2026`, `lundi 2 mars 2026`, `1er mars 2026`, `2 March 2026`,
  `March 2, 2026`, `Mar 2nd 2026`, `2 déc. 2026`;
- numeric day first: `02/03/2026` or `02.03.2026` is 2 March (French usage); when the first
  number cannot be a month-day pair that way (`03/25/2026`) it is read month first.
Invalid dates (`31/02/2026`) are skipped, not guessed.
"""

from __future__ import annotations

import re
from datetime import date, time

from pipelines.sources.notes.text import normalise

MONTHS = {
    # French
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "decembre": 12, "dec": 12,
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?P<day>[0-3]?\d)(?:er|eme|e|st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_ISO = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d\d)[-/_.](?P<month>[01]?\d)[-/_.](?P<day>[0-3]?\d)(?!\d)"
)
_COMPACT = re.compile(r"(?<!\d)(?P<year>20\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?!\d)")
_DAY_MONTH = re.compile(rf"(?<![\w]){_DAY}\s+(?P<month>{_MONTH})\.?,?\s+{_YEAR}(?!\d)")
_MONTH_DAY = re.compile(rf"(?<![\w])(?P<month>{_MONTH})\.?\s+{_DAY},?\s+{_YEAR}(?!\d)")
_NUMERIC = re.compile(
    r"(?<![\d/.])(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<year>(?:19|20)\d\d)(?!\d)"
)
# Two-digit years (`3/3/26`, `03.03.26`) are 20xx; nothing may touch them (versions 1.2.3).
_NUMERIC_SHORT = re.compile(
    r"(?<![\w/.])(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<year>\d\d)(?![\w/]|\.\d)"
)
# A day and month without a year (`Mardi 3 mars`, `CR du 3 avril`, `March 3rd`).
_WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
             "dimanche": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
             "friday": 4, "saturday": 5, "sunday": 6, "mon": 0, "tue": 1, "wed": 2, "thu": 3,
             "fri": 4, "sat": 5, "sun": 6}  # fmt: skip
_WEEKDAY = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_PARTIAL = re.compile(
    rf"(?:(?<![\w])(?P<weekday>{_WEEKDAY})\.?,?\s+)?(?:(?<![\w]){_DAY}\s+(?P<month>{_MONTH})"
    rf"|(?<![\w])(?P<month2>{_MONTH})\.?\s+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?)(?![\w])"
)
_MONTH_YEAR = re.compile(rf"(?<![\w])(?P<month>{_MONTH})\.?\s+{_YEAR}(?!\d)")
_ISO_MONTH = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)[-_](?P<month>[01]\d)(?![\d])")

_TIME = re.compile(
    r"(?<!\d)(?P<h>[0-2]?\d)\s*(?:[:h]\s*(?P<m>[0-5]\d)?|(?P<ampm>[ap])\.?m\.?)", re.I
)


def _make(year: str, month: int | str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def find_dates(text: str, *, compact: bool = False) -> list[tuple[int, date]]:
    """Every full date in `text` as (offset, date), in reading order.

    `compact=True` also accepts `20260302` (only sensible in file names, where a run of eight
    digits is rarely anything else).
    """
    norm = normalise(text)
    found: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match, value: date | None) -> None:
        span = match.span()
        if value is None or any(s < span[1] and span[0] < e for s, e in taken):
            return
        taken.append(span)
        found.append((span[0], value))

    for m in _ISO.finditer(norm):
        add(m, _make(m["year"], m["month"], m["day"]))
    if compact:
        for m in _COMPACT.finditer(norm):
            add(m, _make(m["year"], m["month"], m["day"]))
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for m in pattern.finditer(norm):
            add(m, _make(m["year"], MONTHS[m["month"]], m["day"]))
    for m in _NUMERIC.finditer(norm):
        add(m, _make(m["year"], m["b"], m["a"]) or _make(m["year"], m["a"], m["b"]))
    for m in _NUMERIC_SHORT.finditer(norm):
        year = "20" + m["year"]
        add(m, _make(year, m["b"], m["a"]) or _make(year, m["a"], m["b"]))
    return sorted(found)


def find_partial_date(text: str, *, year: int | None, reference_year: int) -> date | None:
    """A day and month written without a year (`Mardi 3 mars`, `du 3 avril`, `March 3rd`).

    The year is `year` (one written elsewhere in the minutes) when given; else, when a
    weekday is written, the latest year up to `reference_year` where that day falls on that
    weekday (within 7 years); else `reference_year`. A day-month pair without a weekday and
    without any year in the minutes needs `year` or is read in `reference_year`.
    """
    for m in _PARTIAL.finditer(normalise(text)):
        month = MONTHS[m["month"] or m["month2"]]
        day = m["day"] or m["day2"]
        if m["month2"] and m["month2"] in ("mar", "may", "mai") and not m["weekday"]:
            continue  # "mar 3" / "may 3" are too often not dates
        if year is not None:
            found = _make(str(year), month, day)
        elif m["weekday"]:
            wanted = _WEEKDAYS[m["weekday"]]
            candidates = (
                _make(str(y), month, day) for y in range(reference_year, reference_year - 7, -1)
            )
            found = next((d for d in candidates if d and d.weekday() == wanted), None)
        else:
            found = _make(str(reference_year), month, day)
        if found:
            return found
    return None


def find_date(text: str, *, compact: bool = False) -> date | None:
    """The first full date written in `text`, or None."""
    dates = find_dates(text, compact=compact)
    return dates[0][1] if dates else None


def find_month(text: str) -> date | None:
    """A month without a day (`October 2024`, `2021-05`) as the first day of that month."""
    norm = normalise(text)
    m = _MONTH_YEAR.search(norm)
    if m:
        return _make(m["year"], MONTHS[m["month"]], "1")
    m = _ISO_MONTH.search(norm)
    return _make(m["year"], m["month"], "1") if m else None


def parse_time(value: object) -> time | None:
    """A start time from front matter or a label: `14:00`, `14h30`, `9h`, `2pm`, or the
    integer YAML 1.1 makes of an unquoted `14:00` (840 = minutes since midnight)."""
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return time(value // 60, value % 60) if 0 <= value < 24 * 60 else None
    if not isinstance(value, str):
        return None
    m = _TIME.search(value.strip())
    if not m:
        return None
    hour, minute = int(m["h"]), int(m["m"] or 0)
    if m["ampm"]:
        hour = hour % 12 + (12 if m["ampm"].lower() == "p" else 0)
    return time(hour, minute) if hour < 24 else None
