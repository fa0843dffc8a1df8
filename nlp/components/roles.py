"""`silo_roles`: role mentions (`le CEO`, `la directrice commerciale`, `the CTO`).

Capitalised variants (`CEO`, `DAF`, `PM`) match capitals only, so `pm` in `3 pm` is not a
product manager; other variants match in any case. A determiner or possessive right before
the role is part of the mention, as people write it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.resources import load_roles
from nlp.text import fold

DETERMINERS = {
    "fr": {"le", "la", "l'", "les", "notre", "nos", "votre", "vos", "leur", "leurs", "son", "sa"},
    "en": {"the", "our", "their", "your", "its", "his", "her"},
}


class RoleMatcher:
    def __init__(self, nlp: Language, lang: str):
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.determiners = DETERMINERS.get(lang, set())
        for role, variants in load_roles(lang):
            for variant in variants:
                matcher = self.exact if variant.isupper() else self.lower
                matcher.add(role, [nlp.make_doc(variant)])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in [*self.exact(doc), *self.lower(doc)]:
            if start > 0 and fold(doc[start - 1].text) in self.determiners:
                start -= 1
            role = doc.vocab.strings[match_id]
            spans.append(Span(doc, start, end, label="ROLE_MENTION", span_id=role))
        doc.spans["ROLE_MENTION"] = filter_spans(spans)
        return doc


@Language.factory("silo_roles", default_config={"lang": "en"})
def make_roles(nlp: Language, name: str, lang: str):
    return RoleMatcher(nlp, lang)
