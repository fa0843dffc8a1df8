"""Planted implicit links: leadership minutes that discuss field items without citing them.

Twelve field items (Jira SUP/PLAT, GitHub issues), each discussed once in a later COMEX,
CODIR or management meeting in other words (French or English; some name the client, some
only the symptom, one names the reporter; none writes the key), and seven look-alikes that
must NOT link: the same words about another client, the same client on an unrelated
subject, and a paraphrase written before the item existed. Clients here appear in no other
item, so a look-alike has nothing true to link to.

Its own random stream (`seed`-derived), so the rest of the demo is drawn as before; the
items are numbered with the others and rendered by the same payload writers. `truth()`
re-reads the written files (`verify.read_workspace`) and returns what `truth.json` keeps
under `implicit_links`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import timedelta

from pipelines.demo import activity
from pipelines.demo.clock import next_working_day, paris_day, weeks, working_moment
from pipelines.demo.model import Item, Meeting
from pipelines.demo.org import Org
from pipelines.demo.story import meeting_start


@dataclass(frozen=True)
class Plant:
    """An item and the minutes line that discusses it (`{author}`: the reporter's name)."""

    key: str
    container: str
    week: int  # week index of the item's creation
    title: str
    body: str
    meeting_type: str  # comex | codir | management
    language: str
    line: str
    days_after: int  # earliest meeting after creation


PLANTS = [
    Plant("export-durance", "SUP", 3, "Export CSV en échec pour Laboratoires Durance",
          "Depuis la mise en production de mardi, l'export CSV des écritures comptables échoue "
          "pour le service financier de Laboratoires Durance (fichier vide, erreur 500).",
          "comex", "fr", "Le bug d'export qui bloque l'équipe finance de Laboratoires Durance : "
          "correctif attendu, le client s'impatiente.", 9),
    Plant("invoices-twice", "SUP", 4, "Menuiseries Berthaud : factures envoyées en double",
          "Chaque facture de Menuiseries Berthaud part deux fois par e-mail depuis le "
          "changement de modèle de document.",
          "codir", "en", "Berthaud complains that every invoice goes out twice; support is on "
          "it but the account is unhappy.", 5),
    Plant("qr-crash", "lumio/mobile", 5,
          "L'app se ferme quand on scanne un QR code sur Android 14",
          "Crash systématique à l'ouverture du scanner de QR code sur les Samsung Galaxy sous "
          "Android 14. Stacktrace jointe.",
          "management", "fr", "Les techniciens terrain ne peuvent plus scanner les étiquettes : "
          "l'application plante sur leurs Samsung.", 6),
    Plant("slow-planning", "PLAT", 6,
          "Lenteur du calcul des plannings pour les comptes de plus de 200 techniciens",
          "Domicile Services Loire signale des temps de chargement de 40 s sur la vue "
          "planning hebdomadaire.",
          "comex", "fr", "Domicile Services Loire menace de ne pas renouveler : leurs "
          "plannings mettent près d'une minute à s'afficher.", 12),
    Plant("stripe-webhook", "lumio/platform", 7,
          "Webhook Stripe non traité : abonnements marqués impayés",
          "Les événements invoice.paid de Stripe sont ignorés depuis la rotation de la clé ; "
          "des abonnements restent en impayé à tort (Vignobles Castel notamment).",
          "codir", "en", "Vignobles Castel was flagged as unpaid although they paid: the "
          "payment provider's events were not processed.", 4),
    Plant("google-login", "SUP", 8, "Imprimerie Delorme : impossible de se connecter via Google",
          "Les utilisateurs d'Imprimerie Delorme n'arrivent plus à se connecter avec leur "
          "compte Google Workspace (boucle de redirection).",
          "management", "fr", "Imprimerie Delorme bloquée à la connexion : la redirection "
          "Google tourne en boucle et le support n'a pas de contournement.", 3),
    Plant("dutch-reminders", "PLAT", 9,
          "Traductions manquantes dans les e-mails de rappel en néerlandais",
          "Les rappels de rendez-vous envoyés aux familles belges des Crèches Arc-en-ciel "
          "partent avec des clés de traduction brutes.",
          "comex", "fr", "Les parents des Crèches Arc-en-ciel en Belgique reçoivent des "
          "rappels illisibles, pleins de codes techniques.", 15),
    Plant("frozen-map", "SUP", 11, "Transports Keller : géolocalisation des véhicules figée",
          "La position des camions ne se met plus à jour depuis hier sur la carte du tableau "
          "de bord.",
          "management", "fr", "{author} remonte que chez Transports Keller la carte des "
          "camions ne bouge plus depuis plusieurs jours.", 4),
    Plant("save-disabled", "lumio/web-app", 12,
          "Le bouton Enregistrer reste grisé dans le formulaire d'intervention",
          "Impossible de sauvegarder une intervention quand le champ signature est vide ; "
          "remonté par Résidences Ophélie.",
          "codir", "en", "Résidences Ophélie staff cannot save their visit reports, the save "
          "button stays disabled.", 8),
    Plant("payroll-hours", "SUP", 13,
          "Résidences Ophélie : export des heures pour la paie incomplet",
          "L'export mensuel des heures travaillées ne contient pas les équipes de nuit ; la "
          "paie de Résidences Ophélie est bloquée.",
          "comex", "fr", "Chez Résidences Ophélie, la paie est bloquée : l'extraction des "
          "heures oublie les équipes de nuit.", 10),
    Plant("backups", "PLAT", 15, "Sauvegardes nocturnes de la base en échec depuis la migration",
          "Le job de backup Postgres échoue chaque nuit depuis le passage au nouveau cluster ; "
          "aucune sauvegarde depuis cinq jours.",
          "comex", "fr", "Risque majeur : plus aucune sauvegarde de la base depuis près d'une "
          "semaine, suite au changement de cluster.", 6),
    Plant("sage-dates", "PLAT", 16,
          "Import des contrats depuis Sage : dates de fin décalées d'un jour",
          "Problème de fuseau horaire : les dates de fin de contrat importées depuis Sage "
          "arrivent avec un jour de décalage pour Laboratoires Durance.",
          "codir", "en", "Contract end dates imported from Sage are one day off, and "
          "Durance's lawyers noticed.", 7),
]  # fmt: skip

# (kind, plant it resembles, meeting type, language, line, days after the plant's creation)
LOOKALIKES = [
    ("other_client", "export-durance", "comex", "fr", "Le bug d'export qui bloque l'équipe "
     "finance d'Optique Marceau : le client attend un correctif.", 16),
    ("other_client", "google-login", "management", "fr", "Brasserie Lamotte ne parvient plus à "
     "se connecter via Google, la redirection tourne en boucle.", 10),
    ("same_client_other_topic", "slow-planning", "comex", "fr", "Domicile Services Loire ouvre "
     "trois nouvelles agences en juin et demande une remise sur volume.", 19),
    ("same_client_other_topic", "invoices-twice", "codir", "en", "Berthaud renewed its "
     "contract for three years and would like a case study.", 20),
    ("same_client_other_topic", "dutch-reminders", "management", "fr", "Les Crèches "
     "Arc-en-ciel signent pour deux sites supplémentaires à Lyon.", 8),
    ("before_item", "frozen-map", "management", "fr", "Transports Keller : la carte des "
     "camions ne bouge plus, les positions des véhicules sont figées.", -9),
    ("before_item", "qr-crash", "comex", "fr", "L'application plante au scan des QR codes "
     "sur les Samsung Android des techniciens.", -10),
]  # fmt: skip


@dataclass
class Planted:
    items: dict[str, Item] = field(default_factory=dict)  # plant key -> item
    lines: list[dict] = field(default_factory=list)  # kind, plant, meeting, text


def plant_items(org: Org, seed: int) -> tuple[Planted, random.Random]:
    """The planted field items (not numbered yet), and the random stream for the rest."""
    rng = random.Random(seed * 7919 + 10)
    planted = Planted()
    for plant in PLANTS:
        monday = weeks()[plant.week]
        created = working_moment(rng, next_working_day(monday + timedelta(rng.randrange(3))))
        authors = activity.possible_authors(org, plant.container, paris_day(created), True)
        kind = "issue" if plant.container in activity.REPOS else None
        item = activity.new_item(rng, org, plant.container, created, rng.choice(authors), kind)
        item.title, item.body, item.planted = plant.title, plant.body, True
        item.milestone = None
        planted.items[plant.key] = item
    return planted, rng


def _meeting(calendar: list[Meeting], kind: str, language: str, after) -> Meeting:
    return next(
        m
        for m in calendar
        if m.type == kind
        and m.front_matter
        and (kind != "codir" or m.language == language)
        and meeting_start(m) > after
    )


def write_plants(rng: random.Random, org: Org, calendar: list[Meeting], planted: Planted) -> None:
    """Comments and lifecycle of the planted items, then the minutes lines."""
    for item in planted.items.values():
        activity.add_discussion(rng, org, item)
        activity.add_lifecycle(rng, org, item)
    plants = {p.key: p for p in PLANTS}
    for plant in PLANTS:
        item = planted.items[plant.key]
        when = item.created + timedelta(days=plant.days_after)
        meeting = _meeting(calendar, plant.meeting_type, plant.language, when)
        text = plant.line.format(author=org.people[item.author].name)
        meeting.add("discussion", text)
        planted.lines.append(
            {"kind": "paraphrase", "plant": plant.key, "meeting": meeting, "text": text}
        )
    for kind, key, meeting_type, language, text, days in LOOKALIKES:
        when = planted.items[key].created + timedelta(days=days)
        if days < 0:  # the meeting must end before the item exists
            when -= timedelta(days=7)
        meeting = _meeting(calendar, meeting_type, language, when)
        assert kind != "before_item" or meeting_start(meeting) < planted.items[key].created
        meeting.add("discussion", text)
        planted.lines.append({"kind": kind, "plant": key, "meeting": meeting, "text": text})
    assert set(plants) == set(planted.items)


def _cites(text: str, item: Item) -> bool:
    """Whether `text` cites `item` in any explicit form (key, owner/repo#N, URL)."""
    forms = [re.escape(item.key) + r"(?!\d)"]
    if item.source == "github":
        forms.append(
            re.escape(f"{item.container}/") + r"(?:issues|pull)/" + f"{item.number}" + r"(?!\d)"
        )
    return any(re.search(form, text) for form in forms)


def truth(ws, planted: Planted) -> dict:
    """`{"pairs": [...], "lookalikes": [...]}` checked against the written files: each line
    is in its meeting's file, each item exists, is raised at field level and is cited by no
    minutes."""
    pairs, lookalikes = [], []
    minutes = {m.meeting_id: m for m in ws.minutes}
    for line in planted.lines:
        item = planted.items[line["plant"]]
        meeting_id = line["meeting"].meeting_id
        where = f"implicit plant {line['plant']} ({line['kind']})"
        assert line["text"] in minutes[meeting_id].text, f"{where}: line not in {meeting_id}"
        assert item.item_id in ws.items, f"{where}: {item.item_id} not written"
        author = ws.items[item.item_id]["author"]
        assert ws.people[author]["level"] == "field", f"{where}: author not field-level"
        assert not any(_cites(m.text, item) for m in ws.minutes), f"{where}: item cited"
        row = {
            "item_id": item.item_id,
            "meeting_id": meeting_id,
            "kind": line["kind"],
            "text": line["text"],
        }
        (pairs if line["kind"] == "paraphrase" else lookalikes).append(row)
    return {
        "pairs": sorted(pairs, key=lambda r: r["item_id"]),
        "lookalikes": sorted(lookalikes, key=lambda r: (r["kind"], r["meeting_id"])),
    }
