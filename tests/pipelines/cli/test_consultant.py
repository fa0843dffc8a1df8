"""Consultant access: `silo query` and `silo export` act on the workspace named by -w or
SILO_WORKSPACE, never on another one; `silo docs` builds dbt's docs with the venv's dbt."""

import csv

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.cli import main


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.delenv("SILO_WORKSPACE", raising=False)
    root = tmp_path / "acme"
    (root / "warehouse").mkdir(parents=True)
    (root / "silo.yml").write_text("workspace: acme\nstart_date: 2026-01-05\n")
    with duckdb.connect(str(root / "warehouse" / "silo_snapshot.duckdb")) as con:
        con.execute("create table fct_x as select * from (values ('a', 1), ('b', 2)) t(k, n)")
        con.execute("create table fct_y as select 42 as answer")
        con.execute("create table stg_z as select 1 as not_a_mart")
    return root


def test_query_reads_the_workspace_silo_workspace_names(workspace, monkeypatch, capsys):
    monkeypatch.setenv("SILO_WORKSPACE", str(workspace))
    assert main(["query", "--csv", "select k from fct_x order by k"]) == 0
    assert capsys.readouterr().out.splitlines() == ["k", "a", "b"]


def test_query_fails_clearly_on_a_missing_workspace(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SILO_WORKSPACE", str(tmp_path / "gone"))
    assert main(["query", "select 1"]) == 2
    err = capsys.readouterr().err
    assert "gone" in err and "does not exist" in err and "SILO_WORKSPACE" in err


def test_query_without_any_workspace_says_how_to_name_one(monkeypatch, capsys):
    monkeypatch.delenv("SILO_WORKSPACE", raising=False)
    assert main(["query", "select 1"]) == 2
    assert "pass -w DIR or set SILO_WORKSPACE" in capsys.readouterr().err


def test_query_fails_clearly_before_the_first_run(workspace, capsys):
    (workspace / "warehouse" / "silo_snapshot.duckdb").unlink()
    assert main(["query", "-w", str(workspace), "select 1"]) == 2
    err = capsys.readouterr().err
    assert "no published snapshot yet" in err and "silo run -w" in err


def test_export_writes_every_mart_as_parquet_or_csv(workspace, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["export", "-w", str(workspace), "--format", "parquet", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["fct_x.parquet", "fct_y.parquet"]
    assert pq.read_table(out / "fct_x.parquet").to_pydict() == {"k": ["a", "b"], "n": [1, 2]}
    assert main(["export", "-w", str(workspace), "--format", "csv", str(out / "csv")]) == 0
    with open(out / "csv" / "fct_y.csv", newline="") as handle:
        assert list(csv.reader(handle)) == [["answer"], ["42"]]


def test_docs_builds_dbt_docs_into_the_workspace(workspace, capsys):
    with duckdb.connect(str(workspace / "warehouse" / "silo.duckdb")):
        pass
    assert main(["docs", "-w", str(workspace)]) == 0
    docs = workspace / "dbt-docs"
    assert (docs / "index.html").is_file() and (docs / "catalog.json").is_file()
    assert "index.html" in capsys.readouterr().out
