"""pipelines/warehouse_pg.py against a real PostgreSQL server on 127.0.0.1 (tests/conftest.py):
the landing's tables arrive with their types, a re-load replaces, a bad type names its folder."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg2
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.warehouse_pg import connection_params, landing_tables, load_landing

ISSUES = pa.schema(
    [
        ("item_id", pa.string()),
        ("title", pa.string()),
        ("number", pa.int64()),
        ("is_pull_request", pa.bool_()),
        ("created_at", pa.timestamp("us", tz="UTC")),
    ]
)


def write(path, rows, schema):
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


@pytest.fixture
def landing(tmp_path):
    """A workspace landing: an empty schema file, two day files (the second without `title`,
    as union_by_name reads it), and an NLP table."""
    issues = tmp_path / "raw" / "github" / "issues"
    write(issues / "_schema.parquet", [], ISSUES)
    at_utc = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    write(
        issues / "2026-03-02.parquet",
        [
            {"item_id": "a", "title": 'say "hi",\nthen go', "number": 1,
             "is_pull_request": False, "created_at": at_utc},
            {"item_id": "b", "title": "", "number": None, "is_pull_request": True,
             "created_at": None},
        ],
        ISSUES,
    )  # fmt: skip
    write(
        issues / "2026-03-03.parquet",
        [{"item_id": "c", "number": 3, "is_pull_request": False, "created_at": at_utc}],
        pa.schema([f for f in ISSUES if f.name != "title"]),
    )
    write(
        tmp_path / "nlp" / "decisions" / "current.parquet",
        [{"decision_id": "d1", "on_day": date(2026, 3, 2), "score": 0.5}],
        pa.schema([("decision_id", pa.string()), ("on_day", pa.date32()), ("score", pa.float64())]),
    )
    return tmp_path


@pytest.fixture(scope="module")
def database(postgres_server):
    params = {"host": postgres_server.host, "port": postgres_server.port}
    params |= {"user": postgres_server.user, "dbname": postgres_server.db}
    return params


def fetch(params, query):
    with psycopg2.connect(**params) as con, con.cursor() as cursor:
        cursor.execute(query)
        rows = cursor.fetchall()
    con.close()
    return rows


def test_landing_tables_are_named_after_source_and_entity(landing):
    tables = landing_tables(landing)
    assert sorted(tables) == [("github", "issues"), ("nlp", "decisions")]
    names = [p.name for p in tables[("github", "issues")]]
    assert names == ["2026-03-02.parquet", "2026-03-03.parquet", "_schema.parquet"]


def test_the_landing_loads_with_its_types_and_a_reload_replaces(landing, database):
    assert load_landing(landing, database) == {"github.issues": 3, "nlp.decisions": 1}
    with psycopg2.connect(**database) as con, con.cursor() as cursor:  # as dbt's staging views
        cursor.execute("create or replace view public.stg as select * from github.issues")
    con.close()
    assert load_landing(landing, database) == {"github.issues": 3, "nlp.decisions": 1}
    assert fetch(database, "select count(*) from public.stg") == [(3,)]  # the view stays
    rows = fetch(
        database,
        "select item_id, title, number, is_pull_request, created_at from github.issues"
        " order by item_id",
    )
    at = datetime(2026, 3, 2, 9, 30)  # UTC, without a zone: staging's `timestamp`
    assert rows == [
        ("a", 'say "hi",\nthen go', 1, False, at),
        ("b", "", None, True, None),  # an empty string stays empty, a null stays null
        ("c", None, 3, False, at),  # a column missing from a file is null
    ]
    types = dict(
        fetch(
            database,
            "select column_name, data_type from information_schema.columns"
            " where table_schema = 'nlp' and table_name = 'decisions'",
        )
    )
    assert types == {"decision_id": "text", "on_day": "date", "score": "double precision"}


def test_a_type_without_mapping_names_its_folder(tmp_path, database):
    folder = tmp_path / "raw" / "jira" / "issues"
    write(
        folder / "2026-03-02.parquet",
        [{"labels": ["a"]}],
        pa.schema([("labels", pa.list_(pa.string()))]),
    )
    with pytest.raises(
        TypeError, match=r"raw/jira/issues column labels: Arrow type list<element: string>"
    ):
        load_landing(tmp_path, database)


def test_the_connection_comes_from_the_environment_with_defaults():
    env = {"SILO_PG_HOST": "db.internal", "SILO_PG_PORT": "6543", "SILO_PG_PASSWORD": "s3"}
    assert connection_params(env) == {
        "host": "db.internal", "port": 6543, "user": "silo", "password": "s3", "dbname": "silo",
    }  # fmt: skip


def test_a_table_whose_columns_changed_is_recreated(landing, database):
    load_landing(landing, database)
    decisions = landing / "nlp" / "decisions" / "current.parquet"
    write(decisions, [{"decision_id": "d2", "status": "taken"}], pa.schema([
        ("decision_id", pa.string()), ("status", pa.string())]))  # fmt: skip
    assert load_landing(landing, database)["nlp.decisions"] == 1
    assert fetch(database, "select * from nlp.decisions") == [("d2", "taken")]


def test_every_model_and_unit_test_name_fits_a_postgresql_relation():
    """dbt names a relation after each model and unit test: PostgreSQL refuses one over 63
    characters, which DuckDB accepts, so a long name breaks only the PostgreSQL build."""
    import yaml

    models = Path(__file__).resolve().parents[2] / "dbt_project" / "models"
    names = [path.stem for path in models.rglob("*.sql")]
    for path in models.rglob("*.yml"):
        names += [test["name"] for test in yaml.safe_load(path.read_text()).get("unit_tests", [])]
    assert names and [name for name in names if len(name) > 63] == []


def test_no_model_writes_what_postgresql_runs_as_a_nested_loop():
    """Two constructs DuckDB hashes and PostgreSQL runs row against row, which stalled the
    large bench's build there for minutes: `not in (select ...)` (write `not exists`) and
    `is not distinct from` (write `null_safe_equal`, which PostgreSQL can hash)."""
    project = Path(__file__).resolve().parents[2] / "dbt_project"
    found = []
    for folder in ("models", "macros", "tests"):
        for path in (project / folder).rglob("*.sql"):
            code = re.sub(r"--[^\n]*|\{#.*?#\}", "", path.read_text(), flags=re.S).lower()
            code = " ".join(code.replace('"', " ").split())  # jinja strings joined
            if re.search(r"not in \( ?select", code):
                found.append(f"{path.name}: not in (select ...)")
            if "is not distinct from" in code and path.name != "cross_database.sql":
                found.append(f"{path.name}: is not distinct from")
    assert found == []


def test_text_compares_byte_by_byte_as_in_duckdb_whatever_the_database_collation(
    tmp_path, database
):
    """min(), ranks and ordered lists over ids must agree with DuckDB (byte order: 'Web' <
    'api'), also in a database created with a linguistic collation (en-US: 'api' < 'Web')."""
    admin = psycopg2.connect(**database)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("drop database if exists silo_icu")
            cursor.execute(
                "create database silo_icu template template0 encoding 'UTF8'"
                " locale_provider icu icu_locale 'en-US'"
            )
    except psycopg2.Error as exc:
        pytest.skip(f"this PostgreSQL cannot create an ICU en-US database: {exc}")
    finally:
        admin.close()
    icu = {**database, "dbname": "silo_icu"}
    assert fetch(icu, "select min(x) from (values ('api'), ('Web')) as v (x)") == [("api",)]
    schema = pa.schema([("item_id", pa.string())])
    write(tmp_path / "raw" / "github" / "issues" / "d.parquet", [{"item_id": "api"}], schema)
    write(tmp_path / "raw" / "github" / "issues" / "e.parquet", [{"item_id": "Web"}], schema)
    load_landing(tmp_path, icu)
    assert fetch(icu, "select min(item_id) from github.issues") == [("Web",)]
    assert fetch(icu, "select min(item_id || '/body') from github.issues") == [("Web/body",)]


def test_the_command_says_why_nothing_was_loaded(tmp_path, capsys):
    from pipelines.warehouse_pg import main

    assert main([str(tmp_path)]) == 1
    assert "no raw/ or nlp/ Parquet landing" in capsys.readouterr().err
