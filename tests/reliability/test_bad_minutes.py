"""Bad minutes beside the demo's: each is quarantined with its reason, every good meeting
(including oddly named files) is kept; a re-run is identical."""

from __future__ import annotations

import pyarrow.parquet as pq

from pipelines.config import load_workspace
from pipelines.demo.generator import generate
from pipelines.sources import notes
from tests.reliability.faults import BAD_MINUTES, ODD_NAMES, plant_bad_minutes


def _table(ws, entity):
    return pq.read_table(ws.raw_dir / "notes" / entity / "current.parquet").to_pylist()


def test_each_bad_minutes_file_is_quarantined_and_every_good_meeting_kept(tmp_path):
    generate(tmp_path, seed=7)
    ws = load_workspace(tmp_path)
    notes.ingest(ws)
    clean = {m["meeting_id"]: m["file_hash"] for m in _table(ws, "meetings")}
    clean_sections = {s["section_id"] for s in _table(ws, "sections")}

    reasons = plant_bad_minutes(ws.notes.folder)
    counts = notes.ingest(ws)
    quarantined = {row["location"]: row for row in _table(ws, "quarantine")}
    for name, reason in reasons.items():
        assert name in quarantined, f"{name} was not quarantined"
        assert reason in quarantined[name]["reason"], (name, quarantined[name]["reason"])
        assert quarantined[name]["stage"] == "landing"
    assert set(quarantined) == set(BAD_MINUTES)
    meetings = {m["meeting_id"]: m for m in _table(ws, "meetings")}
    assert {k: meetings[k]["file_hash"] for k in clean} == clean  # no good meeting lost
    odd = {m["file_path"] for m in meetings.values()} & set(ODD_NAMES)
    assert odd == set(ODD_NAMES)  # odd names land as meetings
    assert len(meetings) == len(clean) + len(ODD_NAMES) == counts["meetings"]
    sections = [s["section_id"] for s in _table(ws, "sections")]
    assert len(sections) == len(set(sections))  # nothing duplicated
    assert clean_sections <= set(sections)
    assert not any("OUTSIDE-MARKER-TEXT" in (s["text"] or "") for s in _table(ws, "sections"))

    again = notes.ingest(ws)  # from the cache: the same outcome
    assert again == counts
