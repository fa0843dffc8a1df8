"""The words minutes use for their parts, in French and English, and what they map to.

All matching is on `text.normalise`d text (lower case, no accents), so `Présents`,
`PRESENTS` and `présents` are the same label.
"""

from __future__ import annotations

import re

from pipelines.sources.notes.text import normalise

MEETING_TYPES = ("comex", "codir", "management", "team", "other")

# Checked in this order: the first type with a keyword in the title or file name wins.
TYPE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "comex": ("comex", "comite executif", "executive committee", "exec committee", "excom",
              "board", "conseil d'administration", "steering committee", "steering council",
              "leadership team", "tsc", "executive meeting", "direction generale"),
    "codir": ("codir", "comite de direction", "management committee", "comite directeur"),
    "management": ("management", "managers", "manager", "staff meeting", "tech leads",
                   "leads", "n-1", "revue mensuelle", "monthly review", "encadrement"),
    "team": ("equipe", "team", "daily", "stand-up", "standup", "stand up", "retro",
             "retrospective", "sprint", "planning", "squad", "demo", "1:1", "one-on-one",
             "atelier", "workshop", "weekly"),
}  # fmt: skip

ATTENDEE_LABELS = ("membres presents", "members present", "presents", "presentes", "present",
                   "participants", "participant", "attendees", "attendance", "attending",
                   "invites", "guests", "observers", "observateurs", "en presence de",
                   "liste de presence", "presence", "in attendance", "who")  # fmt: skip
ABSENT_LABELS = ("absents excuses", "not present", "absent", "absents", "absente", "absentes",
                 "excuses", "excusees", "excuse(e)s", "excuse", "apologies", "regrets",
                 "unable to attend")  # fmt: skip

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
_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<label>"
    + "|".join(re.escape(x) for x in sorted(ATTENDEE_LABELS + ABSENT_LABELS, key=len, reverse=True))
    + r")(?:\((?:e|s|es)\)s?)?\s*(?:\*\*|__)?\s*[:\-\u2013\u2014]\s*(?:\*\*|__)?\s*(?P<rest>.*)$"
)

STOP_WORDS = {
    "fr": set(
        "le la les des du de et est une un pour que qui dans sur pas avec nous sont ce cette "
        "au aux ont ete il elle sera fait faire mais ou donc par plus tres en vous je ils leur "
        "sans sous entre apres avant chez".split()
    ),
    "en": set(
        "the and is are of to in for that with on was we be this it have has not will by "
        "from they were should would can our which an at as you if so do all about been into "
        "than then there what when who how up out next last".split()
    ),
}


def _has_keyword(text: str, keyword: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])", text) is not None


def _dehyphen(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split())


def meeting_type(*texts: str) -> str:
    """The meeting type named by the first text that names one (front matter, title, file)."""
    for text in texts:
        norm = _dehyphen(normalise(text))
        if norm in MEETING_TYPES:
            return norm
        for kind, keywords in TYPE_KEYWORDS.items():
            if any(_has_keyword(norm, _dehyphen(k)) for k in keywords):
                return kind
    return "other"


def attendance_label(text: str) -> tuple[str, str] | None:
    """`Présents : A, B` -> ("present", "A, B"); `Excusés:` -> ("absent", ""); else None."""
    m = _LABEL.match(normalise(text))
    if not m:
        return None
    # Offsets in the normalised text do not map back, so take the rest from the original.
    if ":" in text:
        original = text.split(":", 1)[1]
    else:
        original = re.split(r"[\-\u2013\u2014]", text, maxsplit=1)[1]
    rest = original.strip().strip("*_").strip()
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
    """ "fr" or "en" by counting stop words; a tie (or no words) reads as French."""
    words = re.findall(r"[a-z]+", normalise(text[:200000]))
    fr = sum(1 for w in words if w in STOP_WORDS["fr"])
    en = sum(1 for w in words if w in STOP_WORDS["en"])
    return "en" if en > fr else "fr"
