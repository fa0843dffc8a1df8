"""Meeting minutes: the calendar of meetings and their rendering as Markdown files.

Calendar (Europe/Paris; a meeting falling on a public holiday moves to the next working day):
- COMEX every Monday 09:00 (French);
- CODIR every other Thursday 14:00 (one in two in English);
- management meeting ("Point managers") every Wednesday 10:00 (French);
- one team meeting a week per team (the Mobile and Data teams write in English).
A handful of team minutes have no front matter: date and attendees are in the body.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from pipelines.demo.clock import START, next_working_day, weeks
from pipelines.demo.model import Meeting
from pipelines.demo.org import Org

# team -> (weekday, start, language)
TEAM_MEETINGS = {
    "Platform": (1, "09:30", "fr"),
    "Web": (1, "10:30", "fr"),
    "Mobile": (2, "09:30", "en"),
    "Data": (3, "10:00", "en"),
    "Product": (0, "14:00", "fr"),
    "Support": (1, "14:00", "fr"),
    "Sales": (0, "11:00", "fr"),
    "Marketing": (3, "15:00", "fr"),
}
# (team, week index) of the minutes written without front matter
NO_FRONT_MATTER = {("Support", 4), ("Support", 10), ("Sales", 7), ("Sales", 15), ("Marketing", 12)}
COMEX_START = "09:00"
CODIR_START = "14:00"
MANAGEMENT_START = "10:00"

HEADINGS = {
    "fr": {
        "agenda": "Ordre du jour",
        "discussion": "Points abordés",
        "decisions": "Décisions",
        "actions": "Actions",
    },
    "en": {
        "agenda": "Agenda",
        "discussion": "Discussion",
        "decisions": "Decisions",
        "actions": "Action items",
    },
}
MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
DAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def french_date(day: date) -> str:
    """`12 mars 2026` (`1er` for the first of the month)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS_FR[day.month - 1]} {day.year}"


def _managers(org: Org, day: date) -> list[str]:
    return sorted(p.id for p in org.humans() if p.level == "management" and p.active(day))


def _comex(org: Org) -> list[str]:
    return sorted(p.id for p in org.humans() if p.level == "comex")


def _team(org: Org, team: str, day: date) -> list[str]:
    members = {
        p.id
        for p in org.humans()
        if p.level == "field" and p.team_on(day) == team and p.active(day)
    }
    members |= {p.manager for p in org.humans() if p.id in members and p.manager}
    return sorted(
        m for m in members if org.people[m].active(day) and org.people[m].level != "comex"
    )


def build_calendar(rng: random.Random, org: Org) -> list[Meeting]:
    """Every meeting of the period with its attendees; sections are filled later."""
    meetings: list[Meeting] = []
    for index, monday in enumerate(weeks()):
        day = next_working_day(monday)
        meetings.append(
            Meeting(day, "comex", COMEX_START, "COMEX hebdomadaire", "fr", attendees=_comex(org))
        )
        if index % 2 == 0:
            day = next_working_day(monday + timedelta(days=3))
            language = "en" if (index // 2) % 2 == 1 else "fr"
            title = "CODIR (comité de direction)" if language == "fr" else "Leadership team (CODIR)"
            meetings.append(
                Meeting(
                    day,
                    "codir",
                    CODIR_START,
                    title,
                    language,
                    attendees=_comex(org) + _managers(org, day),
                )
            )
        day = next_working_day(monday + timedelta(days=2))
        meetings.append(
            Meeting(
                day,
                "management",
                MANAGEMENT_START,
                "Point managers",
                "fr",
                attendees=_managers(org, day),
            )
        )
        for team, (weekday, start, language) in TEAM_MEETINGS.items():
            day = next_working_day(monday + timedelta(days=weekday))
            people = _team(org, team, day)
            absent = [p for p in people if rng.random() < 0.08]
            title = f"Weekly {team} team" if language == "en" else f"Réunion d'équipe {team}"
            meetings.append(
                Meeting(
                    day,
                    "team",
                    start,
                    title,
                    language,
                    attendees=[p for p in people if p not in absent],
                    absent=absent,
                    team=team,
                    front_matter=(team, index) not in NO_FRONT_MATTER,
                )
            )
    meetings.sort(key=lambda m: (m.day, m.start, m.stem))
    assert meetings[0].day >= START
    return meetings


def written_name(rng: random.Random, org: Org, person_id: str) -> str:
    """How a minute-taker writes this person: full name, `Marie D.`, initials or first name."""
    return rng.choice(org.people[person_id].names)


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(rng: random.Random, org: Org, meeting: Meeting) -> str:
    """The Markdown file for `meeting` (front matter or a `Date :`/`Présents :` preamble)."""
    heads = HEADINGS[meeting.language]
    attendees = [written_name(rng, org, p) for p in meeting.attendees]
    absent = [written_name(rng, org, p) for p in meeting.absent]
    lines: list[str] = []
    if meeting.front_matter:
        lines += [
            "---",
            f"title: {_yaml_str(meeting.title)}",
            f"date: {meeting.day.isoformat()}",
            f'start: "{meeting.start}"',
            f"type: {meeting.type}",
            "attendees:",
        ]
        lines += [f"  - {_yaml_str(name)}" for name in attendees]
        lines += ["absent:" + ("" if absent else " []")]
        lines += [f"  - {_yaml_str(name)}" for name in absent]
        lines += ["---", ""]
    if meeting.language == "fr":
        lines += [
            f"# {meeting.title} — {DAYS_FR[meeting.day.weekday()]} {french_date(meeting.day)}",
            "",
        ]
    else:
        lines += [f"# {meeting.title} — {meeting.day.strftime('%A %d %B %Y')}", ""]
    if not meeting.front_matter:
        lines += [f"Date : {french_date(meeting.day)}", f"Présents : {', '.join(attendees)}"]
        if absent:
            lines.append(f"Excusés : {', '.join(absent)}")
        lines.append("")
    for role in ("agenda", "discussion", "decisions", "actions"):
        body = meeting.sections.get(role)
        if not body:
            continue
        lines += [f"## {heads[role]}", ""]
        if role == "agenda":
            lines += [f"{n}. {text}" for n, text in enumerate(body, 1)]
        elif role == "discussion":
            for paragraph in body:
                lines += [paragraph, ""]
            lines.pop()
        else:
            lines += [f"- {text}" for text in body]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
