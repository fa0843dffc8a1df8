"""A demo-like organisation with the hard cases identity resolution must get right."""

from __future__ import annotations

from pathlib import Path

import pytest

ORG_YAML = """
people:
  - id: claire.martin
    name: Claire Martin
    team: Direction
    side: leadership
    level: comex
    title: Présidente-directrice générale
    arrived: 2020-01-01
    aliases:
      github: [cmartin]
      email: [claire.martin@acme.example]
  - id: marie.dubois
    name: Marie Dubois
    team: Sales
    side: business
    level: comex
    title: Directrice commerciale
    manager: claire.martin
    arrived: 2023-01-01
    aliases:
      github: [mdubois]
      jira: [5b10a2844c20165700ede21g, marie.dubois@acme.example]
      email: [marie.dubois@acme.example]
      names: [MDu]
  - id: marie.durand
    name: Marie Durand
    team: Platform
    side: tech
    level: field
    manager: paul.lefevre
    arrived: 2022-03-01
    aliases:
      github: [mdurand-dev]
  - id: paul.lefevre
    name: Paul Lefèvre
    team: Platform
    side: tech
    level: comex
    title: CTO
    manager: claire.martin
    arrived: 2021-06-01
    left: 2025-12-31
    aliases:
      github: [plefevre]
      jira: [557058:paul]
  - id: sophie.bernard
    name: Sophie Bernard
    team: Platform
    side: tech
    level: comex
    title: CTO
    manager: claire.martin
    arrived: 2025-11-01
    aliases:
      github: [sbernard]
  - id: jean.dupont
    name: Jean Dupont
    team: Product
    side: product
    level: management
    title: Head of Product
    manager: claire.martin
    arrived: 2022-01-01
    aliases:
      github: [jdupont]
  - id: luc.dupont
    name: Luc Dupont
    team: Finance
    side: business
    level: comex
    title: DAF
    manager: claire.martin
    arrived: 2021-01-01
  - id: helene.roux
    name: Hélène Roux
    team: Product
    side: product
    level: comex
    title: CPO
    manager: claire.martin
    arrived: 2023-05-01
  - id: nadia.elamrani
    name: Nadia El Amrani
    team: Support
    side: business
    level: field
    arrived: 2024-01-01
    aliases:
      names: [Nadia E.]
  - id: dependabot
    name: Dependabot
    side: tech
    level: field
    bot: true
    aliases:
      github: ["dependabot[bot]"]
roles:
  - {role: ceo, person: claire.martin, from: 2020-01-01, to: null}
  - {role: sales_director, person: marie.dubois, from: 2023-01-01, to: null}
  - {role: cto, person: paul.lefevre, from: 2021-06-01, to: 2025-12-31}
  - {role: cto, person: sophie.bernard, from: 2026-01-01, to: null}
  - {role: cfo, person: luc.dupont, from: 2021-01-01, to: null}
  - {role: cpo, person: jean.dupont, from: 2022-01-01, to: 2023-04-30}
  - {role: cpo, person: helene.roux, from: 2023-05-01, to: null}
owners:
  roadmap: cpo
  technical: cto
  budget: cfo
  customer: sales_director
  organisation: ceo
"""


@pytest.fixture()
def org_file(tmp_path: Path) -> Path:
    path = tmp_path / "directory.yml"
    path.write_text(ORG_YAML, encoding="utf-8")
    return path
