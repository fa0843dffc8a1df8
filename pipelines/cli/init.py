"""`silo init DIR`: a new client workspace: a commented `silo.yml`, a directory template and
empty notes folders (comex, management, other). Never overwrites: a folder that already
holds `silo.yml` is refused."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create a new client workspace (commented silo.yml)")
    p.add_argument("directory", help="the workspace folder to create")
    p.add_argument("--name", help="workspace name (default: the folder's name)")
    p.add_argument(
        "--start-date",
        type=lambda s: datetime.strptime(s, "%Y-%m-%d").date(),
        help="first day to ingest (default: 90 days ago)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pipelines.workspaces import init_workspace

    start = args.start_date or (datetime.now(UTC).date() - timedelta(days=90))
    written = init_workspace(args.directory, args.name, start.isoformat())
    for path in written:
        print(f"wrote {path}")
    root = written[0].parent if written else args.directory
    print(
        f"Next: edit {root}/silo.yml and directory.yml, add minutes to notes/<body>/, then\n"
        f"  .venv/bin/silo check -w {root}\n  .venv/bin/silo run -w {root}"
    )
    return 0
