"""Load the data files under `nlp/lexicons/<lang>/` and merge per-workspace additions.

Files per language:
- `business.jsonl`, `tech.jsonl`: one term a line, `{"term": canonical, "variants": [...]}`.
  A variant written in capitals (`CA`, `MRR`) only matches capitals; write the lower-case
  form as another variant when it is safe (`api`). `"cased": true` makes every form of
  the term match only when written with a capital first letter (`React`, not `react`).
- `roles.jsonl`: `{"role": canonical role id, "variants": [...]}` (ids as in the directory).
- `decisions.json`: regular expressions over folded text for status cues, negative cues,
  tentative cues (`proposal`) and what overrides them (`proposal ... rejected`), the words
  that may link a decision cue to the status cue it introduces, and domains (see its `_doc`).
- `actors.json`, `role_words.json`: the word lists of the actor rules and of the role
  titles (`ActorWords`, `RoleWords`; each key explained in the file's `_doc`). The
  `silo_decisions` and `silo_roles` factories take another file of the same shape in their
  config (`actor_words`, `role_words`).
- `bodies.json`: the institution nouns and qualifiers of outside bodies (`BodyWords`).
- `text.json`: function words that tell the language, headings that are not speakers.

Errors name the file and line.
"""

from __future__ import annotations

import hashlib
import json
import re
import re._constants as sre_constants  # the parsed form of a pattern (required_literals)
import re._parser as sre_parse
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache
from pathlib import Path

from nlp.text import fold

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
TERM_KINDS = {"business": "BUSINESS_TERM", "tech": "TECH_TERM"}
STATUSES = ("rejected", "postponed", "taken")  # the order cues are tried in
DOMAINS = ("roadmap", "technical", "budget", "customer", "organisation")


class LexiconError(ValueError):
    """A lexicon file or an extra lexicon is malformed; the message says where."""


@dataclass(frozen=True)
class Term:
    label: str  # BUSINESS_TERM or TECH_TERM
    canonical: str
    variants: tuple[str, ...]  # surface forms, canonical included
    cased: bool = False  # a product name that is also a word (`React`, `Node`): capitals only


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains (`\\brefus(e|ee)?` -> {"refus"},
    `\\b(postpone|defer)\\b` -> {"postpone", "defer"}), or None when the pattern guarantees
    none of at least 2 characters. Read off the parsed pattern: a literal run of the top-level
    sequence, or a group, an alternation or a repeat (at least once) whose every branch has
    one; the candidate whose shortest string is longest wins. Case-insensitive patterns: None."""
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return None
    return _required(parsed.data)


def _required(items) -> frozenset[str] | None:
    best: frozenset[str] | None = None

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        shortest = min(map(len, found)) if found else 0
        if shortest >= 2 and (best is None or shortest > min(map(len, best))):
            best = found

    run: list[str] = []
    for op, arg in items:
        if op is sre_constants.LITERAL:
            run.append(chr(arg))
            continue
        consider(frozenset({"".join(run)}) if run else None)
        run = []
        if op is sre_constants.SUBPATTERN:
            consider(_required(arg[3]))
        elif op is sre_constants.BRANCH:
            branches = [_required(branch) for branch in arg[1]]
            if all(branches):
                consider(frozenset().union(*branches))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and arg[0] >= 1:
            consider(_required(arg[2]))
    consider(frozenset({"".join(run)}) if run else None)
    return best


@dataclass(frozen=True)
class DecisionRules:
    status: dict[str, tuple[re.Pattern, ...]]
    not_decision: tuple[re.Pattern, ...]
    domains: dict[str, tuple[re.Pattern, ...]]
    domain_order: tuple[str, ...]
    # `proposal`, `suggestion`: not a decision, unless a `ruled_on` pattern says the
    # proposal was accepted or turned down (`Proposal to swap the ORM rejected`).
    tentative: tuple[re.Pattern, ...] = ()
    ruled_on: tuple[re.Pattern, ...] = ()
    # The text allowed between a taken cue and a postpone/reject cue it introduces
    # (`decided to postpone`, `Décision : on reporte`), so the latter sets the status.
    cue_link: re.Pattern | None = None

    def has_cue(self, folded: str) -> bool:
        """Whether any status cue matches the folded text: the cheap pre-filter."""
        return any(pattern.search(folded) for _, pattern in self.cue_candidates(folded))

    def cue_candidates(self, folded: str) -> list[tuple[str, re.Pattern]]:
        """(status, pattern) of the cue patterns that can match the folded text, in STATUSES
        order: a pattern is one when the text holds one of the literals each of its matches
        contains (`required_literals`); text with none of them (most text) has none."""
        find_literals, opens, always, patterns = self._cue_index
        chosen = set(always)
        for found in {m.group(1) for m in find_literals.finditer(folded)}:
            chosen |= opens[found]
        return [patterns[i] for i in sorted(chosen)]

    @cached_property
    def _cue_index(self) -> tuple[re.Pattern, dict[str, frozenset[int]], frozenset, list]:
        """A search for every literal at every position (longest first), the patterns each
        literal found lets run (those gated by it or by a literal it contains), the patterns
        without literals (always run; the bundled ones all have some, a test checks) and the
        (status, pattern) list the indices point into, in STATUSES order."""
        patterns = [(status, p) for status in STATUSES for p in self.status[status]]
        gates = [required_literals(p.pattern) or frozenset() for _, p in patterns]
        always = frozenset(i for i, gate in enumerate(gates) if not gate)
        words = sorted({w for gate in gates for w in gate}, key=lambda w: (-len(w), w))
        opens = {
            word: frozenset(i for i, gate in enumerate(gates) if any(v in word for v in gate))
            for word in words
        }
        find = re.compile(f"(?=({longest_word_pattern(words)}))")
        return find, opens, always, patterns


def longest_word_pattern(words: Iterable[str]) -> str:
    """A regex that matches, where it is tried, the longest of `words` found there (none
    given: never matches). Written as a trie (`decid(?:e|er)?`), so the engine follows one
    branch per next character instead of trying every word in turn."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer word first

    return pattern(trie) or "(?!)"


def _read_jsonl(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LexiconError(f"{path}:{number}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise LexiconError(f"{path}:{number}: expected an object, got {type(row).__name__}")
            rows.append(row)
    return rows


def _term(row: dict, label: str, where: str) -> Term:
    canonical = row.get("term")
    variants = row.get("variants", [])
    if not isinstance(canonical, str) or not canonical.strip():
        raise LexiconError(f"{where}: 'term' must be a non-empty string, got {canonical!r}")
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        raise LexiconError(f"{where}: 'variants' must be a list of strings")
    cased = row.get("cased", False)
    if not isinstance(cased, bool):
        raise LexiconError(f"{where}: 'cased' must be true or false, got {cased!r}")
    forms = tuple(dict.fromkeys([canonical, *(v for v in variants if v.strip())]))
    return Term(label, canonical, forms, cased)


def _extra_terms(extra: object, kind: str, lang: str) -> list[Term]:
    """Terms from `extra_lexicons[lang][kind]`: strings or {"term", "variants"} objects."""
    where = f"extra_lexicons[{lang!r}][{kind!r}]"
    if extra is None:
        return []
    if not isinstance(extra, list | tuple):
        raise LexiconError(f"{where}: expected a list, got {type(extra).__name__}")
    terms = []
    for index, item in enumerate(extra):
        row = {"term": item} if isinstance(item, str) else item
        if not isinstance(row, dict):
            raise LexiconError(f"{where}[{index}]: expected a string or an object")
        terms.append(_term(row, TERM_KINDS[kind], f"{where}[{index}]"))
    return terms


def load_terms(lang: str, extra_lexicons: dict | None = None) -> list[Term]:
    """Business and tech terms of `lang`, the bundled ones first, then the workspace's."""
    terms: list[Term] = []
    for kind, label in TERM_KINDS.items():
        path = LEXICON_DIR / lang / f"{kind}.jsonl"
        for number, row in enumerate(_read_jsonl(path), 1):
            terms.append(_term(row, label, f"{path}:{number}"))
        extra = ((extra_lexicons or {}).get(lang) or {}).get(kind)
        terms.extend(_extra_terms(extra, kind, lang))
    return terms


@lru_cache(maxsize=8)
def load_roles(lang: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """((role id, variants), ...) for `lang`."""
    path = LEXICON_DIR / lang / "roles.jsonl"
    roles = []
    for number, row in enumerate(_read_jsonl(path), 1):
        role, variants = row.get("role"), row.get("variants")
        if not isinstance(role, str) or not isinstance(variants, list) or not variants:
            raise LexiconError(f"{path}:{number}: expected 'role' (string) and 'variants' (list)")
        roles.append((role, tuple(variants)))
    return tuple(roles)


@lru_cache(maxsize=8)
def load_decision_rules(lang: str) -> DecisionRules:
    """Compiled decision cues of `lang`."""
    path = LEXICON_DIR / lang / "decisions.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        status = {s: tuple(re.compile(p) for p in data["status"][s]) for s in STATUSES}
        domains = {d: tuple(re.compile(p) for p in data["domains"][d]) for d in DOMAINS}
        negatives = tuple(re.compile(p) for p in data["not_decision"])
        order = tuple(data["domain_order"])
        tentative = tuple(re.compile(p) for p in data.get("tentative", []))
        ruled_on = tuple(re.compile(p) for p in data.get("ruled_on", []))
        cue_link = re.compile(data["cue_link"]) if data.get("cue_link") else None
    except (KeyError, json.JSONDecodeError, re.error) as exc:
        raise LexiconError(f"{path}: invalid decision rules ({exc})") from exc
    if sorted(order) != sorted(DOMAINS):
        raise LexiconError(f"{path}: 'domain_order' must list each of {DOMAINS} once")
    return DecisionRules(status, negatives, domains, order, tentative, ruled_on, cue_link)


@dataclass(frozen=True)
class ActorWords:
    """The word lists of `nlp/components/actors.py` (`lexicons/<lang>/actors.json`)."""

    prepositions: frozenset[str]
    agents: frozenset[str]
    decider_nouns: frozenset[str]
    with_: frozenset[str]
    pronouns: frozenset[str]
    cue_words: frozenset[str]
    clause_verbs: frozenset[str]
    strong_decider_nouns: frozenset[str]
    possessed_decisions: frozenset[str]
    decided_with: frozenset[str]
    speech_verbs: frozenset[str]
    requested: frozenset[str]
    thing_nouns: frozenset[str]
    determiners: frozenset[str]
    articles: frozenset[str]
    titles: frozenset[str]
    name_joiners: frozenset[str]
    name_followers: frozenset[str]
    not_names: frozenset[str]
    qualified_nouns: frozenset[str]
    passive_aux: frozenset[str]
    request_nouns: frozenset[str]
    request_idioms: frozenset[str]
    org_heads: frozenset[str]
    name_prefixes: tuple[str, ...]
    cue_gap_words: frozenset[str]


@dataclass(frozen=True)
class BodyWords:
    """The word lists of `nlp/components/bodies.py` (`lexicons/<lang>/bodies.json`): outside
    bodies that decide (`le conseil municipal`, `the city council`)."""

    outside_heads: frozenset[str]
    body_heads: frozenset[str]
    qualifiers: frozenset[str]
    determiners: frozenset[str]
    complement_preps: frozenset[str]
    own_markers: frozenset[str]


AS_WRITTEN = {"titles", "name_prefixes"}  # compared with the token's text, not folded


@dataclass(frozen=True)
class RoleWords:
    """The word lists of the role-title rules (`lexicons/<lang>/role_words.json`)."""

    determiners: frozenset[str]
    title_heads: dict[str, str]  # head word -> the word that must follow it, or ""
    title_tails: dict[str, str]  # tail word -> role id
    specialty_suffixes: frozenset[str]
    verb_endings: tuple[str, ...]
    acronym_specialties: frozenset[str]


def _read_words(path: Path, kind: type) -> dict:
    """The fields of `kind` from a JSON file of word lists: lists are folded (unless in
    AS_WRITTEN) into frozensets, or tuples where the field says so; mappings keep their values.
    A field name with a trailing `_` (`with_`) is the key without it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read word lists ({exc})") from exc
    values = {}
    for field in fields(kind):
        key = field.name.rstrip("_")
        words = data.get(key)
        if isinstance(words, dict) and all(isinstance(v, str) for v in words.values()):
            values[field.name] = {fold(k): v for k, v in words.items()}
            continue
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise LexiconError(f"{path}: {key!r} must be a list of non-empty strings")
        forms = words if key in AS_WRITTEN else [fold(w) for w in words]
        as_tuple = str(field.type).startswith("tuple")
        values[field.name] = tuple(forms) if as_tuple else frozenset(forms)
    return values


def _words_path(lang: str, name: str, path: str | None) -> Path:
    return Path(path) if path else LEXICON_DIR / lang / name


@lru_cache(maxsize=8)
def load_actor_words(lang: str, path: str | None = None) -> ActorWords:
    """Actor word lists of `lang`, or of the file at `path` (same shape as actors.json)."""
    return ActorWords(**_read_words(_words_path(lang, "actors.json", path), ActorWords))


@lru_cache(maxsize=8)
def load_body_words(lang: str) -> BodyWords:
    """Outside-body word lists of `lang` (bodies.json)."""
    return BodyWords(**_read_words(_words_path(lang, "bodies.json", None), BodyWords))


@lru_cache(maxsize=8)
def load_role_words(lang: str, path: str | None = None) -> RoleWords:
    """Role-title word lists of `lang`, or of the file at `path` (as role_words.json)."""
    return RoleWords(**_read_words(_words_path(lang, "role_words.json", path), RoleWords))


def fingerprint(lang: str, extra_lexicons: dict | None = None) -> str:
    """A short hash of every data file of `lang` and of the extras: part of cache keys."""
    digest = hashlib.sha256()
    for path in sorted((LEXICON_DIR / lang).iterdir()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    extra = (extra_lexicons or {}).get(lang)
    digest.update(json.dumps(extra, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]
