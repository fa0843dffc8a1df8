"""Read the DuckDB warehouse and its published snapshot; no Dagster import.

dbt writes `<workspace>/warehouse/silo.duckdb`; `pipelines.publish.snapshot` copies it to
`silo_snapshot.duckdb` for readers (the report, the summary, `silo query`, any DuckDB client).
"""

from __future__ import annotations

from pathlib import Path

import duckdb


def connect_snapshot(snapshot: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published snapshot."""
    if not Path(snapshot).exists():
        raise FileNotFoundError(f"{snapshot}: no snapshot yet (run `make demo` or the pipeline)")
    return duckdb.connect(str(snapshot), read_only=True)


def fetch_dicts(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> list[dict]:
    """Rows of a query as dicts keyed by column name."""
    cursor = con.execute(sql, params) if params is not None else con.execute(sql)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
