"""`silo export -w DIR --format parquet|csv OUT/`: every mart of the published snapshot, one
file per mart, read-only (a consultant's copy for a notebook or a spreadsheet)."""

from __future__ import annotations

import argparse
from pathlib import Path

# marts are the `fct_`/`dim_` tables of dbt_project/models/marts
MART_PREFIXES = ("fct_", "dim_")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write every mart of the snapshot as Parquet or CSV files")
    p.add_argument("out", type=Path, help="output folder (created if absent)")
    p.add_argument("-w", "--workspace", help="workspace folder (default: $SILO_WORKSPACE)")
    p.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    p.set_defaults(handler=run)


def mart_names(con) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'main' order by table_name"
    ).fetchall()
    return [name for (name,) in rows if name.startswith(MART_PREFIXES)]


def run(args: argparse.Namespace) -> int:
    from pipelines.atomic import replacing
    from pipelines.config import ConfigError
    from pipelines.warehouse import connect_snapshot
    from pipelines.workspaces import load_published

    ws = load_published(args.workspace)
    out = args.out.resolve()
    if out.exists() and not out.is_dir():
        raise ConfigError(f"export folder {out} is a file")
    out.mkdir(parents=True, exist_ok=True)
    options = "(format parquet)" if args.format == "parquet" else "(format csv, header true)"
    with connect_snapshot(ws.snapshot_path) as con:
        names = mart_names(con)
        if not names:
            raise ConfigError(f"the snapshot {ws.snapshot_path} holds no mart (fct_*, dim_*)")
        for name in names:
            target = out / f"{name}.{args.format}"
            with replacing(target, suffix=f".{args.format}") as tmp:
                path = str(tmp).replace("'", "''")
                con.execute(f"copy (select * from \"{name}\") to '{path}' {options}")
            rows = con.execute(f'select count(*) from "{name}"').fetchone()[0]
            print(f"{target}  ({rows} rows)")
    return 0
