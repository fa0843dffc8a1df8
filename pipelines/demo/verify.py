"""Recompute the demo's ground truth from the files the generator wrote.

The generator never trusts its intentions: `read_workspace(root)` parses what is on disk
(directory, GitHub and Jira replay payloads, minutes) and the functions below apply the
definitions of `pipelines/demo/README.md` to it. `generator.generate` then checks that what
was found is what was planted, and writes these computed values to `truth.json`.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

import yaml

from pipelines.demo.clock import PARIS, SILO_FROM, iso_z, week_start, weeks
from pipelines.demo.minutes import MONTHS_FR

# The rules that are data live in dbt's seeds; the truth reads them, not a copy of them.
SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# meeting type -> the level it speaks at (seeds/meeting_levels.csv)
MEETING_LEVEL = {row["meeting_type"]: row["meeting_level"] for row in _seed("meeting_levels")}
# (source, field) -> lower-case values that make an item critical (seeds/critical_markers.csv)
CRITICAL: dict[tuple[str, str], set[str]] = {}
for _row in _seed("critical_markers"):
    CRITICAL.setdefault((_row["source_system"], _row["marker_field"]), set()).add(
        _row["marker_value"]
    )


def is_critical(source: str, **fields: str | list[str] | None) -> bool:
    """Whether an item is critical by the seed: `fields` are priority, issue_type (one value)
    and label (a list); values compare lower-cased."""
    for name, value in fields.items():
        values = value if isinstance(value, list) else [value]
        if {str(v).lower() for v in values if v} & CRITICAL.get((source, name), set()):
            return True
    return False


FRENCH_DATE = re.compile(r"^Date\s*:\s*(?:1er|(\d{1,2}))?\s*(\w+)\s+(\d{4})", re.MULTILINE)


@dataclass
class Touch:
    """A comment or review on an item, by a directory person."""

    item_id: str
    author: str | None  # person id, None when the alias is unknown
    at: datetime


@dataclass
class Minutes:
    meeting_id: str
    type: str
    start_at: datetime
    attendees: list[str]  # as written
    absent: list[str]
    text: str
    decisions: list[str] = field(default_factory=list)


@dataclass
class Workspace:
    people: dict[str, dict]
    by_github: dict[str, str]
    by_jira: dict[str, str]
    by_name: dict[str, str]  # unambiguous written names only
    items: dict[str, dict]  # item_id -> {created_at, author, critical}
    touches: list[Touch]
    minutes: list[Minutes]


def parse_github_ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def parse_jira_ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").astimezone(UTC)


def _directory(path: Path) -> tuple[dict, dict, dict, dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    people = {p["id"]: p for p in data["people"]}
    by_github, by_jira, names = {}, {}, {}
    for p in data["people"]:
        for login in p["aliases"]["github"]:
            by_github[login] = p["id"]
        for account in p["aliases"]["jira"]:
            by_jira[account] = p["id"]
        for name in p["aliases"]["names"]:
            names.setdefault(name, set()).add(p["id"])
    by_name = {n: next(iter(ids)) for n, ids in names.items() if len(ids) == 1}
    return people, by_github, by_jira, by_name


def _load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _github(folder: Path, ws: Workspace) -> None:
    for issues_file in sorted(folder.glob("*/*/issues.json")):
        repo_dir = issues_file.parent
        repo = f"{repo_dir.parent.name}/{repo_dir.name}"
        for issue in _load(issues_file):
            labels = {label["name"] for label in issue["labels"]}
            ws.items[f"github:{repo}#{issue['number']}"] = {
                "created_at": parse_github_ts(issue["created_at"]),
                "author": ws.by_github.get(issue["user"]["login"]),
                "critical": is_critical("github", label=sorted(labels)),
                "closed": issue["closed_at"] is not None,
                "decided_at": [],  # moments of roadmap changes (Jira priority and Rank)
            }
        for comment in _load(repo_dir / "issue_comments.json"):
            number = comment["issue_url"].rsplit("/", 1)[1]
            ws.touches.append(
                Touch(
                    f"github:{repo}#{number}",
                    ws.by_github.get(comment["user"]["login"]),
                    parse_github_ts(comment["created_at"]),
                )
            )
        for comment in _load(repo_dir / "review_comments.json"):
            number = comment["pull_request_url"].rsplit("/", 1)[1]
            ws.touches.append(
                Touch(
                    f"github:{repo}#{number}",
                    ws.by_github.get(comment["user"]["login"]),
                    parse_github_ts(comment["created_at"]),
                )
            )
        for reviews_file in sorted((repo_dir / "reviews").glob("*.json")):
            for review in _load(reviews_file):
                ws.touches.append(
                    Touch(
                        f"github:{repo}#{reviews_file.stem}",
                        ws.by_github.get(review["user"]["login"]),
                        parse_github_ts(review["submitted_at"]),
                    )
                )


def _jira(folder: Path, ws: Workspace) -> None:
    for path in sorted((folder / "issues").glob("*.json")):
        issue = _load(path)
        f = issue["fields"]
        item_id = f"jira:{issue['key']}"
        ws.items[item_id] = {
            "created_at": parse_jira_ts(f["created"]),
            "author": ws.by_jira.get(f["reporter"]["accountId"]),
            "critical": is_critical(
                "jira",
                priority=f["priority"]["name"],
                issue_type=f["issuetype"]["name"],
                label=list(f["labels"]),
            ),
            "closed": f["resolutiondate"] is not None,
            "decided_at": sorted(
                parse_jira_ts(history["created"])
                for history in issue["changelog"]["histories"]
                if history["author"].get("accountType") != "app"
                and any(i["field"].lower() in ("priority", "rank") for i in history["items"])
            ),
        }
        for comment in f["comment"]["comments"]:
            ws.touches.append(
                Touch(
                    item_id,
                    ws.by_jira.get(comment["author"]["accountId"]),
                    parse_jira_ts(comment["created"]),
                )
            )


def parse_minutes(path: Path) -> Minutes:
    """Front matter when present, else `Date :` and `Présents :` lines; start 09:00 default."""
    text = path.read_text(encoding="utf-8")
    stem = path.stem
    meta: dict = {}
    body = text
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        meta = yaml.safe_load(head)
    day = meta.get("date")
    if day is None:
        match = FRENCH_DATE.search(body)
        if not match:
            raise ValueError(f"{path}: no front matter and no 'Date :' line")
        day = date(
            int(match.group(3)), MONTHS_FR.index(match.group(2)) + 1, int(match.group(1) or 1)
        )
        present = re.search(r"^Présents\s*:\s*(.+)$", body, re.MULTILINE)
        excused = re.search(r"^Excusés\s*:\s*(.+)$", body, re.MULTILINE)
        meta["attendees"] = present.group(1).split(", ") if present else []
        meta["absent"] = excused.group(1).split(", ") if excused else []
    hour, minute = (int(x) for x in str(meta.get("start", "09:00")).split(":"))
    start = datetime.combine(day, time(hour, minute), PARIS).astimezone(UTC)
    kind = meta.get("type") or stem.split("-")[3]
    decisions, in_decisions = [], False
    for line in body.splitlines():
        if line.startswith("#"):
            in_decisions = line.lstrip("#").strip() in ("Décisions", "Decisions")
        elif in_decisions and line.startswith("- "):
            decisions.append(line[2:])
    return Minutes(
        f"notes:{stem}",
        kind,
        start,
        list(meta.get("attendees") or []),
        list(meta.get("absent") or []),
        body,
        decisions,
    )


def read_workspace(root: Path) -> Workspace:
    people, by_github, by_jira, by_name = _directory(root / "directory.yml")
    ws = Workspace(people, by_github, by_jira, by_name, {}, [], [])
    _github(root / "replay" / "github", ws)
    _jira(root / "replay" / "jira", ws)
    ws.minutes = [parse_minutes(p) for p in sorted((root / "notes").glob("*.md"))]
    return ws


def reference_patterns(item_id: str) -> list[tuple[str, re.Pattern]]:
    """(form, regex) pairs that cite `item_id`, most specific first."""
    source, key = item_id.split(":", 1)
    if source == "jira":
        return [
            ("jira_url", re.compile(rf"https://lumio\.atlassian\.net/browse/{key}(?!\d)")),
            ("jira_key", re.compile(rf"(?<![\w.-]){key}(?!\d)")),
        ]
    repo, number = key.split("#")
    return [
        (
            "github_url",
            re.compile(
                rf"https://github\.com/{repo}/(?:issues|pull)/{number}"
                rf"(?!\d)"
            ),
        ),
        ("github_full", re.compile(rf"(?<![\w/.-]){re.escape(repo)}#{number}(?!\d)")),
    ]


def touchpoints(ws: Workspace, item_id: str) -> list[tuple[datetime, str, str]]:
    """(moment, level, form) for every touchpoint of `item_id` after its creation."""
    out = []
    for touch in ws.touches:
        if touch.item_id == item_id and touch.author and not ws.people[touch.author]["bot"]:
            out.append((touch.at, ws.people[touch.author]["level"], "comment"))
    patterns = reference_patterns(item_id)
    for meeting in ws.minutes:
        for form, pattern in patterns:
            if pattern.search(meeting.text):
                out.append((meeting.start_at, MEETING_LEVEL.get(meeting.type, "other"), form))
                break
    return sorted(out)


def latency(ws: Workspace, item_id: str) -> dict:
    """The truth row of one planted item, from the files alone."""
    item = ws.items[item_id]
    points = touchpoints(ws, item_id)
    comex = next((p for p in points if p[1] == "comex"), None)
    management = next((p for p in points if p[1] == "management"), None)
    hours = None
    if comex:
        hours = round((comex[0] - item["created_at"]).total_seconds() / 3600, 2)
    return {
        "item_id": item_id,
        "critical": item["critical"],
        "created_at": iso_z(item["created_at"]),
        "reference_form": comex[2] if comex else None,
        "management_at": iso_z(management[0]) if management else None,
        "comex_at": iso_z(comex[0]) if comex else None,
        "field_to_comex_hours": hours,
        "reaches_comex": comex is not None,
    }


def _between_people(ws: Workspace):
    """(touch, author, item owner) of each comment or review by a person on another person's
    item (no bot on either side; a reply on one's own item is no interaction)."""
    for touch in ws.touches:
        author = ws.people.get(touch.author) if touch.author else None
        owner_id = ws.items[touch.item_id]["author"]
        owner = ws.people.get(owner_id) if owner_id else None
        if author and owner and not author["bot"] and not owner["bot"] and touch.author != owner_id:
            yield touch, author, owner


def cross_side_weeks(ws: Workspace) -> list[dict]:
    """Per week: comments and reviews between two people (no bot), and those across sides.

    A reply by the item's own author is not an interaction between people: not counted."""
    counts = {monday: [0, 0] for monday in weeks()}
    for touch, author, owner in _between_people(ws):
        monday = week_of(touch.at)
        if monday not in counts:
            continue
        counts[monday][1] += 1
        if author["side"] != owner["side"]:
            counts[monday][0] += 1
    return [
        {"week": monday.isoformat(), "cross_side": c, "total": t}
        for monday, (c, t) in sorted(counts.items())
    ]


def silo_shares(rows: list[dict]) -> tuple[float, float]:
    """Cross-side share before and from the silo week."""

    def share(selected):
        total = sum(r["total"] for r in selected)
        return sum(r["cross_side"] for r in selected) / total if total else 0.0

    before = [r for r in rows if r["week"] < SILO_FROM.isoformat()]
    after = [r for r in rows if r["week"] >= SILO_FROM.isoformat()]
    return share(before), share(after)


def week_of(moment: datetime) -> date:
    """The Monday of the Paris week of `moment` (the definition of the README)."""
    return week_start(moment.astimezone(PARIS).date())


def person_edges(ws: Workspace) -> list[dict]:
    """Edges between two people (README "Edges"): a comment or review by a person on another
    person's item (no bot), and every pair of resolved people present at the same meeting."""
    edges = []
    for touch, author, owner in _between_people(ws):
        edges.append({"kind": "written", "week": week_of(touch.at), "a": author, "b": owner})
    for minutes in ws.minutes:
        present = sorted(resolve(ws, minutes.attendees) - resolve(ws, minutes.absent))
        for i, first in enumerate(present):
            for second in present[i + 1 :]:
                edges.append(
                    {
                        "kind": "co_attendance",
                        "week": week_of(minutes.start_at),
                        "a": ws.people[first],
                        "b": ws.people[second],
                    }
                )
    return edges


def inward_team_weeks(ws: Workspace, ratio: float, min_edges: int) -> list[dict]:
    """(week, team) pairs whose internal edges are at least `ratio` times the external ones,
    with at least `min_edges` edges touching the team that week."""
    counts: dict[tuple[date, str], list[int]] = {}
    for edge in person_edges(ws):
        teams = {edge["a"]["team"], edge["b"]["team"]}
        for team in teams:
            internal, external = counts.setdefault((edge["week"], team), [0, 0])
            counts[(edge["week"], team)] = (
                [internal + 1, external] if len(teams) == 1 else [internal, external + 1]
            )
    return [
        {"week": week.isoformat(), "team": team, "internal": i, "external": e}
        for (week, team), (i, e) in sorted(counts.items())
        if i + e >= min_edges and i >= ratio * e
    ]


def flow_months(ws: Workspace) -> list[dict]:
    """Per month raised: items raised by tech and by the rest (business), and how many of
    them a person of the other group commented on or reviewed."""
    handled: dict[str, set[str]] = {}
    for touch in ws.touches:
        author = ws.people.get(touch.author) if touch.author else None
        owner_id = ws.items[touch.item_id]["author"]
        if not author or author["bot"] or touch.author == owner_id:
            continue
        handled.setdefault(touch.item_id, set()).add(
            "tech" if author["side"] == "tech" else "business"
        )
    months: dict[str, list[int]] = {}
    for item_id, item in ws.items.items():
        owner = ws.people.get(item["author"]) if item["author"] else None
        if not owner or owner["bot"]:
            continue
        group = "tech" if owner["side"] == "tech" else "business"
        other = "business" if group == "tech" else "tech"
        row = months.setdefault(item["created_at"].strftime("%Y-%m-01"), [0, 0, 0, 0])
        crossed = other in handled.get(item_id, set())
        if group == "business":
            row[0] += 1
            row[2] += crossed
        else:
            row[1] += 1
            row[3] += crossed
    out = []
    for month, (business, tech, to_tech, to_business) in sorted(months.items()):
        kind = (
            "two-way"
            if to_tech and to_business
            else "top-down only"
            if to_tech
            else "bottom-up only"
            if to_business
            else "no cross-side flow"
        )
        out.append(
            {
                "month": month,
                "business_raised_items": business,
                "tech_raised_items": tech,
                "business_to_tech_items": to_tech,
                "tech_to_business_items": to_business,
                "flow_kind": kind,
            }
        )
    return out


def decision_debt(ws: Workspace) -> list[dict]:
    """Items cited in management, CODIR or COMEX minutes after their creation, still open,
    with no roadmap change (Jira priority or Rank) and no minutes decision line citing them
    at or after their first escalation."""
    out = []
    for item_id, item in ws.items.items():
        if item["closed"]:
            continue
        patterns = reference_patterns(item_id)
        escalations = []
        for minutes in ws.minutes:
            level = MEETING_LEVEL.get(minutes.type)
            if level not in ("management", "comex") or minutes.start_at < item["created_at"]:
                continue
            if any(p.search(minutes.text) for _, p in patterns):
                escalations.append((minutes.start_at, level))
        if not escalations:
            continue
        first = min(at for at, _ in escalations)
        decided = [at for at in item["decided_at"] if at >= first] + [
            m.start_at
            for m in ws.minutes
            if m.start_at >= first and any(p.search(d) for d in m.decisions for _, p in patterns)
        ]
        if decided:
            continue
        out.append(
            {
                "item_id": item_id,
                "first_escalated_at": iso_z(first),
                "escalations": len(escalations),
                "highest_level": "comex"
                if any(lv == "comex" for _, lv in escalations)
                else "management",
            }
        )
    return sorted(out, key=lambda r: r["item_id"])


def silo_index_weeks(ws: Workspace, threshold: float) -> list[dict]:
    """Per week with any record: which sources fed it (github, jira, notes), the cross-side
    shares of written edges and of co-attendance pooled over the week and the 3 weeks with
    records before it, the index and the status (README)."""
    sources: dict[date, set[str]] = {}
    for item_id, item in ws.items.items():
        sources.setdefault(week_of(item["created_at"]), set()).add(item_id.split(":")[0])
    for touch in ws.touches:
        sources.setdefault(week_of(touch.at), set()).add(touch.item_id.split(":")[0])
    for minutes in ws.minutes:
        sources.setdefault(week_of(minutes.start_at), set()).add("notes")
    expected = set().union(*sources.values())
    parts: dict[tuple[date, str], list[int]] = {}
    for edge in person_edges(ws):
        row = parts.setdefault((edge["week"], edge["kind"]), [0, 0])
        row[0] += 1
        row[1] += edge["a"]["side"] != edge["b"]["side"]
    out = []
    ordered = sorted(sources)
    for position, week in enumerate(ordered):
        window = ordered[max(0, position - 3) : position + 1]  # the week and the 3 before
        shares = []
        for kind in ("written", "co_attendance"):
            total = sum(parts.get((w, kind), [0, 0])[0] for w in window)
            cross = sum(parts.get((w, kind), [0, 0])[1] for w in window)
            shares.append(cross / total if total else None)
        index = None
        if sources[week] >= expected and None not in shares:
            index = 1 - (shares[0] + shares[1]) / 2
        status = "not measured" if index is None else "silo" if index >= threshold else "connected"
        out.append(
            {
                "week": week.isoformat(),
                "missing_sources": sorted(expected - sources[week]),
                "silo_index": index,
                "silo_status": status,
            }
        )
    return out


def meeting(ws: Workspace, meeting_id: str) -> Minutes:
    return next(m for m in ws.minutes if m.meeting_id == meeting_id)


def resolve(ws: Workspace, written: list[str]) -> set[str]:
    """Person ids of names as written (unknown or ambiguous names are left out)."""
    return {ws.by_name[name] for name in written if name in ws.by_name}
