"""A deterministic, realistic-shaped GitHub repository for tests and request-count measures.

Every item's `updated_at` is its latest activity (as on GitHub), so ingesting consecutive
windows must land every record exactly once per window it belongs to, and their union must be
everything generated (`all_keys`). Traps are planted on purpose: old plain issues with a
`pull_request` object whose URLs are null, deleted users (null), bots (`[bot]`, type Bot and a
name listed in silo.yml `bots`), timeline cross-references without `id`.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from github_fake_server import RepoData

HUMANS = ["alice", "bob", "chloe", "david", "emma", "ci-runner"]
NULL_PR = {"url": None, "html_url": None, "diff_url": None, "patch_url": None}


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _user(rng: random.Random, n: int) -> dict | None:
    if n % 11 == 0:
        return None  # deleted account
    if n % 5 == 0:
        return {"login": "dependabot[bot]", "id": 49699333, "type": "Bot"}
    login = rng.choice(HUMANS)
    return {"login": login, "id": HUMANS.index(login) + 1, "type": "User"}


def make_repo(
    name: str = "acme/web",
    start: datetime = datetime(2026, 3, 1, tzinfo=UTC),
    days: int = 3,
    items_per_day: int = 20,
    seed: int = 7,
) -> RepoData:
    """Items created over `days` from `start`, each with comments, events and, for PRs,
    reviews and review comments; all activity stays before `start + days`."""
    rng = random.Random(seed)
    end = start + timedelta(days=days)
    api = f"https://api.github.com/repos/{name}"
    web = f"https://github.com/{name}"
    data = RepoData()
    ids = iter(range(1_000_000, 10_000_000))

    def moment_after(base: datetime) -> datetime:
        return min(base + timedelta(minutes=rng.randint(1, 600)), end - timedelta(seconds=1))

    for n in range(1, days * items_per_day + 1):
        created = start + timedelta(seconds=rng.randint(0, days * 86400 - 7200))
        is_pr = n % 2 == 0
        activity = [created]
        author = _user(rng, n)
        comments = rng.randint(0, 3)
        for _ in range(comments):
            at = moment_after(created)
            activity.append(at)
            cid = next(ids)
            data.issue_comments.append(
                {
                    "id": cid,
                    "user": _user(rng, cid),
                    "body": f"comment {cid} on #{n}",
                    "html_url": f"{web}/issues/{n}#issuecomment-{cid}",
                    "issue_url": f"{api}/issues/{n}",
                    "created_at": iso(at),
                    "updated_at": iso(at),
                }
            )
        events = []
        label_at = moment_after(created)
        events.append(
            {
                "event": "labeled",
                "created_at": iso(label_at),
                "label": {"name": rng.choice(["bug", "client", "tech-debt"])},
            }
        )
        closed_at = merged_at = None
        if n % 3 != 1:
            closed_at = moment_after(label_at)
            if is_pr and n % 4 == 0:
                merged_at = closed_at
                events.append({"event": "merged", "created_at": iso(closed_at)})
            events.append(
                {
                    "event": "closed",
                    "created_at": iso(closed_at),
                    "state_reason": None if is_pr else rng.choice(["completed", "not_planned"]),
                }
            )
        timeline = []
        for event in events:
            eid = next(ids)
            activity.append(datetime.fromisoformat(event["created_at"].replace("Z", "+00:00")))
            payload = {
                "id": eid,
                "actor": {"login": "alice", "id": 1, "type": "User"},
                "commit_id": None,
                **event,
            }
            data.events.append({**payload, "issue": {"number": n, "url": f"{api}/issues/{n}"}})
            timeline.append(payload)
        timeline.append(
            {
                "event": "commented",
                "id": next(ids),
                "body": "seen as a comment",
                "created_at": events[0]["created_at"],
            }
        )
        if n % 3 == 0:  # mentioned from another repository: a timeline item with no id
            at = moment_after(created)
            activity.append(at)
            timeline.append(
                {
                    "event": "cross-referenced",
                    "created_at": iso(at),
                    "updated_at": iso(at),
                    "actor": {"login": "bob", "id": 2, "type": "User"},
                    "source": {
                        "type": "issue",
                        "issue": {
                            "number": 900 + n,
                            "url": f"https://api.github.com/repos/acme/api/issues/{900 + n}",
                            "repository": {"full_name": "acme/api"},
                        },
                    },
                }
            )
        reviews = []
        if is_pr:
            for _ in range(rng.randint(0, 2)):
                at = moment_after(created)
                activity.append(at)
                rid = next(ids)
                reviews.append(
                    {
                        "id": rid,
                        "user": _user(rng, rid),
                        "body": "looks fine",
                        "state": rng.choice(["APPROVED", "COMMENTED", "CHANGES_REQUESTED"]),
                        "html_url": f"{web}/pull/{n}#pullrequestreview-{rid}",
                        "pull_request_url": f"{api}/pulls/{n}",
                        "submitted_at": iso(at),
                    }
                )
            reviews.append(
                {
                    "id": next(ids),
                    "user": {"login": "alice"},
                    "state": "PENDING",
                    "pull_request_url": f"{api}/pulls/{n}",
                }
            )  # never submitted
            for _ in range(rng.randint(0, 2)):
                at = moment_after(created)
                activity.append(at)
                cid = next(ids)
                data.review_comments.append(
                    {
                        "id": cid,
                        "user": _user(rng, cid),
                        "body": "nit",
                        "pull_request_url": f"{api}/pulls/{n}",
                        "html_url": f"{web}/pull/{n}#discussion_r{cid}",
                        "created_at": iso(at),
                        "updated_at": iso(at),
                    }
                )
            data.reviews[n] = reviews
        data.timelines[n] = timeline
        updated = max(activity)
        issue = {
            "id": 500_000 + n,
            "number": n,
            "title": f"Item {n}",
            "body": f"Body of {n}",
            "user": author,
            "state": "closed" if closed_at else "open",
            "state_reason": None if (is_pr or not closed_at) else "completed",
            "assignees": [{"login": "bob", "id": 2, "type": "User"}] if n % 4 == 1 else [],
            "labels": [{"name": "bug"}],
            "milestone": {"title": "v1"} if n % 6 == 0 else None,
            "html_url": f"{web}/{'pull' if is_pr else 'issues'}/{n}",
            "url": f"{api}/issues/{n}",
            "created_at": iso(created),
            "updated_at": iso(updated),
            "closed_at": iso(closed_at) if closed_at else None,
        }
        if is_pr:
            issue["pull_request"] = {
                "url": f"{api}/pulls/{n}",
                "html_url": f"{web}/pull/{n}",
                "diff_url": f"{web}/pull/{n}.diff",
                "patch_url": f"{web}/pull/{n}.patch",
            }
            data.pulls.append(
                {
                    "id": 700_000 + n,
                    "number": n,
                    "state": issue["state"],
                    "draft": n % 10 == 2,
                    "created_at": iso(created),
                    "updated_at": iso(updated),
                    "merged_at": iso(merged_at) if merged_at else None,
                    "fake_merged_by": {"login": "alice", "id": 1, "type": "User"}
                    if merged_at
                    else None,
                }
            )
        elif n % 7 == 3:
            issue["pull_request"] = dict(NULL_PR)  # old plain issue: not a PR
        data.issues.append(issue)
    return data


def all_keys(name: str, data: RepoData) -> dict[str, set[str]]:
    """Every record key the repository should produce, per entity, from the contract's ids."""
    item = f"github:{name}#"
    comments = {
        f"{item}{c['issue_url'].rsplit('/', 1)[1]}/issue_comment/{c['id']}"
        for c in data.issue_comments
    }
    comments |= {
        f"{item}{c['pull_request_url'].rsplit('/', 1)[1]}/review_comment/{c['id']}"
        for c in data.review_comments
    }
    comments |= {
        f"{item}{n}/review/{r['id']}"
        for n, rs in data.reviews.items()
        for r in rs
        if r.get("submitted_at")
    }
    events = {f"{item}{e['issue']['number']}/event/{e['id']}" for e in data.events}
    cross = {
        n for n, items in data.timelines.items() for i in items if i["event"] == "cross-referenced"
    }
    return {
        "issues": {f"{item}{i['number']}" for i in data.issues},
        "comments": comments,
        "events": events,
        "cross_referenced_items": {f"{item}{n}" for n in cross},
    }
