"""`silo notes parse FILE`: parse one minutes file and print the meeting as JSON.
`silo notes check -w WORKSPACE`: what the user should look at in the notes folders: every
parse warning (dates that disagree...) and every file that would be quarantined.

For checking what the parser reads from a file before it lands: date, type, attendees,
absentees, sections with their heading paths and kinds.
"""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("notes", help="meeting notes tools (parse one file)")
    notes_sub = p.add_subparsers(dest="notes_command", required=True, metavar="ACTION")
    parse = notes_sub.add_parser("parse", help="parse one minutes file and print it as JSON")
    parse.add_argument("file", help="a .md, .txt, .rst or .docx minutes file")
    parse.add_argument(
        "--timezone",
        default="Europe/Paris",
        help="time zone of the meeting start (default: Europe/Paris)",
    )
    parse.set_defaults(handler=run_parse)
    check = notes_sub.add_parser(
        "check", help="list parse warnings and files that would be quarantined, per file"
    )
    check.add_argument("-w", "--workspace", help="workspace folder (default: $SILO_WORKSPACE)")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    """One line per finding, then a count; exit 0 even with warnings (they are advice)."""
    from pipelines.config import load_workspace
    from pipelines.sources.notes import check, scan_folder
    from pipelines.workspaces import workspace_from

    ws = load_workspace(workspace_from(args.workspace))
    if ws.notes is None:
        print("silo: no notes configured in silo.yml (sources.notes)", file=sys.stderr)
        return 2
    findings = check(ws)
    for f in findings:
        where = f"{f.path}:{f.line}" if f.line else f.path
        print(f"{f.kind} {where}: {f.message}")
    warned = sum(f.kind == "warning" for f in findings)
    print(f"{len(scan_folder(ws))} file(s) read; {warned} warning(s), "
          f"{len(findings) - warned} quarantined")  # fmt: skip
    return 0


def run_parse(args: argparse.Namespace) -> int:
    from pipelines.sources.notes import NotesParseError, parse_file

    try:
        meeting = parse_file(args.file, timezone=args.timezone)
    except NotesParseError as exc:
        print(f"silo: cannot parse {exc}", file=sys.stderr)
        return 1
    print(json.dumps(meeting.to_dict(), ensure_ascii=False, indent=2))
    return 0
