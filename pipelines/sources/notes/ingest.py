"""Land the notes folder as a snapshot: `raw/notes/{meetings,sections}/current.parquet`.

State lives under `<workspace>/state/notes/`:
- `files.json`: what each file looked like at the last run (hash, size and time, meeting
  id, deleted or not), so a deleted file stays as a row with `is_deleted = true`, and a file
  whose size and time in ns are unchanged is not read again to be hashed;
- `cache/<sha256>.json`: the parsed meeting for that content, so an unchanged file is never
  parsed twice (an edited file has a new hash and is parsed again, same meeting id).
A file that cannot be parsed goes to `raw/notes/quarantine/current.parquet` with its reason
and line; when an earlier version of it parsed, that version stays landed (nothing is lost).
A sync that finds the files (keys and hashes), folder declarations, time zone and code of the
last run, and its outputs as that run left them, lands nothing (`pipelines/reruns.py`).
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

from pipelines import reruns
from pipelines.atomic import write_json
from pipelines.config import NotesFolder
from pipelines.landing import Quarantine, partition_path, write_partition
from pipelines.sources.notes.meeting import Meeting, NotesParseError, meeting_id_for, parse_file

SOURCE = "notes"
PARTITION = "current"
PARSER_VERSION = 7  # bump when parsing changes, so cached meetings are parsed again
TS = pa.timestamp("us", tz="UTC")
STEP = "notes"  # its record in <workspace>/state/steps/ (pipelines/reruns.py)
NOTES_CODE = (Path(__file__).resolve().parent,)

ENTITIES: dict[str, pa.Schema] = {
    "meetings": pa.schema([
        ("meeting_id", pa.string()), ("file_path", pa.string()), ("file_hash", pa.string()),
        ("title", pa.string()), ("meeting_date", pa.date32()), ("meeting_start_at", TS),
        ("meeting_type", pa.string()), ("language", pa.string()), ("attendees", pa.string()),
        ("absentees", pa.string()), ("default_repo", pa.string()),
        ("parse_warnings", pa.string()), ("is_deleted", pa.bool_()), ("parsed_at", TS),
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
    """One minutes file: its key (path relative to the notes folder; in the `folders:` form,
    the folder's path as written + `/` + the path inside it), content hash, mtime."""

    path: str
    hash: str
    mtime: float
    size: int = 0
    mtime_ns: int = 0


@dataclass(frozen=True)
class _Found:
    state: FileState
    file: Path
    folder: NotesFolder


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


def _key(folder: NotesFolder, rel: str) -> str:
    return f"{folder.label}/{rel}" if folder.label else rel


def _scan(
    ws, known: dict[str, dict[str, Any]] | None = None
) -> tuple[list[_Found], list[tuple[str, str]]]:
    """(every readable file of every declared folder, sorted by key; (key, reason) of each
    file refused: a link leaving its folder, or unreadable). Hidden and Office lock files are
    skipped. `known`: the last run's entries (`files.json`); a file whose size and time in ns
    are those recorded keeps its recorded hash, unread (as dbt's and the replays' indexes do)."""
    files, refused = [], []
    known = known or {}
    for folder in _folders(ws):
        for rel, path, reason in _walk(folder.path):
            key = _key(folder, rel)
            if reason is None:
                try:
                    stat = path.stat()
                    seen = known.get(key) or {}
                    recorded = seen.get("size"), seen.get("mtime_ns")
                    same = recorded == (stat.st_size, stat.st_mtime_ns)
                    digest = seen["hash"] if same and seen.get("hash") else _hash(path)
                    state = FileState(key, digest, stat.st_mtime, stat.st_size, stat.st_mtime_ns)
                    files.append(_Found(state, path, folder))
                    continue
                except OSError as exc:  # unreadable (permissions, vanished): that file only
                    reason = f"cannot be read: {exc.strerror or exc}"
            refused.append((key, reason))
    return sorted(files, key=lambda f: f.state.path), refused


def scan_folder(ws) -> list[FileState]:
    """Every readable minutes file of the declared folders, sorted (refused files skipped)."""
    return [found.state for found in _scan(ws)[0]]


def changes(previous_cursor: str | None, ws) -> tuple[list[str], str]:
    """(paths added, edited or deleted since the cursor, the new cursor). Pure: no state
    written. The cursor is a JSON map path -> content hash, for a Dagster sensor to keep."""
    before: dict[str, str] = json.loads(previous_cursor) if previous_cursor else {}
    now = {f.path: f.hash for f in scan_folder(ws)}
    changed = sorted(p for p in set(before) | set(now) if before.get(p) != now.get(p))
    return changed, json.dumps(now, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Finding:
    """What `silo notes check` shows for one file: a parse warning or a quarantine reason."""

    path: str
    kind: str  # "warning" or "quarantined"
    message: str
    line: int | None = None


def check(ws) -> list[Finding]:
    """Every parse warning and every refused file of the declared folders, by path, without
    writing anything (parsed meetings come from the cache when it holds them)."""
    cache_dir = ws.root / "state" / SOURCE / "cache"
    files, refused = _scan(ws)
    out = [Finding(key, "quarantined", reason) for key, reason in refused]
    for found in files:
        cached, _ = _parsed(found, ws.timezone, cache_dir, write=False)
        if "error" in cached:
            out.append(Finding(found.state.path, "quarantined", cached["error"], cached["line"]))
        else:
            out += [Finding(found.state.path, "warning", w) for w in cached["meeting"]["warnings"]]
    return sorted(out, key=lambda f: (f.path, f.kind))


def _cache_file(cache_dir: Path, key: str) -> Path:
    """A parsed meeting's file in the cache, in one of 256 sub-folders (by the key's first two
    hex digits): every atomic write lists its folder (`pipelines/atomic.py`), which a flat
    folder of a 1,000-person year's 7,000 meetings made a quadratic cost."""
    return cache_dir / key[:2] / f"{key}.json"


def _parsed(found: _Found, timezone: str, cache_dir: Path, *, write: bool) -> tuple[dict, bool]:
    """({"parsed_at", "meeting"} or {"parsed_at", "error", "line"}, parsed now or cached)."""
    key = _cache_key(found.state.hash, meeting_id_for(found.state.path), timezone)
    cached = _read_json(_cache_file(cache_dir, key), None)
    if cached is not None:
        return cached, False
    now = datetime.now(UTC).isoformat()
    try:
        meeting = parse_file(found.file, timezone=timezone, key=found.state.path)
        cached = {"parsed_at": now, "meeting": meeting.to_dict()}
    except NotesParseError as exc:
        cached = {"parsed_at": now, "error": exc.reason, "line": exc.line}
    except Exception as exc:  # noqa: BLE001 - one file never stops the folder
        reason = f"cannot be parsed ({type(exc).__name__}: {exc})"
        cached = {"parsed_at": now, "error": reason, "line": None}
    if write:
        write_json(_cache_file(cache_dir, key), cached)
    return cached, True


def ingest(ws, *, log: logging.Logger | None = None) -> dict[str, int]:
    """Parse the notes folder and land meetings, sections and quarantine (partition current)."""
    return sync(ws, log=log).counts


def sync(ws, *, log: logging.Logger | None = None) -> SyncResult:
    """`ingest`, returning the details (which files were parsed, reused, deleted)."""
    log = log or logging.getLogger("silo.notes")
    state_dir = ws.root / "state" / SOURCE
    cache_dir = state_dir / "cache"
    state_path = state_dir / "files.json"
    previous: dict[str, dict[str, Any]] = _read_json(state_path, {})
    now = datetime.now(UTC)
    quarantine = Quarantine(SOURCE)
    result = SyncResult(counts={})
    live: dict[str, tuple[Meeting, str, datetime]] = {}  # meeting_id -> (meeting, hash, parsed_at)
    state: dict[str, dict[str, Any]] = {}

    files, refused = _scan(ws, previous)
    print_ = _inputs_print(ws, files, refused)
    outputs = _outputs(ws, state_path)
    counts = reruns.unchanged(ws, STEP, print_, outputs)
    if counts is not None:  # the same files as the last run, its outputs as it left them
        result.counts = counts
        result.reused = [found.state.path for found in files]
        log.info("notes: %d files unchanged since the last run: nothing landed", len(files))
        return result
    reruns.forget(ws, STEP)
    for rel, reason in refused:
        quarantine.add(rel, reason)
        result.quarantined.append(rel)
        log.warning("notes: %s quarantined: %s", rel, reason)
    for found in files:
        file = found.state
        entry = {"hash": file.hash, "mtime": file.mtime, "size": file.size,
                 "mtime_ns": file.mtime_ns, "meeting_id": meeting_id_for(file.path)}  # fmt: skip
        key = _cache_key(file.hash, entry["meeting_id"], ws.timezone)
        cached, parsed = _parsed(found, ws.timezone, cache_dir, write=True)
        (result.parsed if parsed else result.reused).append(file.path)
        if "error" in cached:
            quarantine.add(file.path, cached["error"], record_id=entry["meeting_id"],
                           line=cached.get("line"))  # fmt: skip
            result.quarantined.append(file.path)
            log.warning("notes: %s quarantined: %s", file.path, cached["error"])
            good = previous.get(file.path, {})
            kept = (
                _read_json(_cache_file(cache_dir, good["good_key"]), None)
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
        meeting = _declared(Meeting.from_dict(cached["meeting"]), found.folder)
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
        for warning in meeting.warnings:  # landed too; `silo notes check` lists them
            log.warning("notes: %s: %s", file.path, warning)

    gone = {p: e for p, e in previous.items() if p not in state and e.get("good_hash")}
    deleted: dict[str, tuple[Meeting, str, datetime]] = {}
    for rel, entry in sorted(gone.items()):
        kept = _read_json(_cache_file(cache_dir, entry["good_key"]), None)
        if not kept or "meeting" not in kept or entry["meeting_id"] in live:
            continue
        result.deleted.append(rel)
        meeting = _declared(Meeting.from_dict(kept["meeting"]), _folder_of(ws, rel))
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
    reruns.record(ws, STEP, print_, outputs, result.counts)
    log.info("notes: %d files parsed, %d from cache, %d deleted, %d quarantined",
             len(result.parsed), len(result.reused), len(result.deleted),
             len(result.quarantined))  # fmt: skip
    return result


def _inputs_print(ws, files: list[_Found], refused: list[tuple[str, str]]) -> str:
    """What a sync's output is a function of: each file's key and hash, the files refused,
    the folders' declarations, the time zone and the notes code (`pipelines/reruns.py`)."""
    return reruns.json_print(
        {
            "files": [[found.state.path, found.state.hash] for found in files],
            "refused": refused,
            "folders": [[f.label, f.type, f.default_repo] for f in ws.notes.folders],
            "timezone": ws.timezone,
            "code": reruns.code_print(NOTES_CODE),
        }
    )


def _outputs(ws, state_path: Path) -> list[Path]:
    raw = ws.raw_dir
    entities = (*ENTITIES, "quarantine")
    return [*(partition_path(raw, SOURCE, e, PARTITION) for e in entities), state_path]


def _declared(meeting: Meeting, folder: NotesFolder | None) -> Meeting:
    """The folder's declarations over what the file says: its type, its default repo."""
    if folder is not None and folder.type:
        meeting.type = folder.type
    meeting.default_repo = folder.default_repo if folder is not None else None
    return meeting


def _meeting_row(m: Meeting, file_hash: str, parsed_at: datetime, deleted: bool, now) -> dict:
    return {
        "meeting_id": m.meeting_id, "file_path": m.file_path, "file_hash": file_hash,
        "title": m.title, "meeting_date": m.date, "meeting_start_at": m.start_at,
        "meeting_type": m.type, "language": m.language,
        "attendees": json.dumps(m.attendees, ensure_ascii=False),
        "absentees": json.dumps(m.absentees, ensure_ascii=False),
        "default_repo": m.default_repo,
        "parse_warnings": json.dumps(m.warnings, ensure_ascii=False),
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


def _folders(ws) -> tuple[NotesFolder, ...]:
    if ws.notes is None or not ws.notes.folders:
        raise ValueError(f"{ws.root}/silo.yml has no 'sources.notes.folder' nor 'folders'")
    for index, folder in enumerate(ws.notes.folders):
        if not folder.path.is_dir():
            key = f"folders[{index}].path" if folder.label else "folder"
            raise FileNotFoundError(
                f"notes folder {folder.path} (sources.notes.{key}) does not exist"
            )
    return ws.notes.folders


def _folder_of(ws, key: str) -> NotesFolder | None:
    """The declared folder a file key belongs to (None: no longer declared)."""
    for folder in ws.notes.folders:
        if not folder.label or key.startswith(folder.label + "/"):
            return folder
    return None


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
