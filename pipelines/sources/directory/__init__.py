"""Org directory source: people, aliases, roles and official owners from a YAML file (the
contract format) or a CSV folder, plus identity resolution and the pseudonym functions.

    from pipelines.sources import directory
    org = directory.load_directory("org.yml")                 # raises DirectoryError
    resolver = directory.Resolver(org)
    resolver.resolve("la DAF", "name", at=date(2026, 3, 2))   # -> Resolution
    directory.ingest(ws)                                      # lands partition "current"

No Dagster import here. See README.md.
"""

from pipelines.sources.directory.identity import (
    Resolution,
    Resolver,
    role_of,
)
from pipelines.sources.directory.ingest import ENTITIES, ingest, records
from pipelines.sources.directory.model import (
    Directory,
    DirectoryError,
    Person,
    Problem,
    RoleAssignment,
    load_directory,
)
from pipelines.sources.directory.pseudonym import (
    PseudonymisationError,
    alias_pseudonym,
    person_pseudonym,
    pseudonymise,
    salt_from_env,
)
from pipelines.sources.directory.roles import role_lexicon

__all__ = [
    "ENTITIES",
    "Directory",
    "DirectoryError",
    "Person",
    "Problem",
    "PseudonymisationError",
    "Resolution",
    "Resolver",
    "RoleAssignment",
    "alias_pseudonym",
    "ingest",
    "load_directory",
    "person_pseudonym",
    "pseudonymise",
    "records",
    "role_lexicon",
    "role_of",
    "salt_from_env",
]
