"""`silo run` ends with one line per quarantined item, read back from the quarantine files
the landing and the NLP step write; `--strict` turns a quarantined record into exit 4."""

from __future__ import annotations

from pipelines.cli.run import STRICT_EXIT, report_quarantine
from pipelines.landing import Quarantine


def test_one_line_per_quarantined_item_and_strict_exit(tmp_path, capsys):
    notes = Quarantine("notes")
    notes.add("bad.md", "front matter is not valid YAML: month must be in 1..12", "notes:bad", 1)
    notes.write(tmp_path / "raw", "current")
    nlp = Quarantine("nlp", stage="nlp")
    nlp.add("github:o/r#1", "notice: text annotated in 52 chunks", record_id="github:o/r#1")
    nlp.write(tmp_path, "current")
    assert report_quarantine(tmp_path, strict=False) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "quarantined notes/landing: bad.md [notes:bad] line 1: "
        "front matter is not valid YAML: month must be in 1..12",
        "notice nlp/nlp: github:o/r#1: text annotated in 52 chunks",
    ]
    assert report_quarantine(tmp_path, strict=True) == STRICT_EXIT


def test_notices_alone_do_not_fail_a_strict_run(tmp_path):
    nlp = Quarantine("nlp", stage="nlp")
    nlp.add("doc", "notice: text annotated in 2 chunks")
    nlp.write(tmp_path, "current")
    assert report_quarantine(tmp_path, strict=True) == 0
