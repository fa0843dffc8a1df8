"""`silo query`: SQL on a workspace's published snapshot, read-only (for consultants)."""

import argparse
import csv
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "query", help="run SQL on the read-only snapshot (marts: fct_*), print a table or CSV"
    )
    p.add_argument("sql", nargs="?", help="the query; default: list the tables")
    p.add_argument("-w", "--workspace", help="workspace folder (default: $SILO_WORKSPACE)")
    p.add_argument("--csv", action="store_true", help="CSV on stdout instead of a table")
    p.add_argument("--limit", type=int, default=50, help="rows shown in table mode (default 50)")
    p.set_defaults(handler=run)


# Cells a spreadsheet would read as a formula (OWASP "CSV injection"): a leading single quote
# makes Excel, LibreOffice and Google Sheets show them as text. Numbers are left as numbers.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """`value` safe to open in a spreadsheet: a string starting with a formula character gets
    a leading `'`; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def run(args: argparse.Namespace) -> int:
    import duckdb

    from pipelines.warehouse import connect_snapshot
    from pipelines.workspaces import load_published

    ws = load_published(args.workspace)
    sql = args.sql or (
        "select table_name, table_type from information_schema.tables "
        "where table_schema = 'main' order by table_name"
    )
    with connect_snapshot(ws.snapshot_path) as con:
        try:
            cursor = con.execute(sql)
        except duckdb.Error as exc:
            print(f"silo query: {exc}", file=sys.stderr)
            return 2
        names = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
    if args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow([neutralise(n) for n in names])
        writer.writerows([neutralise(v) for v in row] for row in rows)
        return 0
    shown = [[_cell(v) for v in row] for row in rows[: args.limit]]
    widths = [max([len(n)] + [len(r[i]) for r in shown]) for i, n in enumerate(names)]
    print("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in shown:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
    more = f" (showing {args.limit}; use --csv for all)" if len(rows) > args.limit else ""
    print(f"({len(rows)} rows{more})")
    return 0
