"""Implicit links rescored from the earliest change (pipelines/annotation/links.py): after any
change to the items, the people involved or the minutes, the landed table is the one a fresh
run over the whole warehouse lands, while only the meetings a change can reach are scored."""

from __future__ import annotations

import logging
import shutil
from datetime import datetime, timedelta

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.annotation.links import link_workspace
from pipelines.config import load_workspace

SILO = "workspace: t\nstart_date: 2026-01-05\nlinks: {min_statistics_items: 1, window_days: 30}\n"
T0 = datetime(2026, 1, 5, 9, 0)
CLIENTS = ["Laboratoires Durance", "Optique Marceau", "Transports Velay", "Maison Vernet"]
TOPICS = [
    ("Export CSV en échec", "L'export CSV des écritures comptables échoue, fichier vide."),
    ("Connexion SSO impossible", "Erreur 401 au login pour les comptes Azure du service."),
    ("Planning partagé très lent", "Le planning met une minute à s'afficher sur tablette."),
    ("Factures en double", "Chaque facture mensuelle part deux fois au client final."),
    ("Carte des camions figée", "La position des camions ne se met plus à jour."),
]
PARAPHRASES = [
    "Le bug d'export qui bloque la comptabilité de {client} : correctif attendu cette semaine.",
    "{client} ne peut plus se connecter en SSO, erreur au login depuis lundi.",
    "Chez {client} le planning partagé reste très lent sur les tablettes des équipes.",
    "{client} reçoit ses factures en double chaque mois, le client final se plaint.",
    "La carte des camions de {client} est figée, les positions ne bougent plus.",
]
PEOPLE = [("ana", "Ana Petit"), ("leo", "Léo Martin"), ("zoe", "Zoé Leroy")]


def corpus(weeks: int = 12) -> dict[str, list[tuple]]:
    """Items (one a working day, each on a client and a topic), a comment on some, and a
    weekly COMEX and a weekly team meeting paraphrasing recent items (deterministic)."""
    items, documents = [], []
    for n in range(weeks * 5):
        at = T0 + timedelta(days=n // 5 * 7 + n % 5, hours=n % 3)
        client, (title, body) = CLIENTS[n % 4], TOPICS[n % 5]
        item_id = f"jira:SUP-{n}"
        items.append((item_id, at, f"{title} pour {client}", PEOPLE[n % 3][0], False))
        documents.append((f"{item_id}/body", item_id, "ticket", None, None, at, "ana", False, body))
        if n % 4 == 1:
            documents.append(
                (f"{item_id}/c1", item_id, "comment", None, None, at + timedelta(days=2),
                 PEOPLE[(n + 1) % 3][0], False, "Reproduit.")
            )  # fmt: skip
    for week in range(1, weeks + 1):
        at = T0 + timedelta(days=7 * week - 3)
        for level in ("comex", "field"):
            lines = [
                "- " + PARAPHRASES[n % 5].format(client=CLIENTS[n % 4])
                for n in range(week * 5 - 5, week * 5, 2)
            ]
            if week % 3 == 0:
                lines.append(f"- {PEOPLE[week % 3][1]} relance le sujet des factures en double.")
            meeting = f"notes:{level}-{week}"
            documents.append(
                (f"{meeting}#s", f"{meeting}#s", "minutes", meeting, level, at, None, False,
                 "Points abordés\n" + "\n".join(lines))
            )  # fmt: skip
    return {"items": items, "documents": documents}


def write_warehouse(root, data: dict[str, list[tuple]]) -> None:
    path = root / "warehouse" / "silo.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table int_items (item_id varchar, created_at timestamp, title varchar, "
            "author_person_id varchar, is_author_bot boolean)"
        )
        con.executemany("insert into int_items values (?, ?, ?, ?, ?)", data["items"])
        con.execute(
            "create table int_documents (document_id varchar, item_id varchar, "
            "document_kind varchar, meeting_id varchar, document_level varchar, "
            "authored_at timestamp, author_person_id varchar, is_author_bot boolean, "
            "document_text varchar)"
        )
        con.executemany(
            "insert into int_documents values (?, ?, ?, ?, ?, ?, ?, ?, ?)", data["documents"]
        )
        con.execute(
            "create table stg_directory__people (person_id varchar, display_name varchar, "
            "is_bot boolean)"
        )
        con.executemany(
            "insert into stg_directory__people values (?, ?, false)", [list(p) for p in PEOPLE]
        )
        con.execute(
            "create table stg_directory__aliases (person_id varchar, alias_source varchar, "
            "alias varchar)"
        )


def landed(root) -> list[dict]:
    return pq.read_table(root / "nlp" / "implicit_links" / "current.parquet").to_pylist()


def fresh_run(tmp_path, data) -> list[dict]:
    """The links a first run over `data` lands (no state from an earlier run)."""
    root = tmp_path / "fresh"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    (root / "silo.yml").write_text(SILO, encoding="utf-8")
    write_warehouse(root, data)
    link_workspace(load_workspace(root))
    return landed(root)


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "silo.yml").write_text(SILO, encoding="utf-8")
    data = corpus()
    write_warehouse(root, data)
    link_workspace(load_workspace(root))
    assert len(landed(root)) >= 10, "the corpus must link, or the comparisons prove nothing"
    return root, data


def rerun(root, data, caplog) -> str:
    write_warehouse(root, data)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="pipelines.annotation.links"):
        link_workspace(load_workspace(root))
    return " ".join(r.getMessage() for r in caplog.records)


def later_week(data) -> None:
    """A 13th week: five new items and both meetings, the COMEX one paraphrasing them."""
    more = corpus(weeks=13)
    data["items"] += [i for i in more["items"] if i not in data["items"]]
    data["documents"] += [d for d in more["documents"] if d not in data["documents"]]


def edit_old_title(data) -> None:
    item = data["items"][12]
    data["items"][12] = (item[0], item[1], "Factures en double pour Optique Marceau", *item[3:])


def comment_today(data) -> None:
    """Ana comments on an old item on the last meeting's day: she is involved from then on."""
    data["documents"].append(
        ("jira:SUP-2/c9", "jira:SUP-2", "comment", None, None, T0 + timedelta(days=81),
         "zoe", False, "Toujours présent.")
    )  # fmt: skip


def drop_meeting(data) -> None:
    data["documents"] = [d for d in data["documents"] if d[3] != "notes:comex-6"]


@pytest.mark.parametrize("change", [later_week, edit_old_title, comment_today, drop_meeting])
def test_a_rescored_run_lands_what_a_fresh_run_lands(workspace, tmp_path, caplog, change):
    root, data = workspace
    change(data)
    said = rerun(root, data, caplog)
    assert "rescored" in said, said
    assert landed(root) == fresh_run(tmp_path, data)


def test_a_new_week_rescores_only_its_meetings(workspace, caplog):
    root, data = workspace
    later_week(data)
    said = rerun(root, data, caplog)
    assert "rescored from 2026-03-30 09:00:00, meetings 1 " in said, said  # its COMEX
    # the items older than the window of its week and the margin are counts (the history)
    assert "49 items read" in said and len(data["items"]) == 65, said


def test_an_old_edit_rescores_from_the_item_on(workspace, caplog):
    root, data = workspace
    edit_old_title(data)  # SUP-12: created in week 3; only COMEX minutes are linked
    said = rerun(root, data, caplog)
    assert "rescored from 2026-01-21 09:00:00, meetings 10 " in said, said  # weeks 3 to 12
    assert f"{len(data['items'])} items read" in said, said  # inside the history: all read


def test_nothing_changed_keeps_every_link(workspace, caplog):
    root, data = workspace
    before = landed(root)
    said = rerun(root, data, caplog)
    assert "nothing changed since the last run" in said, said
    assert landed(root) == before


def test_new_names_or_a_touched_output_rescore_everything(workspace, tmp_path, caplog):
    root, data = workspace
    (root / "nlp" / "implicit_links" / "current.parquet").touch()  # not as the run left it
    said = rerun(root, data, caplog)
    assert "rescored" not in said and "passages over" in said, said
    PEOPLE.append(("max", "Max Durance"))  # a person whose name is a client's word
    try:
        said = rerun(root, data, caplog)
        assert "passages over" in said, said
        assert landed(root) == fresh_run(tmp_path, data)
    finally:
        PEOPLE.pop()


def test_a_short_history_rescores_every_meeting(workspace, tmp_path, caplog):
    """Fewer items than `min_statistics_items`: weights are over every item, so a new week
    reaches every meeting, and the rescored table is still a fresh run's."""
    root, data = workspace
    short = SILO.replace("min_statistics_items: 1", "min_statistics_items: 1000")
    (root / "silo.yml").write_text(short, encoding="utf-8")
    later_week(data)
    said = rerun(root, data, caplog)  # the settings changed: every meeting, from scratch
    assert "passages over" in said, said
    edit_old_title(data)
    said = rerun(root, data, caplog)
    assert "meetings 13 " in said, said  # all 13 COMEX meetings
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "silo.yml").write_text(short, encoding="utf-8")
    write_warehouse(fresh, data)
    link_workspace(load_workspace(fresh))
    assert landed(root) == landed(fresh)


def test_a_run_stopped_before_its_basis_rescores_everything_next(
    workspace, tmp_path, caplog, monkeypatch
):
    """A run that dies after landing its links but before recording its basis leaves no
    basis: the next run scores every meeting again, and lands no duplicate."""
    from pipelines.annotation import links

    root, data = workspace
    later_week(data)

    def crash(*args, **kwargs):
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(links, "_write_history", crash)
        with pytest.raises(OSError, match="disk full"):
            rerun(root, data, caplog)
    assert not (root / "state" / "nlp-links" / "basis.json").exists()
    said = rerun(root, data, caplog)
    assert "passages over" in said, said  # from scratch
    assert landed(root) == fresh_run(tmp_path, data)
