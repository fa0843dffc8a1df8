"""annotate_documents: table shapes, ids, routing, cache; and the eval script on the dev set."""

import json
from pathlib import Path

import pytest

from nlp import annotate_documents
from nlp.annotate import TABLES, _candidate_lines
from nlp.eval import main as eval_main

DOCS = [
    {
        "document_id": "notes:2026-03-02-comex#decisions-1",
        "kind": "minutes",
        "language": None,
        "default_repo": None,
        "jira_base_urls": ["https://acme.atlassian.net"],
        "text": "## Décisions\n- Le CTO a décidé de reporter la migration au T4 (PAY-12).\n"
        "- Faut-il changer d'API ?\n- Validé par notre DAF : budget cloud +10 %.\n",
    },
    {
        "document_id": "github:acme/app#7",
        "kind": "pr",
        "language": "en",
        "default_repo": "acme/app",
        "jira_base_urls": ["https://acme.atlassian.net/"],
        "text": "Fixes #12. Sarah signed off on the new pricing. "
        "See https://acme.atlassian.net/browse/OPS-3",
    },
]


def test_tables_have_the_contract_columns_and_json_values():
    tables = annotate_documents(DOCS)
    assert set(tables) == set(TABLES)
    ann = {r["document_id"]: r for r in tables["annotations"]}
    assert ann["notes:2026-03-02-comex#decisions-1"]["language"] == "fr"
    assert {
        "document_id",
        "text_hash",
        "language",
        "n_words",
        "business_terms",
        "tech_terms",
        "business_share",
        "tech_share",
    } <= set(ann["github:acme/app#7"])
    ids = [d["decision_id"] for d in tables["decisions"]]
    assert ids == [
        "notes:2026-03-02-comex#decisions-1#d1",
        "notes:2026-03-02-comex#decisions-1#d2",
        "github:acme/app#7#d1",
    ]
    first = tables["decisions"][0]
    assert first["status"] == "postponed"
    assert json.loads(first["actors"])[0]["role"] == "cto"
    refs = {(r["document_id"], r["ref_type"], r["item_id"]) for r in tables["references"]}
    assert ("notes:2026-03-02-comex#decisions-1", "jira_key", "jira:PAY-12") in refs
    assert ("github:acme/app#7", "github_short", "github:acme/app#12") in refs
    assert ("github:acme/app#7", "url", "jira:OPS-3") in refs
    assert {r["role"] for r in tables["role_mentions"]} == {"cto", "cfo"}
    json.dumps(tables)  # everything JSON-serialisable


def test_only_cue_lines_reach_the_full_pipeline():
    lines = _candidate_lines(DOCS[0]["text"], "fr")
    assert [line for _, line in lines] == [
        "- Le CTO a décidé de reporter la migration au T4 (PAY-12).",
        "- Validé par notre DAF : budget cloud +10 %.",
    ]


def test_rerun_hits_the_cache_and_changed_text_does_not(tmp_path):
    first_stats, second_stats, third_stats = {}, {}, {}
    first = annotate_documents(DOCS, cache_dir=tmp_path, stats=first_stats)
    second = annotate_documents(DOCS, cache_dir=tmp_path, stats=second_stats)
    changed = [DOCS[0], dict(DOCS[1], text=DOCS[1]["text"] + " Approved.")]
    annotate_documents(changed, cache_dir=tmp_path, stats=third_stats)
    assert first_stats["cache_hits"] == 0 and first_stats["annotated"] == 2
    assert second_stats == {"documents": 2, "cache_hits": 2, "annotated": 0}
    assert second == first
    assert third_stats["cache_hits"] == 1 and third_stats["annotated"] == 1


def test_missing_document_id_is_a_clear_error():
    with pytest.raises(ValueError, match="document #0 has no document_id"):
        annotate_documents([{"text": "x"}])


def test_eval_on_dev_set_meets_targets(capsys):
    dev = Path(__file__).resolve().parents[2] / "data" / "labels" / "synthetic" / "dev"
    assert eval_main(["--set", str(dev)]) == 0
    out = capsys.readouterr().out
    for lang in ("fr", "en"):
        row = next(
            line for line in out.splitlines() if f"| {lang} |" in line and "| DECISION |" in line
        )
        assert float(row.split("|")[6]) >= 0.85


def _variants(n: int) -> list[dict]:
    """`n` distinct documents of both languages and kinds, from DOCS."""
    return [
        {**doc, "document_id": f"{doc['document_id']}-{i}", "text": f"{doc['text']} (v{i})"}
        for i in range(n // len(DOCS))
        for doc in DOCS
    ]


def test_worker_processes_give_the_rows_one_process_gives(monkeypatch):
    from nlp import annotate

    docs = _variants(40)
    people = ["Sarah Connor", "Sarah"]
    alone = annotate_documents(docs, known_people=people)
    monkeypatch.setattr(annotate, "PARALLEL_MIN_DOCUMENTS", 4)
    with annotate.Annotator(n_process=2, known_people=people) as annotator:
        shared = annotator.annotate(docs)
        pool = annotator._pool
        assert pool is not None  # the work went to the workers
        again = annotator.annotate(_variants(20))
        assert annotator._pool is pool  # kept for the next call: models loaded once
    assert annotator._pool is None
    assert shared == alone
    assert again["annotations"] == [
        row
        for row in alone["annotations"]
        if row["document_id"].split("-")[-1] in set("0123456789")
    ]


def test_a_text_repeated_in_a_call_is_read_once():
    docs = [{**DOCS[1], "document_id": f"github:acme/app#{n}"} for n in (7, 8, 9)]
    stats: dict = {}
    tables = annotate_documents(docs, stats=stats)
    assert stats == {"documents": 3, "cache_hits": 2, "annotated": 1}
    assert [r["document_id"] for r in tables["annotations"]] == [d["document_id"] for d in docs]
    assert [d["decision_id"] for d in tables["decisions"]] == [
        f"github:acme/app#{n}#d1" for n in (7, 8, 9)
    ]
