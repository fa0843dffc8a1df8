"""Background activity: the everyday items, comments, reviews and changes of six months.

Planted items (see `story.py`) go through the same functions with `item.planted = True`,
which restricts who may touch them: only field-level people and bots, so the planted
touchpoints are the only management and COMEX ones, and no other text references them.

The growing silo is planted here: a comment's author is someone of another side with
probability `CROSS_SHARE_BEFORE` until 2026-05-17 and `CROSS_SHARE_AFTER` from the week
of 2026-05-18, while the number of comments per item does not change.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from pipelines.demo import texts
from pipelines.demo.clock import (
    SILO_FROM,
    is_working_day,
    paris_day,
    period_end_utc,
    snap_forward,
    weeks,
    working_moment,
)
from pipelines.demo.model import Change, Comment, Item
from pipelines.demo.org import Org

CROSS_SHARE_BEFORE = 0.36
CROSS_SHARE_AFTER = 0.06
REPOS = ("lumio/platform", "lumio/web-app", "lumio/mobile")
PROJECTS = ("PLAT", "SUP", "SALES")
# container -> (items per week, author teams)
VOLUME = {
    "lumio/platform": (1.6, ("Platform", "Data")),
    "lumio/web-app": (1.5, ("Web", "Product")),
    "lumio/mobile": (1.0, ("Mobile",)),
    "PLAT": (3.0, ("Platform", "Web", "Mobile", "Data", "Product")),
    "SUP": (2.6, ("Support",)),
    "SALES": (1.3, ("Sales",)),
}
REPO_TEAMS = {
    "lumio/platform": ("Platform", "Data"),
    "lumio/web-app": ("Web",),
    "lumio/mobile": ("Mobile",),
}
PRIORITIES = ["Highest", "High", "Medium", "Low", "Lowest"]
PRIORITY_WEIGHTS = [4, 18, 52, 20, 6]
FIX_VERSIONS = ["2026.02", "2026.03", "2026.04", "2026.05", "2026.06", "2026.07"]
MILESTONES = ["v4.2", "v4.3", "v4.4", "v5.0"]
PLAT_COMPONENTS = ["API", "Auth", "Billing", "Infra", "Front", "Mobile", "Data"]
SUP_COMPONENTS = ["Facturation", "Export", "Connecteurs", "Mobile", "Compte"]
SALES_COMPONENTS = ["Demande client", "Avant-vente", "Renouvellement"]
JIRA_FLOW = {  # project -> (statuses in order, done status)
    "PLAT": (["To Do", "In Progress", "In Review", "Done"], "Done"),
    "SUP": (["Open", "In Progress", "Resolved"], "Resolved"),
    "SALES": (["To Do", "In Progress", "Done"], "Done"),
}
LEVEL_WEIGHT = {"field": 1.0, "management": 0.5, "comex": 0.12}


def cross_share(moment: datetime) -> float:
    return CROSS_SHARE_AFTER if paris_day(moment) >= SILO_FROM else CROSS_SHARE_BEFORE


def _count(rng: random.Random, mean: float) -> int:
    whole = int(mean)
    return whole + (1 if rng.random() < mean - whole else 0)


def _working_day_in_week(rng: random.Random, monday) -> object:
    days = [monday + timedelta(days=n) for n in range(5)]
    days = [d for d in days if is_working_day(d)]
    return rng.choice(days)


def possible_authors(org: Org, container: str, day, planted: bool = False) -> list[str]:
    """Who may open an item in `container` on `day` (field people only when planted)."""
    teams = VOLUME[container][1]
    out = []
    for p in org.humans():
        if not p.active(day) or p.team_on(day) not in teams:
            continue
        if container in REPOS and not p.github:
            continue
        if planted and p.level != "field":
            continue
        if p.level == "comex":
            continue
        out.append(p.id)
    return sorted(out)


def new_item(
    rng: random.Random, org: Org, container: str, at: datetime, author: str, kind: str | None = None
) -> Item:
    """A background item with a plausible title, body, labels and Jira fields."""
    if container in REPOS:
        kind = kind or ("pull" if rng.random() < 0.5 else "issue")
        if org.people[author].team_on(paris_day(at)) == "Data":
            pool = texts.DATA_TITLES
        else:
            pool = texts.GITHUB_PR_TITLES if kind == "pull" else texts.GITHUB_ISSUE_TITLES
        title = texts.sentence_case(texts.fill(rng, texts.pick(rng, pool)))
        labels = []
        if kind == "issue":
            roll = rng.random()
            labels = ["incident"] if roll < 0.06 else ["bug"] if roll < 0.5 else ["enhancement"]
        item = Item(
            "github",
            container,
            author,
            at,
            title,
            texts.fill(rng, texts.pick(rng, texts.GITHUB_BODIES)),
            kind,
            labels=labels,
        )
        if rng.random() < 0.3:
            item.milestone = rng.choice(MILESTONES)
        return item
    pool = {
        "PLAT": texts.JIRA_PLAT_TITLES,
        "SUP": texts.JIRA_SUP_TITLES,
        "SALES": texts.JIRA_SALES_TITLES,
    }[container]
    if kind is None:
        kind = {
            "PLAT": rng.choice(["Story", "Story", "Bug", "Task"]),
            "SUP": rng.choice(["Bug", "Bug", "Task", "Incident"])
            if rng.random() < 0.9
            else "Incident",
            "SALES": rng.choice(["Task", "Story"]),
        }[container]
    item = Item(
        "jira",
        container,
        author,
        at,
        texts.sentence_case(texts.fill(rng, texts.pick(rng, pool))),
        texts.fill(rng, texts.pick(rng, texts.JIRA_BODIES)),
        kind,
        priority=rng.choices(PRIORITIES, PRIORITY_WEIGHTS)[0],
    )
    item.status = JIRA_FLOW[container][0][0]
    components = {"PLAT": PLAT_COMPONENTS, "SUP": SUP_COMPONENTS, "SALES": SALES_COMPONENTS}[
        container
    ]
    item.components = [rng.choice(components)]
    item.team = org.people[author].team_on(paris_day(at))
    if container == "PLAT":
        item.story_points = float(rng.choice([1, 2, 3, 5, 8, 13]))
        item.sprint = max(1, (paris_day(at) - weeks()[0]).days // 14 + 1)
        item.product_owner = rng.choice(
            ["anais.meyer", "benjamin.caron", "oceane.picard", "florian.giraud"]
        )
        if rng.random() < 0.4:
            item.labels = [rng.choice(["backend", "frontend", "dette-technique", "client"])]
    if container == "SUP" and rng.random() < 0.3:
        item.labels = ["client-grand-compte"]
    return item


def background_items(rng: random.Random, org: Org) -> list[Item]:
    """The everyday items of every container, week after week, plus Dependabot PRs."""
    items: list[Item] = []
    for index, monday in enumerate(weeks()):
        for container, (mean, _) in VOLUME.items():
            for _ in range(_count(rng, mean)):
                day = _working_day_in_week(rng, monday)
                authors = possible_authors(org, container, day)
                if not authors:
                    continue
                at = working_moment(rng, day)
                items.append(new_item(rng, org, container, at, rng.choice(authors)))
        if index % 2 == 1:
            items.append(dependabot_pull(rng, org, index, monday))
    return items


def dependabot_pull(rng: random.Random, org: Org, index: int, monday) -> Item:
    """A Dependabot PR in week `index` (every other week, the repositories in turn)."""
    repo = REPOS[(index // 2) % 3]
    at = working_moment(rng, _working_day_in_week(rng, monday))
    package = rng.choice(["django", "requests", "react", "axios", "pyarrow", "kotlin"])
    return Item(
        "github",
        repo,
        org.bots["dependabot"].id,
        at,
        f"Bump {package} to the latest patch version",
        f"Bumps {package} to the latest patch version.\n\n"
        "Dependabot will resolve any conflicts with this PR.",
        "pull",
        labels=["dependencies"],
    )


def number_items(items: list[Item]) -> None:
    """Number items per container in creation order (GitHub issues and PRs share numbers)."""
    by_container: dict[str, list[Item]] = {}
    for item in items:
        by_container.setdefault(item.container, []).append(item)
    for group in by_container.values():
        group.sort(key=lambda i: (i.created, i.title))
        for number, item in enumerate(group, 1):
            item.number = number


def _ref_text(rng: random.Random, source: Item, target: Item) -> str:
    """A reference to `target` written inside `source`, in one of the contract's forms."""
    if target.source == "jira":
        if rng.random() < 0.25:
            return f"https://lumio.atlassian.net/browse/{target.key}"
        return target.key
    if source.source == "github" and source.container == target.container:
        return f"#{target.number}"
    if rng.random() < 0.3:
        path = "pull" if target.kind == "pull" else "issues"
        return f"https://github.com/{target.container}/{path}/{target.number}"
    return target.key


def add_references(rng: random.Random, items: list[Item]) -> None:
    """Link some background items to earlier background items (never to planted ones)."""
    ordered = sorted(items, key=lambda i: (i.created, i.item_id))
    earlier: list[Item] = []
    for item in ordered:
        candidates = [t for t in earlier[-60:] if not t.planted]
        if not item.planted and candidates and rng.random() < 0.45:
            if item.source == "github" and item.kind == "pull":
                same = [
                    t for t in candidates if t.container == item.container and t.kind == "issue"
                ]
                target = rng.choice(same or candidates)
                verb = "Closes" if target.source == "github" else "Lié à"
            else:
                target = rng.choice(candidates)
                verb = "Voir aussi" if item.source == "jira" else "Related to"
            item.body += f"\n\n{verb} {_ref_text(rng, item, target)}"
            if target.source == "github" and item.source == "github":
                target.cross_refs.append((item.created, item.author, item.key))
        earlier.append(item)


def _commenter_pool(org: Org, item: Item, at: datetime, cross: bool, kind: str) -> list[str]:
    author_side = org.people[item.author].side
    day = paris_day(at)
    pool = []
    for p in org.humans():
        if not p.active(day) or (item.source == "github" and not p.github):
            continue
        if item.planted and p.level != "field":
            continue
        if kind != "comment" and p.side not in ("tech", "product"):
            continue
        if (p.side != author_side) != cross:
            continue
        pool.append(p.id)
    return sorted(pool)


def _weighted_choice(rng: random.Random, org: Org, pool: list[str]) -> str:
    weights = [LEVEL_WEIGHT[org.people[p].level] for p in pool]
    return rng.choices(pool, weights)[0]


def pick_commenter(
    rng: random.Random, org: Org, item: Item, at: datetime, kind: str = "comment"
) -> str | None:
    """Who writes a comment or review on `item` at `at`: cross-side with the week's share."""
    cross = rng.random() < cross_share(at)
    pool = _commenter_pool(org, item, at, cross, kind)
    if not pool:
        pool = _commenter_pool(org, item, at, not cross, kind)
    if item.author in org.people and not org.people[item.author].bot and not cross:
        pool = pool or [item.author]
    return _weighted_choice(rng, org, pool) if pool else None


def _comment_body(rng: random.Random, org: Org, item: Item, author: str) -> str:
    side = org.people[author].side
    item_side = org.people[item.author].side
    pool = texts.SAME_SIDE_COMMENTS if side == item_side else texts.CROSS_SIDE_COMMENTS
    return texts.fill(rng, texts.pick(rng, pool[side]))


def _later(rng: random.Random, start: datetime, max_hours: float) -> datetime:
    return snap_forward(start + timedelta(hours=rng.uniform(0.5, max_hours)))


def add_discussion(rng: random.Random, org: Org, item: Item) -> None:
    """Comments (and for pull requests reviews, review comments and CI) on `item`."""
    end = period_end_utc()
    at = item.created
    n_comments = (
        rng.choice([0, 1, 1, 2, 2, 3, 4])
        if item.source == "github"
        else rng.choice([1, 1, 2, 2, 3, 4])
    )
    for _ in range(n_comments):
        at = _later(rng, at, 60)
        if at > end:
            break
        author = pick_commenter(rng, org, item, at)
        if author:
            item.comments.append(Comment(author, at, _comment_body(rng, org, item, author)))
    if item.source == "github" and item.kind == "pull":
        ci_at = _later(rng, item.created, 1)
        if ci_at <= end:
            item.comments.append(
                Comment(org.bots["ci"].id, ci_at, texts.pick(rng, texts.CI_COMMENTS))
            )
        at = item.created
        for _ in range(rng.choice([1, 1, 2])):
            at = _later(rng, at, 30)
            if at > end:
                break
            reviewer = pick_commenter(rng, org, item, at, kind="review")
            if not reviewer or reviewer == item.author:
                continue
            state = rng.choice(["APPROVED", "APPROVED", "CHANGES_REQUESTED", "COMMENTED"])
            if rng.random() < 0.5:
                item.comments.append(
                    Comment(
                        reviewer,
                        at,
                        texts.pick(rng, texts.REVIEW_LINE_COMMENTS),
                        kind="review_comment",
                    )
                )
            item.comments.append(
                Comment(
                    reviewer,
                    at + timedelta(seconds=30),
                    texts.pick(rng, texts.REVIEW_BODIES[state]),
                    kind="review",
                    review_state=state,
                )
            )
    if item.container == "SUP" and rng.random() < 0.15:
        bot_at = _later(rng, item.created, 48)
        if bot_at <= end:
            item.comments.append(
                Comment(
                    org.bots["jira_automation"].id,
                    bot_at,
                    texts.pick(rng, texts.AUTOMATION_COMMENTS),
                )
            )
    item.comments.sort(key=lambda c: (c.at, c.kind))


def _field_actor(rng: random.Random, org: Org, item: Item, at: datetime) -> str:
    """Who moves the item along: its assignee or author when active, else a bot."""
    for candidate in (item.assignee, item.author):
        if candidate and org.people[candidate].active(paris_day(at)):
            return candidate
    return org.bots["jira_automation"].id if item.source == "jira" else org.bots["ci"].id


def _roadmap_changer(rng: random.Random, org: Org) -> str:
    """PLAT priority and Rank changes: mostly the sales director, the real decider."""
    roll = rng.random()
    if roll < 0.76:
        return "marie.dubois"
    if roll < 0.88:
        return "julien.moreau"
    return rng.choice(["emma.rousseau", "leo.garnier"])


def add_lifecycle(
    rng: random.Random, org: Org, item: Item, not_before: datetime | None = None
) -> None:
    """Assignment, labels, milestones, priority/Rank/fixVersion changes and closure.

    `not_before` keeps closure after a planted COMEX moment (an item closed before the
    COMEX discusses it would be an odd story)."""
    end = period_end_utc()
    author = org.people[item.author]
    if not author.bot:
        item.assignee = _assignee(rng, org, item)
    last = max([item.created] + [c.at for c in item.comments])
    if not_before:
        last = max(last, not_before)
    if item.source == "github":
        for label in item.labels:
            item.changes.append(Change(item.author, item.created, "labeled", None, label))
        if item.milestone:
            at = _later(rng, item.created, 20)
            if at <= end:
                item.changes.append(
                    Change(_field_actor(rng, org, item, at), at, "milestoned", None, item.milestone)
                )
        if item.assignee and rng.random() < 0.3:
            item.changes.append(
                Change(
                    item.author,
                    item.created + timedelta(minutes=1),
                    "assigned",
                    None,
                    item.assignee,
                )
            )
        roll = rng.random()
        close_at = _later(rng, last, 72)
        if close_at <= end and roll < (0.9 if item.kind == "pull" else 0.7):
            actor = _field_actor(rng, org, item, close_at)
            if item.kind == "pull":
                item.merged = roll < 0.8
                item.close_reason = None
                if item.merged:
                    item.changes.append(Change(actor, close_at, "merged"))
            else:
                item.close_reason = "not_planned" if rng.random() < 0.15 else "completed"
            item.closed_at, item.closed_by = close_at, actor
            item.changes.append(Change(actor, close_at, "closed", None, item.close_reason))
        item.status = "closed" if item.closed_at else "open"
        return
    statuses, done = JIRA_FLOW[item.container]
    at = _later(rng, item.created, 30)
    if at <= end and item.assignee:
        item.changes.append(
            Change(_field_actor(rng, org, item, at), at, "assignee", None, item.assignee)
        )
    if item.container == "PLAT" and not item.planted:
        for _ in range(rng.choice([0, 1, 1, 2])):
            at = _later(rng, item.created, 200)
            if at > end:
                break
            changer = _roadmap_changer(rng, org)
            if rng.random() < 0.5:
                new = rng.choice([p for p in PRIORITIES[:3] if p != item.priority])
                item.changes.append(Change(changer, at, "priority", item.priority, new))
                item.priority = new
            else:
                item.changes.append(
                    Change(changer, at, "Rank", None, rng.choice(["Ranked higher", "Ranked lower"]))
                )
        if rng.random() < 0.5:
            at = _later(rng, item.created, 100)
            if at <= end:
                month = paris_day(at).month  # the release of the coming month or the next
                version = FIX_VERSIONS[min(len(FIX_VERSIONS) - 1, month - 1 + rng.randrange(2))]
                changer = rng.choice(["emma.rousseau", "leo.garnier", "nicolas.bernard"])
                item.changes.append(Change(changer, at, "Fix Version", None, version))
                item.fix_versions = [version]
    current = statuses[0]
    moment = item.created
    target = len(statuses) - 1 if rng.random() < 0.72 else rng.randrange(len(statuses) - 1)
    for status in statuses[1 : target + 1]:
        moment = _later(rng, moment if status != done else max(moment, last), 40)
        if moment > end:
            break
        actor = _field_actor(rng, org, item, moment)
        item.changes.append(Change(actor, moment, "status", current, status))
        current = status
        if status == done:
            resolution = "Done"
            if item.container == "SALES" and rng.random() < 0.2:
                resolution = "Won't Do"
            item.changes.append(Change(actor, moment, "resolution", None, resolution))
            item.closed_at, item.close_reason, item.closed_by = moment, resolution, actor
    item.status = current
    item.changes.sort(key=lambda c: c.at)


def _assignee(rng: random.Random, org: Org, item: Item) -> str | None:
    day = paris_day(item.created)
    if item.container in ("SUP", "SALES"):
        return item.author
    teams = REPO_TEAMS.get(item.container, ("Platform", "Web", "Mobile", "Data"))
    pool = sorted(
        p.id
        for p in org.humans()
        if p.active(day)
        and p.level == "field"
        and p.team_on(day) in teams
        and (item.source == "jira" or p.github)
    )
    return rng.choice(pool) if pool else None
