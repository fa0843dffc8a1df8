"""Render GitHub items as the REST API returns them, in the replay layout of the contract.

`github_files(org, items)` returns `{relative path: JSON value}` under the replay folder:
`<owner>/<repo>/issues.json`, `pulls.json`, `issue_comments.json`, `review_comments.json`,
`events.json`, `reviews/<n>.json` and `timeline/<n>.json`. Shapes follow the recorded
payloads in the shared corpus (`github/pygithub_replay_responses.json`): user objects with
`login`, `id`, `node_id`, `type`; labels with `id`, `node_id`, `color`; legacy base64
`node_id`s; `Z` timestamps; `updated_at` at or after the item's latest activity.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote

from pipelines.demo.clock import github_ts
from pipelines.demo.model import Comment, Item
from pipelines.demo.org import ORG_LOGIN, Org, Person

API = "https://api.github.com"
WEB = "https://github.com"
LABEL_COLORS = {
    "bug": "d73a4a",
    "enhancement": "a2eeef",
    "incident": "b60205",
    "critical": "e11d21",
    "dependencies": "0366d6",
}
LANGUAGES = {"lumio/platform": "Python", "lumio/web-app": "TypeScript", "lumio/mobile": "Kotlin"}
REACTIONS = {
    "total_count": 0,
    "+1": 0,
    "-1": 0,
    "laugh": 0,
    "hooray": 0,
    "confused": 0,
    "heart": 0,
    "rocket": 0,
    "eyes": 0,
}


def node_id(type_name: str, number: int) -> str:
    """The legacy global id GitHub still returns: base64 of `<len>:<Type><id>`."""
    return base64.b64encode(f"{len(type_name):02d}:{type_name}{number}".encode()).decode()


def stable_int(*parts: object, low: int = 1_000_000, span: int = 900_000_000) -> int:
    """A stable pseudo-random id derived from `parts` (no global counter to keep in sync)."""
    digest = hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()
    return low + int(digest[:12], 16) % span


def sha(*parts: object) -> str:
    return hashlib.sha1("/".join(str(p) for p in parts).encode()).hexdigest()


def user(p: Person) -> dict:
    login = p.github
    url = f"{API}/users/{quote(login)}"
    return {
        "login": login,
        "id": p.github_id,
        "node_id": node_id("Bot" if p.bot else "User", p.github_id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{p.github_id}?v=4",
        "gravatar_id": "",
        "url": url,
        "html_url": f"{WEB}/apps/{login.removesuffix('[bot]')}" if p.bot else f"{WEB}/{login}",
        "followers_url": f"{url}/followers",
        "following_url": f"{url}/following{{/other_user}}",
        "gists_url": f"{url}/gists{{/gist_id}}",
        "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{url}/subscriptions",
        "organizations_url": f"{url}/orgs",
        "repos_url": f"{url}/repos",
        "events_url": f"{url}/events{{/privacy}}",
        "received_events_url": f"{url}/received_events",
        "type": "Bot" if p.bot else "User",
        "user_view_type": "public",
        "site_admin": False,
    }


def _org_user() -> dict:
    org_id = 151_000_007
    url = f"{API}/users/{ORG_LOGIN}"
    return {
        "login": ORG_LOGIN,
        "id": org_id,
        "node_id": node_id("Organization", org_id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{org_id}?v=4",
        "gravatar_id": "",
        "url": url,
        "html_url": f"{WEB}/{ORG_LOGIN}",
        "type": "Organization",
        "user_view_type": "public",
        "site_admin": False,
    }


def repository(repo: str) -> dict:
    rid = stable_int("repo", repo)
    name = repo.split("/")[1]
    url = f"{API}/repos/{repo}"
    return {
        "id": rid,
        "node_id": node_id("Repository", rid),
        "name": name,
        "full_name": repo,
        "private": True,
        "owner": _org_user(),
        "html_url": f"{WEB}/{repo}",
        "description": f"Lumio {name}",
        "fork": False,
        "url": url,
        "issues_url": f"{url}/issues{{/number}}",
        "pulls_url": f"{url}/pulls{{/number}}",
        "created_at": "2021-03-01T09:00:00Z",
        "updated_at": "2026-06-26T16:00:00Z",
        "pushed_at": "2026-06-26T16:00:00Z",
        "git_url": f"git://github.com/{repo}.git",
        "ssh_url": f"git@github.com:{repo}.git",
        "clone_url": f"{WEB}/{repo}.git",
        "default_branch": "main",
        "visibility": "private",
        "language": next(
            language
            for base, language in LANGUAGES.items()
            if repo == base or repo.startswith(f"{base}-")  # scale units: lumio/mobile-b
        ),
        "has_issues": True,
        "archived": False,
        "disabled": False,
    }


class GitHubRenderer:
    """Builds every payload of one organisation's repositories."""

    def __init__(self, org: Org, items: list[Item]):
        self.org = org
        self.items = {i.key: i for i in items if i.source == "github"}
        self.labels: dict[tuple[str, str], dict] = {}
        self.milestones: dict[tuple[str, str], int] = {}
        self.issue_cache: dict[str, dict] = {}

    def _user(self, pid: str | None) -> dict | None:
        return user(self.org.people[pid]) if pid else None

    def _association(self, pid: str) -> str:
        person = self.org.people[pid]
        return "NONE" if person.bot else "MEMBER"

    def label(self, repo: str, name: str) -> dict:
        lid = stable_int("label", repo, name)
        return {
            "id": lid,
            "node_id": node_id("Label", lid),
            "url": f"{API}/repos/{repo}/labels/{quote(name)}",
            "name": name,
            "color": LABEL_COLORS.get(name, "ededed"),
            "default": name in ("bug", "enhancement"),
            "description": None,
        }

    def milestone(self, repo: str, title: str) -> dict:
        number = (
            sorted(
                {i.milestone for i in self.items.values() if i.container == repo and i.milestone}
            ).index(title)
            + 1
        )
        mid = stable_int("milestone", repo, title)
        members = [i for i in self.items.values() if i.container == repo and i.milestone == title]
        url = f"{API}/repos/{repo}/milestones/{number}"
        return {
            "url": url,
            "html_url": f"{WEB}/{repo}/milestone/{number}",
            "labels_url": f"{url}/labels",
            "id": mid,
            "node_id": node_id("Milestone", mid),
            "number": number,
            "title": title,
            "description": "",
            "creator": self._user("nicolas.bernard"),
            "open_issues": sum(1 for i in members if not i.closed_at),
            "closed_issues": sum(1 for i in members if i.closed_at),
            "state": "open",
            "created_at": "2025-12-15T09:00:00Z",
            "updated_at": "2026-06-26T16:00:00Z",
            "due_on": None,
            "closed_at": None,
        }

    def issue(self, item: Item) -> dict:
        """The issue object (pull requests included) as `GET /repos/o/r/issues` lists it."""
        if item.key in self.issue_cache:
            return self.issue_cache[item.key]
        repo, n = item.container, item.number
        url = f"{API}/repos/{repo}/issues/{n}"
        iid = stable_int("issue", item.key)
        path = "pull" if item.kind == "pull" else "issues"
        comments = [c for c in item.comments if c.kind == "comment"]
        out = {
            "url": url,
            "repository_url": f"{API}/repos/{repo}",
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": f"{WEB}/{repo}/{path}/{n}",
            "id": iid,
            "node_id": node_id("PullRequest" if item.kind == "pull" else "Issue", iid),
            "number": n,
            "title": item.title,
            "user": self._user(item.author),
            "labels": [self.label(repo, name) for name in item.labels],
            "state": "closed" if item.closed_at else "open",
            "locked": False,
            "assignee": self._user(item.assignee),
            "assignees": [self._user(item.assignee)] if item.assignee else [],
            "milestone": self.milestone(repo, item.milestone) if item.milestone else None,
            "comments": len(comments),
            "created_at": github_ts(item.created),
            "updated_at": github_ts(item.last_activity()),
            "closed_at": github_ts(item.closed_at) if item.closed_at else None,
            "author_association": self._association(item.author),
            "sub_issues_summary": {"total": 0, "completed": 0, "percent_completed": 0},
            "active_lock_reason": None,
            "body": item.body,
            "reactions": {"url": f"{url}/reactions", **REACTIONS},
            "timeline_url": f"{url}/timeline",
            "performed_via_github_app": None,
            "state_reason": item.close_reason if item.kind == "issue" else None,
        }
        if item.kind == "pull":
            out["draft"] = False
            out["pull_request"] = {
                "url": f"{API}/repos/{repo}/pulls/{n}",
                "html_url": f"{WEB}/{repo}/pull/{n}",
                "diff_url": f"{WEB}/{repo}/pull/{n}.diff",
                "patch_url": f"{WEB}/{repo}/pull/{n}.patch",
                "merged_at": github_ts(item.closed_at) if item.merged else None,
            }
        self.issue_cache[item.key] = out
        return out

    def pull(self, item: Item) -> dict:
        """The pull request object as `GET /repos/o/r/pulls?state=all` lists it."""
        repo, n = item.container, item.number
        url = f"{API}/repos/{repo}/pulls/{n}"
        pid = stable_int("pull", item.key)
        head_sha = sha("head", item.key)
        branch = f"{'dependabot/' if self.org.people[item.author].bot else 'feature/'}{n}"
        reviewers = sorted({c.author for c in item.comments if c.kind == "review"})
        base_repo = repository(repo)
        return {
            "url": url,
            "id": pid,
            "node_id": node_id("PullRequest", pid),
            "html_url": f"{WEB}/{repo}/pull/{n}",
            "diff_url": f"{WEB}/{repo}/pull/{n}.diff",
            "patch_url": f"{WEB}/{repo}/pull/{n}.patch",
            "issue_url": f"{API}/repos/{repo}/issues/{n}",
            "number": n,
            "state": "closed" if item.closed_at else "open",
            "locked": False,
            "title": item.title,
            "user": self._user(item.author),
            "body": item.body,
            "created_at": github_ts(item.created),
            "updated_at": github_ts(item.last_activity()),
            "closed_at": github_ts(item.closed_at) if item.closed_at else None,
            "merged_at": github_ts(item.closed_at) if item.merged else None,
            "merge_commit_sha": sha("merge", item.key) if item.merged else None,
            "assignee": self._user(item.assignee),
            "assignees": [self._user(item.assignee)] if item.assignee else [],
            "requested_reviewers": [] if item.closed_at else [self._user(r) for r in reviewers[:1]],
            "requested_teams": [],
            "labels": [self.label(repo, name) for name in item.labels],
            "milestone": self.milestone(repo, item.milestone) if item.milestone else None,
            "draft": False,
            "commits_url": f"{url}/commits",
            "review_comments_url": f"{url}/comments",
            "review_comment_url": f"{API}/repos/{repo}/pulls/comments{{/number}}",
            "comments_url": f"{API}/repos/{repo}/issues/{n}/comments",
            "statuses_url": f"{API}/repos/{repo}/statuses/{head_sha}",
            "head": {
                "label": f"{ORG_LOGIN}:{branch}",
                "ref": branch,
                "sha": head_sha,
                "user": _org_user(),
                "repo": base_repo,
            },
            "base": {
                "label": f"{ORG_LOGIN}:main",
                "ref": "main",
                "sha": sha("base", item.key),
                "user": _org_user(),
                "repo": base_repo,
            },
            "_links": {
                "self": {"href": url},
                "html": {"href": f"{WEB}/{repo}/pull/{n}"},
                "issue": {"href": f"{API}/repos/{repo}/issues/{n}"},
                "comments": {"href": f"{API}/repos/{repo}/issues/{n}/comments"},
                "review_comments": {"href": f"{url}/comments"},
                "review_comment": {"href": f"{API}/repos/{repo}/pulls/comments{{/number}}"},
                "commits": {"href": f"{url}/commits"},
                "statuses": {"href": f"{API}/repos/{repo}/statuses/{head_sha}"},
            },
            "author_association": self._association(item.author),
            "auto_merge": None,
            "active_lock_reason": None,
        }

    def comment_id(self, item: Item, comment: Comment, index: int) -> int:
        return stable_int(comment.kind, item.key, index, github_ts(comment.at))

    def issue_comment(self, item: Item, comment: Comment, index: int) -> dict:
        repo, n = item.container, item.number
        cid = self.comment_id(item, comment, index)
        path = "pull" if item.kind == "pull" else "issues"
        return {
            "url": f"{API}/repos/{repo}/issues/comments/{cid}",
            "html_url": f"{WEB}/{repo}/{path}/{n}#issuecomment-{cid}",
            "issue_url": f"{API}/repos/{repo}/issues/{n}",
            "id": cid,
            "node_id": node_id("IssueComment", cid),
            "user": self._user(comment.author),
            "created_at": github_ts(comment.at),
            "updated_at": github_ts(comment.at),
            "author_association": self._association(comment.author),
            "body": comment.body,
            "reactions": {
                "url": f"{API}/repos/{repo}/issues/comments/{cid}/reactions",
                **REACTIONS,
            },
            "performed_via_github_app": None,
        }

    def review(self, item: Item, comment: Comment, index: int) -> dict:
        repo, n = item.container, item.number
        rid = self.comment_id(item, comment, index)
        html = f"{WEB}/{repo}/pull/{n}#pullrequestreview-{rid}"
        return {
            "id": rid,
            "node_id": node_id("PullRequestReview", rid),
            "user": self._user(comment.author),
            "body": comment.body,
            "state": comment.review_state,
            "html_url": html,
            "pull_request_url": f"{API}/repos/{repo}/pulls/{n}",
            "author_association": self._association(comment.author),
            "_links": {
                "html": {"href": html},
                "pull_request": {"href": f"{API}/repos/{repo}/pulls/{n}"},
            },
            "submitted_at": github_ts(comment.at),
            "commit_id": sha("head", item.key),
        }

    def review_comment(self, item: Item, comment: Comment, index: int, review_id: int) -> dict:
        repo, n = item.container, item.number
        cid = self.comment_id(item, comment, index)
        url = f"{API}/repos/{repo}/pulls/comments/{cid}"
        html = f"{WEB}/{repo}/pull/{n}#discussion_r{cid}"
        line = 10 + cid % 90
        return {
            "url": url,
            "pull_request_review_id": review_id,
            "id": cid,
            "node_id": node_id("PullRequestReviewComment", cid),
            "diff_hunk": f"@@ -{line},6 +{line},7 @@\n def handler(request):\n+    timeout = 30",
            "path": "src/app/handlers.py" if repo == "lumio/platform" else "src/app/index.ts",
            "commit_id": sha("head", item.key),
            "original_commit_id": sha("head", item.key),
            "user": self._user(comment.author),
            "body": comment.body,
            "created_at": github_ts(comment.at),
            "updated_at": github_ts(comment.at),
            "html_url": html,
            "pull_request_url": f"{API}/repos/{repo}/pulls/{n}",
            "author_association": self._association(comment.author),
            "_links": {
                "self": {"href": url},
                "html": {"href": html},
                "pull_request": {"href": f"{API}/repos/{repo}/pulls/{n}"},
            },
            "reactions": {"url": f"{url}/reactions", **REACTIONS},
            "start_line": None,
            "original_start_line": None,
            "start_side": None,
            "line": line,
            "original_line": line,
            "side": "RIGHT",
            "original_position": 3,
            "position": 3,
            "subject_type": "line",
        }

    def events(self, item: Item) -> list[dict]:
        """The item's issue events (without their `issue` object), oldest first."""
        repo = item.container
        out = []
        names = {
            "labeled": "LabeledEvent",
            "milestoned": "MilestonedEvent",
            "assigned": "AssignedEvent",
            "closed": "ClosedEvent",
            "merged": "MergedEvent",
            "reopened": "ReopenedEvent",
        }
        for index, change in enumerate(item.changes):
            eid = stable_int(
                "event", item.key, index, change.field, low=10_000_000_000, span=9_000_000_000
            )
            commit = (
                sha("merge", item.key)
                if change.field in ("merged", "closed") and item.merged
                else None
            )
            event = {
                "id": eid,
                "node_id": node_id(names[change.field], eid),
                "url": f"{API}/repos/{repo}/issues/events/{eid}",
                "actor": self._user(change.author),
                "event": change.field,
                "commit_id": commit,
                "commit_url": f"{API}/repos/{repo}/commits/{commit}" if commit else None,
                "created_at": github_ts(change.at),
                "performed_via_github_app": None,
            }
            if change.field == "labeled":
                event["label"] = {
                    "name": change.to_value,
                    "color": LABEL_COLORS.get(change.to_value, "ededed"),
                }
            elif change.field == "milestoned":
                event["milestone"] = {"title": change.to_value}
            elif change.field == "assigned":
                event["assignee"] = self._user(change.to_value)
                event["assigner"] = self._user(change.author)
            elif change.field == "closed":
                event["state_reason"] = change.to_value
            out.append(event)
        return out

    def timeline(self, item: Item, rendered: dict[int, dict]) -> list[dict]:
        """`GET /repos/o/r/issues/n/timeline`: events, comments, reviews, cross-references."""
        entries: list[tuple[str, dict]] = []
        for event in self.events(item):
            entries.append((event["created_at"], event))
        for index, comment in enumerate(item.comments):
            body = rendered.get(index)
            if comment.kind == "comment":
                entries.append(
                    (body["created_at"], {**body, "event": "commented", "actor": body["user"]})
                )
            elif comment.kind == "review":
                entries.append((body["submitted_at"], {**body, "event": "reviewed"}))
        for at, actor, key in item.cross_refs:
            source = dict(self.issue(self.items[key]))
            source["repository"] = repository(self.items[key].container)
            entries.append(
                (
                    github_ts(at),
                    {
                        "actor": self._user(actor),
                        "created_at": github_ts(at),
                        "updated_at": github_ts(at),
                        "source": {"type": "issue", "issue": source},
                        "event": "cross-referenced",
                    },
                )
            )
        entries.sort(key=lambda e: e[0])
        return [body for _, body in entries]


def github_files(org: Org, items: list[Item], repos: tuple[str, ...]) -> dict[str, object]:
    """Every replay file, keyed by its path relative to the GitHub replay folder."""
    renderer = GitHubRenderer(org, items)
    files: dict[str, object] = {}
    for repo in repos:
        mine = sorted(
            (i for i in items if i.source == "github" and i.container == repo),
            key=lambda i: i.number,
        )
        issues, pulls, comments, review_comments, events = [], [], [], [], []
        for item in mine:
            issue = renderer.issue(item)
            issues.append(issue)
            if item.kind == "pull":
                pulls.append(renderer.pull(item))
            rendered: dict[int, dict] = {}
            reviews = []
            for index, comment in enumerate(item.comments):
                if comment.kind == "comment":
                    rendered[index] = renderer.issue_comment(item, comment, index)
                    comments.append(rendered[index])
                elif comment.kind == "review":
                    rendered[index] = renderer.review(item, comment, index)
                    reviews.append(rendered[index])
            for index, comment in enumerate(item.comments):
                if comment.kind == "review_comment":
                    review_index = next(
                        j
                        for j in range(index + 1, len(item.comments))
                        if item.comments[j].kind == "review"
                        and item.comments[j].author == comment.author
                    )
                    rendered[index] = renderer.review_comment(
                        item, comment, index, rendered[review_index]["id"]
                    )
                    review_comments.append(rendered[index])
            if item.kind == "pull":
                files[f"{repo}/reviews/{item.number}.json"] = reviews
            events += [{**event, "issue": issue} for event in renderer.events(item)]
            files[f"{repo}/timeline/{item.number}.json"] = renderer.timeline(item, rendered)
        files[f"{repo}/issues.json"] = sorted(issues, key=lambda i: i["number"], reverse=True)
        files[f"{repo}/pulls.json"] = sorted(pulls, key=lambda i: i["number"], reverse=True)
        files[f"{repo}/issue_comments.json"] = sorted(
            comments, key=lambda c: (c["created_at"], c["id"])
        )
        files[f"{repo}/review_comments.json"] = sorted(
            review_comments, key=lambda c: (c["created_at"], c["id"])
        )
        files[f"{repo}/events.json"] = sorted(
            events, key=lambda e: (e["created_at"], e["id"]), reverse=True
        )
    return files
