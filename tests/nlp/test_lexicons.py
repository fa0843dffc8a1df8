"""Word lists are data: the factories load them through their config, and a bad file fails
naming itself."""

import json
from pathlib import Path

import pytest
import spacy

import nlp.components  # noqa: F401  (registers the factories)
from nlp.resources import LEXICON_DIR, LexiconError, load_actor_words


def _copy_with(tmp_path: Path, name: str, key: str, value) -> str:
    data = json.loads((LEXICON_DIR / "en" / name).read_text(encoding="utf-8"))
    data[key] = value
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _english(**configs):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("silo_roles", config={"lang": "en", **configs.get("roles", {})})
    nlp.add_pipe("silo_decisions", config={"lang": "en", **configs.get("decisions", {})})
    return nlp


def test_actor_words_are_swapped_by_config(tmp_path):
    text = "The migration was approved by Marie."
    assert [a["text"] for a in _english()(text)._.decisions[0]["actors"]] == ["Marie"]
    no_agent = _copy_with(tmp_path, "actors.json", "agents", ["per"])
    doc = _english(decisions={"actor_words": no_agent})(text)
    assert doc._.decisions[0]["actors"] == []  # `by` no longer names an agent


def test_role_words_are_swapped_by_config(tmp_path):
    text = "The CTO approved the migration."
    doc = _english()(text)
    assert [s.text for s in doc.spans["ROLE_MENTION"]] == ["The CTO"]
    no_the = _copy_with(tmp_path, "role_words.json", "determiners", ["our"])
    doc = _english(roles={"role_words": no_the})(text)
    assert [s.text for s in doc.spans["ROLE_MENTION"]] == ["CTO"]


def test_a_malformed_word_list_names_the_file_and_key(tmp_path):
    bad = _copy_with(tmp_path, "actors.json", "not_names", "Weekly")
    with pytest.raises(LexiconError, match=r"actors\.json: 'not_names' must be a list"):
        load_actor_words("en", bad)
