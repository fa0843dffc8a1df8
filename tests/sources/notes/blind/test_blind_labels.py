"""The blind minutes set is self-consistent: every label matches the bytes of its file.

This test checks the ground truth, not the parser (it must never import it): each labelled file
exists, is written in the declared encoding and line ending, and every attendee and absentee
label is a string that really occurs in the decoded text. Definitions: README.md beside it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
MINUTES = HERE / "minutes"
LABELS_FILE = HERE / "labels.yml"

TYPES = {"comex", "codir", "management", "team", "other"}
LANGUAGES = {"fr", "en"}
ENCODINGS = {"utf-8", "utf-8-sig", "cp1252", "latin-1"}
NEWLINES = {"lf", "crlf"}
FIELDS = {"date", "type", "language", "encoding", "newline", "attendees", "absentees"}
BOM = b"\xef\xbb\xbf"


def _labels() -> dict[str, dict]:
    return yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))


LABELS = _labels()


def _text(name: str) -> str:
    return (MINUTES / name).read_bytes().decode(LABELS[name]["encoding"])


def test_labels_cover_exactly_the_files():
    on_disk = {p.name for p in MINUTES.iterdir() if p.is_file()}
    assert on_disk == set(LABELS), (
        f"{LABELS_FILE.name}: unlabelled files {sorted(on_disk - set(LABELS))}, "
        f"labels without a file {sorted(set(LABELS) - on_disk)}"
    )


@pytest.mark.parametrize("name", sorted(LABELS))
def test_label_fields_are_valid(name):
    label = LABELS[name]
    assert set(label) == FIELDS, f"{name}: fields {sorted(label)} != {sorted(FIELDS)}"
    assert label["type"] in TYPES, f"{name}: type {label['type']!r} not in {sorted(TYPES)}"
    assert label["language"] in LANGUAGES, f"{name}: language {label['language']!r}"
    assert label["encoding"] in ENCODINGS, f"{name}: encoding {label['encoding']!r}"
    assert label["newline"] in NEWLINES, f"{name}: newline {label['newline']!r}"
    date = dt.date.fromisoformat(str(label["date"]))
    assert dt.date(2025, 1, 1) <= date <= dt.date(2027, 12, 31), f"{name}: date {date} implausible"
    for key in ("attendees", "absentees"):
        names = label[key]
        assert isinstance(names, list) and all(
            isinstance(n, str) and n.strip() == n and n for n in names
        ), f"{name}: {key} {names!r}"
        assert len(set(names)) == len(names), f"{name}: duplicate {key} {names!r}"
    overlap = set(label["attendees"]) & set(label["absentees"])
    assert not overlap, f"{name}: both present and absent: {sorted(overlap)}"


@pytest.mark.parametrize("name", sorted(LABELS))
def test_file_is_written_as_declared(name):
    raw = (MINUTES / name).read_bytes()
    encoding, newline = LABELS[name]["encoding"], LABELS[name]["newline"]
    text = raw.decode(encoding)  # raises if the declared encoding is wrong
    assert raw.startswith(BOM) == (encoding == "utf-8-sig"), f"{name}: BOM vs {encoding}"
    if encoding in {"cp1252", "latin-1"}:
        # A single-byte file must really use single-byte accents, or the label proves nothing.
        assert any(ord(c) > 127 for c in text), f"{name}: no non-ASCII text to tell {encoding}"
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    if encoding == "latin-1":
        assert not any(0x80 <= b <= 0x9F for b in raw), f"{name}: cp1252-only bytes in latin-1"
    crlf, lf = raw.count(b"\r\n"), raw.count(b"\n")
    if newline == "crlf":
        assert crlf == lf > 0, f"{name}: {lf - crlf} bare LF in a CRLF file"
    else:
        assert crlf == 0, f"{name}: {crlf} CRLF in an LF file"


@pytest.mark.parametrize("name", sorted(LABELS))
def test_people_are_written_in_the_file_in_order(name):
    text = _text(name)
    for key in ("attendees", "absentees"):
        for person in LABELS[name][key]:
            assert person in text, f"{name}: {key} label {person!r} does not occur in the file"
        # Order of appearance: the names occur one after the other (as a subsequence).
        position = -1
        for person in LABELS[name][key]:
            position = text.find(person, position + 1)
            assert position >= 0, f"{name}: {key} {person!r} out of order of appearance"


def test_set_shape_matches_the_brief():
    labels = LABELS.values()
    assert len(LABELS) == 24
    assert sum(lab["language"] == "fr" for lab in labels) == 16
    assert {lab["type"] for lab in labels} == TYPES
    assert {lab["encoding"] for lab in labels} == ENCODINGS
    assert sum(lab["encoding"] == "latin-1" for lab in labels) == 1
    assert not [n for n in LABELS if n.lower().endswith(".docx")]
    assert sum(n.endswith(".rst") for n in LABELS) == 1
    front_matter = [n for n in LABELS if _text(n).lstrip("\ufeff").startswith("---\n")]
    assert 1 <= len(front_matter) <= 3, f"front matter in {front_matter}"
