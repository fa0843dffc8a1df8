"""Helpers the decision-rule tests share: run a pipeline on one sentence and read back its
single decision and actor mentions."""


def decisions(nlp, text: str) -> list[dict]:
    return nlp(text)._.decisions


def one(nlp, text: str) -> dict:
    """The one decision found in `text`; fails saying what was found otherwise."""
    found = decisions(nlp, text)
    assert len(found) == 1, f"expected one decision in {text!r}, got {found}"
    return found[0]


def actor_texts(decision: dict) -> list[str]:
    return [a["text"] for a in decision["actors"]]


def pipeline_for(fr_full, en_full, lang: str):
    return fr_full if lang == "fr" else en_full
