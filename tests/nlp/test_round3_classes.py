"""Round-3 rule classes (issue 5), each on sentences written for this test: other
companies, products and names than the labelled sets.

1. a person subject with an action verb that records an arbitration (no cue word);
2. decision nouns and outcomes used as headings;
3. requests, wishes, pending decisions, references to past decisions, agenda items
   postponed for lack of people: not decisions;
4. actors: compound and foreign names, dotted initials, names after a dash heading,
   requesters / presenters / implementers, capitalised non-names at a clause start,
   things that are the subject of a passive cue;
5. typing habits: misspellings and missing accents.
"""

import pytest

from tests.nlp.decision_helpers import actor_texts, decisions, one, pipeline_for


def check_status_and_actors(nlp, text, status, actors):
    found = one(nlp, text)
    assert found["status"] == status
    assert actor_texts(found) == actors


# 1. Action verbs with a person subject ------------------------------------------------
@pytest.mark.parametrize(
    "lang, text, status, actors",
    [
        ("fr", "Solène a passé la refonte du tunnel de réservation en P0.", "taken", ["Solène"]),
        (
            "fr",
            "Grégoire a débloqué 40 k€ pour la refonte de l'entrepôt de données.",
            "taken",
            ["Grégoire"],
        ),
        (
            "fr",
            "Anne-Laure vient de dire non à la demande de rabais de Cartonnerie Dumas.",
            "rejected",
            ["Anne-Laure"],
        ),
        (
            "fr",
            "Yanis a mis l'export vers Pennylane dans le périmètre du prochain trimestre.",
            "taken",
            ["Yanis"],
        ),
        ("fr", "Maëlle a choisi Metabase pour les tableaux de bord internes.", "taken", ["Maëlle"]),
        (
            "en",
            "Tomasz prioritised the offline booking flow over the loyalty widget.",
            "taken",
            ["Tomasz"],
        ),
        ("en", "Priya freed up $30k for the penetration test.", "taken", ["Priya"]),
        ("en", "Kwame put the Xero export in scope for the autumn release.", "taken", ["Kwame"]),
        (
            "en",
            "Lucía pushed the GraphQL gateway rewrite to after the trade fair.",
            "postponed",
            ["Lucía"],
        ),
        (
            "en",
            "Henrik just said no to the custom branding Pelican Foods asked for.",
            "rejected",
            ["Henrik"],
        ),
    ],
)
def test_person_action_verbs(fr_full, en_full, lang, text, status, actors):
    check_status_and_actors(pipeline_for(fr_full, en_full, lang), text, status, actors)


# 2. Headings -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang, text, status",
    [
        ("fr", "Décision DSI : les portables passent sous Intune à la rentrée.", "taken"),
        ("fr", "Décision produit : le mode invité est limité à trois réservations.", "taken"),
        (
            "fr",
            "Priorité relevée à P1 : les factures partent en double chez certains clients.",
            "taken",
        ),
        ("fr", "MR fermée : on n'intègre pas la librairie de graphes, trop lourde.", "rejected"),
        (
            "fr",
            "Comité technique — pas de Kafka pour la messagerie interne, on reste sur Redis.",
            "rejected",
        ),
        (
            "en",
            "Data council — no streaming pipeline for the weekly reports, batch stays.",
            "rejected",
        ),
        ("en", "Hiring sync — we are not moving the support team to a night shift.", "rejected"),
        ("en", "Closing: we won't adopt Tailwind for the admin console.", "rejected"),
        (
            "en",
            "WEB-77 closed as not planned — the legacy widget keeps its own styles.",
            "rejected",
        ),
    ],
)
def test_decision_headings(fr_full, en_full, lang, text, status):
    assert one(pipeline_for(fr_full, en_full, lang), text)["status"] == status


# 3. Non-decisions ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang, text",
    [
        ("fr", "Bérénice demande qu'on tranche entre Brevo et Mailjet d'ici jeudi."),
        ("fr", "Le DAF souhaite qu'on arbitre les licences avant la clôture."),
        ("fr", "La refonte du back-office sera tranchée au prochain comité."),
        ("fr", "LOG-12 Bloqué en attente d'une validation juridique."),
        ("fr", "Le devis de Menuiserie Roux n'a toujours pas été validé."),
        ("fr", "Décision reportée : le DG était en déplacement."),
        ("fr", "Suite à la décision du CODIR, voir le compte rendu partagé."),
        ("fr", "Documente la décision d'architecture dans le wiki."),
        ("fr", "Hamid doit coder ce qui a été décidé mardi, le détail suit."),
        ("fr", "Réunion finance : point reporté, la DAF était absente."),
        ("fr", "Le client demande de reporter la bascule, pas encore de réponse de notre côté."),
        ("en", "Fatima asked us to postpone the data migration, no answer yet."),
        ("en", "The CRM replacement will be decided at the next steering meeting."),
        ("en", "Decision postponed: the security board did not meet."),
        ("en", "Reminder: the decision from March still applies to all new repos."),
        ("en", "Documents the decision about token expiry in the ADR folder."),
        ("en", "Oskar to build what was agreed on Tuesday, specs to follow."),
        ("en", "Board prep: topic postponed, the CFO was away."),
        ("en", "Sounds fine, but it's the data lead's call"),
        ("en", "Fix: the cleanup job was dropping the archived invoices."),
    ],
)
def test_requests_pending_and_references_are_not_decisions(fr_full, en_full, lang, text):
    assert decisions(pipeline_for(fr_full, en_full, lang), text) == []


# 4. Actors -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang, text, actors",
    [
        ("fr", "Validé par Tran Van Minh : on passe au paiement en trois fois.", ["Tran Van Minh"]),
        ("en", "Signed off by R.K. yesterday: the mobile app drops Android 8.", ["R.K."]),
        (
            "fr",
            "Point RH — Marie-Hélène a tranché : entretiens annuels en janvier.",
            ["Marie-Hélène"],
        ),
        ("fr", "La demande de Loïc est refusée, pas de second écran cette année.", []),
        ("en", "Carla's request is approved: the team gets a second staging cluster.", []),
        ("fr", "Playwright est retenu, Selenium est abandonné.", []),
        ("en", "Grafana is approved as the only dashboard tool.", []),
        ("fr", "Priorités S2 validées : 1) facturation, 2) onboarding.", []),
        ("en", "Final decision: the webinar series stops in June.", []),
        ("fr", "Rappel : on a décidé de geler les recrutements jusqu'en mars.", []),
        ("en", "SUP-9 Gold SLA granted to Fenwick Dental for the renewal.", []),
        (
            "en",
            "Declined by the regional sales manager: no free onboarding for Brightwater.",
            ["the regional sales manager"],
        ),
    ],
)
def test_actor_classes(fr_full, en_full, lang, text, actors):
    assert actor_texts(one(pipeline_for(fr_full, en_full, lang), text)) == actors


# 5. Typing habits ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang, text, status, actors",
    [
        ("en", "billing: we keep Stripe, aproved by Nadia", "taken", ["Nadia"]),
        ("en", "its decided, the beta opens to all customers on Monday", "taken", []),
        ("fr", "c'est decide, on passe sur Scaleway pour les sauvegardes", "taken", []),
        ("fr", "migration Postgres 16 valide par Bastien", "taken", ["Bastien"]),
    ],
)
def test_typing_habits(fr_full, en_full, lang, text, status, actors):
    check_status_and_actors(pipeline_for(fr_full, en_full, lang), text, status, actors)


# Probes written after the classes above and run once before any fix: 25 of 32 were right;
# the 7 misses (opted, scope removal, `passe avant`, seasons, `now mandatory`, `J.-M.`) were
# fixed as word classes. Kept here so they stay fixed.
@pytest.mark.parametrize(
    "lang, text, status, actors",
    [
        ("fr", "Julie a opté pour Qonto pour les cartes de frais.", "taken", ["Julie"]),
        ("fr", "Thibault a enlevé le SSO du périmètre de la v2.", "rejected", ["Thibault"]),
        ("fr", "J.-M. a validé la maquette.", "taken", ["J.-M."]),
        ("fr", "Comité produit | la version web passe avant l'app.", "taken", []),
        ("fr", "Inès a gelé les embauches jusqu'en juin.", "postponed", ["Inès"]),
        ("en", "Noah moved the Kafka migration to the autumn.", "postponed", ["Noah"]),
        ("en", "Thibault took SSO out of scope for v2.", "rejected", ["Thibault"]),
        ("en", "DevEx: Lint rules now mandatory, per Omar.", "taken", ["Omar"]),
        ("en", "Mei Ling approved the Q3 roadmap.", "taken", ["Mei Ling"]),
        ("en", "Jean-Pierre vetoed the rebrand.", "rejected", ["Jean-Pierre"]),
    ],
)
def test_probes(fr_full, en_full, lang, text, status, actors):
    check_status_and_actors(pipeline_for(fr_full, en_full, lang), text, status, actors)


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "Customs paperwork generation stays out of scope per the roadmap review."),
        ("fr", "Paperasse douanière retirée du périmètre, validé en revue roadmap."),
    ],
)
def test_nouns_before_a_cue_are_not_names(fr_full, en_full, lang, text):
    assert actor_texts(one(pipeline_for(fr_full, en_full, lang), text)) == []
