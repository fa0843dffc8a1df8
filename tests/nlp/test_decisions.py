"""Decisions, status, domain and actors on the real French model and on blank English."""

import pytest


def decisions(nlp, text):
    return nlp(text)._.decisions


@pytest.mark.parametrize(
    "text, status, domain, actors",
    [
        (
            "Le CTO a décidé de reporter la migration Kubernetes au T4.",
            "postponed",
            "technical",
            [("Le CTO", "role", "cto")],
        ),
        (
            "- Marie : on part sur Postgres pour la facturation.",
            "taken",
            "technical",
            [("Marie", "person", None)],
        ),
        (
            "Validé par la directrice commerciale : remise de 10 % pour Acme.",
            "taken",
            "customer",
            [("la directrice commerciale", "role", "sales_director")],
        ),
        (
            "Notre DAF refuse l'augmentation du budget cloud.",
            "rejected",
            "budget",
            [("Notre DAF", "role", "cfo")],
        ),
        (
            "Go pour la refonte du tunnel de paiement (Paul Durand).",
            "taken",
            "roadmap",
            [("Paul Durand", "person", None)],
        ),
    ],
)
def test_french_decisions(fr_full, text, status, domain, actors):
    [found] = decisions(fr_full, text)
    assert (found["status"], found["domain"]) == (status, domain)
    assert [(a["text"], a["kind"], a["role"]) for a in found["actors"]] == actors
    assert found["attributed_to_meeting"] is False


@pytest.mark.parametrize(
    "text",
    [
        "Faut-il passer sur Kafka ?",
        "Pas de décision sur le budget recrutement.",
        "Décision à prendre au prochain CODIR.",
        "On pourrait décider de passer sur Kafka.",
        "Paul propose de valider la remise.",
        "Le sujet reste à trancher.",
        "On a décidé de ne rien décider, lol",
    ],
)
def test_french_non_decisions(fr_full, text):
    assert decisions(fr_full, text) == []


def test_french_unnamed_decision_is_attributed_to_meeting(fr_full):
    [found] = decisions(fr_full, "Nous avons décidé de geler les recrutements.")
    assert found["actors"] == [] and found["attributed_to_meeting"] is True


def test_french_pronoun_refers_back_to_named_person(fr_full):
    [found] = decisions(fr_full, "Paul a présenté le sujet. Il a validé le choix de Redis.")
    assert found["actors"] == [{"text": "Il", "kind": "pronoun", "role": None, "refers_to": "Paul"}]


def test_collective_bodies_are_the_meeting_not_an_actor(fr_full):
    [found] = decisions(fr_full, "Le COMEX valide la priorisation du module de reporting.")
    assert found["attributed_to_meeting"] is True


@pytest.mark.parametrize(
    "text, status, actors",
    [
        ("The CTO decided to postpone the Kafka migration.", "postponed", ["The CTO"]),
        ("Sarah signed off on the new pricing for enterprise customers.", "taken", ["Sarah"]),
        ("Antoine: agreed to ship it in v26.1.0.", "taken", ["Antoine"]),
        ("The request for two contractors was rejected by our CFO.", "rejected", ["our CFO"]),
    ],
)
def test_english_decisions(en_full, text, status, actors):
    [found] = decisions(en_full, text)
    assert found["status"] == status
    assert [a["text"] for a in found["actors"]] == actors


@pytest.mark.parametrize(
    "text",
    [
        "Should we approve the budget?",
        "No decision on the reorganisation.",
        "I suggest we go with Redis.",
        "If churn keeps rising we could postpone the launch.",
        "This is still to be decided.",
    ],
)
def test_english_non_decisions(en_full, text):
    assert decisions(en_full, text) == []
