"""End to end: generate the demo organisation, run every asset, recover the planted facts.

One pipeline run per session (about a minute): the demo inputs are replayed through the same
clients and parsers as live data, dbt builds on DuckDB, the NLP step runs on the real French
model, and the checks below read the published snapshot the way a consultant would.

The run uses production Dagster storage where PostgreSQL's server binaries exist: a real
server on 127.0.0.1 (tests/conftest.py) and pipelines/defs/deploy/dagster.yaml as written, so the
documented instance is tested by the same run; elsewhere it runs on the default SQLite storage
and the PostgreSQL test skips with the reason.
"""

from __future__ import annotations

import collections
import json
import os
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines.cli.runner import run_pipeline
from pipelines.config import load_workspace
from pipelines.demo.generator import generate
from pipelines.publish.alerts import load_state, open_alerts, state_path

pytestmark = pytest.mark.e2e


OPS = Path(__file__).resolve().parents[2] / "pipelines" / "defs" / "deploy"


@pytest.fixture(scope="module")
def production_home(request, tmp_path_factory):
    """(DAGSTER_HOME holding deploy/dagster.yaml, its environment), or (None, why not)."""
    try:
        server = request.getfixturevalue("postgres_server")
    except pytest.skip.Exception as exc:
        return None, {"reason": str(exc)}
    home = tmp_path_factory.mktemp("dagster-home")
    shutil.copyfile(OPS / "dagster.yaml", home / "dagster.yaml")
    return home, {**server.env(), "DAGSTER_HOME": str(home)}


@pytest.fixture(scope="module")
def demo(tmp_path_factory, production_home):
    root = tmp_path_factory.mktemp("demo")
    truth = generate(root, seed=7)
    ws = load_workspace(root)
    period = truth["period"]
    home, env = production_home
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (env if home else {}).items():
            patch.setenv(name, value)
        run_pipeline(ws, date.fromisoformat(period["start"]), date.fromisoformat(period["end"]))
    con = duckdb.connect(str(ws.snapshot_path), read_only=True)
    yield ws, truth, con
    con.close()


def test_the_demo_runs_are_stored_in_postgresql_and_read_back(demo, production_home):
    """GIVEN deploy/dagster.yaml on a real PostgreSQL server WHEN the demo ran THEN its runs,
    events and schedule storage are in PostgreSQL, the file is untouched, and every stage's run
    reads back as a success tagged with the workspace."""
    home, env = production_home
    if home is None:
        pytest.skip(env["reason"])
    from dagster import AssetKey, DagsterInstance, DagsterRunStatus, RunsFilter
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage
    from dagster_postgres.schedule_storage import PostgresScheduleStorage

    assert (home / "dagster.yaml").read_bytes() == (OPS / "dagster.yaml").read_bytes()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        with DagsterInstance.from_config(str(home)) as instance:
            assert isinstance(instance.run_storage, PostgresRunStorage)
            assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
            assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
            assert instance.schedule_storage.all_instigator_state() == []
            limits = instance.get_concurrency_config().run_queue_config.tag_concurrency_limits
            assert {limit["key"] for limit in limits} == {"dagster/code_location", "silo/workspace"}
            runs = instance.get_runs(filters=RunsFilter(tags={"silo/workspace": "demo"}))
            assert runs and all(run.status == DagsterRunStatus.SUCCESS for run in runs)
            latest = instance.get_latest_materialization_event(AssetKey("warehouse_snapshot"))
            assert latest is not None and latest.run_id in {run.run_id for run in runs}


def rows(con, sql, *params):
    cursor = con.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def utc(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_every_planted_latency_is_recovered_exactly(demo):
    _, truth, con = demo
    flow = {r["item_id"]: r for r in rows(con, "select * from fct_information_flow")}
    for planted in truth["latencies"]:
        item = planted["item_id"]
        assert item in flow, f"{item} ({planted['reference_form']}) is not a field item"
        got = flow[item]
        assert got["is_critical"] == planted["critical"], item
        assert got["has_reached_comex"] == planted["reaches_comex"], item
        if planted["reaches_comex"]:
            assert got["field_to_comex_hours"] == pytest.approx(
                planted["field_to_comex_hours"], abs=0.01
            ), f"{item} via {planted['reference_form']}"
            assert got["first_comex_at"] == utc(planted["comex_at"]).replace(tzinfo=None)
        else:
            assert got["field_to_comex_hours"] is None, item
        if planted.get("management_at"):
            assert got["first_management_at"] == utc(planted["management_at"]).replace(tzinfo=None)


def test_every_reference_form_links_minutes_to_items(demo):
    _, truth, con = demo
    forms = {p["reference_form"] for p in truth["latencies"] if p["reaches_comex"]}
    assert len(forms) >= 3
    linked = {
        r["to_item_id"]
        for r in rows(
            con,
            "select distinct to_item_id from int_references_resolved "
            "where document_kind = 'minutes'",
        )
    }
    for planted in truth["latencies"]:
        if planted["reaches_comex"]:
            assert planted["item_id"] in linked, planted


def test_the_report_shows_critical_items_that_never_arrived(demo):
    ws, truth, con = demo
    never = {p["item_id"] for p in truth["latencies"] if p["critical"] and not p["reaches_comex"]}
    stuck = {
        r["item_id"]
        for r in rows(
            con,
            "select item_id from fct_information_flow where is_critical and not has_reached_comex",
        )
    }
    assert never <= stuck
    page = (ws.reports_dir / "latency.html").read_text(encoding="utf-8")
    assert "Field → COMEX latency" in page and "Critical items still waiting" in page


def test_the_real_roadmap_decider_is_not_the_official_owner(demo):
    _, truth, con = demo
    planted = truth["real_decider"]
    top = rows(
        con,
        "select * from fct_arbitration where decision_domain = ? order by decisions desc limit 1",
        planted["domain"],
    )[0]
    assert top["decider_id"] == planted["real_person_id"]
    assert not top["is_official_owner"]
    owner = rows(
        con,
        "select coalesce(sum(decisions), 0) as n from fct_arbitration "
        "where decision_domain = ? and decider_id = ?",
        planted["domain"],
        planted["official_person_id"],
    )[0]["n"]
    assert top["decisions"] > owner


def test_technical_decisions_without_tech_present_are_flagged(demo):
    _, truth, con = demo
    flagged = {
        r["meeting_id"]
        for r in rows(
            con, "select distinct meeting_id from fct_decisions where is_tech_decision_without_tech"
        )
    }
    planted = {d["meeting_id"] for d in truth["tech_decisions_without_tech"]}
    assert planted <= flagged


def test_cross_side_interaction_falls_in_the_last_weeks(demo):
    _, truth, con = demo
    weeks = {str(r["week_start"]): r for r in rows(con, "select * from fct_silo_weekly")}
    for planted in truth["cross_side"]["weeks"]:
        got = weeks.get(planted["week"])
        assert got is not None, planted["week"]
        assert got["cross_side_interactions"] == planted["cross_side"], planted["week"]
        assert got["interactions"] == planted["total"], planted["week"]
    silo_from = truth["cross_side"]["silo_from_week"]
    before = [w for k, w in weeks.items() if k < silo_from]
    after = [w for k, w in weeks.items() if k >= silo_from]

    def share(ws):
        return sum(w["cross_side_interactions"] for w in ws) / sum(w["interactions"] for w in ws)

    assert share(after) < 0.6 * share(before)


PLANTED_ALERTS = {
    "critical_never_arrived_share:critical-items",
    "official_owner_min_share:roadmap",
    "tech_decisions_without_tech:comex",
    "cross_side_drop:cross-side",
}


def alert_log_ids(ws) -> list[str]:
    """The message ids the demo's `file` sink wrote, in order (one header line each)."""
    log = Path(ws.root) / "alerts.log"
    return [
        line.split()[1]
        for line in log.read_text(encoding="utf-8").splitlines()
        if line[:4].isdigit() and "#" in line
    ]


def test_the_planted_alerts_are_written_once_to_the_file_sink_and_shown(demo):
    ws, _, _ = demo
    ids = alert_log_ids(ws)
    assert sorted(ids) == sorted(f"{alert}#1:fired" for alert in PLANTED_ALERTS)
    text = (Path(ws.root) / "alerts.log").read_text(encoding="utf-8")
    assert "Evidence:" in text and "Report: file://" in text and "None" not in text
    state = load_state(state_path(ws.root))
    assert {a["alert_id"] for a in open_alerts(state)} == PLANTED_ALERTS
    assert state["outbox"] == []
    page = (ws.reports_dir / "latency.html").read_text(encoding="utf-8")
    assert "Open alerts" in page
    assert all(f"id='alert-{alert}'" in page for alert in PLANTED_ALERTS)


def test_a_rerun_changes_nothing_and_duplicates_nothing(demo):
    ws, truth, con = demo
    counts = {
        t: con.execute(f"select count(*) from {t}").fetchone()[0]
        for t in ("int_items", "int_documents", "fct_decisions", "fct_information_flow")
    }
    period = truth["period"]
    first, last = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    run_pipeline(ws, first, last, keep_history=False)  # the first run kept its history
    with duckdb.connect(str(ws.snapshot_path), read_only=True) as again:
        for table, n in counts.items():
            assert again.execute(f"select count(*) from {table}").fetchone()[0] == n, table
    assert json.loads((Path(ws.root) / "truth.json").read_text()) == truth
    # the same breaches: the alerts stay open and nothing new is written to the sink
    assert len(alert_log_ids(ws)) == len(PLANTED_ALERTS)


def test_every_person_in_the_demo_evidence_resolves_to_the_directory(demo):
    _, _, con = demo
    assert rows(con, "select * from fct_unresolved_aliases") == []
    people = con.execute(
        "select count(distinct author_person_id) from int_documents where not is_author_bot"
    ).fetchone()[0]
    assert people >= 60  # nearly everyone of the organisation writes somewhere


# --- The same dbt project on PostgreSQL (dbt_project/README.md, "Running on PostgreSQL") ---

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"

# The marts the product's answers come from: present and not empty on PostgreSQL.
KEY_MARTS = ("fct_information_flow", "fct_decisions", "fct_arbitration", "fct_silo_weekly")


def same_rows(cursor) -> collections.Counter:
    """A query's rows as a multiset; numbers to 9 decimals (a double on DuckDB can be a
    numeric on PostgreSQL: `count(*) * 1.0 / n`)."""
    return collections.Counter(
        tuple(round(float(v), 9) if isinstance(v, float | Decimal) else v for v in row)
        for row in cursor.fetchall()
    )


@pytest.fixture(scope="module")
def postgres_build(demo, postgres_server, tmp_path_factory):
    """The demo's raw and NLP landing loaded into a fresh PostgreSQL database (twice, to show
    a re-load replaces), then `dbt build --target postgres`: (connection, dbt's output)."""
    import subprocess
    import sys

    import psycopg2

    from pipelines.warehouse_pg import load_landing

    ws, _, _ = demo
    server = postgres_server
    admin = psycopg2.connect(host=server.host, port=server.port, user=server.user, dbname=server.db)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("create database silo_dbt")
    admin.close()
    params = {"host": server.host, "port": server.port, "user": server.user, "dbname": "silo_dbt"}
    first = load_landing(ws.root, params)
    assert load_landing(ws.root, params) == first  # a re-load replaces, never duplicates
    env = {
        **os.environ,
        "SILO_WORKSPACE": str(ws.root),
        "SILO_PG_HOST": server.host,
        "SILO_PG_PORT": str(server.port),
        "SILO_PG_USER": server.user,
        "SILO_PG_DBNAME": "silo_dbt",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    out = tmp_path_factory.mktemp("dbt-postgres")
    dbt = Path(sys.executable).parent / "dbt"
    build = subprocess.run(
        [str(dbt), "build", "--target", "postgres", "--project-dir", str(DBT_PROJECT),
         "--profiles-dir", str(DBT_PROJECT), "--target-path", str(out / "target"),
         "--log-path", str(out / "logs")],
        env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    con = psycopg2.connect(**params)
    yield con, first, build
    con.close()


def test_dbt_builds_on_postgresql_from_the_loaded_landing(postgres_build):
    """GIVEN the demo's landing loaded into PostgreSQL WHEN dbt builds on the postgres target
    THEN every model, unit test and data test passes."""
    _, loaded, build = postgres_build
    assert build.returncode == 0, build.stdout[-4000:]
    assert "ERROR=0" in build.stdout and "PASS=" in build.stdout
    assert loaded["github.issues"] > 0 and loaded["nlp.decisions"] > 0


def test_postgresql_models_equal_the_duckdb_models_row_for_row(demo, postgres_build):
    """GIVEN the same landing WHEN built on DuckDB (the demo run) and on PostgreSQL THEN every
    table dbt built holds the same rows, every column compared: latencies, decisions,
    arbitration, weekly interactions, and every intermediate model under them."""
    _, _, duck = demo
    pg, _, build = postgres_build
    assert build.returncode == 0, build.stdout[-4000:]
    with pg.cursor() as cursor:
        cursor.execute(
            "select table_name from information_schema.tables"
            " where table_schema = 'silo' and table_type = 'BASE TABLE'"
        )
        models = sorted(name for (name,) in cursor.fetchall())
        assert set(KEY_MARTS) | {"int_threads", "int_documents"} <= set(models)
        for model in models:
            cursor.execute(f"select * from silo.{model}")
            columns = ", ".join(f'"{column.name}"' for column in cursor.description)
            on_pg = same_rows(cursor)
            on_duck = same_rows(duck.execute(f"select {columns} from {model}"))
            assert on_pg == on_duck, (model, list((on_pg - on_duck).items())[:2])
            assert on_pg or model not in KEY_MARTS, model
