"""A scenario's state machine, built with `transitions`, and the rules that move it.

Per scored reply, in this order:
1. anti-patterns use up the persona's patience; at zero the call ends at the
   scenario's `patience_end`;
2. a reply under the pass mark to a state that raises an objection counts as a
   weak answer to that objection; one more than `max_tries` (the lecture's
   two tries) ends the call at `tries_end`;
3. otherwise the state's rules are tried in order; the first whose conditions
   hold moves the machine. No rule holding leaves the persona where it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from transitions import Machine

from scoring.rubric import ReplyScore
from simulator.scenario import Rule, Scenario, State

__all__ = ["DrillMachine", "Move"]

_REPLY = "respond"
_PATIENCE_OUT = "lose_patience"
_TRIES_OUT = "run_out_of_tries"


@dataclass(frozen=True, slots=True)
class Move:
    """What one reply did to the conversation, and why."""

    before: str
    after: str
    patience_before: int
    patience_after: int
    reason: str  # rule | patience | tries | stay
    moved_by: tuple[str, ...]  # principle / anti-pattern ids (or a score condition) behind the move
    weak_answers: int  # weak answers to the current objection so far
    rule: int | None = None  # index of the state's rule that fired, if one did


def rule_holds(rule: Rule, score: ReplyScore) -> bool:
    found = set(score.found) | set(score.anti_patterns)
    if rule.when and not all(pid in found for pid in rule.when):
        return False
    if rule.when_any and not any(pid in found for pid in rule.when_any):
        return False
    if rule.unless and any(pid in found for pid in rule.unless):
        return False
    if rule.min_score is not None and score.score < rule.min_score:
        return False
    return not (rule.max_score is not None and score.score > rule.max_score)


def rule_reason(rule: Rule, score: ReplyScore) -> tuple[str, ...]:
    """The ids (or score bound) that made a rule hold, for the timeline."""
    found = set(score.found) | set(score.anti_patterns)
    ids = [pid for pid in rule.when + rule.when_any if pid in found]
    if rule.min_score is not None:
        ids.append(f"score≥{rule.min_score}")
    if rule.max_score is not None:
        ids.append(f"score≤{rule.max_score}")
    return tuple(ids) or ("otherwise",)


class DrillMachine:
    """The conversation's position in one scenario; `state` is kept by a `transitions.Machine`."""

    state: str
    trigger: Callable[..., bool]  # bound by transitions.Machine

    def __init__(self, scenario: Scenario, patience: int) -> None:
        self.scenario = scenario
        self.patience = patience
        self.weak = Counter[str]()
        self._fired: Rule | None = None
        self._machine = Machine(
            model=self,
            states=list(scenario.states),
            initial=scenario.start,
            auto_transitions=False,
            ignore_invalid_triggers=True,
            send_event=False,
        )
        for state in scenario.states.values():
            if state.is_end:
                continue
            for rule in state.rules:
                self._machine.add_transition(
                    _REPLY, state.id, rule.go, conditions=[self._condition(rule)]
                )
        live: list[Any] = [s.id for s in scenario.states.values() if not s.is_end]
        self._machine.add_transition(_PATIENCE_OUT, live, scenario.patience_end)
        self._machine.add_transition(_TRIES_OUT, live, scenario.tries_end)

    def _condition(self, rule: Rule):
        def holds(score: ReplyScore) -> bool:
            if rule_holds(rule, score):
                self._fired = rule
                return True
            return False

        return holds

    @property
    def current(self) -> State:
        return self.scenario.states[self.state]

    @property
    def finished(self) -> bool:
        return self.current.is_end

    def objection_of(self, state: State) -> str | None:
        if state.objection == "none":
            return None
        return state.objection or self.scenario.objection

    def advance(self, score: ReplyScore, costs: int) -> Move:
        """Apply one scored reply; `costs` is the patience its anti-patterns use up."""
        before, patience_before = self.state, self.patience
        self.patience = max(0, self.patience - costs)
        objection = self.objection_of(self.current)
        if objection and score.score < self.scenario.pass_mark:
            self.weak[objection] += 1
        weak = self.weak[objection] if objection else 0
        if costs and self.patience == 0:
            self.trigger(_PATIENCE_OUT)
            return Move(before, self.state, patience_before, 0, "patience", score.anti_patterns, weak)
        if weak > self.scenario.max_tries and score.score < self.scenario.pass_mark:
            self.trigger(_TRIES_OUT)
            return Move(before, self.state, patience_before, self.patience, "tries", (objection or "",), weak)
        self._fired = None
        self.trigger(_REPLY, score)
        if self._fired is None:
            return Move(before, self.state, patience_before, self.patience, "stay", (), weak)
        index = self.scenario.states[before].rules.index(self._fired)
        return Move(
            before, self.state, patience_before, self.patience, "rule", rule_reason(self._fired, score), weak,
            index,
        )
