"""The status-cue pre-filter: literals read off each pattern gate it, and it answers exactly
what running every pattern would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.resources import load_decision_rules, required_literals
from nlp.text import fold

LABELS = Path(__file__).resolve().parents[2] / "data" / "labels"


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\brefus(e|ee|es)?\b", {"refus"}),
        (r"(?<!panier )\babandonn(e|ee)\b", {"abandonn"}),
        (r"\b(postpone|defer|delay)\b", {"postpone", "defer", "delay"}),
        (r"\bon ne (le )?fera pas\b", {"fera pas"}),
        (r"\b(we|they)('ll| will)? stick (with|to)\b", {" stick "}),
        (r"\b(a|ont) debloque\b", {" debloque"}),
        (r"\b(is|are) mandatory\b", {" mandatory"}),
        (r"\b(a|b)\b", None),  # nothing of two characters is certain
        (r"(?i)\bdecided\b", None),  # case-insensitive: no literal holds
        (r"\w+ (x|)", None),
    ],
)
def test_required_literals_are_read_off_the_pattern(pattern, literals):
    found = required_literals(pattern)
    assert found == (frozenset(literals) if literals is not None else None)


def _texts() -> list[str]:
    texts = []
    for path in sorted(LABELS.glob("synthetic/*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            texts += [fold(text), *fold(text).split(", ")]
    return texts


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_filter_answers_what_every_pattern_would(lang):
    rules = load_decision_rules(lang)
    patterns = [p for ps in rules.status.values() for p in ps]
    assert all(required_literals(p.pattern) for p in patterns), "a cue pattern runs ungated"
    texts = _texts()
    expected = [any(p.search(t) for p in patterns) for t in texts]
    assert [rules.has_cue(t) for t in texts] == expected
    assert 200 < sum(expected) < len(texts)  # both answers are exercised


def test_a_pattern_without_literals_always_runs():
    import re
    from dataclasses import replace

    rules = load_decision_rules("en")
    ungated = replace(rules, status={**rules.status, "taken": (re.compile(r"\b(a|b)\b"),)})
    assert ungated.has_cue("plan b it is")
    only = replace(rules, status={s: () for s in rules.status} | {"taken": (re.compile("x"),)})
    assert only.has_cue("x") and not only.has_cue("y")


def test_the_word_trie_finds_the_longest_word_where_a_list_of_words_would():
    import random
    import re

    from nlp.resources import longest_word_pattern

    rng = random.Random(11)
    alphabet = "abcde'"
    for _ in range(300):
        words = {"".join(rng.choices(alphabet, k=rng.randint(2, 6))) for _ in range(12)}
        ordered = sorted(words, key=lambda w: (-len(w), w))
        listed = re.compile(f"(?=({'|'.join(map(re.escape, ordered))}))")
        trie = re.compile(f"(?=({longest_word_pattern(words)}))")
        text = "".join(rng.choices(alphabet + " ", k=80))
        assert [m.group(1) for m in trie.finditer(text)] == [
            m.group(1) for m in listed.finditer(text)
        ]
    assert not re.search(longest_word_pattern([]), "anything")
