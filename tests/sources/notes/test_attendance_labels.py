"""Attendance recall and precision on real minutes, against hand labels.

The labels (`data/labels/attendance/<lang>/<source>.jsonl`, how they were made in the README
there) name, for a seeded sample of each corpus source's files, the attendees and absentees as
the files list them. The parser's attendees are compared with them per file, names matched
after normalisation (case, accents, whitespace). Each label row says whether its file is in
the `dev` half (rules were tuned looking at it) or the `heldout` half (not looked at while
tuning); the numbers are reported per source and half, and the acceptance (recall >= 0.95 per
source, precision >= 0.9) is asserted on all the labelled files.

Print the table: `.venv/bin/pytest tests/sources/notes/test_attendance_labels.py -q -s`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from nlp.labelling import read_jsonl
from pipelines.sources.notes import NotesParseError, parse_file
from pipelines.sources.notes.text import normalise

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / ".." / "shared" / "corpus" / "meetings"
LABELS = ROOT / "data" / "labels" / "attendance"
MIN_RECALL = 0.95
MIN_PRECISION = 0.9
pytestmark = pytest.mark.corpus


@dataclass
class Score:
    """Matched, labelled and predicted names over a set of files, and the files that missed."""

    files: int = 0
    matched: int = 0
    labelled: int = 0
    predicted: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, file: str, labelled: list[str], predicted: list[str]) -> None:
        want = Counter(normalise(n) for n in labelled)
        got = Counter(normalise(n) for n in predicted)
        self.files += 1
        self.matched += sum((want & got).values())
        self.labelled += sum(want.values())
        self.predicted += sum(got.values())
        missed, extra = sorted((want - got).elements()), sorted((got - want).elements())
        if missed or extra:
            self.misses.append(f"{file}: missed {missed}, extra {extra}")

    @property
    def recall(self) -> float | None:
        return self.matched / self.labelled if self.labelled else None

    @property
    def precision(self) -> float | None:
        return self.matched / self.predicted if self.predicted else None


def _sources() -> list[Path]:
    return sorted(LABELS.glob("*/*.jsonl"))


def _attendance(path: Path) -> tuple[list[str], list[str]]:
    """The product's attendees and absentees for one file; a file it quarantines has none."""
    try:
        meeting = parse_file(path, root=CORPUS)
    except NotesParseError:
        return [], []
    return meeting.attendees, meeting.absentees


def score(label_file: Path) -> dict[str, Score]:
    """Scores of one source's labels: attendees in "dev", "heldout" and "all", absentees in
    "absent" (reported, not asserted: few files list them)."""
    scores = {"dev": Score(), "heldout": Score(), "all": Score(), "absent": Score()}
    for row in read_jsonl(label_file):
        present, absent = _attendance(CORPUS / row["file"])
        for key in (row["split"], "all"):
            scores[key].add(row["file"], row["names"], present)
        scores["absent"].add(row["file"], row["absent"], absent)
    return scores


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def _corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS.resolve()} (read-only, not in git)")
    return CORPUS


def test_labels_are_well_formed():
    seen = set()
    for label_file in _sources():
        for row in read_jsonl(label_file):
            assert set(row) == {"file", "split", "names", "absent", "notes"}, row
            assert row["split"] in ("dev", "heldout"), row
            assert row["file"].startswith(f"{label_file.parent.name}/{label_file.stem}/"), row
            assert row["file"] not in seen, f"{row['file']} labelled twice"
            seen.add(row["file"])
            assert all(isinstance(n, str) and n.strip() for n in row["names"] + row["absent"])
    assert len(seen) >= 100


@pytest.mark.parametrize("label_file", _sources(), ids=lambda p: p.stem)
def test_attendance_recall_and_precision(label_file):
    corpus = _corpus()
    rows = read_jsonl(label_file)
    assert len(rows) >= min(20, len(list((corpus / rows[0]["file"]).parent.iterdir())))
    scores = score(label_file)
    for split, s in scores.items():
        print(f"\n{label_file.stem:26} {split:8} files {s.files:3} names {s.labelled:4} "
              f"predicted {s.predicted:4} recall {_fmt(s.recall)} "
              f"precision {_fmt(s.precision)}")  # fmt: skip
    total = scores["all"]
    report = "\n".join(total.misses)
    if total.recall is not None:
        assert total.recall >= MIN_RECALL, report
    if total.predicted:
        assert total.precision >= MIN_PRECISION, report


def test_no_attendee_in_the_whole_corpus_reads_as_prose_or_a_label():
    """Every meeting file of the corpus, labelled or not: an attendee is never a sentence, a
    URL or a `Label: value` line (`Link:`, `Labels:`), whatever the layout."""
    corpus = _corpus()
    odd = []
    for path in sorted(corpus.rglob("*.md")):
        present, absent = _attendance(path)
        odd += [f"{path.relative_to(corpus)}: {name!r}" for name in present + absent
                if len(name.split()) > 5 or "://" in name or ":" in name]  # fmt: skip
    assert not odd, "\n".join(odd)
