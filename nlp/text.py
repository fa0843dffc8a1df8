"""Plain-text helpers shared by the components: normalisation, language guess, segments.

No spaCy here: these run on every document before any pipeline is chosen. Their words
(function words per language, headings that are not speakers) are in
`nlp/lexicons/<lang>/text.json`.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("fr", "en")

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


class _CombiningMarks(dict):
    """`str.translate` table dropping every combining mark (what `unicodedata.combining`
    tells apart), filled as characters are met: translating is C speed for a character seen
    before, and a text meets a few hundred distinct ones (a table of all 1.1 million code
    points cost 0.3 s in every process that folds a word)."""

    def __missing__(self, cp: int) -> int | None:
        kept = None if unicodedata.combining(chr(cp)) else cp
        self[cp] = kept
        return kept


_COMBINING_MARKS = _CombiningMarks()


def strip_accents(text: str) -> str:
    """`Décidé` -> `Decide`: drop combining marks, keep everything else."""
    if text.isascii():  # most words: nothing to drop
        return text
    return unicodedata.normalize("NFD", text).translate(_COMBINING_MARKS)


def fold(text: str) -> str:
    """Lower case, accents stripped, typographic apostrophes made straight."""
    if text.isascii():
        return text.replace("`", "'").lower()
    return strip_accents(text.translate(_APOSTROPHES)).lower()


# `fold` for a token's text: few distinct words, each folded once
fold_word = lru_cache(maxsize=1 << 16)(fold)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """spaCy's French and English stop words, folded. Read from spaCy's `stop_words.py` files
    without importing `spacy.lang.fr`, whose tokenizer exceptions cost about 6 s of CPU to
    compile: a run that finds every document in the cache never loads a pipeline."""
    import importlib.util

    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        raise RuntimeError("spaCy is not installed")
    words: set[str] = set()
    for lang in ("fr", "en"):
        path = Path(spec.origin).parent / "lang" / lang / "stop_words.py"
        module_spec = importlib.util.spec_from_file_location(f"_stop_words_{lang}", path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)  # a plain module: STOP_WORDS = set(...)
        words |= {fold(w) for w in module.STOP_WORDS}
    return frozenset(words)


@lru_cache(maxsize=1)
def load_text_words() -> dict[str, dict[str, frozenset[str]]]:
    """`{lang: {"function_words": ..., "not_speakers": ...}}` from every `text.json`, as written."""
    found = {}
    for path in sorted((Path(__file__).resolve().parent / "lexicons").glob("*/text.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found[path.parent.name] = {
                key: frozenset(data[key])
                for key in ("function_words", "not_speakers", "not_people")
            }
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path}: invalid text words ({exc})") from exc
    return found


def is_acronym(word: str) -> bool:
    """`CA`, `MRR`, `APIs`, `KPIs`: 2-5 capitals, optionally a plural `s`."""
    core = word[:-1] if len(word) > 2 and word.endswith("s") else word
    return 2 <= len(core) <= 5 and core.isalpha() and core.isupper()


def term_key(word: str) -> str:
    """The matching key of one token: what makes `Coûts`, `cout` and `coûts` equal.

    Acronyms keep their case (`CA` is a turnover, `ca` is French slang for `ça`) and lose a
    plural `s`; other words are folded and lose a plural ending (`-aux` -> `-al`, `-ies` ->
    `-y`, a final `s` or `x`). Both the lexicon and the text go through this, so an
    over-eager cut merges two forms consistently instead of missing one.
    """
    if is_acronym(word):
        return word[:-1] if word.endswith("s") else word
    key = fold(word)
    if len(key) <= 3 or not key.isalpha():
        return key
    if key.endswith("aux"):
        return key[:-3] + "al"
    if key.endswith("ies") and len(key) > 4:
        return key[:-3] + "y"
    if key.endswith("sses"):  # addresses, adresses -> address, adress
        return key[:-2]
    if key.endswith("sse"):  # adresse -> adress, so both languages' plurals meet
        return key[:-1]
    if key.endswith(("ss", "us", "is")):
        return key
    if key.endswith(("s", "x")):
        return key[:-1]
    return key


_WORDS = re.compile(r"\w+(?:['’-]\w+)*")


def count_words(text: str) -> int:
    """Words as a reader counts them: `chiffre d'affaires` is two, punctuation none."""
    return len(_WORDS.findall(text))


def text_hash(text: str) -> str:
    """sha256 of the UTF-8 text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")


def detect_language(text: str, default: str = "en") -> str:
    """`fr` or `en` from function words in the first 3,000 characters.

    Good enough for whole documents; a text with no function word gets `default`.
    """
    markers = load_text_words()
    fr_markers, en_markers = markers["fr"]["function_words"], markers["en"]["function_words"]
    fr = en = 0
    for word in _WORD.findall(text[:3000].lower()):
        fr += word in fr_markers
        en += word in en_markers
    if fr == en:
        return default
    return "fr" if fr > en else "en"


@dataclass(frozen=True)
class Segment:
    """A line of text (a bullet, a paragraph line) with its place in the document."""

    start: int
    text: str
    speaker: str | None  # `Marie` in `Marie: on part sur Postgres`


_SPEAKER = re.compile(
    r"^\s*(?:[-*+•]\s+|\d+[.)]\s+)?(?:\*\*)?"
    r"(?P<speaker>[A-ZÀ-Ý][\w'’.-]+(?: [A-ZÀ-Ý][\w'’.-]+){0,2})(?:\*\*)?\s*:\s+\S"
)


@lru_cache(maxsize=1)
def _not_speakers() -> frozenset[str]:
    """Headings before a colon that are not speakers, in any language (`text.json`)."""
    return frozenset().union(*(words["not_speakers"] for words in load_text_words().values()))


def speaker_of(line: str) -> str | None:
    """`Marie` for `- Marie: ok`, None for `Décision : ...` or a line with no speaker."""
    match = _SPEAKER.match(line)
    if not match:
        return None
    name = match["speaker"]
    if name.split()[0].strip("*") in _not_speakers():
        return None
    return name


_ITEM_START = re.compile(r"^\s*(?:[-*+•]\s|\d+[.)]\s|#|>|\|)")


def segments(text: str) -> list[Segment]:
    """Items of `text` (a bullet, a heading, a paragraph), each with its offset and speaker.

    Minutes and tickets put one idea per bullet or paragraph, and the speaker (`Antoine:
    ...`) at its start, so items are the unit decisions are looked for in. A line that does
    not start a bullet, heading, quote or table row continues the item above it (prose
    hard-wrapped at 80 columns); a blank line ends an item. `text` of a segment is the exact
    slice `text[start:start + len(text)]`.
    """
    found: list[Segment] = []
    offset = 0
    start = end = None
    speaker = None

    def close():
        if start is not None:
            found.append(Segment(start, text[start:end], speaker))

    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        if not stripped:
            close()
            start = None
        elif start is None or _ITEM_START.match(line) or speaker_of(line):
            close()
            start, speaker = offset + lead, speaker_of(line)
            end = offset + len(line.rstrip())
        else:
            end = offset + len(line.rstrip())
        offset += len(line)
    close()
    return found
