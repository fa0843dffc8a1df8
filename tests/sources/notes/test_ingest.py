"""Snapshot ingest of a notes folder: bad files quarantined, edits replace, deletions kept
as deleted rows, unchanged files never parsed twice, and the sensor helper."""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipelines.config import load_workspace
from pipelines.sources import notes
from pipelines.sources.notes import NotesParseError, parse_file

notes_ingest = importlib.import_module("pipelines.sources.notes.ingest")

GOOD = """---
title: CODIR
date: 2026-03-02
type: codir
attendees: [Marie Dubois, Paul Martin]
absent: [Jean Dupont]
---

## Décisions

- Le budget est validé.
"""


def _workspace(tmp_path: Path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "silo.yml").write_text(
        "workspace: t\nstart_date: 2026-01-01\ntimezone: Europe/Paris\n"
        "sources:\n  notes: {folder: notes}\n",
        encoding="utf-8",
    )
    return load_workspace(tmp_path)


def _rows(ws, entity: str) -> list[dict]:
    return pq.read_table(ws.raw_dir / "notes" / entity / "current.parquet").to_pylist()


BAD_FILES = {
    "empty.md": (b"", "empty file", None),
    "blank.txt": (b"\n \n\t\n", "empty file (only blank lines)", None),
    "binary.md": (b"# Title\n\x00\x01\x02\x03PK\x00", "binary file", 2),
    "broken-front-matter.md": (b"---\ntitle: [unclosed\ndate: 2026-03-02\n---\n# x\n",
                               "front matter is not valid YAML", 3),
    "unclosed-front-matter.md": (b"---\ntitle: x\n# x\n", "never closed", 1),
    "no-date.md": ("# Réunion d'équipe\n\nPrésents : Marie\n".encode(), "no meeting date found",
                   None),
    "mixed-encodings.txt": ("Réunion du 2 mars 2026\n".encode() + "Présents : Zoé\n".encode(
        "cp1252"), "mixed encodings", 2),
    "bad-date.md": (b"---\ndate: someday\n---\n# x\n", "front matter 'date' is not a date", 2),
    "fake.docx": (b"this is not a zip", "not a valid .docx", None),
    "legacy.doc": (b"\xd0\xcf\x11\xe0", "unsupported file type '.doc'", None),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_input_raises_a_clear_error(tmp_path, name):
    content, reason, line = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(NotesParseError) as info:
        parse_file(path)
    assert reason in info.value.reason
    assert info.value.line == line
    assert name in str(info.value)


def test_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(6 * 1024 * 1024)  # sparse: 6 MB of nothing
    with pytest.raises(NotesParseError, match=r"file too large: 6.3 MB > 5.2 MB"):
        parse_file(path)


def test_bad_files_are_quarantined_and_nothing_else_is_lost(tmp_path):
    ws = _workspace(tmp_path)
    folder = ws.notes.folder
    for name, (content, _, _) in BAD_FILES.items():
        (folder / name).write_bytes(content)
    (folder / "2026-03-02-codir.md").write_text(GOOD, encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "equipe.txt").write_bytes(
        "Réunion d'équipe du 3 mars 2026\nPrésents : Hélène, Zoé\n".encode("cp1252")
    )
    (folder / ".hidden.md").write_text("ignored", encoding="utf-8")
    counts = notes.ingest(ws)
    assert counts == {"meetings": 2, "sections": 2, "quarantine": len(BAD_FILES)}
    quarantined = {row["location"]: row for row in _rows(ws, "quarantine")}
    assert set(quarantined) == set(BAD_FILES)
    for name, (_, reason, line) in BAD_FILES.items():
        assert reason in quarantined[name]["reason"]
        assert quarantined[name]["line"] == line
    meetings = {row["meeting_id"]: row for row in _rows(ws, "meetings")}
    assert json.loads(meetings["notes:sub-equipe"]["attendees"]) == ["Hélène", "Zoé"]
    assert meetings["notes:sub-equipe"]["file_path"] == "sub/equipe.txt"


def test_rows_follow_the_contract(tmp_path):
    ws = _workspace(tmp_path)
    (ws.notes.folder / "2026-03-02-codir.md").write_text(GOOD, encoding="utf-8")
    notes.ingest(ws)
    (meeting,) = _rows(ws, "meetings")
    assert meeting["meeting_id"] == "notes:2026-03-02-codir"
    assert meeting["meeting_type"] == "codir"
    assert meeting["meeting_start_at"].isoformat() == "2026-03-02T08:00:00+00:00"  # 09:00 CET
    assert json.loads(meeting["absentees"]) == ["Jean Dupont"]
    assert meeting["is_deleted"] is False
    (section,) = _rows(ws, "sections")
    assert (section["section_id"], section["kind"]) == (
        "notes:2026-03-02-codir#decisions-1",
        "decisions",
    )
    for entity, schema in notes.ENTITIES.items():
        table = pq.read_table(ws.raw_dir / "notes" / entity / "current.parquet")
        assert table.schema.names == schema.names


def test_rerun_without_change_parses_nothing(tmp_path):
    ws = _workspace(tmp_path)
    (ws.notes.folder / "a-2026-03-02.md").write_text(GOOD, encoding="utf-8")
    (ws.notes.folder / "b.md").write_bytes(b"")
    first = notes.sync(ws)
    assert sorted(first.parsed) == ["a-2026-03-02.md", "b.md"]
    second = notes.sync(ws)
    assert second.parsed == []
    assert sorted(second.reused) == ["a-2026-03-02.md", "b.md"]
    assert second.counts == first.counts


def test_edited_file_replaces_its_meeting(tmp_path):
    ws = _workspace(tmp_path)
    path = ws.notes.folder / "2026-03-02-codir.md"
    path.write_text(GOOD, encoding="utf-8")
    notes.ingest(ws)
    path.write_text(GOOD.replace("Paul Martin", "Sophie Bernard"), encoding="utf-8")
    result = notes.sync(ws)
    assert result.parsed == ["2026-03-02-codir.md"]
    (meeting,) = _rows(ws, "meetings")
    assert json.loads(meeting["attendees"]) == ["Marie Dubois", "Sophie Bernard"]


def test_edit_that_breaks_a_file_keeps_the_last_good_version(tmp_path):
    ws = _workspace(tmp_path)
    path = ws.notes.folder / "2026-03-02-codir.md"
    path.write_text(GOOD, encoding="utf-8")
    notes.ingest(ws)
    path.write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    counts = notes.ingest(ws)
    assert counts["quarantine"] == 1 and counts["meetings"] == 1
    (meeting,) = _rows(ws, "meetings")
    assert json.loads(meeting["attendees"]) == ["Marie Dubois", "Paul Martin"]


def test_deleted_file_is_kept_as_a_deleted_row(tmp_path):
    ws = _workspace(tmp_path)
    (ws.notes.folder / "2026-03-02-codir.md").write_text(GOOD, encoding="utf-8")
    (ws.notes.folder / "2026-03-09-codir.md").write_text(GOOD.replace("03-02", "03-09"),
                                                         encoding="utf-8")  # fmt: skip
    notes.ingest(ws)
    (ws.notes.folder / "2026-03-02-codir.md").unlink()
    for _ in range(2):  # and it stays deleted on the next run
        result = notes.sync(ws)
        meetings = {row["meeting_id"]: row for row in _rows(ws, "meetings")}
        assert meetings["notes:2026-03-02-codir"]["is_deleted"] is True
        assert meetings["notes:2026-03-09-codir"]["is_deleted"] is False
        sections = {row["meeting_id"] for row in _rows(ws, "sections")}
        assert sections == {"notes:2026-03-09-codir"}
        assert result.parsed == []
    # restoring the file makes the meeting live again
    (ws.notes.folder / "2026-03-02-codir.md").write_text(GOOD, encoding="utf-8")
    notes.ingest(ws)
    meetings = {row["meeting_id"]: row for row in _rows(ws, "meetings")}
    assert meetings["notes:2026-03-02-codir"]["is_deleted"] is False


def test_two_files_with_the_same_name_in_two_subfolders_are_two_meetings(tmp_path):
    """GIVEN codir-2026-03-02.md in 2025/ and in 2026/ WHEN landed, twice THEN two meetings,
    their ids from the relative paths, nothing quarantined, the same ids on the re-run."""
    ws = _workspace(tmp_path)
    for sub in ("2025", "2026"):
        (ws.notes.folder / sub).mkdir()
        (ws.notes.folder / sub / "codir-2026-03-02.md").write_text(GOOD, encoding="utf-8")
    for _ in range(2):
        counts = notes.ingest(ws)
        assert (counts["meetings"], counts["quarantine"]) == (2, 0)
        rows = {row["meeting_id"]: row["file_path"] for row in _rows(ws, "meetings")}
        assert rows == {"notes:2025-codir-2026-03-02": "2025/codir-2026-03-02.md",
                        "notes:2026-codir-2026-03-02": "2026/codir-2026-03-02.md"}  # fmt: skip


def test_two_names_with_the_same_slug_are_still_refused(tmp_path):
    ws = _workspace(tmp_path)
    for name in ("codir 2026-03-02.md", "codir-2026-03-02.md"):
        (ws.notes.folder / name).write_text(GOOD, encoding="utf-8")
    counts = notes.ingest(ws)
    assert (counts["meetings"], counts["quarantine"]) == (1, 1)
    (row,) = _rows(ws, "quarantine")
    assert row["location"] == "codir-2026-03-02.md"
    assert "already used by codir 2026-03-02.md" in row["reason"]


def test_changes_reports_added_edited_and_deleted_paths(tmp_path):
    ws = _workspace(tmp_path)
    folder = ws.notes.folder
    (folder / "a.md").write_text(GOOD, encoding="utf-8")
    (folder / "b.md").write_text(GOOD, encoding="utf-8")
    changed, cursor = notes.changes(None, ws)
    assert changed == ["a.md", "b.md"]
    assert notes.changes(cursor, ws) == ([], cursor)
    (folder / "a.md").write_text(GOOD + "\nedit\n", encoding="utf-8")
    (folder / "b.md").unlink()
    (folder / "c.md").write_text(GOOD, encoding="utf-8")
    changed, new_cursor = notes.changes(cursor, ws)
    assert changed == ["a.md", "b.md", "c.md"]
    assert new_cursor != cursor
    states = notes.scan_folder(ws)
    assert [s.path for s in states] == ["a.md", "c.md"]
    assert all(len(s.hash) == 64 and s.mtime > 0 for s in states)


def test_symlinks_leaving_the_notes_folder_are_skipped_and_quarantined(tmp_path):
    """GIVEN links in the notes folder to a file and a folder outside it WHEN ingested THEN
    neither is read nor landed; each is quarantined with its reason; a link inside stays."""
    (tmp_path / "ws").mkdir()
    ws = _workspace(tmp_path / "ws")
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "2026-03-05-secret.md").write_text(GOOD.replace("CODIR", "SECRET"), "utf-8")
    (ws.notes.folder / "2026-03-02-codir.md").write_text(GOOD, encoding="utf-8")
    (ws.notes.folder / "2026-03-05-secret.md").symlink_to(secret / "2026-03-05-secret.md")
    (ws.notes.folder / "linked-folder").symlink_to(secret, target_is_directory=True)
    (ws.notes.folder / "2026-03-03-alias.md").symlink_to(ws.notes.folder / "2026-03-02-codir.md")
    counts = notes.ingest(ws)
    titles = {row["title"] for row in _rows(ws, "meetings")}
    assert "SECRET" not in titles and counts["meetings"] == 2
    quarantined = {row["location"]: row["reason"] for row in _rows(ws, "quarantine")}
    assert set(quarantined) == {"2026-03-05-secret.md", "linked-folder"}
    assert all("outside the notes folder" in reason for reason in quarantined.values())
    assert [f.path for f in notes.scan_folder(ws)] == ["2026-03-02-codir.md", "2026-03-03-alias.md"]


# One minutes file never stops the notes stage: whatever fails on it (an impossible date, an
# error nobody foresaw, a file that cannot be read) quarantines that file, the rest lands.


def _quarantine(ws) -> dict[str, dict]:
    rows = pq.read_table(ws.raw_dir / "notes" / "quarantine" / "current.parquet").to_pylist()
    return {row["location"]: row for row in rows}


def test_an_impossible_date_in_front_matter_is_quarantined(tmp_path):
    ws = _workspace(tmp_path)
    (ws.notes.folder / "2026-03-02-codir.md").write_text(GOOD, encoding="utf-8")
    (ws.notes.folder / "bad.md").write_text("---\ndate: 2026-13-45\n---\n# x\n", encoding="utf-8")
    counts = notes.ingest(ws)
    assert counts["meetings"] == 1
    row = _quarantine(ws)["bad.md"]
    assert "month must be in 1..12" in row["reason"]
    assert row["stage"] == "landing" and row["source"] == "notes"


def test_an_unforeseen_error_on_one_file_quarantines_that_file_only(tmp_path, monkeypatch):
    ws = _workspace(tmp_path)
    (ws.notes.folder / "2026-03-02-codir.md").write_text(GOOD, encoding="utf-8")
    (ws.notes.folder / "2026-03-03-codir.md").write_text(GOOD, encoding="utf-8")
    real = notes_ingest.parse_file

    def parse(path, **kwargs):
        if path.name.startswith("2026-03-03"):
            raise ValueError("day is out of range for month")
        return real(path, **kwargs)

    monkeypatch.setattr(notes_ingest, "parse_file", parse)
    assert notes.ingest(ws)["meetings"] == 1
    reason = _quarantine(ws)["2026-03-03-codir.md"]["reason"]
    assert reason == "cannot be parsed (ValueError: day is out of range for month)"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_quarantined(tmp_path):
    ws = _workspace(tmp_path)
    (ws.notes.folder / "2026-03-02-codir.md").write_text(GOOD, encoding="utf-8")
    locked = ws.notes.folder / "locked.md"
    locked.write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    try:
        assert notes.ingest(ws)["meetings"] == 1
    finally:
        locked.chmod(0o600)
    assert "cannot be read" in _quarantine(ws)["locked.md"]["reason"]


# --- declared folders (issue 10): type and default_repo per folder, keys, `silo notes check` ---


def _folders_workspace(tmp_path: Path):
    for sub in ("comex", "tech-leads", "misc"):
        (tmp_path / "notes" / sub).mkdir(parents=True)
    (tmp_path / "silo.yml").write_text(
        "workspace: t\nstart_date: 2026-01-01\ntimezone: UTC\nsources:\n  notes:\n    folders:\n"
        "      - {path: notes/comex, type: comex}\n"
        "      - {path: notes/tech-leads, type: management, default_repo: acme/api}\n"
        "      - {path: notes/misc}\n",
        encoding="utf-8",
    )
    return load_workspace(tmp_path)


def test_declared_folders_give_type_default_repo_and_path_keys(tmp_path):
    """GIVEN three folders, the same file name in two, a team-looking title in the comex
    folder WHEN landed THEN the folder's type wins over the title, the tech leads' minutes
    carry acme/api, the misc file keeps its own type, and ids come from the paths."""
    ws = _folders_workspace(tmp_path)
    sprint = "# Sprint review 2026-03-02\n\nbody\n"
    (tmp_path / "notes/comex/2026-03-02.md").write_text(sprint, encoding="utf-8")
    (tmp_path / "notes/tech-leads/2026-03-02.md").write_text(sprint, encoding="utf-8")
    (tmp_path / "notes/misc/retro.md").write_text(sprint, encoding="utf-8")
    counts = notes.ingest(ws)
    assert (counts["meetings"], counts["quarantine"]) == (3, 0)
    rows = {r["meeting_id"]: r for r in _rows(ws, "meetings")}
    assert {k: (r["file_path"], r["meeting_type"], r["default_repo"]) for k, r in rows.items()} == {
        "notes:notes-comex-2026-03-02": ("notes/comex/2026-03-02.md", "comex", None),
        "notes:notes-tech-leads-2026-03-02": (
            "notes/tech-leads/2026-03-02.md", "management", "acme/api"),
        "notes:notes-misc-retro": ("notes/misc/retro.md", "team", None),
    }  # fmt: skip
    changed, _ = notes.changes(None, ws)
    assert changed == sorted(r["file_path"] for r in rows.values())


def test_a_folder_type_changed_in_silo_yml_applies_without_parsing_again(tmp_path):
    ws = _folders_workspace(tmp_path)
    (tmp_path / "notes/misc/2026-03-02-retro.md").write_text("# Retro\n", encoding="utf-8")
    notes.sync(ws)
    text = (tmp_path / "silo.yml").read_text(encoding="utf-8")
    (tmp_path / "silo.yml").write_text(text.replace("{path: notes/misc}",
                                                    "{path: notes/misc, type: codir}"))  # fmt: skip
    result = notes.sync(load_workspace(tmp_path))
    assert result.parsed == [] and result.reused == ["notes/misc/2026-03-02-retro.md"]
    assert [r["meeting_type"] for r in _rows(ws, "meetings")] == ["codir"]


def test_check_lists_date_disagreements_and_quarantined_files_and_lands_them(tmp_path, capsys):
    """GIVEN a file named 2018-12-12 titled 2018-12-05 and a file with no date WHEN `silo notes
    check` runs THEN it names both (warning, quarantined) without writing anything; the warning
    is also landed with the meeting."""
    from pipelines.cli import main

    ws = _folders_workspace(tmp_path)
    (tmp_path / "notes/comex/2018-12-12.md").write_text("# TSC 2018-12-05\n", encoding="utf-8")
    (tmp_path / "notes/misc/nodate.md").write_text("# Council\n\nhello\n", encoding="utf-8")
    assert main(["notes", "check", "-w", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "warning notes/comex/2018-12-12.md: dates disagree: the file name says 2018-12-12, the "
        "title says 2018-12-05; 2018-12-12 used (front matter, then file name, then title): "
        "correct the one that is wrong",
        "quarantined notes/misc/nodate.md: no meeting date found (front matter 'date', file "
        "name, title or the first 40 lines)",
        "2 file(s) read; 1 warning(s), 1 quarantined",
    ]
    assert not (tmp_path / "state").exists() and not (tmp_path / "raw").exists()
    notes.ingest(ws)
    (row,) = _rows(ws, "meetings")
    assert "dates disagree" in json.loads(row["parse_warnings"])[0]


def test_a_sync_of_unchanged_files_lands_nothing_and_any_change_lands_again(tmp_path, monkeypatch):
    ws = _workspace(tmp_path)
    (ws.notes.folder / "codir.md").write_text(GOOD, encoding="utf-8")
    first = notes_ingest.sync(ws)
    landed = ws.raw_dir / "notes" / "meetings" / "current.parquet"
    written = landed.stat().st_mtime_ns
    hashed = []
    monkeypatch.setattr(notes_ingest, "_hash", lambda path: hashed.append(path) or "x")
    again = notes_ingest.sync(ws)  # same size and time: the recorded hash, no file read
    assert again.counts == first.counts and not again.parsed and not hashed
    assert landed.stat().st_mtime_ns == written
    monkeypatch.undo()
    landed.unlink()  # an output gone: the sync lands again
    assert notes_ingest.sync(ws).counts == first.counts and landed.exists()
    (ws.notes.folder / "codir.md").write_text(GOOD.replace("validé", "refusé"), encoding="utf-8")
    edited = notes_ingest.sync(ws)  # an edit: read, parsed, landed
    assert edited.parsed == ["codir.md"]
    assert "refusé" in " ".join(row["text"] for row in _rows(ws, "sections"))
