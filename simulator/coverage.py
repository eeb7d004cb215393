"""Which states and transitions of a drill its conversation tests reach, and which they never do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from simulator.scenario import Scenario
from simulator.session import Turn

__all__ = ["Coverage", "coverage_of"]


@dataclass(frozen=True)
class Coverage:
    states_total: int
    transitions_total: int
    missed_states: tuple[str, ...]
    missed_transitions: tuple[str, ...]

    @property
    def states_reached(self) -> int:
        return self.states_total - len(self.missed_states)

    @property
    def transitions_reached(self) -> int:
        return self.transitions_total - len(self.missed_transitions)


def _edge(scenario: Scenario, state: str, index: int) -> str:
    rule = scenario.states[state].rules[index]
    label = ",".join(rule.when + rule.when_any) or ("otherwise" if rule.is_otherwise else "condition")
    return f"{state} → {rule.go} [{label}]"


def coverage_of(scenario: Scenario, runs: Iterable[Iterable[Turn]]) -> Coverage:
    seen_states = {scenario.start}
    seen_edges: set[tuple[str, int]] = set()
    for turns in runs:
        for turn in turns:
            seen_states.add(turn.move.after)
            if turn.move.rule is not None:
                seen_edges.add((turn.move.before, turn.move.rule))
    all_edges = [(s.id, i) for s in scenario.states.values() for i in range(len(s.rules))]
    return Coverage(
        states_total=len(scenario.states),
        transitions_total=len(all_edges),
        missed_states=tuple(s for s in scenario.states if s not in seen_states),
        missed_transitions=tuple(_edge(scenario, s, i) for s, i in all_edges if (s, i) not in seen_edges),
    )
