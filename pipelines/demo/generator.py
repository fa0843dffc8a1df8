"""Generate the deterministic demo workspace: `generate(root, seed=7) -> truth`.

Writes at `root`:
  silo.yml, directory.yml, truth.json,
  replay/github/lumio/<repo>/...   (GitHub REST payloads, see pipelines/sources/README.md)
  replay/jira/...                   (Jira Cloud REST payloads)
  notes/YYYY-MM-DD-<type>[-<team>].md

Same seed => byte-identical files: one `random.Random(seed)`, fixed dates, sorted keys.
The truth is recomputed from the written files (`verify.py`) and checked against the plan
before `truth.json` is written; a mismatch raises `AssertionError` naming the item.

Command line: `python -m pipelines.demo.generator ROOT [--seed N]`.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

import yaml

from pipelines.demo import activity, implicit_links, marts_plants, story, verify
from pipelines.demo.clock import END, START, TIMEZONE, iso_z, paris_day
from pipelines.demo.github_payloads import github_files
from pipelines.demo.jira_payloads import jira_files
from pipelines.demo.minutes import build_calendar, render
from pipelines.demo.org import build_org, directory_document
from pipelines.workspaces import refuse_unless_demo_or_empty

SILO_YML = """\
# Demo workspace written by pipelines/demo/generator.py: every source replays local files.
workspace: demo
timezone: {timezone}
start_date: {start}
languages: [fr, en]
sources:
  github:
    mode: replay
    replay_dir: replay/github
    repos: [lumio/platform, lumio/web-app, lumio/mobile]
    bots: ["dependabot[bot]", "lumio-ci[bot]"]
  jira:
    mode: replay
    replay_dir: replay/jira
    url: https://lumio.atlassian.net
    deployment: cloud
    jql: project in (PLAT, SUP, SALES)
    fields:
      team: Team
      story_points: Story Points
      sprint: Sprint
      owners: [Product Owner]
    bots: ["{jira_bot}"]
  notes:
    folder: notes
  directory:
    file: directory.yml
alerts:
  sinks:
    - {{type: file, path: alerts.log}}
"""
GENERATED = ("replay", "notes", "silo.yml", "directory.yml", "truth.json")


class _PlainDumper(yaml.SafeDumper):
    """A YAML dumper that never writes anchors (`&id001`) for values used twice."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _dump_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _clean(root: Path) -> None:
    """Remove what a previous run generated (only the generator's own paths)."""
    for name in GENERATED:
        target = root / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


def generate(root: Path, seed: int = 7) -> dict:
    """Write the demo workspace at `root` and return its ground truth (also `truth.json`)."""
    root = Path(root)
    # only an empty folder or a previous demo: never a client's workspace
    refuse_unless_demo_or_empty(root, "generate the demo in")
    rng = random.Random(seed)
    org = build_org(rng)
    calendar = build_calendar(rng, org)
    items = activity.background_items(rng, org)
    plan = story.plan_latencies(rng, org, calendar)
    items += [entry.item for entry in plan.latencies]
    implicit, implicit_rng = implicit_links.plant_items(org, seed)  # own random stream
    activity.number_items(items + list(implicit.items.values()))
    activity.add_references(rng, items)
    comex_moment = {
        id(e.item): e.comex_comment_at
        or (story.meeting_start(e.comex_meeting) if e.comex_meeting else None)
        for e in plan.latencies
    }
    for item in sorted(items, key=lambda i: (i.created, i.item_id)):
        activity.add_discussion(rng, org, item)
    story.add_planted_comments(rng, plan)
    for item in sorted(items, key=lambda i: (i.created, i.item_id)):
        activity.add_lifecycle(rng, org, item, not_before=comex_moment.get(id(item)))
    story.write_planted_mentions(rng, org, calendar, plan)
    story.plant_decisions(rng, org, calendar, plan)
    story.write_minutes_content(rng, org, calendar, items)
    implicit_links.write_plants(implicit_rng, org, calendar, implicit)
    items += implicit.items.values()
    marts = marts_plants.plant(seed, org, calendar, items, plan)

    _clean(root)
    root.mkdir(parents=True, exist_ok=True)
    _write(
        root / "silo.yml",
        SILO_YML.format(
            timezone=TIMEZONE,
            start=START.isoformat(),
            jira_bot=org.bots["jira_automation"].jira_account,
        ),
    )
    _write(
        root / "directory.yml",
        yaml.dump(
            directory_document(org),
            Dumper=_PlainDumper,
            sort_keys=False,
            allow_unicode=True,
            width=100,
        ),
    )
    for rel, value in github_files(org, items, activity.REPOS).items():
        _write(root / "replay" / "github" / rel, _dump_json(value))
    for rel, value in jira_files(org, items).items():
        _write(root / "replay" / "jira" / rel, _dump_json(value))
    for meeting in calendar:
        _write(root / "notes" / f"{meeting.stem}.md", render(rng, org, meeting))

    truth = build_truth(root, seed, plan)
    truth.update(marts_plants.checked_truth(root, marts))
    truth["implicit_links"] = implicit_links.truth(verify.read_workspace(root), implicit)
    _write(root / "truth.json", json.dumps(truth, ensure_ascii=False, indent=2) + "\n")
    return truth


def build_truth(root: Path, seed: int, plan: story.Plan) -> dict:
    """Recompute every planted fact from the files and check it against the plan."""
    ws = verify.read_workspace(root)
    latencies = []
    for entry in plan.latencies:
        row = verify.latency(ws, entry.item.item_id)
        _check_latency(ws, entry, row)
        latencies.append(row)
    _check_latency_mix(latencies)
    decisions = _checked_decisions(ws, plan)
    tech = _checked_tech_decisions(ws, plan)
    weeks = verify.cross_side_weeks(ws)
    before, after = verify.silo_shares(weeks)
    assert before > 0.25 and after < before / 2, f"silo not visible: {before:.2f} -> {after:.2f}"
    return {
        "seed": seed,
        "period": {"start": START.isoformat(), "end": END.isoformat()},
        "timezone": TIMEZONE,
        "latencies": latencies,
        "real_decider": {
            "domain": "roadmap",
            "official_role": "cpo",
            "official_person_id": "julien.moreau",
            "real_person_id": "marie.dubois",
            "decisions": decisions,
        },
        "tech_decisions_without_tech": tech,
        "cross_side": {"silo_from_week": "2026-05-18", "weeks": weeks},
    }


def _check_latency(ws: verify.Workspace, entry: story.LatencyPlan, row: dict) -> None:
    item_id = entry.item.item_id
    where = f"planted item {item_id}"
    author = ws.items[item_id]["author"]
    assert ws.people[author]["level"] == "field", f"{where}: author {author} is not field-level"
    assert row["critical"] == entry.critical, f"{where}: criticality {row['critical']}"
    assert row["reaches_comex"] == entry.reaches_comex, f"{where}: reaches_comex differs"
    planned_comex = entry.comex_comment_at or (
        story.meeting_start(entry.comex_meeting) if entry.comex_meeting else None
    )
    assert row["comex_at"] == iso_z(planned_comex), f"{where}: comex_at {row['comex_at']}"
    if entry.reaches_comex:
        assert row["reference_form"] == entry.form, f"{where}: form {row['reference_form']}"
    planned_management = entry.management_comment_at or (
        story.meeting_start(entry.management_meeting) if entry.management_meeting else None
    )
    assert row["management_at"] == iso_z(planned_management), (
        f"{where}: management_at {row['management_at']} != {iso_z(planned_management)}"
    )
    if row["comex_at"] and row["management_at"]:
        assert row["management_at"] < row["comex_at"], f"{where}: management after COMEX"
    assert paris_day(entry.item.created) >= START, f"{where}: created before the period"


def _check_latency_mix(rows: list[dict]) -> None:
    reaching = [r for r in rows if r["reaches_comex"]]
    assert len(reaching) >= 12, "fewer than 12 planted items reach the COMEX"
    hours = sorted(r["field_to_comex_hours"] for r in reaching)
    assert hours[0] <= 48 and hours[-1] >= 24 * 35, f"latencies not spread: {hours}"
    assert {r["reference_form"] for r in reaching} >= {
        "jira_key",
        "jira_url",
        "github_full",
        "github_url",
        "comment",
    }
    never = [r for r in rows if not r["reaches_comex"] and r["critical"]]
    assert len(never) >= 6, "fewer than 6 critical items that never reach the COMEX"
    assert any(r["management_at"] for r in reaching), "no planted item passes by management"


def _checked_decisions(ws: verify.Workspace, plan: story.Plan) -> list[dict]:
    for decision in plan.decisions:
        minutes = verify.meeting(ws, decision["meeting_id"])
        assert decision["text"] in minutes.decisions, f"{decision['meeting_id']}: decision lost"
        assert minutes.type == "comex"
        present = verify.resolve(ws, minutes.attendees)
        assert decision["actor_person_id"] in present, (
            f"{decision['meeting_id']}: decider {decision['actor_person_id']} not present"
        )
    by_marie = sum(d["actor_person_id"] == "marie.dubois" for d in plan.decisions)
    assert by_marie >= 10 and by_marie / len(plan.decisions) >= 0.7
    return sorted(plan.decisions, key=lambda d: (d["meeting_id"], d["text"]))


def _checked_tech_decisions(ws: verify.Workspace, plan: story.Plan) -> list[dict]:
    for decision in plan.tech_without_tech:
        minutes = verify.meeting(ws, decision["meeting_id"])
        assert decision["text"] in minutes.decisions, f"{decision['meeting_id']}: decision lost"
        present = verify.resolve(ws, minutes.attendees)
        assert len(present) == len(minutes.attendees), f"{minutes.meeting_id}: unresolved names"
        assert not any(ws.people[p]["side"] == "tech" for p in present), (
            f"{minutes.meeting_id}: a tech person attends"
        )
        assert "antoine.girard" in verify.resolve(ws, minutes.absent)
    assert len({d["meeting_id"] for d in plan.tech_without_tech}) >= 4
    return sorted(plan.tech_without_tech, key=lambda d: d["meeting_id"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.demo.generator",
        description="Write the deterministic demo workspace.",
    )
    parser.add_argument("root", type=Path, help="workspace folder to (re)write")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)
    from pipelines.workspaces import WorkspaceRefused

    try:
        truth = generate(args.root, seed=args.seed)
    except WorkspaceRefused as exc:
        print(f"generator: {exc}", file=sys.stderr)
        return 2
    reaching = sum(r["reaches_comex"] for r in truth["latencies"])
    print(
        f"demo workspace written to {args.root} (seed {args.seed}): "
        f"{len(truth['latencies'])} planted latencies ({reaching} reach the COMEX), "
        f"{len(truth['real_decider']['decisions'])} roadmap decisions, "
        f"{len(truth['tech_decisions_without_tech'])} tech decisions without tech"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
