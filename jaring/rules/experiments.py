"""Reminder experiments: deterministic assignment to arms and the statistics of their outcomes.

Pure functions, no Django. A member's arm is a function of the experiment's code and the member's KPJ
alone (SHA-256 of ``"<code>:<kpj>"``), so re-running an assignment, or computing it on another machine,
always gives the same arm, and no arm can be chosen by hand.

Rates are reported with a 95% confidence interval (Wilson score interval, good for small counts and
rates near 0 or 1); the difference of an arm to the control arm with a 95% interval for a difference of
two independent proportions (Newcombe's method 10, built from the two Wilson intervals). A difference is
significant at the 5% level when its interval does not contain zero.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # two-sided 95% normal quantile


def assign_arm(experiment_code: str, kpj: str, arms: list[tuple[str, int]]) -> str:
    """The arm (code) of ``kpj`` among ``arms`` = [(code, weight), ...], weights ≥ 1, in a fixed order."""
    if not arms:
        raise ValueError("an experiment needs at least one arm")
    total = sum(int(w) for _, w in arms)
    if total <= 0 or any(int(w) < 1 for _, w in arms):
        raise ValueError("arm weights must be whole numbers of at least 1")
    digest = hashlib.sha256(f"{experiment_code}:{kpj}".encode()).digest()
    slot = int.from_bytes(digest[:8], "big") % total
    for code, weight in arms:
        slot -= int(weight)
        if slot < 0:
            return code
    return arms[-1][0]  # unreachable


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


def wilson(successes: int, n: int, z: float = Z95) -> Interval:
    """Wilson score interval of a proportion ``successes / n``; (0, 1) when ``n`` is 0."""
    if n <= 0:
        return Interval(0.0, 1.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def difference(x1: int, n1: int, x0: int, n0: int, z: float = Z95) -> tuple[float, Interval]:
    """Difference of rates ``x1/n1 − x0/n0`` and its 95% interval (Newcombe hybrid score, method 10)."""
    if n1 <= 0 or n0 <= 0:
        return 0.0, Interval(-1.0, 1.0)
    p1, p0 = x1 / n1, x0 / n0
    a, b = wilson(x1, n1, z), wilson(x0, n0, z)
    d = p1 - p0
    low = d - math.sqrt((p1 - a.low) ** 2 + (b.high - p0) ** 2)
    high = d + math.sqrt((a.high - p1) ** 2 + (p0 - b.low) ** 2)
    return d, Interval(max(-1.0, low), min(1.0, high))


def significant(interval: Interval) -> bool:
    """A difference is significant at 5% when its 95% interval excludes zero."""
    return not interval.contains(0.0)
