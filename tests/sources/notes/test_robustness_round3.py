"""Round-3 classes of minutes the parser must read, on examples written for these tests (not
taken from the blind or labelled sets): civilities and titles around names, guest lines,
counts and collectives, absence in running text and other words, the end of a list."""

from __future__ import annotations

import pytest

from pipelines.sources.notes import parse_file
from pipelines.sources.notes.attendance import clean_name, is_title, not_a_person, split_names
from pipelines.sources.notes.vocabulary import attendance_label


def _parse(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("M. Lucien Ferrand", "Lucien Ferrand"),
        ("Mme Odile Caron", "Odile Caron"),
        ("Mlle Inès Royer", "Inès Royer"),
        ("Mr Tom Hale", "Tom Hale"),
        ("Mrs. Jane Oakley", "Jane Oakley"),
        ("Ms Ada Park", "Ada Park"),
        ("Dr Lee Chen (invited)", "Lee Chen"),
        ("Madame Odile Caron", "Odile Caron"),
        ("Mme Caron", "Caron"),
        ("M. R.", "M. R."),  # someone's initials, not a civility
        ("Marc Olivier", "Marc Olivier"),
        ("Drew Barry", "Drew Barry"),
    ],
)
def test_civilities_are_not_part_of_the_name(written, expected):
    assert clean_name(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("- Odile Caron, DRH", "Odile Caron"),
        ("* Lucien Ferrand, Directeur technique (à distance)", "Lucien Ferrand"),
        ("Tom Hale, Account manager", "Tom Hale"),
        ("Ada Park, VP Engineering", "Ada Park"),
        ("Jane Oakley, Support lead", "Jane Oakley"),
        ("Hale, Tom", "Hale, Tom"),  # a name written surname first stays whole
    ],
)
def test_a_title_after_a_comma_is_dropped(written, expected):
    assert clean_name(written) == expected


def test_titles_in_an_inline_list_are_not_new_names():
    written = "Odile Caron, DAF, Lucien Ferrand, Responsable produit, Tom Hale"
    assert split_names(written) == ["Odile Caron", "Lucien Ferrand", "Tom Hale"]
    # a role with a determiner names a person the directory resolves: kept
    assert split_names("Tom Hale, la DSI") == ["Tom Hale", "la DSI"]
    assert is_title("Chief Financial Officer") and is_title("cheffe de projet")
    assert not is_title("la DAF") and not is_title("Tom Hale")


@pytest.mark.parametrize(
    "line",
    [
        "Assistait également à la réunion : Odile Caron",
        "Assistaient également : Odile Caron",
        "Also attending: Odile Caron",
        "Also attending the meeting: Odile Caron",
        "Invitée : Odile Caron",
        "Invité(e)s : Odile Caron",
        "Guest: Odile Caron",
        "Dialled in: Odile Caron",
    ],
)
def test_guest_lines_are_attendees(line):
    assert attendance_label(line) == ("present", "Odile Caron")


@pytest.mark.parametrize(
    "written",
    ["+ 12 others", "40 personnes", "toute l'équipe", "toute l’entreprise", "the whole team",
     "everyone", "tout le monde", "Néant", "the entire company", "n/a"],
)  # fmt: skip
def test_counts_and_collectives_are_not_names(written):
    assert not_a_person(written)
    assert clean_name(written) == ""


def test_counts_and_comments_inside_a_list_are_dropped():
    assert split_names("Ada Park, Tom Hale + 20 others") == ["Ada Park", "Tom Hale"]
    assert split_names("Mme Odile Caron (Data), pour le point 3.") == ["Odile Caron"]
    assert split_names("tout le monde (une trentaine)") == []
    # lower-case names of casual notes are still names
    assert split_names("ada, tom") == ["ada", "tom"]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Pas là : @sam (congés)", "@sam (congés)"),
        ("OOO: @ben", "@ben"),
        ("Out of office: Ben Ode", "Ben Ode"),
        ("Absente excusée : Ada Park", "Ada Park"),
        ("Absents excusés : Ada Park", "Ada Park"),
        ("Regrets: Ben Ode", "Ben Ode"),
        ("Pas présents : Ben Ode", "Ben Ode"),
    ],
)
def test_absence_written_with_other_words(line, names):
    assert attendance_label(line) == ("absent", names)


def test_absence_in_running_text(tmp_path):
    meeting = _parse(
        tmp_path,
        "point-2026-03-02.md",
        "# Point équipe du 2 mars 2026\n\nPrésents : Ada Park, Tom Hale\n"
        "Sam est absent (malade). Ben et Zoé sont excusés.\n\n## Sujets\n- budget\n",
    )
    assert meeting.attendees == ["Ada Park", "Tom Hale"]
    assert meeting.absentees == ["Sam", "Ben", "Zoé"]


def test_absence_news_in_the_body_is_not_attendance(tmp_path):
    body = "".join(f"- point {i} sans absence\n" for i in range(15))
    meeting = _parse(
        tmp_path,
        "team-2026-03-02.md",
        "# Team weekly 2026-03-02\n\nPresent: Ada Park\n\n## Notes\n" + body
        + "- Le budget est absent du plan.\n- Tom Hale is on leave until May.\n",
    )  # fmt: skip
    assert meeting.absentees == []


def test_an_absent_list_ends_at_a_new_numbered_list(tmp_path):
    meeting = _parse(
        tmp_path,
        "codir-2026-03-02.txt",
        "CODIR DU 2 MARS 2026\n\nPRÉSENTS\n- Ada Park, DAF\n- Tom Hale\n\nABSENTS\n"
        "- Ben Ode, Directeur commercial (congés)\n\n1) Budget\nRien.\n2) Recrutement\nRien.\n",
    )
    assert meeting.attendees == ["Ada Park", "Tom Hale"]
    assert meeting.absentees == ["Ben Ode"]


def test_a_numbered_list_resumed_after_a_blank_line_goes_on(tmp_path):
    meeting = _parse(
        tmp_path, "2026-03-02.md", "Présents :\n1. Ada Park\n\n2. Tom Hale\n\nRien d'autre.\n"
    )
    assert meeting.attendees == ["Ada Park", "Tom Hale"]


def test_front_matter_absence_under_other_keys(tmp_path):
    meeting = _parse(
        tmp_path,
        "m.md",
        "---\ndate: 2026-03-02\nprésents: [Ada Park]\nexcusés: [Mme Odile Caron]\n---\n# M\n",
    )
    assert meeting.attendees == ["Ada Park"]
    assert meeting.absentees == ["Odile Caron"]
    meeting = _parse(
        tmp_path, "n.md", "---\ndate: 2026-03-02\nattendees: Ada Park\nregrets: Ben Ode\n---\n"
    )
    assert meeting.absentees == ["Ben Ode"]
