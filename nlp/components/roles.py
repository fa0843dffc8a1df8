"""`silo_roles`: role mentions (`le CEO`, `la directrice commerciale`, `the CTO`).

Capitalised variants (`CEO`, `DAF`, `PM`) match capitals only, so `pm` in `3 pm` is not a
product manager; other variants match in any case. A determiner or possessive right before
the role is part of the mention, as people write it.

Titles not in the lexicon are found by their shape when a determiner or possessive opens
them (`le lead plateforme`, `notre responsable paie`, `our Head of Ops`, `the lead frontend
dev`, `the clinical safety officer`): role id `team_lead` for lead / head of / responsable
titles (and `the key account manager`, `our engineering director`), `officer` for
`... officer`. Without the determiner the shape is too loose
(`Lead time`, `head of the queue`).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.resources import load_role_words, load_roles
from nlp.text import fold, fold_word


class RoleMatcher:
    def __init__(self, nlp: Language, lang: str, role_words: str | None = None):
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.words = load_role_words(lang, role_words)
        self.determiners = self.words.determiners
        self.stop_words = frozenset(fold(w) for w in nlp.Defaults.stop_words)
        for role, variants in load_roles(lang):
            for variant in variants:
                matcher = self.exact if variant.isupper() else self.lower
                matcher.add(role, [nlp.make_doc(variant)])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in [*self.exact(doc), *self.lower(doc)]:
            if start > 0 and fold_word(doc[start - 1].text) in self.determiners:
                start -= 1
            role = doc.vocab.strings[match_id]
            spans.append(Span(doc, start, end, label="ROLE_MENTION", span_id=role))
        spans += self._titles(doc)
        doc.spans["ROLE_MENTION"] = filter_spans(spans)
        return doc

    def _specialty(self, token) -> bool:
        word = fold_word(token.text)
        if token.pos_ in ("VERB", "AUX") or word.endswith(self.words.verb_endings):
            return False  # `le lead valide`, `the lead decided`: a verb, not a specialty
        return (
            token.is_alpha
            and word not in self.stop_words
            and len(word) > 1
            and not (
                token.text.isupper()
                and len(token.text) > 1
                and word not in self.words.acronym_specialties
            )
        )

    def _titles(self, doc: Doc) -> list[Span]:
        """Unlisted titles after a determiner (see the module docstring)."""
        found = []
        heads = self.words.title_heads
        tails = self.words.title_tails
        for det in doc[:-2]:
            if fold_word(det.text) not in self.determiners:
                continue
            i = det.i + 1
            first = fold_word(doc[i].text)
            end = None
            role = "team_lead"
            if first in heads:
                j = i + 1
                if heads[first]:  # `head of`
                    if fold_word(doc[j].text) != heads[first] or j + 1 >= len(doc):
                        continue
                    j += 1
                if j < len(doc) and self._specialty(doc[j]):
                    end = j + 1
                    if end < len(doc) and fold_word(doc[end].text) in self.words.specialty_suffixes:
                        end += 1
            elif tails:  # `the platform lead`, `the clinical safety officer`
                for j in range(i + 1, min(i + 3, len(doc))):
                    tail = fold_word(doc[j].text)
                    if tail in tails and all(self._specialty(t) for t in doc[i:j]):
                        end, role = j + 1, tails[tail]
                        break
            if end is not None:
                found.append(Span(doc, det.i, end, label="ROLE_MENTION", span_id=role))
        return found


@Language.factory("silo_roles", default_config={"lang": "en", "role_words": None})
def make_roles(nlp: Language, name: str, lang: str, role_words: str | None):
    """`role_words`: a JSON file shaped like `nlp/lexicons/<lang>/role_words.json` (None:
    that file) with the determiners and title words."""
    return RoleMatcher(nlp, lang, role_words)
