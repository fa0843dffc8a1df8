"""Meeting-notes source: a folder of minutes (Markdown, plain text, reStructuredText, .docx)
parsed into meetings and sections and landed as a snapshot (partition `current`).

    from pipelines.sources import notes
    meeting = notes.parse_file("notes/2026-03-02-comex.md", timezone="Europe/Paris")
    counts = notes.ingest(ws)            # {"meetings": n, "sections": m, "quarantine": q}
    changed, cursor = notes.changes(previous_cursor, ws)   # for a Dagster sensor

No Dagster import here. See README.md for the rules and the measured accuracy.
"""

from pipelines.sources.notes.ingest import (
    ENTITIES,
    FileState,
    Finding,
    SyncResult,
    changes,
    check,
    ingest,
    scan_folder,
    sync,
)
from pipelines.sources.notes.meeting import Meeting, NotesParseError, Section, parse_file

__all__ = [
    "ENTITIES",
    "FileState",
    "Finding",
    "Meeting",
    "NotesParseError",
    "Section",
    "SyncResult",
    "changes",
    "check",
    "ingest",
    "parse_file",
    "scan_folder",
    "sync",
]
