"""Outside bodies as decision actors (`nlp/components/bodies.py`), on sentences written for
this test: an institution outside the meeting (a municipal council, a town hall, a
ministry, a foundation, another association's board) is actor kind `body` and the decision
is not the meeting's; the meeting's own body (a generic collective, `notre conseil`, the body
its top heading names) stays the meeting; a person stays a person."""

import json

import pytest

from nlp import annotate_documents
from tests.nlp.decision_helpers import one, pipeline_for


def _actors(decision: dict) -> list[tuple[str, str]]:
    return [(a["text"], a["kind"]) for a in decision["actors"]]


@pytest.mark.parametrize(
    "lang, text, body",
    [
        (
            "fr",
            "Le conseil municipal a approuvé la subvention de 12 000 euros au club.",
            "Le conseil municipal",
        ),
        ("fr", "La mairie a refusé la salle Jean Macé pour le forum.", "La mairie"),
        ("fr", "La métropole a validé le nouveau tracé de la ligne 3.", "La métropole"),
        ("fr", "Le budget de la fête de quartier a été validé par la préfecture.", "la préfecture"),
        (
            "fr",
            "La commission départementale a rejeté le dossier de la crèche.",
            "La commission départementale",
        ),
        (
            "fr",
            "Le bureau de l'association Vélo Cité a refusé de partager le stand.",
            "Le bureau de l'association Vélo Cité",
        ),
        ("en", "The city council voted to close the branch library.", "The city council"),
        (
            "en",
            "The OpenJS Foundation board approved the travel fund.",
            "The OpenJS Foundation board",
        ),
        ("en", "The ministry rejected the grant request for the lab.", "The ministry"),
        ("en", "The sponsorship was approved by the foundation last week.", "the foundation"),
    ],
)
def test_an_outside_body_decides(fr_full, en_full, lang, text, body):
    decision = one(pipeline_for(fr_full, en_full, lang), text)
    assert _actors(decision) == [(body, "body")]
    assert decision["attributed_to_meeting"] is False


@pytest.mark.parametrize(
    "lang, text",
    [
        # generic collectives and the group itself are the meeting
        ("fr", "Le CA a validé le budget prévisionnel."),
        ("fr", "Le conseil d'administration a validé le budget prévisionnel."),
        ("fr", "Le conseil a validé le budget prévisionnel."),
        ("fr", "Notre conseil a validé le budget prévisionnel."),
        ("fr", "On a validé le budget prévisionnel."),
        ("en", "The SC accepted PEP 801."),
        ("en", "SC accepted PEP 801 after the vote."),
        ("en", "The Python Steering Council accepted PEP 801."),
        ("en", "The council decided to defer the release."),
        ("en", "We agreed to move the sync to Thursdays."),
    ],
)
def test_the_meetings_own_body_stays_the_meeting(fr_full, en_full, lang, text):
    decision = one(pipeline_for(fr_full, en_full, lang), text)
    assert decision["actors"] == [] and decision["attributed_to_meeting"] is True


@pytest.mark.parametrize(
    "lang, text, person",
    [
        ("fr", "Ophélie a validé la convention avec la mairie.", "Ophélie"),
        ("en", "Rashid approved the city council's request.", "Rashid"),
    ],
)
def test_a_person_stays_a_person(fr_full, en_full, lang, text, person):
    decision = one(pipeline_for(fr_full, en_full, lang), text)
    assert _actors(decision) == [(person, "person")]


@pytest.mark.parametrize(
    "lang, text",
    [
        # a name in an aside before the cue, or after `by` before any cue, is not the decider
        ("en", "The SC discussed PEP 799 (Lazy Import Hooks) and decided to accept it."),
        ("en", "The SC discussed PEP 798 by Hollis Grant and agreed to wait for a new draft."),
    ],
)
def test_asides_and_authors_are_not_deciders(en_full, lang, text):
    assert one(en_full, text)["actors"] == []


def _minutes(text: str, lang: str) -> list[dict]:
    doc = {"document_id": "m", "text": text, "kind": "minutes", "language": lang}
    return annotate_documents([doc], outputs=("decisions",))["decisions"]


def test_the_council_of_its_own_minutes_is_the_meeting():
    """Minutes whose top heading names the council: `le conseil municipal` is the meeting."""
    own = _minutes(
        "# Conseil municipal du 6 décembre\n\n"
        "Le conseil municipal a approuvé le budget primitif 2027.\n",
        "fr",
    )
    other = _minutes(
        "# Réunion du collectif, 8 décembre\n\n"
        "Le conseil municipal a approuvé le budget primitif 2027.\n",
        "fr",
    )
    assert [(d["attributed_to_meeting"], json.loads(d["actors"])) for d in own] == [(True, [])]
    assert [json.loads(d["actors"])[0]["kind"] for d in other] == ["body"]
    assert [d["attributed_to_meeting"] for d in other] == [False]
