"""Reviewer's checks for the final blind NLP test set (`nlp/test/fr.jsonl`, `nlp/test/en.jsonl`).

The set is labelled by hand following `nlp/eval/README.md` (clarified by `nlp/holdout/README.md`).
These tests check what a careful reviewer can check mechanically: the record schema and enums,
ids, sizes, exact-substring labels, no decision attributes on non-decisions, one kind per term,
a term labelled wherever it occurs, the class balance, and that no sentence also appears in the
development or held-out sets (read here, at run time only, for that comparison).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from tests.nlp.labelled_sets import DOMAINS, SCHEMA, SOURCES, STATUSES, canonical, read_jsonl

ROOT = Path(__file__).resolve().parents[2]
TEST_DIR = ROOT / "nlp" / "test"
LANGS = ("fr", "en")
ID_PREFIX = {"fr": "tfr", "en": "ten"}

FIELDS = set(SCHEMA)
LIST_FIELDS = ("actors", "business_terms", "tech_terms")

# The one surface string allowed to be business in one sentence and tech in another (SLA rule).
KIND_SWITCHING_TERMS = {"SLA"}

# Terms the labelling rules name explicitly: wherever one occurs as a whole word it must be
# labelled with this kind (the rules' own examples, not the annotator's lexicons).
RULE_TERMS = {
    "fr": {
        "business": (
            "client|clients|contrat|contrats|budget|remise|devis|facturation|factures|"
            "paiement|pénalités|churn|NPS|chiffre d'affaires|renouvellement|résiliation|"
            "conversion|gros comptes|grands comptes|tarification|geste commercial"
        ).split("|"),
        "tech": (
            "API|migration|déploiement|mise en production|MEP|rollback|hotfix|correctif|"
            "refacto|dette technique|tests|bug|incident|panne|latence|cache|base de données|"
            "monitoring|infra|cloud|microservices|monolithe|webhooks|Postgres|Kafka|"
            "Kubernetes|Terraform|Datadog|Sentry|OVH|Scaleway|back|front|alertes|logs|retry|"
            "timeout|chiffrement"
        ).split("|"),
    },
    "en": {
        "business": (
            "customer|customers|contract|contracts|budget|discount|quote|billing|invoices|"
            "payment|payments|churn|NPS|revenue|renewal|cancellation|conversion|"
            "key accounts|pricing|goodwill gesture|penalty clause"
        ).split("|"),
        "tech": (
            "API|migration|deployment|go-live|rollback|hotfix|patch|refactoring|tech debt|"
            "tests|bug|incident|outage|latency|cache|database|monitoring|alerting|backups|"
            "encryption|infra|cloud|microservices|webhooks|Postgres|Kafka|Kubernetes|"
            "Terraform|Datadog|Sentry|AWS|frontend|backend|retry|timeout"
        ).split("|"),
    },
}

# Words that make a sentence *look* like a decision; used to count the hard negatives.
DECISION_WORDS = {
    "fr": re.compile(
        r"d[ée]cid|d[ée]cision|valid|act[ée]|arbitr|tranch|on part sur|\bgo\b|retenu|report"
        r"|refus|rejet|abandonn|approuv|sign|gel[ée]|d[ée]cal|accord|convenu|prior|choi",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"decid|decision|approv|agree|sign(?:ed)? off|go with|going with|reject|declin|defer"
        r"|postpon|veto|priorit|\bcall\b|settle|pick|chose|won't fix|not planned|\bdrop|kill"
        r"|on hold|off the table|go-ahead|arbitrat|sign",
        re.IGNORECASE,
    ),
}

# An actor string naming a role rather than a person (for the actor-kind balance).
ROLE_WORDS = re.compile(
    r"\b(?:CEO|CTO|CFO|COO|DG|DAF|DSI|DRH|PO|VP|lead|head|responsable|manager|director"
    r"|directeur|directrice)\b",
    re.IGNORECASE,
)
# Collective bodies and pronouns are never actors.
NOT_ACTORS = re.compile(
    r"^(?:on|we|nous|le COMEX|le CODIR|COMEX|CODIR|leadership|the board|product|produit)$"
    r"|\b(?:équipe|team|comité|committee|squad)\b",
    re.IGNORECASE,
)

OTHER_SETS = (
    ROOT / "nlp" / "eval",
    ROOT / "nlp" / "holdout",
    ROOT / "tests" / "nlp" / "dev",
)


def load(lang: str) -> tuple[dict, ...]:
    """Parse one file; fail naming the file and line for anything that is not a JSON object."""
    path = TEST_DIR / f"{lang}.jsonl"
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n"), (
        f"{path}: must end with exactly one newline"
    )
    return read_jsonl(path)


class _Sets(dict):
    """Both files, each parsed once, on first use (a broken file fails only its own tests)."""

    def __missing__(self, lang: str) -> list[dict]:
        self[lang] = load(lang)
        return self[lang]


@pytest.fixture(scope="module")
def sets() -> dict[str, list[dict]]:
    return _Sets()


def whole_word(term: str) -> re.Pattern:
    """Whole-word matcher: acronyms (all upper case) are case-sensitive, other words not."""
    flags = 0 if term.isupper() else re.IGNORECASE
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", flags)


@pytest.mark.parametrize("lang", LANGS)
def test_schema_and_enums(sets, lang):
    for record in sets[lang]:
        rid = record.get("id", "?")
        assert set(record) == FIELDS, f"{lang}/{rid}: fields {sorted(set(record) ^ FIELDS)} differ"
        assert re.fullmatch(rf"{ID_PREFIX[lang]}-\d{{3}}", rid), f"{lang}/{rid}: bad id"
        assert record["lang"] == lang, f"{rid}: lang {record['lang']!r} in {lang}.jsonl"
        assert record["source"] in SOURCES, f"{rid}: source {record['source']!r}"
        text = record["text"]
        assert isinstance(text, str) and text.strip() == text and text, f"{rid}: text"
        assert "\n" not in text, f"{rid}: text spans several lines"
        assert unicodedata.is_normalized("NFC", text), f"{rid}: text is not NFC"
        assert isinstance(record["is_decision"], bool), f"{rid}: is_decision not a boolean"
        for field in LIST_FIELDS:
            values = record[field]
            assert isinstance(values, list), f"{rid}: {field} is not a list"
            assert all(isinstance(v, str) and v and v.strip() == v for v in values), (
                f"{rid}: {field} has an empty or padded string"
            )
            assert len(values) == len(set(values)), f"{rid}: {field} lists a string twice"


@pytest.mark.parametrize("lang", LANGS)
def test_decision_attributes(sets, lang):
    for record in sets[lang]:
        rid = record["id"]
        if record["is_decision"]:
            assert record["status"] in STATUSES, f"{rid}: status {record['status']!r}"
            assert record["domain"] in DOMAINS, f"{rid}: domain {record['domain']!r}"
        else:
            assert record["status"] is None, f"{rid}: non-decision with a status"
            assert record["domain"] is None, f"{rid}: non-decision with a domain"
            assert record["actors"] == [], f"{rid}: non-decision with actors"


def test_ids_unique_and_sizes(sets):
    ids = [r["id"] for lang in LANGS for r in sets[lang]]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for lang in LANGS:
        texts = Counter(canonical(r["text"]) for r in sets[lang])
        assert all(n == 1 for n in texts.values()), f"{lang}: the same sentence twice"
        assert len(texts) >= 150, f"{lang}: only {len(texts)} distinct examples (need 150)"


@pytest.mark.parametrize("lang", LANGS)
def test_labels_are_exact_substrings(sets, lang):
    for record in sets[lang]:
        for field in LIST_FIELDS:
            for value in record[field]:
                assert value in record["text"], (
                    f"{record['id']}: {field} {value!r} is not a substring of the text"
                )


@pytest.mark.parametrize("lang", LANGS)
def test_actors_are_people_or_roles(sets, lang):
    for record in sets[lang]:
        for actor in record["actors"]:
            assert not NOT_ACTORS.search(actor), (
                f"{record['id']}: actor {actor!r} is a collective body or a pronoun"
            )
            assert actor[-1] not in " ,;:!?()", (
                f"{record['id']}: actor {actor!r} has trailing punctuation"
            )
            if actor.endswith("."):  # only initials or an abbreviated surname end with a dot
                assert re.search(r"(?:^|\s)(?:[A-Z]\.)+$", actor), (
                    f"{record['id']}: actor {actor!r} ends with a dot but is not initials"
                )


@pytest.mark.parametrize("lang", LANGS)
def test_one_kind_per_term(sets, lang):
    business = {t for r in sets[lang] for t in r["business_terms"]}
    tech = {t for r in sets[lang] for t in r["tech_terms"]}
    both = (business & tech) - KIND_SWITCHING_TERMS
    assert not both, f"{lang}: labelled both business and tech: {sorted(both)}"


def unlabelled_occurrences(record: dict, term: str, kind_field: str) -> list[str]:
    """Whole-word occurrences of `term` not labelled (nor covered by a longer labelled term)."""
    text = record["text"]
    labelled = record["business_terms"] + record["tech_terms"]
    covered = [
        (m.start(), m.end())
        for label in labelled
        for m in whole_word(label).finditer(text)
        if label in record[kind_field] or len(label) > len(term)
    ]
    missing = []
    for match in whole_word(term).finditer(text):
        surface = match.group(0)
        inside = any(
            s <= match.start() and match.end() <= e and (e - s) > len(surface) for s, e in covered
        )
        if surface not in record[kind_field] and not inside:
            missing.append(surface)
    return missing


@pytest.mark.parametrize("lang", LANGS)
def test_term_labelled_at_every_occurrence(sets, lang):
    problems = []
    for kind_field in ("business_terms", "tech_terms"):
        terms = {t for r in sets[lang] for t in r[kind_field]} - KIND_SWITCHING_TERMS
        for record in sets[lang]:
            for term in sorted(terms):
                for surface in unlabelled_occurrences(record, term, kind_field):
                    problems.append(f"{record['id']}: {surface!r} not in {kind_field}")
    assert not problems, "\n".join(sorted(set(problems)))


@pytest.mark.parametrize("lang", LANGS)
def test_terms_named_by_the_rules_are_labelled(sets, lang):
    problems = []
    for kind, terms in RULE_TERMS[lang].items():
        field = f"{kind}_terms"
        for record in sets[lang]:
            for term in terms:
                for surface in unlabelled_occurrences(record, term, field):
                    problems.append(f"{record['id']}: {surface!r} should be in {field}")
    assert not problems, "\n".join(sorted(set(problems)))


@pytest.mark.parametrize("lang", LANGS)
def test_class_balance(sets, lang):
    records = sets[lang]
    decisions = [r for r in records if r["is_decision"]]
    others = [r for r in records if not r["is_decision"]]
    share = len(decisions) / len(records)
    assert 0.38 <= share <= 0.52, f"{lang}: decision share {share:.0%} outside 38–52 %"

    statuses = Counter(r["status"] for r in decisions)
    domains = Counter(r["domain"] for r in decisions)
    assert all(statuses[s] >= 0.12 * len(decisions) for s in STATUSES), f"{lang}: {statuses}"
    assert all(domains[d] >= 0.08 * len(decisions) for d in DOMAINS), f"{lang}: {domains}"

    sources = Counter(r["source"] for r in records)
    for source, target in {"minutes": 0.50, "ticket": 0.25, "pr": 0.15, "comment": 0.10}.items():
        observed = sources[source] / len(records)
        assert abs(observed - target) <= 0.06, (
            f"{lang}: {source} {observed:.0%} of examples, want about {target:.0%}"
        )

    nobody = sum(1 for r in decisions if not r["actors"])
    with_role = sum(1 for r in decisions if any(ROLE_WORDS.search(a) for a in r["actors"]))
    with_person = sum(1 for r in decisions if any(not ROLE_WORDS.search(a) for a in r["actors"]))
    assert 0.40 <= nobody / len(decisions) <= 0.60, f"{lang}: {nobody} decisions without actor"
    assert with_person >= 0.22 * len(decisions), f"{lang}: only {with_person} with a person"
    assert with_role >= 0.14 * len(decisions), f"{lang}: only {with_role} with a role"

    hard = sum(1 for r in others if DECISION_WORDS[lang].search(r["text"]))
    assert hard >= len(others) / 3, f"{lang}: only {hard} of {len(others)} hard negatives"


def test_no_sentence_shared_with_other_sets(sets):
    """The test set must be a fresh sample: no sentence from the dev or held-out sets."""
    other_files = [p for folder in OTHER_SETS if folder.is_dir() for p in folder.glob("*.jsonl")]
    if not other_files:
        pytest.skip("no development or held-out set found to compare with")
    seen = set()
    for path in other_files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.add(canonical(json.loads(line)["text"]))
    shared = [r["id"] for lang in LANGS for r in sets[lang] if canonical(r["text"]) in seen]
    # Only our ids are reported, so that a failure never shows another set's sentences.
    assert not shared, f"sentences also present in another set: {shared}"
