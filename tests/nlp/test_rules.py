"""Rule classes added for the decision layer, each on sentences written for this test.

Status precedence, proposals that were ruled on, deciders after decision nouns and request
idioms, names at the start of a bullet, known people, domain hints and cased terms.
"""

import json

import pytest

from nlp import annotate_documents
from tests.nlp.decision_helpers import actor_texts, one


@pytest.mark.parametrize(
    "text, status",
    [
        ("Bruno tranche : on fige le périmètre de la V3, l'export PDF attendra.", "taken"),
        ("Décision : on reporte l'audit RGPD à l'automne.", "postponed"),
        ("La directrice financière a décidé de reporter l'achat des écrans.", "postponed"),
        ("On arrête le connecteur SAP, trop peu de clients l'utilisent.", "rejected"),
        ("Les embauches sont gelées jusqu'en mars.", "postponed"),
        ("On gèle les nouvelles intégrations pour stabiliser la plateforme.", "taken"),
    ],
)
def test_french_status_precedence(fr_full, text, status):
    assert one(fr_full, text)["status"] == status


@pytest.mark.parametrize(
    "text, status",
    [
        ("Kevin made the call: we ship the mobile beta first, the web beta can wait.", "taken"),
        ("Decision: we postpone the pricing change to August.", "postponed"),
        ("The idea of a second data centre was ruled out, too expensive.", "rejected"),
        ("We're killing the legacy importer next month.", "rejected"),
        ("The partner portal has been pushed to Q1.", "postponed"),
        ("Ops settled on Grafana Cloud for dashboards.", "taken"),
        ("Bumped to P1 by Lena, two enterprise accounts are blocked.", "taken"),
    ],
)
def test_english_status(en_full, text, status):
    assert one(en_full, text)["status"] == status


@pytest.mark.parametrize(
    "text",
    [
        "Proposition de Paul : passer le support en 24/7.",
        "Il a été convenu de se reparler jeudi du choix de l'outil.",
        "Le choix de l'hébergeur est toujours en attente du juridique.",
        "On a besoin d'une validation du CODIR avant de commander ?",
    ],
)
def test_french_tentative_is_not_a_decision(fr_full, text):
    assert fr_full(text)._.decisions == []


@pytest.mark.parametrize(
    "text",
    [
        "I propose we move the standup to 10.",
        "Open question: do we keep the free plan?",
        "Maria asked whether finance should approve every new tool.",
        "We agreed to meet again once the audit report is in.",
        "The renewal decision is still pending.",
    ],
)
def test_english_tentative_is_not_a_decision(en_full, text):
    assert en_full(text)._.decisions == []


def test_ruled_on_proposal_is_a_decision(fr_full, en_full):
    assert (
        one(en_full, "The proposal to drop IE11 support was accepted by the CPO.")["status"]
        == "taken"
    )
    assert (
        one(fr_full, "La proposition de Jade de passer au SSO est refusée.")["status"] == "rejected"
    )


@pytest.mark.parametrize(
    "text, actors",
    [
        ("Décision de Sonia B. : on migre les sauvegardes vers Scaleway.", ["Sonia B."]),
        ("Arbitrage de la DAF : pas de nouvelles licences cette année, c'est refusé.", ["la DAF"]),
        ("Reporté à la demande de Yasmine, le client n'est pas prêt.", ["Yasmine"]),
        (
            "Sur proposition du directeur produit, décidé de retirer le mode hors ligne.",
            ["directeur produit"],
        ),
        ("Comme convenu avec Hugo, on abandonne le SDK Windows.", ["Hugo"]),
        ("Les primes sont reportées au second semestre, annonce la DRH.", ["la DRH"]),
    ],
)
def test_french_deciders_after_prepositions(fr_full, text, actors):
    assert actor_texts(one(fr_full, text)) == actors


@pytest.mark.parametrize(
    "text, actors",
    [
        ("Decision by the CTO: the mobile team keeps React Native.", ["the CTO"]),
        ("At the request of Omar, the export work is postponed.", ["Omar"]),
        ("Per the CFO's decision, travel budgets are frozen until June.", ["the CFO"]),
        ("Nina's call: the beta stays invite-only.", ["Nina"]),
        ("Renewal pricing deferred to next quarter, the CEO announced.", ["the CEO"]),
    ],
)
def test_english_deciders(en_full, text, actors):
    assert actor_texts(one(en_full, text)) == actors


def test_requester_and_products_are_not_actors(fr_full, en_full):
    decision = one(fr_full, "Remise exceptionnelle demandée par Nexa : refusée par le DAF.")
    assert actor_texts(decision) == ["le DAF"]
    decision = one(en_full, "The Zendesk migration is postponed to the next planning cycle.")
    assert decision["actors"] == []
    decision = one(fr_full, "Mise en production chez le client Kéolis reportée au 12 mai.")
    assert decision["actors"] == []


@pytest.mark.parametrize(
    "lang, text, actor",
    [
        ("fr", "- Mathilde tranche : on garde Vue pour le back-office.", "Mathilde"),
        ("fr", "|Anne-Laure a validé le nouveau plan de tests.", "Anne-Laure"),
        ("en", "- Rafael approves the switch to Postgres 16.", "Rafael"),
    ],
)
def test_name_at_bullet_start(fr_full, en_full, lang, text, actor):
    nlp = fr_full if lang == "fr" else en_full
    assert actor_texts(one(nlp, text)) == [actor]


def test_reported_conditional_does_not_hedge(fr_full):
    decision = one(fr_full, "Paul a décidé que les astreintes seraient payées double.")
    assert actor_texts(decision) == ["Paul"]


def _actors(text, lang, known=None):
    tables = annotate_documents(
        [{"document_id": "d", "text": text, "language": lang}], known_people=known
    )
    return [[a["text"] for a in json.loads(d["actors"])] for d in tables["decisions"]]


def test_known_people_initials_and_lowercase_names():
    text = "- JPL arbitre : on passe sur Kafka.\n- hélène m. a validé le budget cloud.\n"
    # Without a directory, capitals right before the cue verb read as initials.
    assert _actors(text, "fr") == [["JPL"], []]
    known = ["Jean-Pierre Leroy", "JPL", "Hélène Martin", "Hélène M."]
    assert _actors(text, "fr", known) == [["JPL"], ["hélène m."]]


def test_known_initials_are_case_sensitive_and_common_words_need_capitals():
    known = ["MD", "Will Grant", "Will"]
    assert _actors("- md arbitre : on passe sur Kafka.\n", "fr", known) == [[]]
    assert _actors("Will approved the launch, it will go live in May.\n", "en", known) == [["Will"]]


def test_known_people_found_in_a_decision_line_re_annotate_that_document_only(tmp_path):
    named = {"document_id": "d", "text": "- KB tranche : on reste sur Redis.", "language": "fr"}
    other = {"document_id": "e", "text": "- Le CTO tranche : on reste sur Redis.", "language": "fr"}
    plain = {"document_id": "f", "text": "Rien de décidé ici, on en reparle.", "language": "fr"}
    runs = []
    for people in (["Marie Dupont"], ["Marie Dupont", "KB"], ["Marie Dupont", "KB", "Zoé Roy"]):
        runs.append({})
        annotate_documents([named, other, plain], cache_dir=tmp_path, stats=runs[-1],
                           known_people=people)  # fmt: skip
    # first run: all three; "KB" added: only the line that names KB; "Zoé Roy": nowhere
    assert [run["annotated"] for run in runs] == [3, 1, 0]
    assert runs[2]["cache_hits"] == 3
    fresh = annotate_documents([named, other, plain], known_people=["Marie Dupont", "KB"])
    cached = annotate_documents(
        [named, other, plain], cache_dir=tmp_path, known_people=["Marie Dupont", "KB", "Zoé Roy"]
    )
    assert cached == fresh  # what the cache gives is what a fresh run gives


def test_a_cached_result_is_not_reused_across_with_and_without_a_directory(tmp_path):
    doc = [{"document_id": "d", "text": "- Marc tranche : on reste sur Redis.", "language": "fr"}]
    first, second, third = {}, {}, {}
    annotate_documents(doc, cache_dir=tmp_path, stats=first)
    annotate_documents(doc, cache_dir=tmp_path, stats=second, known_people=["Zoé Roy"])
    annotate_documents(doc, cache_dir=tmp_path, stats=third, known_people=["Anne Roy"])
    # a directory changes how unknown names are read: re-annotated once, then reused
    assert [run["annotated"] for run in (first, second, third)] == [1, 1, 0]


def test_domain_falls_back_to_tech_terms_in_the_sentence():
    text = "Décidé : on passe sur Temporal pour les workflows, avec Kafka en entrée."
    tables = annotate_documents([{"document_id": "d", "text": text, "language": "fr"}])
    assert [d["domain"] for d in tables["decisions"]] == ["technical"]


def test_cased_product_names_need_a_capital():
    tables = annotate_documents(
        [
            {
                "document_id": "d",
                "language": "en",
                "text": "How will users react? The new UI uses React.",
            }
        ]
    )
    texts = [t["text"] for t in tables["terms"] if t["label"] == "TECH_TERM"]
    assert "React" in texts and "react" not in texts
