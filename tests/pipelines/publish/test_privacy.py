"""Pseudonymisation at the publication boundary (pipelines/publish/privacy.py).

Unit tests build a small directory and a small DuckDB file shaped like the marts; one
end-to-end test runs the demo pipeline with the mode on and scans the published snapshot.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from pipelines.config import load_workspace
from pipelines.publish.privacy import (
    AMBIGUOUS_LABEL,
    Pseudonymiser,
    UnclassifiedColumnError,
    pseudonymise_snapshot,
)
from pipelines.publish.snapshot import publish_snapshot
from pipelines.sources.directory import (
    PseudonymisationError,
    alias_pseudonym,
    load_directory,
    person_pseudonym,
)
from pipelines.sources.notes.text import normalise

SALT = "unit-test-salt-5f1c9e27ab"
SALT_ENV = "TEST_PRIVACY_SALT"

ORG = """
people:
  - id: marie.dubois
    name: Marie Dubois
    team: Sales
    side: business
    level: comex
    aliases:
      github: [mdubois]
      jira: [5b10a2844c20165700ede21g]
      email: [marie.dubois@acme.example]
      names: [MDu]
  - id: helene.lefevre
    name: Hélène Lefèvre
    team: Platform
    side: tech
    level: comex
    aliases:
      github: [hlefevre]
  - id: paul.martin
    name: Paul Martin
    team: Platform
    side: tech
    level: field
    aliases:
      github: [pmartin-dev]
  - id: paul.roux
    name: Paul Roux
    team: Support
    side: business
    level: field
roles:
  - {role: cto, person: helene.lefevre, from: 2024-01-01}
owners: {technical: cto}
"""


@pytest.fixture
def org_path(tmp_path: Path) -> Path:
    path = tmp_path / "org.yml"
    path.write_text(ORG, encoding="utf-8")
    return path


@pytest.fixture
def pseudo(org_path: Path) -> Pseudonymiser:
    return Pseudonymiser(load_directory(org_path), SALT)


def label(person_id: str) -> str:
    return f"[{person_pseudonym(person_id, SALT)[:10]}]"


def test_free_text_names_become_stable_labels(pseudo):
    marie, helene, paul = label("marie.dubois"), label("helene.lefevre"), label("paul.martin")
    text = (
        "Décision de Marie D. : le CTO valide. HELENE LEFEVRE et Hélène  Lefèvre sont "
        "d'accord ; voir @mdubois, pmartin-dev, marie.dubois@acme.example et "
        "MDu. Écrire à jean.inconnu@other.example. Dubois relance ; Marie aussi."
    )
    expected = (
        f"Décision de {marie} : le CTO valide. {helene} et {helene} sont "
        f"d'accord ; voir @{marie}, {paul}, {marie} et "
        f"{marie}. Écrire à [{alias_pseudonym('email', 'jean.inconnu@other.example', SALT)[:10]}]."
        f" {marie} relance ; {marie} aussi."
    )
    assert pseudo.text(text) == expected


def test_word_boundaries_case_and_shared_first_names(pseudo):
    # not a name: a longer word, a lower-case common word, a file extension, a login suffix
    kept = "Paulette lit le README.md ; une idée claire ; mdubois2 ; Martinique."
    assert pseudo.text(kept) == kept
    # two people are called Paul: the first name alone names nobody in particular
    assert pseudo.text("Paul a tranché.") == f"{AMBIGUOUS_LABEL} a tranché."
    assert pseudo.text("Paul M. a tranché.") == f"{label('paul.martin')} a tranché."
    assert pseudo.name("Paul Roux") == label("paul.roux")


def test_name_columns_never_show_a_clear_name(pseudo):
    assert pseudo.name("Hélène Lefèvre") == label("helene.lefevre")
    assert pseudo.name("helene lefevre") == label("helene.lefevre")
    unknown = pseudo.name("Jean Inconnu")
    assert re.fullmatch(r"\[a-[0-9a-f]{8}\]", unknown)
    assert unknown == pseudo.name("Jean Inconnu")


def _build_snapshot(path: Path, extra_sql: str = "") -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(
            """
            create table int_identities as select * from (values
                ('github', 'mdubois', 'marie.dubois', 'Sales', 'business', 'comex'),
                ('jira', '5b10a2844c20165700ede21g', 'marie.dubois', 'Sales', 'business',
                 'comex'),
                ('github', 'hlefevre', 'helene.lefevre', 'Platform', 'tech', 'comex'),
                ('github', 'ghost', null, null, null, null)
            ) t(alias_source, alias_key, person_id, team, side, person_level);
            create table int_documents as select * from (values
                ('github:acme/app#1/body', 'github', 'mdubois', 'marie.dubois',
                 'Marie Dubois demande le SSO.', 'business'),
                ('jira:PLAT-1/body', 'jira', '5b10a2844c20165700ede21g', 'marie.dubois',
                 'Voir Hélène L. pour le budget.', 'business')
            ) t(document_id, source_system, author_alias, author_person_id, document_text,
                author_side);
            create table fct_decisions as select * from (values
                ('notes:comex#decisions-1#d1', 'marie.dubois', 'Marie Dubois', 'business',
                 'Marie Dubois tranche : le SSO passe en tête.', 'cto', 'helene.lefevre',
                 timestamp '2026-03-02 09:00:00')
            ) t(decision_id, decided_by_person_id, decided_by_name, decided_by_side,
                decision_text, official_owner_role, official_owner_person_id, decided_at);
            create table fct_arbitration as select * from (values
                ('roadmap:marie.dubois', 'roadmap', 'marie.dubois', 'Marie Dubois', 'business',
                 7::bigint, 1::bigint)
            ) t(arbitration_id, decision_domain, decider_id, decider_name, decider_side,
                decisions, decider_rank);
            create table int_meeting_attendance as select * from (values
                ('notes:comex', 'marie.dubois,paul.martin', '["Marie D.", "Jean Inconnu"]')
            ) t(meeting_id, attendee_ids, attendees);
            create view stg_directory__people as select 'Marie Dubois' as display_name;
            """
            + extra_sql
        )


def _rows(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_snapshot_ids_are_hashed_consistently_and_joins_still_work(tmp_path, pseudo):
    path = tmp_path / "snap.duckdb"
    _build_snapshot(path)
    counts = pseudonymise_snapshot(path, pseudo)
    # 14 person, name, alias and text columns, and 3 ids of records (re-keyed)
    assert counts == {"tables": 5, "columns_rewritten": 17, "views_dropped": 1}
    marie = person_pseudonym("marie.dubois", SALT)
    assert _rows(path, "select decider_id, arbitration_id, decider_name from fct_arbitration") == [
        (marie, f"roadmap:{marie}", label("marie.dubois"))
    ]
    joined = _rows(
        path,
        """
        select distinct d.decided_by_person_id, i.side, i.team
        from fct_decisions d
        join int_identities i on i.person_id = d.decided_by_person_id
        join int_documents doc on doc.author_person_id = d.decided_by_person_id
        join fct_arbitration a on a.decider_id = d.decided_by_person_id
        """,
    )
    assert joined == [(marie, "business", "Sales")]
    # an alias is hashed like the directory's alias rows, the same in every table
    login = alias_pseudonym("github", "mdubois", SALT)
    assert ("github", login) in _rows(path, "select alias_source, alias_key from int_identities")
    assert _rows(path, "select author_alias from int_documents where source_system = 'github'") == [
        (login,)
    ]
    assert _rows(path, "select attendee_ids, attendees from int_meeting_attendance") == [
        (
            ",".join(sorted([marie, person_pseudonym("paul.martin", SALT)])),
            f'["{label("marie.dubois")}", "{pseudo.name("Jean Inconnu")}"]',
        )
    ]


def test_snapshot_keeps_teams_sides_roles_times_and_drops_views(tmp_path, pseudo):
    path = tmp_path / "snap.duckdb"
    _build_snapshot(path)
    pseudonymise_snapshot(path, pseudo)
    assert _rows(
        path,
        "select decision_id, decided_by_side, decision_text, official_owner_role, "
        "official_owner_person_id, decided_at from fct_decisions",
    ) == [
        (
            pseudo.record_id("notes:comex#decisions-1#d1"),
            "business",
            f"{label('marie.dubois')} tranche : le SSO passe en tête.",
            "cto",
            person_pseudonym("helene.lefevre", SALT),
            datetime(2026, 3, 2, 9, 0),
        )
    ]
    types = "select data_type from information_schema.columns where column_name = 'decisions'"
    assert _rows(path, types) == [("BIGINT",)]
    assert _rows(
        path, "select count(*) from information_schema.tables where table_type = 'VIEW'"
    ) == [(0,)]


def test_salt_and_clear_names_never_reach_the_file(tmp_path, pseudo):
    path = tmp_path / "snap.duckdb"
    _build_snapshot(path)
    pseudonymise_snapshot(path, pseudo)
    data = path.read_bytes()  # free pages included: the file is written afresh
    for secret in (SALT, "Marie", "Dubois", "mdubois", "marie.dubois", "acme.example",
                   "5b10a2844c20165700ede21g", "Inconnu"):  # fmt: skip
        assert secret.encode() not in data, secret
    assert SALT not in repr(pseudo)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["org.yml", "snap.duckdb"]


def test_an_unclassified_text_column_stops_publication(tmp_path, pseudo):
    warehouse, snapshot = tmp_path / "silo.duckdb", tmp_path / "snapshot.duckdb"
    _build_snapshot(
        warehouse,
        "create table fct_new as select 'x' as item_id, 'Marie Dubois' as customer_contact, "
        "3 as n;",
    )
    snapshot.write_bytes(b"previous snapshot")
    with pytest.raises(UnclassifiedColumnError, match=r"main\.fct_new\.customer_contact"):
        publish_snapshot(warehouse, snapshot, pseudo)
    assert snapshot.read_bytes() == b"previous snapshot"  # the old snapshot stays published
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "org.yml",
        "silo.duckdb",
        "snapshot.duckdb",
    ]


def _workspace(tmp_path: Path, org_path: Path, mode: bool) -> object:
    (tmp_path / "silo.yml").write_text(
        "workspace: t\nstart_date: 2026-01-01\nsources:\n  directory:\n"
        f"    file: {org_path}\n    pseudonymise: {str(mode).lower()}\n"
        f"    salt_env: {SALT_ENV}\n",
        encoding="utf-8",
    )
    return load_workspace(tmp_path)


def test_from_workspace_is_off_by_default_and_names_a_missing_salt(tmp_path, org_path, monkeypatch):
    monkeypatch.setenv(SALT_ENV, SALT)
    assert Pseudonymiser.from_workspace(_workspace(tmp_path, org_path, mode=False)) is None
    ws = _workspace(tmp_path, org_path, mode=True)
    built = Pseudonymiser.from_workspace(ws)
    assert built.person("marie.dubois") == person_pseudonym("marie.dubois", SALT)
    monkeypatch.delenv(SALT_ENV)
    with pytest.raises(PseudonymisationError, match=SALT_ENV):
        Pseudonymiser.from_workspace(ws)
    monkeypatch.setenv(SALT_ENV, "short-salt")
    with pytest.raises(PseudonymisationError, match=SALT_ENV) as info:
        Pseudonymiser.from_workspace(ws)
    assert "short-salt" not in str(info.value)


# -- end to end -------------------------------------------------------------------------------
DEMO_SALT = "demo-e2e-salt-7c41d0a9b2"


NAMED_MINUTES = """---
title: 1-1 Marie Dubois
date: 2026-03-10
type: management
attendees: [Marie Dubois, Antoine Girard]
---

## Suivi Marie Dubois

- Voir avec @mdubois pour le devis du client.

## Décisions

- Décision : la remise client est validée par Marie Dubois.
"""


def _slug(text: str) -> str:
    """How names look inside ids: the contract's slug (sources/README.md)."""
    return re.sub(r"[^a-z0-9]+", "-", normalise(text)).strip("-")


@pytest.fixture(scope="module")
def pseudonymised_demo(tmp_path_factory):
    """The demo pipeline run once with `pseudonymise: true` (about a minute)."""
    from pipelines.cli.runner import run_pipeline
    from pipelines.demo.generator import generate

    root = tmp_path_factory.mktemp("pseudonymised-demo")
    generate(root, seed=7)
    # names where ids are built from: the file name, a heading, and a handle nobody declared
    (root / "notes" / "2026-03-10 1-1 Marie Dubois.md").write_text(NAMED_MINUTES, "utf-8")
    config = root / "silo.yml"
    text = config.read_text(encoding="utf-8")
    assert "    file: directory.yml\n" in text
    config.write_text(
        text.replace(
            "    file: directory.yml\n", "    file: directory.yml\n    pseudonymise: true\n"
        ),
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SILO_PSEUDONYM_SALT", DEMO_SALT)
        for name in ("SILO_WORKSPACE", "DAGSTER_HOME"):  # run_pipeline sets them: restore
            patch.setenv(name, os.environ.get(name, ""))
        ws = load_workspace(root)
        run_pipeline(ws, date(2026, 1, 5), date(2026, 6, 28), keep_history=False)
    return ws


@pytest.mark.e2e
def test_demo_snapshot_and_report_hold_no_name_nor_login(pseudonymised_demo):
    ws = pseudonymised_demo
    org = load_directory(ws.directory.file)
    # every directory form (names, ids, logins, accounts, e-mails, declared names) as it
    # reads in text and as it reads in an id, and the undeclared handle of NAMED_MINUTES
    forms = [f for p in org.people.values()
             for f in (p.name, p.id, *(a for v in p.aliases.values() for a in v))]  # fmt: skip
    clear = {_slug(f) for f in [*forms, "mdubois"] if len(_slug(f)) >= 4}
    assert {"marie-dubois", "mdubois"} <= clear
    pattern = re.compile(
        r"(?<![a-z0-9])(" + "|".join(re.escape(c) for c in sorted(clear, key=len, reverse=True))
        + r")(?![a-z0-9])"
    )  # fmt: skip

    def named(text: str) -> bool:
        return bool(pattern.search(_slug(text)))

    leaks = []
    with duckdb.connect(str(ws.snapshot_path), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        for table, column in columns:
            values = con.execute(f'select distinct "{column}" from "{table}"').fetchall()
            leaks += [(table, column, v) for (v,) in values if v and named(v)]
        views = con.execute(
            "select count(*) from information_schema.tables where table_type = 'VIEW'"
        ).fetchone()[0]
    assert len(columns) > 50  # the marts and intermediate tables were scanned
    assert leaks == []
    assert views == 0
    assert DEMO_SALT.encode() not in ws.snapshot_path.read_bytes()
    report = (ws.reports_dir / "latency.html").read_text(encoding="utf-8")
    assert not named(report)


@pytest.mark.e2e
def test_demo_arbitration_ranks_the_same_pseudonymised_decider(pseudonymised_demo):
    """The working warehouse (clear) and the published snapshot (pseudonymised) of the same
    run rank the same roadmap decider first with the same count: the planted real decider
    marie.dubois, one row per decider, named by a label."""
    query = (
        "select decider_id, decisions from fct_arbitration "
        "where decision_domain = 'roadmap' and decider_rank = 1"
    )
    with duckdb.connect(str(pseudonymised_demo.warehouse_path), read_only=True) as con:
        clear = con.execute(query).fetchall()
    assert [decider for decider, _ in clear] == ["marie.dubois"]
    with duckdb.connect(str(pseudonymised_demo.snapshot_path), read_only=True) as con:
        top = con.execute(
            "select decider_id, decider_name, decisions from fct_arbitration "
            "where decision_domain = 'roadmap' and decider_rank = 1"
        ).fetchall()
        duplicated = con.execute(
            "select decision_domain, decider_id from fct_arbitration group by all "
            "having count(*) > 1"
        ).fetchall()
        unnamed = con.execute(
            "select count(*) from fct_decisions "
            "where decided_by_person_id is not null and decided_by_name is null"
        ).fetchone()[0]
    marie = person_pseudonym("marie.dubois", DEMO_SALT)
    assert top == [(marie, f"[{marie[:10]}]", clear[0][1])]
    assert duplicated == []
    assert unnamed == 0


def test_ids_built_from_file_names_and_headings_are_rekeyed_consistently(pseudo, org_path):
    """GIVEN minutes ids carrying a name (file name, heading) WHEN pseudonymised THEN each
    part is re-keyed the same way wherever it appears, so prefixes and joins hold."""
    meeting = pseudo.record_id("notes:2026-03-10-1-1-marie-dubois")
    section = pseudo.record_id("notes:2026-03-10-1-1-marie-dubois#suivi-marie-dubois-1")
    decision = pseudo.record_id("notes:2026-03-10-1-1-marie-dubois#suivi-marie-dubois-1#d2")
    assert re.fullmatch(r"notes:m-[0-9a-f]{12}", meeting)
    assert section.startswith(meeting + "#s-") and decision == section + "#d2"
    assert "dubois" not in decision
    for kept in ("github:acme/app#12/body", "jira:SUP-7/comment/10", "github:acme/app#3#d1"):
        assert pseudo.record_id(kept) == kept
    other = Pseudonymiser(load_directory(org_path), "another-salt-0123456789")
    assert other.record_id("notes:2026-03-10-1-1-marie-dubois") != meeting


def test_undeclared_handles_in_text_become_alias_labels(pseudo):
    text = pseudo.text("Voir avec @jdoe-extern et @mdubois, ou jean@ext.example.")
    assert "jdoe" not in text and "mdubois" not in text and "ext.example" not in text
    assert text.startswith("Voir avec [a-")
