"""nlp.units.segment: one test per rule on small texts, and every real minutes file."""

import re
from pathlib import Path

import pytest

from nlp.units import clean, segment

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
SOURCES = [
    "fr/ouvroir_lab",
    "fr/neutrinet_asbl",
    "fr/poitiers_collectif",
    "fr/foopgp_association",
    "en/nodejs_tsc",
    "en/python_steering_council",
]


def texts(doc: str) -> list[str]:
    return [u.text for u in segment(doc)]


def test_front_matter_is_skipped():
    # GIVEN a document opening with YAML front matter
    doc = "---\ntitle: Réunion\ndate: 2022-02-01\n---\n\nOn part sur Zotero.\n"
    # WHEN it is segmented
    units = segment(doc)
    # THEN only the body is a unit, with its line in the original file
    assert [(u.text, u.line) for u in units] == [("On part sur Zotero.", 6)]


def test_code_fence_is_skipped():
    # GIVEN a code fence between two paragraphs
    doc = "Avant.\n\n```\n- not a bullet\n```\n\nAprès.\n"
    # WHEN / THEN nothing inside the fence is a unit
    assert texts(doc) == ["Avant.", "Après."]


def test_heading_is_a_unit_and_opens_the_path():
    # GIVEN nested headings with a bullet under them
    doc = "# Réunion\n## Tech\n- Kubernetes écarté\n## Admin\nBudget voté.\n"
    # WHEN it is segmented
    units = segment(doc)
    # THEN headings are units and each unit carries the path above it, nearest last
    assert [(u.kind, u.text, u.heading) for u in units] == [
        ("heading", "Réunion", ()),
        ("heading", "Tech", ("Réunion",)),
        ("bullet", "Kubernetes écarté", ("Réunion", "Tech")),
        ("heading", "Admin", ("Réunion",)),
        ("paragraph", "Budget voté.", ("Réunion", "Admin")),
    ]


def test_bullet_keeps_its_wrapped_continuation_lines():
    # GIVEN a bullet wrapped over two indented lines, then a nested bullet
    doc = "- The SC discussed PEP 703\n  and decided to accept it.\n  - a nested point\n"
    # WHEN it is segmented
    units = segment(doc)
    # THEN the wrapped bullet is one unit and the nested bullet another
    assert [(u.kind, u.text, u.line, u.end_line) for u in units] == [
        ("bullet", "The SC discussed PEP 703 and decided to accept it.", 1, 2),
        ("bullet", "a nested point", 3, 3),
    ]


def test_numbered_point_is_a_unit_without_its_number():
    # GIVEN numbered points in both markdown styles
    doc = "1. Approbation des statuts\n2) Budget\n"
    # WHEN / THEN each is a numbered unit, number removed
    assert [(u.kind, u.text) for u in segment(doc)] == [
        ("numbered", "Approbation des statuts"),
        ("numbered", "Budget"),
    ]


def test_table_rows_are_units_without_header_and_separator():
    # GIVEN a markdown table
    doc = "| Qui | Quoi |\n|-----|------|\n| Marie | relancer Lucien |\n"
    # WHEN / THEN only the body row is a unit, cells joined
    assert [(u.kind, u.text, u.line) for u in segment(doc)] == [
        ("table_row", "Marie | relancer Lucien", 3)
    ]


def test_hard_wrapped_paragraph_is_joined():
    # GIVEN a paragraph hard-wrapped mid-sentence
    doc = (
        "Our highest priority is restarting the PEP review process. We are taking a\n"
        "look at all open PEPs.\n"
    )
    # WHEN / THEN it is one paragraph unit spanning both lines
    units = segment(doc)
    assert [(u.kind, u.line, u.end_line) for u in units] == [("paragraph", 1, 2)]
    assert units[0].text.endswith("We are taking a look at all open PEPs.")


def test_separate_short_lines_stay_separate_units():
    # GIVEN one-item-per-line notes (no wrapping)
    doc = "Partenariat avec le CRIHN? Emmanuel écrit à Michael\nInscription avec Mobilizon ?\n"
    # WHEN / THEN each line is its own unit
    assert texts(doc) == [
        "Partenariat avec le CRIHN? Emmanuel écrit à Michael",
        "Inscription avec Mobilizon ?",
    ]


def test_a_label_line_never_continues_the_line_above():
    # GIVEN "Name: text" lines one after the other
    doc = "Trevor: the tool overwrites metadata\nGoal: solidify with the TSC\n"
    # WHEN / THEN each starts its own unit
    assert texts(doc) == ["Trevor: the tool overwrites metadata", "Goal: solidify with the TSC"]


def test_vote_block_is_one_unit_with_its_motion():
    # GIVEN a motion then its counts as "+" bullets
    doc = "Approbation du code de conduite\n+ pour 23\n+ contre 0\n+ abstention 8\n"
    # WHEN it is segmented
    units = segment(doc)
    # THEN motion and counts are one vote unit
    assert [(u.kind, u.text, u.line, u.end_line) for u in units] == [
        ("vote", "Approbation du code de conduite pour 23 contre 0 abstention 8", 1, 4)
    ]


def test_vote_motion_two_lines_above_with_an_intro_is_kept():
    # GIVEN a motion, a blank line, a "Vote à main levée :" intro and indented counts
    doc = (
        "Signer la lettre ouverte :\n\nVote à main levée :\n"
        "    pour : 6\n    abstention : 0\n    non : 0\n"
    )
    # WHEN it is segmented
    units = segment(doc)
    # THEN the whole block is one vote unit starting at the motion
    assert [(u.kind, u.line, u.end_line) for u in units] == [("vote", 1, 6)]
    assert units[0].text.startswith("Signer la lettre ouverte : Vote à main levée : pour : 6")


def test_heading_is_never_taken_as_the_motion():
    # GIVEN counts right under a heading
    doc = "### Budget\nYes: 9\nNo: 0\n"
    # WHEN / THEN the heading stays a heading and the counts are the vote
    assert [(u.kind, u.text) for u in segment(doc)] == [
        ("heading", "Budget"),
        ("vote", "Yes: 9 No: 0"),
    ]


def test_inline_counts_make_a_vote_unit():
    # GIVEN a motion and its counts on one line
    doc = "Les nouveaux statuts sont adoptés à 7 voix contre 0 ; 1 abstention.\n"
    # WHEN / THEN it is a vote unit
    assert [u.kind for u in segment(doc)] == ["vote"]


def test_markup_is_removed_and_links_keep_their_text():
    # GIVEN a bullet with bold, a link, an image and an autolink
    doc = (
        "* **Adopted**: [PEP 684](https://peps.python.org/pep-0684/) ![x](a.png) <https://x.org>\n"
    )
    # WHEN / THEN only the words and the autolink url are left
    assert texts(doc) == ["Adopted: PEP 684 https://x.org"]


def test_unit_without_text_is_dropped():
    # GIVEN an image alone, a bold-marker line and an empty heading
    doc = "![Image](a.jpg)\n\n****\n\n## \n\nSéance levée à 17h25.\n"
    # WHEN / THEN only the real sentence is a unit
    assert texts(doc) == ["Séance levée à 17h25."]


@pytest.mark.parametrize(
    ("doc", "speaker"),
    [
        ("Ryan: Decision - stick to video calls\nRyan: ok\n", "Ryan"),
        ("**Mara**: I'll write the draft\n", "Mara"),
        ("- Guillaume : relancer Lucien pour le site web\n", "Guillaume"),
        ("Présents : Marie, Paul\n\nMarie : on part sur Zotero\n", "Marie"),
        ("Rod Vagg (TSC): node v4 prep\n", "Rod Vagg"),
    ],
)
def test_person_like_prefix_is_the_speaker(doc, speaker):
    # GIVEN a unit starting with a person's name and a colon
    # WHEN / THEN the name is its speaker
    assert segment(doc)[-1].speaker == speaker


@pytest.mark.parametrize(
    "doc",
    [
        "Decision: defer the Zulip group\nDecision: ok\n",
        "Note: the call is recorded\n",
        "**Action**: send a doodle\n",
        "* **Links**: https://x.org\n",
        "Agenda: budget\nAgenda: vote\n",
        "deps: update v8 to 4.5\n",
        "Conservatively: agreed to meet weekly\n",
        "Design: trouver quelqu'un\n",
    ],
)
def test_label_words_are_never_speakers(doc):
    # GIVEN a unit starting with a label word and a colon
    # WHEN / THEN it has no speaker
    assert segment(doc)[0].speaker is None


def _alnum(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def _is_subsequence(small: str, big: str) -> bool:
    chars = iter(big)
    return all(c in chars for c in small)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("source", SOURCES)
def test_every_real_minutes_file_segments_sanely(source):
    # GIVEN every file of one real source
    files = sorted((CORPUS / "meetings" / source).glob("*.md"))
    assert files, f"no minutes in {source}"
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        # WHEN it is segmented
        units = segment("\n".join(lines))
        # THEN every unit is non-empty, in order, and its text comes from its own lines
        last = 0
        for u in units:
            where = f"{path.name}:{u.line}"
            assert u.text.strip() and u.line <= u.end_line, where
            assert u.line > last, f"{where}: lines not increasing"
            last = u.end_line
            span = clean(" ".join(lines[u.line - 1 : u.end_line]))
            assert _is_subsequence(_alnum(u.text), _alnum(span)), f"{where}: {u.text[:60]!r}"
