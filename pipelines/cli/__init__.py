"""The `silo` command: one entry point, one small module per sub-command.

Sub-commands live beside this file, one module each, exposing `register(subparsers)`; heavy
imports (Dagster, spaCy, dbt) happen inside the handlers so `silo --help` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import warnings

COMMANDS = (
    "init",
    "check",
    "demo",
    "run",
    "alerts",
    "ingest",
    "notes",
    "annotate",
    "query",
    "export",
    "docs",
    "manifest",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="silo",
        description="Silo Signals: how information and decisions move between tech and business.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument(
        "--debug", action="store_true", help="show the Python traceback of an error"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"pipelines.cli.{name}").register(sub)
    for command in sub.choices.values():  # `silo query --debug` as well as `silo --debug query`
        command.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    return parser


def _quiet_libraries(record: logging.LogRecord) -> bool:
    """Drop Dagster's own INFO lines (it sets its loggers' levels itself)."""
    return record.levelno >= logging.WARNING or not record.name.startswith("dagster")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Our own loggers speak at INFO; Dagster, dbt and alembic only when something is wrong
    # (their full logs are in the Dagster UI), unless --verbose.
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    logging.getLogger("silo").setLevel(logging.DEBUG if args.verbose else logging.INFO)
    if not args.verbose:
        for handler in logging.getLogger().handlers:
            handler.addFilter(_quiet_libraries)
    if not args.verbose:
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*is currently in beta.*")
    from pipelines.config import ConfigError

    # A user error is one line and exit 2; anything else one line and exit 1. The traceback
    # only with --debug.
    try:
        return int(args.handler(args) or 0)
    except ConfigError as exc:
        if args.debug:
            raise
        message = " ".join(str(exc).split())  # one line, whatever the cause
        kind = "configuration error: " if type(exc) is ConfigError else ""
        print(f"silo: {kind}{message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("silo: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        message = " ".join(str(exc).split())[:500] or type(exc).__name__
        print(
            f"silo: {type(exc).__name__}: {message} (run again with --debug for the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
