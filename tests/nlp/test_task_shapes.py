"""Task shapes of minutes (ACTION in ../shared/LABELLING.md) and their look-alikes, on
sentences written for this test, French and English: the unit classifier's task markers
(`nlp.unit_markers`, words in `lexicons/<lang>/tasks.json`) and the second-opinion rules of
`nlp.unit_model`. They test the rules, not accuracy (that is `python -m nlp.unit_eval`)."""

import json

import pytest

from nlp.resources import LexiconError
from nlp.text import fold
from nlp.unit_markers import owner_task, shape_markers, task_words
from nlp.unit_model import MODEL_DIR, assigned, classify, features, rules_decide


def marks(text: str, lang: str) -> list[str]:
    return shape_markers(text, fold(text), lang)


@pytest.mark.parametrize(
    "lang, text, marker",
    [
        ("fr", "Margot envoie le compte rendu aux adhérents.", "zzowner_present"),
        ("fr", "@bastien prend rendez-vous avec la mairie", "zzowner_present"),
        ("fr", "Yannick se charge de réserver la salle", "zzcharge"),
        ("fr", "La trésorière s'occupe de la déclaration", "zzcharge"),
        ("fr", "À faire : mettre à jour le site", "zztask_prefix"),
        ("fr", "Odile et Paul vont préparer les affiches", "zzowner_named"),
        ("en", "Action item: Dev will update the wiki page", "zztask_prefix"),
        ("en", "AI: circulate the budget sheet", "zztask_prefix"),
        ("en", "- [ ] book the venue for March", "zzcheckbox"),
        ("en", "We reviewed the charter, and Nadia will draft the FAQ.", "zzowner_named"),
        ("en", "We looked at the tracker and that Omar would triage it.", "zzowner_named"),
        ("en", "The group asked Hana to contact the printer.", "zzassign"),
        ("en", "Members assigned each other follow-ups on open tickets.", "zzassign"),
        ("en", "Sven volunteered to write the release notes.", "zzcharge"),
        ("en", "Made a note to ask the venue about parking.", "zzcharge"),
    ],
)
def test_task_markers(lang, text, marker):
    assert marker in marks(text, lang)


@pytest.mark.parametrize(
    "lang, text, marker",
    [
        ("fr", "Le collectif envoie ses voeux", "zzowner_present"),  # not a person
        ("fr", "Margot a envoyé le compte rendu.", "zzowner_present"),  # done, not to do
        ("fr", "Margot aime les réunions courtes", "zzowner_present"),  # no task verb
        ("en", "The SC will be on holiday in August", "zzowner_named"),
        ("en", "Priya will be away in August", "zzowner_named"),  # `will be`: no task
        ("en", "We will send the minutes next week", "zzowner_named"),  # `we`: the meeting
        ("en", "Actionable feedback was welcome", "zztask_prefix"),
        ("en", "The council asked whether the venue is free", "zzassign"),
    ],
)
def test_task_markers_skip_look_alikes(lang, text, marker):
    assert marker not in marks(text, lang)


def test_a_named_task_leaves_the_rules_decision_to_the_model():
    found = [{"status": "taken", "actors": [], "attributed_to_meeting": True}]
    assert owner_task("The SC accepted it. Petr will send out two questions.")
    assert not rules_decide("The SC accepted it. Petr will send out two questions.", found)
    assert rules_decide("The SC accepted PEP 123.", found)
    assert rules_decide("The SC accepted it; we will announce it on Monday.", found)


def test_task_words_are_data(tmp_path, monkeypatch):
    assert "se charge de" in task_words("fr")["charge_phrases"]
    assert "volunteered to" in task_words("en")["charge_phrases"]
    bad = tmp_path / "fr"
    bad.mkdir()
    (bad / "tasks.json").write_text(json.dumps({"owner_verbs": "envoie"}), encoding="utf-8")
    monkeypatch.setattr("nlp.unit_markers.LEXICON_DIR", tmp_path)
    task_words.cache_clear()
    try:
        with pytest.raises(LexiconError, match="tasks.json.*owner_verbs"):
            task_words("fr")
    finally:
        task_words.cache_clear()


@pytest.mark.parametrize(
    "lang, text, handed",
    [
        ("fr", "Yannick se charge de réserver la salle", True),
        ("en", "Action item: Dev will update the wiki page", True),
        ("en", "The group asked Hana to contact the printer.", True),
        ("fr", "Yannick se charge de réserver la salle ?", False),  # a question
        ("en", "The wiki page was updated last week.", False),
    ],
)
def test_a_task_handed_to_someone_is_an_action_whatever_the_model(lang, text, handed):
    assert assigned(features(text, "", [], lang)) is handed


class _FakeModel:
    """Stands for the textcat: says NONE for every unit, with the shipped priors' path."""

    def __init__(self, path):
        self.path = path

    def pipe(self, texts, batch_size=256):
        for _ in texts:
            yield type("Doc", (), {"cats": {"DECISION": 0.1, "ACTION": 0.1, "NONE": 0.8}})()


def test_classify_turns_a_none_with_a_task_shape_into_an_action():
    texts = [
        features("Sven volunteered to write the release notes.", "", [], "en"),
        features("The room was warm.", "", [], "en"),
    ]
    assert classify(_FakeModel(MODEL_DIR), texts, [False, False]) == ["ACTION", "NONE"]
