"""Validate the labelled NLP evaluation set in nlp/eval/{fr,en}.jsonl.

The set is the yardstick the annotator is measured against, so these tests guard its
shape (schema, enums, ids), its internal honesty (labels are exact substrings, non-decisions
carry no decision attributes, a term is labelled wherever it occurs) and its balance
(decision share, statuses, domains, sources, actors, hard negatives). The labelling rules
themselves are written in nlp/eval/README.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from tests.nlp.labelled_sets import DOMAINS, SCHEMA, SOURCES, STATUSES, read_jsonl

EVAL_DIR = Path(__file__).resolve().parents[2] / "nlp" / "eval"
LANGS = ("fr", "en")

KEYS = set(SCHEMA)
LIST_FIELDS = ("actors", "business_terms", "tech_terms")

# Surface strings whose kind depends on context (README, "SLA rule"): business when the
# level is promised to a customer, tech when it is an internal objective of a service.
CONTEXT_DEPENDENT_TERMS = {"sla", "slas"}

# Words that make a non-decision a *hard* negative: it uses decision vocabulary.
DECISION_VOCABULARY = re.compile(
    r"d[ée]cid|d[ée]cision|valid|tranch|arbitr|act[ée]|report|repouss|d[ée]cal|refus|"
    r"choi[sx]|convenu|d'accord|annul|part(?:ir|irait|ons)? sur|go sur|prononc|gel(?:er|é)|"
    r"retenu|decid|approv|agree|sign[- ]?off|postpon|reject|turn(?:ed)? down|settled|call\b|"
    r"go with|greenlit|green light|chose|choice|sign(?:ed)? off|vet(?:o|oed)\b|push(?:ed)? back",
    re.IGNORECASE,
)

# Bounds for the class balance (shares). Wide enough to allow edits, narrow enough to
# catch a set that drifts into "every sentence is a decision" or loses a whole category.
DECISION_SHARE = (0.38, 0.52)
SOURCE_SHARE = {
    "minutes": (0.40, 0.60),
    "ticket": (0.18, 0.32),
    "pr": (0.10, 0.20),
    "comment": (0.06, 0.15),
}
MIN_STATUS_SHARE = {"postponed": 0.10, "rejected": 0.10}  # of decisions
MIN_DOMAIN_SHARE = 0.10  # of decisions, each domain
DECISIONS_WITH_ACTORS = (0.35, 0.65)
MIN_HARD_NEGATIVE_SHARE = 0.25  # of non-decisions


@cache
def load(lang: str) -> tuple[dict, ...]:
    """Parse nlp/eval/<lang>.jsonl, failing with the file, line and reason on bad JSON."""
    return read_jsonl(EVAL_DIR / f"{lang}.jsonl")


def term_pattern(term: str) -> re.Pattern[str]:
    """Whole-word pattern for a term; case-sensitive when the term has inner capitals (API)."""
    case_sensitive = term.isupper() or any(char.isupper() for char in term[1:])
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", flags)


@pytest.fixture(params=LANGS)
def lang(request) -> str:
    return request.param


def test_schema_and_types(lang):
    for record in load(lang):
        where = f"{lang}.jsonl {record.get('id', '?')}"
        assert set(record) == KEYS, f"{where}: keys {sorted(set(record) ^ KEYS)} wrong"
        assert record["lang"] == lang, f"{where}: lang {record['lang']!r} in the {lang} file"
        assert isinstance(record["text"], str) and record["text"], f"{where}: empty text"
        assert isinstance(record["is_decision"], bool), f"{where}: is_decision not a boolean"
        for field in LIST_FIELDS:
            values = record[field]
            assert isinstance(values, list), f"{where}: {field} is not a list"
            assert all(isinstance(v, str) and v and v == v.strip() for v in values), (
                f"{where}: {field} holds an empty, padded or non-string value: {values}"
            )
            assert len(values) == len(set(values)), f"{where}: {field} repeats a value"


def test_text_is_clean_single_line_nfc(lang):
    for record in load(lang):
        text = record["text"]
        where = f"{lang}.jsonl {record['id']}"
        assert text == text.strip() and "\n" not in text, f"{where}: padded or multi-line text"
        assert unicodedata.is_normalized("NFC", text), f"{where}: text is not NFC-normalised"


def test_enums(lang):
    for record in load(lang):
        where = f"{lang}.jsonl {record['id']}"
        assert record["source"] in SOURCES, f"{where}: unknown source {record['source']!r}"
        assert record["status"] is None or record["status"] in STATUSES, (
            f"{where}: unknown status {record['status']!r} (use JSON null, not 'null')"
        )
        assert record["domain"] is None or record["domain"] in DOMAINS, (
            f"{where}: unknown domain {record['domain']!r} (use JSON null, not 'null')"
        )


def test_ids_are_unique_and_well_formed():
    seen: set[str] = set()
    for lang in LANGS:
        for record in load(lang):
            assert re.fullmatch(rf"{lang}-\d{{3,}}", record["id"]), f"bad id {record['id']!r}"
            assert record["id"] not in seen, f"duplicate id {record['id']}"
            seen.add(record["id"])


def test_no_duplicate_texts(lang):
    counts = Counter(record["text"] for record in load(lang))
    repeated = [text for text, count in counts.items() if count > 1]
    assert not repeated, f"{lang}.jsonl: texts appear more than once: {repeated}"


def test_enough_examples(lang):
    assert len(load(lang)) >= 200, f"{lang}.jsonl: only {len(load(lang))} examples, need 200"


def test_decision_attributes_match_is_decision(lang):
    for record in load(lang):
        where = f"{lang}.jsonl {record['id']}"
        if record["is_decision"]:
            assert record["status"] is not None, f"{where}: decision without a status"
            assert record["domain"] is not None, f"{where}: decision without a domain"
        else:
            assert record["status"] is None, f"{where}: non-decision with a status"
            assert record["domain"] is None, f"{where}: non-decision with a domain"
            assert record["actors"] == [], f"{where}: non-decision with actors"


def test_labels_are_exact_substrings(lang):
    for record in load(lang):
        for field in LIST_FIELDS:
            for value in record[field]:
                assert value in record["text"], (
                    f"{lang}.jsonl {record['id']}: {field} value {value!r} is not a substring "
                    f"of the text {record['text']!r}"
                )


def test_a_term_is_business_or_tech_not_both(lang):
    kinds: dict[str, set[str]] = {}
    for record in load(lang):
        overlap = set(record["business_terms"]) & set(record["tech_terms"])
        assert not overlap, f"{lang}.jsonl {record['id']}: both business and tech: {overlap}"
        for kind in ("business_terms", "tech_terms"):
            for term in record[kind]:
                kinds.setdefault(term.casefold(), set()).add(kind)
    mixed = {term for term, seen in kinds.items() if len(seen) > 1}
    assert mixed <= CONTEXT_DEPENDENT_TERMS, (
        f"{lang}.jsonl: labelled business in one example and tech in another: "
        f"{sorted(mixed - CONTEXT_DEPENDENT_TERMS)}"
    )


def test_terms_are_labelled_wherever_they_occur(lang):
    """A surface string labelled as a term once must be labelled at each whole-word occurrence.

    Occurrences inside a longer labelled term ("CI" inside "CI/CD") are covered by it.
    """
    records = load(lang)
    lexicon = {term for r in records for term in r["business_terms"] + r["tech_terms"]}
    patterns = {term: term_pattern(term) for term in lexicon}
    problems = []
    for record in records:
        text = record["text"]
        labelled = record["business_terms"] + record["tech_terms"]
        covered = [m.span() for term in labelled for m in patterns[term].finditer(text)]
        for term, pattern in patterns.items():
            for match in pattern.finditer(text):
                start, end = match.span()
                if not any(a <= start and end <= b for a, b in covered):
                    problems.append(f"{record['id']}: {term!r} occurs but is not labelled")
    assert not problems, f"{lang}.jsonl:\n" + "\n".join(problems)


def test_class_balance(lang):
    records = load(lang)
    decisions = [r for r in records if r["is_decision"]]
    share = len(decisions) / len(records)
    low, high = DECISION_SHARE
    assert low <= share <= high, f"{lang}.jsonl: decision share {share:.2f} not in {low}-{high}"

    sources = Counter(r["source"] for r in records)
    for source, (low, high) in SOURCE_SHARE.items():
        share = sources[source] / len(records)
        assert low <= share <= high, f"{lang}.jsonl: {source} share {share:.2f} not in {low}-{high}"

    statuses = Counter(r["status"] for r in decisions)
    for status, minimum in MIN_STATUS_SHARE.items():
        share = statuses[status] / len(decisions)
        assert share >= minimum, f"{lang}.jsonl: {status} is {share:.2f} of decisions"

    domains = Counter(r["domain"] for r in decisions)
    for domain in DOMAINS:
        share = domains[domain] / len(decisions)
        assert share >= MIN_DOMAIN_SHARE, f"{lang}.jsonl: domain {domain} is {share:.2f}"

    with_actors = sum(1 for r in decisions if r["actors"]) / len(decisions)
    low, high = DECISIONS_WITH_ACTORS
    assert low <= with_actors <= high, (
        f"{lang}.jsonl: {with_actors:.2f} of decisions name an actor, expected {low}-{high}"
    )


def test_many_hard_negatives(lang):
    """Non-decisions must often use decision vocabulary, or a keyword matcher would pass."""
    negatives = [r for r in load(lang) if not r["is_decision"]]
    hard = [r for r in negatives if DECISION_VOCABULARY.search(r["text"])]
    share = len(hard) / len(negatives)
    assert share >= MIN_HARD_NEGATIVE_SHARE, (
        f"{lang}.jsonl: only {share:.2f} of non-decisions use decision vocabulary"
    )


def test_every_term_list_is_used(lang):
    """Guard against a file where a whole label kind was forgotten."""
    records = load(lang)
    for field in LIST_FIELDS:
        used = sum(1 for r in records if r[field])
        assert used >= len(records) // 5, f"{lang}.jsonl: {field} filled in only {used} examples"
