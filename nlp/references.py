"""Find references to work items in free text: Jira keys, GitHub refs and URLs.

Pure regular expressions, no spaCy, so it runs on every document at full speed.

Each mention becomes a `Reference` with the item id used everywhere else in the project
(see `pipelines/sources/README.md`): `jira:ABC-123` and `github:owner/repo#123`.

| ref_type       | written as                                  | item_id                     |
|----------------|---------------------------------------------|-----------------------------|
| `jira_key`     | `ABC-123`                                   | `jira:ABC-123`              |
| `github_full`  | `owner/repo#123`                            | `github:owner/repo#123`     |
| `github_short` | `#123`, `GH-123` | `github:<default_repo>#123` or None |
| `url`          | `https://github.com/o/r/issues/12`, `.../pull/12` | `github:o/r#12`       |
|                | `<jira base url>/browse/ABC-12`             | `jira:ABC-12`               |
|                | any other URL                               | None (kept raw)             |

Rules worth knowing:
- Text inside a URL is never matched again as a key or a `#` ref.
- A `#123` that is the label of a Markdown link to a GitHub item (`[#123](https://github.com/
  o/r/pull/123)`) is not reported twice: the URL row carries it.
- Upper-case prefixes that are standards, not Jira projects (UTF-8, ISO-8601, SHA-256,
  CVE-2024-1, COVID-19, PEP-8, ...) are ignored; pass `jira_projects` to accept only known
  project keys.
- Owner and repository names keep the case they were written in; GitHub treats them
  case-insensitively, so compare ids case-insensitively downstream.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

# Upper-case prefixes of the form WORD-123 that are standards or products, not Jira projects.
NOT_JIRA_PROJECTS = frozenset(
    """UTF ISO SHA MD CVE CWE COVID RFC PEP ECMA IEEE AES RSA DES HTTP TLS SSL IPV GPL LGPL
    AGPL MPL BSD CC WCAG ES PY EN FR NF GDPR RGPD TCP UDP HTML CSS X Y Z V A B C
    MP H VP Q T S P N W FY PR GH CP""".split()
)

_URL = re.compile(r"""https?://[^\s<>()\[\]{}"'`|\\^]+""", re.IGNORECASE)
_URL_TRAILING = ".,;:!?*_~'\""
_GITHUB_FULL = re.compile(
    r"(?<![\w/.-])(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/"
    r"(?P<repo>[A-Za-z0-9._-]{1,100})#(?P<number>\d{1,9})\b"
)
_GITHUB_SHORT = re.compile(r"(?<![\w&#/])(?:#|GH-)(?P<number>\d{1,9})\b")
_JIRA_KEY = re.compile(
    r"(?<![\w.-])(?P<key>(?P<project>[A-Z][A-Z0-9_]{0,9})-(?P<number>\d{1,7}))\b"
)
_GITHUB_ITEM_PATH = re.compile(
    r"^/(?:repos/)?(?P<owner>[^/]+)/(?P<repo>[^/]+)/(?:issues|pull|pulls)/(?P<number>\d+)(?:/|$)"
)
_JIRA_BROWSE_PATH = re.compile(r"/browse/(?P<key>[A-Z][A-Z0-9_]{0,9}-\d+)(?:[/?#]|$)")
_MARKDOWN_LINK_BEFORE = re.compile(r"\[(?P<label>[^\[\]\n]{1,100})\]\(\s*<?$")
GITHUB_HOSTS = frozenset({"github.com", "www.github.com", "api.github.com"})


@dataclass(frozen=True)
class Reference:
    """One mention of a work item (or of any URL) in a text."""

    ref_type: str  # jira_key, github_short, github_full or url
    raw: str  # the text as written
    item_id: str | None  # contract id, None when it cannot be resolved
    start_char: int
    end_char: int


def github_item_id(repo: str, number: int | str) -> str:
    """`github:owner/repo#N` as in the source contract."""
    return f"github:{repo}#{int(number)}"


def jira_item_id(key: str) -> str:
    """`jira:ABC-123` as in the source contract."""
    return f"jira:{key}"


def _clean_url(raw: str) -> str:
    """Drop punctuation that ends a sentence or Markdown emphasis, not the URL."""
    return raw.rstrip(_URL_TRAILING)


def _normalise_base(url: str) -> tuple[str, str]:
    """(host, path prefix) of a Jira base URL, lower-cased host, no trailing slash."""
    parts = urlsplit(url.strip())
    return parts.netloc.lower(), parts.path.rstrip("/")


def resolve_url(url: str, jira_base_urls: Iterable[str] = ()) -> str | None:
    """The item id a URL points to, or None when it is not an issue, PR or Jira issue page."""
    parts = urlsplit(url)
    host = parts.netloc.lower()
    if host in GITHUB_HOSTS:
        match = _GITHUB_ITEM_PATH.match(parts.path)
        if match:
            repo = f"{match['owner']}/{match['repo']}"
            return github_item_id(repo, match["number"])
        return None
    for base in jira_base_urls:
        base_host, base_path = _normalise_base(base)
        if host == base_host and parts.path.startswith(base_path + "/browse/"):
            match = _JIRA_BROWSE_PATH.search(parts.path[len(base_path) :])
            if match:
                return jira_item_id(match["key"])
    return None


def find_references(
    text: str,
    *,
    default_repo: str | None = None,
    jira_base_urls: Iterable[str] = (),
    jira_projects: Iterable[str] | None = None,
) -> list[Reference]:
    """All references in `text`, ordered by position.

    default_repo: `owner/repo` that a bare `#123` belongs to (None: kept unresolved).
    jira_base_urls: Jira site URLs whose `/browse/KEY` links resolve to `jira:KEY`.
    jira_projects: when given, only keys of these projects count as Jira keys (and the
        built-in list of standards is not needed).
    """
    if not text:
        return []
    bases = [b for b in jira_base_urls if b]
    projects = None if jira_projects is None else {p.upper() for p in jira_projects}
    found: list[Reference] = []
    taken: list[tuple[int, int]] = []  # spans already claimed, never matched again

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    linked_labels: set[tuple[int, int]] = set()
    for match in _URL.finditer(text):
        raw = _clean_url(match.group(0))
        start, end = match.start(), match.start() + len(raw)
        item_id = resolve_url(raw, bases)
        found.append(Reference("url", raw, item_id, start, end))
        taken.append((start, end))
        if item_id and item_id.startswith("github:"):
            label = _markdown_label_before(text, start)
            if (
                label
                and re.fullmatch(r"#\d+", text[label[0] : label[1]])
                and item_id.endswith(text[label[0] : label[1]])
            ):
                linked_labels.add(label)

    for match in _GITHUB_FULL.finditer(text):
        if not free(match.start(), match.end()):
            continue
        repo = f"{match['owner']}/{match['repo']}"
        found.append(
            Reference(
                "github_full",
                match.group(0),
                github_item_id(repo, match["number"]),
                match.start(),
                match.end(),
            )
        )
        taken.append((match.start(), match.end()))

    for match in _GITHUB_SHORT.finditer(text):
        span = (match.start(), match.end())
        if span in linked_labels or not free(*span):
            continue
        item_id = github_item_id(default_repo, match["number"]) if default_repo else None
        found.append(Reference("github_short", match.group(0), item_id, *span))
        taken.append(span)

    for match in _JIRA_KEY.finditer(text):
        project = match["project"]
        if projects is not None:
            if project not in projects:
                continue
        elif project in NOT_JIRA_PROJECTS or len(project) < 2:
            continue
        if not free(match.start(), match.end()):
            continue
        found.append(
            Reference(
                "jira_key", match["key"], jira_item_id(match["key"]), match.start(), match.end()
            )
        )
        taken.append((match.start(), match.end()))

    found.sort(key=lambda ref: ref.start_char)
    return found


def _markdown_label_before(text: str, url_start: int) -> tuple[int, int] | None:
    """Span of `label` when the URL at url_start is the target of `[label](url)`."""
    head_start = max(0, url_start - 120)
    match = _MARKDOWN_LINK_BEFORE.search(text, head_start, url_start)
    if not match:
        return None
    return match.start("label"), match.end("label")
