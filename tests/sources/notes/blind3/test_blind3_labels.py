"""Checks that labels.yml (blind set v3) agrees with the bytes of the files in minutes/.

Never imports the notes parser: this set measures the parser, it must not depend on it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
MINUTES = HERE / "minutes"
LABELS = yaml.safe_load((HERE / "labels.yml").read_text(encoding="utf-8"))

TYPES = {"comex", "codir", "management", "team", "other"}
LANGUAGES = {"fr", "en"}
ENCODINGS = {"utf-8", "utf-8-sig", "cp1252", "latin-1"}
FIELDS = {"date", "type", "language", "encoding", "newline", "attendees", "absentees"}
BOM = b"\xef\xbb\xbf"


def _decode(name: str, label: dict) -> str:
    """Decode a minutes file strictly with its labelled encoding (fails with the file name)."""
    data = (MINUTES / name).read_bytes()
    encoding = label["encoding"]
    if encoding == "utf-8":
        assert not data.startswith(BOM), f"{name}: labelled utf-8 but starts with a BOM"
    if encoding == "utf-8-sig":
        assert data.startswith(BOM), f"{name}: labelled utf-8-sig but has no BOM"
    if encoding in {"cp1252", "latin-1"}:
        # A single-byte file must really be single-byte: its non-ASCII bytes are not UTF-8.
        assert any(b > 0x7F for b in data), f"{name}: no non-ASCII byte, encoding is untestable"
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    if encoding == "latin-1":
        # Bytes 0x80-0x9F are C1 controls in Latin-1; their presence means cp1252 was written.
        assert not any(0x80 <= b <= 0x9F for b in data), (
            f"{name}: cp1252-only bytes in a latin-1 file"
        )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        pytest.fail(f"{name}: does not decode as {encoding}: {exc}")


def test_every_file_has_a_label_and_every_label_a_file():
    files = {p.name for p in MINUTES.iterdir() if p.is_file()}
    assert files == set(LABELS), (
        f"files without labels: {sorted(files - set(LABELS))}; "
        f"labels without files: {sorted(set(LABELS) - files)}"
    )
    assert len(files) == 20


@pytest.mark.parametrize("name", sorted(LABELS))
def test_label_matches_file(name: str):
    label = LABELS[name]
    assert set(label) == FIELDS, f"{name}: fields {sorted(label)}, expected {sorted(FIELDS)}"
    assert label["type"] in TYPES, f"{name}: type {label['type']!r}"
    assert label["language"] in LANGUAGES, f"{name}: language {label['language']!r}"
    assert label["encoding"] in ENCODINGS, f"{name}: encoding {label['encoding']!r}"
    date = label["date"]
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    assert isinstance(date, dt.date) and dt.date(2025, 1, 1) <= date <= dt.date(2026, 12, 31), (
        f"{name}: date {label['date']!r}"
    )

    text = _decode(name, label)
    raw = (MINUTES / name).read_bytes()
    lines = raw.split(b"\n")[:-1]
    if label["newline"] == "crlf":
        assert all(line.endswith(b"\r") for line in lines), f"{name}: a line is not CRLF"
    else:
        assert b"\r" not in raw, f"{name}: labelled lf but has CR"

    for field in ("attendees", "absentees"):
        names = label[field]
        assert isinstance(names, list), f"{name}: {field} is not a list"
        assert len(names) == len(set(names)), f"{name}: duplicate in {field}"
        for person in names:
            assert person == person.strip() and not person.startswith("@"), (
                f"{name}: {field} entry {person!r} is not a minimal string"
            )
            assert person in text, f"{name}: {field} entry {person!r} not in the file"
        # Labels keep the order of the attendance statement: each name occurs after the previous.
        position = 0
        for person in names:
            found = text.find(person, position)
            assert found >= 0, f"{name}: {field} entry {person!r} out of order"
            position = found + len(person)
    assert not set(label["attendees"]) & set(label["absentees"]), f"{name}: present and absent"


def test_set_balance():
    """The README's counts: two thirds French, every type and encoding represented."""
    languages = [label["language"] for label in LABELS.values()]
    assert languages.count("fr") == 13 and languages.count("en") == 7
    assert {label["type"] for label in LABELS.values()} == TYPES
    assert {label["encoding"] for label in LABELS.values()} == ENCODINGS
    front_matter = [
        n for n in LABELS if (MINUTES / n).read_bytes().lstrip(BOM).startswith(b"---\n")
    ]
    assert len(front_matter) <= 3
