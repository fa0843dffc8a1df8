"""Word material for the demo: titles, bodies and comments, in the voice of each side.

Data only, no logic beyond picking: `pick(rng, pool)` and `fill(rng, template)`. Tech
people write about endpoints, migrations and timeouts; business people about customers,
contracts and renewals, so the vocabulary measures have something to find.
"""

from __future__ import annotations

import random

CUSTOMERS = [
    "Groupe Altaïr",
    "Maison Vernet",
    "Transports Rolland",
    "Clinique Saint-Roch",
    "Boulangeries Pradel",
    "Hôtel Beaurivage",
    "Cabinet Mercadier",
    "Atelier Solène",
    "Coopérative Valmont",
    "Pharmacies Arnaud",
]
FEATURES = [
    "l'export PDF",
    "le connecteur Salesforce",
    "le SSO SAML",
    "les notifications push",
    "l'import CSV",
    "le tableau de bord",
    "le module de facturation",
    "le planning partagé",
    "l'API publique",
    "la synchronisation hors ligne",
    "le paiement Stripe",
    "la recherche globale",
    "les rôles et permissions",
    "l'application mobile",
]
TECH_BITS = [
    "timeout sur l'endpoint /v2/plannings",
    "requête N+1 dans le service de facturation",
    "migration du schéma Postgres",
    "cache Redis invalidé trop tôt",
    "pipeline CI instable",
    "fuite mémoire du worker d'import",
    "index manquant sur la table events",
    "montée de version de Django",
    "rotation des secrets Vault",
    "quota de l'API Salesforce",
    "latence p95 au-dessus de 800 ms",
    "build iOS cassé après la mise à jour Xcode",
]

GITHUB_ISSUE_TITLES = [
    "Timeout intermittent sur {tech}",
    "Corriger {tech}",
    "{feature} : erreur 500 en production",
    "Refactoring de {feature}",
    "Ajouter des tests d'intégration pour {feature}",
    "Améliorer les logs de {feature}",
    "Flaky test dans la suite {feature}",
    "{feature} : gestion des fuseaux horaires",
    "Documenter {feature}",
]
GITHUB_PR_TITLES = [
    "Fix {tech}",
    "feat: {feature} v2",
    "chore: nettoyage de {feature}",
    "perf: réduire {tech}",
    "refactor: extraire le client de {feature}",
    "test: couvrir {feature}",
    "fix: régression sur {feature}",
]
DATA_TITLES = [
    "Backfill the events table for {customer}",
    "Fix the churn dashboard refresh",
    "Add dbt tests on invoices",
    "Speed up the nightly export job",
    "Track {feature} adoption in the product analytics",
]
GITHUB_BODIES = [
    "Constaté en prod ce matin : {tech}. Je propose de regarder côté backend d'abord.",
    "Contexte : {feature} se comporte mal quand le compte a plus de 500 utilisateurs.\n\n"
    "Étapes pour reproduire :\n1. se connecter en admin\n2. ouvrir {feature}\n3. attendre",
    "Suite à la rétro, on veut fiabiliser {feature}. Critères d'acceptation dans le ticket.",
    "Petite PR : {tech}. Pas d'impact fonctionnel attendu.",
]
JIRA_PLAT_TITLES = [
    "{feature} : refonte de l'écran principal",
    "Industrialiser {feature}",
    "Corriger {tech}",
    "{feature} pour les comptes multi-sites",
    "Spike : {tech}",
    "Rendre {feature} configurable par client",
]
JIRA_SUP_TITLES = [
    "{customer} : panne sur {feature}",
    "{customer} signale un problème sur {feature}",
    "Question de {customer} sur {feature}",
    "{customer} : erreur à la connexion",
    "{customer} : données manquantes dans {feature}",
]
JIRA_SALES_TITLES = [
    "{customer} demande {feature} avant signature",
    "Démo {feature} pour {customer}",
    "{customer} : demande de remise sur le renouvellement",
    "Appel d'offres {customer}",
    "{customer} : besoin d'intégration avec leur ERP",
]
JIRA_BODIES = [
    "Le client {customer} nous a contactés : {feature} pose problème depuis la semaine "
    "dernière. Impact sur leur chiffre d'affaires selon eux.",
    "Besoin exprimé par {customer} lors du comité de pilotage. Renouvellement du contrat en jeu.",
    "Détail technique : {tech}. À chiffrer par l'équipe.",
    "Demande récurrente des clients grands comptes, cf. remontées du support.",
]

SAME_SIDE_COMMENTS = {
    "tech": [
        "Je regarde ça cet après-midi.",
        "Reproduit en local, c'est bien {tech}.",
        "LGTM, juste un nit sur le nommage.",
        "On devrait ajouter un test de non-régression.",
        "Le fix est en recette, à valider demain.",
        "Attention à la migration, elle verrouille la table.",
        "J'ai mis un feature flag pour limiter le risque.",
    ],
    "product": [
        "Je mets à jour les specs.",
        "Le parcours utilisateur est validé côté design.",
        "On priorise ça dans le prochain sprint ?",
        "J'ai ajouté les maquettes Figma.",
    ],
    "business": [
        "Le client relance, peut-on avoir une date ?",
        "J'ai prévenu le client, il attend.",
        "Même retour chez {customer}.",
        "C'est bloquant pour le renouvellement.",
        "Je fais le point avec le commercial du compte.",
    ],
    "leadership": ["Merci de me tenir informée.", "Quel est l'impact financier ?"],
}
CROSS_SIDE_COMMENTS = {
    "tech": [
        "Côté technique, la cause est {tech} ; correctif prévu cette semaine.",
        "Il nous faudrait les logs du client pour avancer.",
        "On a besoin de l'ordre de priorité côté produit avant de lancer.",
    ],
    "product": [
        "Côté produit, c'est dans le périmètre du trimestre.",
        "Je peux clarifier le besoin avec le client si utile.",
        "On garde ça pour la prochaine itération, OK pour vous ?",
    ],
    "business": [
        "Pour info, {customer} attend ce correctif pour signer.",
        "Impact client fort : trois comptes ont ouvert un ticket.",
        "Pouvez-vous nous donner une estimation à communiquer au client ?",
    ],
    "leadership": ["Merci pour le suivi, c'est un sujet important pour le trimestre."],
}
REVIEW_BODIES = {
    "APPROVED": ["LGTM", "Approuvé, merci !", "Ship it."],
    "CHANGES_REQUESTED": [
        "Quelques changements à faire, voir les commentaires.",
        "Il manque la gestion d'erreur.",
    ],
    "COMMENTED": ["Deux questions avant d'approuver.", "Vu côté produit, le wording me va."],
}
REVIEW_LINE_COMMENTS = [
    "Ce nom de variable n'est pas clair.",
    "On pourrait extraire une fonction ici.",
    "Attention au cas où la liste est vide.",
    "Pourquoi ce timeout à 30 s ?",
]
CI_COMMENTS = [
    "✅ CI passed: 412 tests, coverage 81 %.",
    "❌ CI failed: lint errors.",
    "Preview deployed: https://preview.lumio.example/pr",
]
AUTOMATION_COMMENTS = [
    "SLA de première réponse dépassé : ticket escaladé automatiquement.",
    "Rappel automatique : en attente de retour client depuis 3 jours.",
]


def pick(rng: random.Random, pool: list[str]) -> str:
    return pool[rng.randrange(len(pool))]


def fill(rng: random.Random, template: str) -> str:
    """Replace {customer}, {feature} and {tech} with random picks."""
    feature = pick(rng, FEATURES)
    return template.format(
        customer=pick(rng, CUSTOMERS),
        feature=feature,
        tech=pick(rng, TECH_BITS),
    ).replace("{feature}", feature)


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
