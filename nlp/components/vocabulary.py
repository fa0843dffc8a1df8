"""`silo_vocabulary`: business and tech terms, matched on a folded, de-pluralised key.

Only for the fast (tokenizer-only) pipeline: it rewrites the vocabulary's NORM attribute
(`nlp.text.term_key`), which a trained model uses as a feature, so it refuses to join a
pipeline that has a `tok2vec`.
"""

from __future__ import annotations

from spacy.attrs import NORM
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.components import text_of
from nlp.resources import TERM_KINDS, load_terms
from nlp.text import count_words, term_key


def install_term_norms(nlp: Language) -> None:
    """Make NORM = `term_key(text)` for every existing and future lexeme of `nlp.vocab`."""
    if any(name == "tok2vec" or name.endswith("tok2vec") for name in nlp.pipe_names):
        raise ValueError(
            "silo_vocabulary rewrites NORM and must not share a vocab with a "
            "trained model; use it in the blank (fast) pipeline only"
        )
    nlp.vocab.lex_attr_getters[NORM] = term_key
    for lexeme in nlp.vocab:
        lexeme.norm_ = term_key(lexeme.orth_)


def term_stats(business: int, tech: int, n_words: int) -> dict:
    """Counts, shares (business / (business + tech)) and counts per 100 words."""
    total = business + tech
    per_100 = 100.0 / n_words if n_words else 0.0
    return {
        "n_words": n_words,
        "business_terms": business,
        "tech_terms": tech,
        "business_share": business / total if total else None,
        "tech_share": tech / total if total else None,
        "business_per_100_words": round(business * per_100, 3),
        "tech_per_100_words": round(tech * per_100, 3),
    }


class VocabularyMatcher:
    def __init__(self, nlp: Language, lang: str, extra_lexicons: dict | None):
        install_term_norms(nlp)
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.canonical: dict[str, str] = {}  # match key -> canonical term
        self.cased: set[str] = set()  # match keys that need a capital first letter
        seen: set[tuple[str, ...]] = set()
        for index, term in enumerate(load_terms(lang, extra_lexicons)):
            key = f"{term.label}|{index}"
            patterns = []
            for variant in term.variants:
                doc = nlp.make_doc(variant)
                signature = tuple(t.norm_ for t in doc)
                if signature in seen:  # first term listed wins a shared surface form
                    continue
                seen.add(signature)
                patterns.append(doc)
            if patterns:
                self.matcher.add(key, patterns)
                self.canonical[key] = term.canonical
                if term.cased:
                    self.cased.add(key)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            if key in self.cased and not doc[start].text[:1].isupper():
                continue  # `react` the verb, not React
            label = key.split("|", 1)[0]
            spans.append(Span(doc, start, end, label=label, span_id=self.canonical[key]))
        spans = filter_spans(spans)  # longest match wins: "dette technique" over "technique"
        for label in TERM_KINDS.values():
            doc.spans[label] = [span for span in spans if span.label_ == label]
        doc._.term_stats = term_stats(
            len(doc.spans["BUSINESS_TERM"]), len(doc.spans["TECH_TERM"]), count_words(text_of(doc))
        )
        return doc


@Language.factory("silo_vocabulary", default_config={"lang": "en", "extra_lexicons": None})
def make_vocabulary(nlp: Language, name: str, lang: str, extra_lexicons: dict | None):
    return VocabularyMatcher(nlp, lang, extra_lexicons)
