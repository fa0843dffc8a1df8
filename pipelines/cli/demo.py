"""`silo demo`: generate the demo organisation if absent, run everything, print a summary."""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from pipelines.cli.run import add_fail_on_alert, finish


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the whole pipeline on the bundled demo organisation")
    p.add_argument("-w", "--workspace", default="data/demo", help="where the demo workspace lives")
    p.add_argument("--seed", type=int, default=7, help="seed of the generated organisation")
    p.add_argument("--generate-only", action="store_true", help="only generate the inputs")
    add_fail_on_alert(p)
    p.set_defaults(handler=run)


def ensure_demo_workspace(root: Path, seed: int) -> bool:
    """Generate the demo inputs unless present; True when generated now. Refuses (raises
    WorkspaceRefused) a folder that is neither empty nor a demo."""
    from pipelines.workspaces import refuse_unless_demo_or_empty

    refuse_unless_demo_or_empty(root, "generate the demo in")
    if (root / "silo.yml").exists() and (root / "truth.json").exists():
        return False
    from pipelines.demo.generator import generate

    generate(root, seed=seed)
    return True


def run(args: argparse.Namespace) -> int:
    from pipelines.config import load_workspace

    root = Path(args.workspace).resolve()
    started = time.monotonic()
    if ensure_demo_workspace(root, args.seed):
        print(f"Generated the demo organisation (seed {args.seed}) in {root}")
    if args.generate_only:
        from pipelines.cli.runner import prepare_environment

        # `make ui` starts Dagster on this home next: a dagster.yaml only where none exists
        prepare_environment(load_workspace(root))
        return 0
    from pipelines.cli.run import BUSY_EXIT
    from pipelines.cli.runner import StageFailed, run_pipeline
    from pipelines.lock import WorkspaceBusy
    from pipelines.publish.signals import print_summary

    ws = load_workspace(root)
    period = json.loads((root / "truth.json").read_text())["period"]
    try:
        run_pipeline(ws, date.fromisoformat(period["start"]), date.fromisoformat(period["end"]))
    except WorkspaceBusy as exc:
        print(f"silo: {exc}")
        return BUSY_EXIT
    except StageFailed as exc:
        print(f"silo: {exc}")
        return 1
    print_summary(ws)
    status = finish(ws, args.fail_on_alert)
    print(
        f"\nDemo done in {time.monotonic() - started:.0f}s. "
        f"Report: {ws.reports_dir / 'latency.html'}  Snapshot: {ws.snapshot_path}"
    )
    return status
