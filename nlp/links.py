"""Implicit links: the later management or COMEX minutes that discuss an item without citing it.

Leadership minutes rarely write `SUP-412`; they write "the support escalation on Durance's
exports". This module scores every (item, minutes passage) pair whose meeting falls within
`window_days` after the item's creation and keeps, with a score and its evidence, the pairs
whose topics match. Pure Python (no spaCy model, no Dagster): the NLP stage feeds it rows and
lands its result as `nlp/implicit_links` (`pipelines/annotation/links.py`).

Score of an item and a passage (one bullet or paragraph of a minutes section):

- **terms**: the share of the passage's terms (weighted by IDF over the text of the items
  created before the passage, so words all tickets share weigh little) that the item also
  has, a term of the item's body counting `BODY_WEIGHT` of one of its title. A term is a
  folded (lower case, no accents), de-pluralised (`nlp.text.term_key`) word that is not a
  French or English stop word, cut to its first 6 letters so `facture` and `facturation`
  meet; a small glossary of concepts per language (`lexicons/<lang>/links.json`) makes
  `invoice` meet `facture`, `outage` meet `panne`.
- **named entities**: capitalised words (a client, a product, a component: `Durance`,
  `Salesforce`; a sentence's first word only when neither the items nor the minutes write
  it in lower case before the passage). They are not terms: a distinctive name (written by
  at most `rare_name_share` of the items created before the passage) both sides write adds
  `entity_bonus` once, so a client alone, without the topic, stays below the threshold;
  when the passage surely names more things the item does not name than things it does
  (same words, another client), the score is multiplied by `conflict_factor`. The score is
  capped at 1.
- **anchor**: a pair with neither a title term nor a distinctive name (one few items write)
  in common is not scored: body words alone (`passage`, `jours`) say too little.
- **people**: a person involved in the item (its author, people who commented before the
  meeting) named in the passage adds `people_bonus`.
- **window**: the meeting starts after the item was created and at most `window_days` later;
  a passage written before the item existed never links to it.

A passage that cites an item (a key, `owner/repo#N`, a URL) is about that item and links
to nothing implicitly. A passage links to the best-scoring item and to any other scoring at
least `runner_up_ratio` of it, when the score reaches `threshold`; per (item, meeting) the
best passage is kept. Explicit citations win beyond the passage too: a meeting citing the
item gets no implicit link to it, and a level's first arrival is explicit when one exists
(dbt `int_touchpoints`, `fct_information_flow`; README "Implicit links").

**As of the passage.** Every statistic is taken as of the passage's time (an item's own names
as of its creation), once the history holds `min_statistics_items` items (before that, over
every item: IDF over a few hundred items weighs everyday words like rare ones). What was
written later never moves a passage's score, so a daily run rescores only the meetings a
change can reach (`Linker.link(since=...)`), and the items older than their windows enter
only as counts (`History`; `pipelines/annotation/links.py` keeps both across runs).

The default threshold (0.35) was set on the demo organisation's plants, which measure the
rules, not accuracy on real minutes.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from nlp.people import name_forms as people_name_forms
from nlp.references import find_references
from nlp.text import common_words, fold, fold_word, is_acronym, term_key

STEM_LENGTH = 6
BODY_WEIGHT = 0.6  # a term the item has only in its body counts for this much
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9]+(?:[-'’][A-Za-zÀ-ÖØ-öø-ÿ0-9]+)*")
_SENTENCE_END = re.compile(r"[.:;!?—()\[\]]\s*$")
_WORD_RUN = re.compile(r"\w+")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu)['’]", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_LAST = datetime.max  # "after every item": statistics over the whole history


@dataclass(frozen=True)
class LinkSettings:
    """The knobs; `threshold` and `window_days` come from `silo.yml` `links:`."""

    threshold: float = 0.35
    window_days: int = 60
    entity_bonus: float = 0.2
    people_bonus: float = 0.15
    conflict_factor: float = 0.4
    runner_up_ratio: float = 0.85
    min_passage_terms: int = 3
    rare_name_share: float = 0.02  # a name in more items than this share earns no bonus
    # statistics are never taken over fewer items than this (`Linker.stats_time`)
    min_statistics_items: int = 20_000


@dataclass(frozen=True)
class Item:
    """A field item as the linker sees it; `people`: person ids involved (author, commenters)."""

    item_id: str
    created_at: datetime
    title: str
    body: str = ""
    people: tuple[tuple[str, datetime], ...] = ()  # (person id, since when involved)


@dataclass(frozen=True)
class Passage:
    """One bullet or paragraph of a management or COMEX minutes section."""

    document_id: str
    meeting_id: str
    meeting_level: str
    at: datetime
    text: str


@dataclass(frozen=True)
class Link:
    item_id: str
    document_id: str
    meeting_id: str
    meeting_level: str
    linked_at: datetime
    score: float
    term_score: float
    matched_terms: tuple[str, ...]
    shared_entities: tuple[str, ...]
    shared_people: tuple[str, ...]
    passage: str
    days_after: float

    def row(self) -> dict[str, object]:
        return {
            "item_id": self.item_id,
            "document_id": self.document_id,
            "meeting_id": self.meeting_id,
            "meeting_level": self.meeting_level,
            "linked_at": self.linked_at,
            "score": round(self.score, 4),
            "term_score": round(self.term_score, 4),
            "matched_terms": json.dumps(list(self.matched_terms), ensure_ascii=False),
            "shared_entities": json.dumps(list(self.shared_entities), ensure_ascii=False),
            "shared_person_ids": json.dumps(list(self.shared_people)),
            "passage": self.passage,
            "days_after": round(self.days_after, 2),
        }


# -- text to terms and names ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    """stem -> the concept it belongs to (`lexicons/<lang>/links.json`: the same concept key
    in every language, so `invoice` meets `facture`)."""
    out: dict[str, str] = {}
    for path in sorted((Path(__file__).resolve().parent / "lexicons").glob("*/links.json")):
        try:
            concepts = json.loads(path.read_text(encoding="utf-8"))["concepts"]
            for concept, words in concepts.items():
                for word in words:
                    out.setdefault(_stem(word), f"={concept}")
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path}: invalid link concepts ({exc})") from exc
    return out


@lru_cache(maxsize=1 << 16)  # words repeat: each is cut once
def _stem(word: str) -> str:
    return fold(term_key(word))[:STEM_LENGTH]


def _stems(words: Iterable[str]) -> set[str]:
    return {_stem(w) for w in words}


@lru_cache(maxsize=1 << 16)
def _bare(word: str) -> str:
    """`l'export` -> `export`, `Durance's` -> `Durance`."""
    return _POSSESSIVE.sub("", _ELISION.sub("", word))


@dataclass(frozen=True)
class TextWords:
    """A text read in one pass over its words: its terms, its lower-case words, and its
    capitalised name words, split into those inside a sentence (`sure`) and those opening
    one (`opening`; `opening_followed`: those of them a capitalised word follows). An opening
    word is a name only if the corpus never writes it in lower case, which is known once
    every text is read. Stop words, acronyms and numbers are never names."""

    terms: set[str]  # read-only, as the other sets: not copied into frozensets
    lower: set[str]
    sure: set[str]
    opening: set[str]
    opening_followed: set[str]

    def parts(self) -> tuple[list[str], ...]:
        """The five sets as lists, in field order: what a caller stores (`from_parts`)."""
        return (
            list(self.terms),
            list(self.lower),
            list(self.sure),
            list(self.opening),
            list(self.opening_followed),
        )

    @classmethod
    def from_parts(cls, parts: Sequence[Iterable[str]]) -> TextWords:
        """The words `parts` stored (five collections of words, in field order)."""
        terms, lower, sure, opening, followed = parts
        return cls(set(terms), set(lower), set(sure), set(opening), set(followed))

    def entities(
        self, ignore: set[str], common: Container[str], strong_only: bool = False
    ) -> set[str]:
        """See `entities`; `common`: a set, or `_LowerAsOf` (the words known as of a time)."""
        opening = self.opening_followed if strong_only else self.opening
        return (self.sure | {w for w in opening if w not in common}) - ignore


@dataclass(frozen=True)
class _LowerAsOf:
    """The folded words written in lower case up to `at`, read off `first` (word -> the
    earliest time a text wrote it in lower case): what the corpus knew then."""

    first: Mapping[str, datetime]
    at: datetime

    def __contains__(self, word: object) -> bool:
        seen = self.first.get(word)  # type: ignore[call-overload]
        return seen is not None and seen <= self.at


def _learn_lower(first: dict[str, datetime], words: Iterable[str], at: datetime) -> None:
    """Record in `first` that `words` were written in lower case at `at`."""
    for word in words:
        seen = first.get(word)
        if seen is None or at < seen:
            first[word] = at


@lru_cache(maxsize=1 << 18)  # a corpus has far fewer distinct words than words
def _word_info(token: str) -> tuple[str, bool, bool, str | None, bool]:
    """One token as `_text_words` reads it: folded bare word, written with a capital, in
    lower case, its term (None: a stop word, a number, 1-2 letters), a possible name word
    (capitalised, not an acronym, a stop word or a number)."""
    word = _bare(token)
    folded = fold_word(word)
    ordinary = folded not in common_words() and not folded.isdigit()
    term = None
    if len(folded) >= 3 and ordinary:
        stem = _stem(word)
        term = _synonyms().get(stem, stem)
    capital = word[:1].isupper()
    return folded, capital, word[:1].islower(), term, capital and ordinary and not is_acronym(word)


def _text_words(text: str) -> TextWords:
    found_terms, lower, sure, opening, followed = set(), set(), set(), set(), set()
    for line in text.splitlines():
        line = _BULLET.sub("", line)
        first, waiting = True, None  # waiting: an opening name, until the next word is seen
        end = 0  # where the previous word ended: what lies between is all a sentence end needs
        for match in _WORD.finditer(line):
            folded, capital, is_lower, term, name = _word_info(match.group())
            if waiting is not None:
                if capital:
                    followed.add(waiting)
                waiting = None
            if is_lower:
                lower.add(folded)
            if term is not None:
                found_terms.add(term)
            if name:
                if first or _SENTENCE_END.search(line, end, match.start()):
                    opening.add(folded)
                    waiting = folded
                else:
                    sure.add(folded)
            first, end = False, match.end()
    return TextWords(found_terms, lower, sure, opening, followed)


def terms(text: str) -> set[str]:
    """The normalised terms of a text (stop words, numbers and 1-2 letter words dropped)."""
    return _text_words(text).terms


def entities(
    text: str, ignore: Iterable[str] = (), common: Iterable[str] = (), strong_only: bool = False
) -> set[str]:
    """The words of capitalised names (`Durance`, `Salesforce`, `Menuiseries Berthaud` -> both
    words), folded. A capitalised word starting a sentence is a name only when `common` (the
    folded words the corpus also writes in lower case) does not hold it: `Berthaud se plaint`
    names Berthaud, `Bref, ...` names nothing. Such a lone first word is weak evidence (a
    dictionary word the corpus never wrote in lower case: `Risque majeur`); `strong_only`
    leaves it out, keeping it when the next word is capitalised too (`Brasserie Lamotte`).
    `ignore`: folded words that are not names (people's names). Acronyms are terms."""
    return _text_words(text).entities(set(ignore), set(common), strong_only)


def lower_case_words(texts: Iterable[str]) -> set[str]:
    """Folded words written in lower case somewhere in `texts` (ordinary words, not names)."""
    return {word for text in texts for word in _text_words(text).lower}


def passages(section_text: str, min_words: int = 4) -> list[str]:
    """The bullets and paragraphs of a minutes section (its heading line dropped)."""
    lines = section_text.splitlines()[1:]
    return [
        _BULLET.sub("", line).strip()
        for line in lines
        if len(_WORD.findall(line)) >= min_words and not line.lstrip().startswith("#")
    ]


def name_forms(display_name: str, aliases: Iterable[str] = ()) -> set[str]:
    """How minutes name a person, folded (`nlp.people.name_forms`), without the bare first
    name or aliases of two letters or fewer: too ambiguous to be evidence of a link."""
    kept = [alias for alias in aliases if len(alias) > 2]
    return {fold(form) for form in people_name_forms(display_name, kept, first_name=False)}


# -- scoring ----------------------------------------------------------------------------------


@dataclass
class _ItemVector:
    item: Item
    presence: dict[str, float]  # term -> 1.0 in the title, BODY_WEIGHT in the body only
    entities: set[str]


@dataclass(frozen=True)
class History:
    """What the items created before `cut` add to a linker's statistics (`Linker.history_before`):
    with it, a linker built from the later items alone scores every passage from `cut` +
    `window_days` on exactly as one built from every item (their windows hold no earlier
    item; their statistics add these counts)."""

    cut: datetime
    items: int  # items created before `cut`
    horizon: datetime  # `Linker.stats_time`'s: at or before `cut`
    term_items: Mapping[str, int]  # term -> items holding it
    name_items: Mapping[str, int]  # name -> items naming it
    item_lower: Mapping[str, datetime]  # word -> first in lower case in an item, before `cut`


@dataclass
class Linker:
    """Scores passages against items; build once per run with every item (or with the items
    from a `History`'s cut on, and that history).

    Every statistic a passage is scored with is taken **as of the passage's time**: a term's
    IDF and a name's rarity count the items created before it, and a sentence's first word
    is a name when no text before it (items, and minutes once `link` read them) wrote it in
    lower case; an item's own names are judged as of its creation. So a passage's links
    depend only on what existed when it was written, and new data never moves an older
    passage's score: `link(since=...)` rescores only the meetings a change can reach."""

    items: list[Item]
    people_forms: Mapping[str, set[str]] = field(default_factory=dict)  # person -> folded forms
    settings: LinkSettings = field(default_factory=LinkSettings)
    # the items before `history.cut`, as counts; then `items` are those created from it on
    history: History | None = None
    # texts whose words were read before (a previous linker's `words`): not read again
    known_words: Mapping[str, TextWords] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._name_words = {
            w for forms in self.people_forms.values() for f in forms for w in f.split()
        }
        ordered = sorted(self.items, key=lambda item: item.created_at)  # stable on ties
        base = self.history
        if base is not None and ordered and ordered[0].created_at < base.cut:
            raise ValueError(f"item {ordered[0].item_id} is older than the history's cut")
        self._offset = base.items if base else 0  # items before the first of `ordered`
        self._base_terms = base.term_items if base else {}
        self._base_names = base.name_items if base else {}
        # before this, too few items for weights and rarities: they are taken as of it (a
        # history exists only once the items before its cut are enough: its horizon stands)
        enough = self.settings.min_statistics_items
        if base is not None:
            self._horizon = base.horizon
        elif len(ordered) >= enough:
            self._horizon = ordered[enough - 1].created_at
        else:  # never enough: over every item
            self._horizon = _LAST.replace(tzinfo=ordered[0].created_at.tzinfo if ordered else None)
        # each distinct text's words read once (`TextWords`, shared: never modified), unless
        # known; `words` keeps them for a caller (the next run's `known_words`)
        known = self.known_words
        texts = {t for i in ordered for t in (i.title, i.body)}
        self.words = {t: known.get(t) or _text_words(t) for t in texts}
        read = [(self.words[i.title], self.words[i.body]) for i in ordered]
        # word -> when a text first wrote it in lower case: the items' texts (an item's names
        # are judged on them), then with the minutes too (`link`; a passage's names)
        self._item_lower: dict[str, datetime] = dict(base.item_lower) if base else {}
        for item, pair in zip(ordered, read, strict=True):
            for words in pair:
                _learn_lower(self._item_lower, words.lower, item.created_at)
        self._first_lower = dict(self._item_lower)
        self._vectors = []
        for item, (title_words, body_words) in zip(ordered, read, strict=True):
            known = _LowerAsOf(self._item_lower, self.stats_time(item.created_at))
            named = title_words.entities(self._name_words, known) | body_words.entities(
                self._name_words, known
            )
            named_stems = _stems(named)
            title = title_words.terms - named_stems
            body = body_words.terms - named_stems - title
            presence = {t: 1.0 for t in title} | {t: BODY_WEIGHT for t in body}
            self._vectors.append(_ItemVector(item, presence, named))
        self._created = [v.item.created_at for v in self._vectors]  # for `bisect`
        # postings, as positions in creation order: the items holding each term (IDF as of
        # a time is a `bisect`), each title term and each name (who can be anchored: a
        # passage scores only those, `_anchored`)
        self._by_term: dict[str, list[int]] = {}
        self._by_title: dict[str, list[int]] = {}
        self._by_name: dict[str, list[int]] = {}
        for index, vector in enumerate(self._vectors):
            for term, weight in vector.presence.items():
                self._by_term.setdefault(term, []).append(index)
                if weight == 1.0:
                    self._by_title.setdefault(term, []).append(index)
            for name in vector.entities:
                self._by_name.setdefault(name, []).append(index)
        # each form compiled once, filed under its first word: a text asks only the forms
        # whose first word it holds (a whole-word match of a form begins with that word)
        self._forms: dict[str, list[tuple[str, re.Pattern]]] = {}
        for person, forms in self.people_forms.items():
            for form in forms:
                first = _WORD_RUN.match(form)
                key = first.group() if first else ""  # "": a form not opening on a word
                pattern = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)")
                self._forms.setdefault(key, []).append((person, pattern))

    def _people_in(self, text: str) -> set[str]:
        folded = f" {fold(text)} "
        found: set[str] = set()
        for word in {"", *_WORD_RUN.findall(folded)}:
            for person, pattern in self._forms.get(word, ()):
                if person not in found and pattern.search(folded):
                    found.add(person)
        return found

    def stats_time(self, at: datetime) -> datetime:
        """The time the statistics of a passage (or an item's names) at `at` are taken as of:
        `at`, or, while the history holds fewer than `min_statistics_items` items, the time
        it reaches them (every item when it never does): IDF over a few hundred items would
        weigh everyday words like rare ones."""
        return max(at, self._horizon)

    def _before(self, at: datetime) -> int:
        """How many of this linker's items were created before `at` (their positions are
        0 .. this - 1; the history's, if any, come on top)."""
        return bisect.bisect_left(self._created, at)

    def history_before(self, cut: datetime) -> History | None:
        """The counts of the items created before `cut`, for a later linker built from the
        items from `cut` on; None when statistics are not yet per passage there (`cut`
        before `stats_time`'s horizon) or `cut` is before this linker's own history."""
        if self._horizon > cut or (self.history is not None and cut < self.history.cut):
            return None
        before = self._before(cut)

        def counts(base: Mapping[str, int], postings: dict[str, list[int]]) -> dict[str, int]:
            out = dict(base)
            for key, listed in postings.items():
                n = bisect.bisect_left(listed, before)
                if n:
                    out[key] = out.get(key, 0) + n
            return out

        return History(
            cut=cut,
            items=self._offset + before,
            horizon=self._horizon,
            term_items=counts(self._base_terms, self._by_term),
            name_items=counts(self._base_names, self._by_name),
            item_lower={w: at for w, at in self._item_lower.items() if at < cut},
        )

    def distinctive(self, names: Iterable[str], at: datetime) -> set[str]:
        """The names that few items created before `at` write: a name many write
        (`Salesforce`, the `Transports` of several clients) says little about which item a
        passage means, and earns no bonus."""
        before = self._before(at)
        most = max(3, self.settings.rare_name_share * (self._offset + before))
        base = self._base_names
        return {
            name
            for name in names
            if base.get(name, 0) + bisect.bisect_left(self._by_name.get(name, ()), before) <= most
        }

    def weights(self, p_terms: Iterable[str], at: datetime) -> dict[str, float]:
        """A passage's terms with their IDF over the items created before `at` (a term none
        of them has: the rarest weight)."""
        before = self._before(at)
        n = max(self._offset + before, 1)
        base = self._base_terms
        out = {}
        for term in p_terms:
            df = base.get(term, 0) + bisect.bisect_left(self._by_term.get(term, ()), before)
            out[term] = math.log(1 + n / df) if df else math.log(1 + n)
        return out

    def score(
        self,
        vector: _ItemVector,
        passage: Passage,
        p_terms: Mapping[str, float],
        p_names: tuple[set[str], set[str], set[str]],
        p_people: set[str],
        floor: float = 0.0,
        p_total: float | None = None,
    ) -> Link | None:
        """`p_terms`: the passage's terms and their IDF weights (`weights`); `p_names`: the
        passage's names, those of them that are surely names and those that are distinctive
        (`distinctive`); `p_total`: the sum of the weights (computed here when not given:
        `candidates` gives it once per passage). None when the pair is not anchored or
        scores under `floor`."""
        s = self.settings
        p_entities, p_strong, p_distinctive = p_names
        shared = p_terms.keys() & vector.presence.keys()
        shared_entities = vector.entities & p_entities
        distinctive = bool(shared_entities & p_distinctive)
        presence = vector.presence
        # anchored: a word of the item's title, or a name few items write, in common
        if not distinctive and not any(presence[t] == 1.0 for t in shared):
            return None
        # fsum: the same score whatever order the sets give (it varies between processes)
        if p_total is None:
            p_total = math.fsum(p_terms.values())
        term_score = math.fsum(p_terms[t] * presence[t] for t in shared) / p_total
        score = term_score
        score += s.entity_bonus if distinctive else 0.0
        # the most the people can add: a pair under the floor even with it is left here,
        # its people never looked at (most pairs; the conflict factor only lowers a score)
        if min(score + (s.people_bonus if p_people else 0.0), 1.0) < floor:
            return None
        at = passage.at
        shared_people = (
            {pid for pid, since in vector.item.people if pid in p_people and since <= at}
            if p_people
            else set()
        )
        score += s.people_bonus if shared_people else 0.0
        if len(p_strong - vector.entities) > len(shared_entities):
            score *= s.conflict_factor
        score = min(score, 1.0)
        if score < floor:
            return None  # most pairs: no Link built for them
        return Link(
            item_id=vector.item.item_id,
            document_id=passage.document_id,
            meeting_id=passage.meeting_id,
            meeting_level=passage.meeting_level,
            linked_at=passage.at,
            score=score,
            term_score=term_score,
            matched_terms=tuple(sorted(shared, key=lambda t: (-p_terms[t], t))),
            shared_entities=tuple(sorted(shared_entities)),
            shared_people=tuple(sorted(shared_people)),
            passage=passage.text,
            days_after=(passage.at - vector.item.created_at).total_seconds() / 86400,
        )

    def candidates(self, passage: Passage, floor: float = 0.0) -> list[Link]:
        """Every item in the window scored against `passage`, best first; those scoring
        under `floor` left out (0: none)."""
        s = self.settings
        if find_references(passage.text):
            return []  # a passage citing an item is about that item: explicit wins
        read = _text_words(passage.text)
        stats_at = self.stats_time(passage.at)
        known = _LowerAsOf(self._first_lower, stats_at)
        p_entities = read.entities(self._name_words, known)
        p_strong = read.entities(self._name_words, known, strong_only=True)
        p_terms = read.terms - self._name_words - _stems(p_entities)
        if len(p_terms) < s.min_passage_terms:
            return []
        p_people = self._people_in(passage.text)
        p_weights = self.weights(p_terms, stats_at)  # once per passage, not per item
        p_total = math.fsum(p_weights.values())
        p_names = (p_entities, p_strong, self.distinctive(p_entities, stats_at))
        scored = []
        for index in self._anchored(passage, p_terms, p_names[2]):
            vector = self._vectors[index]
            link = self.score(vector, passage, p_weights, p_names, p_people, floor, p_total)
            if link is not None:
                scored.append(link)
        return sorted(scored, key=lambda link: (-link.score, link.item_id))

    def _anchored(self, passage: Passage, p_terms: set[str], p_distinctive: set[str]) -> list[int]:
        """Positions of the items created in the passage's window that share a title term
        or a distinctive name with it: the only ones `score` does not turn down (a year of
        items is not walked for every passage)."""
        low = self._before(passage.at - timedelta(days=self.settings.window_days))
        high = self._before(passage.at)
        found: set[int] = set()
        for postings, keys in ((self._by_title, p_terms), (self._by_name, p_distinctive)):
            for key in keys:
                listed = postings.get(key)
                if listed:
                    found.update(
                        listed[bisect.bisect_left(listed, low) : bisect.bisect_left(listed, high)]
                    )
        return sorted(found)

    def meetings_from(self, passages_: Iterable[Passage], since: datetime) -> set[str]:
        """The meetings a change at `since` can reach: those with a passage whose statistics
        are taken as of `since` or later (`stats_time`)."""
        return {p.meeting_id for p in passages_ if self.stats_time(p.at) >= since}

    def link(self, passages_: Iterable[Passage], since: datetime | None = None) -> list[Link]:
        """The implicit links: per passage the best items over the threshold, then per
        (item, meeting) the best passage. Every passage is read (its lower-case words count
        from its time on); with `since`, only the meetings with a passage at or after it
        are scored: the links of the others cannot have changed (see the class)."""
        s = self.settings
        found = list(passages_)
        for p in found:
            _learn_lower(self._first_lower, _text_words(p.text).lower, p.at)
        if since is not None:
            scored = self.meetings_from(found, since)
            found = [p for p in found if p.meeting_id in scored]
        best: dict[tuple[str, str], Link] = {}
        for passage in found:
            ranked = self.candidates(passage, floor=s.threshold)  # under it: never a link
            if not ranked or ranked[0].score < s.threshold:
                continue
            floor = max(s.threshold, ranked[0].score * s.runner_up_ratio)
            for link in ranked:
                if link.score < floor:
                    break
                key = (link.item_id, link.meeting_id)
                if key not in best or link.score > best[key].score:
                    best[key] = link
        return sorted(best.values(), key=lambda k: (k.item_id, k.linked_at, k.document_id))
