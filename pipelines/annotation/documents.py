"""Annotate the warehouse's documents with the NLP layer and resolve people; no Dagster import.

Reads the meetings, then the documents of `int_documents` that changed since the last run
(all of them the first time, or when the code, the settings or the files written since
changed) in batches of `BATCH_DOCUMENTS` from the warehouse (read-only), so memory stays
bounded whatever the history; the unchanged documents' rows are carried over from the last
run's files inside DuckDB (see "a run that reads only the documents changed" below). Runs
`nlp.annotate` on each batch (cached by text, so a text read before costs nothing; long
texts in chunks, a failing document quarantined: `isolation.py`); resolves meeting
attendees and every decision's actors through the directory after the cache, so a directory
edit re-resolves every mention without re-reading any text; and streams one Parquet per
table to `<workspace>/nlp/<table>/current.parquet`, which dbt reads as the `nlp` source.
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

from pipelines import reruns
from pipelines.annotation.isolation import annotate_isolated
from pipelines.atomic import replacing
from pipelines.config import Workspace
from pipelines.landing import QUARANTINE_SCHEMA, Quarantine, partition_path, partition_writer
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


def iter_documents(
    con: duckdb.DuckDBPyConnection, batch_size: int = BATCH_DOCUMENTS, *, skip: str | None = None
) -> Iterator[list[dict]]:
    """`int_documents` in batches of at most `batch_size` rows, in document_id order; `skip`,
    a table of the connection with a `document_id` column, names documents to leave out."""
    where = f"where document_id not in (select document_id from {skip})" if skip else ""
    cursor = con.execute(
        f"""
        select document_id, document_text, document_kind, default_repo, meeting_id,
               cast(authored_at as date) as authored_on
        from int_documents
        {where}
        order by document_id
        """  # noqa: S608 - `skip` is this module's own table name
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


def _settings(ws: Workspace) -> dict:
    """What the annotation reads besides the warehouse: lexicons, Jira URL, directory file."""
    directory = ws.directory.file if ws.directory else None
    return {
        "lexicons": ws.lexicons,
        "jira_url": ws.jira.url if ws.jira else None,
        "directory": reruns.file_print(directory),
    }


def inputs_print(ws: Workspace) -> str:
    """Fingerprint of what the annotation reads (`reruns.fingerprint`): the documents, the
    meetings' attendance, the directory file, the workspace's lexicons and Jira URL."""
    return reruns.fingerprint(ws, INPUT_TABLES, _settings(ws))


def output_paths(ws: Workspace) -> list[Path]:
    """The files `annotate_workspace` writes: one per table and the quarantine."""
    return [partition_path(ws.root, "nlp", name, "current") for name in [*TABLES, "quarantine"]]


# its record in <workspace>/state/steps/ (pipelines/reruns.py)
STEP = reruns.Step("nlp_annotations", inputs_print, output_paths)


# --- a run that reads only the documents changed since the last one ------------------------
#
# After each run, the step records what each document was when its rows were made (a print
# of the text, kind and default repository: all that shapes a document's annotation) in
# `state/nlp-annotations/documents.parquet`, and, in `basis.json` beside it (`reruns.Basis`),
# the code and settings it ran with and the state of the files it wrote. The next run, when
# the code, settings and files are as recorded, carries the rows of every document whose print is
# unchanged over from the files, inside DuckDB, and reads only the new and changed
# documents: the cost of a daily run follows the day's documents, not the history. The
# actors of every decision and the attendees are resolved again each run (the directory
# and the meetings' dates and attendance can change without a document's text changing).

DOCUMENT_PRINT = (
    "md5(concat_ws(chr(31), coalesce(document_text, ''), coalesce(document_kind, ''), "
    "coalesce(default_repo, '')))"
)
CARRY_DIR = "nlp-annotations"  # under the workspace's state/
_IDS = pa.schema([("document_id", pa.string())])
_CARRIED = (*NLP_OUTPUTS, "quarantine")  # the files whose rows a kept document carries over


def _prints_path(ws: Workspace) -> Path:
    return ws.root / "state" / CARRY_DIR / "documents.parquet"


def _settings_print(ws: Workspace) -> str:
    return reruns.json_print({"code": reruns.code_print(), "settings": _settings(ws)})


# the code and settings of the last run, and the state of every file it wrote (a workspace
# moved or restored with its files' times keeps its carry-over)
BASIS = reruns.Basis(CARRY_DIR, lambda ws: [*output_paths(ws), _prints_path(ws)])


def _keep(con: duckdb.DuckDBPyConnection, ws: Workspace, carry_over: bool) -> None:
    """Temp tables `current_prints` (every document's print) and `kept` (the documents whose
    rows are carried over: unchanged since the last run; none when `carry_over` is off)."""
    con.execute(
        f"create temp table current_prints as select document_id, {DOCUMENT_PRINT} as "
        "document_print from int_documents"  # noqa: S608
    )
    if carry_over:
        con.execute(
            "create temp table kept as select document_id from current_prints "
            "join read_parquet(?) using (document_id, document_print)",
            [str(_prints_path(ws))],
        )
    else:
        con.execute("create temp table kept (document_id varchar)")


def _carried_rows(
    con: duckdb.DuckDBPyConnection, ws: Workspace, name: str, schema: pa.Schema
) -> Iterator[pa.RecordBatch]:
    """The rows of the kept documents in the last run's file of table `name`."""
    key = "record_id" if name == "quarantine" else "document_id"
    columns = ", ".join(f'"{column}"' for column in schema.names)
    con.execute(
        f"select {columns} from read_parquet(?) where {key} in (select document_id from kept)",  # noqa: S608
        [str(partition_path(ws.root, "nlp", name, "current"))],
    )
    # duckdb 1.5 renamed fetch_record_batch to_arrow_reader; the pin allows 1.4
    reader = getattr(con, "to_arrow_reader", None) or con.fetch_record_batch
    reader = reader(BATCH_DOCUMENTS)
    for batch in reader:
        yield batch.cast(schema) if batch.schema != schema else batch


def _carried_decisions(con: duckdb.DuckDBPyConnection, ws: Workspace) -> Iterator[list[dict]]:
    """The kept documents' decisions of the last run, with their document's meeting and day
    (what resolving their actors needs), in batches."""
    cursor = con.execute(
        """
        select decisions.decision_id, decisions.document_id, decisions.actors,
               docs.meeting_id, cast(docs.authored_at as date) as authored_on
        from read_parquet(?) as decisions
        join int_documents as docs using (document_id)
        where decisions.document_id in (select document_id from kept)
        order by decisions.decision_id
        """,
        [str(partition_path(ws.root, "nlp", "decisions", "current"))],
    )
    names = [c[0] for c in cursor.description]
    while rows := cursor.fetchmany(BATCH_DOCUMENTS):
        yield [dict(zip(names, row, strict=True)) for row in rows]


def _quoted(path: Path) -> str:
    """A path inside a SQL string literal (COPY ... TO takes no parameter)."""
    return str(path).replace("'", "''")


def _write_prints(con: duckdb.DuckDBPyConnection, ws: Workspace, failed: set[str]) -> None:
    """After the documents: the print of each document whose annotation row the files hold:
    every one of `current_prints` (computed once, by `_keep`) but those that `failed` (no
    row: read again next run). The basis is recorded after this file and the output files
    (`BASIS.record`): a run that stops before leaves no basis, and the next run reads every
    document."""
    con.register("failed_documents", pa.table({"document_id": sorted(failed)}, _IDS))
    with replacing(_prints_path(ws), suffix=".parquet") as tmp:
        con.execute(
            "copy (select document_id, document_print from current_prints where document_id "
            "not in (select document_id from failed_documents)) "
            f"to '{_quoted(tmp)}' (format parquet)"  # noqa: S608
        )
    con.unregister("failed_documents")


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
    """Annotate the warehouse's documents with the NLP layer; return rows per table.

    Documents unchanged since the last run keep their rows (see above); the others go
    through the NLP layer, whose cache still answers for a text it has read before.
    `known_people` (names as the directory knows them) helps the NLP step find decision
    actors; `resolve` turns each mention into a person at the document's date. `stats`, if
    given, is filled with `documents`, `kept` (rows carried over), `annotated` (run through
    the NLP pipelines) and `cache_hits`."""
    from nlp.annotate import Annotator

    log = log or logging.getLogger(__name__)
    jira_urls = [ws.jira.url] if ws.jira and ws.jira.url else []
    totals = dict.fromkeys(("documents", "kept", "annotated", "cache_hits"), 0)
    settings = _settings_print(ws)
    carry_over = BASIS.take(ws, settings)  # from here on, the files are this run's
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
        for key in ("annotated", "cache_hits"):
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
    unannotated: set[str] = set()  # documents read that failed: no annotation row
    schemas = {**TABLES, "quarantine": QUARANTINE_SCHEMA}
    with ExitStack() as files:
        files.enter_context(annotator)
        con = files.enter_context(duckdb.connect(str(ws.warehouse_path), read_only=True))
        _keep(con, ws, carry_over)
        totals["documents"], totals["kept"] = con.execute(
            "select count(*), (select count(*) from kept) from current_prints"
        ).fetchone()
        write = {
            name: files.enter_context(partition_writer(ws.root, "nlp", name, "current", schema))
            for name, schema in schemas.items()
        }
        counts["attendees"] = write["attendees"](attendees)
        if totals["kept"]:
            for name in _CARRIED:
                for rows in _carried_rows(con, ws, name, schemas[name]):
                    written = write[name](rows)
                    if name in counts:
                        counts[name] += written
            for decisions in _carried_decisions(con, ws):
                documents = {d["document_id"]: d for d in decisions}
                counts["decision_actors"] += write["decision_actors"](
                    resolve_actors(decisions, documents, context, resolve)
                )
            log.info("nlp: rows of %d unchanged documents kept", totals["kept"])
        for batch in iter_documents(con, batch_size, skip="kept"):
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
            unannotated |= {d["document_id"] for d in batch} - {
                row["document_id"] for row in tables.get("annotations", [])
            }
            for name, schema in TABLES.items():
                if name == "attendees":
                    continue
                rows = [{k: row.get(k) for k in schema.names} for row in tables.get(name, [])]
                counts[name] += write[name](rows)
            log.info("nlp: %d documents annotated, %d from the cache", totals["annotated"],
                     totals["cache_hits"])  # fmt: skip
        write["quarantine"](quarantine.rows)  # nlp/quarantine/current.parquet
        _write_prints(con, ws, unannotated)
    BASIS.record(ws, settings)
    if stats is not None:
        stats.update(totals)
    return counts
