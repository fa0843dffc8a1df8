"""Silo Signals NLP: vocabulary, decisions, actors and references (FR and EN).

`from nlp import annotate_documents` is the entry point (see `nlp/README.md`). spaCy is
imported on first use only, so `nlp.references` stays a cheap pure-regex import.
"""

__all__ = ["annotate_documents"]


def __getattr__(name: str):
    if name == "annotate_documents":
        from nlp.annotate import annotate_documents

        return annotate_documents
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
