"""`silo_references`: the pure regex finder `nlp.references.find_references` as a component.

Reads `default_repo`, `jira_base_urls` (and optionally `jira_projects`) from
`doc._.silo_context`; writes `doc._.references` (list of `Reference`) and REFERENCE spans.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from nlp.components import text_of
from nlp.references import find_references


class ReferenceFinder:
    def __call__(self, doc: Doc) -> Doc:
        context = doc._.silo_context or {}
        refs = find_references(
            text_of(doc),
            default_repo=context.get("default_repo"),
            jira_base_urls=context.get("jira_base_urls") or (),
            jira_projects=context.get("jira_projects"),
        )
        doc._.references = refs
        spans = []
        for ref in refs:
            span = doc.char_span(
                ref.start_char, ref.end_char, label="REFERENCE", alignment_mode="expand"
            )
            if span is not None:
                spans.append(span)
        doc.spans["REFERENCE"] = spans
        return doc


@Language.factory("silo_references", default_config={})
def make_references(nlp: Language, name: str):
    return ReferenceFinder()
