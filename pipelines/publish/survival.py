"""Kaplan–Meier estimates for right-censored latencies (pure Python, no Dagster).

A field item that has not reached COMEX yet is not dropped and not counted as "infinitely
late": it is censored at the as-of instant. The estimate of the share still waiting after t
hours is the product over event times of (1 - events / at risk).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SurvivalEstimate:
    """A step function: `steps[i] = (t, S(t))`, S the share not yet arrived after t hours."""

    steps: tuple[tuple[float, float], ...]
    n: int
    events: int

    def survival_at(self, hours: float) -> float:
        share = 1.0
        for t, s in self.steps:
            if t > hours:
                break
            share = s
        return share

    def quantile(self, q: float) -> float | None:
        """Smallest t where the share arrived reaches q (0.5 = median); None if never reached."""
        for t, s in self.steps:
            if 1.0 - s >= q - 1e-12:
                return t
        return None

    @property
    def median(self) -> float | None:
        return self.quantile(0.5)

    @property
    def share_never_arrived(self) -> float:
        """Share of items still waiting at the end of observation."""
        return self.steps[-1][1] if self.steps else 1.0


def kaplan_meier(observations: Iterable[tuple[float, bool]]) -> SurvivalEstimate:
    """Estimate from (observed_hours, arrived) pairs. Ties: events before censorings."""
    data = sorted((float(t), bool(e)) for t, e in observations)
    n = len(data)
    at_risk, share, steps, events_total = n, 1.0, [], 0
    i = 0
    while i < n:
        t = data[i][0]
        events = censored = 0
        while i < n and data[i][0] == t:
            events += data[i][1]
            censored += not data[i][1]
            i += 1
        if events:
            share *= 1.0 - events / at_risk
            steps.append((t, share))
            events_total += events
        at_risk -= events + censored
    return SurvivalEstimate(steps=tuple(steps), n=n, events=events_total)
