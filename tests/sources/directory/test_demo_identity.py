"""Identity resolution on the demo organisation: every name written in its minutes resolves,
and the planted hard cases (homonyms, a hand-over, a departure) resolve as they should."""

from datetime import date

import pytest

from pipelines.demo.generator import generate
from pipelines.sources.directory import Resolver, load_directory
from pipelines.sources.notes import parse_file


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    generate(root, seed=7)
    return root, Resolver(load_directory(root / "directory.yml"))


def test_every_attendee_and_absentee_of_the_demo_minutes_resolves(demo):
    root, resolver = demo
    seen = unresolved = 0
    for path in sorted((root / "notes").glob("*.md")):
        meeting = parse_file(path, timezone="Europe/Paris")
        names = [*meeting.attendees, *meeting.absentees]
        for name in names:
            seen += 1
            found = resolver.resolve(name, "name", meeting.date, context=meeting.attendees)
            if found.person_id is None:
                unresolved += 1
    assert seen > 1500
    assert unresolved == 0


def test_homonyms_are_told_apart_by_initial_and_by_the_room(demo):
    _, resolver = demo
    day = date(2026, 3, 2)
    assert resolver.resolve("Marie D.", "name", day).person_id == "marie.dubois"
    assert resolver.resolve("Marie L.", "name", day).person_id == "marie.lefevre"
    alone = resolver.resolve("Marie", "name", day)
    assert alone.person_id is None and set(alone.candidates) >= {"marie.dubois", "marie.lefevre"}
    in_room = resolver.resolve("Marie", "name", day, context=["Marie Dubois", "Julien M."])
    assert in_room.person_id == "marie.dubois"


def test_a_role_mention_follows_the_hand_over(demo):
    _, resolver = demo
    before = resolver.resolve("la responsable support", "name", date(2026, 3, 10))
    after = resolver.resolve("the head of support", "name", date(2026, 3, 20))
    assert before.person_id == "sophie.laurent"
    assert after.person_id == "nadia.kaci"


def test_a_departed_person_is_not_the_answer_after_leaving(demo):
    _, resolver = demo
    assert resolver.resolve("Sophie Laurent", "name", date(2026, 3, 1)).person_id == (
        "sophie.laurent"
    )
    assert resolver.resolve("Sophie Laurent", "name", date(2026, 4, 1)).person_id is None
