"""The people side of the NLP step: attendees and decision actors resolved at the right date,
with the meeting's attendees as context, pronouns through the name they point back to."""

import json
from datetime import date

from pipelines.annotation.documents import resolve_actors, resolve_attendees

CALLS: list[tuple] = []


def fake_resolve(mention, at, kind, context):
    """A stand-in directory: two Maries, a CTO; records what it was asked."""
    CALLS.append((mention, at, kind, context))
    if mention in ("Marie D.", "Marie Dubois"):
        return "marie.dubois", 0.95, "declared_name"
    if mention == "Marie" and "marie.dubois" in context:
        return "marie.dubois", 0.65, "first_name+context"
    if mention == "le CTO" and kind == "role":
        return "paul.leroy", 0.9, "role_mention"
    return None, 0.0, "no person matches"


def test_attendees_and_absentees_are_resolved_on_the_meeting_date():
    meetings = [
        {
            "meeting_id": "notes:m1",
            "meeting_date": date(2026, 3, 2),
            "attendees": json.dumps(["Marie D.", "Inconnu"]),
            "absentees": json.dumps(["le CTO"]),
        }
    ]
    CALLS.clear()
    rows = resolve_attendees(meetings, fake_resolve)
    assert [(r["name_as_written"], r["is_absent"], r["person_id"]) for r in rows] == [
        ("Marie D.", False, "marie.dubois"),
        ("Inconnu", False, None),
        ("le CTO", True, None),  # attendance names are resolved as names
    ]
    assert all(call[1] == date(2026, 3, 2) for call in CALLS)


def test_actors_use_the_room_as_context_and_pronouns_their_antecedent():
    decisions = [
        {
            "decision_id": "s1#d1",
            "document_id": "s1",
            "actors": json.dumps(
                [
                    {"text": "Marie", "kind": "person", "role": None},
                    {"text": "le CTO", "kind": "role", "role": "cto"},
                    {"text": "elle", "kind": "pronoun", "role": None, "refers_to": "Marie D."},
                ]
            ),
        }
    ]
    documents = {"s1": {"meeting_id": "notes:m1", "authored_on": date(2026, 3, 2)}}
    present = {"notes:m1": frozenset({"marie.dubois"})}
    rows = resolve_actors(decisions, documents, present, fake_resolve)
    assert [(r["mention"], r["mention_kind"], r["person_id"]) for r in rows] == [
        ("Marie", "person", "marie.dubois"),
        ("le CTO", "role", "paul.leroy"),
        ("elle", "pronoun", "marie.dubois"),
    ]
    assert rows[1]["role"] == "cto"


def test_a_decision_outside_minutes_has_no_room_context():
    decisions = [
        {
            "decision_id": "jira:A-1/body#d1",
            "document_id": "jira:A-1/body",
            "actors": json.dumps([{"text": "Marie", "kind": "person"}]),
        }
    ]
    rows = resolve_actors(
        decisions, {"jira:A-1/body": {"meeting_id": None, "authored_on": None}}, {}, fake_resolve
    )
    assert rows[0]["person_id"] is None  # ambiguous first name, no room to break the tie
