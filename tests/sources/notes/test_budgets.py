"""Budgets for inputs that expand: a .docx that inflates when unzipped or into too much text,
and front matter YAML with an alias bomb, are each refused with a clear reason, quickly and
without the memory the expansion would take."""

from __future__ import annotations

import zipfile

import docx
import pytest

from pipelines.sources.notes import NotesParseError, meeting, parse_file


def _docx(path, paragraphs: list[str]) -> None:
    document = docx.Document()
    document.add_heading("CODIR du 2 mars 2026", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))


def test_a_zip_bomb_docx_is_refused_before_it_is_unzipped(tmp_path):
    """GIVEN a .docx with a member that inflates far beyond the budget WHEN parsed THEN it is
    refused naming the uncompressed size, without inflating it."""
    path = tmp_path / "2026-03-02-bomb.docx"
    _docx(path, ["Présents : Marie"])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(meeting.MAX_DOCX_UNCOMPRESSED // len(block) + 1):
                member.write(block)
    assert path.stat().st_size < meeting.MAX_BYTES  # small on disk
    with pytest.raises(NotesParseError, match="uncompressed"):
        parse_file(path)


def test_a_docx_that_expands_into_too_much_text_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(meeting, "MAX_CHARS", 50_000)
    path = tmp_path / "2026-03-02-long.docx"
    _docx(path, ["Le budget est validé. " * 200] * 20)  # ~88,000 characters
    with pytest.raises(NotesParseError, match="characters"):
        parse_file(path)


def test_a_text_file_with_too_many_characters_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(meeting, "MAX_CHARS", 50_000)
    path = tmp_path / "2026-03-02-long.md"
    path.write_text("# CODIR du 2 mars 2026\n\n" + "Le budget est validé.\n" * 4000, "utf-8")
    with pytest.raises(NotesParseError, match="characters"):
        parse_file(path)


BOMB = """---
title: CODIR
date: 2026-03-02
a: &a ["Marie", "Marie", "Marie", "Marie", "Marie", "Marie", "Marie", "Marie", "Marie"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
attendees: [*g, *g, *g, *g, *g, *g, *g, *g, *g]
---

## Décisions

- Le budget est validé.
"""


def test_a_front_matter_alias_bomb_is_refused(tmp_path):
    path = tmp_path / "2026-03-02-codir.md"
    path.write_text(BOMB, encoding="utf-8")
    with pytest.raises(NotesParseError, match="alias") as caught:
        parse_file(path)
    assert caught.value.line is not None


def test_a_few_aliases_in_front_matter_are_fine(tmp_path):
    path = tmp_path / "2026-03-02-codir.md"
    path.write_text(
        "---\ndate: 2026-03-02\nteam: &t [Marie Dubois, Paul Martin]\nattendees: *t\n---\n"
        "## Décisions\n\n- Le budget est validé.\n",
        encoding="utf-8",
    )
    assert parse_file(path).attendees == ["Marie Dubois", "Paul Martin"]
