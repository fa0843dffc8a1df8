"""Annotate the warehouse's documents with the NLP layer and resolve people; no Dagster import.

Reads the meetings, then `int_documents` in batches of `BATCH_DOCUMENTS` from the warehouse
(read-only), so memory stays bounded whatever the history; runs `nlp.annotate_documents` on
each batch (cached by text, so a re-run only pays for new or changed text; long texts in
chunks, a failing document quarantined: `isolation.py`); resolves meeting attendees and
decision actors through the directory after the cache, so a directory edit re-resolves every
mention without re-reading any text; and streams one Parquet per table to
`<workspace>/nlp/<table>/current.parquet`, which dbt reads as the `nlp` source.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipelines.annotation import reruns
from pipelines.annotation.isolation import annotate_isolated
from pipelines.config import Workspace
from pipelines.landing import Quarantine, partition_path, partition_writer
from pipelines.warehouse import fetch_dicts

_S, _B, _I, _F = pa.string(), pa.bool_(), pa.int64(), pa.float64()

TABLES: dict[str, pa.Schema] = {
    "annotations": pa.schema(
        [
            ("document_id", _S),
            ("text_hash", _S),
            ("language", _S),
            ("n_words", _I),
            ("business_terms", _I),
            ("tech_terms", _I),
            ("business_share", _F),
            ("tech_share", _F),
        ]
    ),
    "references": pa.schema(
        [("document_id", _S), ("ref_type", _S), ("raw", _S), ("item_id", _S), ("start_char", _I)]
    ),
    "decisions": pa.schema(
        [
            ("decision_id", _S),
            ("document_id", _S),
            ("sentence", _S),
            ("status", _S),
            ("domain", _S),
            ("actors", _S),
            ("attributed_to_meeting", _B),
        ]
    ),
    "decision_actors": pa.schema(
        [
            ("decision_id", _S),
            ("document_id", _S),
            ("mention", _S),
            ("mention_kind", _S),
            ("role", _S),
            ("person_id", _S),
            ("confidence", _F),
            ("method", _S),
        ]
    ),
    "attendees": pa.schema(
        [
            ("meeting_id", _S),
            ("name_as_written", _S),
            ("is_absent", _B),
            ("person_id", _S),
            ("confidence", _F),
            ("method", _S),
        ]
    ),
}

# what the NLP layer gives that the warehouse keeps; actors and attendees are resolved here
NLP_OUTPUTS = ("annotations", "references", "decisions")

# resolve(mention, at_date, kind, context_person_ids) -> (person_id | None, confidence, method)
Resolve = Callable[[str, date | None, str, frozenset[str]], tuple[str | None, float, str]]


BATCH_DOCUMENTS = 20_000  # documents in memory at once (texts, results, rows)


def iter_documents(warehouse: Path, batch_size: int = BATCH_DOCUMENTS) -> Iterator[list[dict]]:
    """`int_documents` in batches of at most `batch_size` rows, in document_id order."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(
            """
            select document_id, document_text, document_kind, default_repo, meeting_id,
                   cast(authored_at as date) as authored_on
            from int_documents
            order by document_id
            """
        )
        names = [c[0] for c in cursor.description]
        while rows := cursor.fetchmany(batch_size):
            yield [dict(zip(names, row, strict=True)) for row in rows]


def read_meetings(warehouse: Path) -> list[dict[str, Any]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return fetch_dicts(
            con,
            """
            select meeting_id, meeting_date, attendees, absentees
            from stg_notes__meetings where not is_deleted order by meeting_id
            """,
        )


def _names(value: str | None) -> list[str]:
    if not value:
        return []
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        return []
    return [str(v) for v in parsed if str(v).strip()] if isinstance(parsed, list) else []


def resolve_attendees(meetings: list[dict[str, Any]], resolve: Resolve) -> list[dict[str, Any]]:
    """One row per name written in a meeting's attendance, resolved to a person or not."""
    rows = []
    for meeting in meetings:
        for is_absent, names in (
            (False, _names(meeting["attendees"])),
            (True, _names(meeting["absentees"])),
        ):
            for name in names:
                person, confidence, method = resolve(
                    name, meeting["meeting_date"], "name", frozenset()
                )
                rows.append(
                    {
                        "meeting_id": meeting["meeting_id"],
                        "name_as_written": name,
                        "is_absent": is_absent,
                        "person_id": person,
                        "confidence": confidence,
                        "method": method,
                    }
                )
    return rows


def resolve_actors(
    decisions: list[dict[str, Any]],
    documents: dict[str, dict[str, Any]],
    present: dict[str, frozenset[str]],
    resolve: Resolve,
) -> list[dict[str, Any]]:
    """One row per actor mention of each decision, resolved at the document's date; names
    are disambiguated by the meeting's attendees when the decision is in minutes."""
    rows = []
    for decision in decisions:
        doc = documents.get(decision["document_id"], {})
        context = present.get(doc.get("meeting_id") or "", frozenset())
        for actor in json.loads(decision.get("actors") or "[]"):
            kind = actor.get("kind") or "person"
            # a pronoun ("elle a tranché") is resolved through the name it points back to
            target, as_kind = (
                (actor["refers_to"], "person")
                if kind == "pronoun" and actor.get("refers_to")
                else (actor["text"], kind)
            )
            if kind == "body":  # `le conseil municipal`: an outside body, never a person
                person, confidence, method = None, 0.0, "outside body: not a person"
            else:
                person, confidence, method = resolve(
                    target, doc.get("authored_on"), as_kind, context
                )
            rows.append(
                {
                    "decision_id": decision["decision_id"],
                    "document_id": decision["document_id"],
                    "mention": actor["text"],
                    "mention_kind": kind,
                    "role": actor.get("role"),
                    "person_id": person,
                    "confidence": confidence,
                    "method": method,
                }
            )
    return rows


# what `annotate_workspace` reads from the warehouse, and the files it writes
INPUT_TABLES = ("int_documents", "stg_notes__meetings")


def inputs_print(ws: Workspace) -> str:
    """Fingerprint of what the annotation reads (`reruns.fingerprint`): the documents, the
    meetings' attendance, the directory file, the workspace's lexicons and Jira URL."""
    directory = ws.directory.file if ws.directory else None
    settings = {
        "lexicons": ws.lexicons,
        "jira_url": ws.jira.url if ws.jira else None,
        "directory": reruns.file_print(directory),
    }
    return reruns.fingerprint(ws, INPUT_TABLES, settings)


def output_paths(ws: Workspace) -> list[Path]:
    """The files `annotate_workspace` writes: one per table and the quarantine."""
    return [partition_path(ws.root, "nlp", name, "current") for name in [*TABLES, "quarantine"]]


def annotate_workspace(
    ws: Workspace,
    resolve: Resolve,
    *,
    known_people: list[str] | None = None,
    n_process: int = 1,
    log: logging.Logger | None = None,
    batch_size: int = BATCH_DOCUMENTS,
    stats: dict[str, int] | None = None,
) -> dict[str, int]:
    """Run the NLP layer over every document of the warehouse; return rows per table.

    `known_people` (names as the directory knows them) helps the NLP step find decision
    actors; `resolve` turns each mention into a person at the document's date. `stats`, if
    given, is filled with `documents`, `annotated` (run through the NLP pipelines) and
    `cache_hits`."""
    from nlp.annotate import Annotator

    log = log or logging.getLogger(__name__)
    jira_urls = [ws.jira.url] if ws.jira and ws.jira.url else []
    totals = dict.fromkeys(("documents", "annotated", "cache_hits"), 0)
    annotator = Annotator(  # one for every batch: its worker processes load the models once
        cache_dir=ws.root / "state" / "nlp-cache",
        extra_lexicons=ws.lexicons or None,
        n_process=n_process,
        known_people=known_people,
        outputs=NLP_OUTPUTS,
    )

    def annotate(batch: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        done: dict[str, int] = {}
        tables = annotator.annotate(batch, stats=done)
        for key in totals:
            totals[key] += done[key]
        return tables

    attendees = resolve_attendees(read_meetings(ws.warehouse_path), resolve)
    present: dict[str, set[str]] = {}
    for row in attendees:
        if row["person_id"] and not row["is_absent"]:
            present.setdefault(row["meeting_id"], set()).add(row["person_id"])
    context = {k: frozenset(v) for k, v in present.items()}
    quarantine = Quarantine("nlp", stage="nlp")
    counts = dict.fromkeys(TABLES, 0)
    with ExitStack() as files:
        files.enter_context(annotator)
        write = {
            name: files.enter_context(partition_writer(ws.root, "nlp", name, "current", schema))
            for name, schema in TABLES.items()
        }
        counts["attendees"] = write["attendees"](attendees)
        for batch in iter_documents(ws.warehouse_path, batch_size):
            tables, failed = annotate_isolated(
                annotate,
                [
                    {
                        "document_id": d["document_id"],
                        "text": d["document_text"] or "",
                        "kind": d["document_kind"],
                        "language": None,
                        "default_repo": d["default_repo"],
                        "jira_base_urls": jira_urls,
                    }
                    for d in batch
                ],
                log=log,
            )
            quarantine.rows.extend(failed.rows)
            tables["decision_actors"] = resolve_actors(
                tables.get("decisions", []), {d["document_id"]: d for d in batch}, context, resolve
            )
            for name, schema in TABLES.items():
                if name == "attendees":
                    continue
                rows = [{k: row.get(k) for k in schema.names} for row in tables.get(name, [])]
                counts[name] += write[name](rows)
            log.info("nlp: %d documents read, %d annotated", totals["documents"],
                     totals["annotated"])  # fmt: skip
    quarantine.write(ws.root, "current")  # nlp/quarantine/current.parquet
    if stats is not None:
        stats.update(totals)
    return counts
