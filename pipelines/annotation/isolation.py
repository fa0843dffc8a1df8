"""One document never stops the NLP step; no Dagster import.

- A text longer than `CHUNK_CHARS` (spaCy refuses texts past `nlp.max_length`, one million
  characters: error E088) is cut at paragraph boundaries (else line ends, else anywhere) into
  chunks that are annotated as documents of their own; their rows are mapped back to the
  document: `document_id` restored, character offsets shifted by the chunk's start, decisions
  numbered once across the chunks (`<document_id>#d<n>` stays unique), one `annotations` row
  with the counts summed. A notice row says the document was chunked.
- When the batch fails, each document is annotated alone (cached results cost nothing), and
  a document that still fails is left out with its reason: the others are annotated.

Both kinds of row go to `<workspace>/nlp/quarantine/current.parquet` (stage `nlp`).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from pipelines.landing import Quarantine

CHUNK_CHARS = 200_000  # well under spaCy's 1,000,000 and a bounded memory per chunk
_CHUNK_MARK = "@@chunk"
_BREAKS = (re.compile(r"\n[ \t]*\n"), re.compile(r"\n"), re.compile(r"\s"))

Annotate = Callable[[list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]


def split_text(text: str, bound: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """(offset, chunk) pieces of `text`, each at most `bound` characters, that concatenate
    back to `text`; cuts after the last paragraph break before the bound, else the last line
    end, else the last white space, else at the bound."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > bound:
        window = text[start : start + bound]
        cut = 0
        for pattern in _BREAKS:
            ends = [m.end() for m in pattern.finditer(window)]
            if ends and ends[-1] > bound // 4:
                cut = ends[-1]
                break
        cut = cut or bound
        pieces.append((start, window[:cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def _expand(docs: list[dict], bound: int) -> tuple[list[dict], dict[str, tuple[str, int, int]]]:
    """Documents with long ones replaced by their chunks; chunk id -> (document id, chunk
    number, offset)."""
    out: list[dict] = []
    chunks: dict[str, tuple[str, int, int]] = {}
    for doc in docs:
        if len(doc["text"]) <= bound:
            out.append(doc)
            continue
        for number, (offset, piece) in enumerate(split_text(doc["text"], bound), 1):
            chunk_id = f"{doc['document_id']}{_CHUNK_MARK}{number}"
            chunks[chunk_id] = (doc["document_id"], number, offset)
            out.append({**doc, "document_id": chunk_id, "text": piece})
    return out, chunks


def _annotate_each(
    annotate: Annotate, docs: list[dict], log: logging.Logger
) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """The whole batch at once; when it fails, document by document. Returns the tables and
    the failed document ids with their reason."""
    try:
        return annotate(docs), {}
    except Exception as exc:  # noqa: BLE001 - find the document(s) that cause it
        log.warning("nlp: batch failed (%s: %.200s); annotating one by one", type(exc).__name__,
                    exc)  # fmt: skip
    tables: dict[str, list[dict]] = {}
    failed: dict[str, str] = {}
    for doc in docs:
        try:
            one = annotate([doc])
        except Exception as exc:  # noqa: BLE001 - that document only
            failed[doc["document_id"]] = f"cannot be annotated ({type(exc).__name__}: {exc})"[:500]
            continue
        for name, rows in one.items():
            tables.setdefault(name, []).extend(rows)
    return tables, failed


def _map_back(
    tables: dict[str, list[dict]],
    chunks: dict[str, tuple[str, int, int]],
    texts: dict[str, str],
    failed: set[str],
) -> dict[str, list[dict]]:
    """Rows of chunks become rows of their document; documents with a failed chunk dropped."""
    if not chunks and not failed:  # the usual batch: nothing to map
        return tables
    from nlp.components.vocabulary import term_stats
    from nlp.text import text_hash

    out: dict[str, list[dict]] = {}
    merged: dict[str, list[dict]] = {}
    for name, rows in tables.items():
        kept = out.setdefault(name, [])
        chunk_rows = []
        for row in rows:
            origin = chunks.get(row.get("document_id") or "")
            parent = origin[0] if origin else row.get("document_id")
            if parent in failed:
                continue
            if origin is None:
                kept.append(row)
                continue
            document_id, number, offset = origin
            row = dict(row, document_id=document_id)
            for column in ("start_char", "end_char"):
                if isinstance(row.get(column), int):
                    row[column] += offset
            chunk_rows.append((number, row))
        chunk_rows.sort(key=lambda pair: pair[0])  # stable: keeps each chunk's row order
        if name == "annotations":
            for _, row in chunk_rows:
                merged.setdefault(row["document_id"], []).append(row)
            continue
        counters: dict[str, int] = {}
        for _, row in chunk_rows:
            if name == "decisions":
                counters[row["document_id"]] = counters.get(row["document_id"], 0) + 1
                row["decision_id"] = f"{row['document_id']}#d{counters[row['document_id']]}"
            kept.append(row)
    for document_id, rows in merged.items():
        stats = term_stats(
            sum(r.get("business_terms") or 0 for r in rows),
            sum(r.get("tech_terms") or 0 for r in rows),
            sum(r.get("n_words") or 0 for r in rows),
        )
        out.setdefault("annotations", []).append(
            {
                **rows[0],
                **stats,
                "document_id": document_id,
                "text_hash": text_hash(texts[document_id]),
            }
        )
    return out


def annotate_isolated(
    annotate: Annotate,
    docs: list[dict[str, Any]],
    *,
    bound: int = CHUNK_CHARS,
    log: logging.Logger | None = None,
) -> tuple[dict[str, list[dict]], Quarantine]:
    """`annotate(docs)` with long texts chunked and failing documents left out; returns the
    row tables and the quarantine (chunk notices and failures, stage `nlp`)."""
    log = log or logging.getLogger(__name__)
    quarantine = Quarantine("nlp", stage="nlp")
    expanded, chunks = _expand(docs, bound)
    texts = {d["document_id"]: d["text"] for d in docs}
    chunks_of = Counter(parent for parent, _, _ in chunks.values())
    for doc in docs:
        n = chunks_of[doc["document_id"]]
        if n:
            reason = (
                f"notice: text of {len(doc['text']):,} characters annotated in {n} chunks "
                f"of at most {bound:,} (cut at paragraph boundaries)"
            )
            quarantine.add(doc["document_id"], reason, record_id=doc["document_id"])
            log.warning("nlp: %s: %s", doc["document_id"], reason)
    tables, failed = _annotate_each(annotate, expanded, log)
    parents = {chunks.get(i, (i,))[0]: reason for i, reason in failed.items()}
    for document_id, reason in sorted(parents.items()):
        quarantine.add(document_id, reason, record_id=document_id)
        log.warning("nlp: %s quarantined: %s", document_id, reason)
    return _map_back(tables, chunks, texts, set(parents)), quarantine
