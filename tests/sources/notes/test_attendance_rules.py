"""Attendance rules on minutes written for these tests (they test the rules; accuracy on real
minutes is `test_attendance_labels.py`): role groups, comma lists after a label, label lines
that are not people, described list items, inclusive endings, wrapped lists."""

from __future__ import annotations

import pytest

from pipelines.sources.notes import parse_file
from pipelines.sources.notes.attendance import clean_name, split_names
from pipelines.sources.notes.vocabulary import attendance_label, heading_attendance


def attendance(tmp_path, body: str, name: str = "2024-03-05-council.md"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    meeting = parse_file(path)
    return meeting.attendees, meeting.absentees


def test_a_comma_list_after_a_role_label_is_several_people(tmp_path):
    present, _ = attendance(
        tmp_path, "# Council meeting\n\nCouncil members: Ann Lee, Bo Chen and Cy Dao\n\nNotes\n"
    )
    assert present == ["Ann Lee", "Bo Chen", "Cy Dao"]


def test_role_groups_inside_an_attendance_section(tmp_path):
    present, absent = attendance(
        tmp_path,
        "# Réunion\n\n# Présence\n    administrateurs : Wannes, Thomas\n"
        "    autres membres : Amaury, Valérie et Denis\n    excusé·e·s : Emmanuel (réunion Nubo)\n"
        "\n# Bilan\n\nTout va bien, Marie, Paul.\n",
    )
    assert present == ["Wannes", "Thomas", "Amaury", "Valérie", "Denis"]
    assert absent == ["Emmanuel"]


def test_observers_and_guests_groups_are_attendees(tmp_path):
    present, _ = attendance(
        tmp_path,
        "# TSC\n\n## Present\n\n* Rod Vagg @rvagg (TSC)\n* Anna Lee (@alee)\n\n"
        "Observers: Sam Park (Acme Corp), Jo Kim\n\n## Agenda\n\n* Item\n",
    )
    assert present == ["Rod Vagg", "Anna Lee", "Sam Park", "Jo Kim"]


@pytest.mark.parametrize("line", ["Link: https://example.org/x", "Labels: tsc-agenda, ci",
                                  "Date: 2024-03-05", "Notes: none"])  # fmt: skip
def test_label_lines_that_are_not_people_never_become_attendees(tmp_path, line):
    present, _ = attendance(tmp_path, f"# TSC\n\n## Present\n\n* Ann Lee\n* {line}\n* Bo Chen\n")
    assert "Ann Lee" in present
    assert not any(":" in p or "http" in p or p.lower().startswith(("link", "label", "date"))
                   for p in present)  # fmt: skip


def test_an_agenda_line_ends_the_list(tmp_path):
    present, _ = attendance(tmp_path, "Présents :\n- Marie\n- Paul\nOrdre du jour\n- Budget\n")
    assert present == ["Marie", "Paul"]


def test_described_items_keep_the_person_only(tmp_path):
    present, _ = attendance(
        tmp_path,
        "# Rencontre\n\n## Participants·es\n\n"
        "-Edna Brustein, Conseillère à la recherche, Université de Montréal :\n\n"
        "* Rôle au sein de la FCI :\n  * Fonds des leaders : contexte\n\n"
        "-Daniel Frachon, Conseiller suivi budgétaire\n\n"
        "- Martin Sévigny : Directeur des technologies - Bibliothèques\n"
        "- Elodie R, représentée par Jean-Jacques B.\n\n## Budget\n",
    )
    assert present == ["Edna Brustein", "Daniel Frachon", "Martin Sévigny", "Elodie R"]


def test_a_list_wrapped_inside_emphasis_is_read_whole(tmp_path):
    present, _ = attendance(
        tmp_path,
        "# Rapport\n\n*Présents : Jean-Jacques Brucker, Laurent Céard, Frédéric\nZwikel.*\n\n"
        "## Chiffres\n\n* Membres actifs : 15 (+2)\n",
    )
    assert present == ["Jean-Jacques Brucker", "Laurent Céard", "Frédéric Zwikel"]


def test_a_sentence_introducing_people_opens_a_list(tmp_path):
    present, _ = attendance(
        tmp_path,
        "# Soirée\n\nPour échanger, nous avons eu le plaisir d'accueillir :\n\n"
        "  * **Corinne Luxembourg** , Maîtresse de conférences\n"
        "  * **Alexandra Duval** , militante\n\nRetrouvez le compte rendu.\n",
    )
    assert present == ["Corinne Luxembourg", "Alexandra Duval"]


@pytest.mark.parametrize(
    ("heading", "kind"),
    [("Présences", "present"), ("Participant·es", "present"), ("Absents excusés", "absent"),
     ("Membres actifs présents ou représentés (8)", "present"),
     ("Présentation des intervenants", "present"), ("Council members", "present"),
     ("Présence du matériel", None), ("Invités midi-causerie", None), ("Members", None),
     ("Avis de la ville sur le projet, présenté par Robert Rochaud", None)],
)  # fmt: skip
def test_headings_that_name_an_attendance_list(heading, kind):
    assert heading_attendance(heading) == kind


@pytest.mark.parametrize(
    ("line", "expected"),
    [("attendu·e·s : tierce, Valérie", ("present", "tierce, Valérie")),
     ("Excusé·e·s : Emmanuel", ("absent", "Emmanuel")),
     ("Membres actifs absents (4) :", ("absent", "")),
     ("Membres actifs : 15 (+2)", None), ("Points présentés : budget et RH", None),
     ("Link: https://example.org", None)],
)  # fmt: skip
def test_label_lines(line, expected):
    assert attendance_label(line) == expected


def test_names_that_look_like_collectives_and_comments():
    assert split_names("Zoë, Lena, David et Alix") == ["Zoë", "Lena", "David", "Alix"]
    assert clean_name("puis e-jim") == "e-jim"
    assert clean_name("tharyrok (à distance)") == "tharyrok"
    assert clean_name("https://pads.example.org/p/x") == ""
