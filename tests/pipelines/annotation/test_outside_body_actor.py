"""An outside body named as a decision's actor (`le conseil municipal`, mention kind `body`)
reaches the warehouse's decision actors unresolved, saying why: it is never a person, even
when the directory holds someone whose name it contains."""

import json
from datetime import date

from pipelines.annotation.documents import resolve_actors


def greedy_resolve(mention, at, kind, context):
    """A directory that would take any mention for Marie: a body must never reach it."""
    return "marie.conseil", 0.9, "first_name"


def test_a_body_is_never_resolved_to_a_person():
    decisions = [
        {
            "decision_id": "s1#d1",
            "document_id": "s1",
            "actors": json.dumps(
                [
                    {"text": "Le conseil municipal", "kind": "body", "role": None},
                    {"text": "Marie", "kind": "person", "role": None},
                ]
            ),
        }
    ]
    documents = {"s1": {"meeting_id": "notes:m1", "authored_on": date(2026, 3, 2)}}
    rows = resolve_actors(decisions, documents, {}, greedy_resolve)
    assert [(r["mention"], r["mention_kind"], r["person_id"], r["method"]) for r in rows] == [
        ("Le conseil municipal", "body", None, "outside body: not a person"),
        ("Marie", "person", "marie.conseil", "first_name"),
    ]
    assert rows[0]["confidence"] == 0.0
