"""Decision domain (round 4): the thing decided weighs more than the heading, the venue,
the maker and the reasons. Sentences written for these tests, apart from every labelled set.

Each case names the class it checks; `decision_domain` is the pure scorer, called on folded
text as the component calls it (tech-lexicon terms passed folded, as the component does).
"""

import pytest

from nlp.components.decisions import decision_domain, object_parts
from nlp.pipeline import fast_pipeline
from nlp.resources import load_decision_rules
from nlp.text import fold


def domain(lang: str, sentence: str, tech: tuple[str, ...] = ()) -> str:
    return decision_domain(fold(sentence), load_decision_rules(lang), tuple(map(fold, tech)))


FRENCH = [
    # a meeting heading is context, the body says what was decided
    (
        "Point équipe data : on passe les traitements de nuit sur Airflow.",
        "technical",
        ("Airflow",),
    ),
    # a reason after the cue's clause is context (`équipe` does not make it organisation)
    ("Migration vers Terraform repoussée : toute l'équipe est prise par l'audit.", "technical", ()),
    # a heading that holds the cue, or that a bare cue follows, is the thing decided
    ("Refonte de la page d'accueil : reportée au T3.", "roadmap", ()),
    ("Priorité abaissée à P2 : le bug ne touche que Safari 14.", "roadmap", ("bug",)),
    # a heading that only names the maker is context
    (
        "Décision de l'équipe plateforme : les logs partent sur OpenSearch.",
        "technical",
        ("OpenSearch",),
    ),
    # the venue is context
    ("On part sur Playwright, choix validé en comité produit.", "technical", ("Playwright",)),
    # a ticket key is no evidence
    ("ABC-12 Export PDF repoussé à la v4.", "roadmap", ()),
    # hiring is budget
    ("Marc a validé deux stagiaires pour la rentrée.", "budget", ()),
    # rituals and people moves are organisation
    ("Les rétros passent au jeudi, validé par Inès.", "organisation", ()),
    (
        "Désormais, le support de niveau 2 est rattaché au pôle produit, décidé par Léa.",
        "organisation",
        (),
    ),
    # commitments to a named customer, refunds and gestures are customer
    ("On s'engage auprès de Dalmas sur une remise de 10 % à la signature.", "customer", ()),
    ("Remboursement de deux mois accordé à la librairie Vautrin, validé par Zoé.", "customer", ()),
    (
        "Demande d'écran personnalisé pour Verlaine refusée : pas de développement spécifique.",
        "customer",
        (),
    ),
    # the head of the object wins over a word about the customer's side
    (
        "Comité : on garde RabbitMQ pour les événements de facturation, Kafka est écarté.",
        "technical",
        ("RabbitMQ", "Kafka"),
    ),
]

ENGLISH = [
    ("Data team sync: we're moving the nightly jobs to Airflow.", "technical", ("Airflow",)),
    ("Terraform migration postponed: the whole team is busy with the audit.", "technical", ()),
    ("Homepage redesign: deferred to Q3.", "roadmap", ()),
    ("Downgraded to P2: the bug only hits old Safari.", "roadmap", ("bug",)),
    ("Decision from our platform lead: logs go to OpenSearch.", "technical", ("OpenSearch",)),
    ("We're going with Playwright, as agreed in the product review.", "technical", ("Playwright",)),
    ("ABC-12 PDF export pushed to v4.", "roadmap", ()),
    ("Priya approved three summer interns.", "budget", ()),
    ("Annual raises approved by the CFO, effective in March.", "budget", ()),
    ("Retros move to Thursday mornings, agreed by Ines.", "organisation", ()),
    (
        "Platform sync: every new service request goes through the intake form, decided by Lea.",
        "organisation",
        (),
    ),
    ("We committed to a four-hour response time for Dalmas, signed by Zoe.", "customer", ()),
    (
        "Custom report layout for Verlaine declined: we don't build one-off features.",
        "customer",
        (),
    ),
    ("Onboarding fee waived at no charge for Vautrin, approved by Zoe.", "customer", ()),
]


@pytest.mark.parametrize(("sentence", "expected", "tech"), FRENCH)
def test_french_domain_classes(sentence, expected, tech):
    assert domain("fr", sentence, tech) == expected


@pytest.mark.parametrize(("sentence", "expected", "tech"), ENGLISH)
def test_english_domain_classes(sentence, expected, tech):
    assert domain("en", sentence, tech) == expected


def test_object_parts_split_heading_object_and_reason():
    rules = load_decision_rules("en")
    obj, fallback, context = object_parts(
        fold("Security sync: Kubernetes ruled out for now, too heavy for a team of four."), rules
    )
    assert "kubernetes ruled out" in obj and "team" not in obj
    assert fallback == ""
    assert "security sync" in context and "team of four" in context


def test_maker_heading_gives_way_to_the_body():
    rules = load_decision_rules("fr")
    obj, fallback, context = object_parts(fold("Validé par l'équipe archi : cache Redis."), rules)
    assert obj.strip() == "cache redis." and "equipe" in context


def test_without_any_evidence_the_domain_is_roadmap_and_a_tech_term_makes_it_technical():
    assert domain("en", "Approved.") == "roadmap"
    assert domain("en", "Approved: Bazel.", ("Bazel",)) == "technical"


@pytest.mark.parametrize(
    ("lang", "text", "term"),
    [
        ("fr", "Accès SSH coupé, on garde le polling.", "SSH"),
        ("fr", "Les tests passent sur PostGIS.", "tests"),
        ("en", "The CMS moves to WordPress with Stripe payments.", "WordPress"),
        ("en", "EDI messages now expire after a TTL of one day.", "TTL"),
    ],
)
def test_common_stack_terms_are_tech_terms(lang, text, term):
    doc = fast_pipeline(lang)(text)
    assert term in {s.text for s in doc.spans["TECH_TERM"]}
