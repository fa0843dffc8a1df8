"""Minute-writing conventions of ../shared/LABELLING.md, on sentences written for this test:
the rule cues added for them (vote counts, `Decision -`, `no objections`, `let's` closing a
point, a settled meeting rhythm, a bare `on attend`) and the unit classifier's shape markers
(`nlp.unit_markers`). They test the rules, not accuracy (that is `python -m nlp.unit_eval`)."""

import pytest

from nlp.text import fold
from nlp.unit_markers import heading_markers, shape_markers
from tests.nlp.decision_helpers import actor_texts, decisions, one, pipeline_for


@pytest.mark.parametrize(
    "lang, text, status",
    [
        ("fr", "Adhésion au collectif + pour 14 + contre 1 + abstention 2", "taken"),
        ("fr", "Nouveau logo : 9 voix pour, 3 voix contre.", "taken"),
        ("fr", "Tee-shirts de l'asso : on attend", "postponed"),
        ("fr", "Pas d'objection, le budget du festival est reconduit.", "taken"),
        ("en", "Sam: Decision - we keep the Thursday slot", "taken"),
        ("en", "No objections, the new charter stands.", "taken"),
        ("en", "Let's stick with the current release cadence.", "taken"),
        ("en", "Calls will be every other Monday from now on", "taken"),
        ("en", "Motion to move the repo. Yes: 7, No: 1", "taken"),
    ],
)
def test_minute_conventions_are_decisions(fr_full, en_full, lang, text, status):
    assert one(pipeline_for(fr_full, en_full, lang), text)["status"] == status


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "Any objections to moving the repo?"),
        ("en", "Let's discuss the budget next time."),
        ("fr", "On attend la facture du traiteur ?"),
    ],
)
def test_look_alikes_stay_out(fr_full, en_full, lang, text):
    assert decisions(pipeline_for(fr_full, en_full, lang), text) == []


def test_a_vote_heading_is_no_person(fr_full):
    found = one(fr_full, "Vote : 12 voix pour, 2 contre")
    assert found["attributed_to_meeting"] and actor_texts(found) == []


def marks(text: str, lang: str) -> list[str]:
    return shape_markers(text, fold(text), lang)


@pytest.mark.parametrize(
    "lang, text, marker",
    [
        ("en", "Priya to send the slides to the list", "zzowner_will"),
        ("en", "The notes are up. Tom will book the room.", "zzowner_will"),
        ("fr", "Claire et Hugo vont préparer l'AG", "zzowner_will"),
        ("en", "It was decided that Dana would draft the reply.", "zzdecided_who"),
        ("fr", "Lucie : affiches du festival", "zzname_colon"),
        ("fr", "Relancer la mairie pour la salle", "zzinfinitive_first"),
        ("en", "Follow up with the venue about catering", "zzimperative_first"),
        ("fr", "Atelier vélo samedi 12 octobre", "zzdate"),
        ("en", "Reviews once a month", "zzperiodic"),
        ("fr", "Permanence tous les mardis", "zzperiodic"),
        ("en", "The sync will be shorter going forward", "zzfuture"),
        ("fr", "La cotisation sera de 10 euros", "zzfuture"),
        ("en", "Let's close this in favour of the new issue", "zzlets"),
        ("en", "No objections.", "zzno_objection"),
        ("fr", "Décision à prendre plus tard", "zzdefer"),
        ("en", "Maybe we could rotate the chair", "zzproposal"),
        ("en", "The migration was completed last week", "zzreport"),
    ],
)
def test_shape_markers(lang, text, marker):
    assert marker in marks(text, lang)


@pytest.mark.parametrize(
    "lang, text, marker",
    [
        ("en", "The meeting will be on Zoom", "zzowner_will"),  # `will be`: a plan, no task
        ("en", "The board to approve the accounts", "zzowner_will"),  # not a person
        ("fr", "Notre local est trop petit", "zzinfinitive_first"),  # a noun in -re
        ("fr", "Atelier le 3 mai", "zzinfinitive_first"),
        ("en", "Let's discuss it again", "zzlets"),
        ("en", "Check-in: everyone is fine", "zzimperative_first"),
    ],
)
def test_shape_markers_skip_look_alikes(lang, text, marker):
    assert marker not in marks(text, lang)


def test_heading_markers():
    assert heading_markers(fold("Relevé de décisions")) == ["zzhead_decision"]
    assert heading_markers(fold("Actions à mener")) == ["zzhead_action"]
    assert heading_markers(fold("Next steps")) == ["zzhead_action"]
    assert heading_markers(fold("Ordre du jour")) == []
