"""Which principles a rep misses most, and which drill trains the weakest one.

A principle's miss rate is the share of the replies expected to show it that
did not. Anti-patterns are not "missed": they are shown, and counted apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from simulator.loader import Catalog
from simulator.scenario import Scenario

__all__ = ["Weakness", "drill_for", "weaknesses"]


@dataclass(frozen=True, slots=True)
class Weakness:
    principle: str
    missed: int
    expected: int  # replies where it was expected: hit + missed

    @property
    def rate(self) -> float:
        return self.missed / self.expected if self.expected else 0.0

    @property
    def evidence_rate(self) -> float:
        """The miss rate pulled towards one half when there are few replies (1 of 1 is weaker evidence than 5 of 6)."""
        return (self.missed + 1) / (self.expected + 2)


def weaknesses(counts: Mapping[str, Mapping[str, int]], minimum: int = 1) -> list[Weakness]:
    """Principles missed at least `minimum` times, worst first (by `evidence_rate`, then most misses, then id)."""
    found = [Weakness(pid, c.get("missed", 0), c.get("hit", 0) + c.get("missed", 0))
             for pid, c in counts.items() if c.get("missed", 0) >= minimum]
    return sorted(found, key=lambda w: (-w.evidence_rate, -w.missed, w.principle))


def _expects(scenario: Scenario, pid: str) -> int:
    """How many of the drill's states expect the principle (alone or as one of alternatives)."""
    total = 0
    for state in scenario.states.values():
        for item in state.expect:
            if pid == item or (isinstance(item, tuple) and pid in item):
                total += 1
    return total


def drill_for(catalog: Catalog, weak: list[Weakness]) -> tuple[Scenario, Weakness] | None:
    """The drill that trains the weakest principle that some drill trains: most states expecting it, easiest first."""
    for w in weak:
        candidates = [(sc, _expects(sc, w.principle)) for sc in catalog.ordered()]
        candidates = [(sc, n) for sc, n in candidates if n]
        if candidates:
            best = max(candidates, key=lambda c: (c[1], -c[0].difficulty, -c[0].order))
            return best[0], w
    return None
