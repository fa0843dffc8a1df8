"""`silo docs -w DIR [--serve]`: dbt's documentation of every model, built with the venv's dbt
against the workspace's warehouse, written to `<workspace>/dbt-docs/`; `--serve` serves it on
127.0.0.1 only (the catalog shows column names and row counts of client data)."""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="build dbt docs for a workspace (and serve on 127.0.0.1)")
    p.add_argument("-w", "--workspace", help="workspace folder (default: $SILO_WORKSPACE)")
    p.add_argument("--serve", action="store_true", help="serve the docs on 127.0.0.1")
    p.add_argument("--port", type=int, default=8080, help="port for --serve (default 8080)")
    p.set_defaults(handler=run)


def build_docs(ws) -> str:
    """Run `dbt docs generate` into `<workspace>/dbt-docs`; returns the folder."""
    from pipelines.config import ConfigError
    from pipelines.defs.resources import DBT_EXECUTABLE, dbt_project

    if not ws.warehouse_path.is_file():
        raise ConfigError(
            f"workspace '{ws.name}' has no warehouse yet ({ws.warehouse_path}): "
            f"run `silo run -w {ws.root}` first"
        )
    out = ws.root / "dbt-docs"
    env = {
        **os.environ,
        "SILO_WORKSPACE": str(ws.root),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        DBT_EXECUTABLE,
        "docs",
        "generate",
        "--project-dir",
        str(dbt_project.project_dir),
        "--profiles-dir",
        str(dbt_project.project_dir),
        "--target-path",
        str(out),
        "--log-path",
        str(ws.root / "logs"),
        "--quiet",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tail = " ".join((done.stdout + done.stderr).split())[-400:]
        raise RuntimeError(f"dbt docs generate failed: {tail}")
    return str(out)


def run(args: argparse.Namespace) -> int:
    from pipelines.config import load_workspace
    from pipelines.workspaces import workspace_from

    ws = load_workspace(workspace_from(args.workspace))
    out = build_docs(ws)
    print(f"dbt docs: {out}/index.html")
    if not args.serve:
        return 0
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=out)
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"serving on http://127.0.0.1:{args.port}/ (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
    return 0
