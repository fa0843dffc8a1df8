"""`nlp.regex_cache`: a long pattern's compiled program kept in a folder gives the object
`re.compile` gives, and spaCy's French tokenizer reads the same with it."""

from __future__ import annotations

import re
import sys
from unittest import mock

import pytest

from nlp import regex_cache
from nlp.regex_cache import _program, compile_kept, kept_compiles

pytestmark = pytest.mark.skipif(
    sys.version_info[:2] not in regex_cache.SUPPORTED, reason="not a Python this was tested on"
)

# named groups, a look-behind, Unicode classes, case folding: most of the compiler's paths
PATTERN = r"(?P<word>(?<!\w)[A-Za-zÀ-ÿ]+(?:[-'’][a-zà-ÿ]+)*)|(?P<num>\d+(?:[.,]\d+)?)|\[[^\]]*\]"
SAMPLES = ["aujourd'hui", "Porte-Monnaie", "12,5", "[x]", "  écrit-il", "", "ÉTÉ-là", "a-", "9."]


def test_the_program_is_what_re_hands_to_the_engine():
    real = re._compiler._sre.compile
    with mock.patch.object(re._compiler._sre, "compile", wraps=real) as engine:
        re._compiler.compile(PATTERN, re.IGNORECASE)
    (pattern, *given), _ = engine.call_args
    assert pattern == PATTERN
    assert list(_program(PATTERN, re.IGNORECASE.value)) == given


def test_kept_then_read_back_matches_like_re(tmp_path):
    flags = re.IGNORECASE.value
    expected = re.compile(PATTERN, flags)
    written = compile_kept(PATTERN, flags, tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 1
    read = compile_kept(PATTERN, flags, tmp_path)  # from the file this time
    for got in (written, read):
        assert (got.pattern, got.flags, got.groups, dict(got.groupindex)) == (
            expected.pattern, expected.flags, expected.groups, dict(expected.groupindex)
        )  # fmt: skip
        for text in SAMPLES:
            assert [m.span() for m in got.finditer(text)] == [
                m.span() for m in expected.finditer(text)
            ], text


def test_a_damaged_or_unwritable_folder_only_means_compiling(tmp_path):
    flags = 0
    compile_kept(PATTERN, flags, tmp_path)
    [kept] = tmp_path.glob("*.json")
    kept.write_bytes(b"[1, 2")
    assert compile_kept(PATTERN, flags, tmp_path).match("abc-def")  # compiled again
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert compile_kept(PATTERN, flags, blocked / "regex").match("abc")  # cannot mkdir


def test_only_long_patterns_go_through_the_folder_inside_the_block(tmp_path, monkeypatch):
    monkeypatch.setattr(regex_cache, "MIN_LENGTH", len(PATTERN))
    with kept_compiles(tmp_path):
        re.compile(PATTERN + "|x", 0)  # re's cache does not hold it: a new pattern
        re.compile("short", 0)
    assert len(list(tmp_path.glob("*.json"))) == 1
    assert re.compile is not None and re.compile.__module__ == "re"  # restored


def test_the_french_tokenizer_reads_the_same_with_the_kept_pattern(tmp_path):
    import spacy

    with kept_compiles(tmp_path):
        nlp = spacy.blank("fr")  # the first French import of the process may already be done
    token_match = nlp.tokenizer.token_match
    pattern = token_match.__self__
    kept = compile_kept(pattern.pattern, pattern.flags, tmp_path)
    words = ["porte-monnaie", "peut-être", "week-end", "anti-inflammatoire", "rendez-vous",
             "Saint-Étienne", "chef-d'œuvre", "a-t-il", "x-y", "déjà-vu"]  # fmt: skip
    assert [bool(kept.match(w)) for w in words] == [bool(token_match(w)) for w in words]
    assert any(kept.match(w) for w in words)
