"""Build the people resolver a workspace needs for the NLP step; no Dagster import.

Adapts `pipelines.sources.directory.Resolver` to the small callable `documents.py`
expects, so the annotation code does not depend on how the directory is loaded. Person ids
stay clear in the working warehouse (dbt joins them to the directory); the published snapshot
is what gets pseudonymised (pipelines/publish/privacy.py).
"""

from __future__ import annotations

from datetime import date

from nlp.people import name_forms
from pipelines.annotation.documents import Resolve
from pipelines.config import Workspace
from pipelines.sources.directory import Directory, Resolver, load_directory

# NLP actor kinds -> the resolver's alias source; pronouns are left unresolved.
_SOURCE_OF_KIND = {"person": "name", "role": "name", "name": "name"}


def workspace_directory(ws: Workspace) -> Directory | None:
    """The workspace's directory (None without one): read it once for both calls below."""
    if ws.directory is None or ws.directory.file is None:
        return None
    return load_directory(ws.directory.file)


def known_people(ws: Workspace, directory: Directory | None = None) -> list[str]:
    """Surface forms of the directory's people for the NLP name gazetteer: full names,
    first names, "First L." and the declared name aliases ("Marie D.", "MD"). The NLP step
    only finds the mention; the resolver decides who it is (homonyms included).
    `directory`: the workspace's, already read (`workspace_directory`)."""
    directory = directory or workspace_directory(ws)
    if directory is None:
        return []
    forms: set[str] = set()
    for person in directory.people.values():
        if person.bot:
            continue
        forms |= name_forms(person.name, person.aliases.get("names", ()))
    return sorted(forms)


def workspace_resolver(ws: Workspace, directory: Directory | None = None) -> Resolve:
    """A `Resolve` callable for the workspace's directory (resolves nothing without one).
    `directory`: the workspace's, already read (`workspace_directory`)."""
    directory = directory or workspace_directory(ws)
    if directory is None:
        return lambda mention, at, kind, context: (None, 0.0, "no directory configured")
    resolver = Resolver(directory)

    def resolve(mention: str, at: date | None, kind: str, context: frozenset[str]):
        source = _SOURCE_OF_KIND.get(kind)
        if source is None:
            return None, 0.0, f"{kind} not resolved"
        found = resolver.resolve(mention, source, at, context)
        return found.person_id, found.confidence, found.method or found.reason or found.status

    return resolve
