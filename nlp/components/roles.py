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

from nlp.resources import load_roles
from nlp.text import fold

# Words that open a title in a language, and (for English) the words that close one.
TITLE_HEADS = {"fr": {"lead", "responsable", "head"}, "en": {"lead", "head"}}
TITLE_TAILS = {
    "en": {
        "lead": "team_lead",
        "officer": "officer",
        "manager": "team_lead",
        "director": "team_lead",
    }
}
# What may follow a title word as its specialty: a lowercase or capitalised plain word
# that is not a function word (`le lead plateforme`, not `le lead a validé`).
TITLE_SUFFIX_WORDS = {"dev", "developer", "developpeur", "engineer", "ingenieur"}

DETERMINERS = {
    "fr": {"le", "la", "l'", "les", "notre", "nos", "votre", "vos", "leur", "leurs", "son", "sa"},
    "en": {"the", "our", "their", "your", "its", "his", "her"},
}


class RoleMatcher:
    def __init__(self, nlp: Language, lang: str):
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.determiners = DETERMINERS.get(lang, set())
        self.lang = lang
        self.stop_words = frozenset(fold(w) for w in nlp.Defaults.stop_words)
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
        spans += self._titles(doc)
        doc.spans["ROLE_MENTION"] = filter_spans(spans)
        return doc

    def _specialty(self, token) -> bool:
        word = fold(token.text)
        if token.pos_ in ("VERB", "AUX") or (self.lang == "en" and word.endswith("ed")):
            return False  # `le lead valide`, `the lead decided`: a verb, not a specialty
        return (
            token.is_alpha
            and word not in self.stop_words
            and len(word) > 1
            and not (token.text.isupper() and len(token.text) > 1 and word not in ("ops", "rh"))
        )

    def _titles(self, doc: Doc) -> list[Span]:
        """Unlisted titles after a determiner (see the module docstring)."""
        found = []
        heads = TITLE_HEADS.get(self.lang, set())
        tails = TITLE_TAILS.get(self.lang, {})
        for det in doc[:-2]:
            if fold(det.text) not in self.determiners:
                continue
            i = det.i + 1
            first = fold(doc[i].text)
            end = None
            role = "team_lead"
            if first in heads:
                j = i + 1
                if first == "head":
                    if fold(doc[j].text) != "of" or j + 1 >= len(doc):
                        continue
                    j += 1
                if j < len(doc) and self._specialty(doc[j]):
                    end = j + 1
                    if end < len(doc) and fold(doc[end].text) in TITLE_SUFFIX_WORDS:
                        end += 1
            elif tails:  # `the platform lead`, `the clinical safety officer`
                for j in range(i + 1, min(i + 3, len(doc))):
                    if fold(doc[j].text) in tails and all(self._specialty(t) for t in doc[i:j]):
                        end, role = j + 1, tails[fold(doc[j].text)]
                        break
            if end is not None:
                found.append(Span(doc, det.i, end, label="ROLE_MENTION", span_id=role))
        return found


@Language.factory("silo_roles", default_config={"lang": "en"})
def make_roles(nlp: Language, name: str, lang: str):
    return RoleMatcher(nlp, lang)
