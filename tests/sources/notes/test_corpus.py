"""The parser on real public minutes (../shared/corpus/meetings), checked against expectations
computed independently of the parser (file names, the H1 line, the raw `Present` lists)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.sources.notes import NotesParseError, parse_file

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "meetings" / "en"
pytestmark = pytest.mark.corpus


def _corpus(sub: str) -> Path:
    folder = CORPUS / sub
    if not folder.is_dir():
        pytest.skip(f"corpus folder {folder} is absent (read-only shared corpus not mounted)")
    return folder


def _dates(path: Path) -> tuple[str, str | None]:
    """(the date in the file name, the date in its `# ` title line or None)."""
    heading = re.search(r"^# .*$", path.read_text(encoding="utf-8"), re.M)
    in_title = re.search(r"\d{4}-\d{2}-\d{2}", heading.group(0)) if heading else None
    return re.search(r"\d{4}-\d{2}-\d{2}", path.stem).group(0), in_title and in_title.group(0)


def _raw_list(text: str, heading: str) -> list[str]:
    """Names listed under `## <heading>` (or ###), up to the next heading, without the parser."""
    match = re.search(rf"^#{{2,3}} {heading}\s*$(.*?)(?=^#)", text, re.M | re.S)
    if not match:
        return []
    names = []
    for line in match.group(1).splitlines():
        if line.startswith(("* ", "- ")):
            name = re.sub(r"\s*\(.*?\)|\s*@\S+|\s+- .*$", "", line[2:]).strip()
            if name not in names:  # real minutes list some people twice
                names.append(name)
    return names


def test_nodejs_tsc_dates_types_and_attendance():
    folder = _corpus("nodejs_tsc")
    files = sorted(folder.glob("*.md"))
    dates = attendees = absentees = with_list = 0
    warned, disagree = set(), set()
    for path in files:
        meeting = parse_file(path, timezone="UTC")
        text = path.read_text(encoding="utf-8")
        named, titled = _dates(path)
        dates += meeting.date.isoformat() == named
        if titled and titled != named:
            disagree.add(path.name)
        if any("dates disagree" in w for w in meeting.warnings):
            warned.add(path.name)
        expected = _raw_list(text, "Present")
        if expected:
            with_list += 1
            attendees += meeting.attendees[: len(expected)] == expected
        absentees += meeting.absentees == _raw_list(text, "Not present")
        assert meeting.type == "comex" or "TSC" not in meeting.title, path.name
    n = len(files)
    print(
        f"\nnodejs_tsc: {n} files; date {dates / n:.1%}; attendees {attendees}/{with_list}; "
        f"absentees {absentees / n:.1%}; title and file name disagree in {sorted(disagree)}"
    )
    assert n > 300
    assert dates == n  # the file name's date, over the title's
    assert warned == disagree and disagree  # each disagreement is reported, none other
    assert attendees / with_list >= 0.97
    assert absentees / n >= 0.99


def test_python_steering_council_dates_fall_in_the_months_of_the_file_name():
    folder = _corpus("python_steering_council")
    files = sorted(folder.glob("*.md"))
    inside = 0
    for path in files:
        meeting = parse_file(path, timezone="UTC")
        full = re.match(r"(\d{4}-\d{2}-\d{2})[_-]", path.stem)
        if full:  # a full date in the name
            ok = meeting.date.isoformat() == full.group(1)
        else:  # months only: "2021-05-...", "2024-01,02,03-..."
            year, months = re.match(r"(\d{4})-([\d,]+)-", path.stem).groups()
            ok = meeting.date.year == int(year) and meeting.date.month in {
                int(m) for m in months.split(",")
            }
        inside += ok
        assert meeting.type == "comex", path.name
        assert meeting.language == "en", path.name
    print(
        f"\npython_steering_council: {len(files)} files; date consistent with the name "
        f"{inside / len(files):.1%}"
    )
    assert inside / len(files) >= 0.95


def test_ami_qmsum_transcripts_are_refused_with_a_clear_reason():
    folder = _corpus("ami_qmsum_product_meetings")
    for path in sorted(folder.glob("*.json")):
        with pytest.raises(NotesParseError, match="unsupported file type '.json'.*transcripts"):
            parse_file(path)
