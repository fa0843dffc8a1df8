"""Identity resolution: which person an alias from a source means, on a given day.

`Resolver(directory).resolve(alias, source, at, context)` returns a `Resolution` with the
person (or None), a confidence in [0, 1], the method used, the candidates and, when not
cleanly resolved, the reason. Matching is case- and accent-insensitive.

| method | when | confidence |
|---|---|---|
| `github_login`, `jira_account`, `email` | a declared alias of that source | 1.0 |
| `declared_name` / `full_name` | a declared name alias / the directory display name | 0.95 |
| `github_handle` | a name written with `@login` (Node.js minutes) | 0.95 |
| `role_mention` | "le CTO", "la DAF", "the CFO": the holder of the role that day | 0.9 |
| `first_name_last_initial` | "Marie D." | 0.85 |
| `initial_surname` / `honorific_surname` | "M. Dupont" / "Mme Martin" | 0.85 |
| `email_local_part` | `marie.dubois@other.example` matching a person's name | 0.8 |
| `surname` / `first_name` | one word naming a single active person | 0.75 / 0.7 |
| `initials` | "MD" computed from display names | 0.6 |
| `...+context` | several candidates, one of them in `context` (e.g. attendees) | -0.05 |
| `jira_display_name` | a Jira name resolved like a minutes name | x 0.9 |

Dates: names, initials and role mentions only consider people active that day (arrived, not
yet left): a departed person is never the answer for a later meeting. An exact account id
(GitHub login, Jira account, e-mail) still points to its owner after they left, at
confidence 0.5 with the reason `left on <date>`, because the account is unambiguous but the
activity is suspicious. Role holders come from the role's validity dates (`to` inclusive;
on a hand-over day the newer holder wins).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pipelines.sources.directory.model import Directory, Person, alias_key
from pipelines.sources.directory.roles import role_lexicon
from pipelines.sources.notes.text import normalise

# names as written repeat from meeting to meeting: each is normalised once per process
_normalised = lru_cache(maxsize=1 << 16)(normalise)

_DETERMINERS = re.compile(
    r"^(?:(?:le|la|les|l'|notre|nos|votre|vos|leur|mon|ma|du|de la|de l'|de|au|a la|a l'|"
    r"the|our|your|their|my|its)\s*)+"
)
_HONORIFICS = {"m", "mme", "mlle", "madame", "monsieur", "mademoiselle", "mr", "mrs", "ms",
               "miss", "dr", "pr"}  # fmt: skip
_PAREN = re.compile(r"\([^)]*\)")
# Upper-case words that are abbreviations, not someone's initials.
_NOT_INITIALS = {"hr", "rh", "it", "si", "qa", "ux", "ui", "pm", "po", "ok", "cr", "odj", "ras",
                 "tbd", "na", "bu", "kpi", "api", "rgpd", "gdpr", "b2b", "b2c", "saas", "crm",
                 "erp", "rfp", "sla", "poc", "mvp", "roi", "all", "tous", "team"}  # fmt: skip
_HANDLE = re.compile(r"@([A-Za-z0-9][\w-]*)")


def role_of(mention: str, lexicon: dict[str, tuple[str, ...]] | None = None) -> str | None:
    """ "la directrice commerciale" -> "sales_director"; None when it names no role."""
    lexicon = lexicon or role_lexicon()
    text = _DETERMINERS.sub("", normalise(mention).strip(" .,:;!?")).strip()
    for role, mentions in lexicon.items():
        if text in mentions:
            return role
    return None


@dataclass(frozen=True)
class Resolution:
    alias: str
    source: str
    at: date | None
    person_id: str | None
    confidence: float
    method: str | None
    candidates: tuple[str, ...] = ()
    reason: str | None = None

    @property
    def status(self) -> str:
        if self.person_id is not None:
            return "resolved"
        return "ambiguous" if len(self.candidates) > 1 else "unresolved"


class Resolver:
    """Resolve aliases against a `Directory`. Build once, call `resolve` many times."""

    def __init__(self, directory: Directory, *, lexicon: dict[str, tuple[str, ...]] | None = None):
        self.directory = directory
        # Roles the directory names but the lexicon does not know are still mentionable by
        # their id read as words ("head_of_sales_ops" -> "head of sales ops").
        self.lexicon = dict(lexicon or role_lexicon())
        for assignment in directory.roles:
            self.lexicon.setdefault(
                assignment.role, (normalise(assignment.role.replace("_", " ")),)
            )
        self._declared: dict[tuple[str, str], str] = {}
        self._full: dict[str, set[str]] = defaultdict(set)
        self._first: dict[str, set[str]] = defaultdict(set)
        self._last: dict[str, set[str]] = defaultdict(set)
        self._initials: dict[str, set[str]] = defaultdict(set)
        self._local: dict[str, set[str]] = defaultdict(set)
        for person in directory.people.values():
            for source, aliases in person.aliases.items():
                for alias in aliases:
                    self._declared[(source, alias_key(alias))] = person.id
            self._index_name(person)

    def _index_name(self, person: Person) -> None:
        name = normalise(_PAREN.sub("", person.name))
        tokens = name.split()
        self._full[name].add(person.id)
        if not tokens:
            return
        self._first[tokens[0]].add(person.id)
        if len(tokens) > 1:
            self._last[tokens[-1]].add(person.id)
            self._last[" ".join(tokens[1:])].add(person.id)
            parts = [p for t in tokens for p in t.split("-") if p]
            self._initials["".join(p[0] for p in parts)].add(person.id)
            self._initials[tokens[0][0] + tokens[-1][0]].add(person.id)
            self._local[f"{tokens[0]}.{tokens[-1]}"].add(person.id)
            self._local[f"{tokens[0][0]}{tokens[-1]}"].add(person.id)
        self._local[normalise(person.id)].add(person.id)

    # -- public ---------------------------------------------------------------------------
    def resolve(
        self,
        alias: str,
        source: str = "name",
        at: date | None = None,
        context: Iterable[str] = (),
    ) -> Resolution:
        """Resolve `alias` written in `source` (github, jira, email, name) on day `at`.

        `context` lists people known to be involved (person ids or names as written, e.g. a
        meeting's attendees); it only breaks ties between several candidates.
        """
        text = (alias or "").strip()
        if not text:
            return Resolution(alias, source, at, None, 0.0, None, (), "empty alias")
        if source == "github":
            return self._exact(alias, source, at, ("github",), "github_login")
        if source == "email":
            found = self._exact(alias, source, at, ("email", "jira"), "email")
            return found if found.person_id else self._email_local(alias, source, at, found)
        if source == "jira":
            found = self._exact(alias, source, at, ("jira", "email"), "jira_account")
            if found.person_id or "@" in text:
                return found if found.person_id else self._email_local(alias, source, at, found)
            named = self._name(alias, at, context)
            return (
                _scaled(named, source, 0.9, "jira_display_name")
                if named.person_id
                else (
                    Resolution(alias, source, at, None, 0.0, None, named.candidates, named.reason)
                )
            )
        if source != "name":
            raise ValueError(f"unknown alias source {source!r}: github, jira, email or name")
        return self._name(alias, at, context)

    def people_in(self, names: Iterable[str], at: date | None = None) -> set[str]:
        """Person ids for a list of ids or names (those that resolve without ambiguity)."""
        out = set()
        for name in names:
            if name in self.directory.people:
                out.add(name)
                continue
            found = self._name(name, at, ())
            if found.person_id:
                out.add(found.person_id)
        return out

    # -- exact aliases ----------------------------------------------------------------------
    def _exact(self, alias, source, at, sources, method) -> Resolution:
        key = alias_key(alias).lstrip("@")
        for src in sources:
            pid = self._declared.get((src, key))
            if pid:
                person = self.directory.people[pid]
                if not person.active_on(at) and person.left and at and at > person.left:
                    return Resolution(alias, source, at, pid, 0.5, method, (pid,),
                                      f"left on {person.left.isoformat()}")  # fmt: skip
                return Resolution(alias, source, at, pid, 1.0, method, (pid,))
        return Resolution(alias, source, at, None, 0.0, None, (), f"unknown {source} alias")

    def _email_local(self, alias, source, at, missing: Resolution) -> Resolution:
        local = normalise(alias).split("@")[0]
        ids = self._active(self._local.get(local, set()), at)
        if len(ids) == 1:
            return Resolution(alias, source, at, ids[0], 0.8, "email_local_part", tuple(ids))
        return missing

    # -- names as written -------------------------------------------------------------------
    def _name(self, alias: str, at: date | None, context: Iterable[str]) -> Resolution:
        handle = _HANDLE.search(alias)
        if handle:
            found = self._exact(handle[1], "name", at, ("github",), "github_handle")
            if found.person_id:
                return Resolution(alias, "name", at, found.person_id, min(0.95, found.confidence),
                                  "github_handle", found.candidates, found.reason)  # fmt: skip
        raw = _HANDLE.sub("", _PAREN.sub("", alias)).strip(" .,:;*_")
        text = _normalised(raw)
        if "@" in text and "." in text:
            return self.resolve(text, "email", at)
        declared = self._declared.get(("name", alias_key(text)))
        if declared:
            exact = self._exact(text, "name", at, ("name",), "declared_name")
            if exact.reason:  # a name, unlike an account, never means someone who has left
                return Resolution(alias, "name", at, None, 0.0, "declared_name",
                                  exact.candidates, exact.reason)  # fmt: skip
            return Resolution(alias, "name", at, exact.person_id, min(0.95, exact.confidence),
                              "declared_name", exact.candidates, exact.reason)  # fmt: skip
        method, ids, confidence = self._name_candidates(raw, text, at)
        if method is None:
            return Resolution(alias, "name", at, None, 0.0, None, (), "no person or role matches")
        if isinstance(ids, str):  # a reason: role without holder
            return Resolution(alias, "name", at, None, 0.0, method, (), ids)
        if not ids:
            return Resolution(alias, "name", at, None, 0.0, method, (), "no person matches")
        active = self._active(ids, at)
        if not active:
            gone = ", ".join(f"{p} left on {self.directory.people[p].left}" for p in sorted(ids)
                             if self.directory.people[p].left)  # fmt: skip
            reason = f"no active person on {at}: {gone}" if gone else f"not active on {at}"
            return Resolution(alias, "name", at, None, 0.0, method, tuple(sorted(ids)), reason)
        if len(active) == 1:
            return Resolution(alias, "name", at, active[0], confidence, method, tuple(active))
        present = self.people_in(context, at) if context else set()
        narrowed = [p for p in active if p in present]
        if len(narrowed) == 1:
            return Resolution(alias, "name", at, narrowed[0], round(confidence - 0.05, 2),
                              f"{method}+context", tuple(active))  # fmt: skip
        return Resolution(alias, "name", at, None, 0.0, method, tuple(active),
                          f"ambiguous: {len(active)} people match")  # fmt: skip

    def _name_candidates(self, raw: str, text: str, at: date | None):
        """(method, candidate ids or a reason string, confidence) for a written name."""
        if text in self._full:
            return "full_name", self._full[text], 0.95
        role = role_of(text, self.lexicon)
        if role:
            holders = self.directory.holders(role, at)
            if not holders:
                return "role_mention", f"no holder of role {role!r} on {at}", 0.0
            return "role_mention", set(holders), 0.9
        tokens = [t.rstrip(".") for t in text.replace(".", ". ").split() if t.rstrip(".")]
        if len(tokens) >= 2:
            first, last = tokens[0], tokens[-1]
            if first in _HONORIFICS and first != "m":
                return "honorific_surname", self._last.get(" ".join(tokens[1:]), set()), 0.85
            if first == "m" and len(tokens) == 2:  # "M. Dupont": Monsieur, or the initial M
                ids = self._last.get(last, set())
                if len(ids) > 1:
                    ids = (ids & self._first_initial("m")) or ids
                return "initial_surname", ids, 0.85
            if len(last) == 1:
                ids = {p for p in self._first.get(first, set()) if p in self._last_initial(last)}
                return "first_name_last_initial", ids, 0.85
            if len(first) == 1:
                ids = self._last.get(" ".join(tokens[1:]), set()) & self._first_initial(first)
                return "initial_surname", ids, 0.85
            ids = self._first.get(first, set()) & self._last.get(last, set())
            return ("first_last_name", ids, 0.9) if ids else (None, set(), 0.0)
        if len(tokens) == 1:
            token = tokens[0]
            compact = re.sub(r"[\s.\-]", "", raw)
            if (
                2 <= len(compact) <= 4
                and compact.isalpha()
                and compact.isupper()
                and (compact.lower() not in _NOT_INITIALS)
            ):
                return "initials", self._initials.get(token, set()) or self._initials.get(
                    compact.lower(), set()), 0.6  # fmt: skip
            if token in self._first:
                return "first_name", self._first[token], 0.7
            if token in self._last:
                return "surname", self._last[token], 0.75
        return None, set(), 0.0

    def _first_initial(self, letter: str) -> set[str]:
        return {p for first, ids in self._first.items() if first.startswith(letter) for p in ids}

    def _last_initial(self, letter: str) -> set[str]:
        """People whose surname (all words after the first, or the last word) starts so."""
        out = set()
        for person in self.directory.people.values():
            words = normalise(person.name).split()
            if len(words) > 1 and (words[1].startswith(letter) or words[-1].startswith(letter)):
                out.add(person.id)
        return out

    def _active(self, ids: Iterable[str], at: date | None) -> list[str]:
        return sorted(p for p in ids if self.directory.people[p].active_on(at))


def _scaled(found: Resolution, source: str, factor: float, method: str) -> Resolution:
    return Resolution(found.alias, source, found.at, found.person_id,
                      round(found.confidence * factor, 2), f"{method}:{found.method}",
                      found.candidates, found.reason)  # fmt: skip
