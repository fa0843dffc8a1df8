"""Implicit links of a workspace (pipelines/annotation/links.py) from a small hand-built
warehouse: what is read (items, who took part, leadership minutes only, names) and landed."""

from __future__ import annotations

import gc
import json
import logging
import marshal

import duckdb
import pyarrow.parquet as pq
import pytest

from nlp.links import TextWords, terms
from pipelines import reruns
from pipelines.annotation.links import (
    BASIS,
    STEP,
    WordStore,
    link_workspace,
    start_step,
)
from pipelines.config import load_workspace

SILO = "workspace: t\nstart_date: 2026-01-05\n"


def warehouse(root) -> None:
    path = root / "warehouse" / "silo.duckdb"
    path.parent.mkdir(parents=True)
    with duckdb.connect(str(path)) as con:
        con.execute(
            """
            create table int_items as select * from (values
                ('jira:SUP-1', timestamp '2026-03-02 09:00', 'Export CSV en échec pour '
                 || 'Laboratoires Durance', 'ana', false),
                ('jira:SUP-2', timestamp '2026-03-02 09:00', 'Notifications push perdues',
                 'ana', false),
                ('jira:SUP-3', timestamp '2026-03-02 09:00', 'Export CSV en échec', 'bot',
                 true)
            ) as t (item_id, created_at, title, author_person_id, is_author_bot);
            create table int_documents as select * from (values
                ('jira:SUP-1/body', 'jira:SUP-1', 'ticket', null, null,
                 timestamp '2026-03-02 09:00', 'ana', false,
                 'Export CSV en échec\n\nLe service financier de Laboratoires Durance '
                 || 'ne peut plus exporter ses écritures comptables.'),
                ('c1', 'jira:SUP-1', 'comment', null, null, timestamp '2026-03-03 09:00',
                 'leo', false, 'Reproduit.'),
                ('notes:m1#s', 'notes:m1#s', 'minutes', 'notes:m1', 'comex',
                 timestamp '2026-03-09 08:00', null, false,
                 'Points abordés\nLe bug d''export qui bloque la finance de Laboratoires '
                 || 'Durance : Léo Martin relance.'),
                ('notes:t1#s', 'notes:t1#s', 'minutes', 'notes:t1', 'field',
                 timestamp '2026-03-09 08:00', null, false,
                 'Points\nLe bug d''export qui bloque la finance de Laboratoires Durance.')
            ) as t (document_id, item_id, document_kind, meeting_id, document_level,
                    authored_at, author_person_id, is_author_bot, document_text);
            create table stg_directory__people as select * from (values
                ('ana', 'Ana Petit', false), ('leo', 'Léo Martin', false)
            ) as t (person_id, display_name, is_bot);
            create table stg_directory__aliases as select * from (values
                ('leo', 'name', 'Léo M.')
            ) as t (person_id, alias_source, alias);
            """
        )


def test_a_comex_paraphrase_is_landed_with_its_evidence_and_team_minutes_are_not_read(tmp_path):
    (tmp_path / "silo.yml").write_text(SILO, encoding="utf-8")
    warehouse(tmp_path)
    ws = load_workspace(tmp_path)
    assert link_workspace(ws) == 1
    [row] = pq.read_table(tmp_path / "nlp" / "implicit_links" / "current.parquet").to_pylist()
    assert (row["item_id"], row["meeting_id"], row["meeting_level"]) == (
        "jira:SUP-1",
        "notes:m1",
        "comex",
    )
    assert json.loads(row["shared_person_ids"]) == ["leo"]  # a commenter named in the minutes
    assert "durance" in json.loads(row["shared_entities"])
    assert row["score"] >= ws.links.implicit_threshold and row["days_after"] > 6


def test_a_run_leaves_the_item_words_the_next_one_reads_instead_of_the_texts(tmp_path):
    (tmp_path / "silo.yml").write_text(SILO, encoding="utf-8")
    warehouse(tmp_path)
    ws = load_workspace(tmp_path)
    assert link_workspace(ws) == 1
    title = "Export CSV en échec pour Laboratoires Durance"
    code = reruns.code_print()
    [(text, words)] = WordStore.load(ws, code).known([title, "a text no run read"]).items()
    assert text == title and words.terms == terms(title) and "durance" in words.sure
    assert WordStore.load(ws, "other code").known([title]) == {}  # read again: other code

    def relink() -> list[str]:
        BASIS.forget(ws)  # no carry-over: every meeting rescored from the items
        link_workspace(ws)
        table = pq.read_table(tmp_path / "nlp" / "implicit_links" / "current.parquet")
        return table.column("item_id").to_pylist()

    blank = TextWords.from_parts([[]] * 5)
    words_file = tmp_path / "state" / "nlp-links" / "words.marshal"
    stored = words_file.read_bytes()
    with duckdb.connect(str(ws.warehouse_path), read_only=True) as con:
        [(body,)] = con.execute(
            "select document_text from int_documents where document_id = 'jira:SUP-1/body'"
        ).fetchall()
    WordStore(ws, code).save({title: blank, body: blank})
    assert relink() == []  # the stored words stand for the texts: their terms are gone
    words_file.write_bytes(stored[: len(stored) // 2])  # damaged: every text read again
    assert relink() == ["jira:SUP-1"]
    found = marshal.loads(stored)
    found["words"] = {key: 5 for key in found["words"]}  # of this code, but not words
    words_file.write_bytes(marshal.dumps(found))
    assert relink() == ["jira:SUP-1"]


def test_implicit_links_off_lands_an_empty_table(tmp_path):
    (tmp_path / "silo.yml").write_text(SILO + "links: {implicit: false}\n", encoding="utf-8")
    warehouse(tmp_path)
    assert link_workspace(load_workspace(tmp_path)) == 0
    assert pq.read_table(tmp_path / "nlp" / "implicit_links" / "current.parquet").num_rows == 0


def test_the_step_in_a_child_process_lands_the_link_logs_and_is_then_current(tmp_path, caplog):
    (tmp_path / "silo.yml").write_text(SILO, encoding="utf-8")
    warehouse(tmp_path)
    ws = load_workspace(tmp_path)
    log = logging.getLogger("test.links.child")
    with caplog.at_level(logging.INFO, logger="test.links.child"):
        finish = start_step(ws, log)  # returns at once: the child works
        assert finish() == ({"rows": 1}, False)
    assert any("implicit links:" in message for message in caplog.messages)  # the child's
    [row] = pq.read_table(tmp_path / "nlp" / "implicit_links" / "current.parquet").to_pylist()
    assert (row["item_id"], row["meeting_id"]) == ("jira:SUP-1", "notes:m1")
    assert STEP.is_current(ws)  # the child recorded its run, as the step in-process does
    assert start_step(ws, log)() == ({"rows": 1}, True)


def test_an_error_in_the_child_is_raised_by_the_wait(tmp_path):
    (tmp_path / "silo.yml").write_text(SILO, encoding="utf-8")
    ws = load_workspace(tmp_path)  # no warehouse: the step cannot read its inputs
    finish = start_step(ws)
    with pytest.raises(duckdb.Error, match="silo.duckdb"):
        finish()
    assert not (tmp_path / "state" / "steps" / f"{STEP.name}.json").exists()  # no run recorded


def test_the_child_runs_with_the_collector_thresholds_of_a_pipeline_process():
    # spawned, the child would start with Python's defaults (700, 10, 10)
    from pipelines.annotation.links import _child_pool
    from pipelines.gcpolicy import THRESHOLDS

    with _child_pool() as pool:
        assert pool.submit(gc.get_threshold).result() == THRESHOLDS
