"""`silo ingest github|jira`: fetch one source for one window and print what landed."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
from datetime import UTC, date, datetime, timedelta


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="fetch one source (github or jira) for a window of days")
    p.add_argument("source", choices=("github", "jira"))
    p.add_argument("-w", "--workspace", help="workspace folder (default: $SILO_WORKSPACE)")
    p.add_argument("--since", type=date.fromisoformat, help="first UTC day (default: yesterday)")
    p.add_argument("--until", type=date.fromisoformat, help="last UTC day, inclusive")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pipelines.config import load_workspace
    from pipelines.landing import Window
    from pipelines.workspaces import workspace_from

    ws = load_workspace(workspace_from(args.workspace))
    if getattr(ws, args.source) is None:
        print(f"silo: {ws.root}/silo.yml has no 'sources.{args.source}' section")
        return 2
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    first = args.since or yesterday
    window = Window.for_days(first, args.until or max(first, yesterday))
    source = importlib.import_module(f"pipelines.sources.{args.source}")
    counts = source.ingest(ws, window, log=logging.getLogger(f"silo.{args.source}"))
    print(
        json.dumps(
            {
                "source": args.source,
                "window": [str(window.start), str(window.end)],
                "landed": counts,
            },
            indent=2,
        )
    )
    return 0
