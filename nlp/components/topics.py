"""`silo_topics`: topic keys, the key phrases two texts share when they carry the same news.

RAKE-like: runs of content words (alphabetic, not stop words) cut at anything else, up to
three words, each word reduced to its NORM (folded, de-pluralised in the fast pipeline),
ranked by frequency x length; lexicon terms found in the text are keys too.
"""

from __future__ import annotations

from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from nlp.text import fold

MAX_WORDS = 3


class TopicKeys:
    def __init__(self, nlp: Language, max_keys: int):
        self.max_keys = max_keys
        self.stop_words = {fold(w) for w in nlp.Defaults.stop_words}

    def phrases(self, doc: Doc) -> Counter:
        counts: Counter = Counter()
        run: list[str] = []
        for token in [*doc, None]:
            word = token.norm_ if token is not None else ""
            if (
                token is not None
                and token.is_alpha
                and len(word) > 2
                and word.lower() not in self.stop_words
            ):
                run.append(word.lower())
                continue
            for i in range(0, len(run), MAX_WORDS):
                counts[" ".join(run[i : i + MAX_WORDS])] += 1
            run = []
        return counts

    def __call__(self, doc: Doc) -> Doc:
        counts = self.phrases(doc)
        ranked = sorted(
            (p for p, n in counts.items() if n > 1 or " " in p),
            key=lambda p: (-counts[p] * len(p.split()), p),
        )
        keys = list(
            dict.fromkeys(
                [
                    fold(s.id_)
                    for label in ("BUSINESS_TERM", "TECH_TERM")
                    for s in doc.spans.get(label, [])
                    if s.id_
                ]
                + ranked[: self.max_keys]
            )
        )
        doc._.topic_keys = keys
        return doc


@Language.factory("silo_topics", default_config={"max_keys": 10})
def make_topics(nlp: Language, name: str, max_keys: int):
    return TopicKeys(nlp, max_keys)
