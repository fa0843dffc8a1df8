"""Pseudonymise what leaves the pipeline: the published snapshot and the reports built on it.

The raw landing and the working warehouse keep clear identities on the client's machine (they
hold nothing the client's own GitHub, Jira and minutes don't). With
`sources.directory.pseudonymise: true`, `pipelines.warehouse.publish_snapshot` passes the
copy of the warehouse through `pseudonymise_snapshot` before its atomic rename, so consultants
only ever see:

- person ids -> `p-<16 hex>` (`person_pseudonym`: same person, same hash, in every table);
- names, and people named in free text -> a label `[p-<8 hex>]` (the first 8 hex digits of
  the same pseudonym), found from the directory's surface forms (display name, declared
  names, "Marie D.", logins, Jira accounts, e-mails, person id, and a capitalised first name
  or surname); role mentions ("le CTO") stay; any other e-mail address -> `[a-<8 hex>]`;
- logins, accounts, e-mails, aliases -> `a-<16 hex>` (`alias_pseudonym`);
- ids built from what people write (`notes:<file name slug>#<heading slug>-<n>`, found in
  meeting, section, document, decision and item ids) are re-keyed part by part,
  `notes:m-<12 hex>#s-<12 hex>-<n>...`, the same in every table so joins still hold; GitHub
  and Jira ids (`github:owner/repo#12`, `jira:ABC-1`) are kept;
- a handle nobody declared (`@someone` in free text) -> `[a-<8 hex>]`;
- teams, sides, levels, roles, timestamps and counts are kept;
- views are dropped (dbt's staging views read the clear raw Parquet).

Columns are discovered from `information_schema` and classified by name (`column_kind`).
The rule FAILS CLOSED: a text column that is neither known-safe nor handled stops the
publication with the table and column named (`UnclassifiedColumnError`), so a new mart with a
name column cannot leak silently. No Dagster import; the salt is never logged nor written.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.atomic import replacing
from pipelines.config import Workspace
from pipelines.sources.directory.model import Directory, load_directory
from pipelines.sources.directory.pseudonym import alias_pseudonym, person_pseudonym, salt_from_env
from pipelines.sources.notes.text import normalise

AMBIGUOUS_LABEL = "[person]"  # a first name or surname several people share
_PSEUDONYM = re.compile(r"p-[0-9a-f]{16}")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?<!\.)")
_SHORT = 3  # forms this short ("MD") only match exactly as written, never in "README.md"
_HANDLE = re.compile(r"(?<![\w.+@-])@[A-Za-z0-9][A-Za-z0-9_-]{0,38}(?![\w-])")
_SLUG = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
# A minutes id: `notes:` + file name slug, then `#` + heading slug (its -n included).
_NOTES_ID = re.compile(rf"notes:({_SLUG})(?:#({_SLUG}))?")


class UnclassifiedColumnError(RuntimeError):
    """A text column of the snapshot is neither known-safe nor handled: publishing it could
    leak a name. Classify it in `pipelines/privacy.py` (COLUMNS, SUFFIXES or SAFE)."""


def _fold(text: str) -> str:
    """How surface forms are compared: lower case, accents stripped, spaces collapsed."""
    return normalise(text)


# Accented letters a folded letter may be written as, for accent-insensitive patterns.
_VARIANTS: dict[str, set[str]] = defaultdict(set)
for _code in range(0x00C0, 0x0180):
    _char = chr(_code)
    _base = unicodedata.normalize("NFKD", _char)[0].lower()
    if _base.isascii() and _base.isalpha():
        _VARIANTS[_base].update({_char, _char.lower(), _char.upper()})


def _letter(char: str, capital: bool) -> str:
    """A regex class matching `char` with any accent (upper case only when `capital`)."""
    base = _fold(char) or char
    if not (base.isascii() and base.isalpha()):
        return re.escape(char)
    forms = {base.upper()} if capital else {base, base.upper()}
    forms |= {v for v in _VARIANTS.get(base, ()) if not capital or v.isupper()}
    return "[" + "".join(sorted(re.escape(f) for f in forms)) + "]"


def _pattern(form: str, exact_case: bool) -> str:
    """The regex of one surface form: spaces match any whitespace; accent-insensitive;
    case-insensitive unless `exact_case` (short forms) or a capitalised single word."""
    if exact_case:
        return r"\s+".join(re.escape(word) for word in form.split())
    capital_word = " " not in form and form[:1].isupper() and form[1:].islower()
    parts = []
    for index, char in enumerate(form):
        if char.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        else:
            parts.append(_letter(char, capital=capital_word and index == 0))
    return "".join(parts)


@dataclass(frozen=True)
class _Form:
    written: str  # as declared, used to build the pattern
    exact_case: bool


class Pseudonymiser:
    """Maps people, names, aliases and free text to stable pseudonyms for one salt.

    Build it with `Pseudonymiser.from_workspace(ws)` (None when the mode is off) or
    `Pseudonymiser(directory, salt)`. Its repr never shows the salt.
    """

    def __init__(self, directory: Directory, salt: str):
        self._salt = salt
        self._people = dict(directory.people)
        owners: dict[str, set[str]] = defaultdict(set)  # folded form -> person ids
        written: dict[str, _Form] = {}
        for person in self._people.values():
            for form, exact in _surface_forms(person):
                key = _fold(form)
                if len(key) < 2:
                    continue
                owners[key].add(person.id)
                written.setdefault(key, _Form(form, exact))
        self._label_of_form = {
            key: (self.label(next(iter(ids))) if len(ids) == 1 else AMBIGUOUS_LABEL)
            for key, ids in owners.items()
        }
        ordered = sorted(written.values(), key=lambda f: (-len(f.written), f.written))
        alternation = "|".join(_pattern(f.written, f.exact_case) for f in ordered)
        self._names = re.compile(rf"(?<!\w)(?:{alternation})(?![\w@])" if ordered else r"(?!)")
        ids = sorted(self._people, key=len, reverse=True)
        self._ids = re.compile(
            r"(?<![\w.-])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w-]|\.\w)"
            if ids
            else r"(?!)"
        )

    @classmethod
    def from_workspace(cls, ws: Workspace) -> Pseudonymiser | None:
        """The workspace's pseudonymiser, or None when `sources.directory.pseudonymise` is off.
        Raises `PseudonymisationError` naming the salt variable when it is missing."""
        config = ws.directory
        if config is None or not config.pseudonymise:
            return None
        salt = salt_from_env(config.salt_env)
        if config.file is None:
            raise ValueError(f"{ws.root}/silo.yml: 'sources.directory.file' is required")
        return cls(load_directory(config.file, strict=False), salt)

    def __repr__(self) -> str:
        return f"Pseudonymiser({len(self._people)} people)"

    # -- values -----------------------------------------------------------------------------
    def person(self, person_id: str) -> str:
        """`p-<16 hex>` for a person id (a value that already is a pseudonym is kept)."""
        if _PSEUDONYM.fullmatch(person_id):
            return person_id
        return person_pseudonym(person_id, self._salt)

    def label(self, person_id: str) -> str:
        """The short label standing for a person in text and name columns: `[p-<8 hex>]`."""
        return f"[{self.person(person_id)[:10]}]"

    def alias(self, source: str | None, alias: str) -> str:
        """`a-<16 hex>` for a login, account, e-mail or name as written in `source`."""
        return alias_pseudonym(source or "", alias, self._salt)

    def name(self, name: str) -> str:
        """A person's name (or any alias) as their label; a value the directory does not know
        becomes `[a-<8 hex>]`, so a name column never shows a clear name."""
        key = _fold(name).strip(" .,:;*_")
        if not key:
            return name
        return self._label_of_form.get(key) or f"[{self.alias('name', name)[:10]}]"

    def text(self, text: str) -> str:
        """`text` with every known person's surface forms replaced by their labels, then any
        other e-mail address by an alias label; everything else is kept as written."""

        def known(match: re.Match) -> str:
            return self._label_of_form.get(_fold(match.group(0)), AMBIGUOUS_LABEL)

        replaced = self._names.sub(known, text)
        replaced = _EMAIL.sub(lambda m: f"[{self.alias('email', m.group(0))[:10]}]", replaced)
        return _HANDLE.sub(lambda m: f"[{self.alias('handle', m.group(0)[1:])[:10]}]", replaced)

    def record_id(self, value: str) -> str:
        """An id with the parts built from file names and headings re-keyed with the salt
        (`notes:2026-03-10-1-1-marie-dubois#suivi-marie-dubois-1#d1` ->
        `notes:m-<12 hex>#s-<12 hex>#d1`); the same part gives the same key everywhere, so a
        meeting id still prefixes its sections' and decisions' ids. Other ids are kept."""

        def rekey(match: re.Match) -> str:
            out = f"notes:m-{self.alias('notes-file', match.group(1))[2:14]}"
            if match.group(2):
                out += f"#s-{self.alias('notes-heading', match.group(2))[2:14]}"
            return out

        return _NOTES_ID.sub(rekey, value)

    def embedded_ids(self, value: str) -> str:
        """An id that may embed person ids (`roadmap:marie.dubois`) with each replaced by its
        pseudonym, so it still matches the pseudonymised person column."""
        return self._ids.sub(lambda m: self.person(m.group(0)), value)

    def alias_id(self, value: str) -> str:
        """`<source>:<alias>` (the directory's alias ids) -> `<source>:a-<16 hex>`."""
        source, _, alias = value.partition(":")
        return f"{source}:{self.alias(source, alias)}" if alias else self.alias(None, value)

    def person_list(self, value: str) -> str:
        """A comma-separated list of person ids, pseudonymised and re-sorted (the clear
        order would be alphabetical by name)."""
        items = [v.strip() for v in value.split(",") if v.strip()]
        return ",".join(sorted(self.person(v) for v in items))

    def json_names(self, value: str) -> str:
        """A JSON list or mapping of names/logins: every string value becomes a label (keys,
        such as silo.yml field names, stay). Unparseable JSON is treated as free text."""
        try:
            data = json.loads(value)
        except json.JSONDecodeError:
            return self.text(value)

        def walk(node):
            if isinstance(node, str):
                return self.name(node)
            if isinstance(node, list):
                return [walk(v) for v in node]
            if isinstance(node, dict):
                return {k: walk(v) for k, v in node.items()}
            return node

        return json.dumps(walk(data), ensure_ascii=False)


def _surface_forms(person) -> Iterable[tuple[str, bool]]:
    """(form, exact_case) pairs naming `person`: full and declared names, "Marie D.",
    "M. Dubois", logins, accounts, e-mails, the person id, and the first name or surname
    alone (matched only when capitalised, so "claire" or "blanc" as words stay)."""
    words = person.name.split()
    forms = [person.name, person.id]
    if len(words) >= 2 and not person.bot:  # "Automation for Jira": "Jira" is no person
        first, last = words[0], " ".join(words[1:])
        forms += [f"{first} {last[0]}.", f"{first} {last[0]}", first, words[-1]]
        forms += [f"{w[0]}. {words[-1]}" for w in words[:1]]
    for aliases in person.aliases.values():
        forms += list(aliases)
    for form in dict.fromkeys(f.strip() for f in forms if f and f.strip()):
        single = " " not in form
        capitalised = single and form[:1].isupper() and form[1:].islower()
        yield form, len(form) <= _SHORT and not capitalised


# -- classification of snapshot columns -------------------------------------------------------
PERSON, PERSON_LIST, NAME, ALIAS, ALIAS_ID, JSON_NAMES, TEXT, EMBEDDED_IDS, RECORD_ID, SAFE = (
    "person", "person_list", "name", "alias", "alias_id", "json_names", "text", "embedded_ids",
    "record_id", "safe",
)  # fmt: skip

# The print columns of the `stored_by_print` models (dbt_project/macros/incremental.sql):
# each warehouse's own hash of a key's rows (DuckDB and PostgreSQL hold different values).
ROW_PRINTS = ("item_print", "interaction_print", "edge_print")

# Exact column names. ALIAS entries name the column giving the alias source (or a constant).
COLUMNS: dict[str, tuple[str, str | None]] = {
    **{c: (PERSON, None) for c in ("person_id", "decider_id", "manager_id", "owner_id")},
    "attendee_ids": (PERSON_LIST, None),
    **{c: (NAME, None) for c in ("display_name", "decider_name", "decided_by_name")},
    "author_alias": (ALIAS, "col:source_system"),
    "alias": (ALIAS, "col:alias_source"),
    "alias_normalised": (ALIAS, "col:alias_source"),
    "alias_key": (ALIAS, "col:alias_source"),
    "name_as_written": (ALIAS, "name"),
    **{c: (JSON_NAMES, None) for c in ("attendees", "absentees", "assignees", "owners")},
    **{c: (TEXT, None) for c in (
        "document_text", "decision_text", "title", "body", "section_text", "actor_mention",
        "actor_mentions", "sentence", "text", "summary", "description", "reference_text",
        "heading_path", "from_string", "to_string", "from_value", "to_value", "mention",
        "raw", "file_path", "milestone", "sprint", "labels", "label", "components",
        "fix_versions", "unresolved_reason",
        "decided_by_body",  # words of the minutes (`le bureau de l'association X`): free text
    )},
    **{c: (EMBEDDED_IDS, None) for c in ("arbitration_id", "role_id")},
    "alias_id": (ALIAS_ID, None),
    # ids of records: a minutes id embeds its file name and heading (Pseudonymiser.record_id)
    **{c: (RECORD_ID, None) for c in (
        "item_id", "document_id", "decision_id", "meeting_id", "thread_id", "interaction_id",
        "comment_id", "event_id", "change_id", "section_id", "from_item_id", "to_item_id",
        "source_item_id", "referenced_item_id",
        "edge_source_id",  # int_edges: a document_id or a meeting_id
    )},
    # an unsalted md5 of a login: re-keyed with the salt so a guess cannot be confirmed
    "unresolved_alias_id": (ALIAS, "unresolved"),
    # unsalted prints of whole rows, person ids included: re-keyed likewise, or a guessed id
    # could be confirmed against them
    **{c: (ALIAS, "print") for c in ROW_PRINTS},
}  # fmt: skip

# Suffixes, checked after COLUMNS and SAFE (first match wins).
SUFFIXES: tuple[tuple[str, tuple[str, str | None]], ...] = (
    ("_person_ids", (PERSON_LIST, None)),
    ("_person_id", (PERSON, None)),
    ("_login", (ALIAS, "github")),
    ("_account", (ALIAS, "jira")),
    ("_email", (ALIAS, "email")),
    ("_name", (NAME, None)),
)

# Known-safe text columns: categories, teams, sides, levels, roles, URLs, content hashes,
# Jira keys. An id column is only here when nothing a person writes can shape it (ids of
# records are in COLUMNS, re-keyed); any other `_id` column stops publication.
SAFE_COLUMNS = frozenset({
    "issue_key", "project_key", "history_id",
    "field_id", "field_name", "repo", "default_repo", "html_url", "url", "text_hash",
    "file_hash", "team", "side", "role", "language", "attribution", "state", "state_reason",
    "status", "priority", "resolution", "review_state", "event", "domain", "source",
    "decision_domain", "week", "mart", "exclusion_rule", "exclusion_reason",
    "marker_field", "marker_value",  # dbt seed critical_markers: rules, no one's name
    "link_print",  # int_threads: md5 of the item ids an item links to (keys, no one's name)
})  # fmt: skip
SAFE_SUFFIXES = (
    "_side", "_team", "_level", "_role", "_kind", "_type", "_status", "_domain", "_source",
    "_system", "_method", "_category", "_language",
)  # fmt: skip


def column_kind(column: str) -> tuple[str, str | None] | None:
    """How a text column is pseudonymised: (kind, alias source) or None when unclassified."""
    name = column.lower()
    if name in COLUMNS:
        return COLUMNS[name]
    if name in SAFE_COLUMNS or name.endswith(SAFE_SUFFIXES):
        return SAFE, None
    for suffix, kind in SUFFIXES:
        if name.endswith(suffix):
            return kind
    return None


def _is_text(data_type: str) -> bool:
    """Types that can hold a name: VARCHAR, JSON, and nested types containing them."""
    upper = data_type.upper()
    return "VARCHAR" in upper or "JSON" in upper or upper in ("TEXT", "STRING", "BLOB")


@dataclass(frozen=True)
class _Column:
    schema: str
    table: str
    name: str
    data_type: str
    kind: str | None = None
    source: str | None = None


def plan_columns(columns: Iterable[tuple[str, str, str, str]]) -> list[_Column]:
    """Classify (schema, table, column, data_type) rows; raise `UnclassifiedColumnError`
    naming every text column that is neither known-safe nor handled (fail closed)."""
    planned, unknown = [], []
    for schema, table, name, data_type in columns:
        if not _is_text(data_type):
            planned.append(_Column(schema, table, name, data_type, SAFE))
            continue
        kind = column_kind(name)
        if kind is None or (data_type.upper() != "VARCHAR" and kind[0] != SAFE):
            unknown.append(f"{schema}.{table}.{name} ({data_type})")
            continue
        planned.append(_Column(schema, table, name, data_type, *kind))
    if unknown:
        raise UnclassifiedColumnError(
            "refusing to publish a pseudonymised snapshot: these text columns are neither "
            "known-safe nor handled, so they could leak names: "
            + ", ".join(unknown)
            + ". Classify them in pipelines/privacy.py (COLUMNS, SUFFIXES or SAFE_COLUMNS)."
        )
    return planned


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _udfs(p: Pseudonymiser) -> dict[str, Callable]:
    return {
        PERSON: p.person,
        PERSON_LIST: p.person_list,
        NAME: p.name,
        ALIAS_ID: p.alias_id,
        JSON_NAMES: p.json_names,
        TEXT: p.text,
        EMBEDDED_IDS: p.embedded_ids,
        RECORD_ID: p.record_id,
    }


def _expression(column: _Column, names: set[str]) -> str:
    col = _quote(column.name)
    if column.kind == SAFE:
        return col
    if column.kind == ALIAS:
        source = column.source or ""
        if source.startswith("col:") and source[4:] in names:
            source_sql = _quote(source[4:])
        else:
            source_sql = "'" + source.removeprefix("col:").replace("'", "''") + "'"
        return f"silo_alias({source_sql}, {col}) as {col}"
    return f"silo_{column.kind}({col}) as {col}"


def pseudonymise_snapshot(path: str | Path, pseudonymiser: Pseudonymiser) -> dict[str, int]:
    """Rewrite the DuckDB file at `path` pseudonymised, in place (via a fresh file, so no
    clear value survives in free pages). See `pseudonymise_copy` for what is done."""
    with replacing(Path(path), suffix=".duckdb") as fresh:
        return pseudonymise_copy(path, fresh, pseudonymiser)


def pseudonymise_copy(
    source: str | Path, target: str | Path, pseudonymiser: Pseudonymiser
) -> dict[str, int]:
    """Write a new DuckDB file at `target` holding `source` pseudonymised: `source` is only
    attached read-only, so no clear value is ever written to `target` (a process killed
    half-way leaves a partial pseudonymised file, never a clear copy). Tables are copied
    column by column through the classification; views are dropped. Returns counts: tables,
    columns rewritten, views dropped. Raises `UnclassifiedColumnError` before writing any
    table on an unknown column."""
    target = Path(target)
    for leftover in (target, Path(f"{target}.wal")):
        leftover.unlink(missing_ok=True)
    with duckdb.connect(str(target)) as con:
        con.execute(f"attach {_sql_string(str(source))} as src (read_only)")
        rows = con.execute(
            """
            select c.table_schema, c.table_name, c.column_name, c.data_type, t.table_type
            from information_schema.columns c
            join information_schema.tables t
              on t.table_catalog = c.table_catalog and t.table_schema = c.table_schema
             and t.table_name = c.table_name
            where c.table_catalog = 'src'
            order by c.table_schema, c.table_name, c.ordinal_position
            """
        ).fetchall()
        views = {(s, t) for s, t, _, _, kind in rows if kind == "VIEW"}
        planned = plan_columns((s, t, c, d) for s, t, c, d, kind in rows if kind != "VIEW")
        for kind, function in _udfs(pseudonymiser).items():
            con.create_function(f"silo_{kind}", function, ["VARCHAR"], "VARCHAR")
        con.create_function(
            "silo_alias",
            lambda source, value: None if value is None else pseudonymiser.alias(source, value),
            ["VARCHAR", "VARCHAR"],
            "VARCHAR",
            null_handling="special",
        )
        tables: dict[tuple[str, str], list[_Column]] = defaultdict(list)
        for column in planned:
            tables[(column.schema, column.table)].append(column)
        for (schema, table), columns in tables.items():
            names = {c.name for c in columns}
            select = ", ".join(_expression(c, names) for c in columns)
            con.execute(f"create schema if not exists {_quote(schema)}")
            con.execute(
                f"create table {_quote(schema)}.{_quote(table)} as select {select} "
                f"from src.{_quote(schema)}.{_quote(table)}"
            )
        con.execute("detach src")
        con.execute("checkpoint")
    return {
        "tables": len(tables),
        "columns_rewritten": sum(c.kind != SAFE for c in planned),
        "views_dropped": len(views),
    }


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
