"""The learned unit classifier: what a unit of minutes is (DECISION / ACTION / NONE), and the
decision row built for a unit it keeps.

The classifier is a spaCy `textcat` (config `nlp/training/config.cfg`, trained by `make
train` from `data/labels/minutes`), shipped as package data in `nlp/models/units/`. It reads
the text `features()` builds: the unit's text folded, the last heading's words as `h_<word>`
tokens, and the current rules' verdict on the unit as marker tokens (`zzrule_taken`...), so
the rules are one of its features, not a second pass.

Status, domain and actors of a kept DECISION come from the rules run on the unit
(`rule_decisions`) when they found one there; else the status is the earliest status cue
(taken when none), the domain the keyword model's, and the decision the meeting's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from nlp.resources import load_decision_rules
from nlp.text import fold
from nlp.unit_markers import decided_task, heading_markers, owner_task, shape_markers

MODEL_DIR = Path(__file__).resolve().parent / "models" / "units"
LABELS = ("DECISION", "ACTION", "NONE")
_WORD = re.compile(r"\w+", re.UNICODE)


# Shapes minutes use for tasks and votes, in both languages (folded text).
_ACTION_SHAPES = (
    ("zzact_colon_inf", re.compile(r"^[\w .@-]{1,30}\s?:\s*\w+(?:er|ir|re)\b")),
    ("zzact_word", re.compile(r"\b(?:action|todo|to do|a faire|taches?|tasks?)\b")),
    ("zzact_mention", re.compile(r"@\w")),
    ("zzact_ill", re.compile(r"\b(?:i'll|we'll|i will|je vais|on va|s'en occupe|takes?)\b")),
)
_VOTE = re.compile(r"\b(?:pour|contre|abstentions?|yes|against|abstain\w*)\s*[:=]?\s*\d+")
_MARK_REPEAT = 2  # marker tokens count twice: abstract evidence over one source's words


def _person_decided(decision: dict) -> bool:
    """A person, role or pronoun decided, not the meeting or an outside body (a body's
    decision is a collective one, the marker the classifier was trained with for it)."""
    return not decision["attributed_to_meeting"] and any(
        a["kind"] != "body" for a in decision["actors"]
    )


def rule_tag(decisions: list[dict], folded: str, lang: str) -> list[str]:
    """Marker tokens of the rules' verdict on one unit, and of the cue words it holds."""
    from nlp.components.decisions import _cues, is_negated

    rules = load_decision_rules(lang)
    if decisions:
        tags = ["zzrule_decision", f"zzrule_{decisions[0]['status']}"]
        tags.append("zzrule_person" if _person_decided(decisions[0]) else "zzrule_meeting")
    else:
        tags = ["zzrule_none"]
    cues = {status for _, _, status in _cues(folded, rules)}
    tags += [f"zzcue_{status}" for status in sorted(cues)]
    if cues and is_negated(folded, rules):
        tags.append("zzcue_negated")
    tags += [name for name, shape in _ACTION_SHAPES if shape.search(folded)]
    if _VOTE.search(folded):
        tags.append("zzvote")
    if "?" in folded:
        tags.append("zzquestion")
    return tags


def features(
    text: str, heading: str | tuple[str, ...] | None, decisions: list[dict], lang: str
) -> str:
    """The classifier's input text for one unit: marker tokens and the heading's words.

    The unit's own words are left out: with them the model learnt each source's vocabulary
    and missed most decisions of a source it had not seen (leave-one-corpus-out DECISION F1
    0.00-0.50, nlp/README.md); the markers carry over between sources and languages."""
    folded = fold(text)
    if isinstance(heading, tuple):
        last = heading[-1] if heading else ""
    else:
        last = (heading or "").split(" > ")[-1]
    head = " ".join(f"h_{w}" for w in _WORD.findall(fold(last))[:8])
    size = len(_WORD.findall(folded))
    length = "zzlen_short" if size <= 4 else "zzlen_mid" if size <= 20 else "zzlen_long"
    marks = [*rule_tag(decisions, folded, lang), length]
    marks += shape_markers(text, folded, lang) + heading_markers(fold(last))
    if ":" in text[:40]:
        marks.append("zzcolon")
    return " ".join([*marks * _MARK_REPEAT, head]).strip()


def rule_decisions(
    texts: list[str], lang: str, context_of: Callable[[int], dict] | None = None
) -> list:
    """The current rules' decisions in each text (only texts with a cue reach the parser;
    `context_of(i)`, the `silo_context` of text i, is asked for those texts only)."""
    from nlp.pipeline import full_pipeline

    rules = load_decision_rules(lang)
    out: list[list[dict]] = [[] for _ in texts]
    todo = [i for i, text in enumerate(texts) if rules.has_cue(fold(text))]
    if not todo:
        return out
    full = full_pipeline(lang)
    docs = []
    for i in todo:
        doc = full.make_doc(texts[i])
        doc._.silo_text = texts[i]
        doc._.silo_context = context_of(i) if context_of else {}
        docs.append((doc, i))
    for doc, i in full.pipe(docs, as_tuples=True, batch_size=64):
        out[i] = doc._.decisions
    return out


def load_model(where: Path):
    """A unit classifier saved at `where` (the shipped one, or one a fold just trained)."""
    import spacy

    if not (Path(where) / "meta.json").exists():
        raise RuntimeError(f"the unit classifier is missing at {where}; run `make train`")
    return spacy.load(where)


@lru_cache(maxsize=1)
def load_classifier():
    """The shipped unit classifier (`nlp/models/units/`), loaded once per process."""
    return load_model(MODEL_DIR)


PRIORS_FILE = "label_priors.json"
PRIOR_POWER = 0.5  # scores divided by prior**0.5: rare labels (DECISION 8 %) are not drowned


def rules_decide(text: str, decisions: list[dict]) -> bool:
    """The rules found a decision the classifier must keep: any they found, except `it was
    decided that Barry will email ...` (Barry's task by the labels' conventions) and a unit
    that also hands a named person a task (`The SC accepted it. Petr will send out ...`),
    left to the model: it weighs the rules' verdict against the task shape."""
    return bool(decisions) and not decided_task(text) and not owner_task(text)


def ruled_out(text: str, lang: str) -> bool:
    """The rules' negative cues rule the unit out as a decision: a question, `no decision
    yet`, `pas de décision`, a proposal or a hedge."""
    from nlp.components.decisions import NO_DECISION, is_negated

    folded = fold(text).strip()
    return bool(NO_DECISION.search(folded)) or is_negated(folded, load_decision_rules(lang))


# Shapes that hand someone a task in so many words (`unit_markers.task_markers`): a unit
# the model calls NONE with one of them, and no question, is an ACTION.
TASK_MARKERS = frozenset(
    "zzowner_named zzowner_present zzcharge zztask_prefix zzcheckbox zzassign".split()
)


def assigned(feature_text: str) -> bool:
    """The unit's features name a task handed to someone, and it asks no question."""
    tokens = set(feature_text.split())
    return bool(tokens & TASK_MARKERS) and "zzquestion" not in tokens


def classify(
    nlp,
    feature_texts: list[str],
    rules_found: list[bool],
    negated: Callable[[int], bool] = lambda i: False,
) -> list[str]:
    """The label of each unit: the classifier's scores divided by the square root of each
    label's share in the training labels (saved with the model), best first. The rules are
    a second opinion: a unit where they found a decision (`rules_decide`) stays a DECISION;
    a learned DECISION the rules rule out (`negated(i)`, asked only then: `ruled_out`) takes
    the best of the other labels; a learned DECISION that only says who will do what (`it
    was decided Ewa would send ...`, marker `zzdecided_who`) is that person's ACTION, as the
    labels' conventions say (data/labels/minutes/README.md); a learned NONE whose features
    hand someone a task in so many words (`assigned`: `X se charge de`, `Action item:`,
    `asked X to`, `Lena envoie ...`), and ask no question, is an ACTION."""
    priors = json.loads((Path(nlp.path) / PRIORS_FILE).read_text(encoding="utf-8"))
    labels = []
    docs = nlp.pipe(feature_texts, batch_size=256)
    for i, (doc, found) in enumerate(zip(docs, rules_found, strict=True)):
        ranked = sorted(
            LABELS, key=lambda label: -doc.cats.get(label, 0.0) / priors[label] ** PRIOR_POWER
        )
        if found:
            labels.append("DECISION")
        elif ranked[0] == "DECISION" and negated(i):
            labels.append(ranked[1])
        elif ranked[0] == "DECISION" and "zzdecided_who" in feature_texts[i].split():
            labels.append("ACTION")
        elif ranked[0] == "NONE" and assigned(feature_texts[i]):
            labels.append("ACTION")
        else:
            labels.append(ranked[0])
    return labels


def unit_decision(text: str, decisions: list[dict], lang: str) -> dict:
    """One decision row for a unit the classifier keeps as DECISION."""
    from nlp.components.decisions import decision_domain, decision_status

    rules = load_decision_rules(lang)
    if decisions:
        first = decisions[0]
        return {
            "sentence": text,
            "status": first["status"],
            "domain": first["domain"],
            "actors": first["actors"],
            "attributed_to_meeting": first["attributed_to_meeting"],
        }
    folded = fold(text)
    found = decision_status(folded, rules)
    return {
        "sentence": text,
        "status": found[0] if found else "taken",
        "domain": decision_domain(folded, rules),
        "actors": [],
        "attributed_to_meeting": True,
    }


def actor_of(decision: dict) -> str:
    """The one actor string the labels compare with: a name, an outside body's words, or
    `meeting`."""
    if decision["attributed_to_meeting"] or not decision["actors"]:
        return "meeting"
    return decision["actors"][0]["text"]
