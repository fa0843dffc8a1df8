"""`silo check -w DIR`: the pre-flight every run does first, one line per check."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check", help="pre-flight: config, environment, folders, live sources reachable"
    )
    p.add_argument("-w", "--workspace", help="workspace folder (default: $SILO_WORKSPACE)")
    p.add_argument("--offline", action="store_true", help="skip the requests to live sources")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pipelines.preflight import preflight
    from pipelines.workspaces import workspace_from

    _, findings = preflight(workspace_from(args.workspace), network=not args.offline)
    for finding in findings:
        print(finding)
    failed = sum(not f.ok for f in findings)
    print(f"{failed} problem(s)" if failed else "ready")
    return 2 if failed else 0
