"""Land the notes folder as a snapshot: `raw/notes/{meetings,sections}/current.parquet`.

State lives under `<workspace>/state/notes/`:
- `files.json`: what each file looked like at the last run (hash, mtime, meeting id,
  deleted or not), so a deleted file stays as a row with `is_deleted = true`;
- `cache/<sha256>.json`: the parsed meeting for that content, so an unchanged file is never
  parsed twice (an edited file has a new hash and is parsed again, same meeting id).
A file that cannot be parsed goes to `raw/notes/quarantine/current.parquet` with its reason
and line; when an earlier version of it parsed, that version stays landed (nothing is lost).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipelines.atomic import write_json
from pipelines.landing import Quarantine, write_partition
from pipelines.sources.notes.meeting import Meeting, NotesParseError, meeting_id_for, parse_file

SOURCE = "notes"
PARTITION = "current"
PARSER_VERSION = 6  # bump when parsing changes, so cached meetings are parsed again
TS = pa.timestamp("us", tz="UTC")

ENTITIES: dict[str, pa.Schema] = {
    "meetings": pa.schema([
        ("meeting_id", pa.string()), ("file_path", pa.string()), ("file_hash", pa.string()),
        ("title", pa.string()), ("meeting_date", pa.date32()), ("meeting_start_at", TS),
        ("meeting_type", pa.string()), ("language", pa.string()), ("attendees", pa.string()),
        ("absentees", pa.string()), ("is_deleted", pa.bool_()), ("parsed_at", TS),
        ("ingested_at", TS),
    ]),
    "sections": pa.schema([
        ("section_id", pa.string()), ("meeting_id", pa.string()), ("position", pa.int64()),
        ("heading_path", pa.string()), ("kind", pa.string()), ("text", pa.string()),
        ("parsed_at", TS), ("ingested_at", TS),
    ]),
}  # fmt: skip


@dataclass(frozen=True)
class FileState:
    """One file of the notes folder: path relative to the folder, content hash, mtime."""

    path: str
    hash: str
    mtime: float


@dataclass
class SyncResult:
    """What one run did: rows landed per entity, and how much work it took."""

    counts: dict[str, int]
    parsed: list[str] = field(default_factory=list)  # files parsed this run (cache misses)
    reused: list[str] = field(default_factory=list)  # files served from the cache
    deleted: list[str] = field(default_factory=list)  # files gone since an earlier run
    quarantined: list[str] = field(default_factory=list)


def _is_candidate(rel: Path) -> bool:
    """Hidden files and folders, and Office lock files (`~$name.docx`), are not minutes."""
    return not any(part.startswith((".", "~$")) for part in rel.parts)


OUTSIDE = "symbolic link leading outside the notes folder: not read"


def _walk(folder: Path) -> Iterator[tuple[str, Path, str | None]]:
    """(path relative to the folder, path, None) for every candidate file, and (relative
    path, path, reason) for every link that leaves the folder: such a link, file or folder,
    is never read (so nothing outside the folder can be published through it)."""
    root = folder.resolve()
    refused: list[Path] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not _is_candidate(rel) or any(rel.is_relative_to(r) for r in refused):
            continue
        try:
            inside = path.resolve().is_relative_to(root)
        except (OSError, RuntimeError):  # a link loop
            inside = False
        if not inside:
            refused.append(rel)
            yield rel.as_posix(), path, OUTSIDE
        elif path.is_file():
            yield rel.as_posix(), path, None


def _scan(folder: Path) -> tuple[list[FileState], list[tuple[str, str]]]:
    """(every readable file under `folder`, sorted; (path, reason) of each file refused:
    a link leaving the folder, or unreadable). Hidden and Office lock files are skipped."""
    files, refused = [], []
    for rel, path, reason in _walk(folder):
        if reason is None:
            try:
                files.append(FileState(rel, _hash(path), path.stat().st_mtime))
                continue
            except OSError as exc:  # unreadable (permissions, vanished): that file only
                reason = f"cannot be read: {exc.strerror or exc}"
        refused.append((rel, reason))
    return files, refused


def scan_folder(ws) -> list[FileState]:
    """Every readable file under `ws.notes.folder`, sorted (what `sync` refuses, skipped)."""
    return _scan(_folder(ws))[0]


def changes(previous_cursor: str | None, ws) -> tuple[list[str], str]:
    """(paths added, edited or deleted since the cursor, the new cursor). Pure: no state
    written. The cursor is a JSON map path -> content hash, for a Dagster sensor to keep."""
    before: dict[str, str] = json.loads(previous_cursor) if previous_cursor else {}
    now = {f.path: f.hash for f in scan_folder(ws)}
    changed = sorted(p for p in set(before) | set(now) if before.get(p) != now.get(p))
    return changed, json.dumps(now, sort_keys=True, separators=(",", ":"))


def ingest(ws, *, log: logging.Logger | None = None) -> dict[str, int]:
    """Parse the notes folder and land meetings, sections and quarantine (partition current)."""
    return sync(ws, log=log).counts


def sync(ws, *, log: logging.Logger | None = None) -> SyncResult:
    """`ingest`, returning the details (which files were parsed, reused, deleted)."""
    log = log or logging.getLogger("silo.notes")
    folder = _folder(ws)
    state_dir = ws.root / "state" / SOURCE
    cache_dir = state_dir / "cache"
    state_path = state_dir / "files.json"
    previous: dict[str, dict[str, Any]] = _read_json(state_path, {})
    now = datetime.now(UTC)
    quarantine = Quarantine(SOURCE)
    result = SyncResult(counts={})
    live: dict[str, tuple[Meeting, str, datetime]] = {}  # meeting_id -> (meeting, hash, parsed_at)
    state: dict[str, dict[str, Any]] = {}

    files, refused = _scan(folder)
    for rel, reason in refused:
        quarantine.add(rel, reason)
        result.quarantined.append(rel)
        log.warning("notes: %s quarantined: %s", rel, reason)
    for file in files:
        path = folder / file.path
        entry = {"hash": file.hash, "mtime": file.mtime, "meeting_id": meeting_id_for(path)}
        key = _cache_key(file.hash, entry["meeting_id"], ws.timezone)
        cached = _read_json(cache_dir / f"{key}.json", None)
        if cached is None:
            result.parsed.append(file.path)
            try:
                meeting = parse_file(path, timezone=ws.timezone, root=folder)
                cached = {"parsed_at": now.isoformat(), "meeting": meeting.to_dict()}
            except NotesParseError as exc:
                cached = {"parsed_at": now.isoformat(), "error": exc.reason, "line": exc.line}
            except Exception as exc:  # noqa: BLE001 - one file never stops the folder
                reason = f"cannot be parsed ({type(exc).__name__}: {exc})"
                cached = {"parsed_at": now.isoformat(), "error": reason, "line": None}
            write_json(cache_dir / f"{key}.json", cached)
        else:
            result.reused.append(file.path)
        if "error" in cached:
            quarantine.add(file.path, cached["error"], record_id=entry["meeting_id"],
                           line=cached.get("line"))  # fmt: skip
            result.quarantined.append(file.path)
            log.warning("notes: %s quarantined: %s", file.path, cached["error"])
            good = previous.get(file.path, {})
            kept = (
                _read_json(cache_dir / f"{good['good_key']}.json", None)
                if good.get("good_key")
                else None
            )
            if kept and "meeting" in kept:  # keep the last version that parsed
                entry.update(good_hash=good["good_hash"], good_key=good["good_key"])
                cached = kept
            else:
                state[file.path] = entry
                continue
        else:
            entry.update(good_hash=file.hash, good_key=key)
        meeting = Meeting.from_dict(cached["meeting"])
        meeting.file_path = file.path
        other = live.get(meeting.meeting_id)
        if other is not None:
            quarantine.add(file.path, f"meeting id {meeting.meeting_id} already used by "
                           f"{other[0].file_path}: rename one of the files",
                           record_id=meeting.meeting_id)  # fmt: skip
            result.quarantined.append(file.path)
            state[file.path] = entry
            continue
        live[meeting.meeting_id] = (meeting, entry["good_hash"],
                                    datetime.fromisoformat(cached["parsed_at"]))  # fmt: skip
        state[file.path] = entry

    gone = {p: e for p, e in previous.items() if p not in state and e.get("good_hash")}
    deleted: dict[str, tuple[Meeting, str, datetime]] = {}
    for rel, entry in sorted(gone.items()):
        kept = _read_json(cache_dir / f"{entry['good_key']}.json", None)
        if not kept or "meeting" not in kept or entry["meeting_id"] in live:
            continue
        result.deleted.append(rel)
        meeting = Meeting.from_dict(kept["meeting"])
        deleted[meeting.meeting_id] = (meeting, entry["good_hash"],
                                       datetime.fromisoformat(kept["parsed_at"]))  # fmt: skip
        state[rel] = {**entry, "deleted": True, "deleted_seen_at": entry.get(
            "deleted_seen_at", now.isoformat())}  # fmt: skip

    meetings = [_meeting_row(m, h, t, False, now) for m, h, t in live.values()]
    meetings += [_meeting_row(m, h, t, True, now) for m, h, t in deleted.values()]
    sections = [_section_row(s, m, t, now) for m, _, t in live.values() for s in m.sections]
    raw = ws.raw_dir
    result.counts = {
        "meetings": write_partition(raw, SOURCE, "meetings", PARTITION, meetings,
                                    ENTITIES["meetings"]),
        "sections": write_partition(raw, SOURCE, "sections", PARTITION, sections,
                                    ENTITIES["sections"]),
        "quarantine": quarantine.write(raw, PARTITION),
    }  # fmt: skip
    write_json(state_path, state)
    log.info("notes: %d files parsed, %d from cache, %d deleted, %d quarantined",
             len(result.parsed), len(result.reused), len(result.deleted),
             len(result.quarantined))  # fmt: skip
    return result


def _meeting_row(m: Meeting, file_hash: str, parsed_at: datetime, deleted: bool, now) -> dict:
    return {
        "meeting_id": m.meeting_id, "file_path": m.file_path, "file_hash": file_hash,
        "title": m.title, "meeting_date": m.date, "meeting_start_at": m.start_at,
        "meeting_type": m.type, "language": m.language,
        "attendees": json.dumps(m.attendees, ensure_ascii=False),
        "absentees": json.dumps(m.absentees, ensure_ascii=False),
        "is_deleted": deleted, "parsed_at": parsed_at, "ingested_at": now,
    }  # fmt: skip


def _section_row(s, m: Meeting, parsed_at: datetime, now) -> dict:
    return {
        "section_id": s.section_id, "meeting_id": m.meeting_id, "position": s.position,
        "heading_path": s.heading_path, "kind": s.kind, "text": s.text,
        "parsed_at": parsed_at, "ingested_at": now,
    }  # fmt: skip


def _cache_key(file_hash: str, meeting_id: str, timezone: str) -> str:
    """Content, id and time zone all shape the parsed meeting; so does the parser version."""
    text = f"{PARSER_VERSION}|{file_hash}|{meeting_id}|{timezone}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _folder(ws) -> Path:
    if ws.notes is None or ws.notes.folder is None:
        raise ValueError(f"{ws.root}/silo.yml has no 'sources.notes.folder'")
    if not ws.notes.folder.is_dir():
        raise FileNotFoundError(
            f"notes folder {ws.notes.folder} (sources.notes.folder) does not exist"
        )
    return ws.notes.folder


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_json(path: Path, default):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
    except (OSError, ValueError):
        return default  # a corrupt cache entry is rebuilt, never trusted
