"""The words minutes use for their parts, in French and English, and what they map to.

All matching is on `text.normalise`d text (lower case, no accents), so `Présents`,
`PRESENTS` and `présents` are the same label.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from pipelines import safeyaml
from pipelines.config import MEETING_TYPES
from pipelines.sources.notes.text import normalise, strip_accents


def _type_keywords() -> dict[str, tuple[str, ...]]:
    """`meeting_types.yml`: type -> its keywords in every language, normalised."""
    data = safeyaml.load((Path(__file__).parent / "meeting_types.yml").read_text("utf-8"))
    return {kind: tuple(normalise(w) for words in data[kind].values() for w in words)
            for kind in ("other", *MEETING_TYPES[:-1])}  # fmt: skip


# Checked in this order: the first type with a keyword in the title or file name wins.
_KEYWORDS = _type_keywords()
OTHER_KEYWORDS = _KEYWORDS.pop("other")  # an all-hands gathers everyone: no decision level
TYPE_KEYWORDS: dict[str, tuple[str, ...]] = _KEYWORDS
# Two functions joined by a slash, `&`, `+`, `-` or `x` ("Product / Sales sync", "Sync produit
# & tech") is a cross-team sync: `other`, unless the title also names a management level
# (`Managers produit & tech`, checked first) or a team ritual (`Point hebdo produit/tech`,
# `Weekly Product/Eng sync`: one team's weekly point, `team`).
_FUNCTIONS = (
    r"(?:product|produit|eng|engineering|tech|dev|design|data|sales|ventes|marketing"
    r"|ops|business|biz|finance|support|rh|hr|legal|juridique|it|si|metier|metiers)"
)
_CROSS_FUNCTION = re.compile(
    rf"(?<![a-z0-9]){_FUNCTIONS}\s*(?:/|&|\+|<>|x|-)\s*{_FUNCTIONS}(?![a-z0-9])"
)
_RITUALS = ("weekly", "hebdo", "hebdomadaire", "daily", "stand up", "standup", "sprint", "retro",
            "retrospective", "planning")  # fmt: skip

# The words of attendance lists, per language, are data: `attendance.json` beside this module.
_ATTENDANCE_WORDS = json.loads(Path(__file__).with_name("attendance.json").read_text("utf-8"))


def attendance_words(kind: str) -> tuple[str, ...]:
    """Every language's words of one kind in `attendance.json` (`present`, `absent`,
    `role_groups`, `not_people`, `list_intros`, `comment_prefixes`), longest first."""
    words = {w for per_language in _ATTENDANCE_WORDS[kind].values() for w in per_language}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


ATTENDEE_LABELS = attendance_words("present")
ABSENT_LABELS = attendance_words("absent")
ROLE_GROUPS = attendance_words("role_groups")
NOT_PEOPLE_LABELS = attendance_words("not_people")
_NOT_PEOPLE_FIRST = {w for w in NOT_PEOPLE_LABELS if " " not in w}

SECTION_KINDS: dict[str, tuple[str, ...]] = {
    "attendance": ATTENDEE_LABELS + ABSENT_LABELS,
    "decisions": ("decisions", "decision", "releve de decisions", "arbitrages", "arbitrage",
                  "resolutions", "decided", "outcomes", "conclusions"),
    "actions": ("actions", "action items", "action", "next steps", "prochaines etapes",
                "a faire", "todo", "to do", "to-do", "plan d'action", "taches", "suivi",
                "follow-up", "follow up", "follow-ups"),
    "agenda": ("ordre du jour", "agenda", "odj", "points a l'ordre du jour", "topics"),
}  # fmt: skip

_ABSENT_FIRST = sorted(ABSENT_LABELS, key=len, reverse=True)
_PRESENT_FIRST = sorted(ATTENDEE_LABELS, key=len, reverse=True)
# A label may open a sentence ("Étaient présents :", "Était excusée :", "Also present:"),
# carry a head count ("Participants (5) :"), sit in emphasis (`*Présents : A*`) and end with a
# colon, a dash, or a verb ("Present were A and B"); the verb form needs names after it.
_LABEL_WORDS = "|".join(
    re.escape(x) for x in sorted(ATTENDEE_LABELS + ABSENT_LABELS, key=len, reverse=True)
)
_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?[*_]{0,2}(?:(?:etaient|etait|sont|est|also|egalement)\s+)?"
    rf"(?P<label>{_LABEL_WORDS})(?:\((?:e|s|es)\)s?)?(?:\s+excuse(?:e|s|es|\(e\)s?)?)?"
    # a guest line: "Assistait également à la réunion :", "Also attending the meeting:"
    r"(?:\s+(?:egalement|aussi|also))?(?:(?:\s+(?:a|to|at))?\s+(?:la\s+|l'|the\s+)?"
    r"(?:reunion|seance|meeting|call))?(?:\s*\(\s*\d+\s*\))?\s*[*_]{0,2}"
    r"(?:\s*(?P<sep>[:\-\u2013\u2014])|\s+(?P<verb>were|are|was|is|etaient|etait|sont)\b\s*:?)"
    r"\s*[*_]{0,2}\s*(?P<rest>.*)$"
)
# Any short "Label : value" line, for role groups ("Council members: A, B", "Autres membres :")
_ANY_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?[*_]{0,2}(?P<label>[^\W\d][^:|]{0,60}?)\s*(?:\(\s*\d+\s*\))?"
    r"\s*[*_]{0,2}\s*:\s*[*_]{0,2}\s*(?P<rest>.*)$"
)
# How far into a line a label and its separator may reach.
_LABEL_SPAN = 240
# Inclusive endings folded before matching a label: "présent·e·s" -> "présents",
# "participant·es" -> "participants", "invité.e" -> "invité".
_INCLUSIVE = re.compile(r"(?<=[^\W\d_])[·•.](?:e[·•.]s|es|e)(?![^\W_])")
# Words around a label that do not make it prose: joiners and the head count.
_LABEL_FILLERS = {"ou", "et", "and", "or", "de", "des", "du", "la", "le", "les", "the", "of",
                  "liste", "list", "also", "egalement", "aussi", "etaient", "etait",
                  "were"}  # fmt: skip
# Words that may sit inside a run of names written in a sentence ("Marie et Paul").
_NAME_JOINERS = {"et", "and", "de", "du", "des", "van", "von", "der", "den", "le", "la", "da",
                 "di", "el", "al", "bin", "ben"}  # fmt: skip

STOP_WORDS = {
    "fr": set(
        "le la les des du de et est une un pour que qui dans sur pas avec nous sont ce cette "
        "au aux ont ete il elle sera fait faire mais ou donc par plus tres en vous je ils leur "
        "sans sous entre apres avant chez on ne se sa son ses nos notre votre mes lors afin "
        "selon aussi deja encore".split()
    ),
    "en": set(
        "the and is are of to in for that with was we be this it have has not will by "
        "from they were should would can our which an at as you if so do all about been into "
        "than then there what when who how up out next last but or its also i he she us".split()
    ),
}
# Words minutes use for their parts, counted like stop words: a short text ("Attendance /
# Present: ... / Topics") may have no stop word at all.
MINUTES_WORDS = {
    "fr": set(
        "reunion compte rendu ordre jour sujets suivi presents absents excuses equipe "
        "prochaine prochaines etapes releve decisions points divers".split()
    ),
    "en": set(
        "attendance attendees topics summary meeting agreed discussed discussion owner "
        "update updates follow items steps review".split()
    ),
}
# Letters French writes and English does not; counted on lower-case words only, so an
# accented name (Hélène, Inès) does not make an English text French.
_FRENCH_LETTERS = re.compile(r"[éèêëàâçùûôîïœ]")


def _has_keyword(text: str, keyword: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])", text) is not None


def _dehyphen(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split())


def _kinds_named(norm: str) -> set[str]:
    """The types with a keyword in `norm` that no longer keyword of another type covers."""
    found = [
        (kind, m.span())
        for kind, keywords in TYPE_KEYWORDS.items()
        for k in keywords
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(_dehyphen(k))}(?![a-z0-9])", norm)
    ]

    def covered(kind: str, a: int, b: int) -> bool:
        return any(o != kind and s[0] <= a and b <= s[1] and s != (a, b) for o, s in found)

    return {kind for kind, (a, b) in found if not covered(kind, a, b)}


def meeting_type(*texts: str) -> str:
    """The meeting type named by the first text that names one (front matter, title, file):
    the first type (in `meeting_types.yml` order) with a keyword not inside a longer keyword
    of another type (`Comité de direction` is codir, not the comex `comité`)."""
    for text in texts:
        norm = _dehyphen(normalise(text))
        if norm in MEETING_TYPES:
            return norm
        if any(_has_keyword(norm, k) for k in OTHER_KEYWORDS):
            return "other"
        named = _kinds_named(norm)
        for kind in TYPE_KEYWORDS:
            if kind == "team" and _CROSS_FUNCTION.search(normalise(text)):
                return "team" if any(_has_keyword(norm, r) for r in _RITUALS) else "other"
            if kind in named:
                return kind
    return "other"


def fold(text: str) -> str:
    """Like `normalise` (lower case, no accents) but one character for one, so offsets in
    the folded text are offsets in the original."""
    return "".join(map(_fold_char, text.replace("\u2019", "'").replace("\u00a0", " ")))


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    low = strip_accents(ch).lower()
    return low if len(low) == 1 else ch


def looks_like_names(text: str) -> bool:
    """True when every word is capitalised, an initial, a handle or a joiner (`Marie et
    J-B. R.`, `@marie @jb`): what may follow `Present were` without a colon."""
    words = re.findall(r"[^\s,;/&.()]+", re.sub(r"\([^)]*\)", " ", text))
    return bool(words) and all(
        w[0].isupper() or w[0] == "@" or w.lower() in _NAME_JOINERS for w in words
    )


def fold_inclusive(text: str) -> str:
    """`Présent·e·s` -> `Présents`, `Participant·es` -> `Participants`, `invité.e` -> `invité`."""

    def plural(m: re.Match) -> str:
        return "s" if m[0].endswith("s") and m.string[m.start() - 1] not in "sS" else ""

    return _INCLUSIVE.sub(plural, text)


def _label_norm(text: str) -> str:
    """A label as compared: folded, inclusive endings folded, no numbering, emphasis, head
    count or final colon (`**1. Membres présent·e·s (8) :**` -> `membres presents`)."""
    norm = normalise(fold_inclusive(text)).replace("*", " ").replace("_", " ")
    norm = re.sub(r"\(\s*\d+\s*\)", " ", norm)
    norm = re.sub(r"^[\d.)\s-]+", "", norm).strip().rstrip(":").strip()
    return " ".join(norm.split())


@lru_cache(maxsize=64)
def _word_patterns(words: tuple[str, ...] | frozenset[str]) -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((w, re.compile(rf"(?<![\w']){re.escape(w)}(?![\w])")) for w in words)


def _found(norm: str, words: tuple[str, ...] | frozenset[str]) -> list[re.Match]:
    """The first whole-word match of each of `words` in `norm`, in the order of `words`."""
    return [m for w, pattern in _word_patterns(words) if w in norm and (m := pattern.search(norm))]


def _label_kind(norm: str, *, roles: bool) -> str | None:
    """ "present" / "absent" when a short label names an attendance list or (with `roles`) a
    group of people: `Membres actifs présents ou représentés`, `Council members`; a label with
    more than two other words is prose (`Avis de la ville, présenté par X`), and a keyword
    followed by `de`/`of` names a thing (`Présence du matériel`)."""
    if not norm or norm.split()[0] in _NOT_PEOPLE_FIRST:
        return None
    absent = _found(norm, ABSENT_LABELS)
    present = [m for m in _found(norm, ATTENDEE_LABELS) if m[0] != "who" or norm == "who"]
    groups = _found(norm, ROLE_GROUPS) if roles else []
    hits = absent + present + groups
    if not hits:
        return None
    rest = norm
    for m in sorted(hits, key=lambda m: -len(m[0])):
        rest = rest.replace(m[0], " ")
    others = [w for w in rest.split() if w not in _LABEL_FILLERS]
    if len(others) > 2:
        return None
    for m in absent + present:
        after = norm[m.end() :].split()
        if after and after[0] in ("du", "de", "des", "d'", "of", "par", "by") and not groups:
            return None
    last = max(m.end() for m in hits)
    if not roles and any(w not in _LABEL_FILLERS for w in norm[last:].split()):
        return None  # a heading qualifying the word ("Invités midi-causerie") names an event
    return "absent" if absent else "present"


def attendance_label(text: str) -> tuple[str, str] | None:
    """`Présents : A, B` -> ("present", "A, B"); `Excusés:` -> ("absent", ""); also written
    in a sentence: `Étaient présents : A`, `Present were A and B`, in emphasis (`*Présents :
    A*`), with inclusive endings (`Excusé·e·s :`), or as a role group followed by names
    (`Council members: A, B`, `Autres membres : C`); else None."""
    head, colon, tail = text.partition(":")
    text = fold_inclusive(head) + colon + tail
    folded = fold(text[:_LABEL_SPAN])  # a label sits at the start: the rest keeps its offsets
    m = _LABEL.match(folded)
    if m:
        rest = text[m.start("rest") :].strip().strip("*_").strip()
        if m["verb"] and not looks_like_names(rest):
            return None  # "Participants are asked to ..." is prose, not a list
        return ("absent" if m["label"] in ABSENT_LABELS else "present"), rest
    m = _ANY_LABEL.match(folded) if colon else None
    if not m:
        return None
    kind = _label_kind(_label_norm(m["label"]), roles=True)
    rest = text[m.start("rest") :].strip().strip("*_").strip()
    if kind is None or (rest and not looks_like_names(rest)):
        return None  # "Membres actifs : 15 (+2)" is a count, not a list
    return kind, rest


def heading_attendance(heading: str) -> str | None:
    """ "present" / "absent" when a heading names an attendance list (`Présences`, `Members
    present`, `Absents excusés`, `Présentation des intervenants`), not when a longer heading
    only contains the word (`Avis de la ville, présenté par X`, `Présence du matériel`)."""
    norm = _label_norm(heading)
    if norm in ROLE_GROUPS and " " in norm:
        return "present"  # "## Council members", not a lone "Members"
    return _label_kind(norm, roles=False)


def not_people_label(text: str) -> bool:
    """True for a `Label: value` line whose value is never a person (`Link:`, `Labels:`,
    `Date:`, `Notes:`)."""
    m = _ANY_LABEL.match(fold(text))
    return bool(m) and _label_norm(m["label"]) in NOT_PEOPLE_LABELS


def section_kind(heading: str) -> str | None:
    """The kind a heading names (attendance, decisions, actions, agenda) or None."""
    norm = re.sub(r"^[\divx.)\s-]+\b", "", normalise(heading).rstrip(":").strip())
    if heading_attendance(heading):
        return "attendance"
    for kind in ("decisions", "actions", "agenda"):
        if any(_has_keyword(norm, k) for k in SECTION_KINDS[kind]):
            return kind
    return None


def language(text: str) -> str:
    """ "fr" or "en": stop words and minutes words of each language, plus half a point for
    French per lower-case word with a French accent; a tie (or no words) reads as French."""
    sample = text[:200000]
    words = re.findall(r"[a-z]+", normalise(sample))
    score = {
        lang: sum(1 for w in words if w in STOP_WORDS[lang] or w in MINUTES_WORDS[lang])
        for lang in ("fr", "en")
    }
    accented = [w for w in re.findall(r"\w+", sample) if w.islower() and _FRENCH_LETTERS.search(w)]
    fr = score["fr"] + 0.5 * len(accented)
    return "en" if score["en"] > fr else "fr"
