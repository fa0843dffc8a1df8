"""Second-round rule classes for decision actors and cues, each on sentences written for
this test (other companies and names than the labelled sets).

Clause boundaries and headings, explicit agents winning over subject-side guesses,
speakers that must look like people, signatures, unlisted role titles, the directory
mode, and the cue / hedge classes added for unseen text.
"""

import json

import pytest

from nlp import annotate_documents
from tests.nlp.decision_helpers import actor_texts, decisions, one, pipeline_for


@pytest.mark.parametrize(
    "lang, text, actors",
    [
        # a company or meeting name in a heading is not the subject of a cue after the colon
        (
            "fr",
            "Revue mensuelle Quartzia – sujet 2 : le portail partenaires est reporté à mars.",
            [],
        ),
        ("fr", "COPIL Verdano : Bastien a tranché, on garde le prestataire actuel.", ["Bastien"]),
        ("en", "Orbitex ops weekly: the cold-storage tier is approved for all regions.", []),
        (
            "en",
            "CFO briefing: our Head of Sales has decided to drop the reseller tier.",
            ["our Head of Sales"],
        ),
        # heading words and ticket keys before a colon are never speakers
        ("fr", "KLM-812 : Reporté au sprint 40, la maquette n'est pas prête.", []),
        ("en", "Status: approved | Owner: platform | Scope: EU only", []),
        ("en", "NOVA-77: Closed as won't fix, the behaviour matches the spec.", []),
        # a verb after the mention makes its clause a sentence, not a heading
        (
            "fr",
            "Gaëlle a clos le débat : la refonte du tunnel de paiement est validée.",
            ["Gaëlle"],
        ),
    ],
)
def test_clause_boundaries(fr_full, en_full, lang, text, actors):
    assert actor_texts(one(pipeline_for(fr_full, en_full, lang), text)) == actors


@pytest.mark.parametrize(
    "lang, text, actors",
    [
        ("fr", "Demande client refusée par Timothée, le volume ne le justifie pas.", ["Timothée"]),
        ("fr", "Note d'équipe : Yasmine Roche devient référente qualité, décision du DG.", ["DG"]),
        ("en", "Banner request declined by Oskar after the design review.", ["Oskar"]),
        ("en", "Quota raised to 50 GB per tenant, per our CIO.", ["our CIO"]),
        ("en", "Decision (Hannah Berg): the mobile SDK stays on version 3.", ["Hannah Berg"]),
        (
            "en",
            "Nightly exports moved to object storage, Priyanka's call after the audit.",
            ["Priyanka"],
        ),
    ],
)
def test_explicit_agent_wins(fr_full, en_full, lang, text, actors):
    assert actor_texts(one(pipeline_for(fr_full, en_full, lang), text)) == actors


@pytest.mark.parametrize(
    "lang, text, actors",
    [
        (
            "fr",
            "Point outillage : notre DSI a tranché, les postes passent sous Linux.",
            ["notre DSI"],
        ),
        ("fr", "Le nouveau runbook est acté par le lead mobile.", ["le lead mobile"]),
        ("fr", "Migration du CRM validée par notre responsable paie.", ["notre responsable paie"]),
        (
            "en",
            "The GraphQL gateway was rejected by the lead backend engineer.",
            ["the lead backend engineer"],
        ),
        (
            "en",
            "Card data retention cut to 30 days, approved by the data protection officer.",
            ["the data protection officer"],
        ),
        (
            "en",
            "The staging cluster is frozen until May, per our Head of Infra.",
            ["our Head of Infra"],
        ),
    ],
)
def test_role_titles_not_in_the_lexicon(fr_full, en_full, lang, text, actors):
    assert actor_texts(one(pipeline_for(fr_full, en_full, lang), text)) == actors


def test_the_lead_alone_is_not_a_title(en_full):
    assert actor_texts(one(en_full, "The lead decided to keep the old parser.")) == []


@pytest.mark.parametrize(
    "lang, text, actors",
    [
        (
            "fr",
            "Validé pour passer le quota Sentry à 2 M d'événements. — L. Garnier, DAF",
            ["L. Garnier", "DAF"],
        ),
        (
            "en",
            "No, we are not renewing the Figma seats this year. — Tobias (CFO)",
            ["Tobias", "CFO"],
        ),
        ("en", "Releases are frozen on Fridays from now on — Ngozi", ["Ngozi"]),
    ],
)
def test_signatures(fr_full, en_full, lang, text, actors):
    found = decisions(pipeline_for(fr_full, en_full, lang), text)
    assert [actor_texts(d) for d in found] == [actors]


@pytest.mark.parametrize(
    "lang, text, actors",
    [
        ("fr", "bon, on go sur Grafana, c'est Noémie qui a validé", ["Noémie"]),
        ("en", "Budget sync: KT approved a second QA contractor.", ["KT"]),
        # capitals after an article are a body's (the meeting's), not someone's initials
        ("en", "The SC approved the new release schedule.", []),
        ("fr", "Le CA a validé le budget du salon.", []),
        (
            "en",
            "Platform council: Head of Platform Diego Ferraz confirmed the move to ARM nodes.",
            ["Head of Platform", "Diego Ferraz"],
        ),
    ],
)
def test_subject_of_a_later_cue_initials_and_role_then_name(fr_full, en_full, lang, text, actors):
    assert actor_texts(one(pipeline_for(fr_full, en_full, lang), text)) == actors


def _actors(text, lang, known=None):
    tables = annotate_documents(
        [{"document_id": "d", "text": text, "language": lang}], known_people=known
    )
    return [[a["text"] for a in json.loads(d["actors"])] for d in tables["decisions"]]


def test_directory_mode_needs_stronger_evidence_for_unknown_names():
    text = (
        "- Lorène a validé le passage à Vite.\n"
        "- Export CSV refusé par Marc Olivier.\n"
        "- Brieuc : on part sur Loki.\n"
    )
    assert _actors(text, "fr") == [["Lorène"], ["Marc Olivier"], ["Brieuc"]]
    # With a directory that knows neither: a single unknown first name or an unknown speaker
    # is dropped, a full name in an agent slot is kept.
    assert _actors(text, "fr", ["Zoé Martin", "Zoé"]) == [[], ["Marc Olivier"], []]
    # Known forms still count wherever they are.
    assert _actors(text, "fr", ["Lorène", "Brieuc"]) == [["Lorène"], ["Marc Olivier"], ["Brieuc"]]


@pytest.mark.parametrize(
    "lang, text, status",
    [
        ("fr", "La demande d'accès anticipé est retoquée par la DG.", "rejected"),
        (
            "fr",
            "Hugo a tranché, la bascule vers le nouveau CDN est repoussée à avril.",
            "postponed",
        ),
        ("fr", "Yann a arbitré, l'API v2 sort en mai et le SDK attendra l'été.", "taken"),
        ("fr", "Décision de geler les embauches commerciales jusqu'en juin.", "postponed"),
        ("fr", "Ticket fermé en « ne sera pas corrigé », comportement attendu.", "rejected"),
        ("fr", "À partir de lundi, les mises en production se font le mardi.", "taken"),
        ("fr", "Le proxy d'images passe sur un service dédié en Go.", "taken"),
        ("fr", "Crédit de deux mois accordé à la Librairie Dumas par le support.", "taken"),
        ("en", "The squad decided not to build the offline mode.", "rejected"),
        ("en", "The desktop beta is pushed to 2027.", "postponed"),
        ("en", "Customer onboarding call is moved to 14 March at their request.", "postponed"),
        ("en", "Hardware keys are now mandatory for production access.", "taken"),
        ("en", "Per the platform review decision, builds run on ARM runners.", "taken"),
        ("en", "Drops the Oracle driver: following ADR-12 we are off Oracle for good.", "rejected"),
        ("en", "The COO appointed Lea Brandt as head of the Lisbon office.", "taken"),
    ],
)
def test_cue_classes(fr_full, en_full, lang, text, status):
    assert one(pipeline_for(fr_full, en_full, lang), text)["status"] == status


@pytest.mark.parametrize(
    "lang, text",
    [
        ("fr", "Ordre du jour : 1) choix du prestataire 2) budget 2027."),
        ("fr", "La question de l'hébergement n'a pas été tranchée, on en reparle."),
        ("fr", "Rappel de la décision de janvier, voir le compte rendu."),
        ("fr", "Bloqué en attendant une décision produit sur le périmètre."),
        ("fr", "Ne pas déployer avant la validation du RSSI."),
        ("fr", "OK pour moi, mais attendons le feu vert de Nadia avant de livrer."),
        ("fr", "Le découpage des modules est à revoir."),
        ("fr", "Je ne comprends pas pourquoi il faut une validation du CODIR pour ça."),
        ("en", "If Contoso signs before May, we'd approve the onboarding discount."),
        ("en", "Acme asked us to delay the launch; we said we'd check with the team."),
    ],
)
def test_hedge_classes(fr_full, en_full, lang, text):
    assert decisions(pipeline_for(fr_full, en_full, lang), text) == []


def test_a_noun_tagged_conditional_does_not_hedge(fr_full):
    # the small model tags some nouns in -ment as conditional verbs
    assert (
        one(fr_full, "Le renouvellement de l'abonnement est validé par la DAF.")["status"]
        == "taken"
    )


@pytest.mark.parametrize(
    "lang, text, domain",
    [
        # the meeting in the heading or the venue is not the domain of the arbitration
        (
            "fr",
            "Comité d'organisation : la refonte de la page tarifs est repoussée au T3.",
            "roadmap",
        ),
        (
            "en",
            "Leadership council: moving the sync engine to Kubernetes is approved.",
            "technical",
        ),
        (
            "en",
            "The loyalty discount for Brightwave is approved, as agreed in the staff meeting.",
            "customer",
        ),
        # a role title is not a topic: `Head of Customer Success` is not a customer matter
        (
            "en",
            "Ops sync: the CEO appointed Rosa Lind as head of customer success.",
            "organisation",
        ),
    ],
)
def test_domain_ignores_headings_venues_and_titles(fr_full, en_full, lang, text, domain):
    assert one(pipeline_for(fr_full, en_full, lang), text)["domain"] == domain


def test_no_decision_line_covers_its_later_sentences(fr_full, en_full):
    assert decisions(fr_full, "Décision : aucune. Le sujet est reporté au prochain COPIL.") == []
    assert decisions(en_full, "Decision: none. The topic is pushed to next week.") == []
