"""The words minutes use for their parts, in French and English, and what they map to.

All matching is on `text.normalise`d text (lower case, no accents), so `Présents`,
`PRESENTS` and `présents` are the same label.
"""

from __future__ import annotations

import re
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

ATTENDEE_LABELS = ("membres presents", "members present", "presents", "presentes", "present",
                   "presente", "in the room", "dans la salle", "autour de la table",
                   "on the call",
                   "participants", "participant", "attendees", "attendance", "attending",
                   "invites", "guests", "observers", "observateurs", "en presence de",
                   "liste de presence", "presence", "in attendance", "who", "invite", "invitee",
                   "invitees", "guest", "assistait", "assistaient", "a assiste", "ont assiste",
                   "dialled in", "dialed in", "on the phone")  # fmt: skip
ABSENT_LABELS = ("absents excuses", "not present", "absent", "absents", "absente", "absentes",
                 "excuses", "excusees", "excuse(e)s", "excuse", "excusee", "apologies", "regrets",
                 "unable to attend", "pas la", "pas presents", "pas presente", "pas present",
                 "ooo", "out of office", "en conges")  # fmt: skip

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
# carry a head count ("Participants (5) :") and end with a colon, a dash, or a verb
# ("Present were A and B"); the verb form needs names after it (see `attendance_label`).
_LABEL_WORDS = "|".join(
    re.escape(x) for x in sorted(ATTENDEE_LABELS + ABSENT_LABELS, key=len, reverse=True)
)
_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?:(?:etaient|etait|sont|est|also|egalement)\s+)?"
    rf"(?P<label>{_LABEL_WORDS})(?:\((?:e|s|es)\)s?)?(?:\s+excuse(?:e|s|es|\(e\)s?)?)?"
    # a guest line: "Assistait également à la réunion :", "Also attending the meeting:"
    r"(?:\s+(?:egalement|aussi|also))?(?:(?:\s+(?:a|to|at))?\s+(?:la\s+|l'|the\s+)?"
    r"(?:reunion|seance|meeting|call))?(?:\s*\(\s*\d+\s*\))?\s*(?:\*\*|__)?"
    r"(?:\s*(?P<sep>[:\-\u2013\u2014])|\s+(?P<verb>were|are|was|is|etaient|etait|sont)\b\s*:?)"
    r"\s*(?:\*\*|__)?\s*(?P<rest>.*)$"
)
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
    out = []
    for ch in text.replace("\u2019", "'").replace("\u00a0", " "):
        low = strip_accents(ch).lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


def looks_like_names(text: str) -> bool:
    """True when every word is capitalised, an initial, a handle or a joiner (`Marie et
    J-B. R.`, `@marie @jb`): what may follow `Present were` without a colon."""
    words = re.findall(r"[^\s,;/&.]+", text)
    return bool(words) and all(
        w[0].isupper() or w[0] == "@" or w.lower() in _NAME_JOINERS for w in words
    )


def attendance_label(text: str) -> tuple[str, str] | None:
    """`Présents : A, B` -> ("present", "A, B"); `Excusés:` -> ("absent", ""); also written
    in a sentence: `Étaient présents : A`, `Present were A and B`; else None."""
    m = _LABEL.match(fold(text))
    if not m:
        return None
    rest = text[m.start("rest") :].strip().strip("*_").strip()
    if m["verb"] and not looks_like_names(rest):
        return None  # "Participants are asked to ..." is prose, not a list
    return ("absent" if m["label"] in ABSENT_LABELS else "present"), rest


def heading_attendance(heading: str) -> str | None:
    """ "present" / "absent" when a heading names an attendance list."""
    norm = normalise(heading).rstrip(":").strip()
    norm = re.sub(r"^[\d.)\s-]+", "", norm)
    if any(_has_keyword(norm, k) for k in _ABSENT_FIRST):
        return "absent"
    if any(_has_keyword(norm, k) for k in _PRESENT_FIRST if k != "who"):
        return "present"
    return None


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
