"""Dagster's SQLite event log, with its connections kept open between events.

Dagster's `SqliteEventLogStorage` builds a new SQLAlchemy engine, opens a connection and
closes both for every statement it stores: a dbt event with its mirror in the index database
takes three of them, each syncing the file to disk. A daily dbt build stores about 500
events (one per model and test, and one planned event each before the step starts): 6.3 s of
the after-NLP build at the bench's large size, measured; with the connections kept, 1.3 to
1.6 s.

`KeptSqliteEventLogStorage` is the same storage, files and schema (the webserver or a plain
`SqliteEventLogStorage` reads them as they are) with two changes:
- one engine per database file, whose pool keeps its connections (one statement no longer
  pays for an engine, a connection and the schema read);
- `PRAGMA synchronous=NORMAL`: in WAL mode, which Dagster sets on these files, a commit is
  then written but not synced; the file can never be corrupted, and a power cut can lose
  only the last events, never a landed or built row (those live in the warehouse and the
  state files, not here);
- the schema questions Dagster asks before storing an event (has the index this table, has
  this table that column: a new engine and connection each for the tables, a read of the
  table's columns for the other) are answered once: a table or column the migrations added
  is never removed but by a wipe, which forgets the answers. They were 0.5 s of the
  Dagster process's CPU in the after-NLP dbt build at the bench's large size (profiled),
  taken from the two cores dbt works on.

The runner's `dagster.yaml` names it (`pipelines/cli/runner.py`); an operator's own
dagster.yaml (PostgreSQL, say) is left as it is. A relative `base_dir` is taken under
`$DAGSTER_HOME` (as Dagster's own tools find the instance), so a workspace can move; reading
the instance with `DagsterInstance.from_config(folder)` then needs DAGSTER_HOME set to it.
"""

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as db
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.event_log.schema import AssetKeyTable
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

# a statement may run while another of the same thread holds a connection to the same file
# (a read inside a write): the pool keeps two and opens more when asked
POOL_SIZE, POOL_OVERFLOW = 2, 8
# engines kept for run files besides the index: a run writes to one; the webserver reads many,
# and each kept engine holds open files
RUN_ENGINES = 4


def _sync_normal(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class KeptSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` keeping one engine, and its connections, for the index file and
    for each of the last `RUN_ENGINES` run files it used."""

    def __init__(self, base_dir: str, inst_data=None):
        if not os.path.isabs(base_dir):
            home = os.environ.get("DAGSTER_HOME")
            if not home:
                raise ValueError(
                    f"event_log_storage base_dir '{base_dir}' is relative to DAGSTER_HOME, "
                    "which is not set: set it to the folder of this dagster.yaml"
                )
            base_dir = os.path.join(home, base_dir)
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_lock = threading.Lock()
        # the tables, and (table, column) pairs, found in the index: they stay until a wipe
        self._found: set[str | tuple[str, str]] = set()
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> "KeptSqliteEventLogStorage":
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        with self._engines_lock:
            engine = self._engines.get(shard)
            if engine is not None:
                self._engines.move_to_end(shard)
            else:
                engine = db.create_engine(
                    self.conn_string_for_shard(shard),
                    poolclass=QueuePool,
                    pool_size=POOL_SIZE,
                    max_overflow=POOL_OVERFLOW,
                    # the pool hands a connection to one thread at a time
                    connect_args={
                        "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                        "check_same_thread": False,
                    },
                )
                db.event.listen(engine, "connect", _sync_normal)
                self._engines[shard] = engine
                runs = [name for name in self._engines if name != INDEX_SHARD_NAME]
                for name in runs[:-RUN_ENGINES]:
                    # its connections in use close when given back
                    self._engines.pop(name).dispose()
            return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        # as the parent's, less the engine built and disposed around each statement
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        if table_name not in self._found:
            # the kept engine of the index, not a new one; no lock: the parent takes none, and
            # it is asked inside writes that hold it
            with self._engine(INDEX_SHARD_NAME).connect() as conn:
                if conn.dialect.has_table(conn, table_name):
                    self._found.add(table_name)
        return table_name in self._found

    def _has_asset_key_col_on_connection(self, conn: Connection, column_name: str) -> bool:
        found = (AssetKeyTable.name, column_name)
        if found not in self._found and super()._has_asset_key_col_on_connection(conn, column_name):
            self._found.add(found)
        return found in self._found

    def _close_engines(self) -> None:
        with self._engines_lock:
            engines, self._engines = self._engines, OrderedDict()
        for engine in engines.values():
            engine.dispose()

    def wipe(self) -> None:
        self._close_engines()  # the run files are deleted: no connection may outlive them
        self._found.clear()
        super().wipe()

    def dispose(self) -> None:
        super().dispose()
        self._close_engines()
