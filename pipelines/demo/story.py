"""The planted facts: what the pipeline must find in the demo, and the minutes around them.

1. Latencies: 14 field items reach the COMEX (minutes of a COMEX or CODIR, or a comment by
   a COMEX member) after 1 day to 6 weeks; some pass through a management meeting or a
   manager's comment first. 7 critical field items never reach the COMEX.
2. Real decider: most roadmap decisions in COMEX minutes are the sales director's.
3. Four COMEX meetings take a technical decision with the CTO (the only tech member) absent.
The growing silo (4.) is planted in `activity.py`.

`plan_latencies` creates the planted items before numbering; `write_minutes_content` fills
every meeting once all items have their keys. Both record what they planted in a `Plan`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pipelines.demo import texts
from pipelines.demo.activity import REPOS, new_item, possible_authors
from pipelines.demo.clock import (
    START,
    at_paris,
    next_working_day,
    paris_day,
    snap_back,
    snap_forward,
    weeks,
    working_moment,
)
from pipelines.demo.model import Comment, Item, Meeting
from pipelines.demo.org import Org

DELAYS_HOURS = [26, 50, 76, 100, 150, 200, 270, 340, 420, 510, 600, 720, 860, 1000]
REACHING = [  # (reference form, critical)
    ("jira_key", True),
    ("jira_key", False),
    ("jira_key", True),
    ("jira_key", False),
    ("jira_url", True),
    ("jira_url", False),
    ("github_full", True),
    ("github_full", False),
    ("github_full", False),
    ("github_url", True),
    ("github_url", False),
    ("github_url", True),
    ("comment", True),
    ("comment", False),
]
NEVER = [
    ("SUP", "priority"),
    ("SUP", "type"),
    ("PLAT", "priority"),
    ("SUP", "priority"),
    ("lumio/web-app", "incident"),
    ("lumio/mobile", "critical"),
    ("lumio/platform", "incident"),
]
PLANTED_TITLES = [
    "Export PDF des factures vide pour les comptes multi-sites",
    "Synchronisation Salesforce en échec après la mise à jour (erreur 401)",
    "Prélèvements SEPA rejetés en double",
    "Crash au lancement sur Android 15",
    "Fuite mémoire du worker d'import CSV",
    "Temps de réponse supérieur à 8 s sur /v2/plannings",
    "Notifications push iOS perdues après la mise à jour",
    "Libellés tronqués dans le tableau de bord en allemand",
    "Filtre par agence manquant dans l'export des interventions",
    "Mot de passe oublié : lien expiré trop tôt",
    "Doublons de clients après import depuis l'ERP",
    "Factures arrondies au centime près de façon incorrecte",
    "Planning partagé illisible sur tablette",
    "Quota API Salesforce atteint chaque lundi matin",
    "Données de la veille absentes du rapport hebdomadaire",
    "Connexion SSO impossible pour les comptes Azure AD",
    "Relances automatiques envoyées aux clients résiliés",
    "Perte de données lors de la synchronisation hors ligne",
    "Certificat TLS expiré sur l'API publique de recette",
    "Double facturation des options premium",
    "Application mobile bloquée sur l'écran de chargement",
]
MARIE_DECISIONS = [
    "Marie tranche : le connecteur Salesforce passe en P1 devant l'export comptable.",
    "Sur proposition de la directrice commerciale, décidé de repousser la refonte du planning "
    "au T3 pour livrer le SSO SAML en avril.",
    "Décision de Marie D. : les demandes de Groupe Altaïr passent en tête du backlog produit.",
    "Marie tranche : on gèle les nouvelles fonctionnalités mobiles jusqu'à la fin du trimestre.",
    "Reporté au T3 à la demande de Marie D. : l'application hors ligne.",
    "MD arbitre : la priorité du prochain sprint va aux exports demandés par les grands comptes.",
    "Décision de Marie D. : la roadmap T2 démarre par la facturation multi-entités.",
    "Marie tranche : le tableau de bord client passe avant l'API publique.",
    "Sur proposition de la directrice commerciale, décidé de prioriser l'intégration ERP pour "
    "Coopérative Valmont.",
    "Marie D. tranche : la recherche globale sort de la roadmap du trimestre.",
    "Décision de Marie D. : le connecteur HubSpot est priorisé devant les rôles avancés.",
]
CPO_DECISIONS = [
    "Julien tranche : l'onboarding reste la priorité produit du mois.",
    "Décision du CPO : la refonte des notifications passe en P2 sur la roadmap.",
    "Validé par Julien M. : la roadmap Data garde le suivi d'adoption en priorité.",
]
TECH_DECISIONS = [
    "Décision : migration vers Kubernetes reportée au second semestre.",
    "On part sur Postgres managé chez Scaleway pour remplacer MySQL.",
    "Validé par le CEO : abandon de React Native au profit d'applications natives.",
    "Décision : le monitoring passe sur Datadog dès le mois prochain.",
]
OTHER_COMEX_DECISIONS = [
    "Validé par la CFO : budget de recrutement de deux développeurs au T2.",
    "Refusé : remise exceptionnelle de 30 % pour {customer}.",
    "Validé par le CEO : deux jours de télétravail par semaine maintenus.",
    "Décision : enveloppe du salon VivaTech limitée à 40 k€.",
    "Validé par le CEO : contrat cadre avec {customer} aux conditions standard.",
]
COMEX_NON_DECISIONS = [
    "Proposition d'Olivier : une campagne sur {feature}, à étudier.",
    "Question ouverte : faut-il un second data engineer ?",
    "Pas de décision à ce stade sur la grille tarifaire 2027.",
]
COMEX_DISCUSSION = [
    "Chiffre d'affaires du mois : +4 % par rapport au budget, churn stable.",
    "Pipeline commercial : trois affaires de plus de 50 k€ en négociation, dont {customer}.",
    "Point RH : deux recrutements en cours, un départ annoncé au support.",
    "Trésorerie : 14 mois de runway, levée de fonds envisagée à l'automne.",
    "Retour client de {customer} : satisfaction en hausse sur {feature}.",
]
CODIR_EN = {
    "discussion": [
        "Quarterly numbers are on track; churn is flat.",
        "Hiring: two backend roles open, one data role approved.",
        "Customer escalations are down compared with last month.",
    ],
    "decisions": [
        "Agreed: the release train moves to every two weeks.",
        "The CTO decided to freeze production deployments on Fridays.",
        "Agreed: support and product hold a joint triage on Tuesdays.",
    ],
    "non": [
        "Open question: do we need an on-call rotation for the Data team?",
        "No decision yet on the partner programme.",
    ],
}


@dataclass
class LatencyPlan:
    item: Item
    form: str
    critical: bool
    comex_meeting: Meeting | None = None
    comex_comment_by: str | None = None
    comex_comment_at: datetime | None = None
    management_meeting: Meeting | None = None
    management_comment_by: str | None = None
    management_comment_at: datetime | None = None
    team_meeting: Meeting | None = None

    @property
    def reaches_comex(self) -> bool:
        return self.comex_meeting is not None or self.comex_comment_at is not None


@dataclass
class Plan:
    latencies: list[LatencyPlan] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)  # meeting_id, text, actor_person_id
    tech_without_tech: list[dict] = field(default_factory=list)  # meeting_id, text


def _planted_item(
    rng: random.Random,
    org: Org,
    container: str,
    at: datetime,
    title: str,
    critical: bool,
    flavour: str | None = None,
) -> Item:
    authors = possible_authors(org, container, paris_day(at), planted=True)
    kind = "issue" if container in REPOS else None
    item = new_item(rng, org, container, at, rng.choice(authors), kind=kind)
    item.planted, item.title = True, title
    item.body = (
        f"{title}.\n\nConstaté par plusieurs utilisateurs, reproduit en recette. "
        "Détails et captures en pièce jointe."
    )
    if item.source == "github":
        item.milestone = None
        if critical:
            item.labels = ["incident"] if flavour != "critical" else ["critical", "bug"]
        else:
            item.labels = [rng.choice(["bug", "enhancement"])]
    else:
        item.labels = []
        if critical and flavour == "type":
            item.kind, item.priority = "Incident", "Medium"
        elif critical:
            item.kind = rng.choice(["Bug", "Task"])
            item.priority = "Highest" if container == "SUP" else "High"
        else:
            item.kind = rng.choice(["Bug", "Task", "Story"])
            item.priority = rng.choice(["Medium", "Low"])
    return item


def _between(
    meetings: list[Meeting], kind: str, after: datetime, before: datetime
) -> list[Meeting]:
    return [
        m
        for m in meetings
        if m.type == kind
        and m.front_matter
        and after + timedelta(hours=2) < meeting_start(m) < before - timedelta(hours=2)
    ]


def meeting_start(meeting: Meeting) -> datetime:
    hour, minute = (int(x) for x in meeting.start.split(":"))
    return at_paris(meeting.day, hour, minute)


def plan_latencies(rng: random.Random, org: Org, calendar: list[Meeting]) -> Plan:
    """Create the planted items and choose the meetings and comments that carry them."""
    plan = Plan()
    titles = list(PLANTED_TITLES)
    rng.shuffle(titles)
    delays = list(DELAYS_HOURS)
    rng.shuffle(delays)
    top = [m for m in calendar if m.type in ("comex", "codir")]
    earliest = at_paris(START, 10) + timedelta(days=2)
    used: dict[str, int] = {}
    jira_cycle, repo_cycle = ["SUP", "PLAT"], list(REPOS)
    for index, ((form, critical), delay) in enumerate(zip(REACHING, delays, strict=True)):
        title = titles.pop()
        if form == "comment":
            container = "lumio/platform" if index % 2 == 0 else "SUP"
            monday = weeks()[2 + rng.randrange(14)]  # Monday to Wednesday: +26 h stays in the week
            created = working_moment(rng, next_working_day(monday + timedelta(rng.randrange(3))))
            item = _planted_item(rng, org, container, created, title, critical)
            entry = LatencyPlan(item, form, critical)
            entry.comex_comment_at = snap_forward(created + timedelta(hours=delay))
            entry.comex_comment_by = "antoine.girard" if container in REPOS else "claire.martin"
        else:
            container = jira_cycle[index % 2] if form.startswith("jira") else repo_cycle[index % 3]
            kinds = ("codir",) if delay < 72 else ("comex", "codir")
            candidates = [
                m
                for m in top
                if m.type in kinds
                and used.get(m.stem, 0) < 1
                and meeting_start(m) - timedelta(hours=delay) > earliest
            ]
            meeting = rng.choice(candidates)
            used[meeting.stem] = used.get(meeting.stem, 0) + 1
            created = snap_back(meeting_start(meeting) - timedelta(hours=delay))
            item = _planted_item(
                rng,
                org,
                container,
                created,
                title,
                critical,
                flavour="type" if index % 4 == 2 else None,
            )
            entry = LatencyPlan(item, form, critical, comex_meeting=meeting)
        comex_at = entry.comex_comment_at or meeting_start(entry.comex_meeting)
        if index in (3, 8):  # a manager comments before the COMEX hears of it
            entry.management_comment_at = max(
                snap_back(created + (comex_at - created) * 0.4), created + timedelta(minutes=20)
            )
            day = paris_day(entry.management_comment_at)
            entry.management_comment_by = (
                org.holder("head_of_support", day)
                if item.container == "SUP"
                else org.people[item.author].manager
            )
        elif index % 2 == 0:
            options = _between(calendar, "management", created, comex_at)
            entry.management_meeting = options[0] if options else None
        plan.latencies.append(entry)
    for container, flavour in NEVER:
        monday = weeks()[3 + rng.randrange(20)]
        created = working_moment(rng, next_working_day(monday + timedelta(rng.randrange(4))))
        item = _planted_item(rng, org, container, created, titles.pop(), True, flavour)
        entry = LatencyPlan(item, "none", True)
        if rng.random() < 0.5:
            options = _between(calendar, "management", created, created + timedelta(days=30))
            entry.management_meeting = options[0] if options else None
        plan.latencies.append(entry)
    return plan


def add_planted_comments(rng: random.Random, plan: Plan) -> None:
    """The planned management and COMEX comments on planted items."""
    for entry in plan.latencies:
        if entry.management_comment_at:
            entry.item.comments.append(
                Comment(
                    entry.management_comment_by,
                    entry.management_comment_at,
                    "Je remonte le sujet : impact client réel, à suivre de près.",
                )
            )
        if entry.comex_comment_at:
            entry.item.comments.append(
                Comment(
                    entry.comex_comment_by,
                    entry.comex_comment_at,
                    "Je prends le sujet, on en parle en COMEX. Merci pour la remontée.",
                )
            )
        entry.item.comments.sort(key=lambda c: (c.at, c.kind))


def planted_reference(item: Item, form: str) -> str:
    """How minutes cite a planted item in the planned form."""
    if form == "jira_url":
        return f"https://lumio.atlassian.net/browse/{item.key}"
    if form == "github_url":
        return f"https://github.com/{item.container}/issues/{item.number}"
    return item.key  # jira_key, github_full (owner/repo#N), and management/team mentions


def _first_team_meeting(calendar: list[Meeting], org: Org, item: Item) -> Meeting | None:
    team = org.people[item.author].team_on(paris_day(item.created))
    for meeting in calendar:
        if (
            meeting.type == "team"
            and meeting.team == team
            and meeting_start(meeting) > item.created + timedelta(hours=2)
        ):
            return meeting
    return None


def write_planted_mentions(
    rng: random.Random, org: Org, calendar: list[Meeting], plan: Plan
) -> None:
    """Add the planned team, management and COMEX/CODIR mentions of planted items."""
    for entry in plan.latencies:
        item, title = entry.item, entry.item.title
        limit = entry.comex_comment_at or (
            meeting_start(entry.comex_meeting) if entry.comex_meeting else None
        )
        team_meeting = _first_team_meeting(calendar, org, item) if rng.random() < 0.5 else None
        if team_meeting and (limit is None or meeting_start(team_meeting) < limit):
            entry.team_meeting = team_meeting
            text = (
                f"{item.key}: {title} — under investigation."
                if team_meeting.language == "en"
                else f"{item.key} : {title} — en cours d'analyse."
            )
            team_meeting.add("discussion", text)
        if entry.management_meeting:
            entry.management_meeting.add(
                "discussion",
                f"Remontée terrain : {item.key} ({title}). Impact client à qualifier, à suivre.",
            )
        if entry.comex_meeting:
            ref = planted_reference(item, entry.form)
            if entry.comex_meeting.language == "en":
                text = f"Escalation: {ref} — {title}. Customers are asking for a date."
            elif item.source == "jira":
                text = f"Escalade support : {ref} — {title}. Plusieurs clients concernés."
            else:
                text = f"Sujet technique remonté ({ref}) : {title}."
            entry.comex_meeting.add("discussion", text)


def plant_decisions(rng: random.Random, org: Org, calendar: list[Meeting], plan: Plan) -> None:
    """Roadmap decisions (mostly the sales director's) and technical decisions without tech."""
    comex = [m for m in calendar if m.type == "comex"]
    chosen = rng.sample(range(len(comex)), len(MARIE_DECISIONS) + len(CPO_DECISIONS))
    decisions = [(t, "marie.dubois") for t in MARIE_DECISIONS] + [
        (t, "julien.moreau") for t in CPO_DECISIONS
    ]
    rng.shuffle(decisions)
    for index, (text, actor) in zip(sorted(chosen), decisions, strict=True):
        comex[index].add("decisions", text)
        plan.decisions.append(
            {"meeting_id": comex[index].meeting_id, "text": text, "actor_person_id": actor}
        )
    for index, text in zip(
        sorted(rng.sample(range(1, len(comex)), len(TECH_DECISIONS))), TECH_DECISIONS, strict=True
    ):
        meeting = comex[index]
        meeting.attendees.remove("antoine.girard")
        meeting.absent.append("antoine.girard")
        meeting.add("decisions", text)
        plan.tech_without_tech.append({"meeting_id": meeting.meeting_id, "text": text})
    for meeting in rng.sample(comex, 5):
        for pid in ("isabelle.fontaine", "olivier.roux"):
            if pid in meeting.attendees and rng.random() < 0.5:
                meeting.attendees.remove(pid)
                meeting.absent.append(pid)


def _recent(items: list[Item], meeting: Meeting, containers: tuple[str, ...]) -> list[Item]:
    start = meeting_start(meeting)
    return [
        i
        for i in items
        if not i.planted
        and i.container in containers
        and start - timedelta(days=14) < i.created < start
    ]


# the containers a team's meeting discusses
TEAM_CONTAINERS = {
    "Platform": ("PLAT", "lumio/platform"),
    "Web": ("PLAT", "lumio/web-app"),
    "Mobile": ("PLAT", "lumio/mobile"),
    "Data": ("PLAT", "lumio/platform"),
    "Product": ("PLAT",),
    "Support": ("SUP",),
    "Sales": ("SALES",),
    "Marketing": ("SALES",),
}


def write_minutes_content(
    rng: random.Random, org: Org, calendar: list[Meeting], items: list[Item]
) -> None:
    """Everyday agenda, discussion, decisions and actions for every meeting."""
    team_containers = TEAM_CONTAINERS
    for meeting in calendar:
        en = meeting.language == "en"
        names = [org.people[p].names[1] for p in meeting.attendees]
        owner = rng.choice(names) if names else "Claire M."
        if meeting.type == "comex":
            meeting.sections["agenda"] = [
                "Chiffres de la semaine",
                "Escalades clients",
                "Roadmap et priorités",
                "Points RH et budget",
            ]
            for line in rng.sample(COMEX_DISCUSSION, 2):
                meeting.add("discussion", texts.fill(rng, line))
            meeting.add("decisions", texts.fill(rng, rng.choice(OTHER_COMEX_DECISIONS)))
            if "antoine.girard" in meeting.attendees and rng.random() < 0.3:
                meeting.add(
                    "decisions",
                    "Antoine tranche : gel des mises en production le "
                    "vendredi pendant la période de clôture.",
                )
            meeting.add("decisions", texts.fill(rng, rng.choice(COMEX_NON_DECISIONS)))
            meeting.add(
                "actions", texts.fill(rng, f"{owner} : relancer {{customer}} avant vendredi")
            )
            continue
        if meeting.type == "codir":
            if en:
                meeting.sections["agenda"] = ["Numbers", "Escalations", "Hiring"]
                meeting.sections.setdefault("discussion", []).insert(
                    0, rng.choice(CODIR_EN["discussion"])
                )
                meeting.add("decisions", rng.choice(CODIR_EN["decisions"]))
                meeting.add("decisions", rng.choice(CODIR_EN["non"]))
                meeting.add("actions", f"{owner}: share the hiring plan by Friday")
            else:
                meeting.sections["agenda"] = ["Résultats", "Escalades", "Recrutements"]
                meeting.sections.setdefault("discussion", []).insert(
                    0, texts.fill(rng, rng.choice(COMEX_DISCUSSION))
                )
                meeting.add(
                    "decisions",
                    "Décision : un point de triage commun support/produit chaque mardi.",
                )
                meeting.add("actions", f"{owner} : partager le plan de recrutement")
            continue
        if meeting.type == "management":
            meeting.sections["agenda"] = ["Charge des équipes", "Escalades", "Recrutements"]
            for item in (
                rng.sample(_recent(items, meeting, ("SUP", "PLAT")), k=1)
                if _recent(items, meeting, ("SUP", "PLAT"))
                else []
            ):
                meeting.add("discussion", f"Escalade {item.key} : {item.title}.")
            meeting.add("discussion", "Charge : l'équipe Platform est en sous-effectif ce mois-ci.")
            meeting.add(
                "decisions",
                rng.choice(
                    [
                        "Décision : on part sur un gel des recrutements jusqu'à fin mars.",
                        "Pas de décision à ce stade sur l'astreinte.",
                        "Refusé : le passage à quatre jours pour l'équipe support.",
                    ]
                ),
            )
            meeting.add("actions", f"{owner} : consolider les besoins de recrutement")
            continue
        recent = _recent(items, meeting, team_containers[meeting.team])
        meeting.sections["agenda"] = (
            ["Last week", "Blockers", "Next steps"]
            if en
            else ["Tour de table", "Points bloquants", "Suite"]
        )
        for item in rng.sample(recent, k=min(2, len(recent))):
            ref = (
                item.key
                if item.source == "jira" or rng.random() < 0.7
                else f"https://github.com/{item.container}/"
                f"{'pull' if item.kind == 'pull' else 'issues'}/{item.number}"
            )
            meeting.add(
                "discussion",
                (
                    f"{ref}: {item.title}, in progress."
                    if en
                    else f"{ref} : {item.title}, en cours."
                ),
            )
        if en:
            meeting.add(
                "decisions",
                rng.choice(
                    [
                        "Agreed: we move the nightly jobs to the new scheduler.",
                        "Agreed: code freeze on Thursday before the release.",
                        "No decision yet on the analytics stack.",
                    ]
                ),
            )
            meeting.add("actions", f"{owner}: update the runbook")
        else:
            meeting.add(
                "decisions",
                rng.choice(
                    [
                        "Décision : on part sur une revue de code obligatoire à deux.",
                        "Reporté au prochain sprint : le nettoyage des feature flags.",
                        "Proposition : tester le pair programming le vendredi.",
                        "Pas de décision à ce stade.",
                    ]
                ),
            )
            meeting.add("actions", f"{owner} : mettre à jour le tableau de suivi")
