"""A drill and its persona as typed objects, built once from YAML by `simulator.loader`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from scoring.principles import Localized
from scoring.rubric import Expectation

__all__ = [
    "ConversationTest",
    "Lines",
    "Persona",
    "Rule",
    "Scenario",
    "State",
    "TestExpectation",
]

SUCCESS = "success"
FAILURE = "failure"
END_KINDS = (SUCCESS, FAILURE)


@dataclass(frozen=True, slots=True)
class Lines:
    """Variants of one thing said, per language; one is picked at random (seeded)."""

    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    def get(self, lang: str) -> tuple[str, ...]:
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first or second

    def __bool__(self) -> bool:
        return bool(self.zh or self.en)


@dataclass(frozen=True, slots=True)
class Persona:
    """Who the prospect is and how much nonsense they will take."""

    id: str
    name: Localized
    role: Localized
    company: Localized
    temperament: Localized
    patience: int
    lines: Mapping[str, Lines] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    """One way out of a state: conditions on the scored reply, and where it leads."""

    go: str
    when: tuple[str, ...] = ()
    when_any: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    min_score: int | None = None
    max_score: int | None = None

    @property
    def is_otherwise(self) -> bool:
        return not (self.when or self.when_any or self.unless) and self.min_score is None and self.max_score is None

    def ids(self) -> tuple[str, ...]:
        return self.when + self.when_any + self.unless


@dataclass(frozen=True, slots=True)
class State:
    """A moment of the call: what the persona says, what a good reply shows, where each reply leads."""

    id: str
    say: Lines
    again: Lines = field(default_factory=Lines)
    end: str | None = None
    expect: tuple[Expectation, ...] = ()
    avoid: tuple[str, ...] = ()
    hint: Localized = field(default_factory=Localized)
    objection: str | None = None
    rules: tuple[Rule, ...] = ()

    @property
    def is_end(self) -> bool:
        return self.end is not None


@dataclass(frozen=True, slots=True)
class TestExpectation:
    states: tuple[str, ...] | None = None
    end: str | None = None
    outcome: str | None = None
    min_score: int | None = None
    max_score: int | None = None


@dataclass(frozen=True, slots=True)
class ConversationTest:
    """A scripted conversation and what must come of it, written inside the scenario."""

    name: str
    lang: str
    replies: tuple[str, ...]
    expect: TestExpectation
    seed: int = 0


@dataclass(frozen=True, slots=True)
class Scenario:
    """One drill: a persona, a state machine, expectations, a model answer and tests."""

    id: str
    persona: str
    objection: str
    title: Localized
    goal: Localized
    brief: Localized
    section: str
    difficulty: int
    order: int
    start: str
    pass_mark: int
    max_tries: int
    patience_end: str
    tries_end: str
    states: Mapping[str, State]
    model_answer: Mapping[str, tuple[str, ...]]
    tests: tuple[ConversationTest, ...] = ()
    source: str = ""
    digest: str = ""
    positions: Mapping[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict, compare=False)

    def where(self, *path: str | int) -> tuple[int, int]:
        """Line and column in the source file of the value at `path` (or its nearest parent)."""
        at = tuple(path)
        while at and at not in self.positions:
            at = at[:-1]
        return self.positions.get(at, (1, 1))

    def state(self, sid: str) -> State:
        return self.states[sid]

    @property
    def success_ends(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.states.values() if s.end == SUCCESS)

    @property
    def failure_ends(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.states.values() if s.end == FAILURE)
