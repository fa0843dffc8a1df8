"""`annotate_documents`: the one call the pipeline makes; documents in, row tables out.

Work is routed by need:
1. every document goes through the fast pipeline (tokenizer + phrase matchers + regex):
   terms, shares, role mentions, references;
2. tickets, PRs and comments: only the lines that carry a decision cue (a regex pre-filter on
   folded text) go through the full pipeline (French model / English rules) for decisions
   and their actors;
3. minutes (kind "minutes"): the document is cut into units (`nlp.units.segment`), the
   units with a cue go through the full pipeline (the rules' verdict), and the learned unit
   classifier (`nlp.unit_model`) labels every unit DECISION / ACTION / NONE; decisions are
   kept on the DECISION units only (the rules' rows where they found one, else one row for
   the unit), ACTION units are kept in the cached result (`units`) for `silo annotate`.
Results are cached per document under `cache_dir` (`nlp.cache`: one SQLite file, read and
written once per call) by a hash of the text and what shapes its
reading (language, default repo, Jira URLs, lexicon files, extras, code version), never by the
directory: the only thing known people change is the spans the decision component is given
for each cue line or unit, so a result records those probes (text, spans found) and is reused
while the current directory finds the same spans in them. A directory edit re-annotates only
the documents whose decision lines name a person it added, renamed or removed; who each
mention is stays the caller's job, after the cache (`pipelines/annotation`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from nlp.cache import ResultCache
from nlp.people import normalise_forms, people_matcher
from nlp.resources import fingerprint, load_decision_rules
from nlp.text import LANGUAGES, detect_language, fold, segments, text_hash

# Bump when a change in code (not in data files) changes the output.
CODE_VERSION = "12"
TABLES = ("annotations", "terms", "decisions", "role_mentions", "references")
# On request only (no warehouse table): the minutes units kept as DECISION or ACTION, with
# label, line, text, speaker, status, domain, actors (`silo annotate` prints them).
EXTRA_TABLES = ("units",)
# Below this many documents to annotate, the work stays in the calling process: starting
# workers (and loading a pipeline in each) would cost more than it saves.
PARALLEL_MIN_DOCUMENTS = 2_000


def _language(doc: dict) -> str:
    given = (doc.get("language") or "").lower()[:2]
    return given if given in LANGUAGES else detect_language(doc["text"])


def _cache_key(doc: dict, lang: str, lexicon_print: str) -> str:
    parts = [
        CODE_VERSION,
        lexicon_print,
        lang,
        doc.get("default_repo") or "",
        sorted(doc.get("jira_base_urls") or []),
        doc["text"],
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def _validate(raw: Iterable[dict]) -> list[dict]:
    docs = []
    for position, doc in enumerate(raw):
        if not isinstance(doc, dict) or not doc.get("document_id"):
            raise ValueError(f"annotate_documents: document #{position} has no document_id")
        if not isinstance(doc.get("text"), str):
            raise ValueError(
                f"annotate_documents: document {doc['document_id']!r}: "
                f"'text' must be a string, got {type(doc.get('text')).__name__}"
            )
        docs.append(doc)
    return docs


def _fast_result(spacy_doc, lang: str) -> dict:
    """Everything the fast pipeline gives, as document-relative rows (no document_id)."""
    stats = spacy_doc._.term_stats
    return {
        "language": lang,
        "stats": stats,
        "terms": [
            {
                "label": s.label_,
                "term": s.id_,
                "text": s.text,
                "start_char": s.start_char,
                "end_char": s.end_char,
            }
            for label in ("BUSINESS_TERM", "TECH_TERM")
            for s in spacy_doc.spans[label]
        ],
        "role_mentions": [
            {"text": s.text, "role": s.id_, "start_char": s.start_char, "end_char": s.end_char}
            for s in spacy_doc.spans["ROLE_MENTION"]
        ],
        "references": [
            {"ref_type": r.ref_type, "raw": r.raw, "item_id": r.item_id, "start_char": r.start_char}
            for r in spacy_doc._.references
        ],
        "decisions": [],
    }


def _candidate_lines(text: str, lang: str) -> list[tuple[int, str]]:
    """(offset, line) of the lines with a decision cue: the only text the full model sees."""
    rules = load_decision_rules(lang)
    return [(seg.start, seg.text) for seg in segments(text) if rules.has_cue(fold(seg.text))]


def _people_spans(people, text: str) -> list[list[int]]:
    """Spans of known people in `text` (none without a directory), JSON-shaped."""
    return [list(span) for span in people.find(text)] if people is not None else []


def _probe(people, text: str, probes: list) -> list[tuple[int, int]]:
    """Known-people spans in `text`, recorded in `probes`: what a result depends on."""
    spans = _people_spans(people, text)
    probes.append([text, spans])
    return [tuple(span) for span in spans]


def _people_unchanged(result: dict, people) -> bool:
    """Whether a cached result still holds with these known people: each text its decision
    component was given yields the same spans (and the same with/without-directory switch)."""
    seen = result.get("people")
    if seen is None:
        return False
    if not seen["probes"]:
        return True
    if seen["directory"] != (people is not None):
        return False
    return all(_people_spans(people, text) == spans for text, spans in seen["probes"])


def _line_context(offset: int, line: str, tech: list[dict], people, probes: list) -> dict:
    """What the decision component gets besides the line: line-relative character spans of
    tech terms (domain hint) and of known people (recorded in `probes`)."""
    end = offset + len(line)
    return {
        "tech": [
            (t["start_char"] - offset, t["end_char"] - offset)
            for t in tech
            if offset <= t["start_char"] < end
        ],
        "people": _probe(people, line, probes),
        "directory": people is not None,  # unknown names then need stronger evidence
    }


def _unit_spans(text: str, units) -> list[tuple[int, int]]:
    """(start, end) in `text` of each unit: from its first line (past the markup) to the end
    of its last line."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    last = len(starts) - 1
    spans = []
    for unit in units:
        start, end = starts[min(unit.line - 1, last)], starts[min(unit.end_line, last)]
        found = text[start:end].find(unit.text[:12])
        spans.append((start + max(found, 0), end))
    return spans


def _unit_context(
    unit_text: str, offset: int, end: int, tech: list[dict], people, probes: list
) -> dict:
    """`_line_context` for a unit, whose text is the cleaned lines (not a slice of the
    document): tech terms of its lines found again in its text."""
    spans = []
    for term in tech:
        if offset <= term["start_char"] < end:
            at = unit_text.find(term["text"])
            if at >= 0:
                spans.append((at, at + len(term["text"])))
    return {
        "tech": spans,
        "people": _probe(people, unit_text, probes),
        "directory": people is not None,
    }


def _annotate_minutes(items: list[tuple[int, dict]], results: dict[int, dict], lang, people):
    """Minutes: units, the rules' verdict on each, the learned label, decisions on the units
    kept as DECISION (see the module docstring)."""
    from nlp.components.bodies import own_headings
    from nlp.unit_model import (
        classify,
        features,
        load_classifier,
        rule_decisions,
        ruled_out,
        rules_decide,
        unit_decision,
    )
    from nlp.units import segment

    cut = []  # (index, unit, offset, end)
    # A heading, or a document's first unit (its title: `Weekly Data team — 12 February >
    # Agenda`), is never a learned DECISION; the rules may still find one in it.
    titles: set[int] = set()
    for index, doc in items:
        units = segment(doc["text"])
        for position, (unit, (start, end)) in enumerate(
            zip(units, _unit_spans(doc["text"], units), strict=True)
        ):
            if position == 0 or unit.kind == "heading":
                titles.add(len(cut))
            cut.append((index, unit, start, end))
    if not cut:
        return

    def context_of(k: int) -> dict:  # asked only for the units holding a decision cue
        index, unit, start, end = cut[k]
        tech = [t for t in results[index]["terms"] if t["label"] == "TECH_TERM"]
        probes = results[index]["people"]["probes"]
        context = _unit_context(unit.text, start, end, tech, people, probes)
        context["own_body"] = own_headings(unit.heading)  # `Conseil municipal du 6 mai`
        return context

    found = rule_decisions([u.text for _, u, _, _ in cut], lang, context_of)
    labels = classify(
        load_classifier(),
        [features(u.text, u.heading, d, lang) for (_, u, _, _), d in zip(cut, found, strict=True)],
        [rules_decide(u.text, d) for (_, u, _, _), d in zip(cut, found, strict=True)],
        lambda k: k in titles or ruled_out(cut[k][1].text, lang),
    )
    for (index, unit, offset, _), decisions, label in zip(cut, found, labels, strict=True):
        if label == "NONE":
            continue
        result = results[index]
        kept = {"label": label, "line": unit.line, "text": unit.text, "speaker": unit.speaker}
        if label == "DECISION":
            rows = decisions or [dict(unit_decision(unit.text, [], lang), start_char=0)]
            for row in rows:
                result["decisions"].append(
                    {
                        "sentence": row["sentence"],
                        "start_char": offset + row.get("start_char", 0),
                        "end_char": offset + row.get("end_char", len(unit.text)),
                        "status": row["status"],
                        "domain": row["domain"],
                        "actors": row["actors"],
                        "attributed_to_meeting": row["attributed_to_meeting"],
                    }
                )
            first = rows[0]
            kept.update(
                status=first["status"],
                domain=first["domain"],
                actors=[a["text"] for a in first["actors"]] or ["meeting"],
            )
        else:
            kept.update(status=None, domain=None, actors=[unit.speaker] if unit.speaker else [])
        result.setdefault("units", []).append(kept)


def _annotate_misses(
    misses: list[tuple[int, dict, str]], extra_lexicons: dict | None, people=None
) -> dict[int, dict]:
    """Run the pipelines on documents not in the cache; results keyed by input position.

    `people`: a `nlp.people.PeopleMatcher` for the known people, or None."""
    from nlp.pipeline import fast_pipeline, full_pipeline

    results: dict[int, dict] = {}
    by_lang: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for index, doc, lang in misses:
        by_lang[lang].append((index, doc))
    for lang, items in by_lang.items():
        fast = fast_pipeline(lang, extra_lexicons)
        made = []
        for _, doc in items:
            spacy_doc = fast.make_doc(doc["text"])
            spacy_doc._.silo_text = doc["text"]
            spacy_doc._.silo_context = {
                "default_repo": doc.get("default_repo"),
                "jira_base_urls": doc.get("jira_base_urls") or [],
                "jira_projects": doc.get("jira_projects"),
            }
            made.append(spacy_doc)
        for (index, _doc), spacy_doc in zip(items, fast.pipe(made, batch_size=256), strict=True):
            results[index] = _fast_result(spacy_doc, lang)
            results[index]["people"] = {"directory": people is not None, "probes": []}

        full = full_pipeline(lang)
        minutes = [(index, doc) for index, doc in items if doc.get("kind") == "minutes"]
        if minutes:
            _annotate_minutes(minutes, results, lang, people)
        lines = []
        for index, doc in items:
            if doc.get("kind") == "minutes":
                continue
            tech = [t for t in results[index]["terms"] if t["label"] == "TECH_TERM"]
            for offset, line in _candidate_lines(doc["text"], lang):
                line_doc = full.make_doc(line)
                line_doc._.silo_text = line
                probes = results[index]["people"]["probes"]
                line_doc._.silo_context = _line_context(offset, line, tech, people, probes)
                lines.append((line_doc, (index, offset)))
        for spacy_doc, (index, offset) in full.pipe(lines, as_tuples=True, batch_size=64):
            for decision in spacy_doc._.decisions:
                decision = dict(
                    decision,
                    start_char=decision["start_char"] + offset,
                    end_char=decision["end_char"] + offset,
                )
                results[index]["decisions"].append(decision)
    return results


def _rows(doc: dict, result: dict, tables: dict[str, list[dict]]) -> None:
    document_id = doc["document_id"]
    stats = result["stats"]
    if "annotations" in tables:
        tables["annotations"].append(
            {
                "document_id": document_id,
                "text_hash": text_hash(doc["text"]),
                "language": result["language"],
                "n_words": stats["n_words"],
                "business_terms": stats["business_terms"],
                "tech_terms": stats["tech_terms"],
                "business_share": stats["business_share"],
                "tech_share": stats["tech_share"],
                "business_per_100_words": stats["business_per_100_words"],
                "tech_per_100_words": stats["tech_per_100_words"],
            }
        )
    for name in ("terms", "role_mentions", "references"):
        if name in tables:
            tables[name].extend({"document_id": document_id, **row} for row in result[name])
    if "units" in tables:
        tables["units"].extend({"document_id": document_id, **u} for u in result.get("units", []))
    if "decisions" not in tables:
        return
    for number, decision in enumerate(result["decisions"], 1):
        tables["decisions"].append(
            {
                "decision_id": f"{document_id}#d{number}",
                "document_id": document_id,
                "sentence": decision["sentence"],
                "status": decision["status"],
                "domain": decision["domain"],
                "actors": json.dumps(decision["actors"], ensure_ascii=False),
                "attributed_to_meeting": decision["attributed_to_meeting"],
                "start_char": decision["start_char"],
            }
        )


def _share_out(misses: list, parts: int) -> list[list]:
    """`misses` cut, in order, into at most `parts` runs of about the same amount of text."""
    total = sum(len(doc["text"]) for _, doc, _ in misses) or 1
    runs: list[list] = [[]]
    done = 0
    for miss in misses:
        if done >= total * len(runs) / parts and len(runs) < parts:
            runs.append([])
        runs[-1].append(miss)
        done += len(miss[1]["text"])
    return [run for run in runs if run]


_WORKER: dict = {}  # in a worker process: its settings, set once by `_start_worker`


def _start_worker(extra_lexicons: dict | None, forms: tuple[str, ...]) -> None:
    _WORKER.update(extra_lexicons=extra_lexicons, people=people_matcher(forms))


def _annotate_in_worker(misses: list[tuple[int, dict, str]]) -> dict[int, dict]:
    return _annotate_misses(misses, _WORKER["extra_lexicons"], _WORKER["people"])


class Annotator:
    """Annotates documents call after call with the same settings; `annotate_documents` is
    one call of one `Annotator`, and the arguments are the same (see there).

    With `n_process` > 1, the documents to annotate (not in the cache) of a call with at least
    `PARALLEL_MIN_DOCUMENTS` of them are shared out to that many worker processes. The
    workers start on the first such call and serve every later one until `close()` (or the
    end of a `with` block): each loads the pipelines once for all the calls, where
    `nlp.pipe(n_process=...)` started its workers, and loaded a pipeline in each, again for
    every call. A result does not depend on which process made it (a test checks).
    """

    def __init__(
        self,
        *,
        cache_dir: str | os.PathLike | None = None,
        extra_lexicons: dict | None = None,
        n_process: int = 1,
        known_people: Iterable[str] | None = None,
        outputs: Iterable[str] = TABLES,
    ):
        self.outputs = tuple(outputs)
        unknown = set(self.outputs) - set(TABLES) - set(EXTRA_TABLES)
        if unknown:  # before any work
            raise ValueError(
                f"unknown output tables {sorted(unknown)}; known: {TABLES + EXTRA_TABLES}"
            )
        self.extra_lexicons = extra_lexicons
        self.n_process = max(1, n_process)
        self.forms = normalise_forms(known_people)
        self.people = people_matcher(self.forms)
        self.cache = ResultCache(cache_dir)
        self._prints: dict[str, str] = {}
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Annotator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def annotate(self, docs: Iterable[dict], stats: dict | None = None) -> dict[str, list[dict]]:
        """The row tables of `docs` (see `annotate_documents`)."""
        docs = _validate(docs)
        keys: list[str] = []
        langs: list[str] = []
        for doc in docs:
            lang = _language(doc)
            if lang not in self._prints:
                self._prints[lang] = fingerprint(lang, self.extra_lexicons)
            langs.append(lang)
            keys.append(_cache_key(doc, lang, self._prints[lang]))
        cached = self.cache.get_many(keys)
        results: dict[int, dict] = {}
        misses: dict[str, tuple[int, dict, str]] = {}  # one per key: a text repeated is read once
        for index, (doc, lang, key) in enumerate(zip(docs, langs, keys, strict=True)):
            hit = cached.get(key)
            if hit is not None and _people_unchanged(hit, self.people):
                results[index] = hit
            elif key not in misses:
                misses[key] = (index, doc, lang)
        fresh = self._run(list(misses.values())) if misses else {}
        self.cache.put_many({keys[index]: result for index, result in fresh.items()})
        by_key = {keys[index]: result for index, result in fresh.items()}
        for index, key in enumerate(keys):
            if index not in results:
                results[index] = by_key[key]
        tables: dict[str, list[dict]] = {name: [] for name in self.outputs}
        for index, doc in enumerate(docs):
            _rows(doc, results[index], tables)
        if stats is not None:
            stats.update(
                documents=len(docs), cache_hits=len(docs) - len(fresh), annotated=len(fresh)
            )
        return tables

    def _run(self, misses: list[tuple[int, dict, str]]) -> dict[int, dict]:
        if self.n_process < 2 or len(misses) < PARALLEL_MIN_DOCUMENTS:
            return _annotate_misses(misses, self.extra_lexicons, self.people)
        if self._pool is None:
            from nlp.pipeline import fast_pipeline, full_pipeline

            for lang in sorted({lang for _, _, lang in misses}):  # loaded once, then forked
                fast_pipeline(lang, self.extra_lexicons)
                full_pipeline(lang)
            self._pool = ProcessPoolExecutor(
                self.n_process,
                initializer=_start_worker,
                initargs=(self.extra_lexicons, self.forms),
            )
        results: dict[int, dict] = {}
        try:  # two runs per worker: one finishing early takes the other's second
            for part in self._pool.map(_annotate_in_worker, _share_out(misses, 2 * self.n_process)):
                results.update(part)
        except BrokenProcessPool:  # a worker died (killed, out of memory): start anew next call
            self._pool = None
            raise
        return results


def annotate_documents(
    docs: Iterable[dict],
    *,
    cache_dir: str | os.PathLike | None = None,
    extra_lexicons: dict | None = None,
    n_process: int = 1,
    stats: dict | None = None,
    known_people: Iterable[str] | None = None,
    outputs: Iterable[str] = TABLES,
) -> dict[str, list[dict]]:
    """Annotate documents; return the row tables named in `outputs` (some of `TABLES`).

    docs: dicts with document_id, text, kind (minutes|ticket|comment|pr|review), language
        (None: detected), default_repo (`owner/repo` for bare `#123`, or None),
        jira_base_urls (list of Jira site URLs), optionally jira_projects (known keys).
    cache_dir: folder for per-document results (None: no cache).
    extra_lexicons: `{"fr": {"business": [...], "tech": [...]}}` added to the bundled ones;
        items are strings or `{"term": ..., "variants": [...]}`.
    n_process: processes that share the documents to annotate when there are many (see
        `Annotator`, which keeps them for many calls).
    stats: if given, filled with `documents`, `cache_hits`, `annotated` (documents run
        through the pipelines: new or changed text, or decision lines the directory now
        reads differently; a text repeated in the call counts once).
    known_people: surface forms of people from the org directory (`Marie Dupont`, `Marie`,
        `Marie D.`, `MD`, `M. Dupont`); each match is a person-name candidate for decision
        actors whatever its position or capitalisation (initials case-sensitive, names
        case- and accent-insensitive). Not in the cache key: a cached result is reused while
        these forms find the same spans in its decision lines (see the module docstring).
    outputs: the tables to build rows for (some of `TABLES`, or `units`, see EXTRA_TABLES; the
        cache keeps every result either way).
    """
    with Annotator(
        cache_dir=cache_dir,
        extra_lexicons=extra_lexicons,
        n_process=n_process,
        known_people=known_people,
        outputs=outputs,
    ) as annotator:
        return annotator.annotate(docs, stats)
