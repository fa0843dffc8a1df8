"""The pure parts of alerting: rule judgement, stable ids, state transitions, signing."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from pipelines.publish.alerts import (
    BREACHED,
    NOT_MEASURED,
    OK,
    Evaluation,
    empty_state,
    evaluate,
    open_alerts,
    plan,
    report_link,
    sign,
    verify,
)
from pipelines.publish.signals import Signals


def cross_side(recent: float, previous: float, weeks: int) -> dict:
    """A row of fct_cross_side_trend: `recent` and `previous` shares over `weeks` weeks."""
    return {
        "weeks": weeks,
        "recent_weeks": 4,
        "previous_weeks": weeks - 4,
        "recent_cross_side_interactions": round(recent * 100),
        "recent_interactions": 100,
        "recent_cross_side_share": recent,
        "previous_cross_side_interactions": round(previous * 300),
        "previous_interactions": 300,
        "previous_cross_side_share": previous,
        "cross_side_drop": 1 - recent / previous,
    }


def signals(**changes) -> Signals:
    """Signals of a small organisation where every rule is breached."""
    base = {
        "latency": {
            "critical": {"items": 10, "reached_comex": 2, "share_never_arrived": 0.8},
            "all": {"items": 30, "reached_comex": 12, "share_never_arrived": 0.6},
        },
        "arbitration": [
            {
                "decision_domain": "roadmap",
                "decisions": 24,
                "taken_decisions": 20,
                "attributed_decisions": 18,
                "official_owner_role": "cpo",
                "official_owner_share": 0.11,
                "top_decider_person_id": "marie",
                "top_decider_name": "Marie Dubois",
                "top_decider_share": 0.65,
                "is_top_decider_official_owner": False,
            }
        ],
        "tech_without_tech": [
            {"meeting_id": "notes:comex-1", "decided_at": "2026-05-04", "decision_text": "k8s"}
        ],
        "cross_side": cross_side(0.08, 0.33, 16),
        "stuck_critical": [
            {
                "item_id": "jira:SUP-1",
                "title": "Checkout down",
                "origin_team": "support",
                "waiting_days": 80.5,
                "html_url": "https://x/SUP-1",
            }
        ],
        "monthly": [{"month": "2026-05", "reached_comex": 1, "field_items": 9}],
        "comex_decisions": 12,
    }
    base.update(changes)
    return Signals(**base)


def by_id(evaluations):
    return {e.alert_id: e for e in evaluations}


def test_every_rule_breached_has_a_stable_id_and_its_evidence():
    got = by_id(evaluate(signals()))
    assert set(got) == {
        "critical_never_arrived_share:critical-items",
        "official_owner_min_share:roadmap",
        "tech_decisions_without_tech:comex",
        "cross_side_drop:cross-side",
    }
    assert all(e.status == BREACHED for e in got.values())
    critical = got["critical_never_arrived_share:critical-items"]
    assert any("jira:SUP-1" in line and "https://x/SUP-1" in line for line in critical.evidence)
    assert critical.trend == "field items that reached COMEX, by month raised: 2026-05 1/9"
    owner = got["official_owner_min_share:roadmap"]
    assert owner.title == (
        "roadmap: the official owner (cpo) took 11% of decisions; Marie Dubois took 65%"
    )


def test_a_domain_with_no_declared_owner_is_not_measured_and_never_fires():
    row = {**signals().arbitration[0], "official_owner_role": None, "official_owner_share": 0}
    got = by_id(evaluate(signals(arbitration=[row])))["official_owner_min_share:roadmap"]
    assert got.status == NOT_MEASURED
    assert got.title == "roadmap: no official owner declared"


@pytest.mark.parametrize(
    ("changes", "sources", "alert_id", "why"),
    [
        ({}, {"github", "jira", "notes"}, "official_owner_min_share:all-domains", "no directory"),
        ({}, {"github", "directory"}, "tech_decisions_without_tech:comex", "no meeting notes"),
        ({}, {"notes", "directory"}, "critical_never_arrived_share:critical-items", "tracker"),
        ({"comex_decisions": 2}, None, "tech_decisions_without_tech:comex", "(3)"),
        (
            {"cross_side": cross_side(0.1, 0.3, 7)},
            None,
            "cross_side_drop:cross-side",
            "min_evidence.weeks (8)",
        ),
    ],
)
def test_a_rule_with_missing_inputs_or_too_little_evidence_is_not_measured(
    changes, sources, alert_id, why
):
    got = by_id(evaluate(signals(**changes), sources=sources))[alert_id]
    assert got.status == NOT_MEASURED and why in got.title


def test_minimum_evidence_is_a_setting():
    few = {**signals().latency, "critical": {**signals().latency["critical"], "items": 4}}
    rule = "critical_never_arrived_share:critical-items"
    assert by_id(evaluate(signals(latency=few)))[rule].status == NOT_MEASURED
    lowered = evaluate(signals(latency=few), min_evidence={"critical_items": 3})
    assert by_id(lowered)[rule].status == BREACHED
    row = {**signals().arbitration[0], "attributed_decisions": 4}
    owner = by_id(evaluate(signals(arbitration=[row])))["official_owner_min_share:roadmap"]
    assert owner.status == NOT_MEASURED and "min_evidence.domain_decisions (5)" in owner.title


def test_a_measure_back_within_its_threshold_is_ok():
    rule = {"official_owner_min_share": 0.1}
    assert by_id(evaluate(signals(), rule))["official_owner_min_share:roadmap"].status == OK


E = Evaluation("cross_side_drop", "cross-side", BREACHED, "fell 76%", 0.76, 0.3)
FINE = Evaluation("cross_side_drop", "cross-side", OK, "fine", 0.1, 0.3)
UNMEASURED = Evaluation("cross_side_drop", "cross-side", NOT_MEASURED, "7 weeks")


def step(state, evaluation, sinks=("slack", "file"), now="t"):
    return plan(state, [evaluation], list(sinks), workspace="acme", report_url=None, now=now)


def test_a_breach_opens_once_and_queues_one_fired_message_per_sink():
    state, queued = step(empty_state(), E, now="t1")
    assert queued == [
        "cross_side_drop:cross-side#1:fired->slack",
        "cross_side_drop:cross-side#1:fired->file",
    ]
    assert [a["alert_id"] for a in open_alerts(state)] == ["cross_side_drop:cross-side"]
    again, queued = step(state, E, now="t2")
    assert queued == []  # still pending: not queued twice
    assert len(again["outbox"]) == 2


def test_plan_does_not_modify_the_state_it_is_given():
    state = empty_state()
    step(state, E)
    assert state == empty_state()


def test_delivered_fired_then_ok_queues_one_recovery_and_a_new_breach_a_new_episode():
    state, _ = step(empty_state(), E)
    state["outbox"] = []  # delivered
    state["alerts"]["cross_side_drop:cross-side"]["notified"] = ["slack", "file"]
    state, queued = step(state, E)
    assert queued == []
    state, queued = step(state, FINE, now="t3")
    assert queued == [
        "cross_side_drop:cross-side#1:recovered->slack",
        "cross_side_drop:cross-side#1:recovered->file",
    ]
    assert open_alerts(state) == []
    assert state["alerts"]["cross_side_drop:cross-side"]["closed_at"] == "t3"
    state["outbox"] = []
    _, queued = step(state, E)
    assert queued[0] == "cross_side_drop:cross-side#2:fired->slack"


def test_not_measured_neither_fires_nor_recovers():
    state, queued = step(empty_state(), UNMEASURED)
    assert queued == [] and state["alerts"] == {}
    state, _ = step(empty_state(), E)
    state["outbox"] = []
    state["alerts"]["cross_side_drop:cross-side"]["notified"] = ["slack", "file"]
    state, queued = step(state, UNMEASURED)
    assert queued == [] and len(open_alerts(state)) == 1


def test_a_sink_added_while_an_alert_is_open_gets_it_once_and_a_removed_sink_loses_its_queue():
    state, _ = step(empty_state(), E, sinks=["slack"])
    state["outbox"] = []
    state["alerts"]["cross_side_drop:cross-side"]["notified"] = ["slack"]
    state, queued = step(state, E, sinks=["slack", "email"])
    assert queued == ["cross_side_drop:cross-side#1:fired->email"]
    state, _ = step(state, E, sinks=["slack"])
    assert state["outbox"] == []


def test_the_signature_is_hmac_sha256_of_the_body():
    body, secret = b'{"a": 1}', "s3cret"
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert sign(body, secret) == f"sha256={expected}"
    assert verify(body, secret, sign(body, secret))
    assert not verify(body + b" ", secret, sign(body, secret))
    assert not verify(body, "other", sign(body, secret))
    assert not verify(body, secret, None)


def test_messages_link_to_the_reports_alerts_section(tmp_path):
    assert report_link(None, tmp_path).endswith("/latency.html#alerts")
    assert report_link(None, tmp_path).startswith("file:///")
    assert report_link("https://silo.acme/r.html", tmp_path) == "https://silo.acme/r.html#alerts"


def test_evidence_quotes_decisions_on_one_line():
    minutes = {"meeting_id": "notes:c", "decided_at": "2026-05-04", "decision_text": "a\n  b"}
    got = by_id(evaluate(signals(tech_without_tech=[minutes])))
    assert got["tech_decisions_without_tech:comex"].evidence == ('2026-05-04 notes:c: "a b"',)
