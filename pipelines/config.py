"""Workspace configuration: load and validate `silo.yml`.

A workspace is a folder holding `silo.yml` and its data. Every error names the file, the
key and what was expected, so a user can fix the file without reading this code.
Secrets never live in `silo.yml`: it names environment variables, read here on demand.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines import safeyaml

CONFIG_FILE = "silo.yml"
MODES = ("live", "replay")
JIRA_DEPLOYMENTS = ("cloud", "server")


# Alert rules (pipelines/publish/alerts.py) and their defaults; silo.yml `alerts.rules` overrides.
DEFAULT_ALERT_RULES: dict[str, float] = {
    # alert when more than this share of critical field items never reached COMEX
    "critical_never_arrived_share": 0.25,
    # alert when the official owner takes less than this share of the domain's decisions
    "official_owner_min_share": 0.5,
    # alert when cross-side share of the last 4 weeks fell by more than this, relative
    "cross_side_drop": 0.3,
    # alert when any technical decision was taken at COMEX with no tech person present
    "tech_decisions_without_tech": 0,
}

# The least evidence each rule needs before it is judged; below it the rule reads "not
# measured" and never fires (a share of three items is noise). silo.yml `alerts.min_evidence`.
DEFAULT_ALERT_MIN_EVIDENCE: dict[str, int] = {
    # critical field items observed (critical_never_arrived_share)
    "critical_items": 5,
    # decisions of a domain attributed to a person (official_owner_min_share)
    "domain_decisions": 5,
    # decisions taken in COMEX meetings (tech_decisions_without_tech)
    "comex_decisions": 3,
    # weeks of interactions, the last 4 compared with up to 12 before (cross_side_drop)
    "weeks": 8,
}
SINK_TYPES = ("slack", "webhook", "email", "file")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def valid_workspace_name(name: str) -> bool:
    """Letters, digits, '-' or '_': a workspace name is a folder, a tag and a file name."""
    return name.replace("-", "").replace("_", "").isalnum()


class ConfigError(ValueError):
    """`silo.yml` is missing, unreadable or invalid; the message says where and why."""


@dataclass(frozen=True)
class GitHubConfig:
    mode: str = "replay"
    replay_dir: Path | None = None
    base_url: str = "https://api.github.com"
    token_env: str = "GITHUB_TOKEN"
    repos: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    bots: tuple[str, ...] = ()
    overlap_minutes: int = 60
    per_page: int = 100

    def token(self) -> str | None:
        """The token from the environment (None when unset: anonymous, low rate limit)."""
        return os.environ.get(self.token_env) or None


@dataclass(frozen=True)
class JiraConfig:
    mode: str = "replay"
    replay_dir: Path | None = None
    url: str = ""
    deployment: str = "cloud"
    email_env: str = "JIRA_EMAIL"
    token_env: str = "JIRA_API_TOKEN"
    jql: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    bots: tuple[str, ...] = ()
    overlap_minutes: int = 60
    page_size: int = 100

    def credentials(self) -> tuple[str | None, str | None]:
        """(e-mail or None, token or None) from the environment."""
        return os.environ.get(self.email_env) or None, os.environ.get(self.token_env) or None


MEETING_TYPES = ("comex", "codir", "management", "team", "other")  # as the notes parser
REPO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")


@dataclass(frozen=True)
class NotesFolder:
    """One declared minutes folder: every file under it is a meeting of `type` (None: the
    type comes from each file), and a bare `#123` in it means `default_repo#123`."""

    path: Path  # absolute
    label: str = ""  # the path as written; prefixes file keys and meeting ids ("" for `folder:`)
    type: str | None = None
    default_repo: str | None = None


@dataclass(frozen=True)
class NotesConfig:
    folders: tuple[NotesFolder, ...] = ()

    @property
    def folder(self) -> Path | None:
        """The first declared folder (the only one in the `folder: notes` form)."""
        return self.folders[0].path if self.folders else None


@dataclass(frozen=True)
class DirectoryConfig:
    file: Path | None = None
    pseudonymise: bool = False
    salt_env: str = "SILO_PSEUDONYM_SALT"


@dataclass(frozen=True)
class SinkConfig:
    """Where alert messages go. Secrets (webhook URL, HMAC secret, SMTP credentials) are
    named by environment variable and read only when a message is sent."""

    name: str
    type: str
    webhook_env: str | None = None  # slack
    url: str | None = None  # webhook
    secret_env: str | None = None  # webhook
    smtp_host: str | None = None  # email
    smtp_port: int = 587
    sender: str | None = None  # email `from`
    to: tuple[str, ...] = ()
    username_env: str | None = None
    password_env: str | None = None
    require_tls: bool = True  # refuse to send credentials when the server offers no STARTTLS
    path: Path | None = None  # file
    timeout_seconds: int = 10

    def env(self, attr: str) -> str | None:
        """The value of the environment variable named by `attr` (None when unset)."""
        name = getattr(self, attr)
        return os.environ.get(name) or None if name else None


@dataclass(frozen=True)
class AlertsConfig:
    rules: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_ALERT_RULES))
    min_evidence: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_ALERT_MIN_EVIDENCE))
    sinks: tuple[SinkConfig, ...] = ()
    report_url: str | None = None  # the report as readers reach it; default: its file:// URL
    retries: int = 3  # attempts per message and sink in one run; then pending for the next
    retry_backoff_seconds: float = 1.0  # doubled after each failed attempt


@dataclass(frozen=True)
class Workspace:
    """A validated workspace. Paths are absolute."""

    root: Path
    name: str
    timezone: str
    start_date: date
    languages: tuple[str, ...]
    github: GitHubConfig | None
    jira: JiraConfig | None
    notes: NotesConfig | None
    directory: DirectoryConfig | None
    lexicons: dict[str, dict[str, list[str]]]
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    # local time (in `timezone`) of the daily ingestion: silo.yml `schedule.hour`, `.minute`
    schedule_hour: int = 6
    schedule_minute: int = 0
    links: LinksConfig = field(default_factory=lambda: LinksConfig())

    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    @property
    def warehouse_path(self) -> Path:
        return self.root / "warehouse" / "silo.duckdb"

    @property
    def snapshot_path(self) -> Path:
        return self.root / "warehouse" / "silo_snapshot.duckdb"

    @property
    def alert_rules(self) -> dict[str, float]:
        return self.alerts.rules

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class _Reader:
    """Walks a parsed YAML mapping and reports errors with their dotted key."""

    def __init__(self, path: Path):
        self.path = path
        self.allowed: tuple[Path, ...] = ()  # `allowed_paths`: folders outside the workspace

    def fail(self, key: str, expected: str, got: Any) -> ConfigError:
        shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
        return ConfigError(f"{self.path}: key '{key}': expected {expected}, got {shown}")

    def mapping(self, data: Any, key: str) -> dict[str, Any]:
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise self.fail(key, "a mapping", data)
        return data

    def unknown(self, data: dict[str, Any], key: str, allowed: set[str]) -> None:
        extra = sorted(set(data) - allowed)
        if extra:
            where = f"under '{key}'" if key else "at top level"
            raise ConfigError(
                f"{self.path}: unknown key(s) {extra} {where}; allowed: {sorted(allowed)}"
            )

    def string(self, data: dict, key: str, prefix: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{prefix}{key}", "a non-empty string", value)
        return value

    def strings(self, data: dict, key: str, prefix: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{prefix}{key}", "a list of strings", value)
        return tuple(value)

    def integer(self, data: dict, key: str, prefix: str, default: int, low: int = 0) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.fail(f"{prefix}{key}", f"an integer >= {low}", value)
        return value

    def choice(self, data: dict, key: str, prefix: str, choices: tuple[str, ...], default: str):
        value = data.get(key, default)
        if value not in choices:
            raise self.fail(f"{prefix}{key}", f"one of {list(choices)}", value)
        return value

    def folder(self, root: Path, data: dict, key: str, prefix: str) -> Path | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{prefix}{key}", "a path (string)", value)
        resolved = (root / value).resolve()  # `..` and symlinks resolved before the check
        if not any(resolved.is_relative_to(base) for base in (root, *self.allowed)):
            raise ConfigError(
                f"{self.path}: key '{prefix}{key}': {value!r} resolves to {resolved}, outside "
                f"the workspace {root}; move it into the workspace or list the folder holding "
                "it under 'allowed_paths'"
            )
        return resolved


def _github(r: _Reader, root: Path, data: dict) -> GitHubConfig:
    p = "sources.github."
    r.unknown(data, "sources.github", {f.name for f in GitHubConfig.__dataclass_fields__.values()})
    mode = r.choice(data, "mode", p, MODES, "live")
    repos = r.strings(data, "repos", p)
    for repo in repos:
        if repo.count("/") != 1 or not all(repo.split("/")):
            raise r.fail(f"{p}repos", "entries of the form 'owner/repo'", repo)
    orgs = r.strings(data, "orgs", p)
    if not repos and not orgs:
        raise ConfigError(f"{r.path}: key '{p}repos': name at least one repository or org")
    replay_dir = r.folder(root, data, "replay_dir", p)
    if mode == "replay" and replay_dir is None:
        raise ConfigError(f"{r.path}: key '{p}replay_dir': required when mode is 'replay'")
    return GitHubConfig(
        mode=mode,
        replay_dir=replay_dir,
        base_url=r.string(data, "base_url", p, GitHubConfig.base_url).rstrip("/"),
        token_env=r.string(data, "token_env", p, GitHubConfig.token_env),
        repos=repos,
        orgs=orgs,
        bots=r.strings(data, "bots", p),
        overlap_minutes=r.integer(data, "overlap_minutes", p, GitHubConfig.overlap_minutes),
        per_page=r.integer(data, "per_page", p, GitHubConfig.per_page, low=1),
    )


def _jira(r: _Reader, root: Path, data: dict) -> JiraConfig:
    p = "sources.jira."
    r.unknown(data, "sources.jira", {f.name for f in JiraConfig.__dataclass_fields__.values()})
    mode = r.choice(data, "mode", p, MODES, "live")
    replay_dir = r.folder(root, data, "replay_dir", p)
    if mode == "replay" and replay_dir is None:
        raise ConfigError(f"{r.path}: key '{p}replay_dir': required when mode is 'replay'")
    url = data.get("url", "")
    if mode == "live" and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
        raise r.fail(f"{p}url", "the Jira base URL (https://...)", url)
    return JiraConfig(
        mode=mode,
        replay_dir=replay_dir,
        url=str(url or "").rstrip("/"),
        deployment=r.choice(data, "deployment", p, JIRA_DEPLOYMENTS, "cloud"),
        email_env=r.string(data, "email_env", p, JiraConfig.email_env),
        token_env=r.string(data, "token_env", p, JiraConfig.token_env),
        jql=r.string(data, "jql", p),
        fields=r.mapping(data.get("fields"), f"{p}fields"),
        bots=r.strings(data, "bots", p),
        overlap_minutes=r.integer(data, "overlap_minutes", p, JiraConfig.overlap_minutes),
        page_size=r.integer(data, "page_size", p, JiraConfig.page_size, low=1),
    )


# --- sources.notes: `folder: notes`, or `folders:` each with its type and default_repo ---


def _notes(r: _Reader, root: Path, data: dict) -> NotesConfig:
    """`folder: notes` (one folder, types from each file), or `folders: [{path, type,
    default_repo}]`; never both. Folders may not nest (a file would belong to two)."""
    p = "sources.notes."
    r.unknown(data, "sources.notes", {"folder", "folders"})
    if "folder" in data and "folders" in data:
        raise ConfigError(f"{r.path}: key '{p}folders': use either 'folder' or 'folders', not both")
    if "folders" not in data:
        folder = r.folder(root, data, "folder", p)
        if folder is None:
            raise ConfigError(f"{r.path}: key '{p}folder': required (or 'folders')")
        return NotesConfig(folders=(NotesFolder(path=folder),))
    entries = data["folders"]
    if not isinstance(entries, list) or not entries:
        raise r.fail(f"{p}folders", "a non-empty list of {path, type, default_repo}", entries)
    folders: list[NotesFolder] = []
    for index, entry in enumerate(entries):
        where = f"{p}folders[{index}]"
        entry = r.mapping(entry, where)
        r.unknown(entry, where, {"path", "type", "default_repo"})
        path = r.folder(root, entry, "path", f"{where}.")
        if path is None:
            raise ConfigError(f"{r.path}: key '{where}.path': required")
        kind = entry.get("type")
        if kind is not None and kind not in MEETING_TYPES:
            raise r.fail(f"{where}.type", f"one of {list(MEETING_TYPES)}", kind)
        repo = entry.get("default_repo")
        if repo is not None and (not isinstance(repo, str) or not REPO_NAME.match(repo)):
            raise r.fail(f"{where}.default_repo", "a repository 'owner/repo'", repo)
        for other_index, other in enumerate(folders):
            if path.is_relative_to(other.path) or other.path.is_relative_to(path):
                raise ConfigError(
                    f"{r.path}: key '{where}.path': {entry['path']!r} overlaps "
                    f"'{p}folders[{other_index}].path' ({other.label!r}); a file would "
                    "belong to both: declare folders side by side"
                )
        label = Path(entry["path"]).as_posix().strip("/").removeprefix("./") or "."
        folders.append(NotesFolder(path=path, label=label, type=kind, default_repo=repo))
    return NotesConfig(folders=tuple(folders))


_SINK_KEYS = {
    "slack": {"webhook_env"},
    "webhook": {"url", "secret_env"},
    "email": {
        "smtp_host",
        "smtp_port",
        "from",
        "to",
        "username_env",
        "password_env",
        "require_tls",
    },
    "file": {"path"},
}


def _env_name(r: _Reader, data: dict, key: str, prefix: str, required: bool) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not ENV_NAME.match(value):
        # never echo the value: a secret pasted here instead of a variable name must not
        # end up in a log
        raise ConfigError(
            f"{r.path}: key '{prefix}{key}': expected the name of an environment variable "
            "(letters, digits, '_'), not the secret itself"
        )
    return value


def _sink(r: _Reader, root: Path, data: Any, index: int) -> SinkConfig:
    where = f"alerts.sinks[{index}]"
    data = r.mapping(data, where)
    p = f"{where}."
    kind = r.choice(data, "type", p, SINK_TYPES, None)
    r.unknown(data, where, {"type", "name", "timeout_seconds"} | _SINK_KEYS[kind])
    common = {
        "name": r.string(data, "name", p, kind),
        "type": kind,
        "timeout_seconds": r.integer(data, "timeout_seconds", p, 10, low=1),
    }
    if kind == "slack":
        return SinkConfig(**common, webhook_env=_env_name(r, data, "webhook_env", p, True))
    if kind == "webhook":
        url = data.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise r.fail(f"{p}url", "an http(s) URL", url)
        return SinkConfig(**common, url=url, secret_env=_env_name(r, data, "secret_env", p, True))
    if kind == "email":
        to = r.strings(data, "to", p)
        if not to or not all("@" in a for a in to):
            raise r.fail(f"{p}to", "a non-empty list of e-mail addresses", data.get("to"))
        sender = r.string(data, "from", p)
        if "@" not in sender:
            raise r.fail(f"{p}from", "an e-mail address", sender)
        user = _env_name(r, data, "username_env", p, False)
        password = _env_name(r, data, "password_env", p, False)
        if (user is None) != (password is None):
            missing = "password_env" if password is None else "username_env"
            raise ConfigError(
                f"{r.path}: key '{p}{missing}': username_env and password_env go together"
            )
        require_tls = data.get("require_tls", True)
        if not isinstance(require_tls, bool):
            raise r.fail(f"{p}require_tls", "true or false", require_tls)
        return SinkConfig(
            **common,
            smtp_host=r.string(data, "smtp_host", p),
            smtp_port=r.integer(data, "smtp_port", p, 587, low=1),
            sender=sender,
            to=to,
            username_env=user,
            password_env=password,
            require_tls=require_tls,
        )
    path = r.folder(root, data, "path", p)
    if path is None:
        raise ConfigError(f"{r.path}: key '{p}path': required for a file sink")
    return SinkConfig(**common, path=path)


def _alerts(r: _Reader, root: Path, alerts: dict) -> AlertsConfig:
    """`alerts:`: rules over their defaults, minimum evidence, sinks, delivery settings."""
    r.unknown(
        alerts,
        "alerts",
        {"rules", "min_evidence", "sinks", "report_url", "retries", "retry_backoff_seconds"},
    )
    rules = r.mapping(alerts.get("rules"), "alerts.rules")
    r.unknown(rules, "alerts.rules", set(DEFAULT_ALERT_RULES))
    for name, value in rules.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise r.fail(f"alerts.rules.{name}", "a number >= 0", value)
    evidence = r.mapping(alerts.get("min_evidence"), "alerts.min_evidence")
    r.unknown(evidence, "alerts.min_evidence", set(DEFAULT_ALERT_MIN_EVIDENCE))
    for name in evidence:
        r.integer(evidence, name, "alerts.min_evidence.", 0, low=1)
    sinks_data = alerts.get("sinks") or []
    if not isinstance(sinks_data, list):
        raise r.fail("alerts.sinks", "a list of sinks", sinks_data)
    sinks = tuple(_sink(r, root, s, i) for i, s in enumerate(sinks_data))
    seen: set[str] = set()
    for i, sink in enumerate(sinks):
        if sink.name in seen:
            raise ConfigError(
                f"{r.path}: key 'alerts.sinks[{i}].name': '{sink.name}' is used twice; "
                "give each sink its own name (what was sent is remembered by name)"
            )
        seen.add(sink.name)
    report_url = alerts.get("report_url")
    if report_url is not None and (
        not isinstance(report_url, str)
        or not report_url.startswith(("http://", "https://", "file:"))
    ):
        raise r.fail("alerts.report_url", "an http(s) or file: URL", report_url)
    backoff = alerts.get("retry_backoff_seconds", 1.0)
    if isinstance(backoff, bool) or not isinstance(backoff, int | float) or not 0 <= backoff <= 60:
        raise r.fail("alerts.retry_backoff_seconds", "a number of seconds from 0 to 60", backoff)
    return AlertsConfig(
        rules={**DEFAULT_ALERT_RULES, **{k: float(v) for k, v in rules.items()}},
        min_evidence={**DEFAULT_ALERT_MIN_EVIDENCE, **evidence},
        sinks=sinks,
        report_url=report_url,
        retries=r.integer(alerts, "retries", "alerts.", 3, low=1),
        retry_backoff_seconds=float(backoff),
    )


def _schedule_time(r: _Reader, schedule: dict) -> tuple[int, int]:
    """(hour, minute) of the daily ingestion, local to the workspace's time zone."""
    r.unknown(schedule, "schedule", {"hour", "minute"})
    hour = r.integer(schedule, "hour", "schedule.", 6)
    if hour > 23:
        raise r.fail("schedule.hour", "an hour from 0 to 23", hour)
    minute = r.integer(schedule, "minute", "schedule.", 0)
    if minute > 59:
        raise r.fail("schedule.minute", "a minute from 0 to 59", minute)
    return hour, minute


# -- links: implicit links between field items and leadership minutes (nlp/links.py) ---------
@dataclass(frozen=True)
class LinksConfig:
    """silo.yml `links:`. `implicit: false` turns implicit links off (explicit ones only);
    a minutes passage links to an item when its score reaches `implicit_threshold` and the
    meeting is at most `window_days` after the item's creation; term weights and name
    rarities are taken as of each passage, but never over fewer than `min_statistics_items`
    items (`nlp.links.Linker.stats_time`)."""

    implicit: bool = True
    implicit_threshold: float = 0.35
    window_days: int = 60
    min_statistics_items: int = 20_000


def _links(r: _Reader, data: dict) -> LinksConfig:
    r.unknown(
        data, "links", {"implicit", "implicit_threshold", "window_days", "min_statistics_items"}
    )
    implicit = data.get("implicit", LinksConfig.implicit)
    if not isinstance(implicit, bool):
        raise r.fail("links.implicit", "true or false", implicit)
    threshold = data.get("implicit_threshold", LinksConfig.implicit_threshold)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or threshold <= 0:
        raise r.fail("links.implicit_threshold", "a number above 0 (0.35 by default)", threshold)
    window = r.integer(data, "window_days", "links.", LinksConfig.window_days, low=1)
    enough = r.integer(
        data, "min_statistics_items", "links.", LinksConfig.min_statistics_items, low=1
    )
    return LinksConfig(
        implicit=implicit,
        implicit_threshold=float(threshold),
        window_days=window,
        min_statistics_items=enough,
    )


def load_workspace(root: str | Path) -> Workspace:
    """Read and validate `<root>/silo.yml`. Raises ConfigError with a precise message."""
    root = Path(root).resolve()
    path = root / CONFIG_FILE
    if not path.is_file():
        raise ConfigError(f"{path}: not found (a workspace is a folder holding {CONFIG_FILE})")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    try:  # a repeated key is an error, not "the last wins"; dates stay text (named below)
        data = safeyaml.load(text, unique_keys=True, dates=False)
    except safeyaml.YamlError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    r = _Reader(path)
    data = r.mapping(data, "(top level)")
    r.unknown(
        data,
        "",
        {
            "workspace",
            "timezone",
            "start_date",
            "languages",
            "schedule",
            "sources",
            "nlp",
            "alerts",
            "allowed_paths",
            "links",
        },
    )
    # Configured paths must resolve inside the workspace, or inside one of these folders.
    r.allowed = tuple((root / p).resolve() for p in r.strings(data, "allowed_paths", ""))
    name = r.string(data, "workspace", "")
    if not valid_workspace_name(name):
        raise r.fail("workspace", "letters, digits, '-' or '_'", name)
    timezone = r.string(data, "timezone", "", "Europe/Paris")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise r.fail("timezone", "an IANA time zone such as 'Europe/Paris'", timezone) from exc
    start = data.get("start_date")
    if isinstance(start, str):
        try:
            start = date.fromisoformat(start)
        except ValueError:
            pass
    if not isinstance(start, date):
        raise r.fail("start_date", "a date YYYY-MM-DD", start)
    languages = r.strings(data, "languages", "") or ("fr", "en")
    for lang in languages:
        if lang not in ("fr", "en"):
            raise r.fail("languages", "a list drawn from ['fr', 'en']", lang)

    sources = r.mapping(data.get("sources"), "sources")
    r.unknown(sources, "sources", {"github", "jira", "notes", "directory"})
    for source, block in sources.items():
        if not block:  # `github: {}` would silently disable GitHub
            raise ConfigError(
                f"{path}: key 'sources.{source}': empty; configure it, or remove the key to "
                f"leave {source} out"
            )
    github = (
        _github(r, root, r.mapping(sources["github"], "sources.github"))
        if sources.get("github")
        else None
    )
    jira = (
        _jira(r, root, r.mapping(sources["jira"], "sources.jira")) if sources.get("jira") else None
    )
    notes = (
        _notes(r, root, r.mapping(sources["notes"], "sources.notes"))
        if sources.get("notes")
        else None
    )
    directory = None
    if sources.get("directory"):
        dd = r.mapping(sources["directory"], "sources.directory")
        r.unknown(dd, "sources.directory", {"file", "pseudonymise", "salt_env"})
        pseudo = dd.get("pseudonymise", False)
        if not isinstance(pseudo, bool):
            raise r.fail("sources.directory.pseudonymise", "true or false", pseudo)
        directory = DirectoryConfig(
            file=r.folder(root, dd, "file", "sources.directory."),
            pseudonymise=pseudo,
            salt_env=r.string(dd, "salt_env", "sources.directory.", DirectoryConfig.salt_env),
        )
        if directory.file is None:
            raise ConfigError(f"{path}: key 'sources.directory.file': required")

    nlp = r.mapping(data.get("nlp"), "nlp")
    r.unknown(nlp, "nlp", {"lexicons"})
    lexicons: dict[str, dict[str, list[str]]] = {}
    for lang, kinds in r.mapping(nlp.get("lexicons"), "nlp.lexicons").items():
        kinds = r.mapping(kinds, f"nlp.lexicons.{lang}")
        r.unknown(kinds, f"nlp.lexicons.{lang}", {"business", "tech"})
        lexicons[lang] = {k: list(r.strings(kinds, k, f"nlp.lexicons.{lang}.")) for k in kinds}

    alerts = _alerts(r, root, r.mapping(data.get("alerts"), "alerts"))
    hour, minute = _schedule_time(r, r.mapping(data.get("schedule"), "schedule"))
    return Workspace(
        root=root,
        name=name,
        timezone=timezone,
        start_date=start,
        languages=languages,
        github=github,
        jira=jira,
        notes=notes,
        directory=directory,
        lexicons=lexicons,
        alerts=alerts,
        schedule_hour=hour,
        schedule_minute=minute,
        links=_links(r, r.mapping(data.get("links"), "links")),
    )
