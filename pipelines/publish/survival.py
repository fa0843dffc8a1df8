"""Kaplan–Meier estimates for right-censored latencies (pure Python, no Dagster).

A field item that has not reached COMEX yet is not dropped and not counted as "infinitely
late": it is censored at the as-of instant. The estimate of the share still waiting after t
hours is the product over event times of (1 - events / at risk).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np


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
    pairs = list(observations)
    times = np.fromiter((float(t) for t, _ in pairs), dtype=np.float64, count=len(pairs))
    arrived = np.fromiter((bool(e) for _, e in pairs), dtype=np.bool_, count=len(pairs))
    return kaplan_meier_arrays(times, arrived)


def kaplan_meier_arrays(times: np.ndarray, arrived: np.ndarray) -> SurvivalEstimate:
    """`kaplan_meier` of the pairs (times[i], arrived[i]), as read from the warehouse with
    `fetchnumpy` (a large client's report has hundreds of thousands of items: no Python
    tuple each).

    The items are grouped by time, the share is the running product of (1 - events / at
    risk) over the times with an event, multiplied in time order as a loop would, so the
    same floats."""
    if len(times) == 0:
        return SurvivalEstimate(steps=(), n=0, events=0)
    moments, group = np.unique(np.asarray(times, dtype=np.float64), return_inverse=True)
    events = np.bincount(group, weights=np.asarray(arrived, dtype=np.bool_), minlength=len(moments))
    leaving = np.bincount(group, minlength=len(moments))
    at_risk = len(times) - np.concatenate(([0], np.cumsum(leaving)[:-1]))
    with_event = events > 0
    shares = np.cumprod(1.0 - events[with_event] / at_risk[with_event])
    steps = tuple(zip(moments[with_event].tolist(), shares.tolist(), strict=True))
    return SurvivalEstimate(steps=steps, n=len(times), events=int(events.sum()))
