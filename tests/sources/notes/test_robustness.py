"""Round-2 classes of minutes the parser must read, on examples written for these tests (not
taken from the labelled set): attendance in sentences, mentions and initials, the end of a
list, attendance tables, pasted e-mails, dates, meeting types, short texts' language."""

from __future__ import annotations

import os
from datetime import date

import pytest

from pipelines.sources.notes import parse_file
from pipelines.sources.notes.attendance import clean_name, split_names
from pipelines.sources.notes.dates import find_date, find_partial_date
from pipelines.sources.notes.vocabulary import attendance_label, language, meeting_type


def _parse(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Étaient présents : Anne Roy, Paul Lenoir", ("present", "Anne Roy, Paul Lenoir")),
        ("Était excusée : Zoé Perrin", ("absent", "Zoé Perrin")),
        ("Étaient excusés : A. B.", ("absent", "A. B.")),
        ("In the room: Sam Lee, Ada Park", ("present", "Sam Lee, Ada Park")),
        ("Present were Sam Lee and Ada Park.", ("present", "Sam Lee and Ada Park.")),
        ("Participants (5) :", ("present", "")),
        ("Also present: Bo Chen", ("present", "Bo Chen")),
        ("Participants are asked to read the memo.", None),
        ("Presentation of the roadmap", None),
    ],
)
def test_attendance_labels_in_sentences(line, expected):
    assert attendance_label(line) == expected


def test_mentions_titles_and_initials():
    assert split_names("@marie @jb") == ["marie", "jb"]
    assert split_names("@Anne Roy @Paul Lenoir, @Zoé") == ["Anne Roy", "Paul Lenoir", "Zoé"]
    assert split_names("Claire (DAF), Luc (CTO) et MD") == ["Claire", "Luc", "MD"]
    assert clean_name("J-B. R.") == "J-B. R."
    assert clean_name("Anne Roy @aroy") == "Anne Roy"  # a name then its handle


def test_sentence_attendance_and_one_name_a_line(tmp_path):
    meeting = _parse(
        tmp_path,
        "2026-02-10-codir.md",
        "Réunion du comité de direction\n\nÉtaient présents : Anne Roy (DG), P. L.\n"
        "Était excusé : Hugo Blanc\n\nParticipants invités (2) :\nJ-B. R.\nMD\n\n"
        "Le budget est validé.\n",
    )
    assert meeting.attendees == ["Anne Roy", "P. L.", "J-B. R.", "MD"]
    assert meeting.absentees == ["Hugo Blanc"]


def test_a_label_or_section_line_ends_the_list(tmp_path):
    meeting = _parse(
        tmp_path,
        "2026-02-11-managers.txt",
        "Point managers\nDate : 11/02/2026\n\nPrésents :\nAnne Roy\nHugo Blanc\n"
        "Absents :\nZoé Perrin\nSujets : recrutements, budget.\nOrdre du jour\nAgenda\n",
    )
    assert meeting.attendees == ["Anne Roy", "Hugo Blanc"]
    assert meeting.absentees == ["Zoé Perrin"]


def test_markdown_attendance_table_with_yes_no_values(tmp_path):
    meeting = _parse(
        tmp_path,
        "2026-02-12-exec.md",
        "# Exec meeting 12 Feb 2026\n\n| Name | Role | Attendance |\n|---|---|---|\n"
        "| Sam Lee | CEO | Yes |\n| Ada Park (CFO) | CFO | ✓ |\n| Bo Chen | COO | No |\n"
        "| Kim Ray | CTO | Absent |\n\n## Notes\n\nNothing else.\n",
    )
    assert (meeting.type, meeting.language) == ("comex", "en")
    assert meeting.attendees == ["Sam Lee", "Ada Park"]
    assert meeting.absentees == ["Bo Chen", "Kim Ray"]


def test_two_column_and_x_mark_tables_in_plain_text(tmp_path):
    meeting = _parse(
        tmp_path,
        "equipe-data-2026-02-13.txt",
        "Weekly équipe Data\n\nNom | Présent | Absent\n-----|------|-----\nAnne Roy | x |\n"
        "Hugo Blanc |  | x\n\nNom | Présent\nZoé Perrin | oui\nLéa Morel | non\n",
    )
    assert meeting.type == "team"
    assert meeting.attendees == ["Anne Roy", "Zoé Perrin"]
    assert meeting.absentees == ["Hugo Blanc", "Léa Morel"]


def test_docx_attendance_table(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Comité de direction du 4 février 2026", style="Title")
    rows = [("Participant", "Statut"), ("Anne Roy", "Présente"), ("Hugo Blanc", "Excusé")]
    table = document.add_table(rows=0, cols=2)
    for row in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = row
    path = tmp_path / "codir.docx"
    document.save(str(path))
    meeting = parse_file(path)
    assert (meeting.attendees, meeting.absentees) == (["Anne Roy"], ["Hugo Blanc"])


def test_pasted_email_subject_gives_title_type_and_date(tmp_path):
    meeting = _parse(
        tmp_path,
        "mail.txt",
        "De : Anne Roy <anne.roy@example.com>\nEnvoyé : lundi 9 février 2026 18:02\n"
        "À : direction@example.com\nCc : Hugo Blanc\nObjet : RE: TR: CR CODIR du 5 février\n\n"
        "Bonjour,\n\nPrésents : Anne Roy, Hugo Blanc\n\nLe plan est validé.\n",
    )
    assert meeting.title == "CR CODIR du 5 février"
    assert (meeting.type, meeting.date) == ("codir", date(2026, 2, 5))
    assert meeting.attendees == ["Anne Roy", "Hugo Blanc"]
    assert meeting.absentees == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3/3/26", date(2026, 3, 3)),
        ("03.03.2026", date(2026, 3, 3)),
        ("03.03.26.", date(2026, 3, 3)),
        ("March 3rd, 2026", date(2026, 3, 3)),
        ("le 2e jour du 3ème mois, 3ème mars 2026", date(2026, 3, 3)),
        ("release 1.2.3", None),
        ("v4.12.26", None),
    ],
)
def test_more_written_dates(text, expected):
    assert find_date(text) == expected


def test_dates_without_a_year():
    # a weekday picks the latest year (up to the reference) where the day falls on it
    assert find_partial_date("Mardi 3 mars", year=None, reference_year=2027) == date(2026, 3, 3)
    assert find_partial_date("Tuesday, March 3rd", year=None, reference_year=2026) == date(
        2026, 3, 3
    )
    assert find_partial_date("CR du 3 avril", year=2025, reference_year=2026) == date(2025, 4, 3)
    assert find_partial_date("may 3 items", year=2025, reference_year=2026) is None


def test_title_without_a_year_takes_the_files_year(tmp_path):
    path = tmp_path / "point-du-mardi.md"
    path.write_text("# Point équipe du mardi 3 mars\n\nRien.\n", encoding="utf-8")
    stamp = 1_800_000_000  # 2027-01-15: the latest earlier year with a Tuesday 3 March is 2026
    os.utime(path, (stamp, stamp))
    assert parse_file(path).date == date(2026, 3, 3)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Comité de direction", "codir"),
        ("Exec meeting", "comex"),
        ("Point managers", "management"),
        ("Weekly équipe Data", "team"),
        ("Rétro sprint 12", "team"),
        ("All-hands Q1 team update", "other"),
        ("Town hall", "other"),
        ("Weekly Product/Eng sync", "team"),  # a ritual: one team's weekly point
        ("Point hebdo produit/tech", "team"),
        ("Sync produit & tech", "other"),  # a cross-team sync
        ("Design x Marketing sync", "other"),
        ("Product-Sales sync", "other"),
        ("Sync managers produit & ventes", "management"),  # the labels say managers
        ("Data guild", "other"),
    ],
)
def test_meeting_types_written_many_ways(title, expected):
    assert meeting_type(title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Platform sync\nAttendance\nPresent: Anne Roy, Hélène Blanc\nTopics\nCosts", "en"),
        ("Summary: release slips, owner Sam, follow up next week with Zoé Perrin", "en"),
        ("Réunion plateforme\nPrésents : Sam Lee, Ada Park\nSujets\nCoûts élevés", "fr"),
        ("Budget validé, recrutement décalé, coûts réduits pour Sam Lee", "fr"),
    ],
)
def test_language_of_short_texts(text, expected):
    assert language(text) == expected
