"""Load a workspace's landing into PostgreSQL, for `dbt build --target postgres`; no Dagster.

DuckDB reads the Parquet landing in place (`read_parquet` in the dbt sources); PostgreSQL
cannot, so this copies it into tables the dbt sources name on the postgres target: every
`raw/<source>/<entity>/*.parquet` becomes table `<source>.<entity>` and every
`nlp/<table>/*.parquet` becomes `nlp.<table>` (dbt's default schema for a source is its name).
A table's columns are the union, by name, of its files' columns (as `union_by_name` does);
timestamps land as UTC `timestamp`s, as staging casts them on DuckDB. Every table is emptied
(or re-created when its columns changed) and filled, file by file, in one transaction: a
re-load replaces, never duplicates.

The connection comes from the same variables as the `postgres` output of
dbt_project/profiles.yml: SILO_PG_HOST, SILO_PG_PORT, SILO_PG_USER, SILO_PG_PASSWORD,
SILO_PG_DBNAME. Usage: `python -m pipelines.warehouse_pg <workspace>`.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import psycopg2
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from psycopg2 import sql

# PostgreSQL column type of each Arrow type the landing writes (pipelines/sources, annotation).
# Text compares byte by byte, as in DuckDB: under a database's linguistic collation (en-US:
# 'api' < 'Web') `min(item_id)`, ranks and ordered lists would differ between the warehouses.
TEXT = 'text collate "C"'
PG_TYPES: dict[pa.DataType, str] = {
    pa.string(): TEXT,
    pa.large_string(): TEXT,
    pa.bool_(): "boolean",
    pa.int32(): "integer",
    pa.int64(): "bigint",
    pa.float64(): "double precision",
    pa.date32(): "date",
    pa.null(): TEXT,
}


def connection_params(env: Mapping[str, str] = os.environ) -> dict[str, str | int]:
    """psycopg2 keywords from the SILO_PG_* variables, with profiles.yml's defaults."""
    return {
        "host": env.get("SILO_PG_HOST", "127.0.0.1"),
        "port": int(env.get("SILO_PG_PORT", "5432")),
        "user": env.get("SILO_PG_USER", "silo"),
        "password": env.get("SILO_PG_PASSWORD", ""),
        "dbname": env.get("SILO_PG_DBNAME", "silo"),
    }


def landing_tables(root: Path) -> dict[tuple[str, str], list[Path]]:
    """(schema, table) -> its Parquet files, for every entity folder of the workspace."""
    folders = [*sorted((root / "raw").glob("*/*/")), *sorted((root / "nlp").glob("*/"))]
    tables = {}
    for folder in folders:
        files = sorted(folder.glob("*.parquet"))
        if not files:
            continue
        schema = folder.parent.name if folder.parent.parent.name == "raw" else "nlp"
        tables[(schema, folder.name)] = files
    return tables


def pg_type(arrow_type: pa.DataType, where: str) -> str:
    if pa.types.is_timestamp(arrow_type):
        return "timestamp"
    try:
        return PG_TYPES[arrow_type]
    except KeyError:
        raise TypeError(f"{where}: Arrow type {arrow_type} has no PostgreSQL mapping") from None


def _aligned(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """`table` with exactly `schema`'s columns (missing ones null), timestamps naive UTC."""
    columns = []
    for field in schema:
        if field.name in table.column_names:
            column = table[field.name].cast(field.type)
        else:
            column = pa.nulls(table.num_rows, field.type)
        if pa.types.is_timestamp(field.type):  # Arrow holds UTC: dropping the zone keeps it
            column = column.cast(pa.timestamp(field.type.unit))
        columns.append(column)
    return pa.Table.from_arrays(columns, names=schema.names)


def _copy_file(cursor, target: sql.Composed, path: Path, schema: pa.Schema) -> int:
    table = _aligned(pq.read_table(path), schema)
    if table.num_rows == 0:
        return 0
    buffer = io.BytesIO()
    # Every value quoted, nulls not: COPY's CSV reads "" as an empty string and nothing as null.
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    pacsv.write_csv(table, buffer, write_options=options)
    buffer.seek(0)
    cursor.copy_expert(sql.SQL("copy {} from stdin with (format csv)").format(target), buffer)
    return table.num_rows


def _existing_columns(cursor, schema_name: str, table_name: str) -> list[tuple[str, str]]:
    """(name, type as PG_TYPES writes it) of a table's columns; [] when it does not exist."""
    cursor.execute(
        "select column_name, data_type, collation_name from information_schema.columns"
        " where table_schema = %s and table_name = %s order by ordinal_position",
        (schema_name, table_name),
    )
    return [
        (name, "timestamp" if kind.startswith("timestamp") else kind)
        if collation is None
        else (name, f'{kind} collate "{collation}"')
        for name, kind, collation in cursor.fetchall()
    ]


def load_table(cursor, schema_name: str, table_name: str, files: list[Path]) -> int:
    """Replace the rows of `schema_name.table_name` with those of `files`; the count loaded.

    A table whose columns are unchanged is emptied in place, so dbt's staging views over it
    stay; one whose columns changed is dropped with those views (the next build makes them).
    """
    schema = pa.unify_schemas([pq.read_schema(f) for f in files], promote_options="permissive")
    wanted = [(f.name, pg_type(f.type, f"{files[0].parent} column {f.name}")) for f in schema]
    target = sql.SQL("{}.{}").format(sql.Identifier(schema_name), sql.Identifier(table_name))
    cursor.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema_name)))
    if _existing_columns(cursor, schema_name, table_name) == wanted:
        cursor.execute(sql.SQL("truncate table {}").format(target))
    else:
        columns = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(kind)) for name, kind in wanted
        )
        cursor.execute(sql.SQL("drop table if exists {} cascade").format(target))
        cursor.execute(sql.SQL("create table {} ({})").format(target, columns))
    rows = 0
    for path in files:
        try:
            rows += _copy_file(cursor, target, path, schema)
        except (psycopg2.Error, pa.ArrowException) as exc:
            raise RuntimeError(
                f"{path}: cannot load into {schema_name}.{table_name}: {exc}"
            ) from exc
    return rows


def load_landing(root: Path, params: Mapping[str, str | int] | None = None) -> dict[str, int]:
    """Load every landed table of workspace `root`; {"schema.table": rows}. One transaction."""
    tables = landing_tables(Path(root))
    if not tables:
        raise FileNotFoundError(f"{root}: no raw/ or nlp/ Parquet landing to load")
    counts = {}
    con = psycopg2.connect(**(params or connection_params()))
    try:
        with con, con.cursor() as cursor:  # commits at the end, rolls back on any error
            for (schema_name, table_name), files in tables.items():
                counts[f"{schema_name}.{table_name}"] = load_table(
                    cursor, schema_name, table_name, files
                )
    finally:
        con.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m pipelines.warehouse_pg <workspace>", file=sys.stderr)
        return 2
    try:
        counts = load_landing(Path(args[0]))
    except (OSError, TypeError, RuntimeError, psycopg2.Error) as exc:
        print(f"warehouse_pg: nothing loaded: {exc}", file=sys.stderr)
        return 1
    for name, rows in counts.items():
        print(f"{name}: {rows} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
