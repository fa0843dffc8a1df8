"""The generator's neutral model: items, their comments and changes, and meetings.

Activity is planned once in this shape, then rendered to GitHub payloads, Jira payloads and
Markdown minutes. Times are UTC datetimes; people are directory ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class Comment:
    """A comment, a review (`kind="review"`) or a review comment on a pull request."""

    author: str
    at: datetime
    body: str
    kind: str = "comment"  # comment | review | review_comment
    review_state: str | None = None  # APPROVED | CHANGES_REQUESTED | COMMENTED


@dataclass
class Change:
    """A Jira changelog item or a GitHub issue event."""

    author: str
    at: datetime
    field: str  # jira: status, priority, Rank, Fix Version, assignee, resolution;
    # github: labeled, milestoned, assigned, closed, merged, reopened
    from_value: str | None = None
    to_value: str | None = None


@dataclass
class Item:
    """A Jira issue or a GitHub issue / pull request."""

    source: str  # github | jira
    container: str  # "lumio/web-app" or "SUP"
    author: str
    created: datetime
    title: str
    body: str
    kind: str  # github: issue | pull; jira: issue type name
    labels: list[str] = field(default_factory=list)
    number: int = 0  # set once all items of the container are sorted by creation
    priority: str | None = None  # jira
    status: str | None = None  # jira status name / github state
    closed_at: datetime | None = None
    close_reason: str | None = None  # github state_reason or jira resolution name
    closed_by: str | None = None
    merged: bool = False
    assignee: str | None = None
    milestone: str | None = None
    components: list[str] = field(default_factory=list)
    fix_versions: list[str] = field(default_factory=list)
    team: str | None = None
    story_points: float | None = None
    sprint: int | None = None
    product_owner: str | None = None
    comments: list[Comment] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    cross_refs: list[tuple[datetime, str, str]] = field(default_factory=list)  # (at, actor, key)
    planted: bool = False
    topic: str = ""

    @property
    def key(self) -> str:
        """`lumio/web-app#12` or `SUP-12`."""
        if self.source == "github":
            return f"{self.container}#{self.number}"
        return f"{self.container}-{self.number}"

    @property
    def item_id(self) -> str:
        return f"{self.source}:{self.key}"

    def last_activity(self) -> datetime:
        moments = [self.created] + [c.at for c in self.comments] + [c.at for c in self.changes]
        moments += [at for at, _, _ in self.cross_refs]
        if self.closed_at:
            moments.append(self.closed_at)
        return max(moments)


@dataclass
class Meeting:
    """One set of minutes. `sections` are (heading, lines) in order."""

    day: date
    type: str  # comex | codir | management | team
    start: str  # "09:00"
    title: str
    language: str  # fr | en
    attendees: list[str]  # person ids
    absent: list[str] = field(default_factory=list)
    team: str | None = None
    front_matter: bool = True
    sections: dict[str, list[str]] = field(default_factory=dict)  # role -> lines

    @property
    def stem(self) -> str:
        suffix = f"-{self.team.lower()}" if self.team else ""
        return f"{self.day.isoformat()}-{self.type}{suffix}"

    @property
    def meeting_id(self) -> str:
        return f"notes:{self.stem}"

    def add(self, role: str, line: str) -> None:
        """Append a line to a section role: agenda, discussion, decisions, actions."""
        self.sections.setdefault(role, []).append(line)
