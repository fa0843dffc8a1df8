"""Kaplan–Meier on censored latencies, checked against hand-computed values."""

import pytest

from pipelines.publish.survival import kaplan_meier


def test_no_censoring_gives_the_empirical_median():
    km = kaplan_meier([(10, True), (20, True), (30, True), (40, True)])
    assert km.median == 20
    assert km.share_never_arrived == 0.0


def test_censored_items_stay_at_risk_until_they_leave():
    # 5 items: events at 1, 3, 5; censored at 2 and 6.
    km = kaplan_meier([(1, True), (2, False), (3, True), (5, True), (6, False)])
    # S(1) = 4/5; S(3) = 4/5 * 2/3; S(5) = 4/5 * 2/3 * 1/2
    assert km.survival_at(1) == pytest.approx(0.8)
    assert km.survival_at(3) == pytest.approx(0.8 * 2 / 3)
    assert km.survival_at(5.5) == pytest.approx(0.8 * 2 / 3 * 0.5)
    assert km.median == 5  # first time S <= 0.5 (S(3) = 0.533 is still above)
    assert km.share_never_arrived == pytest.approx(0.8 * 2 / 3 * 0.5)


def test_nothing_arrived_means_no_median_and_all_waiting():
    km = kaplan_meier([(5, False), (9, False)])
    assert km.median is None
    assert km.share_never_arrived == 1.0
    assert km.n == 2 and km.events == 0


def test_ties_count_events_before_censoring():
    km = kaplan_meier([(2, True), (2, False), (4, True)])
    assert km.survival_at(2) == pytest.approx(2 / 3)
    assert km.survival_at(4) == 0.0


def _loop_estimate(observations):
    """The estimate as a plain loop computes it: the reference for the vectorised one."""
    data = sorted((float(t), bool(e)) for t, e in observations)
    at_risk, share, steps, i = len(data), 1.0, [], 0
    while i < len(data):
        t, events, censored = data[i][0], 0, 0
        while i < len(data) and data[i][0] == t:
            events += data[i][1]
            censored += not data[i][1]
            i += 1
        if events:
            share *= 1.0 - events / at_risk
            steps.append((t, share))
        at_risk -= events + censored
    return tuple(steps)


def test_the_estimate_is_the_loop_float_for_float_with_ties_and_censoring():
    import random

    rng = random.Random(7)
    observations = [(rng.choice(range(0, 5000, 7)) / 4, rng.random() < 0.6) for _ in range(20000)]
    km = kaplan_meier(observations)
    assert km.steps == _loop_estimate(observations)  # exactly the same floats
    assert km.n == 20000 and km.events == sum(e for _, e in observations)


def test_no_observation_gives_an_empty_estimate():
    km = kaplan_meier([])
    assert km.steps == () and km.n == 0 and km.events == 0 and km.median is None
