"""`silo alerts`: the open alerts of a workspace, as the last run left them."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("alerts", help="list the open alerts and what waits to be delivered")
    p.add_argument("-w", "--workspace", help="workspace folder (default: $SILO_WORKSPACE)")
    p.add_argument("--json", action="store_true", help="one JSON document, for scripts")
    p.set_defaults(handler=run)


def describe(root) -> dict:
    """Open alerts and pending deliveries from `<workspace>/state/alerts.json`."""
    from pipelines.publish.alerts import load_state, open_alerts, state_path

    state = load_state(state_path(root))
    return {
        "open": [
            {k: a[k] for k in ("alert_id", "opened_at", "title", "measure", "notified")}
            for a in open_alerts(state)
        ],
        "pending": [
            {
                "message_id": x["message"]["message_id"],
                "sink": x["sink"],
                "attempts": x["attempts"],
                "last_error": x["last_error"],
            }
            for x in state["outbox"]
        ],
    }


def run(args: argparse.Namespace) -> int:
    from pipelines.config import load_workspace
    from pipelines.workspaces import workspace_from

    ws = load_workspace(workspace_from(args.workspace))
    found = describe(ws.root)
    if args.json:
        print(json.dumps(found, indent=2, ensure_ascii=False))
        return 0
    print(format_alerts(found))
    return 0


def format_alerts(found: dict) -> str:
    lines = [f"Open alerts: {len(found['open'])}" if found["open"] else "Open alerts: none"]
    for a in found["open"]:
        sent = ", ".join(a["notified"]) or "no sink yet"
        lines.append(f"  ! {a['alert_id']} (since {a['opened_at']}; sent to {sent})")
        lines.append(f"    {a['title']}")
    if found["pending"]:
        lines.append(f"Waiting for delivery: {len(found['pending'])}")
        for x in found["pending"]:
            error = f": {x['last_error']}" if x["last_error"] else ""
            lines.append(f"  - {x['message_id']} -> {x['sink']} ({x['attempts']} attempts{error})")
    return "\n".join(lines)
