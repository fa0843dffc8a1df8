"""Pseudonymisation: people become stable salted hashes; teams, sides and levels stay.

The same person gets the same pseudonym in every source because the hash is taken on the
person id, after identity resolution. Aliases are hashed on (source, normalised alias) so a
consumer holding the salt can still join a GitHub login to its alias row. Both are plain
salted SHA-256, reproducible in SQL (DuckDB):
    'p-' || left(sha256(salt || '|person|' || person_id), 16)
    'a-' || left(sha256(salt || '|' || source || '|' || lower(strip_accents(alias))), 16)
(the alias is also trimmed and its inner spaces collapsed, see `text.normalise`).
The salt comes from the environment variable named by `sources.directory.salt_env`; it is
never logged nor written anywhere.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace

from pipelines.sources.directory.model import Directory, RoleAssignment
from pipelines.sources.notes.text import normalise


class PseudonymisationError(RuntimeError):
    """Pseudonymisation is on but cannot be done (no salt)."""


def salt_from_env(env_name: str) -> str:
    """The salt from `env_name`; fails clearly (naming the variable, never a value)."""
    salt = os.environ.get(env_name, "")
    if not salt.strip():
        raise PseudonymisationError(
            f"environment variable {env_name} is not set or empty: it must hold the salt "
            "because sources.directory.pseudonymise is true in silo.yml"
        )
    if len(salt) < 16:
        raise PseudonymisationError(f"the salt in {env_name} is shorter than 16 characters")
    return salt


def person_pseudonym(person_id: str, salt: str) -> str:
    return "p-" + hashlib.sha256(f"{salt}|person|{person_id}".encode()).hexdigest()[:16]


def alias_pseudonym(source: str, alias: str, salt: str) -> str:
    digest = hashlib.sha256(f"{salt}|{source}|{normalise(alias)}".encode()).hexdigest()
    return "a-" + digest[:16]


def pseudonymise(directory: Directory, salt: str) -> Directory:
    """A copy of `directory` with ids, names, titles and aliases replaced by pseudonyms."""
    people = {}
    for person in directory.people.values():
        pid = person_pseudonym(person.id, salt)
        people[pid] = replace(
            person,
            id=pid,
            name=pid,
            title=None,  # a title such as "Directrice commerciale" names one person
            manager=person_pseudonym(person.manager, salt) if person.manager else None,
            aliases={
                src: tuple(alias_pseudonym(src, a, salt) for a in aliases)
                for src, aliases in person.aliases.items()
            },  # fmt: skip
        )
    roles = [RoleAssignment(r.role, person_pseudonym(r.person, salt), r.start, r.end)
             for r in directory.roles]  # fmt: skip
    return directory.with_people(people, roles)
