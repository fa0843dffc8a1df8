"""Review the final blind NLP test set in nlp/final/{fr,en}.jsonl.

nlp/final is the set the annotator's reported scores come from; it is never used for tuning
(see nlp/final/README.md). Its labels follow the rules of nlp/eval/README.md. These tests do
what a careful reviewer would do before trusting a number computed on it:

- every line is a JSON object of the documented shape, with the documented enums and ids;
- labels are consistent: exact substrings, nothing decided on a non-decision, a term keeps
  one kind in a file (only "SLA" may switch) and is labelled wherever it occurs;
- the classes are balanced as the set was specified (decisions, sources, statuses, domains,
  kinds of decider, hard negatives);
- no sentence is shared with a set the annotator was tuned on.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from tests.nlp.labelled_sets import SCHEMA, SOURCES, canonical, read_jsonl

ROOT = Path(__file__).resolve().parents[2]
FINAL_DIR = ROOT / "nlp" / "final"
# Every other labelled set: the final set must not repeat a sentence from any of them.
OTHER_SET_DIRS = (
    ROOT / "nlp" / "eval",
    ROOT / "nlp" / "holdout",
    ROOT / "nlp" / "test",
    ROOT / "tests" / "nlp" / "dev",
)
LANGS = ("fr", "en")
MIN_EXAMPLES = 150

STATUSES = {"taken", "postponed", "rejected"}
DOMAINS = {"roadmap", "technical", "budget", "customer", "organisation"}
LABEL_LISTS = ("actors", "business_terms", "tech_terms")
TERM_LISTS = ("business_terms", "tech_terms")
# The SLA rule of nlp/eval/README.md: business when promised to a customer, tech when internal.
KIND_MAY_SWITCH = {"sla", "slas"}

# A role mention starts with a determiner or possessive ("la DAF", "notre DG", "our CFO");
# any other actor string is a person's name or initials ("María José", "A.N.").
ROLE_OPENERS = {"le", "la", "les", "l'", "notre", "nos", "son", "sa", "leur", "the", "our"}
ROLE_OPENERS |= {"their", "his", "her", "my", "your", "votre"}
# Collective bodies and pronouns are never deciders by the rules.
NOT_ACTORS = re.compile(
    r"\b(?:copil|codir|comex|comité|committee|board|équipe|team|on|we|nous)\b", re.IGNORECASE
)
# Decision vocabulary in both languages: a non-decision using it is a hard negative.
DECISION_VOCABULARY = re.compile(
    r"d[ée]cid|d[ée]cision|valid|tranch|arbitr|act[ée]\b|report|repouss|d[ée]cal|refus|"
    r"rejet|choi[sx]|choisi|convenu|on part|go\b|gel[ée]|retenu|approuv|priori|vote|"
    r"decid|approv|agree|sign(?:ed|s)?[- ]off|postpon|defer|reject|turn(?:ed)? down|"
    r"settled|go(?:ing)? with|green ?light|chose|choice|veto|push(?:ed)? (?:back|to)|"
    r"\bcall\b|greenlit|ruled|on hold|won't fix|not planned",
    re.IGNORECASE,
)

# The shares the set was specified with, each as (low, high) bounds.
DECISION_SHARE = (0.40, 0.50)
SOURCE_SHARE = {
    "minutes": (0.44, 0.56),
    "ticket": (0.19, 0.31),
    "pr": (0.10, 0.20),
    "comment": (0.06, 0.14),
}
DECIDER_SHARE = {"person": (0.22, 0.38), "role": (0.12, 0.28), "nobody": (0.42, 0.58)}
MIN_STATUS_SHARE = 0.12  # of decisions, for postponed and for rejected
MIN_DOMAIN_SHARE = 0.10  # of decisions, for each domain
MIN_HARD_NEGATIVE_SHARE = 0.40  # of non-decisions
MIN_TERM_FILL = 0.20  # of examples with at least one term of each kind


@cache
def load(lang: str) -> tuple[dict, ...]:
    """Records of nlp/final/<lang>.jsonl, in file order."""
    return read_jsonl(FINAL_DIR / f"{lang}.jsonl")


def where(row: dict) -> str:
    return f"nlp/final/{row.get('lang')}.jsonl {row.get('id')}"


def term_pattern(term: str) -> re.Pattern[str]:
    """A whole-word pattern; case-blind unless the term carries capitals after its start."""
    case_blind = not (term.isupper() or any(char.isupper() for char in term[1:]))
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE if case_blind else 0)


def decider_kind(row: dict) -> str:
    """'nobody', 'role' (every actor is a role mention) or 'person' (a name is given)."""
    if not row["actors"]:
        return "nobody"
    first_words = [re.split(r"[\s’']", actor.casefold())[0] for actor in row["actors"]]
    openers = {word if word != "l" else "l'" for word in first_words}
    return "role" if openers <= ROLE_OPENERS else "person"


def within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


@pytest.fixture(params=LANGS)
def lang(request) -> str:
    return request.param


def test_records_have_the_documented_shape(lang):
    problems = []
    for row in load(lang):
        if set(row) != set(SCHEMA):
            problems.append(f"{where(row)}: fields {sorted(row)}")
            continue
        problems += [
            f"{where(row)}: {field} should be {kind}"
            for field, kind in SCHEMA.items()
            if not isinstance(row[field], kind)
        ]
        if not re.fullmatch(rf"f{lang}-\d{{3}}", row["id"]):
            problems.append(f"{where(row)}: id is not f{lang}-NNN")
        if row["lang"] != lang:
            problems.append(f"{where(row)}: lang {row['lang']!r} in the {lang} file")
        if row["source"] not in SOURCES:
            problems.append(f"{where(row)}: unknown source {row['source']!r}")
        if row["status"] not in STATUSES | {None}:
            problems.append(f"{where(row)}: unknown status {row['status']!r}")
        if row["domain"] not in DOMAINS | {None}:
            problems.append(f"{where(row)}: unknown domain {row['domain']!r}")
    assert not problems, "\n".join(problems)


def test_texts_are_single_clean_nfc_lines_and_distinct(lang):
    rows = load(lang)
    assert len(rows) >= MIN_EXAMPLES, f"{lang}: {len(rows)} examples, at least {MIN_EXAMPLES}"
    for row in rows:
        text = row["text"]
        assert text and text == text.strip(), f"{where(row)}: empty or padded text"
        assert not re.search(r"[\n\r]", text), f"{where(row)}: text spans several lines"
        assert unicodedata.normalize("NFC", text) == text, f"{where(row)}: text is not NFC"
    repeated = [t for t, n in Counter(canonical(r["text"]) for r in rows).items() if n > 1]
    assert not repeated, f"{lang}: sentences used twice: {repeated}"


def test_ids_are_unique_across_languages():
    ids = Counter(row["id"] for lang in LANGS for row in load(lang))
    assert not [i for i, n in ids.items() if n > 1], f"ids used twice: {ids.most_common(3)}"


def test_labels_are_clean_exact_substrings(lang):
    problems = []
    for row in load(lang):
        for field in LABEL_LISTS:
            values = row[field]
            if len(set(values)) != len(values):
                problems.append(f"{where(row)}: {field} lists a string twice")
            for value in values:
                if not isinstance(value, str) or not value or value != value.strip():
                    problems.append(f"{where(row)}: {field} holds {value!r}")
                elif value not in row["text"]:
                    problems.append(f"{where(row)}: {field} {value!r} not in the text")
                elif field == "actors" and re.search(r"^\W|[^\w.]$", value):
                    problems.append(f"{where(row)}: actor {value!r} is not a minimal span")
    assert not problems, "\n".join(problems)


def test_decision_attributes_only_on_decisions(lang):
    for row in load(lang):
        if row["is_decision"]:
            assert row["status"] and row["domain"], f"{where(row)}: needs status and domain"
        else:
            assert (row["status"], row["domain"]) == (None, None), (
                f"{where(row)}: a non-decision with status or domain"
            )
            assert row["actors"] == [], f"{where(row)}: a non-decision names deciders"


def test_no_collective_body_or_pronoun_as_actor(lang):
    wrong = [
        f"{where(row)}: {actor!r}"
        for row in load(lang)
        for actor in row["actors"]
        if NOT_ACTORS.search(actor)
    ]
    assert not wrong, "collective bodies or pronouns labelled as deciders:\n" + "\n".join(wrong)


def test_a_term_keeps_one_kind(lang):
    kinds: dict[str, set[str]] = {}
    for row in load(lang):
        overlap = set(row["business_terms"]) & set(row["tech_terms"])
        assert not overlap, f"{where(row)}: both business and tech: {overlap}"
        for field in TERM_LISTS:
            for term in row[field]:
                kinds.setdefault(term.casefold(), set()).add(field)
    switching = sorted(t for t, k in kinds.items() if len(k) > 1 and t not in KIND_MAY_SWITCH)
    assert not switching, f"{lang}: terms labelled business here and tech there: {switching}"


def test_a_term_is_labelled_wherever_it_occurs(lang):
    """A string labelled as a term anywhere in the file is labelled at each occurrence,
    unless that occurrence sits inside a longer labelled term."""
    rows = load(lang)
    patterns = {t: term_pattern(t) for row in rows for f in TERM_LISTS for t in row[f]}
    missed = []
    for row in rows:
        labelled = [t for f in TERM_LISTS for t in row[f]]
        covered = [m.span() for t in labelled for m in patterns[t].finditer(row["text"])]
        for term, pattern in patterns.items():
            for match in pattern.finditer(row["text"]):
                start, end = match.span()
                if not any(lo <= start and end <= hi for lo, hi in covered):
                    missed.append(f"{where(row)}: {match.group()!r} (labelled {term!r} elsewhere)")
    assert not missed, "unlabelled term occurrences:\n" + "\n".join(missed)


def test_decisions_and_sources_are_balanced(lang):
    rows = load(lang)
    decisions = sum(row["is_decision"] for row in rows)
    assert within(decisions / len(rows), DECISION_SHARE), (
        f"{lang}: {decisions} decisions of {len(rows)}, expected share {DECISION_SHARE}"
    )
    sources = Counter(row["source"] for row in rows)
    for source, bounds in SOURCE_SHARE.items():
        assert within(sources[source] / len(rows), bounds), (
            f"{lang}: {sources[source]} {source} examples of {len(rows)}, expected {bounds}"
        )


def test_statuses_domains_and_deciders_are_spread(lang):
    decisions = [row for row in load(lang) if row["is_decision"]]
    statuses = Counter(row["status"] for row in decisions)
    assert statuses["taken"] > statuses["postponed"] + statuses["rejected"], statuses
    for status in ("postponed", "rejected"):
        assert statuses[status] / len(decisions) >= MIN_STATUS_SHARE, (
            f"{lang}: {statuses[status]} {status} of {len(decisions)} decisions"
        )
    domains = Counter(row["domain"] for row in decisions)
    for domain in DOMAINS:
        assert domains[domain] / len(decisions) >= MIN_DOMAIN_SHARE, (
            f"{lang}: {domains[domain]} {domain} of {len(decisions)} decisions"
        )
    deciders = Counter(decider_kind(row) for row in decisions)
    for kind, bounds in DECIDER_SHARE.items():
        assert within(deciders[kind] / len(decisions), bounds), (
            f"{lang}: decider {kind} in {deciders[kind]} of {len(decisions)}, expected {bounds}"
        )


def test_many_negatives_use_decision_vocabulary(lang):
    negatives = [row for row in load(lang) if not row["is_decision"]]
    hard = [row for row in negatives if DECISION_VOCABULARY.search(row["text"])]
    assert len(hard) / len(negatives) >= MIN_HARD_NEGATIVE_SHARE, (
        f"{lang}: only {len(hard)} of {len(negatives)} non-decisions use decision words"
    )


def test_both_kinds_of_term_are_labelled(lang):
    rows = load(lang)
    for field in TERM_LISTS:
        filled = sum(1 for row in rows if row[field])
        assert filled / len(rows) >= MIN_TERM_FILL, f"{lang}: {field} in {filled} examples"


def test_no_sentence_comes_from_another_set():
    """Read the other sets only here, at run time, to prove the final set is new text."""
    others = [path for folder in OTHER_SET_DIRS for path in sorted(folder.glob("*.jsonl"))]
    if not others:
        pytest.skip("no other labelled set found under nlp/ or tests/nlp/dev")
    seen = set()
    for path in others:
        for line in path.read_text(encoding="utf-8").splitlines():
            try:  # another set's own format is its own test's business
                text = json.loads(line).get("text")
            except (json.JSONDecodeError, AttributeError):
                continue
            if isinstance(text, str):
                seen.add(canonical(text))
    shared = [row["id"] for lang in LANGS for row in load(lang) if canonical(row["text"]) in seen]
    assert not shared, f"final-set sentences also found in another set: {shared}"
