"""Abstract shape markers of a unit of minutes, for the unit classifier (`nlp.unit_model`).

Each marker is a token (`zz<name>`) saying the unit has a shape minutes use for tasks,
settled plans or non-outcomes, in words that carry from one writer to the next: a name then
`to`/`will` + verb, a bare infinitive or imperative first word, a date or weekday, a period
(`once a week`), `let's`, `no objections`, a deferral, a proposal, a report of something done,
a heading named decisions or actions. Pure regex over the text (no parser, so it costs
nothing on every unit); the classifier learns how much each one weighs. The patterns are
general minute-writing conventions (../shared/LABELLING.md), not any one source's words.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from nlp.resources import LEXICON_DIR, LexiconError
from nlp.text import fold

# A person as minutes name an owner: `@handle`, a capitalised name (one or two words, or two
# names joined by and/et/&), or a pronoun. Matched on the original text (capitals matter).
_NAME = (
    r"(?:@[\w.+-]+|[A-ZÀ-Ý][\w'’.-]*(?:\s+[A-ZÀ-Ý][\w'’.-]*)?"
    r"(?:\s+(?:and|et|&)\s+[A-ZÀ-Ý][\w'’.-]*)?)"
)
# Capitalised words that open a sentence without naming anyone.
_NOT_OWNER = frozenset(
    "the this that these those it there we they he she you our a an all everyone meetings "
    "meeting group sc tsc le la les ce cela il elle on nous ils elles un une tout tous".split()
)
_OWNER_WILL = re.compile(
    rf"(?:^|[.;!,:]\s+|\(\s*|\b(?:and|et|that|que|qu'|then|puis|decided|agreed)\s+)"
    rf"(?P<who>{_NAME}|I|we|We|on|On)\s+"
    r"(?:to|will|would|'ll|’ll|shall|is going to|va|vont|doit|doivent|s'engage à)\s+"
    r"(?:be\s+(?=[a-z]+ing\b)|also\s+|still\s+)?(?!be\b|not\b|need\b)[a-zà-ÿ]{2,}"
)
# `Name <present-tense task verb>`: `Lena envoie les textes`, `@ecd prend rdv` (verbs: tasks.json).
_OWNER_PRESENT = re.compile(rf"(?:^|[.;!]\s+|\(\s*)(?P<who>{_NAME})\s+(?P<verb>[\w'’]+)")
# A task line's prefix: `Action item: ...`, `À faire : ...`, a checkbox `[ ] ...`.
_CHECKBOX = re.compile(r"^\W{0,3}\[[ xX✓✔]?\]")
# `it was decided that Barry will email ...`: a decision about who does it is that person's task.
_DECIDED_WHO = re.compile(
    r"\b(?:decided|agreed|d[ée]cid[ée]|convenu)\s+(?:that\s+|que\s+|qu')?"
    r"[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)?\s+(?:would|will|should|va|doit|devra)\b"
)
# `Name : relancer ...`, `Lena: liste ouvroir`: an owner prefix.
_NAME_COLON = re.compile(
    r"^\s*(?:@[\w.+-]+|[A-ZÀ-Ý][a-zà-ÿ'’-]+(?:\s+[A-ZÀ-Ý][a-zà-ÿ'’.-]*)?)\s?:\s"
)
# French: a unit opening on an infinitive (`Demander à ...`, `Réfléchir sur ...`) is a task.
_FR_INFINITIVE = re.compile(r"^\W*([a-zà-ÿ]{2,}(?:er|ir|re|oir))\b")
_FR_NOT_INFINITIVE = frozenset(
    "notre votre autre entre contre lettre ordre membre nombre titre chambre centre cadre "
    "libre propre premier dernier hier leur sur pour par cher fer mer hiver atelier "
    "calendrier dossier courrier papier fichier chantier quartier metier janvier fevrier "
    "cahier clavier danger foyer loyer poster server cluster meetup hacker docker super "
    "offre livre suivre pere mere frere faire-part genre maitre registre semestre "
    "trimestre septembre octobre novembre decembre theatre filtre peinture voir".split()
)
# Common verbs whose base form opens an English task (`Send the draft`, `Follow up with ...`).
_EN_IMPERATIVE = re.compile(
    r"^\W*(?:add|ask|check|contact|create|draft|email|e-mail|file|find|fix|follow|get|look|"
    r"make|merge|open|ping|post|reach|review|schedule|send|set|share|start|talk|update|write|"
    r"investigate|figure|invite|organi[sz]e|prepare|publish|reply|respond|submit|test|try|"
    r"document|coordinate|confirm|clarify|circulate|collect|remind|move|plan|put|"
    r"request|research|call|clean|close|build|book|arrange|announce|finish|finalize|"
    r"finalise|identify|notify|compile|summari[sz]e|land|release|remove|rename|resolve)\b(?![-'])"
)
_DATE = re.compile(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|janvier|fevrier|mars|avril|mai|juin|juillet|aout|"
    r"septembre|octobre|novembre|decembre|january|february|march|april|june|july|august|"
    r"september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b"
    r"|\b\d{1,2}/\d{1,2}\b|\b\d{1,2}h\d{0,2}\b|\b\d{1,2}(?::\d\d)?\s?(?:am|pm)\b"
)
_PERIODIC = re.compile(
    r"\b(?:once|twice|one time|two times)\s+(?:a|per|every)\s+\w+|\bevery\s+(?:other\s+)?"
    r"(?:day|week|month|year|quarter|monday|tuesday|wednesday|thursday|friday|\d+)"
    r"|\b(?:weekly|biweekly|bi-weekly|monthly|quarterly|yearly|annually|hebdomadaires?|"
    r"mensuel(?:le)?s?|annuel(?:le)?s?|bimensuel(?:le)?s?)\b|\b(?:une|deux) fois par\b"
    r"|\b(?:chaque|tous les|toutes les)\s+(?:jour|semaine|mois|an|annee|lundi|mardi|mercredi"
    r"|jeudi|vendredi|\d+)"
)
_FUTURE = re.compile(
    r"\bwill (?:be|now|also|continue|remain|stay|keep|happen|take place|start)\b|\bgoing forward\b"
    r"|\b(?:sera|seront|aura|auront|fera|feront|[a-z]{3,}(?:era|eront|erons|iront|ira))\b"
)
_LETS = re.compile(
    r"\blet'?s\b(?!\s+(?:discuss|talk|see|think|chat|wait and see)\b)"
    r"|\bon (?:part|va|fait|garde|reste|met)\b"
)
_NO_OBJECTION = re.compile(
    r"\bno (?:further )?objections?\b|\bwithout objections?\b|\bnobody objected\b|"
    r"\b(?:pas|aucune|sans) (?:d')?objections?\b|\bunanim\w*|\bconsensus\b|\b(?:lgtm|\+1)\b"
)
_DEFER = re.compile(
    r"\blater\b|\bnext (?:meeting|week|time|call|month|session)\b|\bplus tard\b|"
    r"\bprochaine?s? (?:reunion|fois|seance|ag|ca|rencontre)\b|\bon attend\b|\bwait\b|"
    r"\bpour le moment\b|\bfor now\b|\bfor the time being\b|\bpour l'instant\b"
)
_PROPOSAL = re.compile(
    r"\b(?:propos\w*|suggest\w*|idea|idee|could|pourrai\w*|maybe|peut-etre|should|"
    r"devrai\w*|might|would|souhait\w*|envisag\w*|consider\w*|possib\w*)\b"
)
_REPORT = re.compile(
    r"\b(?:done|completed|merged|landed|released|published|finished|created|termine\w*|"
    r"fini\w*|cree\w*|signee?s?|a ete|ont ete|has been|have been|was|were|gave an update|"
    r"update on|discussed|presente\w*|explique\w*)\b"
)
_HEAD_DECISION = re.compile(r"\b(?:decisions?|resolutions?|votes?|releve|motions?|adopte\w*)\b")
_HEAD_ACTION = re.compile(
    r"\b(?:actions?|todo|to-do|to do|a faire|taches?|tasks?|next steps?|suite|suivi|"
    r"prochaines etapes|follow[- ]?ups?)\b"
)


@lru_cache(maxsize=4)
def task_words(lang: str) -> dict[str, frozenset[str] | re.Pattern]:
    """The task word lists of `lexicons/<lang>/tasks.json`, folded, and the patterns built
    from them."""
    path = LEXICON_DIR / lang / "tasks.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read task words ({exc})") from exc
    words = {}
    for key, value in data.items():
        if key == "_doc":
            continue
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise LexiconError(f"{path}: {key!r} must be a list of non-empty strings")
        words[key] = frozenset(fold(w) for w in value)

    def alternation(key: str) -> str:
        return "|".join(sorted((re.escape(w) for w in words.get(key, ())), key=len, reverse=True))

    words["charge"] = re.compile(rf"\b(?:{alternation('charge_phrases')})\b")
    words["prefix"] = re.compile(rf"^\W*(?:{alternation('task_prefixes')})\s*[:–—-]")
    words["inline_prefix"] = re.compile(rf"(?:^|[.;(]\s*)(?:{alternation('task_prefixes')})\s*:")
    if words.get("assign_verbs"):
        words["assign"] = re.compile(
            rf"\b(?:{alternation('assign_verbs')})\s+(?:[\w.'-]+\s+){{1,4}}?to\s+[a-z]{{3,}}"
            r"|\bassigned\b.{0,40}\b(?:tasks?|follow-?ups?|action items?)\b"
        )
    return words


def _owner(match: re.Match | None) -> str:
    return match.group("who").split()[0].lower().lstrip("@") if match else ""


def owner_task(text: str) -> bool:
    """A named person (or `@handle`) then `to`/`will`/`va` + verb: `Petr will send out the
    questions`, `Claire va relancer la mairie` (not a pronoun, `we` or the meeting's body)."""
    return any(
        _owner(m) not in _NOT_OWNER and _owner(m) not in {"i", "on"}
        for m in _OWNER_WILL.finditer(text)
    )


def shape_markers(text: str, folded: str, lang: str) -> list[str]:
    """Marker tokens for one unit: `text` as written, `folded` its folded form."""
    marks = []
    if any(_owner(m) not in _NOT_OWNER for m in _OWNER_WILL.finditer(text)):
        marks.append("zzowner_will")
    if owner_task(text):
        marks.append("zzowner_named")
    marks += task_markers(text, folded, lang)
    if decided_task(text):
        marks.append("zzdecided_who")
    if _NAME_COLON.match(text):
        marks.append("zzname_colon")
    first = _FR_INFINITIVE.match(folded)
    if lang == "fr" and first and first.group(1) not in _FR_NOT_INFINITIVE:
        marks.append("zzinfinitive_first")
    if lang == "en" and _EN_IMPERATIVE.match(folded):
        marks.append("zzimperative_first")
    for name, pattern in (
        ("zzdate", _DATE),
        ("zzperiodic", _PERIODIC),
        ("zzfuture", _FUTURE),
        ("zzlets", _LETS),
        ("zzno_objection", _NO_OBJECTION),
        ("zzdefer", _DEFER),
        ("zzproposal", _PROPOSAL),
        ("zzreport", _REPORT),
    ):
        if pattern.search(folded):
            marks.append(name)
    return marks


def task_markers(text: str, folded: str, lang: str) -> list[str]:
    """Task shapes whose words are data (`lexicons/<lang>/tasks.json`): a named owner and a
    present-tense task verb, a person taking a task on, a task prefix or checkbox, a task
    handed to someone (`asked X to ...`)."""
    words = task_words(lang)
    marks = []
    present = _OWNER_PRESENT.search(text)
    if present and _owner(present) not in _NOT_OWNER:
        if fold(present.group("verb")) in words.get("owner_verbs", ()):
            marks.append("zzowner_present")
    if words["charge"].search(folded):
        marks.append("zzcharge")
    if words["prefix"].match(folded) or words["inline_prefix"].search(folded):
        marks.append("zztask_prefix")
    if _CHECKBOX.match(text):
        marks.append("zzcheckbox")
    if "assign" in words and words["assign"].search(folded):
        marks.append("zzassign")
    return marks


def decided_task(text: str) -> bool:
    """`It was decided that Barry will email ...`: a decision that only names who does what,
    a task by the labelling conventions (data/labels/minutes/README.md)."""
    return bool(_DECIDED_WHO.search(text))


def heading_markers(last_heading: str) -> list[str]:
    """`zzhead_decision` / `zzhead_action` when the unit's nearest heading names decisions
    (`Décisions`, `Relevé de décisions`, `Resolutions`) or tasks (`Actions à mener`, `TODO`,
    `Next steps`); `last_heading` folded."""
    marks = []
    if _HEAD_DECISION.search(last_heading):
        marks.append("zzhead_decision")
    if _HEAD_ACTION.search(last_heading):
        marks.append("zzhead_action")
    return marks
