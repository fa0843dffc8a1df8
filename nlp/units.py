"""Cut one minutes document into the units the labelling guide defines (../shared/LABELLING.md).

Pure Python: no spaCy, no Dagster, no pandas. `segment(text)` returns `Unit`s in file order.

Rules, one per line:
- Front matter (a `---` ... `---` YAML block at the top) is skipped.
- Code fences (``` or ~~~) and HTML comments are skipped with everything inside them.
- A heading (`#`..`######`, or a line underlined with `===`/`---`) is a unit of its own.
- A heading opens a level of the heading path; a unit carries the path above it, nearest last.
- A bullet (`-`, `*`, `+`, `•`) is a unit, with its continuation lines (indented or wrapped).
- A numbered point (`1.`, `1)`, `1 –`) is a unit, with its continuation lines.
- A table row is a unit, cells joined by " | "; header and separator rows are skipped.
- A paragraph is a unit: consecutive text lines are joined when they look hard-wrapped.
- Lines are joined when the previous one stays open (no final . ! ? :) and the next starts in
  lower case; when the previous ends on , ; - & or leaves a ( [ * « open; or, in a
  hard-wrapped document (lines of 60-100 characters, almost none longer), when the previous
  is a 60-100 character line.
- A line starting with "Name:" / "Label:" always starts a new unit.
- A blank line, a heading, a rule (`---`, `***`) or a table ends the current unit.
- A vote block (2+ count lines like "pour : 6", "+ contre 0", "Yes: 9") is one unit with its
  motion: the unit ending at most two lines above the counts (two units when the nearer one
  is a short "Vote à main levée :" introduction). A heading is never taken as the motion.
- A single line with two counts or more ("pour 23 / contre 0 / abstention 8") is a vote unit.
- Text is whitespace-normalised; bullets, numbers, `#`, `>`, emphasis, code ticks and
  images are removed; links keep their text; `<url>` keeps the url.
- A unit with no letter or digit left (an image, `****`) is dropped.
- `speaker` is the name before a leading ":" when it is person-like: a name listed among the
  present, bold (`**Mara**:`) or with a role ("Rod (TSC):"), used as a prefix twice, a
  one-word bullet owner ("- Guillaume : relancer ..."), or a lower-case prefix used three
  times and written capitalised elsewhere ("bram:"); never a word like Decision, Note,
  Action, Link, Agenda.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.text import load_text_words


@dataclass(frozen=True)
class Unit:
    line: int
    end_line: int
    text: str
    kind: str
    heading: tuple[str, ...]
    speaker: str | None


# ---- markup -----------------------------------------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~)")
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_BULLET = re.compile(r"^(\s*)[-*+•]\s+(.*)$")
_NUMBERED = re.compile(r"^(\s*)(?:\d{1,3}[.)]|\d{1,2}\s+[–-])\s+(.*)$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|?\s*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_QUOTE = re.compile(r"^\s*(>\s?)+")

_VOTE_WORD = (
    r"(?:pour|contre|oui|non|yes|no|against|abstentions?|abstain(?:s|ed)?|"
    r"blancs?|nuls?|pas\s+ok|ok)"
)
_COUNT_LINE = re.compile(
    rf"^[+*-]?\s*{_VOTE_WORD}\b[^:\d]{{0,30}}[:=]?\s*\d+\s*(\([^)]*\))?\s*[.,;]?\s*$", re.I
)
_COUNT_FREE = re.compile(r"^[+*-]?\s*.{1,40}?\s:\s*\d+\s*(\([^)]*\))?\s*$")
_INLINE_COUNT = re.compile(
    rf"(?:\b{_VOTE_WORD}\s*[:=]?\s*\d+\b|\b\d+\s+(?:voix\s+)?{_VOTE_WORD}\b)", re.I
)
_AGAINST = ("contre", "against", "abst", "non", "no", "blanc")
_VOTE_INTRO = re.compile(r"\bvot(e|es|é|ons|ing)\b", re.I)

# A "Label:" start that never continues the line above: up to four words, then a colon.
_LABEL_START = re.compile(r"^(\*\*)?[@A-ZÀ-Ý][\w'’.@&/, -]{0,40}?(\*\*)?\s*(\([^)]*\))?\s*:(\s|$)")
_SPEAKER = re.compile(
    r"^(?P<b1>\*\*|__)?(?P<name>[@\w][\w'’.@&/, -]{0,60}?)\s*(?P<b2>\*\*|__)?"
    r"\s*(?P<paren>\([^)]*\))?\s*(?P<b3>\*\*|__)?:(?!//)"
)
_PRESENCE = re.compile(
    r"^\W*(présents?|presents?|présences?|attendees|attendance|participants?|"
    r"étaient présents|membres présents)\b",
    re.I,
)
# Prefix words that are never a person ("Decision: ...", "Goal: ...", "deps: ..."), of either
# language (minutes mix them): data, `not_people` in nlp/lexicons/<lang>/text.json.
_NOT_PEOPLE = frozenset().union(*(words["not_people"] for words in load_text_words().values()))


# (pattern, replacement) applied in order by `clean`; each needs one of `_MARKUP`'s characters
_CLEANING = [
    (re.compile(p), r)
    for p, r in (
        (r"<!--.*?-->", " "),
        (r"!\[[^\]]*\]\((?:[^()]|\([^()]*\))*\)", " "),  # images
        (r"\[[a-z-]+ [a-z]+=\"[^\]]*\]", " "),  # [pdf-embedder url="..."] shortcodes
        (r"\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)", r"\1"),  # links
        (r"\[([^\]]+)\]\[[^\]]*\]", r"\1"),  # reference links
        (r"<((?:https?|mailto):[^>\s]+)>", r"\1"),  # autolinks
        (r"</?[a-zA-Z][^>]*>", " "),  # html tags
        (r"\*{3,}|_{3,}", " "),
        (r"(?<!\w)__|__(?!\w)|\*\*|~~|`", ""),
        (r"(?<![\w*\\])([*_])(?=\S)(.+?)(?<=[^\s\\])\1(?![\w*])", r"\2"),
        (r"\\([\\`*_{}\[\]()#+\-.!|>~])", r"\1"),
    )
]
_MARKUP = re.compile(r"[<!\[*_~`\\]")


def clean(text: str) -> str:
    """Markdown inline markup off, links as their text, whitespace normalised."""
    s = text
    if _MARKUP.search(s):  # most units have no markup: only the whitespace to normalise
        for pattern, replacement in _CLEANING:
            s = pattern.sub(replacement, s)
    return " ".join(s.split())


def _has_text(s: str) -> bool:
    return any(c.isalnum() for c in s)


# ---- raw items --------------------------------------------------------------------------


@dataclass
class _Item:
    kind: str
    first: int  # 0-based line index
    last: int
    parts: list[str]
    indent: int = 0
    level: int = 0  # heading level
    counts: bool = False  # a vote count line ("pour : 6")


def _front_matter_end(lines: list[str]) -> int:
    if lines and lines[0].strip() in ("---", "+++"):
        fence = lines[0].strip()
        for i in range(1, len(lines)):
            if lines[i].strip() in (fence, "..."):
                return i + 1
    return 0


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _is_count(content: str) -> tuple[bool, bool]:
    """(is a count line, is one with a vote word)."""
    c = content.strip()
    if _COUNT_LINE.match(c):
        return True, True
    return bool(_COUNT_FREE.match(c)), False


def _joins(prev: str, line: str, wrapped_doc: bool) -> bool:
    """Does `line` continue the prose line `prev` (a hard-wrapped paragraph)?"""
    p, n = prev.rstrip(), line.strip()
    if not p or _LABEL_START.match(n) or p.endswith(":"):
        return False
    open_end = not p.endswith((".", "!", "?", "…", ")", "»", '"'))
    unbalanced = p.count("(") > p.count(")") or p.count("[") > p.count("]")
    if unbalanced or p.count("*") % 2 or p.count("«") > p.count("»"):
        return True  # an open bracket, emphasis or quote carries on
    if p.endswith((",", ";", " -", " –", "&")):
        return True
    if open_end and (n[0].islower() or n[0] in "([«\"'`"):
        return True
    return wrapped_doc and 60 <= len(p) <= 100


def _raw_items(lines: list[str]) -> list[_Item]:
    start = _front_matter_end(lines)
    body = lines[start:]
    long_lines = [x for x in body if len(x.strip()) > 100]
    mid_lines = [x for x in body if 60 <= len(x.strip()) <= 100]
    wrapped_doc = len(mid_lines) >= 5 and len(long_lines) <= len(mid_lines) / 8

    items: list[_Item] = []
    cur: _Item | None = None
    in_fence = in_comment = False
    for i in range(start, len(lines)):
        raw = lines[i]
        line = raw.rstrip()
        if in_fence:
            in_fence = not _FENCE.match(line)
            continue
        if in_comment:
            in_comment = "-->" not in line
            continue
        if _FENCE.match(line):
            in_fence, cur = True, None
            continue
        if line.lstrip().startswith("<!--") and "-->" not in line:
            in_comment, cur = True, None
            continue
        if not line.strip() or (line.lstrip().startswith("<!--") and line.rstrip().endswith("-->")):
            cur = None
            continue
        ind = _indent(line)
        m = _SETEXT.match(line)
        if m and cur is not None and cur.kind == "paragraph" and len(cur.parts) == 1:
            cur.kind, cur.level, cur.last = "heading", 1 if m.group(1)[0] == "=" else 2, i
            cur = None
            continue
        if _RULE.match(line):
            cur = None
            continue
        m = _ATX.match(line)
        if m:
            items.append(_Item("heading", i, i, [m.group(2) or ""], level=len(m.group(1))))
            cur = None
            continue
        if _TABLE_SEP.match(line) and "|" in line:
            if items and items[-1].kind == "table_row" and items[-1].last == i - 1:
                items.pop()  # the header row
            cur = None
            continue
        if _TABLE_ROW.match(line) and line.count("|") >= 2:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            items.append(_Item("table_row", i, i, [" | ".join(c for c in cells if c)]))
            cur = None
            continue
        content = _QUOTE.sub("", line).strip()
        mb, mn = _BULLET.match(line), _NUMBERED.match(line)
        marker = mb or mn
        if marker:
            content = marker.group(2).strip()
        if not content:
            cur = None if not marker else cur
            continue
        counts, _ = _is_count(content)
        if marker:
            cur = _Item("bullet" if mb else "numbered", i, i, [content], ind, counts=counts)
            items.append(cur)
        elif counts:
            cur = _Item("paragraph", i, i, [content], ind, counts=True)
            items.append(cur)
            cur = None  # a count line takes no continuation
        elif (
            cur is not None
            and not cur.counts
            and (
                (cur.kind in ("bullet", "numbered") and ind > cur.indent)
                or _joins(cur.parts[-1], content, wrapped_doc)
            )
        ):
            cur.parts.append(content)
            cur.last = i
        else:
            cur = _Item("paragraph", i, i, [content], ind)
            items.append(cur)
    return items


def _inline_vote(text: str) -> bool:
    """Two counts or more on one line, one of them against or abstaining."""
    words = {re.search(_VOTE_WORD, m, re.I).group(0).lower() for m in _INLINE_COUNT.findall(text)}
    return len(words) >= 2 and any(w.startswith(_AGAINST) for w in words)


def _merge_votes(items: list[_Item]) -> list[_Item]:
    """Count runs become one vote item with the motion just above them."""
    out: list[_Item] = []
    i = 0
    while i < len(items):
        j = i
        while (
            j < len(items)
            and items[j].counts
            and (j == i or items[j].first - items[j - 1].last <= 2)
        ):
            j += 1
        run = items[i:j]
        if len(run) >= 2 and any(_is_count(it.parts[0])[1] for it in run):
            vote = _Item("vote", run[0].first, run[-1].last, [p for it in run for p in it.parts])
            for _ in range(2):  # the motion, and the motion above a short "Vote :" intro
                if not out or out[-1].kind in ("heading", "table_row", "vote"):
                    break
                above = out[-1]
                if vote.first - above.last > 2:
                    break
                out.pop()
                vote = _Item("vote", above.first, vote.last, above.parts + vote.parts)
                intro = " ".join(above.parts)
                if not (_VOTE_INTRO.search(intro) and len(intro) <= 40):
                    break
            out.append(vote)
            i = j
            continue
        it = items[i]
        if it.kind == "paragraph" and _inline_vote(" ".join(it.parts)):
            it.kind = "vote"
        it.counts = False
        out.append(it)
        i += 1
    return out


# ---- speakers ---------------------------------------------------------------------------


def _people(lines: list[str]) -> set[str]:
    """Lower-cased words of the presence lines ("Présents : ...") and of the list under them."""
    names: set[str] = set()
    for idx, line in enumerate(lines):
        s = line.strip().lstrip("#").strip()
        if not _PRESENCE.match(s):
            continue
        block = [_PRESENCE.sub("", s)]
        if not _has_text(block[0]):
            for nxt in lines[idx + 1 : idx + 60]:
                t = nxt.strip()
                if t.startswith("#") or (not t and len(block) > 1):
                    break
                block.append(t)
        for b in block:
            names.update(w.lower() for w in re.findall(r"@?[^\W\d_][\w'’-]*", clean(b)))
    return names


_ROLES = {"chat", "observer", "guest", "invité", "invitée", "visio", "remote", "chair"}
_LIST_SEP = r"\s*(?:/|,|&|\bet\b|\band\b)\s*"


def _name_words(name: str) -> list[str] | None:
    words = [w for w in re.split(r"\s*(?:/|,|&|\bet\b|\band\b)\s*|\s+", name) if w]
    if not words or len(words) > 6:
        return None
    if not all(re.fullmatch(r"@?[^\W\d_][\w'’.-]*", w) for w in words):
        return None
    return words


_BULLET_MARK = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])?\s*")
_RUNNING_CAPITAL = re.compile(r"(?<=[\w,;)] )([A-ZÀ-Ý][\w'’-]+)")


class _Speakers:
    def __init__(self, lines: list[str]):
        self.present = _people(lines)
        self.prefix_count: dict[str, int] = {}
        running: set[str] = set()
        for line in lines:
            m = _SPEAKER.match(_BULLET_MARK.sub("", line, count=1))
            if m:
                key = m.group("name").strip().lower()
                self.prefix_count[key] = self.prefix_count.get(key, 0) + 1
            # capitalised words met after the first word of a line, outside a prefix
            for w in _RUNNING_CAPITAL.findall(clean(line)):
                running.add(w.lower())
        self.running = running

    def find(self, content: str, bullet: bool = False) -> str | None:
        m = _SPEAKER.match(content)
        if not m:
            return None
        name = m.group("name").strip()
        words = _name_words(name)
        if not words or name.lower() in _NOT_PEOPLE or words[0].lower() in _NOT_PEOPLE:
            return None
        lowered = [w.lower().lstrip("@") for w in words]
        if any(w in _NOT_PEOPLE for w in lowered):
            return None
        single = len(re.split(_LIST_SEP, name)) == 1
        if single and len(words) > 3:
            return None
        capitalised = all(w.lstrip("@")[0].isupper() for w in words)
        simple = all(" " not in part.strip() for part in re.split(_LIST_SEP, name))
        plain = len(words) <= 3 and not any(c.isdigit() or c == "." for c in name)
        said = _has_text(content[m.end() :])
        present = [w in self.present for w in lowered]
        acronym = any(w.isupper() and len(w) > 1 for w in words)
        if not said or not plain or (acronym and not all(present)):
            return None
        if all(present) or (present[0] and capitalised):
            return name
        paren = (m.group("paren") or "()")[1:-1].strip()
        role = paren.isupper() or paren.lower() in _ROLES
        if capitalised and len(words) <= 2 and (m.group("b1") or (paren and role)):
            return name  # "**Mara**:", "Rod Vagg (TSC):"
        rest = content[m.end() :].strip(" *_")
        if bullet and len(words) == 1 and capitalised and rest[:1].islower():
            return name  # "- Guillaume : relancer Lucien": an owner bullet
        if self.prefix_count.get(name.lower(), 0) >= 2 and (capitalised or words[0][0] == "@"):
            return name
        if (
            simple
            and self.prefix_count.get(name.lower(), 0) >= 3
            and all(w in self.running for w in lowered)
        ):
            return name  # "bram:" as an owner prefix all along, "Bram" in the text
        return None


# ---- units ------------------------------------------------------------------------------


def segment(text: str) -> list[Unit]:
    """Split one minutes document into labelling units (see the module docstring)."""
    lines = text.splitlines()
    speakers = _Speakers(lines)
    path: list[tuple[int, str]] = []
    units: list[Unit] = []
    for item in _merge_votes(_raw_items(lines)):
        unit_text = clean(" ".join(item.parts))
        if item.kind == "heading":
            while path and path[-1][0] >= item.level:
                path.pop()
            parents = tuple(t for _, t in path)
            if _has_text(unit_text):
                path.append((item.level, unit_text))
        else:
            parents = tuple(t for _, t in path)
        if not _has_text(unit_text):
            continue
        units.append(
            Unit(
                line=item.first + 1,
                end_line=item.last + 1,
                text=unit_text,
                kind=item.kind,
                heading=parents,
                speaker=speakers.find(item.parts[0], item.kind == "bullet"),
            )
        )
    return units
