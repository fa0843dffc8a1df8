"""Loading, validating and landing the org directory; the pseudonym functions."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipelines.config import load_workspace
from pipelines.sources import directory
from pipelines.sources.directory import (
    DirectoryError,
    PseudonymisationError,
    Resolver,
    load_directory,
    person_pseudonym,
    pseudonymise,
)

SALT = "a-test-salt-of-some-length"


def test_contract_yaml_loads(org_file):
    org = load_directory(org_file)
    assert len(org.people) == 10
    marie = org.people["marie.dubois"]
    assert (marie.side, marie.level, marie.manager) == ("business", "comex", "claire.martin")
    assert marie.aliases["name"] == ("MDu",)
    assert org.people["paul.lefevre"].left == date(2025, 12, 31)
    assert org.owners["technical"] == "cto"
    assert org.holders("cto", date(2026, 2, 1)) == ["sophie.bernard"]


def test_every_problem_names_file_person_key_and_reason(tmp_path: Path):
    path = tmp_path / "org.yml"
    path.write_text(
        "people:\n"
        "  - {id: a, name: Ann, side: sales, level: comex}\n"
        "  - {id: b, name: Bob, side: tech, level: field, manager: nobody}\n"
        "  - {id: c, name: Cy, side: tech, level: field, arrived: 2024-13-01}\n"
        "  - {id: d, name: Di, side: tech, level: field, aliases: {github: [x]}}\n"
        "  - {id: e, name: Ed, side: tech, level: field, aliases: {github: [X]}}\n"
        "  - {id: f, name: Fa, side: tech, level: field}\n"
        "roles:\n  - {role: cto, person: zz, from: 2024-01-01}\n"
        "owners: {technical: cto, weather: cto}\n",
        encoding="utf-8",
    )
    with pytest.raises(DirectoryError) as info:
        load_directory(path)
    message = str(info.value)
    for expected in (
        "person 'a': key 'side': expected one of ['tech', 'product', 'business', 'leadership'], "
        "got 'sales'",
        "person 'b': key 'manager': unknown person id 'nobody'",
        "person 'c': key 'arrived': expected a date YYYY-MM-DD",
        "person 'e': key 'aliases.github': alias 'X' is already declared for 'd'",
        "role #1 (cto): key 'person': unknown (or invalid) person id 'zz'",
        "owners: key 'weather': unknown domain",
    ):
        assert f"{path}: {expected}" in message, expected
    lenient = load_directory(path, strict=False)
    assert sorted(lenient.people) == ["d", "f"]
    assert len(lenient.problems) == 6


def test_csv_layout_gives_the_same_directory(org_file, tmp_path: Path):
    org = load_directory(org_file)
    folder = tmp_path / "csv"
    folder.mkdir()
    with (folder / "people.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "team", "side", "level", "title", "manager", "arrived",
                      "left", "bot", "github", "jira", "email", "names"])  # fmt: skip
        for p in org.people.values():
            out.writerow([p.id, p.name, p.team or "", p.side, p.level, p.title or "",
                          p.manager or "", p.arrived or "", p.left or "", str(p.bot).lower()]
                         + [";".join(p.aliases.get(s, ())) for s in ("github", "jira", "email",
                                                                     "name")])  # fmt: skip
    with (folder / "roles.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["role", "person", "from", "to"])
        out.writerows([r.role, r.person, r.start, r.end or ""] for r in org.roles)
    (folder / "owners.csv").write_text(
        "domain,role\n" + "".join(f"{d},{r}\n" for d, r in org.owners.items()), encoding="utf-8"
    )
    from_csv = load_directory(folder)
    assert from_csv.people == org.people
    assert from_csv.roles == org.roles
    assert from_csv.owners == org.owners


def _workspace(tmp_path: Path, org_file: Path, pseudonymise: bool = False):
    (tmp_path / "silo.yml").write_text(
        f"workspace: t\nstart_date: 2026-01-01\nallowed_paths: ['{org_file.parent}']\n"
        "sources:\n  directory:\n"
        f"    file: {org_file}\n    pseudonymise: {str(pseudonymise).lower()}\n"
        "    salt_env: TEST_SILO_SALT\n",
        encoding="utf-8",
    )
    return load_workspace(tmp_path)


def test_ingest_lands_the_four_entities_with_contract_ids(tmp_path, org_file):
    ws = _workspace(tmp_path, org_file)
    counts = directory.ingest(ws)
    assert counts == {"people": 10, "aliases": 14, "roles": 7, "owners": 5, "quarantine": 0}
    aliases = pq.read_table(ws.raw_dir / "directory/aliases/current.parquet").to_pylist()
    by_id = {a["alias_id"]: a for a in aliases}
    assert by_id["github:mdubois"]["person_id"] == "marie.dubois"
    assert by_id["name:MDu"]["alias_normalised"] == "mdu"
    roles = pq.read_table(ws.raw_dir / "directory/roles/current.parquet").to_pylist()
    assert "cto:sophie.bernard:2026-01-01" in {r["role_id"] for r in roles}
    for entity, schema in directory.ENTITIES.items():
        table = pq.read_table(ws.raw_dir / f"directory/{entity}/current.parquet")
        assert table.schema.names == schema.names


def test_an_unchanged_directory_is_not_landed_again_and_a_changed_one_is(tmp_path, org_file):
    ws = _workspace(tmp_path, org_file)
    first = directory.ingest(ws)
    people = ws.raw_dir / "directory/people/current.parquet"
    landed = people.stat().st_mtime_ns
    assert directory.ingest(ws) == first and people.stat().st_mtime_ns == landed
    people.unlink()  # an output gone: landed again
    assert directory.ingest(ws) == first and people.exists()
    org_file.write_text(  # one person more (the same size or time would not hide it)
        org_file.read_text(encoding="utf-8").replace(
            "people:\n",
            "people:\n  - {id: zoe.petit, name: Zoé Petit, team: sales, side: business}\n",
            1,
        ),
        encoding="utf-8",
    )
    assert directory.ingest(ws)["people"] == first["people"] + 1


def test_pseudonymised_mode_lands_the_directory_in_clear(tmp_path, org_file, monkeypatch):
    """The landing stays clear so dbt can join logins to people; the published snapshot is
    what gets pseudonymised (pipelines/publish/privacy.py and its tests)."""
    monkeypatch.setenv("TEST_SILO_SALT", SALT)
    clear_root, hidden_root = tmp_path / "clear", tmp_path / "hidden"
    clear_root.mkdir()
    hidden_root.mkdir()
    clear = _workspace(clear_root, org_file)
    hidden = _workspace(hidden_root, org_file, pseudonymise=True)
    assert directory.ingest(hidden) == directory.ingest(clear)
    for entity in directory.ENTITIES:
        tables = [
            pq.read_table(w.raw_dir / f"directory/{entity}/current.parquet").drop(["ingested_at"])
            for w in (clear, hidden)
        ]
        assert tables[0].equals(tables[1]), entity
    people = pq.read_table(hidden.raw_dir / "directory/people/current.parquet").to_pylist()
    assert "Marie Dubois" in {p["display_name"] for p in people}
    raw = b"".join(p.read_bytes() for p in (hidden.raw_dir / "directory").rglob("*.parquet"))
    assert SALT.encode() not in raw


def test_pseudonymise_without_salt_fails_naming_the_variable(tmp_path, org_file, monkeypatch):
    monkeypatch.delenv("TEST_SILO_SALT", raising=False)
    ws = _workspace(tmp_path, org_file, pseudonymise=True)
    with pytest.raises(PseudonymisationError, match="TEST_SILO_SALT"):
        directory.ingest(ws)
    assert not (ws.raw_dir / "directory/people/current.parquet").exists()


def test_resolve_then_pseudonymise_keeps_the_same_person(org_file):
    org = load_directory(org_file)
    hidden = pseudonymise(org, SALT)
    resolver = Resolver(org)
    via_login = resolver.resolve("mdubois", "github", date(2026, 3, 2)).person_id
    via_role = resolver.resolve("la directrice commerciale", "name", date(2026, 3, 2)).person_id
    assert person_pseudonym(via_login, SALT) == person_pseudonym(via_role, SALT)
    assert person_pseudonym(via_login, SALT) in hidden.people
    assert person_pseudonym(via_login, "another-salt-value-xx") != person_pseudonym(via_login, SALT)
