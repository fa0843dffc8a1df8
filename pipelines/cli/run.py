"""`silo run`: materialize the whole pipeline for a workspace, in-process."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run every asset for a workspace (ingest -> report)")
    p.add_argument("-w", "--workspace", help="workspace folder (default: $SILO_WORKSPACE)")
    p.add_argument("--since", type=date.fromisoformat, help="first UTC day to ingest")
    p.add_argument("--until", type=date.fromisoformat, help="last UTC day to ingest")
    add_fail_on_alert(p)
    p.add_argument(
        "--strict",
        action="store_true",
        help=f"exit with status {STRICT_EXIT} when any record was quarantined",
    )
    p.set_defaults(handler=run)


ALERT_EXIT = 3  # 1: a stage failed (nothing usable produced), 2: configuration error
STRICT_EXIT = 4  # --strict and at least one record quarantined
BUSY_EXIT = 5  # another run holds the workspace (pipelines/lock.py)


def report_quarantine(root, strict: bool, stream=None) -> int:
    """One line per quarantined item (and per notice); the exit status `--strict` asks for."""
    from pipelines.quarantine import format_line, is_notice, read_quarantine

    rows = read_quarantine(root)
    for row in rows:
        print(format_line(row), file=stream)
    lost = [row for row in rows if not is_notice(row)]
    if strict and lost:
        print(f"silo: {len(lost)} record(s) quarantined (--strict)", file=stream)
        return STRICT_EXIT
    return 0


def add_fail_on_alert(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--fail-on-alert",
        action="store_true",
        help=f"exit with status {ALERT_EXIT} when an alert is open after the run",
    )


def finish(ws, fail_on_alert: bool) -> int:
    """Print the alerts' state after a run; the exit status `--fail-on-alert` asks for."""
    from pipelines.cli.alerts import describe, format_alerts

    found = describe(ws.root)
    print(format_alerts(found))
    if fail_on_alert and found["open"]:
        print(f"silo: {len(found['open'])} alert(s) open (--fail-on-alert)")
        return ALERT_EXIT
    return 0


def run(args: argparse.Namespace) -> int:
    from pipelines.cli.runner import StageFailed, default_window, run_pipeline
    from pipelines.config import load_workspace
    from pipelines.lock import WorkspaceBusy
    from pipelines.publish.signals import print_summary
    from pipelines.workspaces import workspace_from

    ws = load_workspace(workspace_from(args.workspace))
    first, last = default_window(ws, datetime.now(UTC).date())
    try:
        run_pipeline(ws, args.since or first, args.until or last)
    except WorkspaceBusy as exc:
        print(f"silo: {exc}")
        return BUSY_EXIT
    except StageFailed as exc:
        report_quarantine(ws.root, False)
        print(f"silo: {exc}")
        return 1
    print_summary(ws)
    status = finish(ws, args.fail_on_alert)
    return report_quarantine(ws.root, getattr(args, "strict", False)) or status
