"""`silo notes parse FILE` through the real argument parser."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipelines.cli import notes as notes_command

MINUTES = Path(__file__).resolve().parent / "labelled" / "minutes"


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="silo")
    notes_command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_parse_prints_the_meeting_as_json(capsys):
    assert _run(["notes", "parse", str(MINUTES / "comex-lundi.md")]) == 0
    meeting = json.loads(capsys.readouterr().out)
    assert (meeting["date"], meeting["type"]) == ("2026-03-02", "comex")
    assert meeting["absentees"] == ["Sophie Bernard"]
    assert meeting["sections"][-1]["kind"] == "decisions"


def test_parse_error_goes_to_stderr_with_exit_code_1(tmp_path, capsys):
    bad = tmp_path / "empty.md"
    bad.write_bytes(b"")
    assert _run(["notes", "parse", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "empty.md: empty file" in captured.err
