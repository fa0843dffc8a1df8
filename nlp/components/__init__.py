"""spaCy components of Silo Signals, registered as factories on import.

One module per factory (`silo_references` lives in `silo_references.py`: `nlp/references.py`
is the pure regex finder it wraps).

| factory            | sets                                                           |
|--------------------|----------------------------------------------------------------|
| `silo_vocabulary`  | `doc.spans["BUSINESS_TERM"]`, `["TECH_TERM"]`, `doc._.term_stats` |
| `silo_roles`       | `doc.spans["ROLE_MENTION"]` (span `id_` = canonical role id)   |
| `silo_references`  | `doc.spans["REFERENCE"]`, `doc._.references`                   |
| `silo_decisions`   | `doc.spans["DECISION"]`, `["DECISION_ACTOR"]`, `doc._.decisions` |

Per-document inputs (default repository, Jira base URLs) travel in `doc._.silo_context`, and
the text the document was made from in `doc._.silo_text` (read it with `text_of`).
"""

from spacy.tokens import Doc

for _name in ("silo_context", "silo_text", "term_stats", "references", "decisions"):
    Doc.set_extension(_name, default=None, force=True)


def text_of(doc: Doc) -> str:
    """The document's text: `doc._.silo_text` when its maker set it, else `doc.text`, which
    spaCy joins from every token again on each access (a tenth of the annotation's time when
    two components asked for it on every document)."""
    text = doc._.silo_text
    return doc.text if text is None else text


from nlp.components import (  # noqa: E402,F401
    decisions,
    roles,
    silo_references,
    vocabulary,
)
