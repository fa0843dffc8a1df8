"""`silo manifest`: parse the dbt project so Dagster can load its definitions."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("manifest", help="parse the dbt project (needed before Dagster loads)")
    p.add_argument("--force", action="store_true", help="parse even if up to date")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pipelines.defs.resources import prepare_dbt_manifest

    print(f"dbt manifest: {prepare_dbt_manifest(force=args.force)}")
    return 0
