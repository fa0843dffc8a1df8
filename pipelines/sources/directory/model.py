"""The org directory: load and validate the YAML file (contract format) or the CSV layout.

Every problem names the file, the record (person id, role or domain), the key and why, e.g.
`org.yml: person 'marie.dubois': key 'side': expected one of [...], got 'sales'`.
`load_directory(path)` raises `DirectoryError` listing all problems; with `strict=False` it
drops the bad records, keeps the rest, and returns the problems in `Directory.problems`.

CSV layout (see README.md): `path` is a folder (or its `people.csv`) holding
- `people.csv`: id, name, team, side, level, title, manager, arrived, left, bot,
  github, jira, email, names (alias columns: several values separated by `;`);
- `roles.csv` (optional): role, person, from, to;
- `owners.csv` (optional): domain, role.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipelines.sources.directory.roles import role_lexicon
from pipelines.sources.notes.text import normalise

SIDES = ("tech", "product", "business", "leadership")
LEVELS = ("field", "management", "comex")
DOMAINS = ("roadmap", "technical", "budget", "customer", "organisation")
ALIAS_KEYS = {"github": "github", "jira": "jira", "email": "email", "names": "name", "name": "name"}
PERSON_KEYS = {"id", "name", "team", "side", "level", "title", "manager", "arrived", "left", "bot",
               "aliases"}  # fmt: skip


@lru_cache(maxsize=1 << 16)  # a run asks the same few thousand names again and again
def alias_key(alias: str) -> str:
    """How aliases are compared: normalised, trailing punctuation and emphasis stripped,
    so `Marie D.` and `marie d` are the same alias."""
    return normalise(alias).strip(" .,:;*_")


class DirectoryError(ValueError):
    """The directory file is unusable; `problems` lists every (record, key, reason)."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = str(path)
        self.problems = problems
        lines = [f"{path}: {p}" for p in problems[:50]]
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__("\n".join(lines) + more)


@dataclass(frozen=True)
class Problem:
    record: str  # "person 'marie.dubois'", "role #3", "owners", "file"
    key: str | None
    reason: str

    def __str__(self) -> str:
        key = f": key '{self.key}'" if self.key else ""
        return f"{self.record}{key}: {self.reason}"


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    team: str | None = None
    side: str | None = None
    level: str | None = None
    title: str | None = None
    manager: str | None = None
    arrived: date | None = None
    left: date | None = None
    bot: bool = False
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # source -> aliases

    def active_on(self, day: date | None) -> bool:
        """Present in the organisation on `day` (inclusive bounds); None means any day."""
        if day is None:
            return True
        return (self.arrived is None or self.arrived <= day) and (
            self.left is None or day <= self.left
        )


@dataclass(frozen=True)
class RoleAssignment:
    role: str
    person: str
    start: date | None
    end: date | None  # inclusive; None = still holds it

    @property
    def role_id(self) -> str:
        return f"{self.role}:{self.person}:{self.start.isoformat() if self.start else 'start'}"

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class Directory:
    people: dict[str, Person]
    roles: list[RoleAssignment]
    owners: dict[str, str]  # domain -> role
    path: str = ""
    problems: list[Problem] = field(default_factory=list)

    def holders(self, role: str, day: date | None) -> list[str]:
        """Who holds `role` on `day`; on an overlap (hand-over day) the latest start wins."""
        valid = [r for r in self.roles if r.role == role and r.valid_on(day)]
        if not valid:
            return []
        latest = max((r.start or date.min) for r in valid)
        return sorted({r.person for r in valid if (r.start or date.min) == latest})

    def with_people(self, people: dict[str, Person], roles: list[RoleAssignment]) -> Directory:
        return replace(self, people=people, roles=roles)


def load_directory(path: str | Path, *, strict: bool = True) -> Directory:
    """Read the directory (YAML file, or CSV folder / people.csv). See module docstring."""
    path = Path(path)
    if path.is_dir() or path.suffix.lower() == ".csv":
        raw = _read_csv_layout(path)
    else:
        raw = _read_yaml(path)
    directory = _validate(raw, path)
    if strict and directory.problems:
        raise DirectoryError(path, directory.problems)
    return directory


class _DatesAsText(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader that leaves dates as text, so `2024-13-01` is reported on its person
    instead of failing the whole file inside the YAML parser. On libyaml's parser when
    PyYAML has it: a 1,000-person directory took 2 s to read in the pure-Python one."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise DirectoryError(path, [Problem("file", None, "not found")])
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_DatesAsText)  # noqa: S506
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DirectoryError(path, [Problem("file", None, f"not valid YAML: {exc}")]) from exc
    if not isinstance(data, dict):
        raise DirectoryError(path, [Problem("file", None, "expected a mapping with 'people'")])
    extra = sorted(set(data) - {"people", "roles", "owners"})
    if extra:
        raise DirectoryError(path, [Problem("file", None, f"unknown top-level key(s) {extra}; "
                                            "allowed: people, roles, owners")])  # fmt: skip
    return data


def _read_csv_layout(path: Path) -> dict[str, Any]:
    folder = path if path.is_dir() else path.parent
    people_csv = folder / "people.csv"
    if not people_csv.is_file():
        raise DirectoryError(
            people_csv,
            [
                Problem(
                    "file",
                    None,
                    "not found (CSV layout needs people.csv; roles.csv, owners.csv optional)",
                )
            ],
        )
    people = []
    for row in _csv_rows(people_csv):
        aliases = {}
        for key in ("github", "jira", "email", "names"):
            value = row.pop(key, None)
            if value:
                aliases[key] = [v.strip() for v in value.split(";") if v.strip()]
        person = {k: (v.strip() if isinstance(v, str) and v.strip() else None)
                  for k, v in row.items()}  # fmt: skip
        if person.get("bot") is not None:
            person["bot"] = person["bot"].lower() in ("true", "yes", "1", "oui", "y")
        person["aliases"] = aliases
        people.append(person)
    roles = [{k: (v or None) for k, v in row.items()} for row in _csv_rows(folder / "roles.csv")]
    owners = {row.get("domain"): row.get("role") for row in _csv_rows(folder / "owners.csv")}
    return {"people": people, "roles": roles, "owners": owners}


def _csv_rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{(k or "").strip(): v for k, v in row.items()} for row in csv.DictReader(handle)]


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _validate(data: dict[str, Any], path: Path) -> Directory:
    problems: list[Problem] = []
    people: dict[str, Person] = {}
    raw_people = data.get("people") or []
    if not isinstance(raw_people, list):
        raise DirectoryError(path, [Problem("file", "people", "expected a list of people")])
    for index, item in enumerate(raw_people, start=1):
        person = _person(item, index, problems)
        if person is None:
            continue
        if person.id in people:
            problems.append(Problem(f"person '{person.id}'", "id", "duplicate person id"))
            continue
        people[person.id] = person
    _check_links(people, problems)
    _check_alias_collisions(people, problems)
    roles = _roles(data.get("roles") or [], people, problems)
    owners = _owners(data.get("owners") or {}, roles, problems)
    return Directory(people=people, roles=roles, owners=owners, path=str(path), problems=problems)


def _person(item: Any, index: int, problems: list[Problem]) -> Person | None:
    if not isinstance(item, dict):
        problems.append(Problem(f"person #{index}", None, "expected a mapping"))
        return None
    pid = item.get("id")
    if not isinstance(pid, str) or not pid.strip():
        problems.append(
            Problem(f"person #{index}", "id", f"expected a non-empty string, got {pid!r}")
        )
        return None
    record, before = f"person '{pid}'", len(problems)
    extra = sorted(set(item) - PERSON_KEYS)
    if extra:
        problems.append(
            Problem(record, None, f"unknown key(s) {extra}; allowed {sorted(PERSON_KEYS)}")
        )
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem(record, "name", f"expected the person's full name, got {name!r}"))
    for key, allowed in (("side", SIDES), ("level", LEVELS)):
        if item.get(key) is not None and item[key] not in allowed:
            problems.append(
                Problem(record, key, f"expected one of {list(allowed)}, got {item[key]!r}")
            )
    dates = {}
    for key in ("arrived", "left"):
        try:
            dates[key] = _date(item.get(key))
        except ValueError:
            problems.append(Problem(record, key, f"expected a date YYYY-MM-DD, got {item[key]!r}"))
    if dates.get("arrived") and dates.get("left") and dates["left"] < dates["arrived"]:
        problems.append(Problem(record, "left", "is before 'arrived'"))
    bot = item.get("bot", False)
    if bot is not None and not isinstance(bot, bool):
        problems.append(Problem(record, "bot", f"expected true or false, got {bot!r}"))
    aliases = _aliases(item.get("aliases"), record, problems)
    if len(problems) > before:
        return None
    return Person(
        id=pid.strip(), name=name.strip(), team=_text(item.get("team")),
        side=item.get("side"), level=item.get("level"), title=_text(item.get("title")),
        manager=_text(item.get("manager")), arrived=dates.get("arrived"),
        left=dates.get("left"), bot=bool(bot), aliases=aliases,
    )  # fmt: skip


def _text(value: Any) -> str | None:
    return str(value).strip() if value is not None and str(value).strip() else None


def _aliases(value: Any, record: str, problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(Problem(record, "aliases", "expected a mapping source -> list"))
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for key, items in value.items():
        if key not in ALIAS_KEYS:
            problems.append(Problem(record, f"aliases.{key}", f"unknown alias source; "
                                    f"allowed {sorted(ALIAS_KEYS)}"))  # fmt: skip
            continue
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list) or not all(isinstance(i, str | int) for i in items or []):
            problems.append(Problem(record, f"aliases.{key}", "expected a list of strings"))
            continue
        source = ALIAS_KEYS[key]
        out[source] = out.get(source, ()) + tuple(str(i).strip() for i in items if str(i).strip())
    return out


def _check_links(people: dict[str, Person], problems: list[Problem]) -> None:
    for person in list(people.values()):
        if person.manager and person.manager not in people:
            problems.append(Problem(f"person '{person.id}'", "manager",
                                    f"unknown person id {person.manager!r}"))  # fmt: skip
            people.pop(person.id)


def _check_alias_collisions(people: dict[str, Person], problems: list[Problem]) -> None:
    """A declared alias must name one person (homonyms are for the resolver, not aliases)."""
    owner: dict[tuple[str, str], str] = {}
    for person in list(people.values()):
        for source, aliases in person.aliases.items():
            for alias in aliases:
                key = (source, alias_key(alias))
                if key in owner and owner[key] != person.id:
                    problems.append(Problem(
                        f"person '{person.id}'", f"aliases.{source}",
                        f"alias {alias!r} is already declared for {owner[key]!r}",
                    ))  # fmt: skip
                    people.pop(person.id, None)
                else:
                    owner[key] = person.id


def _roles(items: Any, people: dict[str, Person], problems: list[Problem]) -> list[RoleAssignment]:
    if not isinstance(items, list):
        problems.append(Problem("roles", None, "expected a list"))
        return []
    out = []
    for index, item in enumerate(items, start=1):
        record = f"role #{index}"
        if not isinstance(item, dict):
            problems.append(Problem(record, None, "expected a mapping {role, person, from, to}"))
            continue
        role, pid = item.get("role"), item.get("person")
        if not isinstance(role, str) or not role.strip():
            problems.append(Problem(record, "role", f"expected a role id, got {role!r}"))
            continue
        record = f"role #{index} ({role})"
        if pid not in people:
            problems.append(Problem(record, "person", f"unknown (or invalid) person id {pid!r}"))
            continue
        try:
            start, end = _date(item.get("from")), _date(item.get("to"))
        except ValueError as exc:
            problems.append(Problem(record, "from/to", f"expected dates YYYY-MM-DD: {exc}"))
            continue
        start = start or people[pid].arrived
        if start and end and end < start:
            problems.append(Problem(record, "to", "is before 'from'"))
            continue
        out.append(RoleAssignment(role.strip(), pid, start, end))
    return out


def _owners(items: Any, roles: list[RoleAssignment], problems: list[Problem]) -> dict[str, str]:
    if not isinstance(items, dict):
        problems.append(Problem("owners", None, "expected a mapping domain -> role"))
        return {}
    known = set(role_lexicon()) | {r.role for r in roles}
    out = {}
    for domain, role in items.items():
        if domain not in DOMAINS:
            problems.append(
                Problem("owners", str(domain), f"unknown domain; allowed {list(DOMAINS)}")
            )
        elif role not in known:
            reason = f"unknown role {role!r} (not in roles.yml nor in 'roles')"
            problems.append(Problem("owners", str(domain), reason))
        else:
            out[domain] = role
    return out
