"""The NLP step isolates documents: a text past spaCy's limit is annotated in chunks mapped
back to it, a document that fails is quarantined and the others are annotated."""

from __future__ import annotations

from pipelines.annotation.isolation import annotate_isolated, split_text


def test_split_text_cuts_at_paragraphs_and_concatenates_back():
    text = ("word " * 30 + "\n\n") * 40  # 40 paragraphs of 152 characters
    pieces = split_text(text, bound=1000)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 1000 for _, piece in pieces)
    assert all(piece.endswith("\n\n") for _, piece in pieces[:-1])
    assert [offset for offset, _ in pieces] == [
        sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))
    ]


def test_a_text_without_any_break_is_still_cut_within_the_bound():
    pieces = split_text("x" * 2500, bound=1000)
    assert [len(p) for _, p in pieces] == [1000, 1000, 500]


def _fake_annotate(batch):
    """A stand-in NLP layer: one decision per 'DECIDED' found, refusing texts past 1500
    characters as spaCy does (E088), and failing on a poisoned text."""
    tables = {"annotations": [], "decisions": [], "references": []}
    for doc in batch:
        if len(doc["text"]) > 1500:
            raise ValueError(f"[E088] Text of length {len(doc['text'])} exceeds maximum")
        if "POISON" in doc["text"]:
            raise RuntimeError("the parser crashed")
        at = doc["text"].find("DECIDED")
        n = 0
        while at >= 0:
            n += 1
            tables["decisions"].append(
                {"decision_id": f"{doc['document_id']}#d{n}", "document_id": doc["document_id"],
                 "start_char": at, "sentence": "DECIDED"}
            )  # fmt: skip
            at = doc["text"].find("DECIDED", at + 1)
        tables["annotations"].append(
            {"document_id": doc["document_id"], "text_hash": "chunk", "language": "en",
             "n_words": len(doc["text"].split()), "business_terms": 1, "tech_terms": 1,
             "business_share": 0.5, "tech_share": 0.5}
        )  # fmt: skip
    return tables


def test_long_document_is_chunked_and_its_rows_map_back_with_unique_ids():
    long_text = ("blah " * 50 + "DECIDED\n\n") * 30  # 30 decisions, 7,800 characters
    docs = [
        {"document_id": "long", "text": long_text},
        {"document_id": "short", "text": "DECIDED once"},
    ]
    tables, quarantine = annotate_isolated(_fake_annotate, docs, bound=1000)
    decisions = [d for d in tables["decisions"] if d["document_id"] == "long"]
    assert len(decisions) == 30
    assert len({d["decision_id"] for d in decisions}) == 30
    assert all(long_text[d["start_char"] :].startswith("DECIDED") for d in decisions)
    annotations = {a["document_id"]: a for a in tables["annotations"]}
    assert set(annotations) == {"long", "short"}
    assert annotations["long"]["n_words"] == len(long_text.split())
    assert annotations["long"]["business_terms"] > 1
    assert annotations["long"]["text_hash"] != "chunk"
    [notice] = quarantine.rows
    assert notice["location"] == "long" and notice["stage"] == "nlp"
    assert "annotated in" in notice["reason"] and "chunks" in notice["reason"]


def test_a_failing_document_is_quarantined_and_the_others_are_annotated():
    docs = [
        {"document_id": "a", "text": "DECIDED a"},
        {"document_id": "bad", "text": "POISON"},
        {"document_id": "c", "text": "DECIDED c"},
    ]
    tables, quarantine = annotate_isolated(_fake_annotate, docs, bound=1000)
    assert {a["document_id"] for a in tables["annotations"]} == {"a", "c"}
    [row] = quarantine.rows
    assert row["record_id"] == "bad"
    assert "RuntimeError: the parser crashed" in row["reason"]


def test_a_text_past_spacys_limit_is_annotated_by_the_real_nlp_layer():
    from nlp import annotate_documents

    paragraph = "We reviewed the pricing and the customer contract for the next quarter.\n\n"
    text = paragraph * (1_050_000 // len(paragraph) + 1)  # past spaCy's 1,000,000
    docs = [{"document_id": "huge", "text": text}, {"document_id": "small", "text": paragraph}]
    tables, quarantine = annotate_isolated(
        lambda batch: annotate_documents(batch, outputs=("annotations", "decisions")), docs
    )
    rows = {a["document_id"]: a for a in tables["annotations"]}
    assert set(rows) == {"huge", "small"}
    assert rows["huge"]["n_words"] == rows["small"]["n_words"] * (len(text) // len(paragraph))
    assert [r["record_id"] for r in quarantine.rows] == ["huge"]
