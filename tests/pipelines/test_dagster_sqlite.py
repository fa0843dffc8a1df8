"""The event log storage the runner's dagster.yaml names: Dagster's SQLite files, its
connections kept between events."""

import sqlite3
import sqlite3.dbapi2

import pytest
from dagster import (
    AssetCheckResult,
    DagsterEventType,
    DagsterInstance,
    EventRecordsFilter,
    asset,
    asset_check,
    materialize,
)
from dagster._core.storage.event_log import SqliteEventLogStorage

from pipelines import dagster_sqlite
from pipelines.cli.runner import DAGSTER_YAML
from pipelines.dagster_sqlite import KeptSqliteEventLogStorage


@asset
def tickets():
    return 1


@asset_check(asset=tickets)
def tickets_counted():
    return AssetCheckResult(passed=True)


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


@pytest.fixture
def connects(monkeypatch):
    """The SQLite connections opened (Dagster's own storage opens one per statement)."""
    opened = []
    connect = sqlite3.dbapi2.connect

    def counted(*args, **kwargs):
        opened.append(args[0] if args else kwargs.get("database"))
        return connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3.dbapi2, "connect", counted)  # what SQLAlchemy calls
    return opened


def _materializations(storage) -> int:
    records = storage.get_event_records(
        EventRecordsFilter(event_type=DagsterEventType.ASSET_MATERIALIZATION)
    )
    return len(records)


def test_the_runner_s_home_uses_it_under_dagster_home(home):
    with DagsterInstance.get() as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, KeptSqliteEventLogStorage)
        assert storage._base_dir == str(home / "history" / "runs")


def test_a_relative_folder_without_dagster_home_is_refused(home, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME")
    with pytest.raises(ValueError, match="relative to DAGSTER_HOME, which is not set"):
        DagsterInstance.from_config(str(home))


def test_its_files_are_dagster_s_own(home):
    """A plain SqliteEventLogStorage (the webserver's default) reads what it wrote."""
    with DagsterInstance.get() as instance:
        for _ in range(3):
            assert materialize([tickets, tickets_counted], instance=instance).success
        assert _materializations(instance.event_log_storage) == 3
    plain = SqliteEventLogStorage(str(home / "history" / "runs"))
    assert _materializations(plain) == 3
    check = plain.get_asset_check_execution_history(tickets_counted.check_key, limit=10)
    assert len(check) == 3


def test_a_run_s_events_share_connections(home, connects):
    with DagsterInstance.get() as instance:
        storage = instance.event_log_storage
        assert materialize([tickets, tickets_counted], instance=instance).success
        stored, opened = [], len(connects)
        original = storage.store_event
        storage.store_event = lambda event: (stored.append(event), original(event))
        assert materialize([tickets, tickets_counted], instance=instance).success
        with storage.index_connection() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    # the second run: about 20 events, each written to the run's file, and the asset ones
    # mirrored in the index. Its new run file takes two connections to set up, and a read
    # inside a write the odd one more; Dagster's own storage opens about 50
    assert len(stored) >= 15
    event_files = [name for name in connects[opened:] if "/history/runs/" in str(name)]
    assert 1 <= len(event_files) <= 6


def test_engines_kept_for_a_few_runs_only(home):
    with DagsterInstance.get() as instance:
        storage = instance.event_log_storage
        for _ in range(dagster_sqlite.RUN_ENGINES + 3):
            assert materialize([tickets], instance=instance).success
        assert len(storage._engines) == dagster_sqlite.RUN_ENGINES + 1  # and the index
        assert "index" in storage._engines
    assert storage._engines == {}  # the instance's dispose closed them


def test_a_wipe_closes_the_run_files_then_the_storage_goes_on(home):
    with DagsterInstance.get() as instance:
        assert materialize([tickets], instance=instance).success
        instance.event_log_storage.wipe()
        assert _materializations(instance.event_log_storage) == 0
        assert materialize([tickets], instance=instance).success
        assert _materializations(instance.event_log_storage) == 1


def test_the_index_schema_is_read_once_until_a_wipe(home, monkeypatch):
    """Dagster asks before each event whether the index has a table or a column; once found,
    the answer is kept (a new engine and a schema read each time cost 0.5 s of a dbt build)."""
    from sqlalchemy.dialects.sqlite.base import SQLiteDialect
    from sqlalchemy.engine.reflection import Inspector

    asked = []
    has_table, get_columns = SQLiteDialect.has_table, Inspector.get_columns

    def counted_table(self, connection, table_name, *args, **kwargs):
        asked.append(table_name)
        return has_table(self, connection, table_name, *args, **kwargs)

    def counted_columns(self, table_name, *args, **kwargs):
        asked.append(f"{table_name} columns")
        return get_columns(self, table_name, *args, **kwargs)

    monkeypatch.setattr(SQLiteDialect, "has_table", counted_table)
    monkeypatch.setattr(Inspector, "get_columns", counted_columns)
    with DagsterInstance.get() as instance:
        storage = instance.event_log_storage
        assert materialize([tickets, tickets_counted], instance=instance).success
        assert "asset_check_executions" in asked and "asset_keys columns" in asked
        asked.clear()
        assert materialize([tickets, tickets_counted], instance=instance).success
        assert storage.has_table("asset_check_executions")
        # the run's new file is set up (its tables made, once each); the index is not asked
        assert asked.count("asset_check_executions") == 1 and "asset_keys columns" not in asked
        assert not storage.has_table("no_such_table")  # a table not found is asked again
        assert not storage.has_table("no_such_table") and asked.count("no_such_table") == 2
        storage.wipe()
        asked.clear()
        assert materialize([tickets, tickets_counted], instance=instance).success
        assert "asset_check_executions" in asked  # the wipe forgot the answers
