"""`silo notes parse FILE`: parse one minutes file and print the meeting as JSON.

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


def run_parse(args: argparse.Namespace) -> int:
    from pipelines.sources.notes import NotesParseError, parse_file

    try:
        meeting = parse_file(args.file, timezone=args.timezone)
    except NotesParseError as exc:
        print(f"silo: cannot parse {exc}", file=sys.stderr)
        return 1
    print(json.dumps(meeting.to_dict(), ensure_ascii=False, indent=2))
    return 0
