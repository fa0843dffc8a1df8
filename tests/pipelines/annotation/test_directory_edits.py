"""A directory edit costs the NLP step no annotation: texts are cached by text, people are
resolved after the cache. Real NLP layer, real directory, a real DuckDB warehouse; counts
documents run through the pipelines (never time)."""

import shutil
from datetime import date, datetime

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.annotation import annotate_workspace, known_people, workspace_resolver
from pipelines.config import load_workspace

SILO_YML = """
workspace: acme
timezone: Europe/Paris
start_date: 2026-01-05
sources:
  notes: {folder: notes}
  directory: {file: directory.yml}
"""

PERSON = (
    "  - {{id: {id}, name: {name}, team: T, side: {side}, level: {level}, arrived: 2020-01-01}}\n"
)

DOCUMENTS = [  # (document_id, text)
    ("jira:A-1/body", "- Le CTO a décidé : on passe sur Kafka pour les événements."),
    ("jira:A-2/body", "- Marie Dubois a tranché : on reste sur Redis pour le cache."),
    ("jira:A-3/body", "- Pierre Vidal a validé : on garde Postgres pour la facturation."),
    ("jira:A-4/body", "Rien de nouveau sur ce ticket, on en reparle lundi."),
]


def directory(people: list[tuple[str, str, str, str]], cto: str) -> str:
    lines = ["people:\n"]
    lines += [PERSON.format(id=i, name=n, side=s, level=lv) for i, n, s, lv in people]
    lines.append(f"roles:\n  - {{role: cto, person: {cto}, from: 2020-01-01, to: null}}\n")
    return "".join(lines)


BASE = [
    ("marie.dubois", "Marie Dubois", "business", "comex"),
    ("paul.lefevre", "Paul Lefèvre", "tech", "comex"),
    ("sophie.bernard", "Sophie Bernard", "tech", "comex"),
]


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "silo.yml").write_text(SILO_YML, encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "directory.yml").write_text(directory(BASE, "paul.lefevre"), encoding="utf-8")
    ws = load_workspace(tmp_path)
    ws.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(ws.warehouse_path)) as con:
        con.execute(
            "create table int_documents (document_id varchar, document_text varchar, "
            "document_kind varchar, default_repo varchar, meeting_id varchar, "
            "authored_at timestamp)"
        )
        for document_id, text in DOCUMENTS:
            con.execute(
                "insert into int_documents values (?, ?, 'ticket', null, null, ?)",
                [document_id, text, datetime(2026, 3, 2, 9)],
            )
        con.execute(
            "create table stg_notes__meetings (meeting_id varchar, meeting_date date, "
            "attendees varchar, absentees varchar, is_deleted boolean)"
        )
        con.execute(
            "insert into stg_notes__meetings values ('notes:m1', ?, ?, '[]', false)",
            [date(2026, 3, 2), '["Marie Dubois", "Pierre Vidal"]'],
        )
    return ws


def run(ws, batch_size=2):
    ws = load_workspace(ws.root)  # as each run does: the directory read again
    stats: dict = {}
    annotate_workspace(
        ws, workspace_resolver(ws), known_people=known_people(ws), stats=stats,
        batch_size=batch_size,
    )  # fmt: skip
    table = pq.read_table(ws.root / "nlp" / "decision_actors" / "current.parquet").to_pylist()
    actors = {row["document_id"]: row["person_id"] for row in table}
    attendees = pq.read_table(ws.root / "nlp" / "attendees" / "current.parquet").to_pylist()
    return stats, actors, {row["name_as_written"]: row["person_id"] for row in attendees}


def test_a_directory_edit_re_resolves_people_without_re_annotating(workspace):
    stats, actors, attendees = run(workspace)
    assert stats == {"documents": 4, "kept": 0, "annotated": 4, "cache_hits": 0}
    assert actors["jira:A-1/body"] == "paul.lefevre"  # the CTO on that day
    assert actors["jira:A-2/body"] == "marie.dubois"
    # with a directory, an unknown name before the verb is not read as an actor
    assert "jira:A-3/body" not in actors
    assert attendees == {"Marie Dubois": "marie.dubois", "Pierre Vidal": None}

    # a new CTO, and a homonym of Marie Dubois joins: no name the texts hold changes
    people = [*BASE, ("marie.dubois2", "Marie Dubois", "tech", "field")]
    (workspace.root / "directory.yml").write_text(directory(people, "sophie.bernard"))
    stats, actors, attendees = run(workspace)
    assert stats == {"documents": 4, "kept": 0, "annotated": 0, "cache_hits": 4}
    assert actors["jira:A-1/body"] == "sophie.bernard"
    assert actors["jira:A-2/body"] is None  # two Marie Dubois now: ambiguous
    assert attendees["Marie Dubois"] is None

    # Pierre Vidal is added: only the line that names him is read again, and he is found
    people.append(("pierre.vidal", "Pierre Vidal", "business", "management"))
    (workspace.root / "directory.yml").write_text(directory(people, "sophie.bernard"))
    stats, actors, attendees = run(workspace)
    assert stats == {"documents": 4, "kept": 0, "annotated": 1, "cache_hits": 3}
    assert actors["jira:A-3/body"] == "pierre.vidal"
    assert attendees["Pierre Vidal"] == "pierre.vidal"


def test_batches_give_the_tables_one_batch_gives(workspace):
    def tables():
        return {
            name: sorted(
                map(repr, pq.read_table(workspace.root / "nlp" / name / "current.parquet")
                    .to_pylist())
            )
            for name in ("annotations", "references", "decisions", "decision_actors", "attendees")
        }  # fmt: skip

    run(workspace, batch_size=1)
    by_one = tables()
    run(workspace, batch_size=100)
    assert tables() == by_one
    assert len(by_one["annotations"]) == len(DOCUMENTS)


def _tables(ws) -> dict[str, list[str]]:
    return {
        name: sorted(map(repr, pq.read_table(ws.root / "nlp" / name / "current.parquet")
                         .to_pylist()))
        for name in ("annotations", "references", "decisions", "decision_actors", "attendees",
                     "quarantine")
    }  # fmt: skip


def test_a_run_reads_only_the_documents_changed_since_the_last(workspace, tmp_path):
    """GIVEN a first run WHEN a document changes, one is deleted and one is added THEN the next
    run reads those two only and its tables are those of a run that reads everything."""
    run(workspace)
    with duckdb.connect(str(workspace.warehouse_path)) as con:
        con.execute(
            "update int_documents set document_text = ? where document_id = 'jira:A-2/body'",
            ["- Marie Dubois a tranché : on passe sur Memcached pour le cache."],
        )
        con.execute("delete from int_documents where document_id = 'jira:A-4/body'")
        con.execute(
            "insert into int_documents values ('jira:A-5/body', ?, 'ticket', null, null, ?)",
            ["- Paul Lefèvre a décidé de reporter la migration.", datetime(2026, 3, 3, 9)],
        )
    stats, actors, _ = run(workspace)
    assert stats == {"documents": 4, "kept": 2, "annotated": 2, "cache_hits": 0}
    assert actors["jira:A-5/body"] == "paul.lefevre" and actors["jira:A-1/body"] == "paul.lefevre"
    incremental = _tables(workspace)
    assert not any("jira:A-4/body" in row for row in incremental["annotations"])

    # the same warehouse read whole (no record of a last run): the same tables
    (workspace.root / "state" / "nlp-annotations" / "basis.json").unlink()
    stats, _, _ = run(workspace)
    assert stats["kept"] == 0 and stats["documents"] == 4
    assert _tables(workspace) == incremental


def test_an_output_touched_or_settings_changed_means_reading_everything(workspace):
    run(workspace)
    stats, _, _ = run(workspace)
    assert stats["kept"] == 4
    (workspace.root / "nlp" / "decisions" / "current.parquet").unlink()  # a file gone
    stats, _, _ = run(workspace)
    assert stats["kept"] == 0 and stats["annotated"] == 0  # the NLP cache still answers
    people = [*BASE, ("pierre.vidal", "Pierre Vidal", "business", "management")]
    (workspace.root / "directory.yml").write_text(directory(people, "paul.lefevre"))
    stats, actors, _ = run(workspace)
    assert stats["kept"] == 0 and actors["jira:A-3/body"] == "pierre.vidal"


def test_a_moved_workspace_keeps_its_carry_over(workspace, tmp_path):
    """GIVEN a run WHEN the workspace folder is moved (files keep their times, as mv, cp -a or
    a restore do) THEN the next run still carries every unchanged document over."""
    run(workspace)
    moved = tmp_path.parent / f"{tmp_path.name}-moved"
    shutil.move(str(workspace.root), moved)
    stats, _, _ = run(load_workspace(moved))
    assert stats["kept"] == 4 and stats["annotated"] == 0 and stats["cache_hits"] == 0


def test_a_document_that_failed_is_read_again_the_next_run(workspace, monkeypatch):
    """GIVEN a run where one document fails (quarantined, no annotation row) WHEN the next run
    comes THEN it reads that document again and carries the three others over."""
    from nlp.annotate import Annotator

    real = Annotator.annotate

    def crashing_on_a4(self, docs, stats=None):
        if any(doc["document_id"] == "jira:A-4/body" for doc in docs):
            raise RuntimeError("the parser crashed")
        return real(self, docs, stats)

    monkeypatch.setattr(Annotator, "annotate", crashing_on_a4)
    run(workspace)
    quarantined = pq.read_table(workspace.root / "nlp" / "quarantine" / "current.parquet")
    assert quarantined.column("record_id").to_pylist() == ["jira:A-4/body"]
    monkeypatch.undo()
    stats, _, _ = run(workspace)
    assert stats["documents"] == 4 and stats["kept"] == 3
    annotations = pq.read_table(workspace.root / "nlp" / "annotations" / "current.parquet")
    assert "jira:A-4/body" in annotations.column("document_id").to_pylist()
