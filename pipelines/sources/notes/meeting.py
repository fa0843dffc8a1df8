"""Parse one minutes file into a `Meeting`: date, type, attendees and sections.

Where each field comes from, first source that has it:
- title: front matter `title`, an e-mail's subject, the document's heading (not a remark
  above it), the first short line, the .docx core title, the file name;
- date: front matter `date`, the file name, the title (a disagreement among these three is a
  warning in `Meeting.warnings`, never silently resolved); then a `Date :` line, the first
  date in the first 40 lines, a month alone (`October 2024`, `2021-05`: first day of the
  month), kept inside the month a file name gives;
- type: front matter `type`, then keywords in the title and file name (`meeting_types.yml`);
  a folder declared with a type in silo.yml overrides it when landing (`ingest.py`);
- attendees / absentees: front matter `attendees` / `absent`, else attendance sections
  (`## Présents`, `Attendees:` ...) and label lines (`Présents : A, B`), checklists
  (`- [x] Marie` present, `- [ ] Paul` absent) inside them;
- start: front matter `start` (or a time in `date`), else 09:00 in the workspace time zone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from pipelines.sources.notes import markup
from pipelines.sources.notes.attendance import clean_name, read_lines, split_names, unique
from pipelines.sources.notes.dates import find_date, find_month, find_partial_date, parse_time
from pipelines.sources.notes.text import DecodeError, decode, normalise, slugify
from pipelines.sources.notes.vocabulary import (
    ABSENT_LABELS,
    ATTENDEE_LABELS,
    MEETING_TYPES,
    attendance_label,
    language,
    meeting_type,
    section_kind,
)

MAX_BYTES = 5 * 1024 * 1024
# Budgets for inputs that expand (a zip bomb, 13 KB of .docx turning into 1.2 M characters):
MAX_DOCX_UNCOMPRESSED = 50 * 1024 * 1024  # bytes once unzipped, read from the zip directory
MAX_CHARS = 500_000  # characters of text, any format (the largest real minutes: ~40,000)
DEFAULT_START = time(9, 0)

_BULLET = re.compile(r"^\s*(?:[-*+•▪◦]|\d+[.)])\s+")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_FIRST_LINES = 40
_TITLE_LINES = 5  # a title heading sits among the first non-blank lines


class NotesParseError(ValueError):
    """A minutes file that cannot be parsed: names the file, the reason and the line."""

    def __init__(self, path: str | Path, reason: str, line: int | None = None):
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.line = line


@dataclass
class Section:
    section_id: str
    position: int
    heading: str
    heading_path: str
    level: int
    kind: str
    text: str
    line: int  # the heading's line (1 for the preamble)
    text_line: int  # the line of the first line of `text`


@dataclass
class Meeting:
    meeting_id: str
    file_path: str
    title: str
    date: date
    start_at: datetime  # UTC
    type: str
    language: str
    attendees: list[str]
    absentees: list[str]
    sections: list[Section]
    format: str = "markdown"
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)  # what the user should check
    default_repo: str | None = None  # the folder's `default_repo` (set when landing)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings."""
        data = asdict(self)
        data["date"] = self.date.isoformat()
        data["start_at"] = self.start_at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Meeting:
        data = dict(data)
        data["date"] = date.fromisoformat(data["date"])
        data["start_at"] = datetime.fromisoformat(data["start_at"])
        data["sections"] = [Section(**s) for s in data["sections"]]
        return cls(**data)


def meeting_id_for(key: str | Path) -> str:
    """`notes:` + slug of the file's key minus its extension (the contract's meeting id):
    the path relative to the notes folder (`sub/equipe.txt` -> `notes:sub-equipe`), so two
    files of the same name in two sub-folders keep two meetings."""
    key = PurePosixPath(Path(key).as_posix())
    return "notes:" + slugify(str(key.parent / key.stem), default="untitled")


def parse_file(
    path: str | Path, *, timezone: str = "Europe/Paris", root=None, key: str | None = None
) -> Meeting:
    """Parse one minutes file (.md, .txt, .rst, .docx). Raises NotesParseError.

    key: the file's name in the workspace (its path relative to the notes folder); default:
    relative to `root` when given, else the file name. It names the file in errors and
    gives the meeting id."""
    path = Path(path)
    if key is None:
        key = path.relative_to(root).as_posix() if root is not None else path.name
    shown = key
    suffix = path.suffix.lower()
    kind = markup.TEXT_SUFFIXES.get(suffix)
    if kind is None:
        hint = " (QMSum/AMI transcripts are not minutes)" if suffix == ".json" else ""
        raise NotesParseError(
            shown,
            f"unsupported file type '{suffix or '(none)'}'{hint}; "
            f"expected one of {sorted(markup.TEXT_SUFFIXES)}",
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise NotesParseError(shown, f"cannot read: {exc.strerror}") from exc
    if size > MAX_BYTES:
        raise NotesParseError(
            shown,
            f"file too large: {size / 1e6:.1f} MB > "
            f"{MAX_BYTES / 1e6:.1f} MB limit for one set of minutes",
        )
    if size == 0:
        raise NotesParseError(shown, "empty file")
    try:
        if kind == "docx":
            lines, core_title = markup.docx_lines(path, MAX_DOCX_UNCOMPRESSED, MAX_CHARS)
            front, encoding = None, "docx"
        else:
            text, encoding = decode(path.read_bytes())
            if len(text) > MAX_CHARS:
                raise markup.MarkupError(markup.too_many_characters(len(text), MAX_CHARS))
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            front, body, used = markup.split_front_matter(text)
            reader = {"markdown": markup.markdown_lines, "rst": markup.rst_lines,
                      "text": markup.text_lines}[kind]  # fmt: skip
            lines, core_title = reader(body, used + 1), None
    except (DecodeError, markup.MarkupError) as exc:
        raise NotesParseError(shown, exc.reason, exc.line) from exc
    if not any(line.text.strip() for line in lines) and not front:
        raise NotesParseError(shown, "empty file (only blank lines)")
    return _build(path, shown, kind, encoding, front or {}, lines, core_title, timezone)


def _build(path, shown, kind, encoding, front, lines, core_title, timezone) -> Meeting:
    mid = meeting_id_for(shown)
    sections = _sections(mid, lines)
    title = _title(front, lines, core_title, path)
    when, start, warnings = _date_and_start(shown, front, title, path, lines)
    attendees, absentees = _attendance(shown, front, lines)
    full_text = "\n".join(line.text for line in lines)
    fm_type = str(front.get("type") or "")
    mtype = meeting_type(fm_type) if fm_type else meeting_type(title, path.stem)
    if fm_type and mtype == "other" and normalise(fm_type) not in MEETING_TYPES:
        mtype = meeting_type(title, path.stem)
    start_at = datetime.combine(when, start, tzinfo=ZoneInfo(timezone)).astimezone(UTC)
    return Meeting(
        meeting_id=mid,
        file_path=shown,
        title=title,
        date=when,
        start_at=start_at,
        type=mtype,
        language=language(title + "\n" + full_text),
        attendees=attendees,
        absentees=absentees,
        sections=sections,
        format=kind,
        encoding=encoding,
        warnings=warnings,
    )


def _title(front: dict, lines: list[markup.Line], core_title: str | None, path: Path) -> str:
    """Front matter title; else an e-mail's subject; else the document's heading: the first
    line when it is a heading, else a top heading among the first lines that names no
    section (`(doc to move after the meeting)` then `# TSC Meeting 2016-03-17`: the
    heading); else a short first line that is not a label (`Compte rendu CODIR du 2 mars`);
    else the first heading, the core title, the file stem."""
    if isinstance(front.get("title"), str) and front["title"].strip():
        return front["title"].strip()
    subject = _email_subject(lines)
    if subject:
        return subject
    opening = [line for line in lines if _clean(line.text)][:_TITLE_LINES]
    real = [line for line in opening if line.is_heading and not line.pseudo]
    first = opening[0] if opening else None
    if first is not None and real and real[0] is first:
        return _clean(first.text)
    top = next((line for line in real if line.level == 1 and not section_kind(line.text)), None)
    if top is not None:
        return _clean(top.text)
    if (
        first is not None
        and not first.is_heading
        and len(_clean(first.text)) <= 120
        and not (re.match(r"^[^:]{1,30}:\s*\S", first.text) or _BULLET.match(first.text))
    ):
        return _clean(first.text)
    for line in lines:
        if line.is_heading and not line.pseudo:
            return _clean(line.text)
    return core_title or path.stem


_EMAIL_HEADER = re.compile(
    r"^\W*(de|from|envoye|sent|date|a|to|cc|objet|subject)\s*:\s*(.*)$", re.I
)
_REPLY_PREFIX = re.compile(r"^(?:(?:re|tr|fw|fwd|aw)\s*:\s*)+", re.I)


def _email_subject(lines: list[markup.Line]) -> str | None:
    """The subject of minutes pasted from an e-mail (`Objet : CR CODIR du 3 avril` among
    `De :` / `Envoyé :` / `À :` headers in the first lines), minus `RE:` / `TR:` prefixes."""
    headers = {}
    for line in [line for line in lines if line.text.strip()][:8]:
        m = _EMAIL_HEADER.match(normalise(line.text))
        if m:
            headers.setdefault(m[1], line.text.split(":", 1)[1].strip())
    subject = headers.get("objet") or headers.get("subject")
    if subject and len(headers) >= 2:
        return _REPLY_PREFIX.sub("", subject).strip() or None
    return None


def _date_and_start(shown, front, title, path, lines) -> tuple[date, time, list[str]]:
    """(date, start time, warnings). The date is the front matter's, else the file name's,
    else the title's; when two of them disagree the first wins and a warning says so.
    Without any of the three, the fallbacks of the module docstring, kept inside the month
    the file name gives (`2021-03-update.md`) when it gives one."""
    start = parse_time(front.get("start")) if "start" in front else None
    if "start" in front and start is None:
        raise NotesParseError(shown, f"front matter 'start' is not a time: {front['start']!r}", 1)
    head = [line.text for line in lines[:_FIRST_LINES]]
    start = start or _time_label(head)
    raw = front.get("date")
    stem = path.stem.replace("_", "-")
    written = {  # the full date each of the three places gives, in order of authority
        "front matter": _front_date(shown, raw),
        "file name": find_date(stem, compact=True),
        "title": find_date(title),
    }
    month = find_month(stem) if written["file name"] is None else None
    outside = month is not None and written["title"] is not None
    outside = outside and written["title"].replace(day=1) != month
    chosen = written["front matter"] or written["file name"]
    chosen = chosen or (None if outside else written["title"])
    chosen = chosen or _fallback_date(title, head, path, month)
    if chosen is None:
        raise NotesParseError(
            shown,
            "no meeting date found (front matter 'date', file name, title "
            f"or the first {_FIRST_LINES} lines)",
        )
    if isinstance(raw, datetime):
        start = start if "start" in front else raw.time()
    elif isinstance(raw, str):
        start = start if "start" in front else parse_time_in(raw) or start
    said = {k: d.isoformat() for k, d in written.items() if d}  # in order of authority
    if month is not None:
        said = {
            k: said.get(k) or month.isoformat()[:7]
            for k in written
            if k in said or k == "file name"
        }
    warnings = []
    if len({d for d in said.values() if len(d) == 10}) > 1 or outside:
        parts = ", ".join(f"the {k} says {d}" for k, d in said.items())
        warnings.append(
            f"dates disagree: {parts}; {chosen.isoformat()} used (front matter, then file "
            "name, then title): correct the one that is wrong"
        )
    return chosen, start or DEFAULT_START, warnings


def _front_date(shown: str, raw) -> date | None:
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    found = find_date(str(raw))
    if found is None:
        raise NotesParseError(shown, f"front matter 'date' is not a date: {raw!r}", 2)
    return found


def _fallback_date(title: str, head: list[str], path: Path, month: date | None) -> date | None:
    """No full date in front matter, file name or title: a day and month in the title, a
    `Date :` line, the first date of the first lines, a month alone. When the file name
    gives a month, only a date inside it counts, else that month's first day."""

    def fits(found: date | None) -> bool:
        return found is not None and (month is None or found.replace(day=1) == month)

    labelled = [t for t in head if re.match(r"^\W*(date|le|when|quand)\b", normalise(t))]

    def candidates():
        yield _partial_date(title, labelled + head, path)
        yield from (find_date(t) for t in labelled + head)
        yield from (find_month(t) for t in [title, path.stem, *head])
        yield from (_partial_date(t, head, path) for t in labelled)

    found = next((d for d in candidates() if fits(d)), None)
    return found or month


def _partial_date(text: str, context: list[str], path: Path) -> date | None:
    """A day and month without a year in `text` (`CR CODIR du 3 avril`, `Mardi 3 mars`):
    the year is the one of the first full date in `context` (an e-mail's `Envoyé :` line, a
    `Date :` line) or of a month alone; else a written weekday picks it; else the year the
    file was last modified."""
    texts = [text, path.stem.replace("_", "-"), *context]
    full = next((d for t in texts if (d := find_date(t) or find_month(t))), None)
    try:
        reference = datetime.fromtimestamp(path.stat().st_mtime).year
    except OSError:
        reference = date.today().year
    return find_partial_date(text, year=full.year if full else None, reference_year=reference)


def parse_time_in(text: str) -> time | None:
    """A time written after a date (`2026-03-02 14:00`), not the date's own digits."""
    m = re.search(
        r"(?:\d{4}-\d\d?-\d\d?|\d\d?[/.]\d\d?[/.]\d{2,4}|\d{4}|\d{1,2}\s+\w+\s+\d{4})"
        r"[ T,à@]+(\d{1,2}\s*[:h]\s*\d{0,2})",
        text,
    )
    return parse_time(m[1]) if m else None


def _time_label(head: list[str]) -> time | None:
    for text in head:
        m = re.match(r"^\W*(?:heure|horaire|debut|start|time)\W*\s*[:\-]\s*(.+)$", normalise(text))
        if m:
            return parse_time(m[1])
    return None


def _clean(text: str, *, keep_links: bool = False) -> str:
    """Strip Markdown decoration from a line: bullets, emphasis, code ticks, and links down
    to their label unless `keep_links` (a heading path keeps `[#23](https://...)` whole, so
    the reference its target names is found in it)."""
    text = _BULLET.sub("", text)
    text = text if keep_links else _LINK.sub(r"\1", text)
    return text.replace("**", "").replace("__", "").replace("`", "").strip()


def _front_names(shown: str, front: dict, key: str) -> list[str] | None:
    value = front.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return split_names(value) if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [clean_name(str(v)) for v in value if clean_name(str(v))]
    raise NotesParseError(shown, f"front matter '{key}' must be a list of names or a string", 1)


def _first_of(shown: str, front: dict, keys: tuple[str, ...]) -> list[str] | None:
    for key in keys:
        names = _front_names(shown, front, key)
        if names is not None:
            return names
    return None


def _attendance(shown, front, lines) -> tuple[list[str], list[str]]:
    """Front matter lists win; else what the lines say (see `attendance.read_lines`)."""
    # other keys naming an attendance list ("excusés", "regrets", "invités"), when they hold names
    keys = [(k, normalise(str(k)).replace("_", " ")) for k, v in front.items()
            if isinstance(v, str | list)]  # fmt: skip
    present = _first_of(shown, front, ("attendees", "participants", "present", "presents")
                        + tuple(k for k, n in keys if n in ATTENDEE_LABELS))  # fmt: skip
    absent = _first_of(shown, front, ("absent", "absentees", "absents", "excused", "apologies")
                       + tuple(k for k, n in keys if n in ABSENT_LABELS))  # fmt: skip
    if present is None or absent is None:
        from_lines = read_lines(lines)
        present = from_lines[0] if present is None else present
        absent = from_lines[1] if absent is None else absent
    return unique(present), unique(absent)


def _sections(mid: str, lines: list[markup.Line]) -> list[Section]:
    counts: Counter[str] = Counter()
    out: list[Section] = []
    # Line numbers hold only for text formats and where the text is not reflowed (tables).
    stack: list[tuple[int, str, str | None]] = []  # (level, heading, kind)
    body: list[tuple[int, str]] = []  # (line number, text)
    current: dict[str, Any] | None = None

    def close() -> None:
        while body and not body[0][1].strip():
            body.pop(0)
        text = "\n".join(t for _, t in body).rstrip()
        first = body[0][0] if body else None
        if current is None:
            if not text.strip():
                return
            kind = "attendance" if any(attendance_label(t) for _, t in body) else "notes"
            out.append(Section(f"{mid}#preamble-1", 0, "", "", 0, kind, text, first, first))
            return
        out.append(Section(text=text, text_line=first or current["line"], **current))

    for line in lines:
        if not line.is_heading:
            body.append((line.number, line.text))
            continue
        close()
        body = []
        heading = _clean(line.text)
        while stack and stack[-1][0] >= line.level:
            stack.pop()
        inherited = next((k for _, _, k in reversed(stack) if k), None)
        kind = section_kind(heading) or inherited or "notes"
        stack.append((line.level, _clean(line.text, keep_links=True), section_kind(heading)))
        slug = slugify(heading)
        counts[slug] += 1
        current = {
            "section_id": f"{mid}#{slug}-{counts[slug]}",
            "position": len(out),
            "heading": heading,
            "heading_path": " > ".join(h for _, h, _ in stack),
            "level": line.level,
            "kind": kind,
            "line": line.number,
        }
    close()
    for position, section in enumerate(out):
        section.position = position
    return out
