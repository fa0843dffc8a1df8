"""Which date, title and type a file gets (issue 10): the date from front matter, then the
file name, then the title, a disagreement reported; the title is the document's heading;
governance bodies' words give comex; references in headings keep their link targets."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.sources.notes import parse_file
from pipelines.sources.notes.vocabulary import meeting_type


def _parse(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path, timezone="UTC")


@pytest.mark.parametrize(
    ("name", "text", "expected", "warned"),
    [
        # the file name over the title, and said
        ("2018-12-12.md", "# TSC Meeting 2018-12-05\n\nbody\n", date(2018, 12, 12), True),
        # the front matter over both, and said
        ("2018-12-12.md", "---\ndate: 2018-12-19\n---\n# TSC Meeting 2018-12-05\n",
         date(2018, 12, 19), True),
        # agreeing sources: no warning
        ("2018-12-12.md", "---\ndate: 2018-12-12\n---\n# TSC Meeting 12 December 2018\n",
         date(2018, 12, 12), False),
        # no date in the name: the title
        ("tsc-minutes.md", "# TSC Meeting 2018-12-05\n", date(2018, 12, 5), False),
        # a month in the name, a day in the title inside it: refined, no warning
        ("2021-03-update.md", "# March 1\n\nThe council met.\n", date(2021, 3, 1), False),
        # a title date outside the name's month: the name's month wins, and said
        ("2024-07-update.md", "# Update 2024-06-26\n\nOn 2024-07-09 we met.\n",
         date(2024, 7, 9), True),
        # only body dates: the first one, as before
        ("minutes.md", "# Council\n\nDate: 3 March 2026\n", date(2026, 3, 3), False),
    ],
)  # fmt: skip
def test_the_date_comes_from_front_matter_then_name_then_title(
    tmp_path, name, text, expected, warned
):
    meeting = _parse(tmp_path, name, text)
    assert meeting.date == expected
    assert bool(meeting.warnings) == warned
    if warned:
        (warning,) = meeting.warnings
        assert "dates disagree" in warning and expected.isoformat() in warning


def test_the_warning_names_each_source_and_what_it_says(tmp_path):
    meeting = _parse(tmp_path, "2018-12-12.md", "# TSC Meeting 2018-12-05\n")
    assert meeting.warnings == [
        "dates disagree: the file name says 2018-12-12, the title says 2018-12-05; 2018-12-12 "
        "used (front matter, then file name, then title): correct the one that is wrong"
    ]


def test_a_month_in_the_name_is_named_in_its_place(tmp_path):
    meeting = _parse(tmp_path, "2024-04,05,06-update.md", "# April through June 19, 2024\n")
    assert meeting.date == date(2024, 4, 1)
    assert meeting.warnings[0].startswith(
        "dates disagree: the file name says 2024-04, the title says 2024-06-19; 2024-04-01 used"
    )


def test_a_date_time_in_front_matter_still_gives_the_start(tmp_path):
    meeting = _parse(tmp_path, "x.md", "---\ndate: 2026-03-02 14:30\n---\n# CODIR\n")
    assert (meeting.date, meeting.start_at.hour, meeting.start_at.minute) == (
        date(2026, 3, 2), 14, 30)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # a remark above the heading is not the title
        ("(doc to move to nodejs/node repository after meeting)\n\n"
         "# Node Foundation TSC Meeting 2016-03-17\n\n## Present\n\n* Rod\n",
         "Node Foundation TSC Meeting 2016-03-17"),
        ("<!-- draft -->\nDraft, do not share\n\n# Leadership Council 2026-03-02\n",
         "Leadership Council 2026-03-02"),
        # a heading that names a section is not a title: the first line stays
        ("Compte rendu CODIR du 2 mars 2026\n\n## Présents\n\n- Marie\n",
         "Compte rendu CODIR du 2 mars 2026"),
        ("# Comité exécutif\n\nbody\n", "Comité exécutif"),
    ],
)  # fmt: skip
def test_the_title_is_the_real_heading_not_a_line_above_it(tmp_path, text, title):
    assert _parse(tmp_path, "2016-03-17.md", text).title == title


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Python Steering Council update", "comex"),
        ("Leadership Council, March", "comex"),
        ("Council meeting", "comex"),
        ("CTC meeting 2016-05-04", "comex"),
        ("Node.js TSC Meeting", "comex"),
        ("Board of directors", "comex"),
        ("Réunion de bureau", "comex"),
        ("Conseil d'administration du 3 mars", "comex"),
        ("Comité du 3 mars", "comex"),
        ("Comité de direction", "codir"),  # "comité" inside the longer codir keyword
        ("Comité directeur", "codir"),
        ("Management committee", "codir"),
        ("Leadership team offsite", "comex"),  # not the team keyword inside it
        ("COMEX management review", "comex"),  # two keywords apart: the type order
        ("Tech leads weekly", "management"),
        ("Town hall with the board", "other"),
        ("Sprint retro", "team"),
    ],
)
def test_governance_bodies_read_as_comex_from_the_keyword_file(title, kind):
    assert meeting_type(title) == kind


def test_references_in_headings_keep_their_link_targets(tmp_path):
    text = (
        "# TSC Meeting 2015-05-27\n\n## Agenda\n\n"
        "### Buffer implemented using Uint8Array [#1810](https://github.com/nodejs/io.js/issues/1810)\n\n"
        "* discussed\n"
    )
    meeting = _parse(tmp_path, "2015-05-27.md", text)
    section = meeting.sections[-1]
    assert section.heading_path.endswith("[#1810](https://github.com/nodejs/io.js/issues/1810)")
    # the id is still the slug of the heading as read (label only)
    assert section.section_id == ("notes:2015-05-27#buffer-implemented-using-uint8array-1810-1")
