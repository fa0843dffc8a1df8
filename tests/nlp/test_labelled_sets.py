"""Review the labelled NLP sets in data/labels/synthetic/<set>/{fr,en}.jsonl.

Every set (`eval`, `holdout`, `test`, `final`, `final2`; see data/labels/README.md) follows
the labelling rules of data/labels/synthetic/eval/README.md. These tests do what a careful
reviewer would do before trusting a number computed on a set:

- every line is a JSON object of the documented shape, enums and ids (`SetSpec.id_pattern`);
- labels are consistent: exact substrings, minimal actor spans, nothing decided on a
  non-decision, no collective body or pronoun as decider, a term keeps one kind in a file
  (only SLA may switch) and is labelled at every whole-word occurrence;
- the classes follow the specification each set was written to (`SPECS`: decision share,
  sources, statuses, domains, deciders, hard negatives, term fill);
- no sentence is shared by two sets (the other sets are read only here, at run time).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from pathlib import Path

import pytest

from tests.nlp.labelled_sets import DOMAINS, SCHEMA, SOURCES, STATUSES, canonical, read_jsonl

LABELS_DIR = Path(__file__).resolve().parents[2] / "data" / "labels" / "synthetic"
LANGS = ("fr", "en")
TERM_FIELDS = ("business_terms", "tech_terms")
LIST_FIELDS = ("actors", *TERM_FIELDS)
Bounds = tuple[float, float]


def around(target: float, tolerance: float) -> Bounds:
    return (target - tolerance, target + tolerance)


# A role mention opens with a determiner or possessive; anything else is a name or initials.
ROLE_OPENERS = {"le", "la", "les", "l'", "notre", "nos", "votre", "son", "sa", "leur"}
ROLE_OPENERS |= {"the", "our", "their", "his", "her", "my", "your"}
# An actor string naming a role rather than a person (the `test` set's decider balance).
ROLE_WORDS = re.compile(
    r"\b(?:CEO|CTO|CFO|COO|DG|DAF|DSI|DRH|PO|VP|lead|head|responsable|manager|director"
    r"|directeur|directrice)\b",
    re.IGNORECASE,
)
# Collective bodies and pronouns are never deciders (each set's reviewer wrote the list).
COLLECTIVE_ACTORS = (
    re.compile(
        r"^(?:on|we|nous|le COMEX|le CODIR|COMEX|CODIR|leadership|the board|product|produit)$"
        r"|\b(?:équipe|team|comité|committee|squad)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:copil|codir|comex|comité|committee|board|équipe|team|on|we|nous)\b", re.IGNORECASE
    ),
    re.compile(
        r"\b(?:on|nous|we|équipe|team|comité|committee|board|copil|codir|comex|group|groupe)\b",
        re.IGNORECASE,
    ),
)
# "CR COPIL :", "Point infra —", "Weekly produit |", "PR #77 :", "ORG-7 :" before the content.
HEADING = re.compile(r"^[^:—|]{2,45}?\s?[:—|–]\s")

# Words that make a non-decision a *hard* negative: it uses decision vocabulary.
EVAL_DECISION_WORDS = re.compile(
    r"d[ée]cid|d[ée]cision|valid|tranch|arbitr|act[ée]|report|repouss|d[ée]cal|refus|"
    r"choi[sx]|convenu|d'accord|annul|part(?:ir|irait|ons)? sur|go sur|prononc|gel(?:er|é)|"
    r"retenu|decid|approv|agree|sign[- ]?off|postpon|reject|turn(?:ed)? down|settled|call\b|"
    r"go with|greenlit|green light|chose|choice|sign(?:ed)? off|vet(?:o|oed)\b|push(?:ed)? back",
    re.IGNORECASE,
)
HOLDOUT_DECISION_WORDS = re.compile(
    r"d[ée]cid|d[ée]cision|valid|tranch|arbitr|act[ée]\b|report|repouss|d[ée]cal|refus|"
    r"choi[sx]|convenu|d'accord|on part|go sur|gel[ée]|retenu|approuv|"
    r"decid|approv|agree|sign(?:ed)?[- ]?off|postpon|reject|turn(?:ed)? down|settled|"
    r"go(?:ing)? with|green ?light|chose|choice|veto|push(?:ed)? (?:back|to)|call\b",
    re.IGNORECASE,
)
TEST_DECISION_WORDS = {
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
FINAL_DECISION_WORDS = re.compile(
    r"d[ée]cid|d[ée]cision|valid|tranch|arbitr|act[ée]\b|report|repouss|d[ée]cal|refus|"
    r"rejet|choi[sx]|choisi|convenu|on part|go\b|gel[ée]|retenu|approuv|priori|vote|"
    r"decid|approv|agree|sign(?:ed|s)?[- ]off|postpon|defer|reject|turn(?:ed)? down|"
    r"settled|go(?:ing)? with|green ?light|chose|choice|veto|push(?:ed)? (?:back|to)|"
    r"\bcall\b|greenlit|ruled|on hold|won't fix|not planned",
    re.IGNORECASE,
)
FINAL2_DECISION_WORDS = re.compile(
    r"d[ée]cid|d[ée]cision|valid|tranch|arbitr|act[ée]\b|report|repouss|d[ée]cal|refus|rejet|"
    r"choi[sx]|choice|convenu|on part|gel[ée]|approuv|priori|vote|decid|approv|agree|"
    r"sign(?:s|ed)? off|settled|postpon|defer|reject|declin|go(?:ing)? with|make the call|'s call|"
    r"\bcall\b|\bno\b|\bnon\b",
    re.IGNORECASE,
)

# Terms the `test` set's labelling rules name explicitly: wherever one occurs as a whole word
# it must be labelled with this kind (the rules' own examples, not the annotator's lexicons).
TEST_RULE_TERMS = {
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


@dataclass(frozen=True)
class SetSpec:
    """What one set was written to: its ids, size and class balance (shares as bounds)."""

    name: str
    id_pattern: str  # `{lang}` stands for the file's language
    min_examples: int
    decision_share: Bounds
    source_share: dict[str, Bounds]
    status_min_share: dict[str, float]  # of decisions
    domain_share: Bounds  # of decisions, each domain
    # Of decisions: `nobody` (no actor), and when given `person` / `role` by the actor's
    # first word (ROLE_OPENERS).
    decider_share: dict[str, Bounds]
    decision_words: dict[str, re.Pattern]  # per language: what makes a hard negative
    min_hard_negatives: float  # of non-decisions
    min_filled: float  # share of examples with at least one value in each `filled_fields`
    filled_fields: tuple[str, ...] = TERM_FIELDS
    taken_beats: str = ""  # "each": more taken than postponed, and than rejected; "both"
    collective_actors: tuple[re.Pattern, ...] = COLLECTIVE_ACTORS
    # Of decisions with a person / a role among the actors (ROLE_WORDS), at least.
    role_word_min_share: dict[str, float] = field(default_factory=dict)
    min_headed_decisions: float = 0.0
    # Terms the set's rules name, per language and kind: labelled wherever they occur.
    rule_terms: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # Each occurrence of a term is labelled as written, in the kind it has elsewhere.
    strict_surface_forms: bool = False


def sources(minutes: Bounds, ticket: Bounds, pr: Bounds, comment: Bounds) -> dict[str, Bounds]:
    return {"minutes": minutes, "ticket": ticket, "pr": pr, "comment": comment}


# About 50/25/15/10, each within 6 points (the holdout and test sets' specification).
SPEC_SOURCES_AROUND = sources(*(around(t, 0.06) for t in (0.50, 0.25, 0.15, 0.10)))
SPECS = {
    "eval": SetSpec(
        name="eval",
        id_pattern=r"{lang}-\d{3,}",
        min_examples=200,
        decision_share=(0.38, 0.52),
        source_share=sources((0.40, 0.60), (0.18, 0.32), (0.10, 0.20), (0.06, 0.15)),
        status_min_share={"postponed": 0.10, "rejected": 0.10},
        domain_share=(0.10, 1.0),
        decider_share={"nobody": (0.35, 0.65)},
        decision_words=dict.fromkeys(LANGS, EVAL_DECISION_WORDS),
        min_hard_negatives=0.25,
        min_filled=0.20,
        filled_fields=LIST_FIELDS,
    ),
    "holdout": SetSpec(
        name="holdout",
        id_pattern=r"h{lang}-\d{3}",
        min_examples=120,
        decision_share=around(0.45, 0.06),
        source_share=SPEC_SOURCES_AROUND,
        status_min_share={"postponed": 0.10, "rejected": 0.10},
        domain_share=(0.10, 1.0),
        decider_share={"nobody": around(0.50, 0.06)},
        decision_words=dict.fromkeys(LANGS, HOLDOUT_DECISION_WORDS),
        min_hard_negatives=0.35,
        min_filled=0.20,
        taken_beats="each",
    ),
    "test": SetSpec(
        name="test",
        id_pattern=r"t{lang}-\d{3}",
        min_examples=150,
        decision_share=(0.38, 0.52),
        source_share=SPEC_SOURCES_AROUND,
        status_min_share=dict.fromkeys(STATUSES, 0.12),
        domain_share=(0.08, 1.0),
        decider_share={"nobody": (0.40, 0.60)},
        role_word_min_share={"person": 0.22, "role": 0.14},
        decision_words=TEST_DECISION_WORDS,
        min_hard_negatives=1 / 3,
        min_filled=0.0,
        rule_terms=TEST_RULE_TERMS,
        strict_surface_forms=True,
    ),
    "final": SetSpec(
        name="final",
        id_pattern=r"f{lang}-\d{3}",
        min_examples=150,
        decision_share=(0.40, 0.50),
        source_share=sources((0.44, 0.56), (0.19, 0.31), (0.10, 0.20), (0.06, 0.14)),
        status_min_share={"postponed": 0.12, "rejected": 0.12},
        domain_share=(0.10, 1.0),
        decider_share={"person": (0.22, 0.38), "role": (0.12, 0.28), "nobody": (0.42, 0.58)},
        decision_words=dict.fromkeys(LANGS, FINAL_DECISION_WORDS),
        min_hard_negatives=0.40,
        min_filled=0.20,
        taken_beats="both",
    ),
    "final2": SetSpec(
        name="final2",
        id_pattern=r"g{lang}-\d{3}",
        min_examples=120,
        decision_share=(0.50, 0.60),
        source_share=sources((0.42, 0.58), (0.18, 0.32), (0.08, 0.20), (0.06, 0.16)),
        status_min_share={"postponed": 0.12, "rejected": 0.12},
        domain_share=(0.14, 0.26),  # an even spread: the set measures domains
        decider_share={"person": (0.20, 0.40), "role": (0.12, 0.30), "nobody": (0.40, 0.60)},
        decision_words=dict.fromkeys(LANGS, FINAL2_DECISION_WORDS),
        min_hard_negatives=0.45,
        min_filled=0.15,
        taken_beats="both",
        min_headed_decisions=0.25,
    ),
}
# The SLA rule: business when promised to a customer, tech when internal.
SWITCHABLE_TERMS = {"sla", "slas"}
# Labelled like the others but too small to have a balance: the eval command's smoke set.
UNBALANCED_SETS = ("dev",)


@cache
def records(name: str, lang: str) -> tuple[dict, ...]:
    """The records of <set>/<lang>.jsonl in file order; fails naming file and line."""
    path = LABELS_DIR / name / f"{lang}.jsonl"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    assert not path.is_file() or (text.endswith("\n") and not text.endswith("\n\n")), (
        f"{path}: must end with exactly one newline"
    )
    return read_jsonl(path)


def decisions(name: str, lang: str) -> list[dict]:
    return [row for row in records(name, lang) if row["is_decision"]]


def label(name: str, row: dict) -> str:
    return f"{name}/{row.get('lang')}.jsonl {row.get('id')}"


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def within(value: float, bounds: Bounds) -> bool:
    return bounds[0] <= value <= bounds[1]


def occurrences(term: str, text: str) -> list[tuple[int, int]]:
    """Whole-word spans of a term; case matters only for terms with inner capitals ("CI")."""
    flags = 0 if term.isupper() or any(c.isupper() for c in term[1:]) else re.IGNORECASE
    pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", flags)
    return [match.span() for match in pattern.finditer(text)]


def decider(row: dict) -> str:
    """'nobody', 'role' (only role mentions) or 'person' (at least one name or initials)."""
    if not row["actors"]:
        return "nobody"
    openers = {re.split(r"[\s'’]", actor.casefold())[0] for actor in row["actors"]}
    openers = {word if word != "l" else "l'" for word in openers}
    return "role" if openers <= ROLE_OPENERS else "person"


@pytest.fixture(params=SPECS)
def spec(request) -> SetSpec:
    return SPECS[request.param]


@pytest.fixture(params=LANGS)
def lang(request) -> str:
    return request.param


@pytest.mark.parametrize("name", [*SPECS, *UNBALANCED_SETS])
def test_shape_enums_and_ids(name, lang):
    problems = []
    id_pattern = SPECS[name].id_pattern.replace("{lang}", lang) if name in SPECS else None
    for row in records(name, lang):
        if set(row) != set(SCHEMA):
            problems.append(f"{label(name, row)}: fields {sorted(set(row) ^ set(SCHEMA))} differ")
            continue
        problems += [
            f"{label(name, row)}: {key} is not {kind}"
            for key, kind in SCHEMA.items()
            if not isinstance(row[key], kind)
        ]
        if id_pattern and not re.fullmatch(id_pattern, row["id"]):
            problems.append(f"{label(name, row)}: id is not {id_pattern}")
        if row["lang"] != lang:
            problems.append(f"{label(name, row)}: lang {row['lang']!r} in the {lang} file")
        if row["source"] not in SOURCES:
            problems.append(f"{label(name, row)}: unknown source {row['source']!r}")
        if row["status"] not in STATUSES | {None}:
            problems.append(f"{label(name, row)}: status {row['status']!r} (null, not 'null')")
        if row["domain"] not in DOMAINS | {None}:
            problems.append(f"{label(name, row)}: domain {row['domain']!r} (null, not 'null')")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", [*SPECS, *UNBALANCED_SETS])
def test_texts_are_single_clean_nfc_lines_and_distinct(name, lang):
    rows = records(name, lang)
    for row in rows:
        text = row["text"]
        assert text and text == text.strip(), f"{label(name, row)}: empty or padded text"
        assert not re.search(r"[\n\r]", text), f"{label(name, row)}: text spans several lines"
        assert unicodedata.is_normalized("NFC", text), f"{label(name, row)}: text is not NFC"
    twice = [t for t, n in Counter(canonical(r["text"]) for r in rows).items() if n > 1]
    assert not twice, f"{name}/{lang}: sentences written twice: {twice}"


def test_enough_examples(spec, lang):
    rows = records(spec.name, lang)
    assert len(rows) >= spec.min_examples, (
        f"{spec.name}/{lang}: {len(rows)} examples, need {spec.min_examples}"
    )


@pytest.mark.parametrize("name", [*SPECS, *UNBALANCED_SETS])
def test_ids_unique_over_both_files(name):
    counts = Counter(row["id"] for lang in LANGS for row in records(name, lang))
    assert all(n == 1 for n in counts.values()), [i for i, n in counts.items() if n > 1]


@pytest.mark.parametrize("name", [*SPECS, *UNBALANCED_SETS])
def test_labels_are_exact_minimal_substrings(name, lang):
    problems = []
    for row in records(name, lang):
        where = label(name, row)
        for key in LIST_FIELDS:
            values = row[key]
            if len(values) != len(set(values)):
                problems.append(f"{where}: {key} repeats a string")
            for value in values:
                if not isinstance(value, str) or not value or value != value.strip():
                    problems.append(f"{where}: {key} holds {value!r}")
                elif value not in row["text"]:
                    problems.append(f"{where}: {key} {value!r} is not in the text")
                elif key == "actors" and re.search(r"^\W|[^\w.]$", value):
                    problems.append(f"{where}: actor {value!r} is not a minimal span")
                elif key == "actors" and value.endswith("."):
                    # only initials or an abbreviated surname end with a dot
                    if not re.search(r"(?:^|\s)(?:[A-Z]\.)+$", value):
                        problems.append(f"{where}: actor {value!r} ends with a dot")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", [*SPECS, *UNBALANCED_SETS])
def test_non_decisions_carry_no_decision_labels(name, lang):
    for row in records(name, lang):
        if row["is_decision"]:
            assert row["status"] in STATUSES and row["domain"] in DOMAINS, (
                f"{label(name, row)}: decision without status or domain"
            )
        else:
            assert (row["status"], row["domain"]) == (None, None), (
                f"{label(name, row)}: a non-decision with status or domain"
            )
            assert row["actors"] == [], f"{label(name, row)}: a non-decision names deciders"


@pytest.mark.parametrize("name", [*SPECS, *UNBALANCED_SETS])
def test_collective_bodies_and_pronouns_are_never_deciders(name, lang):
    wrong = [
        f"{label(name, row)}: {actor!r}"
        for row in records(name, lang)
        for actor in row["actors"]
        if any(pattern.search(actor) for pattern in COLLECTIVE_ACTORS)
    ]
    assert not wrong, "collective bodies or pronouns labelled as deciders:\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", [*SPECS, *UNBALANCED_SETS])
def test_each_term_has_one_kind(name, lang):
    kinds: dict[str, set[str]] = {}
    for row in records(name, lang):
        both = set(row["business_terms"]) & set(row["tech_terms"])
        assert not both, f"{label(name, row)}: labelled business and tech: {both}"
        for key in TERM_FIELDS:
            for term in row[key]:
                kinds.setdefault(term.casefold(), set()).add(key)
    mixed = sorted(t for t, k in kinds.items() if len(k) > 1 and t not in SWITCHABLE_TERMS)
    assert not mixed, f"{name}/{lang}: terms labelled business here and tech there: {mixed}"


@pytest.mark.parametrize("name", [*SPECS, *UNBALANCED_SETS])
def test_terms_are_labelled_at_every_occurrence(name, lang):
    """A term labelled somewhere in the file is labelled wherever it occurs as a whole word,
    unless that occurrence lies inside a longer labelled term of the same sentence."""
    rows = records(name, lang)
    terms = {term for row in rows for key in TERM_FIELDS for term in row[key]}
    missed = []
    for row in rows:
        text = row["text"]
        own = [span for key in TERM_FIELDS for t in row[key] for span in occurrences(t, text)]
        for term in terms:
            for start, end in occurrences(term, text):
                if not any(lo <= start and end <= hi for lo, hi in own):
                    missed.append(f"{label(name, row)}: {text[start:end]!r} ({term!r} elsewhere)")
    assert not missed, "\n".join(missed)


def whole_word(term: str) -> re.Pattern:
    """Whole-word matcher: acronyms (all upper case) are case-sensitive, other words not."""
    flags = 0 if term.isupper() else re.IGNORECASE
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", flags)


def unlabelled_occurrences(record: dict, term: str, kind_field: str) -> list[str]:
    """Whole-word occurrences of `term` not labelled in `kind_field` as written (nor covered
    by a longer labelled term)."""
    text = record["text"]
    labelled = record["business_terms"] + record["tech_terms"]
    covered = [
        (m.start(), m.end())
        for term_label in labelled
        for m in whole_word(term_label).finditer(text)
        if term_label in record[kind_field] or len(term_label) > len(term)
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


@pytest.mark.parametrize("name", [n for n, s in SPECS.items() if s.strict_surface_forms])
def test_every_surface_form_is_labelled_with_its_kind(name, lang):
    """Stricter than the test above: each occurrence is labelled as written (case included)
    in the kind the term has elsewhere in the file."""
    problems = []
    rows = records(name, lang)
    for kind_field in TERM_FIELDS:
        terms = {t for r in rows for t in r[kind_field]} - {"SLA"}
        for record in rows:
            for term in sorted(terms):
                for surface in unlabelled_occurrences(record, term, kind_field):
                    problems.append(f"{label(name, record)}: {surface!r} not in {kind_field}")
    assert not problems, "\n".join(sorted(set(problems)))


@pytest.mark.parametrize("name", [n for n, s in SPECS.items() if s.rule_terms])
def test_terms_named_by_the_rules_are_labelled(name, lang):
    problems = []
    for kind, terms in SPECS[name].rule_terms[lang].items():
        kind_field = f"{kind}_terms"
        for record in records(name, lang):
            for term in terms:
                for surface in unlabelled_occurrences(record, term, kind_field):
                    problems.append(f"{record['id']}: {surface!r} should be in {kind_field}")
    assert not problems, "\n".join(sorted(set(problems)))


def test_decision_share_and_sources(spec, lang):
    rows = records(spec.name, lang)
    decided = len(decisions(spec.name, lang))
    assert within(share(decided, len(rows)), spec.decision_share), (
        f"{spec.name}/{lang}: {decided} decisions of {len(rows)}, expected {spec.decision_share}"
    )
    sources = Counter(row["source"] for row in rows)
    for source, bounds in spec.source_share.items():
        assert within(share(sources[source], len(rows)), bounds), (
            f"{spec.name}/{lang}: {sources[source]} {source} of {len(rows)}, expected {bounds}"
        )


def test_statuses_and_domains_are_spread(spec, lang):
    rows = decisions(spec.name, lang)
    statuses = Counter(row["status"] for row in rows)
    for status, minimum in spec.status_min_share.items():
        assert share(statuses[status], len(rows)) >= minimum, (
            f"{spec.name}/{lang}: {statuses[status]} {status} of {len(rows)} decisions"
        )
    if spec.taken_beats == "both":
        assert statuses["taken"] > statuses["postponed"] + statuses["rejected"], statuses
    elif spec.taken_beats == "each":
        assert statuses["taken"] > max(statuses["postponed"], statuses["rejected"]), statuses
    domains = Counter(row["domain"] for row in rows)
    for domain in DOMAINS:
        assert within(share(domains[domain], len(rows)), spec.domain_share), (
            f"{spec.name}/{lang}: {domains[domain]} {domain} of {len(rows)} decisions, "
            f"expected {spec.domain_share}"
        )


def test_deciders_are_spread(spec, lang):
    rows = decisions(spec.name, lang)
    kinds = Counter(decider(row) for row in rows)
    for kind, bounds in spec.decider_share.items():
        assert within(share(kinds[kind], len(rows)), bounds), (
            f"{spec.name}/{lang}: decider {kind} in {kinds[kind]} of {len(rows)}, expected {bounds}"
        )
    with_kind = {
        "role": sum(1 for r in rows if any(ROLE_WORDS.search(a) for a in r["actors"])),
        "person": sum(1 for r in rows if any(not ROLE_WORDS.search(a) for a in r["actors"])),
    }
    for kind, minimum in spec.role_word_min_share.items():
        assert share(with_kind[kind], len(rows)) >= minimum, (
            f"{spec.name}/{lang}: only {with_kind[kind]} decisions with a {kind}"
        )


def test_hard_negatives_and_headed_decisions(spec, lang):
    """Non-decisions must often use decision vocabulary, or a keyword matcher would pass."""
    negatives = [row for row in records(spec.name, lang) if not row["is_decision"]]
    hard = [row for row in negatives if spec.decision_words[lang].search(row["text"])]
    assert share(len(hard), len(negatives)) >= spec.min_hard_negatives, (
        f"{spec.name}/{lang}: {len(hard)} of {len(negatives)} non-decisions use decision words"
    )
    headed = [row for row in decisions(spec.name, lang) if HEADING.match(row["text"])]
    assert share(len(headed), len(decisions(spec.name, lang))) >= spec.min_headed_decisions, (
        f"{spec.name}/{lang}: {len(headed)} decisions after a heading"
    )


def test_every_label_kind_is_used(spec, lang):
    """Guard against a file where a whole label kind was forgotten."""
    rows = records(spec.name, lang)
    for key in spec.filled_fields:
        filled = sum(1 for row in rows if row[key])
        assert share(filled, len(rows)) >= spec.min_filled, (
            f"{spec.name}/{lang}: {key} in {filled} examples"
        )


def test_no_sentence_is_shared_by_two_sets():
    """Each blind set was new text when written: no sentence appears in two sets. Only the
    ids are reported, so that a failure never shows a blind set's sentences."""
    texts = {
        name: {canonical(r["text"]): r["id"] for lang in LANGS for r in records(name, lang)}
        for name in [*SPECS, *UNBALANCED_SETS]
    }
    shared = [
        f"{a}/{texts[a][t]} = {b}/{texts[b][t]}"
        for a, b in combinations(texts, 2)
        for t in texts[a].keys() & texts[b].keys()
    ]
    assert not shared, f"sentences found in two sets: {shared}"


def test_every_set_folder_is_reviewed():
    folders = {p.name for p in LABELS_DIR.iterdir() if p.is_dir()}
    assert folders == {*SPECS, *UNBALANCED_SETS}, "add the new set to SPECS in this file"
    for name in folders:
        assert (LABELS_DIR / name / "fr.jsonl").is_file(), f"{name}: no fr.jsonl"
        assert (LABELS_DIR / name / "en.jsonl").is_file(), f"{name}: no en.jsonl"
