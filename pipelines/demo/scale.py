"""Scaled demo organisations for benchmarks: `generate_scaled(root, size, seed=7) -> manifest`.

`small` is the demo itself (`generator.generate`, byte for byte). Larger sizes reuse the
demo's building blocks (the roster, `activity`'s items, comments, reviews and lifecycle,
the meeting calendar and its Markdown, the GitHub and Jira renderers) and multiply them:

- **units**: copies of Lumio's 69 people, each a business unit with its own people (unit 0
  is Lumio; unit `B`, `C`... have their own last names, logins, e-mails and Jira accounts),
  its own repositories (`lumio/platform-b`) and Jira projects (`PLATB`, `SUPB`, `SALESB`);
  COMEX members of other units are `management` (business-unit heads), and only unit 0 holds
  the directory's roles and owners. The bots are shared.
- **weeks** of history, ending on the demo's last day (2026-06-28): the demo's 25-week period
  is generated once per 25 weeks and shifted back in time (the earliest block cut to fit).
- **density**: items per person and week, a multiple of the demo's (`activity.VOLUME`).

Everything is written as the demo writes it (same replay layouts, Markdown minutes,
`directory.yml`), so a benchmark measures the real parsing path. Deterministic: one seeded
`random.Random` per unit and block. One unit is held in memory at a time: its items are
rendered and written before the next unit is generated. There is no planted truth at scale
(no `truth.json`); `scale.json` records the size, the period and the counts written.

Known simplifications: every 25-week block repeats the demo's calendar shape (its silo
drop in the last six weeks, its holidays and sprints), shifted; people's arrival dates are
moved to the start of the history so shifted activity never precedes an arrival.

Command line: `python -m pipelines.demo.scale ROOT --size 4x [--seed N]`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from pipelines.demo import activity, generator, story, texts
from pipelines.demo.clock import END, START, TIMEZONE, weeks, working_moment
from pipelines.demo.github_payloads import github_files
from pipelines.demo.jira_payloads import PROJECTS, JiraRenderer, fields_list, server_info
from pipelines.demo.minutes import build_calendar, render
from pipelines.demo.model import Item, Meeting
from pipelines.demo.org import Org, Person, build_org, directory_document
from pipelines.workspaces import refuse_unless_demo_or_empty

BLOCK_WEEKS = 25  # the demo's period, the unit of history


@dataclass(frozen=True)
class Size:
    units: int  # copies of the 69-person organisation
    weeks: int  # history, ending 2026-06-28
    density: float  # items per person and week, times the demo's

    @property
    def factor(self) -> float:
        """Items written, as a multiple of the demo's."""
        return self.units * self.weeks / BLOCK_WEEKS * self.density


SIZES: dict[str, Size | None] = {
    "small": None,  # the demo, exactly
    "4x": Size(units=2, weeks=50, density=1),
    "16x": Size(units=4, weeks=50, density=2),
    "64x": Size(units=8, weeks=50, density=4),
    # about 1,000 people, 12 months, ~150k Jira issues, ~40k pull requests
    "large": Size(units=15, weeks=52, density=25),
}

# the demo's silo.yml with every unit's repositories and projects
SILO_YML = (
    generator.SILO_YML.replace("# Demo workspace", "# Scaled demo workspace ({size})")
    .replace("demo/generator.py", "demo/scale.py")
    .replace("lumio/platform, lumio/web-app, lumio/mobile", "{repos}")
    .replace("project in (PLAT, SUP, SALES)", "project in ({projects})")
)
# business-unit meetings run where unit 0 has its COMEX and CODIR
UNIT_MEETINGS = ("management", "team")


def unit_tag(unit: int) -> str:
    """'' for Lumio itself, then B, C, ... Z, BA, BB... (letters: valid in Jira keys)."""
    if unit == 0:
        return ""
    letters = ""
    while unit:
        unit, digit = divmod(unit, 26)
        letters = chr(ord("A") + digit) + letters
    return letters


def containers(unit: int) -> dict[str, str]:
    """Demo container -> this unit's: `lumio/platform` -> `lumio/platform-b`, `PLAT` -> `PLATB`."""
    tag = unit_tag(unit)
    out = {repo: f"{repo}-{tag.lower()}" if tag else repo for repo in activity.REPOS}
    out.update({project: project + tag for project in activity.PROJECTS})
    return out


def period(size: Size) -> tuple[date, date]:
    """First and last day of the history: `weeks` whole weeks ending on the demo's END."""
    return START - timedelta(weeks=size.weeks - BLOCK_WEEKS), END


# --- people ------------------------------------------------------------------------------


def _unit_people(
    org: Org, unit: int, start: date, bots: dict[str, Person], taken: set[str]
) -> dict[str, str]:
    """Rename `org`'s humans for `unit` in place; returns old id -> new id. Names are unique
    in the whole directory (`taken`, updated): another unit's people get other last names,
    and their short form (`Marie D.`) only while it is free."""
    humans = sorted(org.humans(), key=lambda p: p.id)
    lasts = [p.last for p in humans]
    mapping: dict[str, str] = {}
    people: dict[str, Person] = {}
    tag = unit_tag(unit).lower()
    for index, person in enumerate(humans):
        new = replace(person)
        if unit:
            free = (
                lasts[(index + unit + n) % len(lasts)]
                for n in range(len(lasts))
                if f"{person.first} {lasts[(index + unit + n) % len(lasts)]}" not in taken
            )
            last = next(free, f"{person.last}-{tag.upper()}")
            names = [f"{person.first} {last}"]
            if f"{person.first} {last[0]}." not in taken:
                names.append(f"{person.first} {last[0]}.")
            new_id = f"{person.id}.{tag}"
            new = replace(
                person,
                id=new_id,
                last=last,
                level="management" if person.level == "comex" else person.level,
                manager=f"{person.manager}.{tag}" if person.manager else None,
                email=f"{new_id}@lumio.example",
                github=f"{person.github}-{tag}" if person.github else None,
                names=names,
            )
        taken.update(new.names)
        new.arrived = min(new.arrived, start)
        mapping[person.id] = new.id
        people[new.id] = new
    for bot in bots.values():
        mapping[bot.id] = bot.id
        people[bot.id] = bot
    org.people, org.bots = people, bots
    if unit:
        org.roles, org.owners = [], {}
    return mapping


# --- items and meetings ------------------------------------------------------------------


def _background(rng: random.Random, org: Org, mondays: list[date], density: float) -> list[Item]:
    """`activity.background_items` for some weeks and `density` times the volume."""
    items: list[Item] = []
    authors_cache: dict[tuple[str, date], list[str]] = {}
    for monday in mondays:
        index = weeks().index(monday)
        for container, (mean, _) in activity.VOLUME.items():
            for _ in range(activity._count(rng, mean * density)):
                day = activity._working_day_in_week(rng, monday)
                key = (container, day)
                if key not in authors_cache:
                    authors_cache[key] = activity.possible_authors(org, container, day)
                authors = authors_cache[key]
                if authors:
                    at = working_moment(rng, day)
                    items.append(activity.new_item(rng, org, container, at, rng.choice(authors)))
        if index % 2 == 1:
            for _ in range(activity._count(rng, density)):
                items.append(activity.dependabot_pull(rng, org, index, monday))
    return items


# Real comments are nearly all distinct (88 of the 91 in the PyGithub replay payloads of
# ../shared/corpus; the 3 repeats are test scripts' "Comment created by PyGithub"). The demo's
# pools alone give 71 distinct texts to 10,445 comments at 16x, which the NLP cache (keyed by
# text) would turn into free work across batches. At scale, a person's comment or review
# gets one or two details of its own; bots' comments stay the same, as real bots' do. No
# detail holds a decision cue, a reference or a person's name.
DETAILS = [
    "Reproduit sur {env} à {hh}h{mm}.",
    "{n} utilisateurs touchés depuis {hh}h{mm}.",
    "Mesuré : {ms} ms en p95 sur {env}.",
    "Je regarde ça {when}.",
    "Vu en {env}, build {build}.",
    "Log : `{error}` à {hh}:{mm}:{ss}.",
    "Version {major}.{minor}.{patch} sur {env}.",
    "Estimation : {points} points, à confirmer.",
    "{customer} l'a remonté {when}.",
    "Ça concerne {feature}, {n} écrans.",
    "Autour de {tech}, je pense.",
    "Session du {day}/{month}, {n} requêtes en échec.",
]
_ENVS = ["staging", "la préprod", "la prod", "mon poste", "la recette", "le bac à sable"]
_WHEN = ["demain matin", "cet après-midi", "lundi", "après le stand-up", "d'ici vendredi",
         "ce soir", "jeudi", "en fin de semaine"]  # fmt: skip
_ERRORS = ["TimeoutError", "KeyError: 'plan_id'", "HTTP 502", "IntegrityError", "OOMKilled",
           "ECONNRESET", "HTTP 429", "NullPointerException"]  # fmt: skip


# Real titles are specific too (a version, an environment, a screen): the demo's title pools
# alone repeat a title across hundreds of items at the large size, which makes every
# paraphrase of one item match hundreds (the implicit links) and the terms' weights flat.
TITLE_DETAILS = ["({feature})", "sur {env}", "(v{major}.{minor})", "– {customer}",
                 "({n} écrans)", "– {tech}", "depuis la {major}.{minor}.{patch}"]  # fmt: skip


def own_title(rng: random.Random, title: str) -> str:
    """`title` with one detail of its own, as real titles have."""
    detail = texts.pick(rng, TITLE_DETAILS).format(
        feature=texts.pick(rng, texts.FEATURES),
        env=texts.pick(rng, _ENVS),
        customer=texts.pick(rng, texts.CUSTOMERS),
        tech=texts.pick(rng, texts.TECH_BITS),
        n=rng.randrange(2, 40),
        major=rng.randrange(1, 6),
        minor=rng.randrange(30),
        patch=rng.randrange(20),
    )
    return f"{title} {detail}"


def own_detail(rng: random.Random, body: str) -> str:
    """`body` with one or two details of its own (numbers, times, places), as real comments
    are: different texts with the demo's vocabulary."""
    for _ in range(rng.choice((1, 1, 2))):
        detail = texts.pick(rng, DETAILS).format(
            customer=texts.pick(rng, texts.CUSTOMERS),
            feature=texts.pick(rng, texts.FEATURES),
            tech=texts.pick(rng, texts.TECH_BITS),
            env=texts.pick(rng, _ENVS),
            when=texts.pick(rng, _WHEN),
            error=texts.pick(rng, _ERRORS),
            hh=rng.randrange(7, 20),
            mm=f"{rng.randrange(60):02d}",
            ss=f"{rng.randrange(60):02d}",
            n=rng.randrange(2, 400),
            ms=rng.randrange(120, 4000),
            build=rng.randrange(1000, 99999),
            major=rng.randrange(1, 6),
            minor=rng.randrange(30),
            patch=rng.randrange(20),
            points=rng.choice((1, 2, 3, 5, 8, 13)),
            day=rng.randrange(1, 29),
            month=rng.randrange(1, 13),
        )
        body = f"{body} {detail}" if rng.random() < 0.7 else f"{detail} {body}"
    return body


def _shift_item(item: Item, people: dict[str, str], where: dict[str, str], by: timedelta) -> None:
    """Move a demo-time item into its unit (people, container) and block (time)."""
    item.container = where[item.container]
    item.created += by
    item.author = people[item.author]
    for name in ("assignee", "closed_by", "product_owner"):
        value = getattr(item, name)
        if value:
            setattr(item, name, people[value])
    if item.closed_at:
        item.closed_at += by
    for comment in item.comments:
        comment.author, comment.at = people[comment.author], comment.at + by
    for change in item.changes:
        change.author, change.at = people[change.author], change.at + by
        if change.field in ("assignee", "assigned") and change.to_value:
            change.to_value = people[change.to_value]
    item.cross_refs = [(at + by, people[actor], key) for at, actor, key in item.cross_refs]


def _block(
    rng: random.Random, org: Org, mondays: list[date], density: float
) -> tuple[list[Item], list[Meeting]]:
    """One 25-week block of one unit in demo time (demo ids and containers)."""
    items = _background(rng, org, mondays, density)
    activity.number_items(items)  # provisional numbers: the unit renumbers all its blocks
    bots = {bot.id for bot in org.bots.values()}
    for item in items:
        if item.author not in bots:
            item.title = own_title(rng, item.title)
    for item in sorted(items, key=lambda i: (i.created, i.item_id)):
        activity.add_discussion(rng, org, item)
        for comment in item.comments:
            if comment.author not in bots:
                comment.body = own_detail(rng, comment.body)
    for item in sorted(items, key=lambda i: (i.created, i.item_id)):
        activity.add_lifecycle(rng, org, item)
    first = mondays[0] if mondays else END
    calendar = [m for m in build_calendar(rng, org) if m.day >= first]
    return items, calendar


def _fill_minutes(
    rng: random.Random, org: Org, calendar: list[Meeting], items: list[Item], where: dict
) -> None:
    """Agenda, discussion (recent items of the team's containers), decisions and actions."""
    base = {mine: demo for demo, mine in where.items()}
    recent: dict[str, list[Item]] = {}
    for item in sorted(items, key=lambda i: i.created):
        recent.setdefault(base[item.container], []).append(item)
    created = {name: [i.created for i in group] for name, group in recent.items()}
    for meeting in calendar:
        start = story.meeting_start(meeting)
        wanted = story.TEAM_CONTAINERS.get(meeting.team or "", ("SUP", "PLAT"))
        pool: list[Item] = []
        for name in wanted:
            lo = _bisect(created.get(name, []), start - timedelta(days=14))
            hi = _bisect(created.get(name, []), start)
            pool += recent.get(name, [])[lo:hi]
        en = meeting.language == "en"
        names = [org.people[p].names[-1] for p in meeting.attendees]
        owner = rng.choice(names) if names else "Claire M."
        meeting.sections["agenda"] = (
            ["Last week", "Blockers", "Next steps"]
            if en
            else ["Tour de table", "Points bloquants", "Suite"]
        )
        cited = rng.sample(pool, k=min(2, len(pool)))
        for item in cited:
            meeting.add(
                "discussion",
                f"{item.key}: {item.title}, in progress."
                if en
                else f"{item.key} : {item.title}, en cours.",
            )
        # leadership minutes also discuss an item without its key, as real minutes do: what
        # the implicit links (nlp/links.py) exist to find, so the bench's linker links
        others = [item for item in pool if all(item is not c for c in cited)]  # not ==: deep
        if meeting.type != "team" and others:
            subject = rng.choice(others).title
            subject = subject[:1].lower() + subject[1:]
            meeting.add(
                "discussion",
                f"Update on {subject}." if en else f"Retour sur {subject}.",
            )
        meeting.add("discussion", texts.fill(rng, rng.choice(story.COMEX_DISCUSSION)))
        meeting.add("decisions", texts.fill(rng, rng.choice(story.OTHER_COMEX_DECISIONS)))
        meeting.add("decisions", texts.fill(rng, rng.choice(story.COMEX_NON_DECISIONS)))
        meeting.add("actions", f"{owner}: update the runbook" if en else f"{owner} : relancer")


def _bisect(values: list[datetime], moment: datetime) -> int:
    import bisect

    return bisect.bisect_left(values, moment)


# --- writing -----------------------------------------------------------------------------


class _Counts(dict):
    def add(self, name: str, n: int = 1) -> None:
        self[name] = self.get(name, 0) + n


def _write_unit(
    root: Path,
    org: Org,
    unit: int,
    items: list[Item],
    calendar: list[Meeting],
    rng: random.Random,
    counts: _Counts,
) -> None:
    where = containers(unit)
    repos = tuple(where[r] for r in activity.REPOS)
    for rel, value in github_files(org, items, repos).items():
        generator._write(root / "replay" / "github" / rel, generator._dump_json(value))
    projects = {
        where[key]: (str(int(pid) + 10 * unit), f"{name} {unit_tag(unit)}".strip())
        for key, (pid, name) in PROJECTS.items()
    }
    renderer = JiraRenderer(org, items, projects=projects)
    # ids unique across units whatever process renders them: a range per unit
    renderer.issue_ids = {
        item.key: str(10000 + unit * 1_000_000 + n) for n, item in enumerate(renderer.items)
    }
    renderer.next_comment = renderer.next_history = 10000 + unit * 10_000_000
    for item in renderer.items:
        generator._write(
            root / "replay" / "jira" / "issues" / f"{item.key}.json",
            generator._dump_json(renderer.issue(item)),
        )
    suffix = f"-{unit_tag(unit).lower()}" if unit else ""
    for meeting in calendar:
        generator._write(root / "notes" / f"{meeting.stem}{suffix}.md", render(rng, org, meeting))
    for item in items:
        kind = "jira_issues" if item.source == "jira" else f"github_{item.kind}s"
        counts.add(kind)
        counts.add("comments", len(item.comments))
        counts.add("changes", len(item.changes))
    counts.add("minutes", len(calendar))


def _unit(
    root: Path,
    unit: int,
    org: Org,
    gen_org: Org,
    people: dict[str, str],
    spec: Size,
    first: date,
    seed: int,
) -> dict[str, int]:
    """Generate, render and write one unit; its counts. `gen_org` has the demo's ids (the
    activity code names some people), `people` maps them to the unit's, `org` renders."""
    blocks = math.ceil(spec.weeks / BLOCK_WEEKS)
    where = containers(unit)
    items: list[Item] = []
    calendar: list[Meeting] = []
    for block in range(blocks):
        shift = timedelta(weeks=-(blocks - 1 - block) * BLOCK_WEEKS)
        mondays = [m for m in weeks() if m + shift >= first]
        rng = random.Random(f"{seed}:unit:{unit}:block:{block}")
        block_items, block_calendar = _block(rng, gen_org, mondays, spec.density)
        for item in block_items:
            _shift_item(item, people, where, shift)
        for meeting in block_calendar:
            if unit and meeting.type not in UNIT_MEETINGS:
                continue
            meeting.day += shift
            meeting.attendees = [people[p] for p in meeting.attendees]
            meeting.absent = [people[p] for p in meeting.absent]
            calendar.append(meeting)
        items += block_items
    activity.number_items(items)
    rng = random.Random(f"{seed}:unit:{unit}:refs")
    activity.add_references(rng, items)
    _fill_minutes(rng, org, calendar, items, where)
    counts = _Counts()
    _write_unit(root, org, unit, items, calendar, rng, counts)
    return dict(counts)


def generate_scaled(
    root: Path, size: str | Size, seed: int = 7, workers: int | None = None
) -> dict:
    """Write the workspace of `size` (a name of SIZES or a Size) at `root`; returns its
    manifest, also written to `scale.json` except for `small`, which is the demo exactly.
    Units are generated by `workers` processes (default: one per core); same files."""
    if isinstance(size, str) and size not in SIZES:
        raise ValueError(f"unknown size {size!r}: one of {', '.join(SIZES)}")
    root = Path(root)
    spec = SIZES[size] if isinstance(size, str) else size
    started = time.monotonic()
    if spec is None:
        truth = generator.generate(root, seed=seed)
        (root / "scale.json").unlink(missing_ok=True)  # a scaled run's, now stale
        manifest = {"size": size, "seed": seed, "units": 1, "people": 69, "weeks": 25}
        manifest.update(factor=1.0, period=truth["period"])
        return _measured(root, manifest, started)
    refuse_unless_demo_or_empty(root, "generate a scaled demo in")
    generator._clean(root)
    (root / "scale.json").unlink(missing_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    first, last = period(spec)
    (root / "replay" / "jira").mkdir(parents=True, exist_ok=True)
    generator._write(
        root / "replay" / "jira" / "serverInfo.json", generator._dump_json(server_info())
    )
    generator._write(root / "replay" / "jira" / "field.json", generator._dump_json(fields_list()))
    directory: list[dict] = []
    roles: list[dict] = []
    owners: dict[str, str] = {}
    bots: dict[str, Person] = {}
    taken: set[str] = set()  # every name alias given so far
    jobs = []
    for unit in range(spec.units):  # the people first, in order: names stay unique
        org = build_org(random.Random(f"{seed}:org:{unit}"))
        bots = bots or org.bots
        gen_org = Org(dict(org.people), org.roles, org.owners, dict(org.bots))  # demo ids
        people = _unit_people(org, unit, first, bots, taken)
        document = directory_document(org)
        directory += [p for p in document["people"] if not (p["bot"] and unit)]
        roles += document["roles"]
        owners = owners or document["owners"]
        # the GitHub renderer names Lumio's Platform manager as every milestone's creator
        lumio = {"nicolas.bernard": jobs[0][2].people["nicolas.bernard"]} if jobs else {}
        shown = Org({**lumio, **org.people}, org.roles, org.owners, org.bots)
        jobs.append((root, unit, shown, gen_org, people, spec, first, seed))
    counts = _Counts()
    workers = max(1, min(workers or os.cpu_count() or 1, spec.units))
    if workers == 1:
        done = [_unit(*job) for job in jobs]
    else:  # units are independent: one process per core, each writing its own files
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = list(pool.map(_unit, *zip(*jobs, strict=True)))
    for unit_counts in done:
        for name, n in unit_counts.items():
            counts.add(name, n)
    generator._write(
        root / "directory.yml",
        generator.yaml.dump(
            {"people": directory, "roles": roles, "owners": owners},
            Dumper=generator._PlainDumper,
            sort_keys=False,
            allow_unicode=True,
            width=100,
        ),
    )
    all_repos = [r for u in range(spec.units) for r in containers(u).values() if "/" in r]
    all_projects = [p for u in range(spec.units) for p in containers(u).values() if "/" not in p]
    generator._write(
        root / "silo.yml",
        SILO_YML.format(
            size=size,
            timezone=TIMEZONE,
            start=first.isoformat(),
            repos=", ".join(all_repos),
            projects=", ".join(all_projects),
            jira_bot=bots["jira_automation"].jira_account,
        ),
    )
    manifest = {
        "size": size if isinstance(size, str) else str(spec),
        "seed": seed,
        "units": spec.units,
        "people": sum(1 for p in directory if not p["bot"]),
        "weeks": spec.weeks,
        "density": spec.density,
        "factor": spec.factor,
        "period": {"start": first.isoformat(), "end": last.isoformat()},
        "counts": dict(sorted(counts.items())),
    }
    _measured(root, manifest, started)
    stable = {k: v for k, v in manifest.items() if k != "generate_seconds"}  # same seed, same file
    (root / "scale.json").write_text(json.dumps(stable, indent=2) + "\n", encoding="utf-8")
    return manifest


def _measured(root: Path, manifest: dict, started: float) -> dict:
    manifest["generate_seconds"] = round(time.monotonic() - started, 1)
    total = 0
    for name in generator.GENERATED:
        path = root / name
        files = path.rglob("*") if path.is_dir() else [path]
        total += sum(f.stat().st_size for f in files if f.is_file())
    manifest["input_bytes"] = total
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.demo.scale", description=__doc__)
    parser.add_argument("root", type=Path, help="workspace folder to (re)write")
    parser.add_argument("--size", default="4x", choices=list(SIZES))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    manifest = generate_scaled(args.root, args.size, seed=args.seed)
    print(json.dumps(manifest, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
