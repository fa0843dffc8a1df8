"""The demo's truth applies dbt's rule seeds, read as data: each marker of
seeds/critical_markers.csv makes an item critical for verify.py exactly as for int_items, and
each meeting type speaks at the level seeds/meeting_levels.csv gives it."""

import csv
from pathlib import Path

import pytest

from pipelines.demo import verify

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


def seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("marker", seed("critical_markers"), ids=lambda m: "-".join(m.values()))
def test_every_seed_marker_makes_an_item_critical_in_any_case(marker):
    value = marker["marker_value"].upper()
    field = marker["marker_field"]
    got = verify.is_critical(
        marker["source_system"], **{field: [value] if field == "label" else value}
    )
    assert got


def test_an_item_without_a_marker_or_with_another_sources_marker_is_not_critical():
    assert not verify.is_critical("jira", priority="Medium", issue_type="Bug", label=["bug"])
    assert not verify.is_critical("github", label=["bug", "enhancement"])
    assert not verify.is_critical("github", priority="Highest")  # a Jira marker only


def test_meeting_levels_are_the_seeds():
    assert verify.MEETING_LEVEL == {
        r["meeting_type"]: r["meeting_level"] for r in seed("meeting_levels")
    }
