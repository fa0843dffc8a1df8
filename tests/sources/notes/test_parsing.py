"""Pure parsing pieces: dates, times, decoding, headings per format, section ids and kinds."""

from __future__ import annotations

from datetime import date, time

import pytest

from pipelines.sources.notes import parse_file
from pipelines.sources.notes.dates import find_date, find_month, parse_time
from pipelines.sources.notes.markup import markdown_lines, rst_lines, text_lines
from pipelines.sources.notes.text import DecodeError, decode, slugify


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 mars 2026", date(2026, 3, 12)),
        ("lundi 2 mars 2026", date(2026, 3, 2)),
        ("1er décembre 2025", date(2025, 12, 1)),
        ("2026-03-02", date(2026, 3, 2)),
        ("02/03/2026", date(2026, 3, 2)),  # French: day first
        ("03/25/2026", date(2026, 3, 25)),  # cannot be day first: month first
        ("March 2, 2026", date(2026, 3, 2)),
        ("2 March 2026", date(2026, 3, 2)),
        ("Mar 2nd, 2026", date(2026, 3, 2)),
        ("2 févr. 2026", date(2026, 2, 2)),
        ("31/02/2026", None),  # impossible, not guessed
        ("release 4.2 of 2026", None),
    ],
)
def test_dates_in_french_and_english(text, expected):
    assert find_date(text) == expected


def test_compact_dates_only_when_asked_and_months_alone():
    assert find_date("20260302-comex", compact=True) == date(2026, 3, 2)
    assert find_date("ticket 20260302") is None
    assert find_month("Steering Council Updates for October 2024") == date(2024, 10, 1)
    assert find_month("2021-05-steering-council-update") == date(2021, 5, 1)


@pytest.mark.parametrize(("value", "expected"), [
    ("14:00", time(14, 0)), ("9h", time(9, 0)), ("14h30", time(14, 30)),
    ("2pm", time(14, 0)), (840, time(14, 0)), ("soon", None),
])  # fmt: skip
def test_start_times(value, expected):
    assert parse_time(value) == expected


def test_decoding_by_encoding():
    text = "Présents : Hélène, François — décisions"
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8-sig")
    assert decode(text.encode("cp1252")) == (text, "cp1252")
    assert decode("Présents : Zoé".encode("latin-1"))[0] == "Présents : Zoé"
    with pytest.raises(DecodeError, match="unsupported encoding"):
        decode("Привет мир, это тест текста на русском языке".encode("cp1251"))


def test_slug_is_the_contracts():
    assert slugify("Décisions") == "decisions"
    assert slugify("  Point 3 — Budget & RH !") == "point-3-budget-rh"
    assert slugify("!!!") == "section"


def _headings(lines):
    return [(line.level, line.text) for line in lines if line.is_heading]


def test_markdown_headings_setext_bold_and_label_lines():
    lines = markdown_lines(
        "Titre\n=====\n\n## Points\n\n**Décisions**\n\nActions :\n- a\n"
        "```\n# not a heading\n```\n<!--\n## hidden\n-->\n"
    )
    assert _headings(lines) == [(1, "Titre"), (2, "Points"), (3, "Décisions"), (3, "Actions")]


def test_rst_levels_follow_the_order_of_adornments():
    lines = rst_lines(
        "=====\nTitle\n=====\n\nPart\n----\n\nSub\n~~~\n\nOther\n----\n:Date: 2026-03-02\n"
    )
    assert _headings(lines) == [(1, "Title"), (2, "Part"), (3, "Sub"), (2, "Other")]
    assert "Date: 2026-03-02" in [line.text for line in lines]


def test_plain_text_caps_and_underlines():
    lines = text_lines("COMPTE RENDU\nIntro\nDécisions\n---------\nOn valide.\n")
    assert _headings(lines) == [(1, "COMPTE RENDU"), (2, "Décisions")]


def test_section_ids_paths_and_kinds(tmp_path):
    path = tmp_path / "2026-03-02-comex.md"
    path.write_text(
        "Intro text before any heading.\n\n# COMEX\n\n## Ordre du jour\n\n### Budget\n\n- x\n\n"
        "## Décisions\n\n- a\n\n## Suite\n\n## Décisions\n\n- b\n",
        encoding="utf-8",
    )
    meeting = parse_file(path)
    got = [(s.section_id.split("#")[1], s.heading_path, s.kind) for s in meeting.sections]
    assert got == [
        ("preamble-1", "", "notes"),
        ("comex-1", "COMEX", "notes"),
        ("ordre-du-jour-1", "COMEX > Ordre du jour", "agenda"),
        ("budget-1", "COMEX > Ordre du jour > Budget", "agenda"),
        ("decisions-1", "COMEX > Décisions", "decisions"),
        ("suite-1", "COMEX > Suite", "notes"),
        ("decisions-2", "COMEX > Décisions", "decisions"),
    ]
    assert [s.position for s in meeting.sections] == list(range(7))


def test_docx_heading_styles_lists_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Comité de direction", style="Title")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Date", "2 mars 2026"
    document.add_paragraph("Présents", style="Heading 1")
    document.add_paragraph("Marie Dubois", style="List Bullet")
    document.add_paragraph("Actions", style="Heading 1")
    document.add_paragraph("Relancer le client (Paul)", style="List Bullet")
    path = tmp_path / "codir.docx"
    document.save(str(path))
    meeting = parse_file(path)
    assert (meeting.title, meeting.date, meeting.type) == (
        "Comité de direction",
        date(2026, 3, 2),
        "codir",
    )
    assert meeting.attendees == ["Marie Dubois"]
    assert [s.heading_path for s in meeting.sections] == [
        "Comité de direction",
        "Comité de direction > Présents",
        "Comité de direction > Actions",
    ]
