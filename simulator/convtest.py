"""Run the conversation tests written inside a scenario, and say how a failing one actually went.

A failure carries the first difference and the conversation as it really
went, in the YAML a trainer writes, ready to paste back as the new expectation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from simulator.loader import Catalog
from simulator.scenario import ConversationTest, Scenario
from simulator.session import Session, Summary

__all__ = ["TestOutcome", "as_yaml", "play", "run_test"]


@dataclass(frozen=True)
class TestOutcome:
    scenario: str
    test: ConversationTest
    passed: bool
    difference: str | None
    states: tuple[str, ...]
    summary: Summary
    actual_yaml: str


def play(catalog: Catalog, scenario: Scenario, lang: str, replies: tuple[str, ...], seed: int = 0) -> Session:
    """A session with no transcript, fed `replies` until they run out or the call ends."""
    session = Session(scenario, catalog.persona_of(scenario), catalog.matcher, lang, seed)
    for reply in replies:
        if session.finished:
            break
        if reply.strip():
            session.respond(reply)
    return session


def _scalar(value: str) -> str:
    """One text as YAML on a single line, quoted only when it must be."""
    style = '"' if any(ch in value for ch in "\n\r\t\x0b\x0c") or not value.isprintable() else None
    text = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_style=style)
    return text.removesuffix("\n").removesuffix("\n...").rstrip("\n")


def as_yaml(test: ConversationTest, states: tuple[str, ...], summary: Summary, indent: int = 2) -> str:
    """The test as it actually went, written the way a trainer writes one under `tests:`.

    `indent` is the column of the item's dash, so the text can replace the old
    test as it is; loading it back gives the same replies and an expectation
    the conversation meets.
    """
    scores = [t.score for t in summary.turns]
    expect: dict[str, Any] = {"states": list(states)}
    if summary.end is not None:
        expect["end"] = summary.end
    expect["outcome"] = summary.outcome
    expect["min_score"] = min(scores) if scores else 0
    pad = " " * indent
    out = [f"{pad}- name: {_scalar(test.name)}", f"{pad}  lang: {test.lang}"]
    if test.seed:
        out.append(f"{pad}  seed: {test.seed}")
    out.append(f"{pad}  replies:")
    out.extend(f"{pad}    - {_scalar(reply)}" for reply in test.replies)
    flow = yaml.safe_dump(expect, allow_unicode=True, default_flow_style=True, sort_keys=False, width=1_000_000)
    out.append(f"{pad}  expect: {flow.strip()}")
    return "\n".join(out) + "\n"


def run_test(catalog: Catalog, scenario: Scenario, test: ConversationTest) -> TestOutcome:
    session = play(catalog, scenario, test.lang, test.replies, test.seed)
    summary = session.close()
    states = tuple(t.move.after for t in summary.turns)
    scores = [t.score for t in summary.turns]
    exp = test.expect
    difference = None
    if exp.states is not None:
        for i, (want, got) in enumerate(zip(exp.states, states, strict=False), 1):
            if want != got:
                difference = f"after reply {i}: expected state '{want}', got '{got}'"
                break
        else:
            if len(exp.states) != len(states):
                difference = f"expected {len(exp.states)} states {list(exp.states)}, got {list(states)}"
    if difference is None and exp.end is not None and summary.end != exp.end:
        difference = f"expected to end at '{exp.end}', ended at '{summary.end or '(no end)'}'"
    if difference is None and exp.outcome is not None and summary.outcome != exp.outcome:
        difference = f"expected outcome {exp.outcome}, got {summary.outcome}"
    if difference is None and exp.min_score is not None:
        low = [(i, s) for i, s in enumerate(scores, 1) if s < exp.min_score]
        if low:
            difference = f"reply {low[0][0]} scored {low[0][1]}, below min_score {exp.min_score}"
    if difference is None and exp.max_score is not None:
        high = [(i, s) for i, s in enumerate(scores, 1) if s > exp.max_score]
        if high:
            difference = f"reply {high[0][0]} scored {high[0][1]}, above max_score {exp.max_score}"
    index = scenario.tests.index(test) if test in scenario.tests else None
    column = scenario.where("tests", index)[1] if index is not None else 5
    return TestOutcome(scenario.id, test, difference is None, difference, states, summary,
                       as_yaml(test, states, summary, indent=max(column - 3, 0)))
