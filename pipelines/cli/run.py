"""`silo run`: materialize the whole pipeline for a workspace, in-process."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run every asset for a workspace (ingest -> report)")
    p.add_argument("-w", "--workspace", help="workspace folder (default: $SILO_WORKSPACE)")
    p.add_argument("--since", type=date.fromisoformat, help="first UTC day to ingest")
    p.add_argument("--until", type=date.fromisoformat, help="last UTC day to ingest")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pipelines.cli.runner import StageFailed, default_window, run_pipeline
    from pipelines.config import load_workspace
    from pipelines.publish.signals import print_summary
    from pipelines.workspaces import workspace_from

    ws = load_workspace(workspace_from(args.workspace))
    first, last = default_window(ws, datetime.now(UTC).date())
    try:
        run_pipeline(ws, args.since or first, args.until or last)
    except StageFailed as exc:
        print(f"silo: {exc}")
        return 1
    print_summary(ws)
    return 0
