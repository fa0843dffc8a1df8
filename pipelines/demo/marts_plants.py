"""Planted facts for the marts of issue 13 (what `fct_cross_side_weekly`, `fct_flow_direction`,
`fct_decision_debt` and `fct_silo_index_weekly` must find in the demo).

1. Inward team: from `INWARD_FROM` the Data team talks only to itself. Its lead stops going
   to the management meeting and the CODIR (written as excused), nobody outside the team
   comments on or reviews its items, and its people comment on no one else's: its
   internal-to-external ratio crosses 5:1.
2. Top-down month: in `TOP_DOWN_MONTH` nobody outside tech comments on or reviews an item
   raised by tech, while tech still handles business items: the flow runs one way only.
3. Never arbitrated: `UNARBITRATED` open items are cited twice in COMEX minutes and nothing
   is ever decided about them (no decision line, no priority change, never closed).
4. Missing source: the Jira records of one week of the planted silo are lost (tickets opened
   and comments written that week), so that week is "not measured" rather than "silo".

`plant` runs after every other step of the generator has drawn from the main random stream
and uses its own, so the other planted facts keep their values. The planned management and
COMEX comments of planted latencies are never removed. Truth is recomputed from the written
files by `verify.py` (`inward_team_weeks`, `flow_months`, `decision_debt`, `silo_index_weeks`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from pipelines.demo import verify
from pipelines.demo.clock import SILO_FROM, paris_day, snap_forward, week_start
from pipelines.demo.model import Comment, Item, Meeting
from pipelines.demo.org import Org
from pipelines.demo.story import Plan, meeting_start

INWARD_TEAM = "Data"
INWARD_LEAD = "sarah.cohen"
INWARD_FROM = date(2026, 4, 6)  # a Monday
TOP_DOWN_MONTH = date(2026, 6, 1)
TOP_DOWN_RESPONDER = "maxime.leroy"  # a Platform developer answers a business ticket
TOP_DOWN_TEXT = "Je regarde côté plateforme et je reviens vers vous."
UNARBITRATED = 3
# weeks of the planted silo whose Jira records may go missing, in order of preference
MISSING_JIRA_CANDIDATES = tuple(date(2026, 5, 18) + timedelta(weeks=n) for n in (0, 1, 3, 2, 4))


@dataclass
class MartsPlan:
    inward_team: str = INWARD_TEAM
    inward_from: date = INWARD_FROM
    top_down_month: date = TOP_DOWN_MONTH
    unarbitrated: list[str] = field(default_factory=list)  # item ids
    missing_jira_week: date | None = None


def _protected(plan: Plan) -> set[tuple[str, object]]:
    """(author, moment) of the planned management and COMEX comments on planted items."""
    out = set()
    for entry in plan.latencies:
        if entry.management_comment_at:
            out.add((entry.management_comment_by, entry.management_comment_at))
        if entry.comex_comment_at:
            out.add((entry.comex_comment_by, entry.comex_comment_at))
    return out


def _drop_comments(item: Item, org: Org, protected: set, unwanted) -> None:
    """Remove the comments and reviews by humans other than the author that `unwanted`
    rejects (a review's line comments go with it)."""

    def keep(comment: Comment) -> bool:
        person = org.people[comment.author]
        if person.bot or comment.author == item.author:
            return True
        if (comment.author, comment.at) in protected:
            return True
        return not unwanted(comment, person)

    item.comments = [c for c in item.comments if keep(c)]


def _inward_team(org: Org, items: list[Item], calendar: list[Meeting], protected: set) -> None:
    for meeting in calendar:
        if meeting.type in ("management", "codir") and meeting.day >= INWARD_FROM:
            if INWARD_LEAD in meeting.attendees:
                meeting.attendees.remove(INWARD_LEAD)
                meeting.absent.append(INWARD_LEAD)
    for item in items:
        owner = org.people[item.author]
        if owner.bot:
            continue
        inside = owner.team == INWARD_TEAM
        _drop_comments(
            item,
            org,
            protected,
            lambda c, person, inside=inside: (
                paris_day(c.at) >= INWARD_FROM and (person.team == INWARD_TEAM) != inside
            ),
        )


def _top_down_month(org: Org, items: list[Item], protected: set) -> None:
    in_month = [
        i
        for i in items
        if not org.people[i.author].bot and paris_day(i.created).replace(day=1) == TOP_DOWN_MONTH
    ]
    for item in in_month:
        if org.people[item.author].side == "tech":
            _drop_comments(item, org, protected, lambda c, person: person.side != "tech")
    business = sorted(
        (i for i in in_month if i.source == "jira" and org.people[i.author].side != "tech"),
        key=lambda i: i.item_id,
    )
    handled = any(
        org.people[c.author].side == "tech" and not org.people[c.author].bot
        for i in business
        for c in i.comments
    )
    if business and not handled:  # tech still answers business: the flow is top-down
        item = business[0]
        item.comments.append(
            Comment(
                TOP_DOWN_RESPONDER, snap_forward(item.created + timedelta(hours=3)), TOP_DOWN_TEXT
            )
        )
        item.comments.sort(key=lambda c: (c.at, c.kind))


def _missing_jira_week(items: list[Item], protected: set) -> date:
    """Drop every Jira record of one week of the planted silo (tickets opened and comments
    written that week: the export of that week was lost), in a week no planted fact needs."""
    for monday in MISSING_JIRA_CANDIDATES:
        assert monday >= SILO_FROM

        def in_week(moment, monday=monday) -> bool:
            return week_start(paris_day(moment)) == monday

        jira = [i for i in items if i.source == "jira"]
        if any(i.planted and in_week(i.created) for i in jira):
            continue
        if any((c.author, c.at) in protected for i in jira for c in i.comments if in_week(c.at)):
            continue
        items[:] = [i for i in items if not (i.source == "jira" and in_week(i.created))]
        for item in jira:
            item.comments = [c for c in item.comments if not in_week(c.at)]
        return monday
    raise AssertionError("every candidate week for the missing Jira records holds a planted fact")


def _unarbitrated(
    rng: random.Random, org: Org, items: list[Item], calendar: list[Meeting]
) -> list[str]:
    """Open items by field people, in containers no roadmap change touches (SUP, GitHub
    issues), each cited in two COMEX minutes after its creation."""
    candidates = sorted(
        (
            i
            for i in items
            if not i.planted
            and i.closed_at is None
            and (i.container == "SUP" or (i.source == "github" and i.kind == "issue"))
            and not org.people[i.author].bot
            and org.people[i.author].level == "field"
            and paris_day(i.created) < date(2026, 4, 1)
        ),
        key=lambda i: i.item_id,
    )
    chosen = rng.sample(candidates, UNARBITRATED)
    comex = [m for m in calendar if m.type == "comex"]
    for item in chosen:
        later = [m for m in comex if meeting_start(m) > item.created + timedelta(days=3)]
        for meeting in rng.sample(later, 2):
            meeting.add("discussion", f"Escalade : {item.key} — {item.title}. Toujours ouvert.")
    return sorted(i.item_id for i in chosen)


def plant(seed: int, org: Org, calendar: list[Meeting], items: list[Item], plan: Plan) -> MartsPlan:
    """Plant the four facts above into the generator's model, before files are written."""
    rng = random.Random(f"marts-{seed}")
    protected = _protected(plan)
    marts = MartsPlan()
    _inward_team(org, items, calendar, protected)
    _top_down_month(org, items, protected)
    marts.missing_jira_week = _missing_jira_week(items, protected)
    marts.unarbitrated = _unarbitrated(rng, org, items, calendar)
    return marts


def dbt_vars() -> dict:
    """The dbt project's vars (thresholds the marts use), read from dbt_project.yml so the
    truth applies the same numbers as the marts."""
    import yaml

    path = Path(__file__).resolve().parents[1] / "dbt_project" / "dbt_project.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["vars"]


def checked_truth(root: Path, marts: MartsPlan) -> dict:
    """Recompute the four facts from the written files, check them against the plan (no
    fact the plan did not put there), and return the `truth.json` entries."""
    settings = dbt_vars()
    ws = verify.read_workspace(root)
    inward = verify.inward_team_weeks(
        ws, settings["inward_ratio_threshold"], settings["inward_min_edges"]
    )
    assert {r["team"] for r in inward} == {marts.inward_team}, f"inward teams: {inward}"
    assert all(r["week"] >= marts.inward_from.isoformat() for r in inward), inward
    assert len(inward) >= 3, f"the inward team is flagged in only {len(inward)} weeks"
    months = verify.flow_months(ws)
    one_way = [m["month"] for m in months if m["flow_kind"] != "two-way"]
    assert one_way == [marts.top_down_month.isoformat()], f"one-way months: {one_way}"
    assert months[-1]["flow_kind"] == "top-down only", months[-1]
    debt = verify.decision_debt(ws)
    by_item = {r["item_id"]: r for r in debt}
    for item_id in marts.unarbitrated:
        assert item_id in by_item, f"{item_id}: planted debt not found"
        assert by_item[item_id]["highest_level"] == "comex", by_item[item_id]
    weeks = verify.silo_index_weeks(ws, settings["silo_index_threshold"])
    missing = marts.missing_jira_week.isoformat()
    for row in weeks:
        if row["week"] == missing:
            assert row["missing_sources"] == ["jira"], row
            assert row["silo_status"] == "not measured", row
        else:
            assert row["missing_sources"] == [], row
            assert row["silo_status"] != "not measured", row
        if row["silo_status"] == "silo":
            assert row["week"] >= SILO_FROM.isoformat(), f"silo before the planted silo: {row}"
    assert any(r["silo_status"] == "silo" for r in weeks), "no silo week"
    return {
        "inward_team": {
            "team": marts.inward_team,
            "from_week": marts.inward_from.isoformat(),
            "flagged_weeks": inward,
        },
        "flow_direction": {"top_down_month": marts.top_down_month.isoformat(), "months": months},
        "decision_debt": {
            "unarbitrated": marts.unarbitrated,
            "items": debt,
        },
        "silo_index": {"missing_source_week": missing, "missing_source": "jira", "weeks": weeks},
    }
