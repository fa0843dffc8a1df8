"""Implicit links for a workspace: read the warehouse, score with `nlp.links`, land the table.

Reads (read-only) the items and their bodies, who took part in each item, the management and
COMEX minutes sections (`int_documents`) and the directory's names; writes
`<workspace>/nlp/implicit_links/current.parquet`, which dbt reads as the `nlp.implicit_links`
source. One row per (item, meeting) with its score and evidence. No Dagster import.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import duckdb
import pyarrow as pa

from nlp.links import Item, Linker, LinkSettings, Passage, name_forms, passages
from pipelines import reruns
from pipelines.config import Workspace
from pipelines.landing import partition_path, write_partition
from pipelines.warehouse import fetch_dicts

_S, _F, _T = pa.string(), pa.float64(), pa.timestamp("us")
SCHEMA = pa.schema(
    [
        ("item_id", _S),
        ("document_id", _S),
        ("meeting_id", _S),
        ("meeting_level", _S),
        ("linked_at", _T),
        ("score", _F),
        ("term_score", _F),
        ("matched_terms", _S),
        ("shared_entities", _S),
        ("shared_person_ids", _S),
        ("passage", _S),
        ("days_after", _F),
    ]
)
LEADERSHIP_LEVELS = ("management", "comex")


def read_inputs(warehouse: Path) -> tuple[list[Item], list[Passage], dict[str, set[str]]]:
    """Items (with the people involved), leadership minutes passages, people's name forms."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        items = fetch_dicts(
            con,
            """
            select items.item_id, items.created_at, coalesce(items.title, '') as title,
                   coalesce(bodies.document_text, '') as body, items.author_person_id
            from int_items as items
            left join int_documents as bodies on bodies.document_id = items.item_id || '/body'
            where not items.is_author_bot
            order by items.item_id
            """,
        )
        involved = fetch_dicts(
            con,
            """
            select item_id, author_person_id as person_id, min(authored_at) as since
            from int_documents
            where document_kind in ('comment', 'review') and not is_author_bot
                and author_person_id is not null
            group by 1, 2
            """,
        )
        sections = fetch_dicts(
            con,
            f"""
            select document_id, meeting_id, document_level, authored_at, document_text
            from int_documents
            where document_kind = 'minutes'
                and document_level in {LEADERSHIP_LEVELS}
                and authored_at is not null
            order by document_id
            """,
        )
        people = fetch_dicts(
            con,
            """
            select people.person_id, people.display_name,
                   list(aliases.alias) filter (where aliases.alias is not null) as names
            from stg_directory__people as people
            left join stg_directory__aliases as aliases
                on aliases.person_id = people.person_id and aliases.alias_source = 'name'
            where not people.is_bot and people.display_name is not null
            group by 1, 2
            """,
        )
    others: dict[str, list[tuple[str, object]]] = {}
    for row in involved:
        others.setdefault(row["item_id"], []).append((row["person_id"], row["since"]))
    built = []
    for row in items:
        who = list(others.get(row["item_id"], []))
        if row["author_person_id"]:
            who.append((row["author_person_id"], row["created_at"]))
        built.append(Item(row["item_id"], row["created_at"], row["title"], row["body"], tuple(who)))
    found = [
        Passage(s["document_id"], s["meeting_id"], s["document_level"], s["authored_at"], text)
        for s in sections
        for text in passages(s["document_text"] or "")
    ]
    forms = {p["person_id"]: name_forms(p["display_name"], p["names"] or ()) for p in people}
    return built, found, forms


INPUT_TABLES = ("int_items", "int_documents", "stg_directory__people", "stg_directory__aliases")


def inputs_print(ws: Workspace) -> str:
    """Fingerprint of what the linker reads (`reruns.fingerprint`): items, documents, the
    directory's people and aliases, the workspace's `links:` settings."""
    return reruns.fingerprint(ws, INPUT_TABLES, {"links": dataclasses.asdict(ws.links)})


def output_path(ws: Workspace) -> Path:
    return partition_path(ws.root, "nlp", "implicit_links", "current")


# its record in <workspace>/state/steps/ (pipelines/reruns.py)
STEP = reruns.Step("nlp_implicit_links", inputs_print, lambda ws: [output_path(ws)])


def link_workspace(ws: Workspace, log: logging.Logger | None = None) -> int:
    """Score and land the workspace's implicit links; returns the rows written (0, and an
    empty table, when `links.implicit` is off)."""
    log = log or logging.getLogger(__name__)
    rows = []
    if ws.links.implicit:
        items, found, forms = read_inputs(ws.warehouse_path)
        settings = LinkSettings(
            threshold=ws.links.implicit_threshold, window_days=ws.links.window_days
        )
        links = Linker(items, forms, settings).link(found)
        log.info(
            "implicit links: %d from %d passages over %d items", len(links), len(found), len(items)
        )
        rows = [link.row() for link in links]
    return write_partition(ws.root, "nlp", "implicit_links", "current", rows, SCHEMA)
