"""The demo organisation: Lumio, a French SaaS scale-up of about seventy people.

`build_org(rng)` returns the people (with their aliases in every source), the roles over
time and the official owners per decision domain; `directory_document(org)` turns it into
the `directory.yml` mapping of the source contract (`pipelines/sources/README.md`).

Planted oddities a robust pipeline must survive:
- two people called Marie (the sales director Marie Dubois and the support agent Marie
  Lefèvre): a bare "Marie" is ambiguous, "Marie D." / "MD" and "Marie L." / "ML" are not;
- Lucas Petit moves from the Web team to the Mobile team on 2026-03-02 (team = latest,
  the move is in his roles history);
- Sophie Laurent, head of support, leaves on 2026-03-13; Nadia Kaci arrives on 2026-03-16
  and takes the `head_of_support` role (a role that changes holder mid-period);
- bots: `dependabot[bot]`, `lumio-ci[bot]` on GitHub and "Automation for Jira".
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date

DOMAIN = "lumio.example"
ORG_LOGIN = "lumio"
TEAM_MOVE_DAY = date(2026, 3, 2)
SUPPORT_HANDOVER_LEFT = date(2026, 3, 13)
SUPPORT_HANDOVER_ARRIVED = date(2026, 3, 16)

# fmt: off
# id, first name, last name, team, side, level, title, manager, has a GitHub account
_ROSTER: list[tuple[str, str, str, str, str, str, str, str | None, bool]] = [
    # COMEX
    ("claire.martin", "Claire", "Martin", "Direction", "leadership", "comex",
     "Présidente-directrice générale (CEO)", None, False),
    ("antoine.girard", "Antoine", "Girard", "Engineering", "tech", "comex",
     "Directeur technique (CTO)", "claire.martin", True),
    ("julien.moreau", "Julien", "Moreau", "Product", "product", "comex",
     "Directeur produit (CPO)", "claire.martin", True),
    ("isabelle.fontaine", "Isabelle", "Fontaine", "Finance", "leadership", "comex",
     "Directrice administrative et financière (CFO)", "claire.martin", False),
    ("marie.dubois", "Marie", "Dubois", "Sales", "business", "comex",
     "Directrice commerciale", "claire.martin", False),
    ("olivier.roux", "Olivier", "Roux", "Marketing", "business", "comex",
     "Directeur marketing", "claire.martin", False),
    # management
    ("nicolas.bernard", "Nicolas", "Bernard", "Platform", "tech", "management",
     "Engineering manager Platform", "antoine.girard", True),
    ("camille.durand", "Camille", "Durand", "Web", "tech", "management",
     "Engineering manager Web", "antoine.girard", True),
    ("hugo.lambert", "Hugo", "Lambert", "Mobile", "tech", "management",
     "Engineering manager Mobile", "antoine.girard", True),
    ("sarah.cohen", "Sarah", "Cohen", "Data", "tech", "management",
     "Data lead", "antoine.girard", True),
    ("emma.rousseau", "Emma", "Rousseau", "Product", "product", "management",
     "Lead product manager Web & Mobile", "julien.moreau", True),
    ("leo.garnier", "Léo", "Garnier", "Product", "product", "management",
     "Lead product manager Platform & Data", "julien.moreau", True),
    ("sophie.laurent", "Sophie", "Laurent", "Support", "business", "management",
     "Responsable support client", "claire.martin", True),
    ("nadia.kaci", "Nadia", "Kaci", "Support", "business", "management",
     "Responsable support client", "claire.martin", True),
    ("thomas.mercier", "Thomas", "Mercier", "Sales", "business", "management",
     "Responsable sales ops", "marie.dubois", False),
    ("pierre.blanc", "Pierre", "Blanc", "Sales", "business", "management",
     "Responsable grands comptes", "marie.dubois", False),
    ("chloe.fabre", "Chloé", "Fabre", "Marketing", "business", "management",
     "Responsable acquisition", "olivier.roux", False),
    ("helene.marty", "Hélène", "Marty", "Finance", "business", "management",
     "Responsable RH", "isabelle.fontaine", False),
    # Platform
    ("maxime.leroy", "Maxime", "Leroy", "Platform", "tech", "field",
     "Développeur backend senior", "nicolas.bernard", True),
    ("ines.morel", "Inès", "Morel", "Platform", "tech", "field",
     "Développeuse backend", "nicolas.bernard", True),
    ("theo.fournier", "Théo", "Fournier", "Platform", "tech", "field",
     "Ingénieur SRE", "nicolas.bernard", True),
    ("yasmine.haddad", "Yasmine", "Haddad", "Platform", "tech", "field",
     "Développeuse backend", "nicolas.bernard", True),
    ("romain.gauthier", "Romain", "Gauthier", "Platform", "tech", "field",
     "Ingénieur DevOps", "nicolas.bernard", True),
    ("elise.perrin", "Élise", "Perrin", "Platform", "tech", "field",
     "Développeuse backend", "nicolas.bernard", True),
    # Web (Lucas Petit moves to Mobile on TEAM_MOVE_DAY)
    ("manon.chevalier", "Manon", "Chevalier", "Web", "tech", "field",
     "Développeuse front-end senior", "camille.durand", True),
    ("alexandre.robin", "Alexandre", "Robin", "Web", "tech", "field",
     "Développeur full-stack", "camille.durand", True),
    ("jade.muller", "Jade", "Muller", "Web", "tech", "field",
     "Développeuse front-end", "camille.durand", True),
    ("mehdi.amrani", "Mehdi", "Amrani", "Web", "tech", "field",
     "Développeur full-stack", "camille.durand", True),
    ("pauline.henry", "Pauline", "Henry", "Web", "tech", "field",
     "Développeuse front-end", "camille.durand", True),
    # Mobile
    ("lucas.petit", "Lucas", "Petit", "Mobile", "tech", "field",
     "Développeur mobile", "hugo.lambert", True),
    ("kevin.nguyen", "Kevin", "Nguyen", "Mobile", "tech", "field",
     "Développeur iOS", "hugo.lambert", True),
    ("laura.roche", "Laura", "Roche", "Mobile", "tech", "field",
     "Développeuse Android", "hugo.lambert", True),
    ("samuel.faure", "Samuel", "Faure", "Mobile", "tech", "field",
     "Développeur mobile", "hugo.lambert", True),
    ("zoe.marchand", "Zoé", "Marchand", "Mobile", "tech", "field",
     "QA mobile", "hugo.lambert", True),
    # Data
    ("adrien.colin", "Adrien", "Colin", "Data", "tech", "field",
     "Data engineer", "sarah.cohen", True),
    ("lea.schmitt", "Léa", "Schmitt", "Data", "tech", "field",
     "Data analyst", "sarah.cohen", True),
    ("victor.dumas", "Victor", "Dumas", "Data", "tech", "field",
     "Data engineer", "sarah.cohen", True),
    ("nina.bertrand", "Nina", "Bertrand", "Data", "tech", "field",
     "Data scientist", "sarah.cohen", True),
    # Product
    ("anais.meyer", "Anaïs", "Meyer", "Product", "product", "field",
     "Product manager", "emma.rousseau", True),
    ("benjamin.caron", "Benjamin", "Caron", "Product", "product", "field",
     "Product manager", "leo.garnier", True),
    ("oceane.picard", "Océane", "Picard", "Product", "product", "field",
     "Product manager", "emma.rousseau", True),
    ("florian.giraud", "Florian", "Giraud", "Product", "product", "field",
     "Product manager", "leo.garnier", True),
    ("julie.vidal", "Julie", "Vidal", "Product", "product", "field",
     "Product designer", "emma.rousseau", True),
    ("arthur.lemaire", "Arthur", "Lemaire", "Product", "product", "field",
     "Product designer", "emma.rousseau", True),
    # Support (Marie Lefèvre is the homonym of the sales director)
    ("marie.lefevre", "Marie", "Lefèvre", "Support", "business", "field",
     "Chargée de support", "nadia.kaci", True),
    ("karim.belkacem", "Karim", "Belkacem", "Support", "business", "field",
     "Chargé de support N2", "nadia.kaci", True),
    ("celine.dupont", "Céline", "Dupont", "Support", "business", "field",
     "Chargée de support", "nadia.kaci", True),
    ("bastien.renaud", "Bastien", "Renaud", "Support", "business", "field",
     "Chargé de support", "nadia.kaci", True),
    ("amandine.lucas", "Amandine", "Lucas", "Support", "business", "field",
     "Chargée de support", "nadia.kaci", False),
    ("fatima.elidrissi", "Fatima", "El Idrissi", "Support", "business", "field",
     "Chargée de support N2", "nadia.kaci", True),
    ("quentin.barbier", "Quentin", "Barbier", "Support", "business", "field",
     "Chargé de support", "nadia.kaci", False),
    # Sales
    ("guillaume.andre", "Guillaume", "André", "Sales", "business", "field",
     "Account executive", "pierre.blanc", False),
    ("charlotte.leclerc", "Charlotte", "Leclerc", "Sales", "business", "field",
     "Account executive", "pierre.blanc", False),
    ("vincent.hubert", "Vincent", "Hubert", "Sales", "business", "field",
     "Key account manager", "pierre.blanc", False),
    ("audrey.lemoine", "Audrey", "Lemoine", "Sales", "business", "field",
     "Account executive", "pierre.blanc", False),
    ("mathieu.collet", "Mathieu", "Collet", "Sales", "business", "field",
     "Business developer", "pierre.blanc", False),
    ("sandrine.poirier", "Sandrine", "Poirier", "Sales", "business", "field",
     "Customer success manager", "pierre.blanc", False),
    ("remi.bouvier", "Rémi", "Bouvier", "Sales", "business", "field",
     "Business developer", "pierre.blanc", False),
    ("elodie.carpentier", "Élodie", "Carpentier", "Sales", "business", "field",
     "Customer success manager", "pierre.blanc", False),
    ("justine.weber", "Justine", "Weber", "Sales", "business", "field",
     "Analyste sales ops", "thomas.mercier", False),
    ("damien.roy", "Damien", "Roy", "Sales", "business", "field",
     "Chargé d'avant-vente", "thomas.mercier", True),
    # Marketing
    ("lola.masson", "Lola", "Masson", "Marketing", "business", "field",
     "Chargée de marketing produit", "chloe.fabre", False),
    ("antonin.brun", "Antonin", "Brun", "Marketing", "business", "field",
     "Growth marketer", "chloe.fabre", False),
    ("margaux.gilles", "Margaux", "Gilles", "Marketing", "business", "field",
     "Chargée de contenu", "chloe.fabre", False),
    ("clement.noel", "Clément", "Noël", "Marketing", "business", "field",
     "Chargé d'événements", "chloe.fabre", False),
    ("ambre.jacob", "Ambre", "Jacob", "Marketing", "business", "field",
     "Chargée de communication", "chloe.fabre", False),
    # Finance & HR
    ("agathe.perret", "Agathe", "Perret", "Finance", "business", "field",
     "Contrôleuse de gestion", "isabelle.fontaine", False),
    ("franck.lacroix", "Franck", "Lacroix", "Finance", "business", "field",
     "Comptable", "isabelle.fontaine", False),
    ("sylvain.rey", "Sylvain", "Rey", "Finance", "business", "field",
     "Office manager", "helene.marty", False),
]
# fmt: on

# canonical role id -> holder (one row; the head of support changes holder, see roles())
_COMEX_ROLES = {
    "ceo": "claire.martin",
    "cto": "antoine.girard",
    "cpo": "julien.moreau",
    "cfo": "isabelle.fontaine",
    "sales_director": "marie.dubois",
    "marketing_director": "olivier.roux",
}
_MANAGER_ROLES = {
    "engineering_manager_platform": "nicolas.bernard",
    "engineering_manager_web": "camille.durand",
    "engineering_manager_mobile": "hugo.lambert",
    "data_lead": "sarah.cohen",
    "product_lead_web_mobile": "emma.rousseau",
    "product_lead_platform_data": "leo.garnier",
    "head_of_sales_ops": "thomas.mercier",
    "head_of_key_accounts": "pierre.blanc",
    "head_of_acquisition": "chloe.fabre",
    "head_of_hr": "helene.marty",
}
OWNERS = {
    "roadmap": "cpo",
    "technical": "cto",
    "budget": "cfo",
    "customer": "sales_director",
    "organisation": "ceo",
}


@dataclass
class Person:
    """One human or bot, with the aliases other sources use for them."""

    id: str
    first: str
    last: str
    team: str
    side: str
    level: str
    title: str
    manager: str | None
    arrived: date
    left: date | None = None
    bot: bool = False
    github: str | None = None
    github_id: int | None = None
    jira_account: str | None = None
    email: str | None = None
    names: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}".strip()

    def active(self, day: date) -> bool:
        return self.arrived <= day and (self.left is None or day <= self.left)

    def team_on(self, day: date) -> str:
        """The team on `day` (only Lucas Petit changes team in the period)."""
        if self.id == "lucas.petit" and day < TEAM_MOVE_DAY:
            return "Web"
        return self.team


@dataclass
class Org:
    people: dict[str, Person]
    roles: list[dict]
    owners: dict[str, str]
    bots: dict[str, Person]  # 'dependabot', 'ci', 'jira_automation'

    def humans(self) -> list[Person]:
        return [p for p in self.people.values() if not p.bot]

    def holder(self, role: str, day: date) -> str:
        """The person holding canonical `role` on `day`."""
        for row in self.roles:
            current = row["to"] is None or day <= row["to"]
            if row["role"] == role and row["from"] <= day and current:
                return row["person"]
        raise KeyError(f"no holder for role {role!r} on {day}")

    def by_github(self) -> dict[str, Person]:
        return {p.github: p for p in self.people.values() if p.github}

    def by_jira(self) -> dict[str, Person]:
        return {p.jira_account: p for p in self.people.values() if p.jira_account}


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _initials(first: str, last: str) -> str:
    return (strip_accents(first)[0] + strip_accents(last)[0]).upper()


def _account_id(rng: random.Random) -> str:
    """A Jira Cloud accountId: the older 24-hex form or the newer `712020:<uuid>` form."""
    if rng.random() < 0.6:
        return "5" + "".join(rng.choice("0123456789abcdef") for _ in range(23))
    return "712020:" + str(uuid.UUID(int=rng.getrandbits(128), version=4))


def build_org(rng: random.Random) -> Org:
    """The people, roles and owners. Identifiers come from `rng`, so a seed fixes them."""
    people: dict[str, Person] = {}
    comex_or_manager = (
        set(_COMEX_ROLES.values()) | set(_MANAGER_ROLES.values()) | {"sophie.laurent", "nadia.kaci"}
    )
    first_counts: dict[str, int] = {}
    for row in _ROSTER:
        first_counts[row[1]] = first_counts.get(row[1], 0) + 1
    for pid, first, last, team, side, level, title, manager, has_github in _ROSTER:
        arrived = date(2019 + rng.randrange(7), 1 + rng.randrange(12), 1)
        if arrived > date(2025, 11, 1):
            arrived = date(2025, 11, 1)
        person = Person(pid, first, last, team, side, level, title, manager, arrived)
        plain_first, plain_last = strip_accents(first).lower(), strip_accents(last).lower()
        person.email = f"{pid}@{DOMAIN}"
        person.jira_account = _account_id(rng)
        if has_github:
            style = rng.randrange(3)
            login = {
                0: f"{plain_first[0]}{plain_last}",
                1: f"{plain_first}-{plain_last[:3]}",
                2: f"{plain_first}{plain_last[0]}-lumio",
            }[style]
            person.github = login.replace(" ", "")
            person.github_id = 10_000_000 + rng.randrange(90_000_000)
        names = [person.name, f"{first} {last[0]}."]
        if pid in comex_or_manager:
            names.append(_initials(first, last))
        if first_counts[first] == 1:
            names.append(first)
        person.names = names
        people[pid] = person
    # Fixed facts of the story.
    people["sophie.laurent"].left = SUPPORT_HANDOVER_LEFT
    people["nadia.kaci"].arrived = SUPPORT_HANDOVER_ARRIVED
    people["lucas.petit"].arrived = date(2024, 9, 2)
    for pid in ("karim.belkacem", "marie.lefevre", "celine.dupont"):
        people[pid].arrived = min(people[pid].arrived, date(2024, 6, 3))

    bots = {
        "dependabot": Person(
            "bot.dependabot",
            "dependabot[bot]",
            "",
            "Engineering",
            "tech",
            "field",
            "GitHub bot",
            None,
            date(2020, 1, 1),
            bot=True,
            github="dependabot[bot]",
            github_id=49699333,
        ),
        "ci": Person(
            "bot.lumio-ci",
            "lumio-ci[bot]",
            "",
            "Engineering",
            "tech",
            "field",
            "CI bot",
            None,
            date(2021, 3, 1),
            bot=True,
            github="lumio-ci[bot]",
            github_id=148_000_000 + rng.randrange(1_000_000),
        ),
        "jira_automation": Person(
            "bot.jira-automation",
            "Automation for Jira",
            "",
            "Engineering",
            "tech",
            "field",
            "Jira automation",
            None,
            date(2021, 3, 1),
            bot=True,
            jira_account="557058:" + str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        ),
    }
    for bot in bots.values():
        bot.names = [bot.first]
        people[bot.id] = bot

    roles = []
    for role, pid in {**_COMEX_ROLES, **_MANAGER_ROLES}.items():
        roles.append({"role": role, "person": pid, "from": people[pid].arrived, "to": None})
    roles.append(
        {
            "role": "head_of_support",
            "person": "sophie.laurent",
            "from": people["sophie.laurent"].arrived,
            "to": SUPPORT_HANDOVER_LEFT,
        }
    )
    roles.append(
        {
            "role": "head_of_support",
            "person": "nadia.kaci",
            "from": SUPPORT_HANDOVER_ARRIVED,
            "to": None,
        }
    )
    lucas = people["lucas.petit"]
    roles.append(
        {"role": "web_developer", "person": lucas.id, "from": lucas.arrived, "to": date(2026, 3, 1)}
    )
    roles.append(
        {"role": "mobile_developer", "person": lucas.id, "from": TEAM_MOVE_DAY, "to": None}
    )
    roles.sort(key=lambda r: (r["role"], r["from"]))
    return Org(people=people, roles=roles, owners=dict(OWNERS), bots=bots)


def directory_document(org: Org) -> dict:
    """The `directory.yml` mapping, exactly in the contract's format."""
    people = []
    for p in org.people.values():
        jira = [p.jira_account] if p.jira_account else []
        if p.email and not p.bot:
            jira.append(p.email)
        people.append(
            {
                "id": p.id,
                "name": p.name,
                "team": p.team,
                "side": p.side,
                "level": p.level,
                "title": p.title,
                "manager": p.manager,
                "arrived": p.arrived,
                "left": p.left,
                "bot": p.bot,
                "aliases": {
                    "github": [p.github] if p.github else [],
                    "jira": jira,
                    "email": [p.email] if p.email else [],
                    "names": list(p.names),
                },
            }
        )
    return {"people": people, "roles": org.roles, "owners": org.owners}
