"""Implicit links for a workspace: read the warehouse, score with `nlp.links`, land the table.

Reads (read-only) the items and their bodies, who took part in each item, the management and
COMEX minutes sections (`int_documents`) and the directory's names; writes
`<workspace>/nlp/implicit_links/current.parquet`, which dbt reads as the `nlp.implicit_links`
source. One row per (item, meeting) with its score and evidence. Rescores only the meetings
a change since the last run can reach, from what it keeps in `<workspace>/state/nlp-links/`
(below). No Dagster import.
"""

from __future__ import annotations

import ctypes
import dataclasses
import hashlib
import json
import logging
import marshal
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from nlp.links import (
    History,
    Item,
    Linker,
    LinkSettings,
    Passage,
    TextWords,
    name_forms,
    passages,
)
from pipelines import reruns
from pipelines.atomic import replacing
from pipelines.config import Workspace
from pipelines.gcpolicy import raise_thresholds
from pipelines.landing import partition_path, partition_writer, write_partition
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


# What the linker reads, as views of the session: the items (bots' left out) with their body,
# and who took part in each (first comment or review), both shared by the reading and the events.
_VIEWS = """
create or replace temp view link_items as
    select items.item_id, items.created_at, coalesce(items.title, '') as title,
           coalesce(bodies.document_text, '') as body, items.author_person_id
    from int_items as items
    left join int_documents as bodies on bodies.document_id = items.item_id || '/body'
    where not items.is_author_bot;
create or replace temp view link_involved as
    select item_id, author_person_id as person_id, min(authored_at) as since
    from int_documents
    where document_kind in ('comment', 'review') and not is_author_bot
        and author_person_id is not null
    group by 1, 2;
"""


@contextmanager
def _inputs(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the warehouse with the views above."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(_VIEWS)
        yield con


def read_items(con: duckdb.DuckDBPyConnection, since: datetime | None = None) -> list[Item]:
    """The items (created at or after `since`, if given), with the people involved
    (`con` from `_inputs`)."""
    where = "where created_at >= $since" if since is not None else ""
    params = {"since": since} if since is not None else None
    items = fetch_dicts(con, f"select * from link_items {where} order by item_id", params)  # noqa: S608
    involved = fetch_dicts(
        con,
        f"""
        select link_involved.* from link_involved
        join (select item_id from link_items {where}) using (item_id)
        """,  # noqa: S608
        params,
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
    return built


def read_passages(con: duckdb.DuckDBPyConnection) -> list[Passage]:
    """The passages of the management and COMEX minutes sections."""
    sections = fetch_dicts(
        con,
        f"""
        select document_id, meeting_id, document_level, authored_at, document_text
        from int_documents
        where document_kind = 'minutes'
            and document_level in {LEADERSHIP_LEVELS}
            and authored_at is not null
        order by document_id
        """,  # noqa: S608
    )
    return [
        Passage(s["document_id"], s["meeting_id"], s["document_level"], s["authored_at"], text)
        for s in sections
        for text in passages(s["document_text"] or "")
    ]


def read_forms(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """How the minutes may name each person of the directory (`name_forms`)."""
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
    return {p["person_id"]: name_forms(p["display_name"], p["names"] or ()) for p in people}


INPUT_TABLES = ("int_items", "int_documents", "stg_directory__people", "stg_directory__aliases")


def inputs_print(ws: Workspace) -> str:
    """Fingerprint of what the linker reads (`reruns.fingerprint`): items, documents, the
    directory's people and aliases, the workspace's `links:` settings."""
    return reruns.fingerprint(ws, INPUT_TABLES, {"links": dataclasses.asdict(ws.links)})


def output_path(ws: Workspace) -> Path:
    return partition_path(ws.root, "nlp", "implicit_links", "current")


# its record in <workspace>/state/steps/ (pipelines/reruns.py)
STEP = reruns.Step("nlp_implicit_links", inputs_print, lambda ws: [output_path(ws)])


# --- a run that rescores only the meetings a change can reach ------------------------------
#
# A passage's links depend only on what existed at its time (`nlp.links.Linker`: every
# statistic is taken as of the passage). So after each run the step records what it read as
# dated events, in `state/nlp-links/events.parquet`: each item (created at, print of its
# title and body), each person involved in an item (since when), each passage (its time,
# print of its text and meeting); and, in `basis.json` beside it, the code, settings and
# names it ran with and the state of the files it wrote. The next run finds the earliest
# time any event was added or removed, keeps the landed links of the meetings before it and
# rescores the meetings from it on: a daily run scores the day's meetings, not the year's.

CARRY_DIR = "nlp-links"  # under the workspace's state/
_EVENTS = pa.schema([("kind", _S), ("key", _S), ("effective_at", _T), ("print", _S)])


def _events_path(ws: Workspace) -> Path:
    return ws.root / "state" / CARRY_DIR / "events.parquet"


def _history_path(ws: Workspace) -> Path:
    return ws.root / "state" / CARRY_DIR / "history.parquet"


BASIS = reruns.Basis(CARRY_DIR, lambda ws: [output_path(ws), _events_path(ws), _history_path(ws)])


# The items older than the window of any meeting a daily run rescores are not read into the
# linker: their counts are kept as a `History` (`state/nlp-links/history.parquet`), cut this
# long before the window of the newest item, so data arriving up to a month late still
# finds it usable (a change older than that builds the linker from every item). Late data is
# common: an item is landed when it is next updated, and the large bench's daily window
# brings items first seen up to 15 days after their creation.
HISTORY_MARGIN = timedelta(days=30)
_HISTORY = pa.schema([("kind", _S), ("key", _S), ("items", pa.int64()), ("at", _T)])


def _write_history(ws: Workspace, history: History | None) -> None:
    path = _history_path(ws)
    if history is None:
        path.unlink(missing_ok=True)
        return
    terms, names, lower = history.term_items, history.name_items, history.item_lower
    counted = len(terms) + len(names)
    table = pa.table(
        {
            "kind": ["term"] * len(terms) + ["name"] * len(names) + ["lower"] * len(lower),
            "key": [*terms, *names, *lower],
            "items": [*terms.values(), *names.values(), *[None] * len(lower)],
            "at": [None] * counted + list(lower.values()),
        },
        schema=_HISTORY,
    )
    meta = {"cut": history.cut, "items": history.items, "horizon": history.horizon}
    table = table.replace_schema_metadata({"history": json.dumps(meta, default=str)})
    with replacing(path, suffix=".parquet") as tmp:
        pq.write_table(table, tmp)


def _read_history(ws: Workspace) -> History | None:
    """The history the last run left; None when absent or not of the expected shape."""
    try:
        table = pq.read_table(_history_path(ws))
        meta = json.loads(table.schema.metadata[b"history"])
        columns = table.to_pydict()
        rows = zip(columns["kind"], columns["key"], columns["items"], columns["at"], strict=True)
        by_kind: dict[str, dict] = {"term": {}, "name": {}, "lower": {}}
        for kind, key, n, at in rows:
            by_kind[kind][key] = at if kind == "lower" else n
        return History(
            cut=datetime.fromisoformat(meta["cut"]),
            items=int(meta["items"]),
            horizon=datetime.fromisoformat(meta["horizon"]),
            term_items=by_kind["term"],
            name_items=by_kind["name"],
            item_lower=by_kind["lower"],
        )
    except (OSError, KeyError, TypeError, ValueError, pa.ArrowException):
        return None


def _text_print(*parts: str) -> str:
    return hashlib.md5("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()


# Each item text's words (`nlp.links.TextWords`) are read by every run that builds a linker:
# 117,000 texts of the last four months at the large size, 1.9 s. A run leaves those of the
# items the next one reads (created from the new history's cut on) in `words.marshal`, with
# the NLP code print and the Python version they were read with; the next run reads only
# the texts it does not find there (3.5 million words load in about 0.1 s: `marshal` builds
# plain lists and strings and runs no code, unlike pickle). A missing, foreign or damaged
# file only means reading every text again.
WORDS_FORMAT = 2  # 2: texts keyed by `_text_print`


def _words_path(ws: Workspace) -> Path:
    return ws.root / "state" / CARRY_DIR / "words.marshal"


@dataclasses.dataclass
class WordStore:
    """The item words one run leaves the next (`words.marshal`): `load`, then `known(texts)`
    for the linker, then `save(words)` with the linker's; a text kept from the last run is
    stored again as it was read, not converted back."""

    ws: Workspace
    code: str  # `reruns.code_print()`: words read with other code are not used
    stored: dict[str, object] = dataclasses.field(default_factory=dict)  # key -> parts
    keys: dict[str, str] = dataclasses.field(default_factory=dict)  # text -> key

    def _header(self) -> dict[str, object]:
        return {"format": WORDS_FORMAT, "code": self.code, "python": sys.version}

    @classmethod
    def load(cls, ws: Workspace, code: str) -> WordStore:
        """The words the last run left; none when absent, damaged, or of other code or
        Python."""
        store = cls(ws, code)
        try:
            found = marshal.loads(_words_path(ws).read_bytes())
            words = found["words"]
            if {k: found.get(k) for k in store._header()} == store._header() and isinstance(
                words, dict
            ):
                store.stored = words
        except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
            pass
        return store

    def _key(self, text: str) -> str:
        key = self.keys.get(text)
        if key is None:
            key = self.keys[text] = _text_print(text)
        return key

    def known(self, texts: Iterable[str]) -> dict[str, TextWords]:
        """The stored words of those of `texts` the last run left, by text (none if an
        entry is not five lists of words: the store is then dropped)."""
        found = {}
        try:
            for text in texts:
                parts = self.stored.get(self._key(text))
                if parts is not None:
                    found[text] = TextWords.from_parts(parts)
        except (TypeError, ValueError):
            self.stored = {}
            return {}
        return found

    def save(self, words: Mapping[str, TextWords]) -> None:
        """Leave `words` (by text), and only them, for the next run."""
        kept = {}
        for text, read in words.items():
            key = self._key(text)
            parts = self.stored.get(key)
            kept[key] = parts if parts is not None else read.parts()
        path = _words_path(self.ws)
        path.parent.mkdir(parents=True, exist_ok=True)
        with replacing(path, suffix=".marshal") as tmp:
            tmp.write_bytes(marshal.dumps({**self._header(), "words": kept}))


def current_events(con: duckdb.DuckDBPyConnection, found: list[Passage]) -> None:
    """Temp table `now_events`: what the linker reads, as dated events, one per item (its
    title and body printed), per (item, person involved) and per passage, each at the time
    from which it can change a passage's links. Items and people in SQL, none read here.
    Each event is kept as one 64-bit hash of its kind, key, time and print, with its time
    beside it: what `changed_since` compares, and what the run leaves for the next one.
    Comparing the hashes rather than the four columns took 0.45 s rather than 1.2 s for the
    bench's 900,000 events (large size); two different events hashing alike would hide a
    change: with 10^6 events, a chance in 10^7."""
    rows: dict[str, list] = {"kind": [], "key": [], "effective_at": [], "print": []}
    position: dict[str, int] = {}
    for p in found:  # a section's passages in order: the n-th passage of each section
        n = position[p.document_id] = position.get(p.document_id, -1) + 1
        rows["kind"].append("passage")
        rows["key"].append(f"{p.document_id}#{n}")
        rows["effective_at"].append(p.at)
        rows["print"].append(_text_print(p.meeting_id, p.meeting_level, p.text))
    con.register("passage_events", pa.table(rows, schema=_EVENTS))
    con.execute(
        """
        create or replace temp table now_events as
        select hash(kind, key, effective_at, print) as event_hash, effective_at from (
            select 'item' as kind, item_id as key,
                   cast(created_at as timestamp) as effective_at,
                   md5(title || chr(31) || body) as print
            from link_items
            union all
            select 'person', item_id || chr(31) || person_id, cast(since as timestamp), ''
            from link_involved where item_id in (select item_id from link_items)
            union all
            select 'person', item_id || chr(31) || author_person_id,
                   cast(created_at as timestamp), ''
            from link_items where author_person_id is not null
            union all
            select * from passage_events
        )
        """
    )
    con.unregister("passage_events")


def changed_since(con: duckdb.DuckDBPyConnection, ws: Workspace) -> tuple[bool, object]:
    """From `now_events` (`current_events`) and the last run's events: (whether a changed
    event has no time, so nothing can be kept; the earliest time an event was added or
    removed, None when none was)."""
    untimed, earliest = con.execute(
        """
        with last_events as (select event_hash, effective_at from read_parquet($path))
        select count(*) filter (where effective_at is null), min(effective_at) from (
            (select * from now_events except all select * from last_events)
            union all
            (select * from last_events except all select * from now_events)
        )
        """,
        {"path": str(_events_path(ws))},
    ).fetchone()
    return untimed > 0, earliest


def _kept(ws: Workspace, since: datetime, rescored: set[str]) -> pa.Table:
    """The last run's links of the meetings a change at `since` cannot reach: not rescored,
    and linked before it."""
    table = pq.read_table(output_path(ws), schema=SCHEMA)
    before = pc.less(table["linked_at"], pa.scalar(since, _T))
    elsewhere = pc.invert(pc.is_in(table["meeting_id"], pa.array(sorted(rescored), _S)))
    return table.filter(pc.and_(before, elsewhere))


def _links_table(rows: list[dict], kept: pa.Table | None = None) -> pa.Table:
    """The links as the landed file orders them (item, time, document)."""
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    if kept is not None:
        table = pa.concat_tables([kept, table])
    return table.sort_by([("item_id", "ascending"), ("linked_at", "ascending"),
                          ("document_id", "ascending")])  # fmt: skip


def link_workspace(ws: Workspace, log: logging.Logger | None = None) -> int:
    """Score and land the workspace's implicit links; returns the rows written (0, and an
    empty table, when `links.implicit` is off). Only the meetings a change since the last run
    can reach are scored (see above); the others keep their landed links."""
    log = log or logging.getLogger(__name__)
    if not ws.links.implicit:
        BASIS.forget(ws)
        return write_partition(ws.root, "nlp", "implicit_links", "current", [], SCHEMA)
    settings = LinkSettings(
        threshold=ws.links.implicit_threshold,
        window_days=ws.links.window_days,
        min_statistics_items=ws.links.min_statistics_items,
    )
    window = timedelta(days=settings.window_days)
    with _inputs(ws.warehouse_path) as con:
        found, forms = read_passages(con), read_forms(con)
        code = reruns.code_print()
        basis_print = reruns.json_print(
            {
                "code": code,
                "settings": dataclasses.asdict(settings),
                "names": {person: sorted(f) for person, f in forms.items()},
            }
        )
        keep = BASIS.take(ws, basis_print)  # from here on, the files are this run's
        current_events(con, found)
        since = None
        if keep:
            untimed, since = changed_since(con, ws)
            keep = not untimed
        if keep and since is None:  # nothing the links read changed: every file stays
            written = pq.read_metadata(output_path(ws)).num_rows
            log.info("implicit links: nothing changed since the last run, %d kept", written)
            BASIS.record(ws, basis_print)
            return written
        history = _read_history(ws) if keep else None
        if history is not None and since - window < history.cut:
            history = None  # a change inside what the history counts
        items = read_items(con, history.cut if history else None)
        store = WordStore.load(ws, code)
        known = store.known(text for i in items for text in (i.title, i.body))
        linker = Linker(items, forms, settings, history, known_words=known)
        if keep:
            rescored = linker.meetings_from(found, since)
            kept = _kept(ws, since, rescored)
            links = linker.link(found, since=since)
            log.info(
                "implicit links: rescored from %s, meetings %d (%d links, %d items read); "
                "%d links kept",
                since,
                len(rescored),
                len(links),
                len(items),
                kept.num_rows,
            )
        else:
            kept, links = None, linker.link(found)
            log.info(
                "implicit links: %d from %d passages over %d items",
                len(links),
                len(found),
                len(items),
            )
        (newest,) = con.execute("select max(created_at) from link_items").fetchone()
        if newest is not None:
            cut = newest - window - HISTORY_MARGIN
            history = linker.history_before(max(cut, history.cut) if history else cut)
        # the words of the items the next run reads: those from the new history's cut on
        ahead = [i for i in items if history is None or i.created_at >= history.cut]
        store.save({t: linker.words[t] for i in ahead for t in (i.title, i.body)})
        table = _links_table([link.row() for link in links], kept)
        with partition_writer(ws.root, "nlp", "implicit_links", "current", SCHEMA) as write:
            written = sum(write(batch) for batch in table.to_batches())
        _events_path(ws).parent.mkdir(parents=True, exist_ok=True)
        with replacing(_events_path(ws), suffix=".parquet") as tmp:
            target = str(tmp).replace("'", "''")
            con.execute(f"copy now_events to '{target}' (format parquet)")  # noqa: S608
    _write_history(ws, history)
    BASIS.record(ws, basis_print)
    return written


# --- the step beside the annotation ---------------------------------------------------------
#
# The links and the annotation read the same warehouse (read-only), write their own files,
# and neither reads the other's output. Most of both is single-threaded Python (the links'
# scoring; the annotation's model load, attendees and carry-over), so on two cores they run
# side by side in about the time of the longer one. The child is spawned, not forked: it
# starts clean (no DuckDB instance, lock or thread of the parent copied into it) for the
# cost of importing this module, while the annotation works.


class _Collected(logging.Handler):
    """Keeps the child's log messages, which the parent logs when the step is done."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _start_child(parent: int) -> None:
    """In the child, first: the collector's thresholds of a pipeline process
    (`pipelines/gcpolicy.py`: a spawned child starts with Python's defaults); and a parent
    killed (SIGKILL leaves no time to stop its children) takes the child with it, so no
    orphan goes on writing the files a new run then owns."""
    raise_thresholds()
    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "prctl"):  # not Linux: nothing to ask for
        return
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent was gone before the request
        os._exit(1)


def _child_pool() -> ProcessPoolExecutor:
    """One spawned child, started by `_start_child`."""
    return ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_child,
        initargs=(os.getpid(),),
    )


def _step_in_child(ws: Workspace) -> tuple[dict, bool, list[str]]:
    collected = _Collected()
    log = logging.getLogger(f"{__name__}.child")
    log.setLevel(logging.INFO)
    log.addHandler(collected)
    counts, skipped = STEP.run(ws, lambda: {"rows": link_workspace(ws, log=log)})
    return counts, skipped, collected.messages


def start_step(ws: Workspace, log: logging.Logger | None = None) -> Callable[[], tuple[dict, bool]]:
    """Start the links step (`STEP.run` of `link_workspace`) in a child process and return
    the call that waits for it: `(counts, skipped)`, the child's messages logged to `log`, its
    error raised. The child runs to its end even when the caller fails first."""
    pool = _child_pool()
    future = pool.submit(_step_in_child, ws)  # unwaited, the pool still runs it to its end

    def finish() -> tuple[dict, bool]:
        try:
            counts, skipped, messages = future.result()
        finally:
            pool.shutdown(wait=True)  # the child reaped here: its CPU counts as the caller's
        for message in messages:
            (log or logging.getLogger(__name__)).info(message)
        return counts, skipped

    return finish
