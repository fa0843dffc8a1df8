"""Land the org directory as a snapshot: `raw/directory/{people,aliases,roles,owners}/current`.

Bad records (a person with an unknown side, a role naming an unknown person...) go to
`raw/directory/quarantine/current.parquet` with the record, key and reason; the rest lands.
A file that cannot be read at all raises `DirectoryError`: landing an empty org would hide
every person. The landing stays in clear even with `sources.directory.pseudonymise: true`:
dbt joins it to GitHub and Jira logins; what leaves the pipeline (the published snapshot) is
pseudonymised by `pipelines/publish/privacy.py`. The mode's salt is still checked here, first, so a
missing salt stops the run before anything is written rather than at publication.

A run that finds the file the last run landed (same bytes, same code) and its partitions as
that run left them lands nothing (`pipelines/reruns.py`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from pipelines import reruns
from pipelines.landing import Quarantine, partition_path, write_partition
from pipelines.sources.directory.model import Directory, load_directory
from pipelines.sources.directory.pseudonym import salt_from_env
from pipelines.sources.notes.text import normalise

SOURCE = "directory"
PARTITION = "current"
TS = pa.timestamp("us", tz="UTC")
DIRECTORY_CODE = (Path(__file__).resolve().parent,)
QUARANTINE = "quarantine"

ENTITIES: dict[str, pa.Schema] = {
    "people": pa.schema([
        ("person_id", pa.string()), ("display_name", pa.string()), ("team", pa.string()),
        ("side", pa.string()), ("level", pa.string()), ("title", pa.string()),
        ("manager_id", pa.string()), ("arrived_on", pa.date32()), ("left_on", pa.date32()),
        ("is_bot", pa.bool_()), ("ingested_at", TS),
    ]),
    "aliases": pa.schema([
        ("alias_id", pa.string()), ("person_id", pa.string()), ("source", pa.string()),
        ("alias", pa.string()), ("alias_normalised", pa.string()), ("ingested_at", TS),
    ]),
    "roles": pa.schema([
        ("role_id", pa.string()), ("role", pa.string()), ("person_id", pa.string()),
        ("valid_from", pa.date32()), ("valid_to", pa.date32()), ("ingested_at", TS),
    ]),
    "owners": pa.schema([("domain", pa.string()), ("role", pa.string()), ("ingested_at", TS)]),
}  # fmt: skip


def records(directory: Directory, now: datetime) -> dict[str, list[dict]]:
    """The directory as rows per entity (contract columns)."""
    people = [{
        "person_id": p.id, "display_name": p.name, "team": p.team, "side": p.side,
        "level": p.level, "title": p.title, "manager_id": p.manager, "arrived_on": p.arrived,
        "left_on": p.left, "is_bot": p.bot, "ingested_at": now,
    } for p in directory.people.values()]  # fmt: skip
    aliases = [{
        "alias_id": f"{source}:{alias}", "person_id": p.id, "source": source, "alias": alias,
        "alias_normalised": normalise(alias), "ingested_at": now,
    } for p in directory.people.values() for source, items in p.aliases.items()
        for alias in items]  # fmt: skip
    roles = [{
        "role_id": r.role_id, "role": r.role, "person_id": r.person, "valid_from": r.start,
        "valid_to": r.end, "ingested_at": now,
    } for r in directory.roles]  # fmt: skip
    owners = [{"domain": d, "role": r, "ingested_at": now} for d, r in directory.owners.items()]
    return {"people": people, "aliases": aliases, "roles": roles, "owners": owners}


def ingest(ws, *, log: logging.Logger | None = None) -> dict[str, int]:
    """Load `sources.directory.file`, quarantine bad records, land the four entities."""
    log = log or logging.getLogger("silo.directory")
    if ws.directory is None or ws.directory.file is None:
        raise ValueError(f"{ws.root}/silo.yml has no 'sources.directory.file'")
    if ws.directory.pseudonymise:
        salt_from_env(ws.directory.salt_env)  # fail fast; the salt is used at publication
    counts, skipped = STEP.run(ws, lambda: _land(ws, log))
    if skipped:  # the file the last run landed, its partitions as it left them
        log.info("directory: %s unchanged since the last run: nothing landed", ws.directory.file)
    return counts


def _land(ws, log: logging.Logger) -> dict[str, int]:
    """Load the directory file, quarantine bad records, write the four entities."""
    directory = load_directory(ws.directory.file, strict=False)
    quarantine = Quarantine(SOURCE)
    for problem in directory.problems:
        quarantine.add(str(ws.directory.file), str(problem), record_id=problem.record)
        log.warning("directory: %s", problem)
    now = datetime.now(UTC)
    counts = {
        entity: write_partition(ws.raw_dir, SOURCE, entity, PARTITION, rows, ENTITIES[entity])
        for entity, rows in records(directory, now).items()
    }
    counts["quarantine"] = quarantine.write(ws.raw_dir, PARTITION)
    log.info("directory: %s", counts)
    return counts


# its record in <workspace>/state/steps/ (pipelines/reruns.py): the file's bytes and this
# package's code; the partitions it writes
STEP = reruns.Step(
    "directory",
    lambda ws: reruns.json_print(
        {"file": reruns.file_print(ws.directory.file), "code": reruns.code_print(DIRECTORY_CODE)}
    ),
    lambda ws: [partition_path(ws.raw_dir, SOURCE, e, PARTITION) for e in (*ENTITIES, QUARANTINE)],
)
